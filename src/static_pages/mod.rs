//! Static pages (NukeViet's "page" module): "Giới thiệu", "Liên hệ", "Sơ đồ
//! tổ chức". Each is written in one language and named by a slug unique
//! within it, so a portal in two languages keeps one address per page in
//! each; menus list them by `position`. Guests read the published ones;
//! editors (and API keys, which act as editors) write them and read the
//! unpublished ones too.

pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::pages;

pub use requests::{CreatePageRequest, UpdatePageRequest};
pub use responses::PageResponse;
pub use routes::configure;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pages)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct PageRow {
    pub id: i32,
    /// A [`crate::text::lang::Lang`] as it spells itself.
    pub lang: String,
    pub slug: String,
    pub title: String,
    /// Sanitised when written ([`crate::articles::content::SafeHtml`]).
    pub body_html: String,
    pub position: i32,
    pub published: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::http::versioned!(PageRow, "page");
