//! Draft previews: a link that shows an article not yet public to whoever
//! holds it (a reviewer outside the newsroom, the department head on a
//! phone) until it expires or is revoked. Whoever may edit the article
//! makes one; the token is shown once and kept only as its SHA-256. A read
//! through a preview is nobody else's to keep (`private, no-store`) and
//! counts no view.

mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

pub use queries::previewed_article;
pub use routes::configure;
pub use writes::token_hash;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::preview_links;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = preview_links)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct PreviewLinkRow {
    pub id: i32,
    pub article_id: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}
