//! HTTP handlers for collections: public reads, editor writes.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::requests::{CollectionArticleIds, CreateCollectionRequest, UpdateCollectionRequest};
use super::writes;
use super::{CollectionResponse, CollectionRow, CollectionSummary, queries};
use crate::articles::Showing;
use crate::articles::listing::items_in_order;
use crate::auth::roles::Editor;
use crate::auth::{RequireRole, Viewer};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::etag::tagged_json;
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::text::slug::IdOrSlug;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_collections)
        .service(create_collection)
        .service(get_collection)
        .service(update_collection)
        .service(delete_collection)
        .service(put_collection_articles);
}

/// A collection with its articles (those `unpublished` says), answered with
/// its ETag.
async fn answer(
    db: &Database,
    collection: CollectionRow,
    article_ids: Option<Vec<i32>>,
    unpublished: bool,
    shown: Showing,
    response: actix_web::HttpResponseBuilder,
) -> Result<HttpResponse, ApiError> {
    let now = crate::support::timestamps::now();
    let (id, offset, links) = (collection.id, shown.offset, shown.clone());
    let articles = db
        .read(move |conn| {
            let ids = match article_ids {
                Some(ids) => ids,
                None => queries::article_ids(conn, id)?,
            };
            let shown_to = |article: &crate::articles::model::ArticleRow| {
                article.is_public(now) || (unpublished && article.deleted_at.is_none())
            };
            items_in_order(conn, &ids, shown_to, now, &links)
        })
        .await?;
    let version = collection.tag();
    let body = CollectionResponse {
        collection: CollectionSummary::new(collection, offset),
        articles,
    };
    tagged_json(response, &version, &body)
}

/// List the collections by id (without their articles).
#[utoipa::path(
    tag = "collections",
    params(PageParams),
    responses(
        (status = 200, description = "One page of collections", body = Page<CollectionSummary>),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/collections")]
async fn list_collections(
    db: web::Data<Database>,
    shown: Showing,
    params: Query<PageParams>,
) -> Result<web::Json<Page<CollectionSummary>>, ApiError> {
    let offset = shown.offset;
    let page = Paging::try_from(params.into_inner())?
        .load(
            &db,
            queries::list,
            |row| row.id,
            |row| CollectionSummary::new(row, offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Read a collection by id or slug, with its articles in order.
///
/// Guests see the public articles; editors and API keys every one not in
/// the trash, each with its `status`, so they can arrange articles ahead of
/// their publication.
#[utoipa::path(
    tag = "collections",
    params(("key" = String, Path, description = "The collection's id or slug", example = "tin-noi-bat")),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The collection and its articles, with its ETag", body = CollectionResponse),
        (status = 404, description = "No collection has this id or slug", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/collections/{key}")]
async fn get_collection(
    viewer: Viewer,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let not_found = || ApiError::NotFound(format!("no collection has the id or slug `{key}`"));
    let lookup = IdOrSlug::parse(&key).ok_or_else(not_found)?;
    let collection = db
        .read(move |conn| queries::find_by_key(conn, &lookup))
        .await?
        .ok_or_else(not_found)?;
    let unpublished = viewer.sees_unpublished();
    answer(
        &db,
        collection,
        None,
        unpublished,
        shown,
        HttpResponse::Ok(),
    )
    .await
}

/// Create a collection (it holds no article yet).
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "collections",
    request_body(content = CreateCollectionRequest, example = json!({"name": "Tin nổi bật"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The collection; `Location` is its URL", body = CollectionResponse),
        (status = 409, description = "The slug is taken", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/collections")]
async fn create_collection(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    JsonBody(request): JsonBody<CreateCollectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let collection = writes::create(&db, request, editor.actor()).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((
        header::LOCATION,
        format!("/api/v1/collections/{}", collection.id),
    ));
    answer(&db, collection, Some(Vec::new()), true, shown, response).await
}

/// Change a collection's heading: only the fields sent. Send `If-Match` to
/// be sure no one changed it since you read it.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "collections",
    params(
        ("key" = i32, Path, description = "The collection's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateCollectionRequest, example = json!({"name": "Tin tiêu điểm"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed collection", body = CollectionResponse),
        (status = 404, description = "No collection has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The collection changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/collections/{key}")]
async fn update_collection(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    id: web::Path<i32>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateCollectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let collection =
        writes::update(&db, id.into_inner(), request, precondition, editor.actor()).await?;
    answer(&db, collection, None, true, shown, HttpResponse::Ok()).await
}

/// Delete a collection (its articles stay as they are).
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "collections",
    params(
        ("key" = i32, Path, description = "The collection's numeric id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No collection has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The collection changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/collections/{key}")]
async fn delete_collection(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    id: web::Path<i32>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, id.into_inner(), precondition, editor.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set a collection's articles and their order: the ids, first shown
/// first, each once, at most 100. An article not yet public keeps its
/// place and shows to guests once it is; one moved to the trash is hidden
/// until it is restored.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "collections",
    params(
        ("key" = String, Path, description = "The collection's id or slug", example = "tin-noi-bat"),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = CollectionArticleIds, description = "Article ids, in order (at most 100, each once)",
        example = json!([12, 7, 3])),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The collection with its articles, as editors see it", body = CollectionResponse),
        (status = 404, description = "No collection has this id or slug, or an id is no article's (named in `errors`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The collection changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "More than 100 ids, or one listed twice", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[put("/collections/{key}/articles")]
async fn put_collection_articles(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<String>,
    precondition: Precondition,
    JsonBody(ids): JsonBody<Vec<i32>>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let lookup = IdOrSlug::parse(&key)
        .ok_or_else(|| ApiError::NotFound(format!("no collection has the id or slug `{key}`")))?;
    let (collection, ids) =
        writes::set_articles(&db, lookup, ids, precondition, editor.actor()).await?;
    answer(&db, collection, Some(ids), true, shown, HttpResponse::Ok()).await
}
