//! The rules of preview links, whoever asks: only who may edit the article
//! makes, lists or revokes them; a link lives 1 hour to 30 days (48 hours
//! unless asked); every write runs in one transaction with its audit entry.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::PreviewLinkRow;
use super::queries::{self, NewLink};
use crate::articles::writes::{Writer, editable_by, may_edit};
use crate::audit::{self, AuditEvent};
use crate::auth::opaque::{self, OpaqueSecret};
use crate::db::{Database, Touches};
use crate::error::ApiError;
use crate::http::permalinks::Permalinks;
use crate::support::timestamps::SiteOffset;

/// What a preview token starts with, to tell it at a glance.
const TOKEN_PREFIX: &str = "bpv_";
const DEFAULT_HOURS: u32 = 48;
const MAX_HOURS: u32 = 720;

/// What a request for a preview link may say.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePreviewLinkRequest {
    /// How long the link works, in hours: 1 to 720 (30 days); 48 when left out.
    #[schema(example = 48, minimum = 1, maximum = 720)]
    pub expires_in_hours: Option<u32>,
}

/// A working preview link, as listed: never its token.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewLinkResponse {
    #[schema(example = 3)]
    pub id: i32,
    #[schema(example = 12)]
    pub article_id: i32,
    /// Who made it, as the audit log names them.
    #[schema(example = "bientap@sonoivu.binhdinh.gov.vn")]
    pub created_by: String,
    #[schema(example = "2026-12-02T08:00:00+07:00")]
    pub created_at: chrono::DateTime<chrono::FixedOffset>,
    /// When it stops working.
    #[schema(example = "2026-12-04T08:00:00+07:00")]
    pub expires_at: chrono::DateTime<chrono::FixedOffset>,
}

impl PreviewLinkResponse {
    pub fn new(row: PreviewLinkRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            article_id: row.article_id,
            created_by: row.created_by,
            created_at: offset.show(row.created_at),
            expires_at: offset.show(row.expires_at),
        }
    }
}

/// A new preview link, with its token: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedPreviewLink {
    #[serde(flatten)]
    pub link: PreviewLinkResponse,
    /// Send it as `?preview=` to read the article; kept only as a hash.
    #[schema(example = "bpv_3q2-7wEvaKkWl1N6tQ0uX2bmPZf0Yk6o3Jr1sFhCq9E")]
    pub token: String,
    /// The article's page (`BULLETIN_ARTICLE_URL`, else its API resource)
    /// with the token: what to send the reviewer.
    #[schema(
        example = "https://sonoivu.binhdinh.gov.vn/tin-tuc/ke-hoach-cai-cach-hanh-chinh-2027?preview=bpv_3q2-7wEvaKkWl1N6tQ0uX2bmPZf0Yk6o3Jr1sFhCq9E"
    )]
    pub url: String,
}

/// The working links of an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewLinkList {
    pub items: Vec<PreviewLinkResponse>,
}

/// How a token is kept, and looked up.
pub fn token_hash(token: &str) -> String {
    opaque::hash(token)
}

/// `page` with the token as its `preview` parameter.
fn preview_url(page: &str, token: &str) -> String {
    let joint = if page.contains('?') { '&' } else { '?' };
    format!("{page}{joint}preview={token}")
}

fn lifetime(request: &CreatePreviewLinkRequest) -> Result<Duration, ApiError> {
    match request.expires_in_hours.unwrap_or(DEFAULT_HOURS) {
        hours @ 1..=MAX_HOURS => Ok(Duration::hours(i64::from(hours))),
        _ => Err(ApiError::validation(
            "expires_in_hours",
            format!("must be 1 to {MAX_HOURS} hours"),
        )),
    }
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

    #[test]
    fn a_link_lives_one_hour_to_thirty_days() {
        let asking = |hours| CreatePreviewLinkRequest {
            expires_in_hours: hours,
        };
        assert_eq!(lifetime(&asking(None)).unwrap(), Duration::hours(48));
        assert_eq!(lifetime(&asking(Some(1))).unwrap(), Duration::hours(1));
        assert_eq!(lifetime(&asking(Some(720))).unwrap(), Duration::hours(720));
        assert!(lifetime(&asking(Some(0))).is_err());
        assert!(lifetime(&asking(Some(721))).is_err());
    }
}
