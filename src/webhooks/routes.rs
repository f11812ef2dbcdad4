//! HTTP handlers for webhooks (admins): subscriptions, their delivery log,
//! a test send.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::delivery::{self, DeliveryPolicy};
use super::requests::{CreateWebhookRequest, UpdateWebhookRequest};
use super::responses::{DeliveryResponse, WebhookResponse};
use super::{WebhookRow, queries, writes};
use crate::auth::RequireRole;
use crate::auth::roles::Admin;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::support::timestamps::SiteOffset;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(test_webhook);
}

fn answer(
    mut response: actix_web::HttpResponseBuilder,
    row: WebhookRow,
    offset: SiteOffset,
) -> HttpResponse {
    response
        .insert_header(header::ETag(row.tag()))
        .json(WebhookResponse::new(row, offset))
}

/// List the subscriptions by id.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of subscriptions", body = Page<WebhookResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/webhooks")]
async fn list_webhooks(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    paging: Query<PageParams>,
) -> Result<web::Json<Page<WebhookResponse>>, ApiError> {
    let page = Paging::try_from(paging.into_inner())?
        .load(
            &db,
            queries::list,
            |row| row.id,
            |row| WebhookResponse::new(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Subscribe a URL to events. Deliveries are posted as JSON with
/// `X-Bulletin-Event`, `X-Bulletin-Event-Id` and `X-Bulletin-Signature:
/// t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`;
/// a receiver that does not answer 2xx is retried with exponential backoff.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    request_body(content = CreateWebhookRequest, example = json!({
        "url": "https://cong.binhdinh.gov.vn/hooks/bulletin",
        "events": ["article.published", "document.created"],
        "secret": "một bí mật đủ dài cho chữ ký"})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The subscription; `Location` is its URL", body = WebhookResponse),
        (status = 403, description = "Not an admin, or `url` points where the operator keeps deliveries \
            from (a private network, this host)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
async fn create_webhook(
    admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    policy: web::Data<DeliveryPolicy>,
    JsonBody(request): JsonBody<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let subscription = request.parse(policy.private_networks).await?;
    let row = writes::create(&db, subscription, admin.actor()).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/webhooks/{}", row.id)));
    Ok(answer(response, row, **offset))
}

/// Read a subscription.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = i32, Path, description = "The webhook's id", example = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The subscription, with its ETag", body = WebhookResponse),
        (status = 404, description = "No webhook has this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}")]
async fn get_webhook(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = db
        .read(move |conn| queries::find(conn, id))
        .await?
        .ok_or_else(|| ApiError::no_such("webhook", id))?;
    Ok(answer(HttpResponse::Ok(), row, **offset))
}

/// Change a subscription: only the fields sent. `active: false` pauses it:
/// its pending deliveries are given up (shown `failed` in the log) and
/// none are made until it is active again.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    params(
        ("id" = i32, Path, description = "The webhook's id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateWebhookRequest, example = json!({"active": false})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed subscription", body = WebhookResponse),
        (status = 403, description = "Not an admin, or `url` points where the operator keeps deliveries \
            from (a private network, this host)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No webhook has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "It changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/webhooks/{id}")]
async fn update_webhook(
    admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    precondition: Precondition,
    policy: web::Data<DeliveryPolicy>,
    JsonBody(request): JsonBody<UpdateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let edit = request.parse(policy.private_networks).await?;
    let row = writes::update(&db, id.into_inner(), edit, precondition, admin.actor()).await?;
    Ok(answer(HttpResponse::Ok(), row, **offset))
}

/// Delete a subscription and its delivery log.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = i32, Path, description = "The webhook's id", example = 1)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No webhook has this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/webhooks/{id}")]
async fn delete_webhook(
    admin: RequireRole<Admin>,
    db: web::Data<Database>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, id.into_inner(), admin.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A subscription's deliveries, newest first: what was sent, how often, and
/// what the receiver answered.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = i32, Path, description = "The webhook's id", example = 1), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of deliveries", body = Page<DeliveryResponse>),
        (status = 404, description = "No webhook has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}/deliveries")]
async fn list_deliveries(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    paging: Query<PageParams>,
) -> Result<web::Json<Page<DeliveryResponse>>, ApiError> {
    let id = id.into_inner();
    if db
        .read(move |conn| queries::find(conn, id))
        .await?
        .is_none()
    {
        return Err(ApiError::no_such("webhook", id));
    }
    let page = Paging::try_from(paging.into_inner())?
        .load(
            &db,
            move |conn, limit, row_offset, before| {
                queries::deliveries(conn, id, limit, row_offset, before)
            },
            |row| row.id,
            |row| DeliveryResponse::new(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Send a test event (`webhook.test` in `X-Bulletin-Event`) now, and answer
/// how it went; it stays in the delivery log, retried like any other.
///
/// Requires the admin role.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = i32, Path, description = "The webhook's id", example = 1)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The delivery after its first attempt", body = DeliveryResponse),
        (status = 404, description = "No webhook has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The webhook is paused (`active` is false)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/test")]
async fn test_webhook(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    policy: web::Data<DeliveryPolicy>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (delivery, webhook) = writes::queue_test(&db, id, policy.timeout).await?;
    let delivery_id = delivery.id;
    delivery::send_now(&db, &policy, delivery, webhook).await?;
    let row = db
        .read(move |conn| queries::delivery(conn, delivery_id))
        .await?
        .ok_or_else(|| ApiError::no_such("webhook", id))?;
    Ok(HttpResponse::Ok().json(DeliveryResponse::new(row, **offset)))
}
