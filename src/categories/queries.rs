//! SQL for categories.

use diesel::prelude::*;

use super::NewCategory;
use crate::db::schema::categories;

/// Whether there is any category at all.
pub fn any(conn: &mut SqliteConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        categories::table.select(categories::id),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut SqliteConnection, category: &NewCategory<'_>) -> QueryResult<i32> {
    diesel::insert_into(categories::table)
        .values(category)
        .returning(categories::id)
        .get_result(conn)
}
