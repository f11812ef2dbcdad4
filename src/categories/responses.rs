//! What clients receive for categories.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::CategoryRow;
use crate::support::timestamps::SiteOffset;

/// A category, alone or embedded in an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryResponse {
    #[schema(example = 1)]
    pub id: i32,
    /// Unique among the categories of its language.
    #[schema(example = "cai-cach-hanh-chinh")]
    pub slug: String,
    #[schema(example = "Cải cách hành chính")]
    pub name: String,
    /// The language of its name, a BCP 47 tag.
    #[schema(example = "vi")]
    pub lang: String,
    /// The parent in the category tree; null for a top-level category.
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    /// Null for none.
    #[schema(example = "Tin về cải cách thủ tục hành chính")]
    pub description: Option<String>,
    /// Increases with every change; the `ETag` is built from it.
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
}

impl CategoryResponse {
    pub fn new(row: CategoryRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            lang: row.lang,
            parent_id: row.parent_id,
            description: crate::text::non_empty(row.description),
            version: row.version,
            updated_at: offset.show(row.updated_at),
        }
    }
}
