//! A page as the API answers it.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::PageRow;
use crate::lang::Lang;
use crate::timestamps::SiteOffset;

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
    /// This page in the API: by its slug, with `lang` unless it is in the default language
    /// (`vi`), whose page a bare slug names.
    #[schema(example = "/api/v1/pages/gioi-thieu")]
    pub url: String,
}

impl PageResponse {
    pub fn new(row: PageRow, offset: SiteOffset) -> Self {
        let url = url_of(&row.slug, &row.lang);
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

/// Where the API serves the page `slug` in `lang`: a bare slug names the
/// default language's page, so any other says its language (a tag holds
/// only letters, digits and hyphens: nothing to escape).
fn url_of(slug: &str, lang: &str) -> String {
    if lang == Lang::DEFAULT {
        format!("/api/v1/pages/{slug}")
    } else {
        format!("/api/v1/pages/{slug}?lang={lang}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_outside_the_default_language_says_its_language_in_its_url() {
        assert_eq!(url_of("gioi-thieu", "vi"), "/api/v1/pages/gioi-thieu");
        assert_eq!(
            url_of("gioi-thieu", "en"),
            "/api/v1/pages/gioi-thieu?lang=en"
        );
        assert_eq!(
            url_of("gioi-thieu", "vi-VN"),
            "/api/v1/pages/gioi-thieu?lang=vi-VN"
        );
    }
}
