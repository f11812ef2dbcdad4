//! What clients receive for areas.

use serde::Serialize;
use utoipa::ToSchema;

use super::AreaRow;

/// An area: build the tree from `parent_id`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaResponse {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    #[schema(example = "cai-cach-hanh-chinh")]
    pub slug: String,
    #[schema(example = "Cải cách hành chính")]
    pub name: String,
}

impl From<AreaRow> for AreaResponse {
    fn from(row: AreaRow) -> Self {
        Self {
            id: row.id,
            parent_id: row.parent_id,
            slug: row.slug,
            name: row.name,
        }
    }
}
