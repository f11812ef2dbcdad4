//! The refresh token in a cookie, for browsers (a login's
//! `refresh_cookie`): out of reach of any script on the page (`HttpOnly`),
//! sent over HTTPS only (`Secure`), never with a request another site
//! starts (`SameSite=Strict`), and only to `/api/v1/auth` (so reads keep
//! no cookie and stay shareable by caches).
//!
//! A refresh by cookie also needs `X-CSRF-Token`: a digest of the refresh
//! token the answer gave the page. A forged request from elsewhere could at
//! most carry the cookie; it cannot read the answer, so it cannot know the
//! digest.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration};

use super::opaque;
use crate::error::{ApiError, AuthFailure};

const NAME: &str = "bulletin_refresh";
const PATH: &str = "/api/v1/auth";
/// The header a refresh by cookie carries its CSRF token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The CSRF token that goes with `refresh_token`'s cookie.
pub fn csrf_token(refresh_token: &str) -> String {
    opaque::hash(&format!("csrf:{refresh_token}"))[..32].to_owned()
}

/// The cookie holding `refresh_token` for `seconds`.
pub fn holding(refresh_token: &str, seconds: i64) -> Cookie<'static> {
    Cookie::build(NAME, refresh_token.to_owned())
        .path(PATH)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(Duration::seconds(seconds.max(0)))
        .finish()
}

/// The cookie's removal (a logout).
pub fn removed() -> Cookie<'static> {
    let mut cookie = holding("", 0);
    cookie.make_removal();
    cookie
}

/// The refresh token `req`'s cookie holds, once its CSRF token is checked:
/// a 401 without the cookie, a 403 without the right `X-CSRF-Token`.
pub fn presented(req: &HttpRequest) -> Result<String, ApiError> {
    let Some(cookie) = req.cookie(NAME) else {
        return Err(ApiError::unauthenticated(
            "send refresh_token, or refresh with the cookie a login with refresh_cookie set",
        ));
    };
    let token = cookie.value().to_owned();
    let sent = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    // Digests compared, so the time taken tells nothing of the token.
    if opaque::hash(sent) != opaque::hash(&csrf_token(&token)) {
        return Err(ApiError::Forbidden(format!(
            "a refresh by cookie needs the {CSRF_HEADER} header its last login or refresh gave"
        )));
    }
    if token.is_empty() {
        return Err(ApiError::refused(
            AuthFailure::InvalidToken,
            "the refresh cookie is empty: log in again",
        ));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_out_of_scripts_reach_and_sent_to_auth_only() {
        let cookie = holding("brt_x", 60).to_string();
        for part in [
            "bulletin_refresh=brt_x",
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/api/v1/auth",
            "Max-Age=60",
        ] {
            assert!(cookie.contains(part), "{part} in {cookie}");
        }
        assert!(removed().to_string().contains("Max-Age=0"));
    }

    #[test]
    fn each_refresh_token_has_its_own_csrf_token() {
        assert_eq!(csrf_token("a"), csrf_token("a"));
        assert_ne!(csrf_token("a"), csrf_token("b"));
        assert_ne!(
            csrf_token("a"),
            opaque::hash("a")[..32],
            "not the stored digest"
        );
    }
}
