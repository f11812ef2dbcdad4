//! The rules of writing pages, whoever asks: a slug unique within its
//! language, `If-Match` honoured, and each write in one transaction with
//! its audit entry.

use serde_json::json;

use super::PageRow;
use super::queries::{self, NewPage, PageChanges};
use super::requests::{NewPageFields, PageEdit};
use crate::articles::content::{SafeHtml, Title};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::{Database, DbConnection};
use crate::error::ApiError;
use crate::http::Precondition;
use crate::text::lang::Lang;
use crate::text::slug::{Slug, SlugPlace};

fn slug_in_use(lang: &str, slug: &str) -> ApiError {
    ApiError::Conflict(format!("another page in `{lang}` has the slug `{slug}`"))
}

/// The slug asked for (409 if its language has it), or one from the title,
/// suffixed `-2`, `-3`, … past those its language has.
fn choose_slug(conn: &mut DbConnection, fields: &NewPageFields) -> Result<Slug, ApiError> {
    let lang = fields.lang.as_str();
    match &fields.slug {
        Some(slug) if queries::slug_taken(conn, lang, slug.as_str())? => {
            Err(slug_in_use(lang, slug.as_str()))
        }
        Some(slug) => Ok(slug.clone()),
        None => Slug::from_title_or(fields.title.as_str(), "trang")
            .first_free(100, |slug| queries::slug_taken(conn, lang, slug))?
            .ok_or_else(|| {
                ApiError::Conflict(format!(
                    "too many pages in `{lang}` have this title; send a slug"
                ))
            }),
    }
}

pub async fn create(
    db: &Database,
    fields: NewPageFields,
    actor: Actor,
) -> Result<PageRow, ApiError> {
    db.write(move |conn| {
        let slug = choose_slug(conn, &fields)?;
        let now = crate::support::timestamps::now();
        let page = queries::insert(
            conn,
            &NewPage {
                lang: fields.lang.as_str(),
                slug: slug.as_str(),
                title: fields.title.as_str(),
                body_html: fields.body.as_str(),
                position: fields.position,
                published: fields.published,
                created_at: now,
                updated_at: now,
            },
        )?;
        let event = AuditEvent::on("page.create", "page", page.id, described(&page));
        audit::record(conn, &actor, event, now)?;
        Ok(page)
    })
    .await
}

pub async fn update(
    db: &Database,
    id: i32,
    edit: PageEdit,
    precondition: Precondition,
    actor: Actor,
) -> Result<PageRow, ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        if edit.is_empty() {
            return Ok(current);
        }
        // A place other than its own that a page holds is another page's.
        let here = SlugPlace {
            lang: &current.lang,
            slug: &current.slug,
        };
        if let Some(there) = here.moved_to(edit.lang.as_ref(), edit.slug.as_ref())
            && queries::slug_taken(conn, there.lang, there.slug)?
        {
            return Err(slug_in_use(there.lang, there.slug));
        }
        let now = crate::support::timestamps::now();
        let updated = queries::update(
            conn,
            id,
            &PageChanges {
                lang: edit.lang.as_ref().map(Lang::as_str),
                slug: edit.slug.as_ref().map(Slug::as_str),
                title: edit.title.as_ref().map(Title::as_str),
                body_html: edit.body.as_ref().map(SafeHtml::as_str),
                position: edit.position,
                published: edit.published,
                updated_at: now,
                version: current.version + 1,
            },
        )?;
        let details = json!({"from": described(&current), "to": described(&updated)});
        let event = AuditEvent::on("page.update", "page", updated.id, details);
        audit::record(conn, &actor, event, now)?;
        Ok(updated)
    })
    .await
}

pub async fn delete(
    db: &Database,
    id: i32,
    precondition: Precondition,
    actor: Actor,
) -> Result<(), ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        queries::delete(conn, id)?;
        let now = crate::support::timestamps::now();
        let event = AuditEvent::on("page.delete", "page", current.id, described(&current));
        audit::record(conn, &actor, event, now)?;
        Ok(())
    })
    .await
}

/// What the audit log keeps of a page: enough to tell which and how it
/// stood, not its body.
fn described(page: &PageRow) -> serde_json::Value {
    json!({
        "lang": page.lang, "slug": page.slug, "title": page.title,
        "position": page.position, "published": page.published,
    })
}
