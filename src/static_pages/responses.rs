//! A page as the API answers it.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::PageRow;
use crate::articles::Showing;

/// A static page: "Giới thiệu", "Liên hệ", "Sơ đồ tổ chức".
#[derive(Debug, Serialize, ToSchema)]
pub struct PageResponse {
    #[schema(example = 1)]
    pub id: i32,
    /// Unique among the pages of its language.
    #[schema(example = "gioi-thieu")]
    pub slug: String,
    #[schema(example = "Giới thiệu")]
    pub title: String,
    /// Sanitised HTML.
    #[schema(example = "<p>Sở Nội vụ tỉnh Bình Định là cơ quan chuyên môn thuộc UBND tỉnh.</p>")]
    pub body_html: String,
    /// The page's language, a BCP 47 tag.
    #[schema(example = "vi")]
    pub lang: String,
    /// Its place in menus: lists are ordered by it, then by id.
    #[schema(example = 1)]
    pub position: i32,
    /// False for a draft, which only editors (and API keys) see.
    #[schema(example = true)]
    pub published: bool,
    /// Increases with every change; the `ETag` is built from it.
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-12-02T09:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-12-02T09:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
    /// This page in the API: by its slug, with `lang` unless it is in the site's language
    /// (`BULLETIN_DEFAULT_LANG`), whose page a bare slug names.
    #[schema(example = "/api/v1/pages/gioi-thieu")]
    pub url: String,
}

impl PageResponse {
    pub fn new(row: PageRow, shown: &Showing) -> Self {
        let url = shown.links.page(&row.slug, &row.lang);
        let offset = shown.offset;
        Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            body_html: row.body_html,
            lang: row.lang,
            position: row.position,
            published: row.published,
            version: row.version,
            created_at: offset.show(row.created_at),
            updated_at: offset.show(row.updated_at),
            url,
        }
    }
}
