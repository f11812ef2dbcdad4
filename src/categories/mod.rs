//! Categories: a tree of sections articles are filed under.

pub mod queries;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::categories;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
pub struct CategoryRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub slug: String,
    pub name: String,
}

#[derive(Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub parent_id: Option<i32>,
    pub slug: &'a str,
    pub name: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A category as embedded in other resources.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryResponse {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "cai-cach-hanh-chinh")]
    pub slug: String,
    #[schema(example = "Cải cách hành chính")]
    pub name: String,
    /// The parent in the category tree; null for a top-level category.
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
}

impl From<CategoryRow> for CategoryResponse {
    fn from(row: CategoryRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            parent_id: row.parent_id,
        }
    }
}
