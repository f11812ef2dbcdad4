//! Collections: the home page's blocks ("Tin nổi bật", "Chỉ đạo điều
//! hành"), each an ordered list of articles editors choose, as NukeViet's
//! block categories are. Guests read them with the articles embedded, only
//! the public ones shown; an article not yet public keeps its place and
//! shows once it is.

mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::collections;
pub use responses::{CollectionResponse, CollectionSummary};
pub use routes::configure;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = collections)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct CollectionRow {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::http::versioned!(CollectionRow, "collection");
