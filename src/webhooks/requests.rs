//! What admins send to subscribe and change webhooks, and its checking.

use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::EventKind;
use super::destination::{Destination, DestinationError, PrivateNetworks, WebhookUrl};
use crate::error::{ApiError, FieldErrors};

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

/// A subscription as stored: its URL checked, its events named once each
/// (as JSON), its secret as sent.
pub struct Subscription {
    pub url: String,
    pub events: String,
    pub secret: String,
    pub active: bool,
}

/// The fields of an update, checked; `None` leaves a field as it is.
pub struct SubscriptionEdit {
    pub url: Option<String>,
    pub events: Option<String>,
    pub secret: Option<String>,
    pub active: Option<bool>,
}

impl CreateWebhookRequest {
    /// The subscription asked for; every field's error reported at once.
    pub async fn parse(self, private: PrivateNetworks) -> Result<Subscription, ApiError> {
        let mut errors = FieldErrors::default();
        let url = check_url(&mut errors, Some(&self.url), private)
            .await?
            .flatten();
        let events = check_events(&mut errors, Some(&self.events)).flatten();
        let secret = check_secret(&mut errors, Some(&self.secret)).flatten();
        match (url, events, secret) {
            (Some(url), Some(events), Some(secret)) => Ok(Subscription {
                url,
                events,
                secret,
                active: self.active.unwrap_or(true),
            }),
            _ => Err(errors.into_error()),
        }
    }
}

impl UpdateWebhookRequest {
    /// The changes asked for; every field's error reported at once.
    pub async fn parse(self, private: PrivateNetworks) -> Result<SubscriptionEdit, ApiError> {
        let mut errors = FieldErrors::default();
        let url = check_url(&mut errors, self.url.as_deref(), private).await?;
        let events = check_events(&mut errors, self.events.as_deref());
        let secret = check_secret(&mut errors, self.secret.as_deref());
        match (url, events, secret) {
            (Some(url), Some(events), Some(secret)) => Ok(SubscriptionEdit {
                url,
                events,
                secret,
                active: self.active,
            }),
            _ => Err(errors.into_error()),
        }
    }
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
