//! The HTTP error model: every failure the service can answer with becomes an
//! RFC 9457 `application/problem+json` body here, and nowhere else.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::StoreError;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
// Deserialize: read back only to be put in the reader's language
// (`http::language`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "the request has invalid fields",
    "errors": [{"field": "limit", "message": "must be from 1 to 100"}]
}))]
pub struct Problem {
    /// A URI reference naming the kind of problem; stable, for programs to switch on.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP reason phrase of `status`.
    pub title: String,
    pub status: u16,
    /// What went wrong with this request, for people.
    pub detail: String,
    /// Each invalid field and what is wrong with it (422), each field
    /// naming something that does not exist (404), or each field at odds
    /// with another or with what is stored (409).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

/// One invalid input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field's name as the client sent it (query parameter or JSON member).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Collects the invalid fields of a request, to answer them all at once:
/// fields that break a rule, and fields that name something that does not
/// exist (a 404 when nothing else is wrong, as JSON:API answers).
#[derive(Debug, Default)]
pub struct FieldErrors {
    invalid: Vec<FieldError>,
    missing: Vec<FieldError>,
    contradictions: Vec<FieldError>,
}

impl FieldErrors {
    /// The parsed value, or `None` with the error noted under `field`.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        parsed: Result<T, E>,
    ) -> Option<T> {
        parsed
            .map_err(|error| self.push(field, error.to_string()))
            .ok()
    }

    /// Notes a rule broken across fields (a date before another).
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.invalid.push(FieldError::new(field, message));
    }

    /// Notes a reference to something that does not exist.
    pub fn missing(&mut self, field: &str, message: impl Into<String>) {
        self.missing.push(FieldError::new(field, message));
    }

    /// Notes a field at odds with another (a date before the one it must
    /// follow), or with what is stored: no schema can state that.
    pub fn contradicts(&mut self, field: &str, message: impl Into<String>) {
        self.contradictions.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.invalid.is_empty() && self.missing.is_empty() && self.contradictions.is_empty()
    }

    /// The 422 for everything noted when a field breaks its own rule; else
    /// the 404 when references are missing; else the 409 of the fields at
    /// odds (call when some `check` gave `None`).
    pub fn into_error(mut self) -> ApiError {
        if !self.invalid.is_empty() {
            self.invalid.append(&mut self.missing);
            self.invalid.append(&mut self.contradictions);
            ApiError::Validation(self.invalid)
        } else if !self.missing.is_empty() {
            ApiError::MissingReferences(self.missing)
        } else {
            ApiError::Contradiction(self.contradictions)
        }
    }
}

/// Binds each of `fields` (the `Option`s [`FieldErrors::check`] gave) to
/// its parsed value, or returns the error naming every field that failed.
macro_rules! all_parsed {
    ($errors:expr; $($field:ident),+ $(,)?) => {
        let ($(Some($field),)+) = ($($field,)+) else {
            return Err($errors.into_error());
        };
    };
}
pub(crate) use all_parsed;

/// Why credentials were refused. Each is a problem `type` of its own, so a
/// client knows what to do: refresh, sign in again, or warn of a stolen
/// refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// None were sent where some are needed.
    Missing,
    /// A wrong email or password.
    BadCredentials,
    /// A token or key this service did not issue, or no longer honours.
    InvalidToken,
    /// An access token past its lifetime: refresh it.
    ExpiredToken,
    /// The session went unused past the idle timeout: sign in again.
    IdleSession,
    /// The session was ended (a logout, a new password, an admin, or its
    /// lifetime): sign in again.
    RevokedSession,
    /// A refresh token already spent was presented again: the session is
    /// ended, as the token may have been stolen.
    ReusedRefreshToken,
}

impl AuthFailure {
    /// Every cause, for a test to find each in the document.
    #[cfg(test)]
    pub const ALL: [AuthFailure; 7] = [
        AuthFailure::Missing,
        AuthFailure::BadCredentials,
        AuthFailure::InvalidToken,
        AuthFailure::ExpiredToken,
        AuthFailure::IdleSession,
        AuthFailure::RevokedSession,
        AuthFailure::ReusedRefreshToken,
    ];

    /// The problem `type` of this cause.
    pub fn problem_type(self) -> &'static str {
        match self {
            AuthFailure::Missing => "/problems/unauthorized",
            AuthFailure::BadCredentials => "/problems/bad-credentials",
            AuthFailure::InvalidToken => "/problems/invalid-token",
            AuthFailure::ExpiredToken => "/problems/expired-token",
            AuthFailure::IdleSession => "/problems/idle-session",
            AuthFailure::RevokedSession => "/problems/revoked-session",
            AuthFailure::ReusedRefreshToken => "/problems/reused-refresh-token",
        }
    }

    /// Whether a bearer token was refused (RFC 6750's `invalid_token`).
    fn refuses_a_token(self) -> bool {
        !matches!(self, AuthFailure::Missing | AuthFailure::BadCredentials)
    }
}

/// Everything a handler or middleware can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<Method> },
    /// No credentials, or credentials that do not hold; `cause` says which.
    #[error("unauthorized: {detail}")]
    Unauthorized { detail: String, cause: AuthFailure },
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    #[error("too many requests: retry after {retry_after_seconds} s")]
    TooManyRequests { retry_after_seconds: u64 },
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// The request body stopped coming (`http::body_timeout`).
    #[error("request timeout: {0}")]
    RequestTimeout(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    /// Fields of a valid request that name something that does not exist.
    #[error("missing references: {0:?}")]
    MissingReferences(Vec<FieldError>),
    /// Fields each valid on its own, at odds with each other or with what
    /// is stored.
    #[error("contradiction: {0:?}")]
    Contradiction(Vec<FieldError>),
    /// The database is saturated; the client may retry shortly.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The disk (or the service's file quota) is full: nothing was stored.
    #[error("insufficient storage: {0}")]
    InsufficientStorage(String),
    /// A status produced outside our handlers (a framework or middleware
    /// error with no body of ours), answered in our format. Its explanation
    /// is shown for client errors only.
    #[error("{status}")]
    Framework {
        status: StatusCode,
        detail: Option<String>,
    },
    /// A bug or an outage. The client learns nothing of the cause; the log does.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A request that needs credentials and came without.
    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        ApiError::refused(AuthFailure::Missing, detail)
    }

    /// Credentials refused for `cause`.
    pub fn refused(cause: AuthFailure, detail: impl Into<String>) -> Self {
        ApiError::Unauthorized {
            detail: detail.into(),
            cause,
        }
    }

    /// Credentials that were sent and do not hold.
    pub fn invalid_token(detail: impl Into<String>) -> Self {
        ApiError::refused(AuthFailure::InvalidToken, detail)
    }

    /// A 429 telling the client to wait `wait` (rounded up to whole seconds).
    pub fn retry_after(wait: std::time::Duration) -> Self {
        ApiError::TooManyRequests {
            retry_after_seconds: wait.as_secs_f64().ceil().max(1.0) as u64,
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    /// A 409 naming a field at odds with another or with what is stored.
    pub fn contradiction(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Contradiction(vec![FieldError::new(field, message)])
    }

    /// A 404 for a path naming no resource: no `what` (`article`, `webhook`,
    /// `active API key`) has the id `id`.
    pub fn no_such(what: &str, id: i32) -> Self {
        ApiError::NotFound(format!("no {what} has the id {id}"))
    }

    /// A 404 naming the field that refers to something that does not exist.
    pub fn missing(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::MissingReferences(vec![FieldError::new(field, message)])
    }

    /// The message for the ids of `asked` that `found` lacks (`"no area
    /// has the id 3, 9"`); None when every one was found.
    pub fn none_among(what: &str, asked: &[i32], found: &[i32]) -> Option<String> {
        let absent: Vec<String> = asked
            .iter()
            .filter(|id| !found.contains(id))
            .map(i32::to_string)
            .collect();
        (!absent.is_empty()).then(|| format!("no {what} has the id {}", absent.join(", ")))
    }

    /// The problem `type`, title and detail shown to the client.
    fn describe(&self) -> (&'static str, String) {
        match self {
            ApiError::BadRequest(detail) => ("/problems/bad-request", detail.clone()),
            ApiError::NotFound(detail) => ("/problems/not-found", detail.clone()),
            ApiError::MethodNotAllowed { allow } => (
                "/problems/method-not-allowed",
                format!("this resource supports {}", join_methods(allow)),
            ),
            ApiError::Unauthorized { detail, cause } => (cause.problem_type(), detail.clone()),
            ApiError::Forbidden(detail) => ("/problems/forbidden", detail.clone()),
            ApiError::PreconditionFailed(detail) => {
                ("/problems/precondition-failed", detail.clone())
            }
            ApiError::TooManyRequests {
                retry_after_seconds,
            } => (
                "/problems/too-many-requests",
                format!("too many attempts; retry in {retry_after_seconds} seconds"),
            ),
            ApiError::Conflict(detail) => ("/problems/conflict", detail.clone()),
            ApiError::PayloadTooLarge(detail) => ("/problems/payload-too-large", detail.clone()),
            ApiError::RequestTimeout(detail) => ("/problems/request-timeout", detail.clone()),
            ApiError::UnsupportedMediaType(detail) => {
                ("/problems/unsupported-media-type", detail.clone())
            }
            ApiError::Validation(_) => (
                "/problems/validation",
                "the request has invalid fields".into(),
            ),
            ApiError::MissingReferences(_) => (
                "/problems/not-found",
                "the request refers to something that does not exist".into(),
            ),
            ApiError::Contradiction(_) => (
                "/problems/conflict",
                "fields of the request are at odds with each other or with what is stored".into(),
            ),
            ApiError::Unavailable(_) => (
                "/problems/unavailable",
                "the service is busy; retry in a moment".into(),
            ),
            ApiError::InsufficientStorage(_) => (
                "/problems/insufficient-storage",
                "the server's storage is full: nothing was stored; retry once an operator has made room"
                    .into(),
            ),
            ApiError::Framework { status, detail } => {
                let detail = match detail {
                    Some(detail) if status.is_client_error() => detail.clone(),
                    _ => status.canonical_reason().unwrap_or("error").to_owned(),
                };
                ("about:blank", detail)
            }
            ApiError::Internal(_) => (
                "/problems/internal",
                "an unexpected error occurred; it has been logged".into(),
            ),
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (kind, detail) = self.describe();
        Problem {
            kind: kind.to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors: match self {
                ApiError::Validation(errors)
                | ApiError::MissingReferences(errors)
                | ApiError::Contradiction(errors) => Some(errors.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) | ApiError::MissingReferences(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Conflict(_) | ApiError::Contradiction(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Framework { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "service unavailable"),
            ApiError::InsufficientStorage(cause) => tracing::error!(%cause, "storage full"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        match self {
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, join_methods(allow)));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
            }
            ApiError::Unauthorized { cause, .. } => {
                let challenge = if cause.refuses_a_token() {
                    r#"Bearer realm="bulletin-api", error="invalid_token""#
                } else {
                    r#"Bearer realm="bulletin-api""#
                };
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            ApiError::TooManyRequests {
                retry_after_seconds,
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            // The rest of the body may still come: the connection cannot
            // carry another request.
            ApiError::RequestTimeout(_) => {
                response.force_close();
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

fn join_methods(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::NotFound("no such resource".into()),
            StoreError::UniqueViolation(_) => {
                ApiError::Conflict("a resource with the same unique value already exists".into())
            }
            StoreError::Busy(_) => ApiError::Unavailable(error.to_string()),
            StoreError::Full(_) => ApiError::InsufficientStorage(error.to_string()),
            // Handlers check references before writing; this is the net under them.
            StoreError::ConstraintViolation(_) => ApiError::validation(
                "body",
                "refers to something that does not exist, or breaks a rule of the data",
            ),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// Lets `?` carry a query's error out of a write closure whose error is ours.
impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        StoreError::from(error).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_tell_the_client_nothing_of_the_cause() {
        let problem = ApiError::Internal("disk I/O error at /var/lib/secret.db".into()).problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.contains("secret"));
    }

    #[test]
    fn unique_violations_become_conflicts() {
        let error = ApiError::from(StoreError::UniqueViolation(
            "UNIQUE constraint failed: users.email".into(),
        ));
        assert_eq!(error.status_code(), StatusCode::CONFLICT);
        assert!(!error.problem().detail.contains("users.email"));
    }
}
