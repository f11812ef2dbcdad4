//! Where a frontend shows each resource: `BULLETIN_ARTICLE_URL`,
//! `BULLETIN_CATEGORY_URL` and `BULLETIN_DOCUMENT_URL`, patterns naming
//! `{slug}` and `{id}`. Answers carry them as `url`, so a page links
//! without knowing the frontend's routes; unset, `url` is the API resource.

/// The page patterns, each `None` for the API resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permalinks {
    pub article: Option<String>,
    pub category: Option<String>,
    pub document: Option<String>,
}

impl Permalinks {
    pub fn article(&self, id: i32, slug: &str) -> String {
        fill(self.article.as_deref(), "/api/v1/articles/{slug}", id, slug)
    }

    pub fn category(&self, id: i32, slug: &str) -> String {
        fill(
            self.category.as_deref(),
            "/api/v1/categories/{slug}",
            id,
            slug,
        )
    }

    pub fn document(&self, id: i32) -> String {
        fill(self.document.as_deref(), "/api/v1/documents/{id}", id, "")
    }

    /// These patterns, each overridden by `other`'s where it has one.
    pub fn overridden_by(&self, other: Permalinks) -> Permalinks {
        Permalinks {
            article: other.article.or_else(|| self.article.clone()),
            category: other.category.or_else(|| self.category.clone()),
            document: other.document.or_else(|| self.document.clone()),
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
        assert_eq!(api.article(1, "tin-moi"), "/api/v1/articles/tin-moi");
        assert_eq!(api.category(2, "cchc"), "/api/v1/categories/cchc");
        assert_eq!(api.document(3), "/api/v1/documents/3");
        let frontend = Permalinks {
            article: Some("https://sonoivu.gov.vn/tin/{slug}-{id}".into()),
            ..Permalinks::default()
        };
        assert_eq!(
            frontend.article(1, "tin-moi"),
            "https://sonoivu.gov.vn/tin/tin-moi-1"
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
        assert_eq!(targets.article(5, "x"), "https://a.gov.vn/cu/5");
        assert_eq!(targets.document(7), "https://a.gov.vn/van-ban/7");
    }

    #[test]
    fn a_pattern_must_be_absolute_and_name_a_placeholder() {
        assert!(parse_url_pattern("https://a.gov.vn/tin/{slug}").is_ok());
        assert!(parse_url_pattern("https://a.gov.vn/tin").is_err());
        assert!(parse_url_pattern("/tin/{slug}").is_err());
    }
}
