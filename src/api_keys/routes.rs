//! HTTP handlers for API keys (admins only; keys cannot manage keys).

use actix_web::{HttpResponse, delete, get, post, web};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, NewApiKey};
use super::{ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse};
use crate::audit::{self, AuditEvent};
use crate::auth::roles::Admin;
use crate::auth::{OpaqueSecret, RequireRole};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Query};
use crate::timestamps::SiteOffset;
use crate::users::DisplayName;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_api_keys)
        .service(create_api_key)
        .service(revoke_api_key);
}

const KEY_PREFIX: &str = "bak_";
/// Characters of the key shown in lists: the prefix and 8 of the secret.
const SHOWN_CHARS: usize = KEY_PREFIX.len() + 8;

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
    let secret = OpaqueSecret::generate(KEY_PREFIX)
        .map_err(|e| ApiError::Internal(format!("no randomness for an API key: {e}")))?;
    let actor = admin.actor();
    let key_hash = secret.hash.clone();
    let prefix = secret.plain[..SHOWN_CHARS].to_owned();
    let scope = request.scope;
    let row = db
        .write(move |conn| {
            let now = crate::timestamps::now();
            let row = queries::insert(
                conn,
                &NewApiKey {
                    name: name.as_str(),
                    scope,
                    prefix: &prefix,
                    key_hash: &key_hash,
                    created_by: actor.id,
                    created_at: now,
                },
            )?;
            let event = AuditEvent {
                action: "api_key.create",
                target_type: "api_key",
                target_id: Some(row.id.to_string()),
                details: json!({"name": row.name, "scope": row.scope, "prefix": row.prefix}),
            };
            audit::record(conn, &actor, event, now)?;
            Ok::<_, ApiError>(row)
        })
        .await?;
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
    let id = id.into_inner();
    let actor = admin.actor();
    db.write(move |conn| {
        let now = crate::timestamps::now();
        let revoked = queries::revoke(conn, id, now)?
            .ok_or_else(|| ApiError::NotFound(format!("no active API key has the id {id}")))?;
        let event = AuditEvent {
            action: "api_key.revoke",
            target_type: "api_key",
            target_id: Some(id.to_string()),
            details: json!({"name": revoked.name}),
        };
        audit::record(conn, &actor, event, now)?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
