//! SQL for static pages.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::PageRow;
use crate::db::DbConnection;
use crate::db::schema::pages;
use crate::text::slug::IdOrSlug;

/// Which pages a read sees.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A guest's read (or a reader's): published pages only.
    pub published_only: bool,
    /// Pages in this language only (a `Lang` as it spells itself).
    pub lang: Option<String>,
}

fn filtered(filter: &Filter) -> pages::BoxedQuery<'static, crate::db::Backend> {
    let mut query = pages::table.into_boxed();
    if filter.published_only {
        query = query.filter(pages::published.eq(true));
    }
    if let Some(lang) = &filter.lang {
        query = query.filter(pages::lang.eq(lang.clone()));
    }
    query
}

/// Where a page stands in menu order: what a list's cursor carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuPlace {
    #[serde(rename = "p")]
    pub position: i32,
    #[serde(rename = "i")]
    pub id: i32,
}

impl MenuPlace {
    pub fn of(page: &PageRow) -> Self {
        Self {
            position: page.position,
            id: page.id,
        }
    }
}

/// Pages in menu order (by position, then id), keyset on both.
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    limit: u32,
    offset: i64,
    after: Option<MenuPlace>,
) -> QueryResult<(Vec<PageRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let mut query = filtered(filter)
        .select(PageRow::as_select())
        .order((pages::position.asc(), pages::id.asc()))
        .limit(crate::db::rows_for_page(limit))
        .offset(offset);
    if let Some(after) = after {
        query = query.filter(
            pages::position.gt(after.position).or(pages::position
                .eq(after.position)
                .and(pages::id.gt(after.id))),
        );
    }
    Ok((query.load(conn)?, total))
}

/// The pages `key` names that `filter` lets through, oldest first: at most
/// one for an id, one a language for a slug.
pub fn named(
    conn: &mut DbConnection,
    key: &IdOrSlug,
    filter: &Filter,
) -> QueryResult<Vec<PageRow>> {
    let query = filtered(filter)
        .select(PageRow::as_select())
        .order(pages::id.asc());
    match key {
        IdOrSlug::Id(id) => query.filter(pages::id.eq(*id)).load(conn),
        IdOrSlug::Slug(slug) => query
            .filter(pages::slug.eq(slug.as_str().to_owned()))
            .load(conn),
    }
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<PageRow>> {
    pages::table
        .find(id)
        .select(PageRow::as_select())
        .first(conn)
        .optional()
}

/// Whether a page in `lang` has `slug`.
pub fn slug_taken(conn: &mut DbConnection, lang: &str, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        pages::table
            .filter(pages::lang.eq(lang))
            .filter(pages::slug.eq(slug))
            .select(pages::id),
    ))
    .get_result(conn)
}

#[derive(Insertable)]
#[diesel(table_name = pages)]
pub struct NewPage<'a> {
    pub lang: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub body_html: &'a str,
    pub position: i32,
    pub published: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, page: &NewPage<'_>) -> QueryResult<PageRow> {
    diesel::insert_into(pages::table)
        .values(page)
        .returning(crate::db::selection::<PageRow>())
        .get_result(conn)
}

/// Changes to a page; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = pages)]
pub struct PageChanges<'a> {
    pub lang: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub title: Option<&'a str>,
    pub body_html: Option<&'a str>,
    pub position: Option<i32>,
    pub published: Option<bool>,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn update(conn: &mut DbConnection, id: i32, changes: &PageChanges<'_>) -> QueryResult<PageRow> {
    diesel::update(pages::table.find(id))
        .set(changes)
        .returning(crate::db::selection::<PageRow>())
        .get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(pages::table.find(id))
        .execute(conn)
        .map(drop)
}
