//! The rules of the category tree, whoever asks: names, unique slugs, a
//! parent that exists, no cycles, nothing lost on delete.

use std::collections::HashMap;

use crate::db::DbConnection;
use serde_json::json;

use super::queries::{self, CategoryChanges};
use super::requests::{parse_description, parse_name, parse_slug};
use super::{CategoryRow, CreateCategoryRequest, NewCategory, UpdateCategoryRequest};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::Database;
use crate::error::{ApiError, FieldErrors, all_parsed};
use crate::http::Precondition;
use crate::identity::DisplayName;
use crate::text::lang::Lang;
use crate::text::slug::{Slug, SlugPlace};

/// The target type of the audit log's entries these writes make.
const AUDITED: &str = "category";

fn slug_taken(slug: &str, lang: &str) -> ApiError {
    ApiError::Conflict(format!(
        "another category in `{lang}` has the slug `{slug}`"
    ))
}

/// A slug from the name, suffixed `-2`, `-3`, … past the ones its language
/// has.
fn free_slug(conn: &mut DbConnection, name: &DisplayName, lang: &str) -> Result<Slug, ApiError> {
    Slug::from_title_or(name.as_str(), "chuyen-muc")
        .first_free(100, |slug| queries::slug_taken(conn, lang, slug))?
        .ok_or_else(|| ApiError::Conflict("too many categories have this name; send a slug".into()))
}

/// The parent must exist, and must not be `moving` or one of its descendants.
fn check_parent(
    conn: &mut DbConnection,
    parent_id: i32,
    moving: Option<i32>,
) -> Result<(), ApiError> {
    let parents: HashMap<i32, Option<i32>> = queries::parents(conn)?.into_iter().collect();
    if !parents.contains_key(&parent_id) {
        return Err(ApiError::missing(
            "parent_id",
            format!("no category has the id {parent_id}"),
        ));
    }
    let mut ancestor = Some(parent_id);
    // Bounded by the number of categories, so a corrupt cycle cannot loop forever.
    for _ in 0..=parents.len() {
        match ancestor {
            Some(id) if Some(id) == moving => {
                return Err(ApiError::Conflict(
                    "a category cannot sit under itself or one of its subcategories".into(),
                ));
            }
            Some(id) => ancestor = parents.get(&id).copied().flatten(),
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Creates a category, in `site_lang` unless the request names a language.
pub async fn create(
    db: &Database,
    request: CreateCategoryRequest,
    site_lang: &Lang,
    actor: Actor,
) -> Result<CategoryRow, ApiError> {
    let mut errors = FieldErrors::default();
    let name = parse_name(&mut errors, &request.name);
    let slug = parse_slug(&mut errors, request.slug.as_deref());
    let description = parse_description(&mut errors, request.description.as_deref());
    let lang = errors.check("lang", request.lang.as_deref().map(Lang::parse).transpose());
    all_parsed!(errors; name, slug, description, lang);
    let description = description.unwrap_or_default();
    let lang = lang.unwrap_or_else(|| site_lang.clone());
    db.write(move |conn| {
        if let Some(parent_id) = request.parent_id {
            check_parent(conn, parent_id, None)?;
        }
        let lang = lang.as_str();
        let slug = match &slug {
            Some(slug) if queries::slug_taken(conn, lang, slug.as_str())? => {
                return Err(slug_taken(slug.as_str(), lang));
            }
            Some(slug) => slug.clone(),
            None => free_slug(conn, &name, lang)?,
        };
        let now = crate::support::timestamps::now();
        let category = queries::insert(
            conn,
            &NewCategory {
                parent_id: request.parent_id,
                slug: slug.as_str(),
                name: name.as_str(),
                description: &description,
                lang,
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::record(
            conn,
            &actor,
            AuditEvent::on(
                "category.create",
                AUDITED,
                category.id,
                json!({"name": category.name, "slug": category.slug}),
            ),
            crate::support::timestamps::now(),
        )?;
        Ok(category)
    })
    .await
}

pub async fn update(
    db: &Database,
    id: i32,
    request: UpdateCategoryRequest,
    precondition: Precondition,
    actor: Actor,
) -> Result<CategoryRow, ApiError> {
    let mut errors = FieldErrors::default();
    let name = request.name.as_deref().map(|n| parse_name(&mut errors, n));
    let slug = parse_slug(&mut errors, request.slug.as_deref());
    let description = parse_description(&mut errors, request.description.as_deref());
    let lang = errors.check("lang", request.lang.as_deref().map(Lang::parse).transpose());
    let name = name.map_or(Some(None), |n| n.map(Some));
    all_parsed!(errors; name, slug, description, lang);
    // A change of nothing is answered with the category as it stands.
    let nothing = name.is_none()
        && slug.is_none()
        && description.is_none()
        && lang.is_none()
        && request.parent_id.is_none();
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        if nothing {
            return Ok(current);
        }
        if let Some(Some(parent_id)) = request.parent_id {
            check_parent(conn, parent_id, Some(id))?;
        }
        let here = SlugPlace {
            lang: &current.lang,
            slug: &current.slug,
        };
        if let Some(there) = here.moved_to(lang.as_ref(), slug.as_ref())
            && queries::slug_taken(conn, there.lang, there.slug)?
        {
            return Err(slug_taken(there.slug, there.lang));
        }
        let updated = queries::update(
            conn,
            id,
            &CategoryChanges {
                name: name.as_ref().map(DisplayName::as_str),
                slug: slug.as_ref().map(Slug::as_str),
                description: description.as_deref(),
                lang: lang.as_ref().map(Lang::as_str),
                parent_id: request.parent_id,
                updated_at: crate::support::timestamps::now(),
                version: current.version + 1,
            },
        )?;
        let details = json!({
            "from": {"name": current.name, "slug": current.slug, "parent_id": current.parent_id},
            "to": {"name": updated.name, "slug": updated.slug, "parent_id": updated.parent_id},
        });
        audit::record(
            conn,
            &actor,
            AuditEvent::on("category.update", AUDITED, updated.id, details),
            crate::support::timestamps::now(),
        )?;
        Ok(updated)
    })
    .await
}

/// Deletes an empty category; one with subcategories or articles is a 409,
/// so nothing is left orphaned or silently uncategorised.
pub async fn delete(
    db: &Database,
    id: i32,
    precondition: Precondition,
    actor: Actor,
) -> Result<(), ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        let (children, articles) = queries::contents(conn, id)?;
        if children > 0 || articles > 0 {
            return Err(ApiError::Conflict(format!(
                "the category holds {children} subcategories and {articles} articles: move them first"
            )));
        }
        queries::delete(conn, id)?;
        let details = json!({"name": current.name, "slug": current.slug});
        let event = AuditEvent::on("category.delete", AUDITED, current.id, details);
        audit::record(conn, &actor, event, crate::support::timestamps::now())?;
        Ok(())
    })
    .await
}
