//! `/sitemap.xml` and the sitemaps it lists under `/sitemaps/`.

use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, Page};
use super::xml::{News, Sitemap};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::feeds::FeedSite;
use crate::http::permalinks::Permalinks;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(sitemap_index)
        .service(article_sitemap)
        .service(document_sitemap)
        .service(news_sitemap);
}

const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// Pages made at once; the others wait their turn. A full page holds some
/// MiB while it is written.
static RENDERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok().content_type(CONTENT_TYPE).body(body)
}

/// The sitemaps that come in pages.
#[derive(Debug, Clone, Copy)]
enum Listing {
    Articles,
    Documents,
}

impl Listing {
    fn noun(self) -> &'static str {
        match self {
            Listing::Articles => "articles",
            Listing::Documents => "documents",
        }
    }

    /// Where page `number` is served.
    fn path(self, number: usize) -> String {
        format!("/sitemaps/{}-{number}.xml", self.noun())
    }

    fn no_page(self, number: u32) -> ApiError {
        ApiError::NotFound(format!(
            "no sitemap of {} is numbered {number}; /sitemap.xml lists those there are",
            self.noun()
        ))
    }
}

/// The sitemap index: every sitemap of the site, with its newest change.
///
/// Lists `/sitemaps/articles-{page}.xml` for each 50,000 published articles
/// (one at least), `/sitemaps/documents-{page}.xml` likewise for documents,
/// and `/sitemaps/news.xml`. Name it in the frontend's `robots.txt`.
#[utoipa::path(
    tag = "sitemaps",
    responses(
        (status = 200, description = "A sitemaps.org 0.9 sitemap index", content_type = "application/xml",
            body = String, example = json!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n<sitemap><loc>http://127.0.0.1:8080/sitemaps/articles-1.xml</loc><lastmod>2023-01-19T03:03:00Z</lastmod></sitemap>\n…</sitemapindex>\n")),
    )
)]
#[get("/sitemap.xml")]
async fn sitemap_index(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
) -> Result<HttpResponse, ApiError> {
    let now = crate::support::timestamps::now();
    let contents = db.read(move |conn| queries::contents(conn, now)).await?;
    let mut index = Sitemap::index(&site.public_url);
    let paged = [
        (Listing::Articles, &contents.article_pages),
        (Listing::Documents, &contents.document_pages),
    ];
    for (listing, pages) in paged {
        for (at, newest) in pages.iter().enumerate() {
            index.sitemap(&listing.path(at + 1), *newest);
        }
    }
    index.sitemap("/sitemaps/news.xml", contents.news);
    Ok(xml(index.finish()))
}

/// A page of up to 50,000 published articles, by id, with their last change.
///
/// Each URL is the article's frontend page (`BULLETIN_ARTICLE_URL`), or its
/// API resource on `BULLETIN_PUBLIC_URL`. The first page is there even with
/// no article.
#[utoipa::path(
    tag = "sitemaps",
    params(("page" = u32, Path, description = "The page, from 1: `/sitemap.xml` lists those there are", example = 1)),
    responses(
        (status = 200, description = "A sitemaps.org 0.9 sitemap", content_type = "application/xml",
            body = String, example = json!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n<url><loc>http://127.0.0.1:8080/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh</loc><lastmod>2023-01-19T03:03:00Z</lastmod></url>\n</urlset>\n")),
        (status = 404, description = "No such page: 0, or past the last one", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/sitemaps/articles-{page}.xml")]
async fn article_sitemap(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    links: web::Data<Permalinks>,
    page: web::Path<u32>,
) -> Result<HttpResponse, ApiError> {
    paged(db, site, links, Listing::Articles, page.into_inner()).await
}

/// A page of up to 50,000 documents of the registry, by id, with their last change.
///
/// Each URL is the document's frontend page (`BULLETIN_DOCUMENT_URL`), or
/// its API resource on `BULLETIN_PUBLIC_URL`. The first page is there even
/// with no document.
#[utoipa::path(
    tag = "sitemaps",
    params(("page" = u32, Path, description = "The page, from 1: `/sitemap.xml` lists those there are", example = 1)),
    responses(
        (status = 200, description = "A sitemaps.org 0.9 sitemap", content_type = "application/xml",
            body = String, example = json!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n<url><loc>http://127.0.0.1:8080/api/v1/documents/1</loc><lastmod>2026-12-01T01:00:00Z</lastmod></url>\n</urlset>\n")),
        (status = 404, description = "No such page: 0, or past the last one", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/sitemaps/documents-{page}.xml")]
async fn document_sitemap(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    links: web::Data<Permalinks>,
    page: web::Path<u32>,
) -> Result<HttpResponse, ApiError> {
    paged(db, site, links, Listing::Documents, page.into_inner()).await
}

/// Page `number` of `listing`, written a row at a time; a 404 past the last.
async fn paged(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    links: web::Data<Permalinks>,
    listing: Listing,
    number: u32,
) -> Result<HttpResponse, ApiError> {
    let page = Page::new(number).ok_or_else(|| listing.no_page(number))?;
    // The semaphore is never closed, so acquiring only waits.
    let _turn = RENDERS.acquire().await;
    let now = crate::support::timestamps::now();
    let written = db
        .read(move |conn| {
            let mut sitemap = Sitemap::urlset(&site.public_url);
            match listing {
                Listing::Articles => queries::each_article_on_page(conn, now, page, |article| {
                    sitemap.url(
                        &links.article(article.id, &article.slug, &article.lang),
                        article.changed,
                    );
                })?,
                Listing::Documents => queries::each_document_on_page(conn, page, |id, changed| {
                    sitemap.url(&links.document(id), changed);
                })?,
            }
            Ok(kept(sitemap, page))
        })
        .await?;
    written.map(xml).ok_or_else(|| listing.no_page(number))
}

/// The page written, unless it is empty past the first: a page the index
/// does not list.
fn kept(sitemap: Sitemap<'_>, page: Page) -> Option<String> {
    (page.number() == 1 || !sitemap.is_empty()).then(|| sitemap.finish())
}

/// A Google News sitemap: the articles published in the last 48 hours,
/// newest first, at most 1,000.
///
/// Each names the publication (`BULLETIN_SITE_NAME`, in Vietnamese), the
/// article's publication time in UTC and its title.
#[utoipa::path(
    tag = "sitemaps",
    responses(
        (status = 200, description = "A sitemaps.org 0.9 sitemap with Google's news extension", content_type = "application/xml",
            body = String, example = json!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n<url><loc>http://127.0.0.1:8080/api/v1/articles/hoi-nghi-cai-cach-hanh-chinh</loc><news:news><news:publication><news:name>Bản tin</news:name><news:language>vi</news:language></news:publication><news:publication_date>2026-12-01T01:00:00Z</news:publication_date><news:title>Hội nghị cải cách hành chính</news:title></news:news></url>\n</urlset>\n")),
    )
)]
#[get("/sitemaps/news.xml")]
async fn news_sitemap(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    links: web::Data<Permalinks>,
) -> Result<HttpResponse, ApiError> {
    let now = crate::support::timestamps::now();
    let articles = db.read(move |conn| queries::news(conn, now)).await?;
    let mut sitemap = Sitemap::news(&site.public_url);
    for article in &articles {
        let news = News {
            publication: &site.name,
            lang: &article.lang,
            published_at: article.published_at,
            title: &article.title,
        };
        sitemap.news_url(
            &links.article(article.id, &article.slug, &article.lang),
            &news,
        );
    }
    Ok(xml(sitemap.finish()))
}
