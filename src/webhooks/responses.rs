//! What admins receive for webhooks: subscriptions (never their secrets)
//! and their delivery log.

use chrono::{DateTime, FixedOffset};
use utoipa::ToSchema;

use super::{DeliveryRow, DeliveryStatus, EventKind, WebhookRow};
use crate::support::timestamps::SiteOffset;

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
    pub(super) fn new(row: WebhookRow, offset: SiteOffset) -> Self {
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
    pub(super) fn new(row: DeliveryRow, offset: SiteOffset) -> Self {
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
