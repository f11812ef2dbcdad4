//! The rules of subscriptions, in their transactions: each write audited,
//! a paused subscription's pending deliveries given up, and a test event
//! queued only for an active one.

use std::time::Duration;

use serde_json::json;

use super::queries::{self, WebhookChanges};
use super::requests::{Subscription, SubscriptionEdit};
use super::{DeliveryRow, WebhookRow};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::Database;
use crate::error::ApiError;
use crate::http::Precondition;

/// The target type of the audit log's entries these writes make.
const AUDITED: &str = "webhook";

pub async fn create(
    db: &Database,
    subscription: Subscription,
    actor: Actor,
) -> Result<WebhookRow, ApiError> {
    db.write(move |conn| {
        let Subscription {
            url,
            events,
            secret,
            active,
        } = &subscription;
        let row = queries::insert(
            conn,
            url,
            events,
            secret,
            *active,
            crate::support::timestamps::now(),
        )?;
        audit::record(
            conn,
            &actor,
            AuditEvent::on("webhook.create", AUDITED, row.id, json!({"url": row.url})),
            crate::support::timestamps::now(),
        )?;
        Ok(row)
    })
    .await
}

/// Changes subscription `id` as `edit` says, if `precondition` holds (412
/// otherwise); pausing it gives up its pending deliveries.
pub async fn update(
    db: &Database,
    id: i32,
    edit: SubscriptionEdit,
    precondition: Precondition,
    actor: Actor,
) -> Result<WebhookRow, ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        let changes = WebhookChanges {
            url: edit.url.as_deref(),
            events: edit.events.as_deref(),
            secret: edit.secret.as_deref(),
            active: edit.active,
            version: current.version + 1,
            updated_at: crate::support::timestamps::now(),
        };
        let row = queries::update(conn, id, &changes)?;
        if current.active && !row.active {
            queries::give_up_pending(conn, id, "the subscription was paused before this was sent")?;
        }
        let details = json!({"url": row.url, "active": row.active});
        audit::record(
            conn,
            &actor,
            AuditEvent::on("webhook.update", AUDITED, id, details),
            crate::support::timestamps::now(),
        )?;
        Ok(row)
    })
    .await
}

/// Deletes subscription `id` and its delivery log.
pub async fn delete(db: &Database, id: i32, actor: Actor) -> Result<(), ApiError> {
    db.write(move |conn| {
        if queries::delete(conn, id)? == 0 {
            return Err(ApiError::no_such("webhook", id));
        }
        audit::record(
            conn,
            &actor,
            AuditEvent::on("webhook.delete", AUDITED, id, json!({})),
            crate::support::timestamps::now(),
        )?;
        Ok(())
    })
    .await
}

/// Queues a `webhook.test` delivery for the active subscription `id` (409
/// when paused), held back from the background sender for `2 × timeout`:
/// the caller sends it at once.
pub async fn queue_test(
    db: &Database,
    id: i32,
    timeout: Duration,
) -> Result<(DeliveryRow, WebhookRow), ApiError> {
    let now = crate::support::timestamps::now();
    db.write(move |conn| {
        let webhook = queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("webhook", id))?;
        if !webhook.active {
            return Err(ApiError::Conflict(format!(
                "webhook {id} is paused: set `active` to true before sending a test"
            )));
        }
        let event_id = uuid::Uuid::new_v4().to_string();
        let body = json!({
            "id": event_id, "type": "webhook.test",
            "occurred_at": crate::support::timestamps::utc_rfc3339(now),
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
                // Sent by the caller, now: the background sender must not take it too.
                not_before: now + chrono::Duration::from_std(timeout * 2).unwrap_or_default(),
            },
        )?;
        Ok((delivery, webhook))
    })
    .await
}
