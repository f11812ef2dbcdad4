//! SQL for accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::users;
use crate::identity::Role;

/// A row to insert.
#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub display_name: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An account as shown (never its password hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

crate::http::versioned!(UserRow, "user", "account");

/// Changes to an account; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges<'a> {
    pub email: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub role: Option<Role>,
    pub display_name: Option<&'a str>,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

pub fn insert(conn: &mut DbConnection, user: &NewUser<'_>) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(crate::db::selection::<UserRow>())
        .get_result(conn)
}

pub fn any_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::role.eq(role)),
    ))
    .get_result(conn)
}

pub fn count_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(role))
        .count()
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(conn: &mut DbConnection, id: i32, changes: &UserChanges<'_>) -> QueryResult<UserRow> {
    diesel::update(users::table.find(id))
        .set(changes)
        .returning(crate::db::selection::<UserRow>())
        .get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(users::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Which accounts to list.
#[derive(Debug, Default)]
pub struct Filter {
    pub role: Option<Role>,
    /// Part of the email or display name.
    pub q: Option<String>,
}

diesel::define_sql_function! {
    /// SQL's `lower()`, on both engines.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

fn filtered(filter: &Filter) -> users::BoxedQuery<'static, crate::db::Backend> {
    let mut query = users::table.into_boxed();
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(q) = &filter.q {
        // Both sides lower-cased: SQLite's LIKE ignores the case of ASCII
        // letters and PostgreSQL's of none, so neither is left to decide.
        let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
        query = query.filter(
            lower(users::email)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(users::display_name).like(pattern).escape('\\')),
        );
    }
    query
}

/// `%` and `_` in a search are letters, not wildcards.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Oldest first, keyset on the id.
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    limit: u32,
    offset: i64,
    after_id: Option<i32>,
) -> QueryResult<(Vec<UserRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let mut query = filtered(filter)
        .select(UserRow::as_select())
        .order(users::id.asc())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset);
    if let Some(after_id) = after_id {
        query = query.filter(users::id.gt(after_id));
    }
    Ok((query.load(conn)?, total))
}
