//! The rules of collections, whoever writes: a heading, a unique slug, and
//! articles that exist, each once, at most [`MAX_ARTICLES`]. Every write
//! runs in one transaction with its audit entry and its webhook event.

use chrono::NaiveDateTime;
use serde_json::json;

use super::CollectionRow;
use super::queries::{self, CollectionChanges};
use super::requests::{CreateCollectionRequest, UpdateCollectionRequest};
use crate::audit::{self, Actor, AuditEvent};
use crate::categories::description;
use crate::db::{Database, DbConnection};
use crate::error::{ApiError, FieldErrors};
use crate::http::{Precondition, Versioned};
use crate::identity::DisplayName;
use crate::text::slug::Slug;
use crate::webhooks::{self, EventKind};

/// How many articles a collection holds at most: a home page block shows a
/// handful, and each read embeds them all.
pub const MAX_ARTICLES: usize = 100;

fn slug_taken(slug: &Slug) -> ApiError {
    ApiError::Conflict(format!("another collection has the slug `{slug}`"))
}

/// The slug asked for (409 if taken), or one from the name, suffixed `-2`,
/// `-3`, … past the ones taken.
fn choose_slug(
    conn: &mut DbConnection,
    asked: Option<Slug>,
    name: &DisplayName,
) -> Result<Slug, ApiError> {
    if let Some(slug) = asked {
        if queries::slug_taken(conn, slug.as_str())? {
            return Err(slug_taken(&slug));
        }
        return Ok(slug);
    }
    Slug::from_title_or(name.as_str(), "bo-suu-tap")
        .first_free(100, |slug| queries::slug_taken(conn, slug))?
        .ok_or_else(|| {
            ApiError::Conflict("too many collections have this name; send a slug".into())
        })
}

/// The fields of a create or an update, parsed; every error reported at once.
struct Heading {
    name: Option<DisplayName>,
    slug: Option<Slug>,
    description: Option<String>,
}

impl Heading {
    fn parse(name: Option<&str>, slug: Option<&str>, text: Option<&str>) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", name.map(DisplayName::parse).transpose());
        let slug = errors.check("slug", slug.map(Slug::parse).transpose());
        let text = errors.check("description", text.map(description).transpose());
        match (name, slug, text) {
            (Some(name), Some(slug), Some(description)) => Ok(Self {
                name,
                slug,
                description,
            }),
            _ => Err(errors.into_error()),
        }
    }
}

/// Tells webhook subscribers that a collection changed (a frontend that
/// renders its home page ahead rebuilds it).
fn announce(
    conn: &mut DbConnection,
    kind: EventKind,
    collection: &CollectionRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let data = json!({
        "id": collection.id, "slug": collection.slug, "name": collection.name,
        "path": format!("/api/v1/collections/{}", collection.slug),
    });
    webhooks::emit(conn, kind, data, at)?;
    Ok(())
}

pub async fn create(
    db: &Database,
    request: CreateCollectionRequest,
    actor: Actor,
) -> Result<CollectionRow, ApiError> {
    let heading = Heading::parse(
        Some(&request.name),
        request.slug.as_deref(),
        request.description.as_deref(),
    )?;
    let name = heading
        .name
        .ok_or_else(|| ApiError::Internal("a collection parsed without its name".into()))?;
    let now = crate::support::timestamps::now();
    db.write(move |conn| {
        let slug = choose_slug(conn, heading.slug.clone(), &name)?;
        let description = heading.description.clone().unwrap_or_default();
        let collection = queries::insert(conn, slug.as_str(), name.as_str(), &description, now)?;
        let details = json!({"name": collection.name, "slug": collection.slug});
        let event = AuditEvent::on("collection.create", "collection", collection.id, details);
        audit::record(conn, &actor, event, now)?;
        announce(conn, EventKind::CollectionCreated, &collection, now)?;
        Ok(collection)
    })
    .await
}

/// The collection to write to: 404 when missing, 412 when `If-Match` is stale.
fn current(
    conn: &mut DbConnection,
    key: &crate::text::slug::IdOrSlug,
    precondition: &Precondition,
) -> Result<CollectionRow, ApiError> {
    let collection = queries::find_by_key(conn, key)?.ok_or_else(|| match key {
        crate::text::slug::IdOrSlug::Id(id) => ApiError::no_such("collection", *id),
        crate::text::slug::IdOrSlug::Slug(slug) => {
            ApiError::NotFound(format!("no collection has the slug `{slug}`"))
        }
    })?;
    precondition.check(&collection.tag())?;
    Ok(collection)
}

pub async fn update(
    db: &Database,
    id: i32,
    request: UpdateCollectionRequest,
    precondition: Precondition,
    actor: Actor,
) -> Result<CollectionRow, ApiError> {
    let heading = Heading::parse(
        request.name.as_deref(),
        request.slug.as_deref(),
        request.description.as_deref(),
    )?;
    let now = crate::support::timestamps::now();
    db.write(move |conn| {
        let before = current(conn, &crate::text::slug::IdOrSlug::Id(id), &precondition)?;
        if let Some(slug) = &heading.slug
            && slug.as_str() != before.slug
            && queries::slug_taken(conn, slug.as_str())?
        {
            return Err(slug_taken(slug));
        }
        let collection = queries::update(
            conn,
            id,
            &CollectionChanges {
                slug: heading.slug.as_ref().map(Slug::as_str),
                name: heading.name.as_ref().map(DisplayName::as_str),
                description: heading.description.as_deref(),
                version: before.version + 1,
                updated_at: now,
            },
        )?;
        let details = json!({"version": collection.version});
        let event = AuditEvent::on("collection.update", "collection", collection.id, details);
        audit::record(conn, &actor, event, now)?;
        announce(conn, EventKind::CollectionUpdated, &collection, now)?;
        Ok(collection)
    })
    .await
}

pub async fn delete(
    db: &Database,
    id: i32,
    precondition: Precondition,
    actor: Actor,
) -> Result<(), ApiError> {
    let now = crate::support::timestamps::now();
    db.write(move |conn| {
        let collection = current(conn, &crate::text::slug::IdOrSlug::Id(id), &precondition)?;
        queries::delete(conn, id)?;
        let details = json!({"name": collection.name, "slug": collection.slug});
        let event = AuditEvent::on("collection.delete", "collection", collection.id, details);
        audit::record(conn, &actor, event, now)?;
        announce(conn, EventKind::CollectionDeleted, &collection, now)?;
        Ok(())
    })
    .await
}

/// The ids of a collection's articles, checked: each once, at most
/// [`MAX_ARTICLES`].
fn parse_article_ids(ids: Vec<i32>) -> Result<Vec<i32>, ApiError> {
    if ids.len() > MAX_ARTICLES {
        return Err(ApiError::validation(
            "body",
            format!("a collection holds at most {MAX_ARTICLES} articles"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = ids.iter().find(|id| !seen.insert(**id)) {
        return Err(ApiError::validation(
            "body",
            format!("the article {twice} is listed twice"),
        ));
    }
    Ok(ids)
}

/// Sets a collection's articles and their order; every id must be an
/// article (one not yet public keeps its place until it is).
pub async fn set_articles(
    db: &Database,
    key: crate::text::slug::IdOrSlug,
    ids: Vec<i32>,
    precondition: Precondition,
    actor: Actor,
) -> Result<(CollectionRow, Vec<i32>), ApiError> {
    let ids = parse_article_ids(ids)?;
    let now = crate::support::timestamps::now();
    db.write(move |conn| {
        let before = current(conn, &key, &precondition)?;
        let found = queries::existing_articles(conn, &ids)?;
        if let Some(message) = ApiError::none_among("article", &ids, &found) {
            return Err(ApiError::missing("body", message));
        }
        queries::replace_articles(conn, before.id, &ids)?;
        let collection = queries::update(
            conn,
            before.id,
            &CollectionChanges {
                slug: None,
                name: None,
                description: None,
                version: before.version + 1,
                updated_at: now,
            },
        )?;
        let details = json!({"version": collection.version, "article_ids": ids});
        let event = AuditEvent::on("collection.articles", "collection", collection.id, details);
        audit::record(conn, &actor, event, now)?;
        announce(conn, EventKind::CollectionUpdated, &collection, now)?;
        Ok((collection, ids.clone()))
    })
    .await
}
