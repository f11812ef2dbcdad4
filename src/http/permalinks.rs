//! Where a frontend shows each resource: `BULLETIN_ARTICLE_URL`,
//! `BULLETIN_CATEGORY_URL` and `BULLETIN_DOCUMENT_URL`, patterns naming
//! `{slug}` and `{id}` (and `{lang}` if they like). Answers carry them as
//! `url`, so a page links without knowing the frontend's routes; unset,
//! `url` is the API resource.
//!
//! A slug names a resource within its language, and a URL without a
//! language names the site's own (`BULLETIN_DEFAULT_LANG`): a URL of any
//! other that does not name `{lang}` says it in its query, `?lang=en`.

use crate::text::lang::Lang;

/// The page patterns, each `None` for the API resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permalinks {
    pub article: Option<String>,
    pub category: Option<String>,
    pub document: Option<String>,
    /// `BULLETIN_DEFAULT_LANG`: what content is written in unless it says
    /// otherwise, and what a slug names first.
    pub default_lang: Lang,
}

impl Permalinks {
    pub fn article(&self, id: i32, slug: &str, lang: &str) -> String {
        let url = fill(self.article.as_deref(), "/api/v1/articles/{slug}", id, slug);
        self.in_language(url, lang)
    }

    pub fn category(&self, id: i32, slug: &str, lang: &str) -> String {
        let url = fill(
            self.category.as_deref(),
            "/api/v1/categories/{slug}",
            id,
            slug,
        );
        self.in_language(url, lang)
    }

    /// A static page: always the API's (frontends route their own pages).
    pub fn page(&self, slug: &str, lang: &str) -> String {
        self.in_language(format!("/api/v1/pages/{slug}"), lang)
    }

    pub fn document(&self, id: i32) -> String {
        fill(self.document.as_deref(), "/api/v1/documents/{id}", id, "")
    }

    /// `url` of a resource in `lang`: its `{lang}` filled, else `lang` in
    /// its query unless it is the site's own.
    fn in_language(&self, url: String, lang: &str) -> String {
        if url.contains("{lang}") {
            url.replace("{lang}", lang)
        } else if lang == self.default_lang.as_str() {
            url
        } else {
            let joint = if url.contains('?') { '&' } else { '?' };
            format!("{url}{joint}lang={lang}")
        }
    }

    /// These patterns, each overridden by `other`'s where it has one.
    pub fn overridden_by(&self, other: Permalinks) -> Permalinks {
        Permalinks {
            article: other.article.or_else(|| self.article.clone()),
            category: other.category.or_else(|| self.category.clone()),
            document: other.document.or_else(|| self.document.clone()),
            default_lang: self.default_lang.clone(),
        }
    }
}

fn fill(pattern: Option<&str>, api: &str, id: i32, slug: &str) -> String {
    pattern
        .unwrap_or(api)
        .replace("{slug}", slug)
        .replace("{id}", &id.to_string())
}

/// A frontend URL pattern: an absolute http(s) URL naming `{slug}` or `{id}`.
pub fn parse_url_pattern(value: &str) -> Result<String, String> {
    crate::text::parse_http_url(value)?;
    if value.contains("{slug}") || value.contains("{id}") {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` names neither {{slug}} nor {{id}}, so every resource would have one page"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_the_api_resources_unless_a_frontend_pattern_is_set() {
        let api = Permalinks::default();
        assert_eq!(api.article(1, "tin-moi", "vi"), "/api/v1/articles/tin-moi");
        assert_eq!(api.category(2, "cchc", "vi"), "/api/v1/categories/cchc");
        assert_eq!(api.document(3), "/api/v1/documents/3");
        let frontend = Permalinks {
            article: Some("https://sonoivu.gov.vn/tin/{slug}-{id}".into()),
            ..Permalinks::default()
        };
        assert_eq!(
            frontend.article(1, "tin-moi", "vi"),
            "https://sonoivu.gov.vn/tin/tin-moi-1"
        );
    }

    #[test]
    fn a_url_outside_the_site_language_names_its_language() {
        let api = Permalinks::default();
        assert_eq!(
            api.article(1, "news", "en"),
            "/api/v1/articles/news?lang=en"
        );
        assert_eq!(
            api.page("gioi-thieu", "en"),
            "/api/v1/pages/gioi-thieu?lang=en"
        );
        assert_eq!(api.page("gioi-thieu", "vi"), "/api/v1/pages/gioi-thieu");
        assert_eq!(
            api.category(2, "cchc", "vi-VN"),
            "/api/v1/categories/cchc?lang=vi-VN"
        );
        let frontend = Permalinks {
            article: Some("https://a.gov.vn/{lang}/tin/{slug}".into()),
            category: Some("https://a.gov.vn/c?slug={slug}".into()),
            ..Permalinks::default()
        };
        assert_eq!(
            frontend.article(1, "tin", "vi"),
            "https://a.gov.vn/vi/tin/tin"
        );
        assert_eq!(
            frontend.article(1, "news", "en"),
            "https://a.gov.vn/en/tin/news"
        );
        assert_eq!(
            frontend.category(2, "c", "en"),
            "https://a.gov.vn/c?slug=c&lang=en"
        );
        let english_site = Permalinks {
            default_lang: Lang::parse("en").unwrap(),
            ..Permalinks::default()
        };
        assert_eq!(
            english_site.article(1, "news", "en"),
            "/api/v1/articles/news"
        );
        assert_eq!(
            english_site.article(2, "tin", "vi"),
            "/api/v1/articles/tin?lang=vi"
        );
    }

    #[test]
    fn a_legacy_pattern_wins_over_the_page_one() {
        let pages = Permalinks {
            article: Some("https://a.gov.vn/tin/{slug}".into()),
            document: Some("https://a.gov.vn/van-ban/{id}".into()),
            ..Permalinks::default()
        };
        let legacy = Permalinks {
            article: Some("https://a.gov.vn/cu/{id}".into()),
            ..Permalinks::default()
        };
        let targets = pages.overridden_by(legacy);
        assert_eq!(targets.article(5, "x", "vi"), "https://a.gov.vn/cu/5");
        assert_eq!(targets.document(7), "https://a.gov.vn/van-ban/7");
    }

    #[test]
    fn a_pattern_must_be_absolute_and_name_a_placeholder() {
        assert!(parse_url_pattern("https://a.gov.vn/tin/{slug}").is_ok());
        assert!(parse_url_pattern("https://a.gov.vn/tin").is_err());
        assert!(parse_url_pattern("/tin/{slug}").is_err());
    }
}
