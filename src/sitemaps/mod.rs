//! Sitemaps for search engines (sitemaps.org 0.9): an index at
//! `/sitemap.xml` naming pages of at most 50,000 visible articles and of
//! documents, by id, and a Google News sitemap of the articles published in
//! the last 48 hours. Links are the frontend's pages (`BULLETIN_ARTICLE_URL`,
//! `BULLETIN_DOCUMENT_URL`), or the API resources on `BULLETIN_PUBLIC_URL`.

pub mod queries;
mod routes;
mod xml;

pub use queries::PER_PAGE;
pub use routes::configure;

/// Whether `path` is a sitemap's: a public read, kept by caches and refusing
/// unknown query parameters as the API's and the feeds' are.
pub fn is_sitemap(path: &str) -> bool {
    path == "/sitemap.xml" || path.starts_with("/sitemaps/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_and_its_pages_are_sitemaps_and_nothing_else_is() {
        assert!(is_sitemap("/sitemap.xml"));
        assert!(is_sitemap("/sitemaps/articles-1.xml"));
        assert!(is_sitemap("/sitemaps/news.xml"));
        assert!(!is_sitemap("/sitemap.xml.gz"));
        assert!(!is_sitemap("/sitemaps"));
        assert!(!is_sitemap("/api/v1/articles"));
    }
}
