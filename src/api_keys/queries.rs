//! SQL for API keys.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ApiKeyScope;
use crate::db::DbConnection;
use crate::db::schema::api_keys;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct ApiKeyRow {
    pub id: i32,
    pub name: String,
    pub scope: ApiKeyScope,
    pub prefix: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey<'a> {
    pub name: &'a str,
    pub scope: ApiKeyScope,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, key: &NewApiKey<'_>) -> QueryResult<ApiKeyRow> {
    diesel::insert_into(api_keys::table)
        .values(key)
        .returning(crate::db::selection::<ApiKeyRow>())
        .get_result(conn)
}

pub fn find_active_by_hash(
    conn: &mut DbConnection,
    key_hash: &str,
) -> QueryResult<Option<ApiKeyRow>> {
    api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()
}

/// Newest first, revoked ones included (they show when they were revoked).
pub fn list(
    conn: &mut DbConnection,
    limit: u32,
    offset: i64,
    before_id: Option<i32>,
) -> QueryResult<(Vec<ApiKeyRow>, i64)> {
    let total = api_keys::table.count().get_result(conn)?;
    let mut query = api_keys::table
        .select(ApiKeyRow::as_select())
        .order(api_keys::id.desc())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(before_id) = before_id {
        query = query.filter(api_keys::id.lt(before_id));
    }
    Ok((query.load(conn)?, total))
}

/// Revokes an active key; answers whether there was one.
pub fn revoke(
    conn: &mut DbConnection,
    id: i32,
    now: NaiveDateTime,
) -> QueryResult<Option<ApiKeyRow>> {
    diesel::update(
        api_keys::table
            .find(id)
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(now))
    .returning(crate::db::selection::<ApiKeyRow>())
    .get_result(conn)
    .optional()
}
