//! The audit log: who changed what, when. Every staff write records an entry
//! in the same transaction as the change, so the log and the data cannot
//! disagree.

pub mod queries;
mod responses;
mod routes;

use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::text_enum;
pub use responses::AuditEntryResponse;
pub use routes::configure;

text_enum! {
    /// Who acted: a signed-in account, an API key, or the service itself.
    pub enum ActorKind {
        User = "user",
        ApiKey = "api_key",
        System = "system",
    }
}

/// The author of a write, as the audit log names it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<i32>,
    /// The account's email or the key's name at the time: the log outlives both.
    pub label: String,
    /// The request that made the change, to find it in the logs.
    pub request_id: Option<String>,
}

/// One change to record.
pub struct AuditEvent<'a> {
    /// `resource.verb`, e.g. `user.update`.
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    /// What changed, as a JSON object (never secrets).
    pub details: serde_json::Value,
}

impl<'a> AuditEvent<'a> {
    /// `action` done to the `target_type` with this id.
    pub fn on(action: &'a str, target_type: &'a str, id: i32, details: serde_json::Value) -> Self {
        Self {
            action,
            target_type,
            target_id: Some(id.to_string()),
            details,
        }
    }
}

pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    event: AuditEvent<'_>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    queries::insert(
        conn,
        &queries::NewEntry {
            at,
            actor_kind: actor.kind,
            actor_id: actor.id,
            actor_label: &actor.label,
            action: event.action,
            target_type: event.target_type,
            target_id: event.target_id.as_deref(),
            details: &event.details.to_string(),
            request_id: actor.request_id.as_deref(),
        },
    )
}
