//! Sitemap XML, written into one `String` an entry at a time: a page of
//! 50,000 URLs is one buffer, with no tree of elements built first.

use chrono::NaiveDateTime;

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
/// The namespace of every sitemap and sitemap index, on the root element.
const SITEMAP_NAMESPACE: &str = " xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
/// Google's extension for news, beside it on a news sitemap's root.
const NEWS_NAMESPACE: &str = " xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"";

/// A sitemap, a news sitemap or an index being written.
pub struct Sitemap<'a> {
    out: String,
    /// `BULLETIN_PUBLIC_URL`, before every link that is a path.
    public_url: &'a str,
    root: &'static str,
    entries: usize,
}

/// What a Google News sitemap says of an article beside its URL.
pub struct News<'a> {
    /// The portal's name (`BULLETIN_SITE_NAME`).
    pub publication: &'a str,
    /// The article's language, a BCP 47 tag.
    pub lang: &'a str,
    pub published_at: NaiveDateTime,
    pub title: &'a str,
}

impl<'a> Sitemap<'a> {
    /// A `<sitemapindex>`.
    pub fn index(public_url: &'a str) -> Self {
        Self::open(public_url, "sitemapindex", "")
    }

    /// A `<urlset>` of pages.
    pub fn urlset(public_url: &'a str) -> Self {
        Self::open(public_url, "urlset", "")
    }

    /// A `<urlset>` of news articles.
    pub fn news(public_url: &'a str) -> Self {
        Self::open(public_url, "urlset", NEWS_NAMESPACE)
    }

    fn open(public_url: &'a str, root: &'static str, more_namespaces: &str) -> Self {
        let mut out = String::with_capacity(64 * 1024);
        out.push_str(DECLARATION);
        out.push('<');
        out.push_str(root);
        out.push_str(SITEMAP_NAMESPACE);
        out.push_str(more_namespaces);
        out.push_str(">\n");
        Self {
            out,
            public_url,
            root,
            entries: 0,
        }
    }

    /// A `<sitemap>` of an index: where it is, and its newest change.
    pub fn sitemap(&mut self, link: &str, lastmod: Option<NaiveDateTime>) {
        self.out.push_str("<sitemap>");
        self.loc(link);
        self.lastmod(lastmod);
        self.out.push_str("</sitemap>\n");
        self.entries += 1;
    }

    /// A `<url>`: where the page is, and when it last changed.
    pub fn url(&mut self, link: &str, lastmod: NaiveDateTime) {
        self.out.push_str("<url>");
        self.loc(link);
        self.lastmod(Some(lastmod));
        self.out.push_str("</url>\n");
        self.entries += 1;
    }

    /// A `<url>` of a news sitemap, with its `<news:news>`.
    pub fn news_url(&mut self, link: &str, news: &News<'_>) {
        self.out.push_str("<url>");
        self.loc(link);
        self.out.push_str("<news:news><news:publication>");
        self.element("news:name", news.publication);
        // Google News takes an ISO 639 code: the tag's language subtag.
        let language = news.lang.split('-').next().unwrap_or(news.lang);
        self.element("news:language", language);
        self.out.push_str("</news:publication>");
        self.element(
            "news:publication_date",
            &crate::support::timestamps::utc_rfc3339(news.published_at),
        );
        self.element("news:title", news.title);
        self.out.push_str("</news:news></url>\n");
        self.entries += 1;
    }

    /// Whether no entry was written.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The whole document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</");
        self.out.push_str(self.root);
        self.out.push_str(">\n");
        self.out
    }

    /// `<loc>`: a frontend page as it is, an API path after the site's
    /// public URL (crawlers take absolute URLs only).
    fn loc(&mut self, link: &str) {
        self.out.push_str("<loc>");
        if link.starts_with('/') {
            push_text(&mut self.out, self.public_url);
        }
        push_text(&mut self.out, link);
        self.out.push_str("</loc>");
    }

    /// `<lastmod>` as a W3C datetime in UTC, to the second; nothing for
    /// what never changed (an empty page).
    fn lastmod(&mut self, at: Option<NaiveDateTime>) {
        if let Some(at) = at {
            self.element("lastmod", &crate::support::timestamps::utc_rfc3339(at));
        }
    }

    fn element(&mut self, name: &str, text: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        push_text(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }
}

/// Appends `text` as XML character data: markup characters escaped, and
/// the characters XML 1.0 cannot carry at all (most controls, U+FFFE,
/// U+FFFF) left out, so one odd imported title cannot make a whole sitemap
/// unreadable.
fn push_text(out: &mut String, text: &str) {
    // Copied a run at a time up to each character that needs more (a
    // sitemap page is 50,000 links, nearly all with none).
    let mut rest = text;
    while let Some((at, c)) = rest
        .char_indices()
        .find(|(_, c)| !is_xml_char(*c) || is_markup(*c))
    {
        out.push_str(&rest[..at]);
        if is_xml_char(c) {
            crate::text::push_escaped(out, c);
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
}

/// The characters `push_escaped` writes as entities.
fn is_markup(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'')
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_is_left_out() {
        let mut out = String::new();
        push_text(
            &mut out,
            "Lúa & gạo <2026> \"mới\" 'ngon'\u{1}\u{FFFE}\ttab",
        );
        assert_eq!(
            out,
            "Lúa &amp; gạo &lt;2026&gt; &quot;mới&quot; &#39;ngon&#39;\ttab"
        );
    }

    #[test]
    fn a_path_is_made_absolute_and_a_frontend_page_is_kept() {
        let mut sitemap = Sitemap::urlset("https://a.gov.vn");
        sitemap.url("/api/v1/articles/tin", at("2026-01-02 03:04:05.678901"));
        sitemap.url("https://b.gov.vn/?p=1&s=tin", at("2026-01-02 03:04:05"));
        assert!(!sitemap.is_empty());
        assert_eq!(
            sitemap.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <url><loc>https://a.gov.vn/api/v1/articles/tin</loc><lastmod>2026-01-02T03:04:05Z</lastmod></url>\n\
             <url><loc>https://b.gov.vn/?p=1&amp;s=tin</loc><lastmod>2026-01-02T03:04:05Z</lastmod></url>\n\
             </urlset>\n"
        );
    }

    #[test]
    fn an_index_says_no_lastmod_for_an_empty_page() {
        let mut index = Sitemap::index("http://127.0.0.1:8080");
        index.sitemap("/sitemaps/articles-1.xml", None);
        assert_eq!(
            index.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             <sitemap><loc>http://127.0.0.1:8080/sitemaps/articles-1.xml</loc></sitemap>\n\
             </sitemapindex>\n"
        );
    }

    #[test]
    fn a_news_url_names_the_publication_its_language_date_and_title() {
        let mut news = Sitemap::news("http://127.0.0.1:8080");
        news.news_url(
            "/api/v1/articles/lua-gao",
            &News {
                publication: "Sở & Ban",
                lang: "vi-VN",
                published_at: at("2026-12-01 01:00:00"),
                title: "Lúa & gạo <2026>",
            },
        );
        let xml = news.finish();
        assert!(xml.contains(
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
        ));
        assert!(xml.contains(
            "<url><loc>http://127.0.0.1:8080/api/v1/articles/lua-gao</loc><news:news>\
             <news:publication><news:name>Sở &amp; Ban</news:name>\
             <news:language>vi</news:language></news:publication>\
             <news:publication_date>2026-12-01T01:00:00Z</news:publication_date>\
             <news:title>Lúa &amp; gạo &lt;2026&gt;</news:title></news:news></url>\n"
        ));
    }
}
