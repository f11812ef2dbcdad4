//! HTTP handlers for sessions: login, refresh, logout, and who am I.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::AccessTokens;
use super::principal::SignedIn;
use super::refresh_cookie;
use super::sessions::{self, IssuedTokens, SessionPolicy};
use crate::db::Database;
use crate::error::{ApiError, AuthFailure, Problem};
use crate::http::{ClientAddr, JsonBody};
use crate::identity::{Email, Role};
use crate::limits::logins::{LoginThrottle, ThrottleKey};
use crate::limits::{ClientLimits, Limited};
use crate::support::timestamps::SiteOffset;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(login)
        .service(refresh)
        .service(logout)
        .service(get_me);
}

// No Debug: it carries a secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "admin@sonoivu.binhdinh.gov.vn")]
    pub email: String,
    #[schema(example = "một mật khẩu đủ dài")]
    pub password: String,
    /// For a browser: keep the refresh token out of script's reach, in an
    /// `HttpOnly; Secure; SameSite=Strict` cookie sent to `/api/v1/auth`
    /// only. The answer's `refresh_token` is then null and its
    /// `csrf_token` must come with each refresh as `X-CSRF-Token`. Left
    /// out (or false), the refresh token comes in the body.
    #[schema(example = false)]
    pub refresh_cookie: Option<bool>,
}

// No Debug: it carries a secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token of the last login or refresh; it is spent by this
    /// call. Leave it out to refresh by the cookie a login with
    /// `refresh_cookie` set (send its `csrf_token` as `X-CSRF-Token`).
    #[schema(example = "brt_3q2-7wEvZ0q0sUqJ9Hc1mQ5s6Y1l0Kp8bX4dN2fRtA")]
    pub refresh_token: Option<String>,
}

/// A token pair (RFC 6749 §5.1).
// No Debug: it carries a secret.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer …`.
    #[schema(example = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    pub access_token: String,
    /// Exchange at `/auth/refresh` for a new pair before the session idles out;
    /// each refresh token works once. Null when it travels in the cookie.
    #[schema(example = "brt_3q2-7wEvZ0q0sUqJ9Hc1mQ5s6Y1l0Kp8bX4dN2fRtA")]
    pub refresh_token: Option<String>,
    /// With the refresh token in the cookie: send this as `X-CSRF-Token`
    /// with the next refresh (a new one comes with each). Null otherwise.
    #[schema(example = json!(null))]
    pub csrf_token: Option<String>,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// With no refresh before this, the session ends: schedule the warning
    /// ("Thời gian chờ: 60 giây") by it, against `server_time`.
    #[schema(example = "2026-11-24T10:30:00+07:00")]
    pub idle_expires_at: DateTime<FixedOffset>,
    /// The server's clock when it answered: a client whose own clock is off
    /// counts from this.
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub server_time: DateTime<FixedOffset>,
}

impl TokenResponse {
    /// The pair as answered: the refresh token in the body, or (with
    /// `in_cookie`) only the CSRF token that goes with its cookie.
    fn new(tokens: IssuedTokens, offset: SiteOffset, in_cookie: bool) -> Self {
        let (refresh_token, csrf_token) = if in_cookie {
            (
                None,
                Some(refresh_cookie::csrf_token(&tokens.refresh_token)),
            )
        } else {
            (Some(tokens.refresh_token), None)
        };
        Self {
            access_token: tokens.access_token,
            refresh_token,
            csrf_token,
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            idle_expires_at: offset.show(tokens.idle_expires_at),
            server_time: offset.show(tokens.server_time),
        }
    }
}

/// The signed-in account and its session's clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "admin@sonoivu.binhdinh.gov.vn")]
    pub email: String,
    #[schema(example = "Nguyễn Thị Lan")]
    pub display_name: String,
    pub role: Role,
    /// With no refresh before this, the session ends: warn the user ahead of
    /// it ("Thời gian chờ: 60 giây") and refresh to extend.
    #[schema(example = "2026-11-24T10:30:00+07:00")]
    pub idle_expires_at: DateTime<FixedOffset>,
    /// However active, the session ends here.
    #[schema(example = "2026-12-24T10:00:00+07:00")]
    pub session_expires_at: DateTime<FixedOffset>,
}

/// Log in with email and password.
///
/// Failed logins are throttled per account and per client address: past the
/// limit the answer is 429 with `Retry-After`, whether the account exists or not.
#[utoipa::path(
    tag = "auth",
    request_body(content = LoginRequest, example = json!({
        "email": "admin@sonoivu.binhdinh.gov.vn", "password": "một mật khẩu đủ dài"})),
    responses(
        (status = 200, description = "A token pair", body = TokenResponse),
        (status = 401, description = "The email or password is wrong", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins; retry after `Retry-After` seconds", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn login(
    db: web::Data<Database>,
    tokens: web::Data<AccessTokens>,
    policy: web::Data<SessionPolicy>,
    throttle: web::Data<dyn LoginThrottle>,
    offset: web::Data<SiteOffset>,
    client: ClientAddr,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    // What is not an address is no account's: the same answer as a wrong
    // one (and no password hashed for it).
    let email = Email::to_sign_in(&request.email).map_err(|_| {
        ApiError::refused(
            AuthFailure::BadCredentials,
            "the email or password is wrong",
        )
    })?;
    let keys = [
        ThrottleKey::Account(email.as_str().to_owned()),
        ThrottleKey::address(client.0),
    ];
    throttled(throttle.attempt(&keys).await)?;
    match sessions::login(&db, &tokens, **policy, email, request.password).await? {
        Some(issued) => {
            throttle.succeeded(&keys).await;
            Ok(token_response(
                issued,
                **offset,
                request.refresh_cookie.unwrap_or(false),
            ))
        }
        None => Err(ApiError::refused(
            AuthFailure::BadCredentials,
            "the email or password is wrong",
        )),
    }
}

/// A locked key's wait as a 429.
pub fn throttled(attempt: Result<(), std::time::Duration>) -> Result<(), ApiError> {
    attempt.map_err(ApiError::retry_after)
}

/// Tokens must never sit in a cache (RFC 6749 §5.1). With `in_cookie`,
/// the refresh token goes in its cookie, not the body.
fn token_response(issued: IssuedTokens, offset: SiteOffset, in_cookie: bool) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if in_cookie {
        let lasts = (issued.idle_expires_at - issued.server_time).num_seconds();
        response.cookie(refresh_cookie::holding(&issued.refresh_token, lasts));
    }
    response.json(TokenResponse::new(issued, offset, in_cookie))
}

/// Exchange a refresh token for a new pair, extending the session.
///
/// Each refresh token works once: presenting a spent one again ends its
/// whole session, since it may have been stolen. Within
/// `BULLETIN_REFRESH_GRACE` (5 s) of its exchange it answers the same new
/// pair instead: two tabs refreshing at the same moment both go on.
#[utoipa::path(
    tag = "auth",
    request_body(content = RefreshRequest, example = json!({"refresh_token": "brt_3q2-7wEvZ0q0sUqJ9Hc1mQ5s6Y1l0Kp8bX4dN2fRtA"})),
    params(("X-CSRF-Token" = Option<String>, Header,
        description = "With no `refresh_token` in the body: the `csrf_token` of the last login or \
        refresh, proving the page that holds the refresh cookie sent this")),
    responses(
        (status = 200, description = "A new token pair (the same one again within the grace)",
            body = TokenResponse),
        (status = 401, description = "The refresh token is unknown or spent, or the session ended \
            (or none was sent, in the body or the cookie)", body = Problem,
            content_type = "application/problem+json"),
        (status = 403, description = "A refresh by cookie without its `X-CSRF-Token`", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many refreshes from this client; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    db: web::Data<Database>,
    tokens: web::Data<AccessTokens>,
    policy: web::Data<SessionPolicy>,
    limits: web::Data<dyn ClientLimits>,
    offset: web::Data<SiteOffset>,
    req: HttpRequest,
    JsonBody(request): JsonBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    limits
        .check(ClientAddr::of_request(&req).0, Limited::Refresh)
        .await
        .map_err(ApiError::retry_after)?;
    let (presented, in_cookie) = match request.refresh_token {
        Some(token) => (token, false),
        None => (refresh_cookie::presented(&req)?, true),
    };
    let issued = sessions::refresh(&db, &tokens, **policy, presented.trim()).await?;
    Ok(token_response(issued, **offset, in_cookie))
}

/// Log out: the session's access and refresh tokens stop working.
///
/// Requires a signed-in account (API keys have no session).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Logged out"))
)]
#[post("/auth/logout")]
async fn logout(user: SignedIn, db: web::Data<Database>) -> Result<HttpResponse, ApiError> {
    sessions::logout(&db, user.0.session_id).await?;
    Ok(HttpResponse::NoContent()
        .cookie(refresh_cookie::removed())
        .finish())
}

/// The signed-in account, its role, and when its session idles out.
///
/// Requires a signed-in account (API keys have no session).
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, description = "The account and its session", body = MeResponse))
)]
#[get("/auth/me")]
async fn get_me(user: SignedIn, offset: web::Data<SiteOffset>) -> HttpResponse {
    let user = user.0;
    HttpResponse::Ok()
        // Personal: never from a shared cache.
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(MeResponse {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            idle_expires_at: offset.show(user.idle_expires_at),
            session_expires_at: offset.show(user.session_expires_at),
        })
}
