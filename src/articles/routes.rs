//! HTTP handlers for articles.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ViewCounter;
use super::editorial::{self, CreateArticleRequest, UpdateArticleRequest, Writer};
use super::queries::{self, ArticleFilter, ArticleSort, ArticleWithContext, ListPosition};
use super::responses::RevisionResponse;
use super::search::{self, SearchQuery};
use super::{ArticleResponse, ArticleSummaryResponse};
use crate::auth::roles::{Author, Editor};
use crate::auth::{Principal, RequireRole, Viewer};
use crate::categories;
use crate::db::Database;
use crate::documents::{self, DocumentRow};
use crate::error::{ApiError, Problem};
use crate::http::head::WasHead;
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition};
use crate::slug::IdOrSlug;
use crate::timestamps::SiteOffset;
use crate::users::Role;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_articles)
        .service(create_article)
        .service(get_article)
        .service(update_article)
        .service(trash_article)
        .service(restore_article)
        .service(list_revisions)
        .service(restore_revision);
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
    let (rows, mut tags, total) = db
        .read(move |conn| {
            let (rows, total) =
                queries::list_visible(conn, &filter, sort, now, limit, row_offset, after)?;
            let ids: Vec<i32> = rows.iter().map(|row| row.article.id).collect();
            Ok((rows, queries::tag_map(conn, &ids)?, total))
        })
        .await?;
    let sort_key = |row: &ArticleWithContext| ListPosition::after(&row.article, sort);
    Ok(Page::from_rows(rows, total, limit, sort_key, |row| {
        let tags = tags.remove(&row.article.id).unwrap_or_default();
        ArticleSummaryResponse::new(row, tags, offset, now)
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
    let (hits, found, mut tags, total) = db
        .read(move |conn| {
            let (hits, total) =
                queries::search_visible(conn, query.terms(), &filter, sort, now, limit, start)?;
            let ids: Vec<i32> = hits.iter().map(|hit| hit.id).collect();
            let found = queries::with_context(conn, &ids)?;
            Ok((hits, found, queries::tag_map(conn, &ids)?, total))
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
            let tags = tags.remove(&row.article.id).unwrap_or_default();
            ArticleSummaryResponse {
                snippet,
                ..ArticleSummaryResponse::new(row, tags, offset, now)
            }
        },
    ))
}

/// Read one article by id or slug, with the documents it cites.
///
/// Guests and members see published articles; authors also their own
/// drafts, editors and API keys any article not in the trash. A read by a
/// guest or a member counts one view; it shows in `view_count` within seconds
/// (views are written in batches).
#[utoipa::path(
    tag = "articles",
    params(("key" = String, Path, description = "The article's numeric id or its slug",
        example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The article", body = ArticleResponse),
        (status = 404, description = "No article this reader may see has this id or slug", body = Problem,
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
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound(format!("no article has the id or slug `{key}`"));
    let lookup = IdOrSlug::parse(&key).ok_or_else(not_found)?;
    let now = Utc::now().naive_utc();
    let scope = staff_scope(&viewer);
    let found = db
        .read(move |conn| {
            let article = match queries::find_visible(conn, &lookup, now)? {
                Some(article) => Some(article),
                None => match scope {
                    Some(owner) => queries::find_for_staff(conn, &lookup, owner)?,
                    None => None,
                },
            };
            article
                .map(|article| full_article(conn, article))
                .transpose()
        })
        .await?;
    let (article, documents, tags) = found.ok_or_else(not_found)?;
    // Guests' and members' reads count; staff checking, programs and HEAD do not.
    if viewer.is_reader() && req.extensions().get::<WasHead>().is_none() {
        views.record(article.article.id);
    }
    let etag = editorial::read_tag(&article.article);
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(etag))
        .json(ArticleResponse::new(
            article, documents, tags, **offset, now,
        )))
}

/// Which unpublished articles a viewer may read: `Some(Some(id))` an
/// author's own, `Some(None)` all (editors, API keys), `None` none.
fn staff_scope(viewer: &Viewer) -> Option<Option<i32>> {
    match &viewer.0 {
        Some(Principal::User(user)) if user.role >= Role::Editor => Some(None),
        Some(Principal::User(user)) if user.role == Role::Author => Some(Some(user.id)),
        Some(Principal::ApiKey(_)) => Some(None),
        _ => None,
    }
}

/// An article with what its full answer shows: cited documents and tags.
fn full_article(
    conn: &mut diesel::SqliteConnection,
    article: ArticleWithContext,
) -> diesel::QueryResult<(ArticleWithContext, Vec<DocumentRow>, Vec<String>)> {
    let id = article.article.id;
    let documents = documents::queries::cited_by_article(conn, id)?;
    let tags = queries::tags_of(conn, &[id])?
        .into_iter()
        .map(|(_, tag)| tag)
        .collect();
    Ok((article, documents, tags))
}

/// The article as its editors now see it, answered with its version tag.
async fn written(
    db: &Database,
    id: i32,
    mut response: actix_web::HttpResponseBuilder,
    offset: SiteOffset,
    now: NaiveDateTime,
) -> Result<HttpResponse, ApiError> {
    let found = db
        .read(move |conn| {
            queries::find_any(conn, id)?
                .map(|article| full_article(conn, article))
                .transpose()
        })
        .await?
        .ok_or_else(|| ApiError::Internal(format!("article {id} vanished after its write")))?;
    let (article, documents, tags) = found;
    response.insert_header(header::ETag(editorial::read_tag(&article.article)));
    Ok(response.json(ArticleResponse::new(article, documents, tags, offset, now)))
}

/// Write an article. Authors write drafts (`draft` or `pending_review`);
/// editors may publish at once or schedule (`published` with a future `published_at`).
///
/// Requires the author role (or a `write` API key, which writes as an editor).
#[utoipa::path(
    tag = "articles",
    request_body(content = CreateArticleRequest, example = json!({
        "title": "Kết quả cải cách hành chính năm 2022",
        "body_html": "<p>Trong năm 2022, công tác cải cách hành chính của tỉnh tiếp tục có nhiều chuyển biến.</p>",
        "byline": "Phòng CCHC-VTLT", "category_id": 1, "tags": ["cải cách hành chính"], "status": "draft"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The article; `Location` is its URL, `ETag` its version", body = ArticleResponse),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/articles")]
async fn create_article(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    JsonBody(request): JsonBody<CreateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let now = Utc::now().naive_utc();
    let id = editorial::create(
        &db,
        Writer::new(&writer.principal, writer.actor()),
        request,
        now,
    )
    .await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/articles/{id}")));
    written(&db, id, response, **offset, now).await
}

/// Change an article: only the fields sent. Send `version` or `If-Match`
/// (the `ETag` of the last write) to be sure no one changed it since.
/// Every content change keeps the previous content as a revision.
///
/// Authors change only their own drafts and submit them (`pending_review`);
/// editors change any article and its status: publish, schedule, unpublish
/// (`draft`), archive. Requires the author role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ("key" = i32, Path, description = "The article's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, description = "The version ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateArticleRequest, example = json!({"status": "published", "version": 1})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed article, with its new version", body = ArticleResponse),
        (status = 404, description = "No article (outside the trash) has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/articles/{key}")]
async fn update_article(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, now) = (id.into_inner(), Utc::now().naive_utc());
    let writer = Writer::new(&writer.principal, writer.actor());
    editorial::update(&db, writer, id, request, precondition, now).await?;
    written(&db, id, HttpResponse::Ok(), **offset, now).await
}

/// Move an article to the trash: it leaves every public read. Editors restore it.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ("key" = i32, Path, description = "The article's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "In the trash"),
        (status = 404, description = "No article (outside the trash) has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/articles/{key}")]
async fn trash_article(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    id: web::Path<i32>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let writer = Writer::new(&editor.principal, editor.actor());
    editorial::trash(
        &db,
        writer,
        id.into_inner(),
        precondition,
        Utc::now().naive_utc(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Take an article out of the trash.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ("id" = i32, Path, description = "The article's id", example = 1),
        ("If-Match" = Option<String>, Header, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The restored article", body = ArticleResponse),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No trashed article has this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/articles/{id}/restore")]
async fn restore_article(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let (id, now) = (id.into_inner(), Utc::now().naive_utc());
    let writer = Writer::new(&editor.principal, editor.actor());
    editorial::restore(&db, writer, id, precondition, now).await?;
    written(&db, id, HttpResponse::Ok(), **offset, now).await
}

/// An article's earlier contents, newest first.
///
/// Requires the author role: authors see their own articles' revisions.
#[utoipa::path(
    tag = "articles",
    params(("id" = i32, Path, description = "The article's id", example = 1), PageParams),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One page of revisions", body = Page<RevisionResponse>),
        (status = 404, description = "No article has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{id}/revisions")]
async fn list_revisions(
    reader: RequireRole<Author>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    params: web::Query<PageParams>,
) -> Result<web::Json<Page<RevisionResponse>>, ApiError> {
    let id = id.into_inner();
    let paging = Paging::try_from(params.into_inner())?;
    let before = paging.after::<i32>()?;
    let (limit, row_offset) = (paging.limit, paging.offset());
    let owner = match &reader.principal {
        Principal::User(user) if user.role == Role::Author => Some(user.id),
        _ => None,
    };
    let found = db
        .read(move |conn| {
            let Some(article) = queries::find_any(conn, id)? else {
                return Ok(None);
            };
            if owner.is_some() && article.article.author_id != owner {
                return Ok(None);
            }
            queries::revisions(conn, id, limit, row_offset, before).map(Some)
        })
        .await?;
    let (rows, total) =
        found.ok_or_else(|| ApiError::NotFound(format!("no article of yours has the id {id}")))?;
    Ok(web::Json(Page::from_rows(
        rows,
        total,
        limit,
        |row| row.version,
        |row| RevisionResponse::new(row, **offset),
    )))
}

/// Put an earlier content back. The content it replaces is kept as a revision.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ("id" = i32, Path, description = "The article's id", example = 1),
        ("version" = i32, Path, description = "The revision's version", example = 2),
        ("If-Match" = Option<String>, Header, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The article with that content, at a new version", body = ArticleResponse),
        (status = 404, description = "No such article or revision", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/articles/{id}/revisions/{version}/restore")]
async fn restore_revision(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    path: web::Path<(i32, i32)>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let ((id, version), now) = (path.into_inner(), Utc::now().naive_utc());
    editorial::restore_revision(
        &db,
        Writer::new(&editor.principal, editor.actor()),
        id,
        version,
        precondition,
        now,
    )
    .await?;
    written(&db, id, HttpResponse::Ok(), **offset, now).await
}
