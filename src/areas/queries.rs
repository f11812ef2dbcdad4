//! SQL for areas and the areas of documents.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::AreaRow;
use crate::db::DbConnection;
use crate::db::schema::{areas, document_areas};
use crate::text::slug::IdOrSlug;

/// Areas by id, keyset on the id.
pub fn list(
    conn: &mut DbConnection,
    limit: u32,
    offset: i64,
    after_id: Option<i32>,
) -> QueryResult<(Vec<AreaRow>, i64)> {
    let total = areas::table.count().get_result(conn)?;
    let mut query = areas::table
        .order(areas::id)
        .select(AreaRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(after_id) = after_id {
        query = query.filter(areas::id.gt(after_id));
    }
    Ok((query.load(conn)?, total))
}

pub fn find_by_key(conn: &mut DbConnection, key: &IdOrSlug) -> QueryResult<Option<AreaRow>> {
    let query = areas::table.select(AreaRow::as_select()).into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(areas::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(areas::slug.eq(slug.as_str().to_owned())),
    };
    query.first(conn).optional()
}

/// An area and every area under it.
pub fn subtree(conn: &mut DbConnection, root: i32) -> QueryResult<Vec<i32>> {
    let parents: Vec<(i32, Option<i32>)> = areas::table
        .select((areas::id, areas::parent_id))
        .load(conn)?;
    Ok(crate::support::tree::subtree(&parents, root))
}

pub fn existing(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<i32>> {
    areas::table
        .filter(areas::id.eq_any(ids))
        .select(areas::id)
        .load(conn)
}

pub fn slug_taken(conn: &mut DbConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        areas::table.filter(areas::slug.eq(slug)).select(areas::id),
    ))
    .get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    parent_id: Option<i32>,
    slug: &str,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<AreaRow> {
    diesel::insert_into(areas::table)
        .values((
            areas::parent_id.eq(parent_id),
            areas::slug.eq(slug),
            areas::name.eq(name),
            areas::created_at.eq(now),
            areas::updated_at.eq(now),
        ))
        .returning(crate::db::selection::<AreaRow>())
        .get_result(conn)
}

/// Whether anything hangs on the area: subareas or documents.
pub fn in_use(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    let children = diesel::dsl::exists(areas::table.filter(areas::parent_id.eq(id)));
    let documents =
        diesel::dsl::exists(document_areas::table.filter(document_areas::area_id.eq(id)));
    diesel::select(children.or(documents)).get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(areas::table.find(id)).execute(conn)
}

/// The areas of these documents, by document.
pub fn of_documents(
    conn: &mut DbConnection,
    document_ids: &[i32],
) -> QueryResult<Vec<(i32, AreaRow)>> {
    document_areas::table
        .inner_join(areas::table)
        .filter(document_areas::document_id.eq_any(document_ids))
        .order(areas::id)
        .select((document_areas::document_id, AreaRow::as_select()))
        .load(conn)
}

pub fn replace_document_areas(
    conn: &mut DbConnection,
    document_id: i32,
    area_ids: &[i32],
) -> QueryResult<()> {
    diesel::delete(document_areas::table.filter(document_areas::document_id.eq(document_id)))
        .execute(conn)?;
    let rows: Vec<_> = area_ids
        .iter()
        .map(|area_id| {
            (
                document_areas::document_id.eq(document_id),
                document_areas::area_id.eq(area_id),
            )
        })
        .collect();
    crate::db::on_engine!(conn, inner => diesel::insert_into(document_areas::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(inner))
    .map(drop)
}
