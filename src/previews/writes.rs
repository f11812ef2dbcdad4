//! The rules of preview links, whoever asks: only who may edit the article
//! makes, lists or revokes them; a link lives 1 hour to 30 days (48 hours
//! unless asked); every write runs in one transaction with its audit entry.

use serde_json::json;

use super::PreviewLinkRow;
use super::queries::{self, NewLink};
use super::requests::{CreatePreviewLinkRequest, lifetime};
use super::responses::{CreatedPreviewLink, PreviewLinkResponse};
use crate::articles::writes::{Writer, editable_by, may_edit};
use crate::audit::{self, AuditEvent};
use crate::auth::opaque::{self, OpaqueSecret};
use crate::db::{Database, Touches};
use crate::error::ApiError;
use crate::http::permalinks::Permalinks;
use crate::support::timestamps::SiteOffset;

/// What a preview token starts with, to tell it at a glance.
const TOKEN_PREFIX: &str = "bpv_";

/// How a token is kept, and looked up.
pub fn token_hash(token: &str) -> String {
    opaque::hash(token)
}

/// `page` with the token as its `preview` parameter.
fn preview_url(page: &str, token: &str) -> String {
    let joint = if page.contains('?') { '&' } else { '?' };
    format!("{page}{joint}preview={token}")
}

pub async fn create(
    db: &Database,
    writer: Writer,
    article_id: i32,
    request: CreatePreviewLinkRequest,
    links: &Permalinks,
    offset: SiteOffset,
) -> Result<CreatedPreviewLink, ApiError> {
    let lifetime = lifetime(&request)?;
    let secret = OpaqueSecret::generate(TOKEN_PREFIX)
        .map_err(|e| ApiError::Internal(format!("no randomness for a preview token: {e}")))?;
    let now = crate::support::timestamps::now();
    let hash = secret.hash.clone();
    let (row, slug, lang) = db
        .write_touching(Touches::NothingShown, move |conn| {
            let article = may_edit(conn, &writer, article_id)?;
            let row = queries::insert(
                conn,
                &NewLink {
                    article_id,
                    token_hash: &hash,
                    created_by: &writer.actor.label,
                    created_at: now,
                    expires_at: now + lifetime,
                },
            )?;
            let details = json!({"preview_link": row.id, "expires_at": row.expires_at});
            let event = AuditEvent::on(
                "article.preview_link.create",
                "article",
                article_id,
                details,
            );
            audit::record(conn, &writer.actor, event, now)?;
            Ok::<_, ApiError>((row, article.slug, article.lang))
        })
        .await?;
    let url = preview_url(&links.article(article_id, &slug, &lang), &secret.plain);
    Ok(CreatedPreviewLink {
        link: PreviewLinkResponse::new(row, offset),
        token: secret.plain,
        url,
    })
}

pub async fn list(
    db: &Database,
    writer: Writer,
    article_id: i32,
) -> Result<Vec<PreviewLinkRow>, ApiError> {
    let now = crate::support::timestamps::now();
    let (article, links) = db
        .read(move |conn| {
            let article = crate::articles::queries::find_any(conn, article_id)?;
            let links = queries::live_of_article(conn, article_id, now)?;
            Ok((article.map(|found| found.article), links))
        })
        .await?;
    editable_by(&writer, article_id, article)?;
    Ok(links)
}

pub async fn revoke(
    db: &Database,
    writer: Writer,
    article_id: i32,
    link_id: i32,
) -> Result<(), ApiError> {
    let now = crate::support::timestamps::now();
    db.write_touching(Touches::NothingShown, move |conn| {
        may_edit(conn, &writer, article_id)?;
        if !queries::revoke(conn, article_id, link_id, now)? {
            return Err(ApiError::NotFound(format!(
                "the article has no working preview link with the id {link_id}"
            )));
        }
        let details = json!({"preview_link": link_id});
        let event = AuditEvent::on(
            "article.preview_link.revoke",
            "article",
            article_id,
            details,
        );
        audit::record(conn, &writer.actor, event, now)?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_joins_the_page_as_its_preview_parameter() {
        assert_eq!(
            preview_url("https://example.vn/tin/a", "bpv_x"),
            "https://example.vn/tin/a?preview=bpv_x"
        );
        assert_eq!(
            preview_url("https://example.vn/?p=a", "bpv_x"),
            "https://example.vn/?p=a&preview=bpv_x"
        );
    }
}
