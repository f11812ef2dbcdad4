//! SQL for collections and the articles they hold.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::CollectionRow;
use crate::db::DbConnection;
use crate::db::schema::{articles, collection_articles, collections};
use crate::text::slug::IdOrSlug;

/// Collections by id, keyset on the id.
pub fn list(
    conn: &mut DbConnection,
    limit: u32,
    offset: i64,
    after_id: Option<i32>,
) -> QueryResult<(Vec<CollectionRow>, i64)> {
    let total = collections::table.count().get_result(conn)?;
    let mut query = collections::table
        .order(collections::id)
        .select(CollectionRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(after_id) = after_id {
        query = query.filter(collections::id.gt(after_id));
    }
    Ok((query.load(conn)?, total))
}

pub fn find_by_key(conn: &mut DbConnection, key: &IdOrSlug) -> QueryResult<Option<CollectionRow>> {
    let query = collections::table
        .select(CollectionRow::as_select())
        .into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(collections::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(collections::slug.eq(slug.as_str().to_owned())),
    };
    query.first(conn).optional()
}

pub fn slug_taken(conn: &mut DbConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        collections::table
            .filter(collections::slug.eq(slug))
            .select(collections::id),
    ))
    .get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    slug: &str,
    name: &str,
    description: &str,
    now: NaiveDateTime,
) -> QueryResult<CollectionRow> {
    diesel::insert_into(collections::table)
        .values((
            collections::slug.eq(slug),
            collections::name.eq(name),
            collections::description.eq(description),
            collections::created_at.eq(now),
            collections::updated_at.eq(now),
        ))
        .returning(crate::db::selection::<CollectionRow>())
        .get_result(conn)
}

/// What an update sets; the version moves by one.
#[derive(AsChangeset)]
#[diesel(table_name = collections)]
pub struct CollectionChanges<'a> {
    pub slug: Option<&'a str>,
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

pub fn update(
    conn: &mut DbConnection,
    id: i32,
    changes: &CollectionChanges<'_>,
) -> QueryResult<CollectionRow> {
    diesel::update(collections::table.find(id))
        .set(changes)
        .returning(crate::db::selection::<CollectionRow>())
        .get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(collections::table.find(id)).execute(conn)
}

/// The ids of a collection's articles, in its order.
pub fn article_ids(conn: &mut DbConnection, collection_id: i32) -> QueryResult<Vec<i32>> {
    collection_articles::table
        .filter(collection_articles::collection_id.eq(collection_id))
        .order(collection_articles::position)
        .select(collection_articles::article_id)
        .load(conn)
}

/// Puts these articles, and only these, in the collection, in this order.
pub fn replace_articles(
    conn: &mut DbConnection,
    collection_id: i32,
    article_ids: &[i32],
) -> QueryResult<()> {
    diesel::delete(
        collection_articles::table.filter(collection_articles::collection_id.eq(collection_id)),
    )
    .execute(conn)?;
    let rows: Vec<_> = (0..)
        .zip(article_ids)
        .map(|(position, article_id): (i32, &i32)| {
            (
                collection_articles::collection_id.eq(collection_id),
                collection_articles::article_id.eq(*article_id),
                collection_articles::position.eq(position),
            )
        })
        .collect();
    crate::db::on_engine!(conn, inner => diesel::insert_into(collection_articles::table)
        .values(rows)
        .execute(inner))
    .map(drop)
}

/// Which of `ids` are articles (in the trash or not).
pub fn existing_articles(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<i32>> {
    articles::table
        .filter(articles::id.eq_any(ids))
        .select(articles::id)
        .load(conn)
}
