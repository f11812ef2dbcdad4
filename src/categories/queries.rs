//! SQL for categories.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{CategoryRow, NewCategory};
use crate::db::DbConnection;
use crate::db::schema::{articles, categories};
use crate::text::lang::Lang;
use crate::text::slug::IdOrSlug;

/// Whether there is any category at all.
pub fn any(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        categories::table.select(categories::id),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, category: &NewCategory<'_>) -> QueryResult<CategoryRow> {
    diesel::insert_into(categories::table)
        .values(category)
        .returning(crate::db::selection::<CategoryRow>())
        .get_result(conn)
}

/// The category `id`, on the engine's connection (`on_engine`): an
/// article's page looks up each of its breadcrumbs so (`ancestry`).
pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<CategoryRow>> {
    crate::db::on_engine!(conn, conn => categories::table
        .find(id)
        .select(CategoryRow::as_select())
        .first(conn)
        .optional())
}

/// The category `key` names: by id, or by slug in `lang` when given, else
/// in `site_lang` first, else the oldest.
pub fn find_by_key(
    conn: &mut DbConnection,
    key: &IdOrSlug,
    lang: Option<&Lang>,
    site_lang: &Lang,
) -> QueryResult<Option<CategoryRow>> {
    let query = categories::table
        .select(CategoryRow::as_select())
        .into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(categories::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(categories::slug.eq(slug.as_str().to_owned())),
    };
    let query = match lang {
        Some(lang) => query.filter(categories::lang.eq(lang.as_str().to_owned())),
        None => query,
    };
    query
        .order((
            categories::lang.ne(site_lang.as_str().to_owned()),
            categories::id,
        ))
        .first(conn)
        .optional()
}

/// Whether a category in `lang` has `slug`.
pub fn slug_taken(conn: &mut DbConnection, lang: &str, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        categories::table
            .filter(categories::slug.eq(slug))
            .filter(categories::lang.eq(lang))
            .select(categories::id),
    ))
    .get_result(conn)
}

/// The parent of each category, to walk the tree without a query per step.
pub fn parents(conn: &mut DbConnection) -> QueryResult<Vec<(i32, Option<i32>)>> {
    categories::table
        .select((categories::id, categories::parent_id))
        .load(conn)
}

/// Every category: what breadcrumbs are walked in (a portal has tens).
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<CategoryRow>> {
    crate::db::on_engine!(conn, conn => {
        categories::table
            .select(CategoryRow::as_select())
            .order(categories::id)
            .load(conn)
    })
}

/// A category and those above it, the top-level one first: an article's
/// breadcrumbs. Empty when there is no such category. Walked up by key, a
/// lookup per level: reading every category instead (their descriptions
/// and times parsed) was 5 % of reading an article at 100,000 articles
/// with nine categories, and grew with each one added. A corrupt cycle
/// ends the walk.
pub fn ancestry(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<CategoryRow>> {
    crate::support::tree::path_to(id, |id| {
        let found = find(conn, id)?;
        Ok(found.map(|category| {
            let parent = category.parent_id;
            (category, parent)
        }))
    })
}

/// A category and every category under it.
pub fn subtree(conn: &mut DbConnection, root: i32) -> QueryResult<Vec<i32>> {
    Ok(crate::support::tree::subtree(&parents(conn)?, root))
}

/// All categories (in `lang`, when given), in tree order's raw material:
/// by id, keyset on the id.
pub fn list(
    conn: &mut DbConnection,
    lang: Option<&Lang>,
    limit: u32,
    offset: i64,
    after_id: Option<i32>,
) -> QueryResult<(Vec<CategoryRow>, i64)> {
    let in_language = || {
        let query = categories::table.into_boxed();
        match lang {
            Some(lang) => query.filter(categories::lang.eq(lang.as_str().to_owned())),
            None => query,
        }
    };
    let total = in_language().count().get_result(conn)?;
    let mut query = in_language()
        .select(CategoryRow::as_select())
        .order(categories::id.asc())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset);
    if let Some(after_id) = after_id {
        query = query.filter(categories::id.gt(after_id));
    }
    Ok((query.load(conn)?, total))
}

/// Changes to a category; `None` leaves a column as it is, `Some(None)` a
/// parent cleared (a top-level category).
#[derive(AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges<'a> {
    pub name: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub description: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub parent_id: Option<Option<i32>>,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn update(
    conn: &mut DbConnection,
    id: i32,
    changes: &CategoryChanges<'_>,
) -> QueryResult<CategoryRow> {
    diesel::update(categories::table.find(id))
        .set(changes)
        .returning(crate::db::selection::<CategoryRow>())
        .get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(categories::table.find(id))
        .execute(conn)
        .map(drop)
}

/// How many subcategories and articles a category holds.
pub fn contents(conn: &mut DbConnection, id: i32) -> QueryResult<(i64, i64)> {
    let children = categories::table
        .filter(categories::parent_id.eq(id))
        .count()
        .get_result(conn)?;
    let articles = articles::table
        .filter(articles::category_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((children, articles))
}
