//! What staff receive for preview links: the token only once.

use serde::Serialize;
use utoipa::ToSchema;

use super::PreviewLinkRow;
use crate::support::timestamps::SiteOffset;

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
