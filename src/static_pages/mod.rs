//! Static pages (NukeViet's "page" module): "Giới thiệu", "Liên hệ", "Sơ đồ
//! tổ chức". Each is written in one language and named by a slug unique
//! within it, so a portal in two languages keeps one address per page in
//! each; menus list them by `position`. Guests read the published ones;
//! editors (and API keys, which act as editors) write them and read the
//! unpublished ones too.

mod editing;
pub mod queries;
mod requests;
mod responses;
mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::pages;
use crate::lang::Lang;

pub use requests::{CreatePageRequest, UpdatePageRequest};
pub use responses::PageResponse;
pub use routes::configure;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pages)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct PageRow {
    pub id: i32,
    /// A [`Lang`] as it spells itself.
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

/// Of the pages a slug names (one a language, oldest first), the one in
/// the default language, else the oldest: what a link without `lang` means.
pub fn preferred(mut candidates: Vec<PageRow>) -> Option<PageRow> {
    let at = candidates
        .iter()
        .position(|page| page.lang == Lang::DEFAULT)
        .unwrap_or(0);
    (at < candidates.len()).then(|| candidates.swap_remove(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: i32, lang: &str) -> PageRow {
        let now = crate::timestamps::now();
        PageRow {
            id,
            lang: lang.into(),
            slug: "gioi-thieu".into(),
            title: "Giới thiệu".into(),
            body_html: String::new(),
            position: 0,
            published: true,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_bare_slug_names_the_vietnamese_page_first_else_the_oldest() {
        let both = vec![page(1, "en"), page(2, "vi"), page(3, "fr")];
        assert_eq!(preferred(both).map(|p| p.id), Some(2));
        let foreign = vec![page(4, "en"), page(5, "fr")];
        assert_eq!(preferred(foreign).map(|p| p.id), Some(4));
        assert!(preferred(Vec::new()).is_none());
    }
}
