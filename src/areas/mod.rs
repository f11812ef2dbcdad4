//! Areas (lĩnh vực): the fields documents belong to, such as "Cải cách hành
//! chính", as a tree. Editors keep the tree; anyone reads it.

pub mod queries;
mod routes;

use crate::db::DbConnection;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::areas;
use crate::error::ApiError;
pub use routes::configure;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = areas)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct AreaRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub slug: String,
    pub name: String,
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAreaRequest {
    /// The slug is made from it.
    #[schema(value_type = crate::users::DisplayName)]
    pub name: String,
    /// The parent area; leave out for a top-level one.
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
}

/// 422 naming the ids that are not areas.
pub fn check_exist(conn: &mut DbConnection, ids: &[i32]) -> Result<(), ApiError> {
    let found = queries::existing(conn, ids)?;
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !found.contains(id))
        .map(i32::to_string)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::missing(
            "area_ids",
            format!("no area has the id {}", missing.join(", ")),
        ))
    }
}
