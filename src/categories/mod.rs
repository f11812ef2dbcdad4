//! Categories: a tree of sections articles are filed under.

pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::categories;
use crate::error::ApiError;
use crate::text::lang::Lang;
pub use requests::{CreateCategoryRequest, Description, UpdateCategoryRequest, description};
pub use responses::CategoryResponse;
pub use routes::configure;

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

crate::http::versioned!(CategoryRow, "category");

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

/// The category `id` and those above it in `all`, the top-level one first;
/// empty when `all` has no such category.
pub fn trail(all: &[CategoryRow], id: i32) -> Vec<CategoryRow> {
    let found = |id| {
        let category = all.iter().find(|c| c.id == id);
        Ok::<_, std::convert::Infallible>(category.map(|c| (c.clone(), c.parent_id)))
    };
    let Ok(trail) = crate::support::tree::path_to(id, found);
    trail
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
