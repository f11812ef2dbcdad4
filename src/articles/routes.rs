//! HTTP handlers for articles.

use std::collections::HashMap;

use actix_web::{HttpMessage, HttpRequest, get, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ViewCounter;
use super::queries::{self, ArticleFilter, ArticleSort, ArticleWithContext, ListPosition};
use super::search::{self, SearchQuery};
use super::{ArticleResponse, ArticleSummaryResponse};
use crate::auth::Viewer;
use crate::categories;
use crate::db::Database;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::http::head::WasHead;
use crate::http::{Page, PageParams, Paging};
use crate::slug::IdOrSlug;
use crate::timestamps::SiteOffset;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_articles).service(get_article);
}

/// What to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// Full-text search over title, summary, body and byline, insensitive to
    /// case and Vietnamese diacritics, đ included (`cai cach hanh chinh`,
    /// `Binh Dinh`). Results come best first (title matches above body
    /// matches), each with a `snippet`.
    #[param(example = "cai cach hanh chinh")]
    pub q: Option<String>,
    /// The order: `-published_at` (default), `published_at`, `-view_count`,
    /// `-rating`, or `relevance` (with `q`, where it is the default).
    pub sort: Option<ArticleSort>,
    /// Only this category (id or slug) and its subcategories.
    #[param(example = "cai-cach-hanh-chinh")]
    pub category: Option<String>,
    /// Only articles written by this staff account (its id).
    #[param(example = 2)]
    pub author: Option<i32>,
    /// Only articles published at or after this time (RFC 3339; write `+` as `%2B`).
    #[param(example = "2023-01-01T00:00:00+07:00")]
    pub published_from: Option<DateTime<FixedOffset>>,
    /// Only articles published before this time (RFC 3339; write `+` as `%2B`).
    #[param(example = "2024-01-01T00:00:00+07:00")]
    pub published_to: Option<DateTime<FixedOffset>>,
}

impl ArticleListParams {
    /// The filter these parameters ask for; a category that does not exist
    /// or a range that ends before it starts is a 422.
    async fn filter(&self, db: &Database) -> Result<ArticleFilter, ApiError> {
        let published_from = self.published_from.map(|t| t.naive_utc());
        let published_to = self.published_to.map(|t| t.naive_utc());
        if let (Some(from), Some(to)) = (published_from, published_to)
            && from >= to
        {
            return Err(ApiError::validation(
                "published_to",
                "must be after published_from",
            ));
        }
        let category_ids = match &self.category {
            None => None,
            Some(key) => {
                let unknown = || {
                    ApiError::validation(
                        "category",
                        format!("no category has the id or slug `{key}`"),
                    )
                };
                let lookup = IdOrSlug::parse(key).ok_or_else(unknown)?;
                let found = db
                    .read(move |conn| {
                        let Some(category) = categories::queries::find_by_key(conn, &lookup)?
                        else {
                            return Ok(None);
                        };
                        categories::queries::subtree(conn, category.id).map(Some)
                    })
                    .await?;
                Some(found.ok_or_else(unknown)?)
            }
        };
        Ok(ArticleFilter {
            category_ids,
            author_id: self.author,
            published_from,
            published_to,
        })
    }
}

/// How deep a search may be paged: beyond, results are not worth ranking.
const MAX_SEARCH_OFFSET: i64 = 10_000;

/// Where a search's next page starts. Searches page by position: a new
/// article may rank anywhere, so there is no stable key to page by.
#[derive(Serialize, Deserialize)]
struct SearchPosition {
    #[serde(rename = "o")]
    offset: i64,
}

/// List published articles: newest first, or best match first with `q`.
///
/// Page with `limit` plus either `page` or the `next_cursor` of the previous
/// page. Without `q` the cursor is a keyset position, stable while articles
/// are published; with `q`, results page by position.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams, PageParams),
    responses(
        (status = 200, description = "One page of published articles", body = Page<ArticleSummaryResponse>),
        (status = 422, description = "Invalid paging parameters, a `q` with no words, an unknown category, \
            or a date range that ends before it starts", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
async fn list_articles(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    filter: web::Query<ArticleListParams>,
    params: web::Query<PageParams>,
) -> Result<web::Json<Page<ArticleSummaryResponse>>, ApiError> {
    let paging = Paging::try_from(params.into_inner())?;
    let now = Utc::now().naive_utc();
    let narrowed = filter.filter(&db).await?;
    let ArticleListParams { q, sort, .. } = filter.into_inner();
    let page = match q.filter(|q| !q.trim().is_empty()) {
        Some(q) => {
            let query = SearchQuery::parse(&q)?;
            let sort = sort.unwrap_or(ArticleSort::Relevance);
            search_articles(&db, query, narrowed, sort, paging, now, **offset).await?
        }
        None if sort == Some(ArticleSort::Relevance) => {
            return Err(ApiError::validation(
                "sort",
                "relevance needs a search: give q",
            ));
        }
        None => {
            let sort = sort.unwrap_or(ArticleSort::NewestFirst);
            listed_articles(&db, narrowed, sort, paging, now, **offset).await?
        }
    };
    Ok(web::Json(page))
}

async fn listed_articles(
    db: &Database,
    filter: ArticleFilter,
    sort: ArticleSort,
    paging: Paging,
    now: NaiveDateTime,
    offset: SiteOffset,
) -> Result<Page<ArticleSummaryResponse>, ApiError> {
    let after = paging.after::<ListPosition>()?;
    if after.is_some_and(|position| position.sort() != sort) {
        return Err(ApiError::validation(
            "cursor",
            "was issued for another sort; start from the first page",
        ));
    }
    let (limit, row_offset) = (paging.limit, paging.offset());
    let (rows, total) = db
        .read(move |conn| queries::list_visible(conn, &filter, sort, now, limit, row_offset, after))
        .await?;
    let sort_key = |row: &ArticleWithContext| ListPosition::after(&row.article, sort);
    Ok(Page::from_rows(rows, total, limit, sort_key, |row| {
        ArticleSummaryResponse::new(row, offset, now)
    }))
}

async fn search_articles(
    db: &Database,
    query: SearchQuery,
    filter: ArticleFilter,
    sort: ArticleSort,
    paging: Paging,
    now: NaiveDateTime,
    offset: SiteOffset,
) -> Result<Page<ArticleSummaryResponse>, ApiError> {
    let start = match paging.after::<SearchPosition>()? {
        Some(position) if (0..=MAX_SEARCH_OFFSET).contains(&position.offset) => position.offset,
        Some(_) => {
            return Err(ApiError::validation(
                "cursor",
                "is not a cursor this list issued",
            ));
        }
        None => paging.offset(),
    };
    let limit = paging.limit;
    let (hits, found, total) = db
        .read(move |conn| {
            let (hits, total) =
                queries::search_visible(conn, query.terms(), &filter, sort, now, limit, start)?;
            let ids: Vec<i32> = hits.iter().map(|hit| hit.id).collect();
            let found = queries::with_context(conn, &ids)?;
            Ok((hits, found, total))
        })
        .await?;
    let mut found: HashMap<i32, ArticleWithContext> =
        found.into_iter().map(|row| (row.article.id, row)).collect();
    let ranked: Vec<_> = hits
        .into_iter()
        .filter_map(|hit| Some((found.remove(&hit.id)?, hit)))
        .collect();
    let next = SearchPosition {
        offset: start + i64::from(limit),
    };
    Ok(Page::from_rows(
        ranked,
        total,
        limit,
        |_| &next,
        |(row, hit)| {
            let snippet = search::snippet(&hit.body_text, &hit.body_marked)
                .or_else(|| search::snippet(&hit.summary, &hit.summary_marked))
                .or_else(|| search::snippet(&hit.title, &hit.title_marked));
            ArticleSummaryResponse {
                snippet,
                ..ArticleSummaryResponse::new(row, offset, now)
            }
        },
    ))
}

/// Read one published article by id or slug, with the documents it cites.
///
/// A read by a guest or a member counts one view; it shows in `view_count`
/// within seconds (views are written in batches).
#[utoipa::path(
    tag = "articles",
    params(("key" = String, Path, description = "The article's numeric id or its slug",
        example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The article", body = ArticleResponse),
        (status = 404, description = "No published article has this id or slug", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}")]
async fn get_article(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    views: web::Data<dyn ViewCounter>,
    viewer: Viewer,
    req: HttpRequest,
    key: web::Path<String>,
) -> Result<web::Json<ArticleResponse>, ApiError> {
    let key = IdOrSlug::parse(&key)
        .ok_or_else(|| ApiError::NotFound(format!("no article has the id or slug `{key}`")))?;
    let now = Utc::now().naive_utc();
    let lookup_key = key.clone();
    let found = db
        .read(move |conn| {
            let Some(article) = queries::find_visible(conn, &lookup_key, now)? else {
                return Ok(None);
            };
            let documents = documents::queries::cited_by_article(conn, article.article.id)?;
            Ok(Some((article, documents)))
        })
        .await?;
    let (article, documents) = found.ok_or_else(|| match key {
        IdOrSlug::Id(id) => ApiError::NotFound(format!("no published article has the id {id}")),
        IdOrSlug::Slug(slug) => {
            ApiError::NotFound(format!("no published article has the slug `{slug}`"))
        }
    })?;
    // Guests' and members' reads count; staff checking, programs and HEAD do not.
    if viewer.is_reader() && req.extensions().get::<WasHead>().is_none() {
        views.record(article.article.id);
    }
    Ok(web::Json(ArticleResponse::new(
        article, documents, **offset, now,
    )))
}
