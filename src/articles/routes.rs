//! HTTP handlers for articles.

use actix_web::{HttpMessage, HttpRequest, get, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ViewCounter;
use super::queries::{self, ArticleWithContext, ListPosition};
use super::{ArticleKey, ArticleResponse, ArticleSummaryResponse};
use crate::auth::Viewer;
use crate::db::Database;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::http::head::WasHead;
use crate::http::{Page, PageParams, Paging};
use crate::timestamps::SiteOffset;

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_articles).service(get_article);
}

/// List published articles, newest first.
///
/// Page with `limit` plus either `page` or the `next_cursor` of the previous
/// page (keyset paging: stable while articles are published).
#[utoipa::path(
    tag = "articles",
    params(PageParams),
    responses(
        (status = 200, description = "One page of published articles", body = Page<ArticleSummaryResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
async fn list_articles(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    params: web::Query<PageParams>,
) -> Result<web::Json<Page<ArticleSummaryResponse>>, ApiError> {
    let paging = Paging::try_from(params.into_inner())?;
    let after = paging.after::<ListPosition>()?;
    let now = Utc::now().naive_utc();
    let limit = paging.limit;
    let row_offset = paging.offset();
    let (rows, total) = db
        .read(move |conn| queries::list_visible(conn, now, limit, row_offset, after))
        .await?;
    let sort_key = |row: &ArticleWithContext| ListPosition {
        // Visible articles always have a publication time.
        published_at: row.article.published_at.unwrap_or(row.article.created_at),
        id: row.article.id,
    };
    Ok(web::Json(Page::from_rows(
        rows,
        total,
        limit,
        sort_key,
        |row| ArticleSummaryResponse::new(row, **offset, now),
    )))
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
    let key = ArticleKey::parse(&key)?;
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
        ArticleKey::Id(id) => ApiError::NotFound(format!("no published article has the id {id}")),
        ArticleKey::Slug(slug) => {
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
