//! HTTP handlers for API keys (admins only; keys cannot manage keys).

use actix_web::{HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries;
use super::requests::CreateApiKeyRequest;
use super::responses::{ApiKeyResponse, CreatedApiKeyResponse};
use super::writes;
use crate::auth::RequireRole;
use crate::auth::roles::Admin;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Query};
use crate::identity::DisplayName;
use crate::support::timestamps::SiteOffset;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_api_keys)
        .service(create_api_key)
        .service(revoke_api_key);
}

/// List API keys, newest first, revoked ones included.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "api_keys",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of API keys (never their secrets)", body = Page<ApiKeyResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api-keys")]
async fn list_api_keys(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<ApiKeyResponse>>, ApiError> {
    let page = Paging::try_from(params.into_inner())?
        .load(
            &db,
            queries::list,
            |row| row.id,
            |row| ApiKeyResponse::new(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Create an API key. The answer holds the key itself, this once.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "api_keys",
    request_body(content = CreateApiKeyRequest, example = json!({"name": "Cổng thông tin điện tử tỉnh", "scope": "read"})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The key, with its secret in `key`", body = CreatedApiKeyResponse),
    )
)]
#[post("/api-keys")]
async fn create_api_key(
    admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    JsonBody(request): JsonBody<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = DisplayName::parse(&request.name)
        .map_err(|e| ApiError::validation("name", e.to_string()))?;
    let (row, secret) = writes::create(&db, name, request.scope, admin.actor()).await?;
    Ok(HttpResponse::Created()
        // The secret is in this body: never from a cache.
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(CreatedApiKeyResponse {
            api_key: ApiKeyResponse::new(row, **offset),
            key: secret.plain,
        }))
}

/// Revoke an API key: it stops working at once.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "api_keys",
    params(("id" = i32, Path, description = "The key's id", example = 1)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No active key has this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api-keys/{id}")]
async fn revoke_api_key(
    admin: RequireRole<Admin>,
    db: web::Data<Database>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    writes::revoke(&db, id.into_inner(), admin.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}
