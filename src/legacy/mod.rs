//! What was moved over from another system (a NukeViet portal): the ids it
//! had, kept so a second import skips what the first one brought, and so the
//! old portal's URLs answer with a permanent redirect to the new resource.

pub mod queries;
mod routes;

use crate::db::text_enum;
pub use routes::configure;

text_enum! {
    /// The system something was imported from.
    pub enum Source {
        Nukeviet = "nukeviet",
    }
}

text_enum! {
    /// What an imported id names.
    pub enum LegacyKind {
        Category = "category",
        Area = "area",
        Document = "document",
        Article = "article",
        Comment = "comment",
    }
}

/// Where old URLs send readers: the API resource by default, or the pages of
/// a frontend (`BULLETIN_LEGACY_ARTICLE_URL` and its siblings), with `{slug}`
/// and `{id}` replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectTargets {
    pub article: Option<String>,
    pub category: Option<String>,
    pub document: Option<String>,
}

impl RedirectTargets {
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
            "`{value}` names neither {{slug}} nor {{id}}, so every old URL would go to one page"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_sources_are_stored_as_they_are_named() {
        crate::db::assert_json_matches_storage(LegacyKind::ALL, |k| k.as_str());
        crate::db::assert_json_matches_storage(Source::ALL, |s| s.as_str());
    }

    #[test]
    fn targets_are_the_api_resources_unless_a_frontend_pattern_is_set() {
        let api = RedirectTargets::default();
        assert_eq!(api.article(1, "tin-moi"), "/api/v1/articles/tin-moi");
        assert_eq!(api.category(2, "cchc"), "/api/v1/categories/cchc");
        assert_eq!(api.document(3), "/api/v1/documents/3");
        let frontend = RedirectTargets {
            article: Some("https://sonoivu.gov.vn/tin/{slug}-{id}".into()),
            ..RedirectTargets::default()
        };
        assert_eq!(
            frontend.article(1, "tin-moi"),
            "https://sonoivu.gov.vn/tin/tin-moi-1"
        );
    }

    #[test]
    fn a_pattern_must_be_absolute_and_name_a_placeholder() {
        assert!(parse_url_pattern("https://a.gov.vn/tin/{slug}").is_ok());
        assert!(parse_url_pattern("https://a.gov.vn/tin").is_err());
        assert!(parse_url_pattern("/tin/{slug}").is_err());
    }
}
