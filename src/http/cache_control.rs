//! `Cache-Control` for what sits between the service and its readers: a
//! CDN may keep an anonymous public read for a few seconds, and serve it a
//! little longer while it fetches a fresh one; a read made with
//! credentials, a voter token or a cookie is nobody else's to keep.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

/// How long shared caches keep public reads (`BULLETIN_CACHE_MAX_AGE`,
/// `BULLETIN_CACHE_STALE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedCaching {
    pub max_age: std::time::Duration,
    pub stale_while_revalidate: std::time::Duration,
}

impl SharedCaching {
    /// The directives as sent, written once rather than for every read.
    pub fn directives(&self) -> CacheDirectives {
        let public = format!(
            "public, max-age={}, stale-while-revalidate={}",
            self.max_age.as_secs(),
            self.stale_while_revalidate.as_secs()
        );
        CacheDirectives {
            public: HeaderValue::from_str(&public)
                .expect("a cache directive is a valid header value"),
        }
    }
}

/// The `Cache-Control` value of an anonymous public read.
pub struct CacheDirectives {
    public: HeaderValue,
}

/// What a read is told of caching, unless its handler said (a login, an
/// attachment): a successful read of `/api/v1/…` or `/feeds/…` is public
/// when anonymous, `private, no-store` when personal; the operations
/// endpoints (`/healthz`, `/metrics`) are never kept.
pub async fn cache_control(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let personal = super::cache::is_personal(&req);
    let path = req.path();
    let public_path = super::is_public_path(path);
    let directives = req.app_data::<web::Data<CacheDirectives>>().cloned();
    let mut response = next.call(req).await?;
    let status = response.status();
    let headers = response.headers_mut();
    if !is_read || !status.is_success() || headers.contains_key(header::CACHE_CONTROL) {
        return Ok(response);
    }
    let value = match directives {
        Some(directives)
            if public_path && !personal && !headers.contains_key(header::SET_COOKIE) =>
        {
            // Whoever sends credentials, a voter token or a cookie may be
            // answered otherwise: caches keep those apart.
            headers.append(
                header::VARY,
                HeaderValue::from_static("Authorization, X-Api-Key, X-Voter-Token, Cookie"),
            );
            directives.public.clone()
        }
        _ => HeaderValue::from_static("private, no-store"),
    };
    headers.insert(header::CACHE_CONTROL, value);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn public_reads_say_how_long_and_how_stale() {
        let caching = SharedCaching {
            max_age: Duration::from_secs(10),
            stale_while_revalidate: Duration::from_secs(30),
        };
        assert_eq!(
            caching.directives().public,
            "public, max-age=10, stale-while-revalidate=30"
        );
    }
}
