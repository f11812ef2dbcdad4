//! Areas (lĩnh vực): the fields documents belong to, such as "Cải cách hành
//! chính", as a tree. Editors keep the tree; anyone reads it.

pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use crate::db::DbConnection;
use diesel::prelude::*;

use crate::db::schema::areas;
use crate::error::ApiError;
pub use responses::AreaResponse;
pub use routes::configure;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = areas)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct AreaRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub slug: String,
    pub name: String,
}

/// 422 naming the ids that are not areas.
pub fn check_exist(conn: &mut DbConnection, ids: &[i32]) -> Result<(), ApiError> {
    let found = queries::existing(conn, ids)?;
    match ApiError::none_among("area", ids, &found) {
        Some(message) => Err(ApiError::missing("area_ids", message)),
        None => Ok(()),
    }
}
