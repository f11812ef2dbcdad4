//! Categories: a tree of sections articles are filed under.

pub mod queries;
mod routes;
mod writes;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::categories;
use crate::error::ApiError;
use crate::support::timestamps::SiteOffset;
use crate::text::lang::Lang;
use crate::text::slug::Slug;
use crate::users::DisplayName;
pub use routes::configure;
pub use writes::{Description, description};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct CategoryRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
    /// A [`crate::text::lang::Lang`] as it spells itself.
    pub lang: String,
}

#[derive(Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub parent_id: Option<i32>,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub lang: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

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

/// The category `id` and those above it in `all`, the top-level one first;
/// empty when `all` has no such category.
pub fn trail(all: &[CategoryRow], id: i32) -> Vec<CategoryRow> {
    let parents: Vec<(i32, Option<i32>)> = all.iter().map(|c| (c.id, c.parent_id)).collect();
    crate::support::tree::path_to(&parents, id)
        .into_iter()
        .filter_map(|id| all.iter().find(|c| c.id == id).cloned())
        .collect()
}

/// The ids of the category a list parameter names (by id or slug, the slug
/// read in `lang` if given, else in the site's language first) and of every
/// category under it; a 422 on `category` when there is none.
pub async fn subtree_of(
    db: &crate::db::Database,
    key: &str,
    lang: Option<&Lang>,
    site_lang: &Lang,
) -> Result<Vec<i32>, ApiError> {
    let unknown = || {
        ApiError::missing(
            "category",
            format!("no category has the id or slug `{key}`"),
        )
    };
    let lookup = crate::text::slug::IdOrSlug::parse(key).ok_or_else(unknown)?;
    let (lang, site_lang) = (lang.cloned(), site_lang.clone());
    let found = db
        .read(
            move |conn| match queries::find_by_key(conn, &lookup, lang.as_ref(), &site_lang)? {
                Some(category) => queries::subtree(conn, category.id).map(Some),
                None => Ok(None),
            },
        )
        .await?;
    found.ok_or_else(unknown)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryRequest {
    #[schema(value_type = DisplayName)]
    pub name: String,
    /// Generated from the name when left out (`cai-cach-hanh-chinh`).
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// The parent category; leave out for a top-level one.
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    /// The language of its name, a BCP 47 tag; the site's (`BULLETIN_DEFAULT_LANG`, `vi` unless
    /// set) when left out. Its slug is unique among the categories of this language.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    #[schema(value_type = Option<writes::Description>)]
    pub description: Option<String>,
}

/// Only the fields sent change; `parent_id: null` makes it top-level.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategoryRequest {
    #[schema(value_type = Option<DisplayName>)]
    pub name: Option<String>,
    /// The slug changes only when sent: links keep working when the name changes.
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i32>, example = 3)]
    pub parent_id: Option<Option<i32>>,
    /// The language of its name, a BCP 47 tag.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    #[schema(value_type = Option<writes::Description>)]
    pub description: Option<String>,
}
