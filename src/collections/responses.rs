//! What collections look like to clients.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::CollectionRow;
use crate::articles::ArticleListItem;
use crate::support::timestamps::SiteOffset;

/// A collection as listed: its heading, not its articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionSummary {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "tin-noi-bat")]
    pub slug: String,
    #[schema(example = "Tin nổi bật")]
    pub name: String,
    /// Empty when there is none.
    #[schema(example = "Các tin bài nổi bật trên trang chủ")]
    pub description: String,
    /// Its resource: `/api/v1/collections/{slug}`.
    #[schema(example = "/api/v1/collections/tin-noi-bat")]
    pub url: String,
    /// Increases with every change of its heading or articles.
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-12-02T08:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-12-02T08:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
}

impl CollectionSummary {
    pub fn new(row: CollectionRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            url: format!("/api/v1/collections/{}", row.slug),
            slug: row.slug,
            name: row.name,
            description: row.description,
            version: row.version,
            created_at: offset.show(row.created_at),
            updated_at: offset.show(row.updated_at),
        }
    }
}

/// A collection with its articles in the editors' order, as lists show
/// them: to guests the public ones; to editors and API keys every one not
/// in the trash (each with its `status`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionResponse {
    #[serde(flatten)]
    pub collection: CollectionSummary,
    pub articles: Vec<ArticleListItem>,
}
