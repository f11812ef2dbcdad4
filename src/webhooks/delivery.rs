//! Sending the outbox: due deliveries are claimed, posted signed, and
//! recorded; a failure is retried later with exponential backoff, up to a
//! cap, then given up (and shown so in the delivery log).

use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::destination::{Destination, DestinationError, PrivateNetworks};
use super::queries::{self, Outcome};
use super::{DeliveryRow, DeliveryStatus, WebhookRow};
use crate::db::{Database, StoreError};

pub const SIGNATURE_HEADER: &str = "X-Bulletin-Signature";

/// How the outbox is sent.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryPolicy {
    /// How often the outbox is looked at.
    pub poll: Duration,
    /// How long a receiver may take to answer.
    pub timeout: Duration,
    /// How many attempts before giving up.
    pub max_attempts: i32,
    /// The wait after the first failure; each next one doubles, up to `max_retry`.
    pub first_retry: Duration,
    pub max_retry: Duration,
    /// Whether deliveries may reach private networks and this host.
    pub private_networks: PrivateNetworks,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
            max_attempts: 8,
            first_retry: Duration::from_secs(10),
            max_retry: Duration::from_secs(3600),
            private_networks: PrivateNetworks::default(),
        }
    }
}

impl DeliveryPolicy {
    /// The wait before the next attempt after `failures` failed ones.
    pub fn backoff(&self, failures: i32) -> Duration {
        let doublings = u32::try_from(failures.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.first_retry
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.max_retry)
    }
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`:
/// the receiver recomputes it, and refuses old timestamps (replays).
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// How many deliveries one pass sends at once.
const BATCH: i64 = 16;

/// Posts one delivery to the address its destination resolves to now;
/// answers the receiver's status, or a short class of why there was none
/// (never the system's message, which would make the delivery log a port
/// scanner of the networks the server sees).
async fn post(
    client: &awc::Client,
    delivery: &DeliveryRow,
    webhook: &WebhookRow,
    policy: &DeliveryPolicy,
) -> Result<u16, String> {
    let private = policy.private_networks;
    let destination = Destination::parse(&webhook.url, private)
        .map_err(|_| "the destination is not allowed".to_owned())?;
    // An address needs no lookup; a name is resolved off the executor.
    let resolved = if destination.is_address() {
        destination.resolve(private)
    } else {
        let checked = destination.clone();
        let lookup = actix_web::web::block(move || checked.resolve(private));
        actix_web::rt::time::timeout(policy.timeout, lookup)
            .await
            .map_err(|_| "the host name did not resolve in time".to_owned())?
            .map_err(|_| "the destination could not be resolved".to_owned())?
    };
    let address = resolved.map_err(|error| match error {
        DestinationError::Unresolved => "the host name does not resolve".to_owned(),
        _ => "the destination is not allowed".to_owned(),
    })?;
    let timestamp = Utc::now().timestamp();
    let response = client
        .post(destination.as_str())
        .address(address)
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("User-Agent", "bulletin-api webhooks"))
        .insert_header(("X-Bulletin-Event", delivery.event_type.as_str()))
        .insert_header(("X-Bulletin-Event-Id", delivery.event_id.as_str()))
        .insert_header((
            SIGNATURE_HEADER,
            signature(&webhook.secret, timestamp, &delivery.payload),
        ))
        .send_body(delivery.payload.clone())
        .await
        .map_err(|error| failure_class(&error).to_owned())?;
    Ok(response.status().as_u16())
}

/// What the delivery log says of a request that got no answer.
fn failure_class(error: &awc::error::SendRequestError) -> &'static str {
    use awc::error::{ConnectError, SendRequestError};
    match error {
        SendRequestError::Timeout | SendRequestError::Connect(ConnectError::Timeout) => {
            "the receiver did not answer in time"
        }
        SendRequestError::Connect(_) => "the connection was refused or failed (TLS included)",
        _ => "the connection failed during the request",
    }
}

/// The client deliveries go out with: it follows no redirect (a receiver
/// could send deliveries on to an address they may not reach).
pub fn client(policy: &DeliveryPolicy) -> awc::Client {
    awc::Client::builder()
        .timeout(policy.timeout)
        .disable_redirects()
        .finish()
}

/// What an attempt's result makes of a delivery.
fn outcome<'a>(
    policy: &DeliveryPolicy,
    delivery: &DeliveryRow,
    result: &'a Result<u16, String>,
    now: NaiveDateTime,
) -> Outcome<'a> {
    let attempts = delivery.attempts + 1;
    let delivered = matches!(result, Ok(status) if (200..300).contains(status));
    let (status, next_attempt_at) = if delivered {
        (DeliveryStatus::Delivered, now)
    } else if attempts >= policy.max_attempts {
        (DeliveryStatus::Failed, now)
    } else {
        let wait = chrono::Duration::from_std(policy.backoff(attempts)).unwrap_or_default();
        (DeliveryStatus::Pending, now + wait)
    };
    Outcome {
        status,
        attempts,
        next_attempt_at,
        last_status: result.as_ref().ok().map(|status| i32::from(*status)),
        last_error: match result {
            Ok(status) if !delivered => Some("the receiver did not answer 2xx"),
            Ok(_) => None,
            Err(error) => Some(error.as_str()),
        },
        delivered_at: delivered.then_some(now),
    }
}

/// Sends what is due, once; answers how many deliveries it tried.
pub async fn send_due(
    db: &Database,
    client: &awc::Client,
    policy: &DeliveryPolicy,
) -> Result<usize, StoreError> {
    let now = crate::support::timestamps::now();
    let lease = now + chrono::Duration::from_std(policy.timeout * 2).unwrap_or_default();
    // The outbox is no public resource: its writes leave cached answers be.
    let due = db
        .write_quietly(move |conn| {
            queries::claim_due(conn, now, lease, BATCH).map_err(StoreError::from)
        })
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let results = futures_util::future::join_all(
        due.iter()
            .map(|(delivery, webhook)| post(client, delivery, webhook, policy)),
    )
    .await;
    let tried = due.len();
    let policy = *policy;
    db.write_quietly(move |conn| {
        let now = crate::support::timestamps::now();
        for ((delivery, _), result) in due.iter().zip(&results) {
            queries::record(conn, delivery.id, &outcome(&policy, delivery, result, now))?;
        }
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(tried)
}

/// Sends the outbox every `policy.poll` until told to stop.
pub async fn run(
    db: Database,
    policy: DeliveryPolicy,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let client = client(&policy);
    let mut ticks = actix_web::rt::time::interval(policy.poll);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = &mut stop => return,
        }
        match send_due(&db, &client, &policy).await {
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "could not send webhooks; they stay in the outbox")
            }
        }
    }
}

/// Sends one delivery now (a test send), whatever its schedule.
pub async fn send_now(
    db: &Database,
    policy: &DeliveryPolicy,
    delivery: DeliveryRow,
    webhook: WebhookRow,
) -> Result<(), StoreError> {
    let result = post(&client(policy), &delivery, &webhook, policy).await;
    let policy = *policy;
    db.write_quietly(move |conn| {
        let now = crate::support::timestamps::now();
        queries::record(
            conn,
            delivery.id,
            &outcome(&policy, &delivery, &result, now),
        )
        .map_err(StoreError::from)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_cap() {
        let policy = DeliveryPolicy::default();
        assert_eq!(policy.backoff(1), Duration::from_secs(10));
        assert_eq!(policy.backoff(2), Duration::from_secs(20));
        assert_eq!(policy.backoff(4), Duration::from_secs(80));
        assert_eq!(policy.backoff(20), Duration::from_secs(3600));
    }

    #[test]
    fn the_signature_is_an_hmac_of_the_timestamp_and_body() {
        // Computed apart, with Python's hmac module.
        assert_eq!(
            signature("bí mật", 1_700_000_000, "{\"a\":1}"),
            "t=1700000000,v1=278f8e88995891a36d7612c5e9598a048120ea4512073ff8bf9167a347ec11e1"
        );
    }
}
