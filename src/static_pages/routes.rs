//! HTTP handlers for static pages: public reads, editor writes.

use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, Filter, MenuPlace};
use super::{CreatePageRequest, PageResponse, PageRow, UpdatePageRequest, writes};
use crate::articles::Showing;
use crate::auth::roles::Editor;
use crate::auth::{RequireRole, Viewer};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::text::lang::{self, Lang, LangParams};
use crate::text::slug::IdOrSlug;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_pages)
        .service(create_page)
        .service(get_page)
        .service(update_page)
        .service(delete_page);
}

/// Which pages `viewer` reads, in `lang` if given.
fn filter_for(viewer: &Viewer, lang: Option<&Lang>) -> Filter {
    Filter {
        published_only: !viewer.sees_unpublished(),
        lang: lang.map(|lang| lang.as_str().to_owned()),
    }
}

/// A page answered with its ETag.
fn page_response(
    mut response: HttpResponseBuilder,
    page: PageRow,
    shown: &Showing,
) -> HttpResponse {
    response
        .insert_header(header::ETag(page.tag()))
        .json(PageResponse::new(page, shown))
}

/// List pages in menu order (by `position`, then the oldest first).
///
/// Guests see published pages; editors and API keys see drafts too. Page with `limit` plus
/// either `page` or the `next_cursor` of the previous page.
#[utoipa::path(
    tag = "pages",
    params(LangParams, PageParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One page of pages, in menu order", body = Page<PageResponse>),
        (status = 422, description = "Invalid paging parameters, or a `lang` that is no language tag",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pages")]
async fn list_pages(
    viewer: Viewer,
    db: web::Data<Database>,
    shown: Showing,
    params: Query<LangParams>,
    paging: Query<PageParams>,
) -> Result<web::Json<Page<PageResponse>>, ApiError> {
    let lang = params.parse()?;
    let filter = filter_for(&viewer, lang.as_ref());
    let list =
        move |conn: &mut _, limit, skip, after| queries::list(conn, &filter, limit, skip, after);
    let page = Paging::try_from(paging.into_inner())?
        .load(&db, list, MenuPlace::of, |row| {
            PageResponse::new(row, &shown)
        })
        .await?;
    Ok(web::Json(page))
}

/// Read a page by id or slug.
///
/// A slug may name a page in each language: `lang` picks one, and without it the site's language's
/// page comes first (else the oldest). Drafts are found only by editors and API keys.
#[utoipa::path(
    tag = "pages",
    params(
        ("key" = String, Path, description = "The page's id or slug", example = "gioi-thieu"),
        LangParams,
    ),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The page, with its ETag", body = PageResponse),
        (status = 404, description = "No page this reader may see has this id or slug (in `lang`, when sent)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pages/{key}")]
async fn get_page(
    viewer: Viewer,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<String>,
    params: Query<LangParams>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let lang = params.parse()?;
    let not_found = || match &lang {
        Some(lang) => ApiError::NotFound(format!("no page in `{lang}` has the id or slug `{key}`")),
        None => ApiError::NotFound(format!("no page has the id or slug `{key}`")),
    };
    let lookup = IdOrSlug::parse(&key).ok_or_else(not_found)?;
    let filter = filter_for(&viewer, lang.as_ref());
    let candidates = db
        .read(move |conn| queries::named(conn, &lookup, &filter))
        .await?;
    let page = lang::preferred(candidates, &shown.links.default_lang, |page| &page.lang)
        .ok_or_else(not_found)?;
    Ok(page_response(HttpResponse::Ok(), page, &shown))
}

/// Create a page.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "pages",
    request_body(content = CreatePageRequest, example = json!({
        "title": "Giới thiệu",
        "body_html": "<p>Sở Nội vụ tỉnh Bình Định là cơ quan chuyên môn thuộc UBND tỉnh.</p>",
        "position": 1,
        "published": true
    })),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The page; `Location` is its URL", body = PageResponse),
        (status = 409, description = "Another page in this language has the slug sent (or, with none \
            sent, a hundred pages in it have this title)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/pages")]
async fn create_page(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    JsonBody(request): JsonBody<CreatePageRequest>,
) -> Result<HttpResponse, ApiError> {
    let fields = request.parse(&shown.links.default_lang)?;
    let page = writes::create(&db, fields, editor.actor()).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/pages/{}", page.id)));
    Ok(page_response(response, page, &shown))
}

/// Change a page: only the fields sent. Send `If-Match` to be sure no one changed it since you
/// read it.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "pages",
    params(
        ("key" = i32, Path, description = "The page's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdatePageRequest, example = json!({"published": true, "position": 2})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed page", body = PageResponse),
        (status = 404, description = "No page has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another page in its language has the slug", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The page changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/pages/{key}")]
async fn update_page(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    id: web::Path<i32>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdatePageRequest>,
) -> Result<HttpResponse, ApiError> {
    let edit = request.parse()?;
    let page = writes::update(&db, id.into_inner(), edit, precondition, editor.actor()).await?;
    Ok(page_response(HttpResponse::Ok(), page, &shown))
}

/// Delete a page.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "pages",
    params(
        ("key" = i32, Path, description = "The page's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No page has this id", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The page changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/pages/{key}")]
async fn delete_page(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    id: web::Path<i32>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, id.into_inner(), precondition, editor.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}
