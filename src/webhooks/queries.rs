//! SQL for webhooks and their outbox.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DeliveryRow, DeliveryStatus, WebhookRow};
use crate::db::DbConnection;
use crate::db::schema::{webhook_deliveries, webhooks};

pub fn active(conn: &mut DbConnection) -> QueryResult<Vec<WebhookRow>> {
    crate::db::on_engine!(conn, conn => {
        webhooks::table
            .filter(webhooks::active.eq(true))
            .select(WebhookRow::as_select())
            .load(conn)
    })
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<WebhookRow>> {
    webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()
}

/// Webhooks by id, keyset on the id.
pub fn list(
    conn: &mut DbConnection,
    limit: u32,
    offset: i64,
    after_id: Option<i32>,
) -> QueryResult<(Vec<WebhookRow>, i64)> {
    let total = webhooks::table.count().get_result(conn)?;
    let mut query = webhooks::table
        .order(webhooks::id)
        .select(WebhookRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(after_id) = after_id {
        query = query.filter(webhooks::id.gt(after_id));
    }
    Ok((query.load(conn)?, total))
}

pub fn insert(
    conn: &mut DbConnection,
    url: &str,
    events: &str,
    secret: &str,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<WebhookRow> {
    diesel::insert_into(webhooks::table)
        .values((
            webhooks::url.eq(url),
            webhooks::events.eq(events),
            webhooks::secret.eq(secret),
            webhooks::active.eq(active),
            webhooks::created_at.eq(now),
            webhooks::updated_at.eq(now),
        ))
        .returning(crate::db::selection::<WebhookRow>())
        .get_result(conn)
}

/// Changes to a subscription; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct WebhookChanges<'a> {
    pub url: Option<&'a str>,
    pub events: Option<&'a str>,
    pub secret: Option<&'a str>,
    pub active: Option<bool>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

pub fn update(
    conn: &mut DbConnection,
    id: i32,
    changes: &WebhookChanges<'_>,
) -> QueryResult<WebhookRow> {
    diesel::update(webhooks::table.find(id))
        .set(changes)
        .returning(crate::db::selection::<WebhookRow>())
        .get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(webhooks::table.find(id)).execute(conn)
}

/// A delivery to make: of what, to whom, from when.
pub struct Enqueued<'a> {
    pub webhook_id: i32,
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub payload: &'a str,
    pub created_at: NaiveDateTime,
    /// When the background sender may take it (later for a test send, which
    /// its caller sends itself).
    pub not_before: NaiveDateTime,
}

pub fn enqueue(conn: &mut DbConnection, delivery: &Enqueued<'_>) -> QueryResult<DeliveryRow> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::webhook_id.eq(delivery.webhook_id),
            webhook_deliveries::event_id.eq(delivery.event_id),
            webhook_deliveries::event_type.eq(delivery.event_type),
            webhook_deliveries::payload.eq(delivery.payload),
            webhook_deliveries::status.eq(DeliveryStatus::Pending),
            webhook_deliveries::next_attempt_at.eq(delivery.not_before),
            webhook_deliveries::created_at.eq(delivery.created_at),
        ))
        .returning(crate::db::selection::<DeliveryRow>())
        .get_result(conn)
}

pub fn delivery(conn: &mut DbConnection, id: i32) -> QueryResult<Option<DeliveryRow>> {
    webhook_deliveries::table
        .find(id)
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Claims up to `limit` deliveries that are due: their next attempt moves
/// to `lease_until`, so no other sender takes them while this one tries,
/// and a sender that dies with them leaves them due again when the lease
/// ends. Each is taken by an update that still requires it due, so of
/// nodes reading the same due deliveries at once, one takes each: the
/// others' updates find it leased (PostgreSQL makes a second update of a
/// row wait for the first and test its condition again; SQLite runs one
/// write transaction at a time). Run in the write transaction.
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(DeliveryRow, WebhookRow)>> {
    let due: Vec<(DeliveryRow, WebhookRow)> = webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(webhooks::active.eq(true))
        .order(webhook_deliveries::id)
        .limit(limit)
        .select((DeliveryRow::as_select(), WebhookRow::as_select()))
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for (delivery, webhook) in due {
        let still_due = webhook_deliveries::table
            .find(delivery.id)
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending))
            .filter(webhook_deliveries::next_attempt_at.le(now));
        let taken = diesel::update(still_due)
            .set(webhook_deliveries::next_attempt_at.eq(lease_until))
            .execute(conn)?;
        if taken == 1 {
            claimed.push((delivery, webhook));
        }
    }
    Ok(claimed)
}

/// What one attempt came to.
pub struct Outcome<'a> {
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<&'a str>,
    pub delivered_at: Option<NaiveDateTime>,
}

pub fn record(conn: &mut DbConnection, id: i32, outcome: &Outcome<'_>) -> QueryResult<()> {
    diesel::update(webhook_deliveries::table.find(id))
        .set((
            webhook_deliveries::status.eq(outcome.status),
            webhook_deliveries::attempts.eq(outcome.attempts),
            webhook_deliveries::next_attempt_at.eq(outcome.next_attempt_at),
            webhook_deliveries::last_status.eq(outcome.last_status),
            webhook_deliveries::last_error.eq(outcome.last_error),
            webhook_deliveries::delivered_at.eq(outcome.delivered_at),
        ))
        .execute(conn)
        .map(drop)
}

/// Gives up a paused subscription's pending deliveries: shown failed, with
/// `reason`, rather than left pending for a sender that will never take them.
pub fn give_up_pending(
    conn: &mut DbConnection,
    webhook_id: i32,
    reason: &str,
) -> QueryResult<usize> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending)),
    )
    .set((
        webhook_deliveries::status.eq(DeliveryStatus::Failed),
        webhook_deliveries::last_error.eq(reason),
    ))
    .execute(conn)
}

/// A subscription's deliveries, newest first (keyset on the id).
pub fn deliveries(
    conn: &mut DbConnection,
    webhook_id: i32,
    limit: u32,
    offset: i64,
    before_id: Option<i32>,
) -> QueryResult<(Vec<DeliveryRow>, i64)> {
    let total = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .count()
        .get_result(conn)?;
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .order(webhook_deliveries::id.desc())
        .select(DeliveryRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(before_id) = before_id {
        query = query.filter(webhook_deliveries::id.lt(before_id));
    }
    Ok((query.load(conn)?, total))
}
