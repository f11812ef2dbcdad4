//! Structured logs: one span per request carrying its id, route and client,
//! and one event when it completes.

use std::io::IsTerminal;

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::RootSpanBuilder;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;
use crate::http::route::matched_route;
use crate::http::{ClientAddr, RequestId};

/// Installs the global subscriber; `RUST_LOG` filters (default `info`).
/// Safe to call more than once (tests build many apps): later calls do nothing.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _already_installed = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The root span of every request.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let span = tracing::info_span!(
            "request",
            request_id = Empty,
            method = %request.method(),
            path = %request.path(),
            client = Empty,
            route = Empty,
            status = Empty,
        );
        // Under RUST_LOG=warn the span is off: its id and client are not
        // worth finding (a cache hit's time is counted in microseconds).
        if !span.is_disabled() {
            if let Some(id) = request.extensions().get::<RequestId>() {
                span.record("request_id", id.as_str());
            }
            if let Some(client) = ClientAddr::of(request.request()) {
                span.record("client", tracing::field::display(client.0));
            }
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let status = match outcome {
            Ok(response) => {
                // Under RUST_LOG=warn the span is off: no route to find.
                if let Some(route) = (!span.is_disabled())
                    .then(|| matched_route(response.request()))
                    .flatten()
                {
                    span.record("route", &*route);
                }
                response.status()
            }
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
        span.in_scope(|| {
            if status.is_server_error() {
                tracing::error!("request failed");
            } else {
                tracing::info!("request completed");
            }
        });
    }
}
