//! HTTP handlers for webhooks (admins): subscriptions, their delivery log,
//! a test send.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::delivery::{self, DeliveryPolicy};
use super::destination::{Destination, DestinationError, PrivateNetworks, WebhookUrl};
use super::queries::{self, WebhookChanges};
use super::{DeliveryRow, DeliveryStatus, EventKind, WebhookRow};
use crate::audit::{self, Actor, AuditEvent};
use crate::auth::RequireRole;
use crate::auth::roles::Admin;
use crate::db::Database;
use crate::db::DbConnection;
use crate::error::{ApiError, FieldErrors, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, version_tag};
use crate::timestamps::SiteOffset;

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

/// A subscription (its secret is never sent back).
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct WebhookResponse {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "https://cong.binhdinh.gov.vn/hooks/bulletin")]
    pub url: String,
    #[schema(example = json!(["article.published", "document.created"]))]
    pub events: Vec<EventKind>,
    #[schema(example = true)]
    pub active: bool,
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-11-25T09:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-11-25T09:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
}

impl WebhookResponse {
    fn new(row: WebhookRow, offset: SiteOffset) -> Self {
        Self {
            events: row.event_kinds(),
            id: row.id,
            url: row.url,
            active: row.active,
            version: row.version,
            created_at: offset.show(row.created_at),
            updated_at: offset.show(row.updated_at),
        }
    }
}

/// One delivery of the log.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct DeliveryResponse {
    #[schema(example = 7)]
    pub id: i32,
    #[schema(example = "0b6f1c52-2a4e-4d4e-9a59-62b3a8b1f1f0")]
    pub event_id: String,
    #[schema(example = "article.published")]
    pub event_type: String,
    pub status: DeliveryStatus,
    #[schema(example = 1)]
    pub attempts: i32,
    /// The receiver's last answer, if it answered.
    #[schema(example = 200)]
    pub last_status: Option<i32>,
    #[schema(example = json!(null))]
    pub last_error: Option<String>,
    /// When a pending delivery is tried next.
    #[schema(example = "2026-11-25T09:00:10+07:00")]
    pub next_attempt_at: DateTime<FixedOffset>,
    #[schema(example = "2026-11-25T09:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-11-25T09:00:01+07:00")]
    pub delivered_at: Option<DateTime<FixedOffset>>,
    /// The exact body sent.
    #[schema(
        example = "{\"id\":\"0b6f1c52-…\",\"type\":\"article.published\",\"occurred_at\":\"…\",\"data\":{…}}"
    )]
    pub payload: String,
}

impl DeliveryResponse {
    fn new(row: DeliveryRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            event_id: row.event_id,
            event_type: row.event_type,
            status: row.status,
            attempts: row.attempts,
            last_status: row.last_status,
            last_error: row.last_error,
            next_attempt_at: offset.show(row.next_attempt_at),
            created_at: offset.show(row.created_at),
            delivered_at: row.delivered_at.map(|t| offset.show(t)),
            payload: row.payload,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// Where deliveries are posted (http or https; not a private address
    /// unless the operator allows them).
    #[schema(value_type = WebhookUrl)]
    pub url: String,
    /// The events to send; see the event types.
    #[schema(min_items = 1)]
    pub events: Vec<EventKind>,
    /// Signs every delivery (`X-Bulletin-Signature`).
    #[schema(value_type = WebhookSecret)]
    pub secret: String,
    /// Default true.
    pub active: Option<bool>,
}

/// Only the fields sent change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    #[schema(value_type = Option<WebhookUrl>)]
    pub url: Option<String>,
    #[schema(min_items = 1)]
    pub events: Option<Vec<EventKind>>,
    #[schema(value_type = Option<WebhookSecret>)]
    pub secret: Option<String>,
    pub active: Option<bool>,
}

/// A destination deliveries may reach: checked as written, and on what its
/// host name resolves to now (a name that does not resolve yet is taken,
/// and checked again at each send). One the operator's policy keeps
/// deliveries from (a private network, this host) is a 403: the URL is
/// well formed, the service will not send there.
async fn check_url(
    errors: &mut FieldErrors,
    url: Option<&str>,
    private: PrivateNetworks,
) -> Result<Option<Option<String>>, ApiError> {
    let checked = match url.map(|url| Destination::parse(url, private)).transpose() {
        Ok(Some(destination)) => {
            let resolved = destination.clone();
            match web::block(move || resolved.resolve(private)).await {
                Ok(Err(refused @ DestinationError::Forbidden(_))) => Err(refused),
                _ => Ok(Some(destination.as_str().to_owned())),
            }
        }
        other => other.map(|_| None),
    };
    match checked {
        Err(refused @ (DestinationError::Forbidden(_) | DestinationError::Localhost)) => {
            Err(ApiError::Forbidden(format!("url {refused}")))
        }
        checked => Ok(errors.check("url", checked.map_err(|error| error.to_string()))),
    }
}

fn check_events(errors: &mut FieldErrors, events: Option<&[EventKind]>) -> Option<Option<String>> {
    let parsed = events
        .map(|events| {
            let mut kept: Vec<EventKind> = Vec::new();
            for event in events {
                if !kept.contains(event) {
                    kept.push(*event);
                }
            }
            if kept.is_empty() {
                Err("name at least one event")
            } else {
                Ok(serde_json::to_string(&kept).expect("events serialise"))
            }
        })
        .transpose();
    errors.check("events", parsed)
}

/// What a webhook's secret may be: 16 to 200 characters, no control
/// characters (kept exactly as sent: it signs).
pub struct WebhookSecret;

crate::schema_of!(
    WebhookSecret,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .min_length(Some(16))
        .max_length(Some(200))
        .pattern(Some(format!("^[^{}]*$", crate::text::CONTROL)))
        .build(),
    "một bí mật đủ dài cho chữ ký"
);

fn check_secret(errors: &mut FieldErrors, secret: Option<&str>) -> Option<Option<String>> {
    let parsed = secret
        .map(|secret| {
            let chars = secret.chars().count();
            if (16..=200).contains(&chars) && !secret.chars().any(char::is_control) {
                Ok(secret.to_owned())
            } else {
                Err("must be 16 to 200 characters, without control characters")
            }
        })
        .transpose();
    errors.check("secret", parsed)
}

fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    id: i32,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        action,
        target_type: "webhook",
        target_id: Some(id.to_string()),
        details,
    };
    audit::record(conn, actor, event, crate::timestamps::now())?;
    Ok(())
}

fn not_found(id: i32) -> ApiError {
    ApiError::NotFound(format!("no webhook has the id {id}"))
}

fn answer(
    mut response: actix_web::HttpResponseBuilder,
    row: WebhookRow,
    offset: SiteOffset,
) -> HttpResponse {
    response
        .insert_header(header::ETag(version_tag("webhook", row.id, row.version)))
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
    let mut errors = FieldErrors::default();
    let url = check_url(&mut errors, Some(&request.url), policy.private_networks)
        .await?
        .flatten();
    let events = check_events(&mut errors, Some(&request.events)).flatten();
    let secret = check_secret(&mut errors, Some(&request.secret)).flatten();
    let (Some(url), Some(events), Some(secret)) = (url, events, secret) else {
        return Err(errors.into_error());
    };
    let active = request.active.unwrap_or(true);
    let actor = admin.actor();
    let row = db
        .write(move |conn| {
            let row = queries::insert(
                conn,
                &url,
                &events,
                &secret,
                active,
                crate::timestamps::now(),
            )?;
            record(
                conn,
                &actor,
                "webhook.create",
                row.id,
                json!({"url": row.url}),
            )?;
            Ok::<_, ApiError>(row)
        })
        .await?;
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
        .ok_or_else(|| not_found(id))?;
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
    let id = id.into_inner();
    let mut errors = FieldErrors::default();
    let url = check_url(&mut errors, request.url.as_deref(), policy.private_networks).await?;
    let events = check_events(&mut errors, request.events.as_deref());
    let secret = check_secret(&mut errors, request.secret.as_deref());
    let (Some(url), Some(events), Some(secret)) = (url, events, secret) else {
        return Err(errors.into_error());
    };
    let actor = admin.actor();
    let row = db
        .write(move |conn| {
            let current = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
            precondition.check(&version_tag("webhook", id, current.version))?;
            let changes = WebhookChanges {
                url: url.as_deref(),
                events: events.as_deref(),
                secret: secret.as_deref(),
                active: request.active,
                version: current.version + 1,
                updated_at: crate::timestamps::now(),
            };
            let row = queries::update(conn, id, &changes)?;
            if current.active && !row.active {
                queries::give_up_pending(
                    conn,
                    id,
                    "the subscription was paused before this was sent",
                )?;
            }
            record(
                conn,
                &actor,
                "webhook.update",
                id,
                json!({"url": row.url, "active": row.active}),
            )?;
            Ok::<_, ApiError>(row)
        })
        .await?;
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
    let id = id.into_inner();
    let actor = admin.actor();
    db.write(move |conn| {
        if queries::delete(conn, id)? == 0 {
            return Err(not_found(id));
        }
        record(conn, &actor, "webhook.delete", id, json!({}))
    })
    .await?;
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
        return Err(not_found(id));
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
    let now = crate::timestamps::now();
    let timeout = policy.timeout;
    let (delivery, webhook) = db
        .write(move |conn| {
            let webhook = queries::find(conn, id)?.ok_or_else(|| not_found(id))?;
            if !webhook.active {
                return Err(ApiError::Conflict(format!(
                    "webhook {id} is paused: set `active` to true before sending a test"
                )));
            }
            let event_id = uuid::Uuid::new_v4().to_string();
            let body = json!({
                "id": event_id, "type": "webhook.test",
                "occurred_at": crate::timestamps::utc_rfc3339(now),
                "data": {"webhook_id": id},
            })
            .to_string();
            let delivery = queries::enqueue(
                conn,
                &queries::Enqueued {
                    webhook_id: id,
                    event_id: &event_id,
                    event_type: "webhook.test",
                    payload: &body,
                    created_at: now,
                    // Sent here, now: the background sender must not take it too.
                    not_before: now + chrono::Duration::from_std(timeout * 2).unwrap_or_default(),
                },
            )?;
            Ok::<_, ApiError>((delivery, webhook))
        })
        .await?;
    let delivery_id = delivery.id;
    delivery::send_now(&db, &policy, delivery, webhook).await?;
    let row = db
        .read(move |conn| queries::delivery(conn, delivery_id))
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(HttpResponse::Ok().json(DeliveryResponse::new(row, **offset)))
}
