//! SQL for sessions and their refresh tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{refresh_tokens, sessions, users};
use crate::identity::{Email, Role};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct SessionRow {
    pub id: i32,
    pub user_id: i32,
    pub last_used_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// The account a session belongs to, as authorisation needs it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct SessionUserRow {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// What a login checks.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct Credentials {
    pub id: i32,
    pub password_hash: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct RefreshTokenRow {
    pub id: i32,
    pub session_id: i32,
    pub used_at: Option<NaiveDateTime>,
}

pub fn find_with_user(
    conn: &mut DbConnection,
    session_id: i32,
    user_id: i32,
) -> QueryResult<Option<(SessionRow, SessionUserRow)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .select((SessionRow::as_select(), SessionUserRow::as_select()))
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    user_id: i32,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .returning(sessions::id)
        .get_result(conn)
}

/// Deletes an account's sessions that can no longer be used (with their
/// refresh tokens), so they do not pile up.
pub fn delete_ended(
    conn: &mut DbConnection,
    user_id: i32,
    idle_cutoff: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(
                sessions::revoked_at
                    .is_not_null()
                    .or(sessions::expires_at.le(now))
                    .or(sessions::last_used_at.le(idle_cutoff)),
            ),
    )
    .execute(conn)
}

pub fn touch(conn: &mut DbConnection, session_id: i32, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_used_at.eq(now))
        .execute(conn)
        .map(drop)
}

pub fn revoke(
    conn: &mut DbConnection,
    session_id: i32,
    now: NaiveDateTime,
    reason: &str,
) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .map(drop)
}

/// Ends every session of an account (password changed, account deleted).
pub fn revoke_all_of_user(
    conn: &mut DbConnection,
    user_id: i32,
    now: NaiveDateTime,
    reason: &str,
) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .map(drop)
}

pub fn insert_refresh_token(
    conn: &mut DbConnection,
    session_id: i32,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<(RefreshTokenRow, SessionRow)>> {
    refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((RefreshTokenRow::as_select(), SessionRow::as_select()))
        .first(conn)
        .optional()
}

pub fn mark_refresh_token_used(
    conn: &mut DbConnection,
    token_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(refresh_tokens::table.find(token_id))
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)
        .map(drop)
}

/// The account a login names, by its email.
pub fn find_credentials(
    conn: &mut DbConnection,
    email: &Email,
) -> QueryResult<Option<Credentials>> {
    users::table
        .filter(users::email.eq(email.as_str()))
        .select(Credentials::as_select())
        .first(conn)
        .optional()
}
