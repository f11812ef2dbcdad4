//! What admins receive for the audit log.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::ActorKind;
use super::queries::EntryRow;
use crate::support::timestamps::SiteOffset;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActorResponse {
    pub kind: ActorKind,
    #[schema(example = 1)]
    pub id: Option<i32>,
    /// The account's email or the key's name at the time.
    #[schema(example = "admin@sonoivu.binhdinh.gov.vn")]
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditTargetResponse {
    #[serde(rename = "type")]
    #[schema(example = "user")]
    pub kind: String,
    #[schema(example = "2")]
    pub id: Option<String>,
}

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 42,
    "at": "2026-11-24T10:00:00+07:00",
    "actor": {"kind": "user", "id": 1, "label": "admin@sonoivu.binhdinh.gov.vn"},
    "action": "user.update",
    "target": {"type": "user", "id": "2"},
    "details": {"changed": ["role"], "role": {"from": "author", "to": "editor"}},
    "request_id": "3f1c8a4e-5b6d-4c1a-9e2f-7a8b9c0d1e2f"
}))]
pub struct AuditEntryResponse {
    #[schema(example = 42)]
    pub id: i32,
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub at: DateTime<FixedOffset>,
    pub actor: AuditActorResponse,
    /// `resource.verb`: `user.create`, `user.update`, `user.delete`,
    /// `api_key.create`, `api_key.revoke`, …
    #[schema(example = "user.update")]
    pub action: String,
    pub target: AuditTargetResponse,
    /// What changed.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The request that made the change (`X-Request-Id`), to find it in the logs.
    #[schema(example = "3f1c8a4e-5b6d-4c1a-9e2f-7a8b9c0d1e2f")]
    pub request_id: Option<String>,
}

impl AuditEntryResponse {
    pub fn new(row: EntryRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            at: offset.show(row.at),
            actor: AuditActorResponse {
                kind: row.actor_kind,
                id: row.actor_id,
                label: row.actor_label,
            },
            action: row.action,
            target: AuditTargetResponse {
                kind: row.target_type,
                id: row.target_id,
            },
            details: serde_json::from_str(&row.details).unwrap_or(serde_json::Value::Null),
            request_id: row.request_id,
        }
    }
}
