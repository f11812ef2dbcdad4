//! `/feeds/articles.{rss,atom,json}`: the latest published articles.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::formats::{self, Channel, Cover, Entry};
use crate::articles::queries::{self, ArticleFilter};
use crate::categories;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::Query;
use crate::support::timestamps::SiteOffset;
use crate::text::lang::{self, Lang};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(rss_feed)
        .service(atom_feed)
        .service(json_feed);
}

/// The portal as feeds name it (`BULLETIN_SITE_NAME`, `BULLETIN_PUBLIC_URL`).
#[derive(Debug, Clone)]
pub struct FeedSite {
    pub name: String,
    pub public_url: String,
    /// `BULLETIN_DEFAULT_LANG`: what a feed is in unless it asks for
    /// another, and the articles whose URLs need no `?lang=`.
    pub lang: Lang,
}

/// What a feed holds.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// Only this category (id or slug) and its subcategories.
    #[param(example = "cai-cach-hanh-chinh", min_length = 1)]
    pub category: Option<String>,
    /// How many of the latest articles, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<i64>,
    /// Only articles in this language, a BCP 47 tag (`vi`, `en`, any case); the feed says it is in
    /// it (else in the site's language).
    #[param(
        max_length = 35,
        pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        example = "vi"
    )]
    pub lang: Option<String>,
}

const DEFAULT_ENTRIES: u32 = 20;
const MAX_ENTRIES: u32 = 100;
/// The most of an article's body an item carries, in characters: a longer
/// body is cut there and ends with a link to the whole article.
pub const MAX_CONTENT_CHARS: u32 = 20_000;
/// Feeds made at once; the others wait their turn. With items capped, each
/// holds a few MiB at most.
static RENDERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// An item's content: the body, or when it was cut at `MAX_CONTENT_CHARS`,
/// its start (cut between words or tags, the elements left open closed by
/// the same sanitiser articles go through) and a link to the whole article.
fn item_content(body_start: String, url: &str) -> String {
    let Some((cut_at, _)) = body_start.char_indices().nth(MAX_CONTENT_CHARS as usize) else {
        return body_start;
    };
    let start = &body_start[..cut_at];
    // Never inside a tag: before a `<` left open.
    let start = match start.rfind('<') {
        Some(open) if !start[open..].contains('>') => &start[..open],
        _ => start,
    };
    // Between two words of the text after the last tag, so no word and no
    // entity (`&amp;`) is split.
    let text_from = start.rfind('>').map_or(0, |close| close + 1);
    let start = match start[text_from..].rfind(char::is_whitespace) {
        Some(space) => &start[..text_from + space],
        None => &start[..text_from],
    };
    format!(
        "{}<p><a href=\"{}\">Đọc tiếp…</a></p>",
        ammonia::clean(start),
        crate::text::escape_html(url)
    )
}

/// The cover a feed carries: the one from the media library, else the
/// image elsewhere.
fn cover_of(
    public_url: &str,
    library: Option<(String, String, i64)>,
    elsewhere: Option<String>,
) -> Option<Cover> {
    match library {
        Some((sha256, content_type, size)) => Some(Cover {
            url: format!(
                "{public_url}{}",
                crate::media::file_url(&sha256, &content_type)
            ),
            file: Some((content_type, size)),
        }),
        None => elsewhere.map(|url| Cover { url, file: None }),
    }
}

/// An article's absolute URL in the API, naming its language unless it is
/// the site's.
fn article_url(site: &FeedSite, slug: &str, lang: &str) -> String {
    let path = format!("{}/api/v1/articles/{slug}", site.public_url);
    if lang == site.lang.as_str() {
        path
    } else {
        format!("{path}?lang={lang}")
    }
}

async fn channel(
    db: &Database,
    site: &FeedSite,
    offset: SiteOffset,
    params: FeedParams,
    feed_path: &str,
) -> Result<Channel, ApiError> {
    let limit = match params.limit {
        None => DEFAULT_ENTRIES,
        Some(limit) => u32::try_from(limit)
            .ok()
            .filter(|limit| (1..=MAX_ENTRIES).contains(limit))
            .ok_or_else(|| {
                ApiError::validation("limit", format!("must be from 1 to {MAX_ENTRIES}"))
            })?,
    };
    let lang = lang::parse_field("lang", params.lang.as_deref())?;
    // What the feed's own URLs repeat of its query.
    let mut asked = Vec::new();
    let mut filter = ArticleFilter::default();
    if let Some(key) = &params.category {
        asked.push(format!("category={key}"));
        let ids = categories::subtree_of(db, key, lang.as_ref(), &site.lang).await?;
        filter.category_ids = Some(ids);
    }
    if let Some(lang) = &lang {
        asked.push(format!("lang={lang}"));
        filter.lang = Some(lang.to_string());
    }
    let query = if asked.is_empty() {
        String::new()
    } else {
        format!("?{}", asked.join("&"))
    };
    let now = crate::support::timestamps::now();
    // One character past the cap tells a cut body from one that fits.
    let (rows, tags) = db
        .read(move |conn| {
            let rows = queries::latest_for_feed(conn, &filter, now, limit, MAX_CONTENT_CHARS + 1)?;
            let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
            Ok((rows, queries::tags_of(conn, &ids)?))
        })
        .await?;
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|article| {
            let published = offset.show(article.published_at.unwrap_or(article.created_at));
            let url = article_url(site, &article.slug, &article.lang);
            Entry {
                id: article.id,
                tags: tags
                    .iter()
                    .filter(|(id, _)| *id == article.id)
                    .map(|(_, tag)| tag.clone())
                    .collect(),
                title: article.title,
                summary: article.summary,
                content_html: item_content(article.body_html_start, &url),
                url,
                byline: article.byline,
                category: article.category,
                updated: offset.show(article.updated_at).max(published),
                published,
                cover: cover_of(
                    &site.public_url,
                    article.cover_media,
                    article.cover_image_url,
                ),
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|entry| entry.updated)
        .max()
        .unwrap_or_else(|| offset.show(now));
    Ok(Channel {
        language: lang.unwrap_or_else(|| site.lang.clone()).to_string(),
        title: site.name.clone(),
        home_url: format!("{}/api/v1/articles{query}", site.public_url),
        feed_url: format!("{}{feed_path}{query}", site.public_url),
        description: format!("Tin mới của {}", site.name),
        updated,
        entries,
    })
}

/// The three formats: where each is served, as what, and how it is written.
#[derive(Debug, Clone, Copy)]
enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    fn path(self) -> &'static str {
        match self {
            Format::Rss => "/feeds/articles.rss",
            Format::Atom => "/feeds/articles.atom",
            Format::Json => "/feeds/articles.json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Json => "application/feed+json; charset=utf-8",
        }
    }

    fn write(self, channel: &Channel) -> String {
        match self {
            Format::Rss => formats::rss(channel),
            Format::Atom => formats::atom(channel),
            Format::Json => formats::json(channel),
        }
    }
}

/// A feed in `format`.
async fn answer(
    db: &Database,
    site: &FeedSite,
    offset: SiteOffset,
    params: FeedParams,
    format: Format,
) -> Result<HttpResponse, ApiError> {
    // The semaphore is never closed, so acquiring only waits.
    let _turn = RENDERS.acquire().await;
    let channel = channel(db, site, offset, params, format.path()).await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .body(format.write(&channel)))
}

/// The latest published articles as RSS 2.0 (with `content:encoded` and `dc:creator`).
///
/// An item carries the article's body up to 20,000 characters; a longer one
/// is cut there and ends with a link to the whole article.
#[utoipa::path(
    tag = "feeds",
    params(FeedParams),
    responses(
        (status = 200, description = "An RSS 2.0 document", content_type = "application/rss+xml",
            body = String, example = json!("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\">…</rss>")),
        (status = 404, description = "No category has the id or slug given as `category`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A limit outside 1 to 100", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/feeds/articles.rss")]
async fn rss_feed(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    offset: web::Data<SiteOffset>,
    params: Query<FeedParams>,
) -> Result<HttpResponse, ApiError> {
    answer(&db, &site, **offset, params.into_inner(), Format::Rss).await
}

/// The latest published articles as an Atom 1.0 feed.
///
/// An item carries the article's body up to 20,000 characters; a longer one
/// is cut there and ends with a link to the whole article.
#[utoipa::path(
    tag = "feeds",
    params(FeedParams),
    responses(
        (status = 200, description = "An Atom 1.0 document", content_type = "application/atom+xml",
            body = String, example = json!("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">…</feed>")),
        (status = 404, description = "No category has the id or slug given as `category`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A limit outside 1 to 100", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/feeds/articles.atom")]
async fn atom_feed(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    offset: web::Data<SiteOffset>,
    params: Query<FeedParams>,
) -> Result<HttpResponse, ApiError> {
    answer(&db, &site, **offset, params.into_inner(), Format::Atom).await
}

/// The latest published articles as a JSON Feed 1.1.
///
/// An item carries the article's body up to 20,000 characters; a longer one
/// is cut there and ends with a link to the whole article.
#[utoipa::path(
    tag = "feeds",
    params(FeedParams),
    responses(
        (status = 200, description = "A JSON Feed 1.1 document", content_type = "application/feed+json",
            body = Object, example = json!({"version": "https://jsonfeed.org/version/1.1", "title": "Bản tin",
                "home_page_url": "http://127.0.0.1:8080/api/v1/articles", "items": []})),
        (status = 404, description = "No category has the id or slug given as `category`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A limit outside 1 to 100", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/feeds/articles.json")]
async fn json_feed(
    db: web::Data<Database>,
    site: web::Data<FeedSite>,
    offset: web::Data<SiteOffset>,
    params: Query<FeedParams>,
) -> Result<HttpResponse, ApiError> {
    answer(&db, &site, **offset, params.into_inner(), Format::Json).await
}
