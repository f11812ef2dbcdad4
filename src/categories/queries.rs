//! SQL for categories.

use diesel::prelude::*;

use super::NewCategory;
use crate::db::schema::categories;

pub fn insert(conn: &mut SqliteConnection, category: &NewCategory<'_>) -> QueryResult<i32> {
    diesel::insert_into(categories::table)
        .values(category)
        .returning(categories::id)
        .get_result(conn)
}
