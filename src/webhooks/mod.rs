//! Webhooks: integrators subscribe a URL to events; each event is written
//! to an outbox in the transaction of the change it reports, then delivered,
//! signed, with retries, by a background sender (see `delivery`).

pub mod delivery;
pub mod destination;
pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{webhook_deliveries, webhooks};
use crate::db::text_enum;
pub use routes::configure;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum EventKind {
    #[serde(rename = "article.created")]
    ArticleCreated,
    #[serde(rename = "article.updated")]
    ArticleUpdated,
    /// Published now (a scheduled article is reported when it is scheduled).
    #[serde(rename = "article.published")]
    ArticlePublished,
    /// Moved to the trash.
    #[serde(rename = "article.deleted")]
    ArticleDeleted,
    #[serde(rename = "document.created")]
    DocumentCreated,
    #[serde(rename = "document.updated")]
    DocumentUpdated,
    #[serde(rename = "document.deleted")]
    DocumentDeleted,
    #[serde(rename = "comment.created")]
    CommentCreated,
    #[serde(rename = "comment.moderated")]
    CommentModerated,
    #[serde(rename = "rating.created")]
    RatingCreated,
    #[serde(rename = "collection.created")]
    CollectionCreated,
    /// Its heading, or its articles and their order.
    #[serde(rename = "collection.updated")]
    CollectionUpdated,
    #[serde(rename = "collection.deleted")]
    CollectionDeleted,
}

impl EventKind {
    pub const ALL: &'static [EventKind] = &[
        EventKind::ArticleCreated,
        EventKind::ArticleUpdated,
        EventKind::ArticlePublished,
        EventKind::ArticleDeleted,
        EventKind::DocumentCreated,
        EventKind::DocumentUpdated,
        EventKind::DocumentDeleted,
        EventKind::CommentCreated,
        EventKind::CommentModerated,
        EventKind::RatingCreated,
        EventKind::CollectionCreated,
        EventKind::CollectionUpdated,
        EventKind::CollectionDeleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ArticleCreated => "article.created",
            EventKind::ArticleUpdated => "article.updated",
            EventKind::ArticlePublished => "article.published",
            EventKind::ArticleDeleted => "article.deleted",
            EventKind::DocumentCreated => "document.created",
            EventKind::DocumentUpdated => "document.updated",
            EventKind::DocumentDeleted => "document.deleted",
            EventKind::CommentCreated => "comment.created",
            EventKind::CommentModerated => "comment.moderated",
            EventKind::RatingCreated => "rating.created",
            EventKind::CollectionCreated => "collection.created",
            EventKind::CollectionUpdated => "collection.updated",
            EventKind::CollectionDeleted => "collection.deleted",
        }
    }
}

text_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Not yet delivered; tried again at `next_attempt_at`.
        Pending = "pending",
        Delivered = "delivered",
        /// Given up after the last retry.
        Failed = "failed",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct WebhookRow {
    pub id: i32,
    pub url: String,
    /// A JSON array of event types.
    pub events: String,
    pub secret: String,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::http::versioned!(WebhookRow, "webhook");

impl WebhookRow {
    pub fn event_kinds(&self) -> Vec<EventKind> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct DeliveryRow {
    pub id: i32,
    pub webhook_id: i32,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// The body every delivery sends.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPayload {
    /// Unique per event; the same in every subscription's delivery (and in
    /// `X-Bulletin-Event-Id`), so a receiver can drop repeats.
    #[schema(example = "0b6f1c52-2a4e-4d4e-9a59-62b3a8b1f1f0")]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    #[schema(example = "2026-11-25T02:00:00Z")]
    pub occurred_at: String,
    /// The resource: its id, the fields that identify it, and `path`, its
    /// URL under the API's base.
    #[schema(value_type = Object, example = json!({"id": 2, "slug": "hoi-nghi-cai-cach-hanh-chinh",
        "title": "Hội nghị cải cách hành chính", "status": "published", "path": "/api/v1/articles/2"}))]
    pub data: serde_json::Value,
}

/// Records `kind` for every active subscription to it, in the caller's
/// transaction: the event is delivered if and only if the change commits.
pub fn emit(
    conn: &mut DbConnection,
    kind: EventKind,
    data: serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let subscribers: Vec<i32> = queries::active(conn)?
        .into_iter()
        .filter(|webhook| webhook.event_kinds().contains(&kind))
        .map(|webhook| webhook.id)
        .collect();
    if subscribers.is_empty() {
        return Ok(());
    }
    let payload = EventPayload {
        id: uuid::Uuid::new_v4().to_string(),
        kind,
        occurred_at: crate::support::timestamps::utc_rfc3339(now),
        data,
    };
    let body = serde_json::to_string(&payload).expect("an event serialises");
    for webhook_id in subscribers {
        let delivery = queries::Enqueued {
            webhook_id,
            event_id: &payload.id,
            event_type: kind.as_str(),
            payload: &body,
            created_at: now,
            not_before: now,
        };
        queries::enqueue(conn, &delivery)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_sent_as_listed() {
        for kind in EventKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.as_str())
            );
        }
        crate::db::assert_json_matches_storage(DeliveryStatus::ALL, |s| s.as_str());
    }
}
