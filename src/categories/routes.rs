//! HTTP handlers for categories: public reads, editor writes.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::writes;
use super::{CategoryResponse, CategoryRow, CreateCategoryRequest, UpdateCategoryRequest, queries};
use crate::auth::RequireRole;
use crate::auth::roles::Editor;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::permalinks::Permalinks;
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::support::timestamps::SiteOffset;
use crate::text::lang::LangParams;
use crate::text::slug::IdOrSlug;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_categories)
        .service(create_category)
        .service(get_category)
        .service(update_category)
        .service(delete_category);
}

/// A category answered with its ETag.
fn category_response(
    mut response: actix_web::HttpResponseBuilder,
    category: CategoryRow,
    offset: SiteOffset,
) -> HttpResponse {
    response
        .insert_header(header::ETag(category.tag()))
        .json(CategoryResponse::new(category, offset))
}

/// List categories by id; build the tree from `parent_id`.
#[utoipa::path(
    tag = "categories",
    params(LangParams, PageParams),
    responses(
        (status = 200, description = "One page of categories", body = Page<CategoryResponse>),
        (status = 422, description = "Invalid paging parameters, or a `lang` that is no language tag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
async fn list_categories(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    language: Query<LangParams>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<CategoryResponse>>, ApiError> {
    let lang = language.parse()?;
    let list = move |conn: &mut _, limit, skip, after| {
        queries::list(conn, lang.as_ref(), limit, skip, after)
    };
    let page = Paging::try_from(params.into_inner())?
        .load(
            &db,
            list,
            |row| row.id,
            |row| CategoryResponse::new(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Read a category by id or slug.
#[utoipa::path(
    tag = "categories",
    params(
        ("key" = String, Path, description = "The category's id or slug (in the site's language first, else the oldest)", example = "cai-cach-hanh-chinh"),
        LangParams,
    ),
    responses(
        (status = 200, description = "The category, with its ETag", body = CategoryResponse),
        (status = 404, description = "No category has this id or slug (in `lang`, when sent)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `lang` that is no language tag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories/{key}")]
async fn get_category(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    links: web::Data<Permalinks>,
    key: web::Path<String>,
    language: Query<LangParams>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let not_found = || ApiError::NotFound(format!("no category has the id or slug `{key}`"));
    let lookup = IdOrSlug::parse(&key).ok_or_else(not_found)?;
    let lang = language.parse()?;
    let site_lang = links.default_lang.clone();
    let found = db
        .read(move |conn| queries::find_by_key(conn, &lookup, lang.as_ref(), &site_lang))
        .await?;
    let category = found.ok_or_else(not_found)?;
    Ok(category_response(HttpResponse::Ok(), category, **offset))
}

/// Create a category.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "categories",
    request_body(content = CreateCategoryRequest, example = json!({"name": "Văn thư, lưu trữ", "parent_id": 1})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The category; `Location` is its URL", body = CategoryResponse),
        (status = 404, description = "No category has the id given as `parent_id` (named in `errors`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another category in its language has the slug", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
async fn create_category(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    links: web::Data<Permalinks>,
    JsonBody(request): JsonBody<CreateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let category = writes::create(&db, request, &links.default_lang, editor.actor()).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((
        header::LOCATION,
        format!("/api/v1/categories/{}", category.id),
    ));
    Ok(category_response(response, category, **offset))
}

/// Change a category: only the fields sent. Send `If-Match` to be sure no one
/// changed it since you read it.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "categories",
    params(
        ("key" = i32, Path, description = "The category's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateCategoryRequest, example = json!({"name": "Cải cách hành chính công"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed category", body = CategoryResponse),
        (status = 404, description = "No category has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another category in its language has the slug", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The category changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/categories/{key}")]
async fn update_category(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let category =
        writes::update(&db, id.into_inner(), request, precondition, editor.actor()).await?;
    Ok(category_response(HttpResponse::Ok(), category, **offset))
}

/// Delete an empty category.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "categories",
    params(
        ("key" = i32, Path, description = "The category's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No category has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It still holds subcategories or articles", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The category changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/categories/{key}")]
async fn delete_category(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    id: web::Path<i32>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, id.into_inner(), precondition, editor.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}
