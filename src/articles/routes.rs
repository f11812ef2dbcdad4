//! HTTP handlers for articles.

use actix_web::{get, web};
use chrono::Utc;
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, ListPosition};
use super::{ArticleKey, ArticleResponse, ArticleSummaryResponse};
use crate::db::Database;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::http::{Cursor, Page, PageParams, Paging, Position};
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
    let after = match &paging.position {
        Position::After(cursor) => Some(cursor.decode::<ListPosition>()?),
        Position::First | Position::Page(_) => None,
    };
    let now = Utc::now().naive_utc();
    let limit = paging.limit;
    let row_offset = paging.offset();
    let (mut rows, total) = db
        .read(move |conn| queries::list_visible(conn, now, limit, row_offset, after))
        .await?;

    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().filter(|_| has_more).and_then(|last| {
        let published_at = last.article.published_at?;
        Some(
            Cursor::encode(&ListPosition {
                published_at,
                id: last.article.id,
            })
            .into_string(),
        )
    });
    let items = rows
        .into_iter()
        .map(|row| ArticleSummaryResponse::new(row, **offset, now))
        .collect();
    Ok(web::Json(Page {
        items,
        total,
        next_cursor,
    }))
}

/// Read one published article by id or slug, with the documents it cites.
#[utoipa::path(
    tag = "articles",
    params(("key" = String, Path, description = "The article's numeric id or its slug",
        example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")),
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
    Ok(web::Json(ArticleResponse::new(
        article, documents, **offset, now,
    )))
}
