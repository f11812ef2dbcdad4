//! Strong ETags for successful GETs, and `If-None-Match` → 304.
//!
//! The tag is a hash of the bytes sent, computed after compression, so each
//! content coding of a resource carries its own tag as RFC 9110 §8.8.3 wants
//! of strong validators. Handlers that know their own validator (a
//! resource's version, a file's hash) set `ETag` themselves: it is kept, and
//! answers `If-None-Match` the same way, without reading the body.

use std::ops::Range;

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, Header, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Headers a 304 repeats from the 200 it stands for (RFC 9110 §15.4.5).
const KEPT_ON_NOT_MODIFIED: [header::HeaderName; 5] = [
    header::CACHE_CONTROL,
    header::CONTENT_LOCATION,
    header::EXPIRES,
    header::VARY,
    header::DATE,
];

pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let is_read = matches!(*req.method(), Method::GET | Method::HEAD);
    let if_none_match = IfNoneMatch::parse(req.request()).ok();
    let response = next.call(req).await?;
    if !is_read || response.status() != StatusCode::OK {
        return Ok(response.map_into_boxed_body());
    }
    if let Some(own_tag) = own_tag(&response) {
        // The handler knows its validator (a version): no need to read the
        // body, but each content coding is a representation of its own.
        let coding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|coding| coding.to_str().unwrap_or("encoded"))
            .filter(|coding| !coding.eq_ignore_ascii_case("identity"));
        let tag = match coding {
            Some(coding) => with_coding(&own_tag, coding),
            // Sent as the handler set it, unless the client has it.
            None if !matches(if_none_match.as_ref(), &own_tag) => {
                return Ok(response.map_into_boxed_body());
            }
            None => own_tag,
        };
        let (request, response) = response.into_parts();
        let (head, body) = response.into_parts();
        return Ok(ServiceResponse::new(
            request,
            answer(head, body, tag, if_none_match.as_ref()),
        ));
    }

    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = to_bytes(body).await.map_err(|e| {
        ApiError::Internal(format!("could not buffer the response body: {}", e.into()))
    })?;
    let tag = strong_tag(&bytes);
    Ok(ServiceResponse::new(
        request,
        answer(head, bytes, tag, if_none_match.as_ref()),
    ))
}

/// The ETag a handler set itself.
fn own_tag<B>(response: &ServiceResponse<B>) -> Option<EntityTag> {
    response
        .headers()
        .get(header::ETAG)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The 200 with its tag, or the 304 standing for it when the client has it.
fn answer(
    mut head: HttpResponse<()>,
    body: impl MessageBody + 'static,
    tag: EntityTag,
    if_none_match: Option<&IfNoneMatch>,
) -> HttpResponse {
    if matches(if_none_match, &tag) {
        return not_modified(&head, tag);
    }
    head.headers_mut().insert(
        header::ETAG,
        tag.to_string()
            .try_into()
            .expect("a quoted tag is a valid header value"),
    );
    head.set_body(body).map_into_boxed_body()
}

/// The 304 standing for `head`'s 200.
fn not_modified(head: &HttpResponse<()>, tag: EntityTag) -> HttpResponse {
    let mut not_modified = HttpResponse::NotModified();
    for name in KEPT_ON_NOT_MODIFIED {
        if let Some(value) = head.headers().get(&name) {
            not_modified.insert_header((name, value.clone()));
        }
    }
    not_modified.insert_header(header::ETag(tag)).finish()
}

/// Figures that move without what they belong to changing (reads, counted
/// in batches). Tags leave them out, so polling with `If-None-Match` stays
/// a 304 while only they move; the answer a 304 stands for shows them as
/// they were, and `GET /articles/counters` has them fresh.
///
/// Each as the key it is in a serialised answer: `"view_count":`. In
/// compact JSON these bytes are a key and nothing else (inside a string a
/// quote is escaped, so `"…":` cannot occur there).
const MOVING_COUNTERS: [&[u8]; 2] = [VIEW_COUNT, b"\"download_count\":"];

/// The key of the moving counter a page's reader counts.
pub const VIEW_COUNT: &[u8] = b"\"view_count\":";

/// `value` as a JSON body, and the digest of what it shows but its moving
/// counters.
fn body_and_settled_digest(value: &impl serde::Serialize) -> Result<(Vec<u8>, Vec<u8>), ApiError> {
    let body = serde_json::to_vec(value)
        .map_err(|e| ApiError::Internal(format!("an answer did not serialise: {e}")))?;
    let digest = settled_digest(&body);
    Ok((body, digest))
}

/// The digest of a compact JSON body with the number after each moving
/// counter's key left out.
fn settled_digest(body: &[u8]) -> Vec<u8> {
    let mut hasher = Sha256::new();
    let mut kept_from = 0;
    for (_, digits) in moving_counters(body) {
        hasher.update(&body[kept_from..digits.start]);
        kept_from = digits.end;
    }
    hasher.update(&body[kept_from..]);
    hasher.finalize().to_vec()
}

/// Each moving counter's key in a compact JSON body, with where its number
/// is: one pass over the bytes, no reparsing, from quote to quote (`memchr`
/// skips the text between them many bytes at a time: byte by byte, the
/// pass was 1.5 to 2.5 % of an article read past the cache).
pub fn moving_counters(body: &[u8]) -> impl Iterator<Item = (&'static [u8], Range<usize>)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = memchr::memchr(b'"', &body[at..]) {
            at += offset;
            let rest = &body[at..];
            match MOVING_COUNTERS.iter().find(|key| rest.starts_with(key)) {
                Some(key) => {
                    let number_at = at + key.len();
                    let digits = body[number_at..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit() || **b == b'-')
                        .count();
                    at = number_at + digits;
                    return Some((*key, number_at..at));
                }
                None => at += 1,
            }
        }
        None
    })
}

/// A JSON answer of a versioned resource, tagged with its version tag (what
/// `If-Match` compares), then a digest of the answer, so whatever is shown
/// with it (embedded documents, a renamed category, neighbours) changes the
/// tag too and caches revalidate; moving counters do not.
pub fn tagged_json(
    mut response: actix_web::HttpResponseBuilder,
    version: &EntityTag,
    value: &impl serde::Serialize,
) -> Result<HttpResponse, ApiError> {
    let (body, digest) = body_and_settled_digest(value)?;
    let tag = EntityTag::new_strong(format!("{}.{}", version.tag(), hex::encode(&digest[..8])));
    Ok(response
        .insert_header(header::ETag(tag))
        .content_type("application/json")
        .body(body))
}

/// `Last-Modified` for what last changed at `at` (informational: the tag is
/// the validator, and `If-None-Match` what is compared).
pub fn last_modified(at: chrono::DateTime<chrono::FixedOffset>) -> header::LastModified {
    header::LastModified(std::time::SystemTime::from(at).into())
}

/// A JSON answer (a list) tagged by what it shows but its moving counters.
pub fn settled_json(
    mut response: actix_web::HttpResponseBuilder,
    value: &impl serde::Serialize,
) -> Result<HttpResponse, ApiError> {
    let (body, digest) = body_and_settled_digest(value)?;
    Ok(response
        .insert_header(header::ETag(EntityTag::new_strong(hex::encode(
            &digest[..16],
        ))))
        .content_type("application/json")
        .body(body))
}

/// A strong tag for these exact bytes: 128 bits of SHA-256, so collisions
/// are out of reach and the header stays short.
pub fn strong_tag(bytes: &[u8]) -> EntityTag {
    let digest = Sha256::digest(bytes);
    EntityTag::new_strong(hex::encode(&digest[..16]))
}

/// `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2), under which
/// the codings of one version are the same resource.
fn matches(if_none_match: Option<&IfNoneMatch>, tag: &EntityTag) -> bool {
    match if_none_match {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => tags
            .iter()
            .any(|candidate| without_coding(candidate).weak_eq(&without_coding(tag))),
        None => false,
    }
}

/// The content codings `Compress` may apply.
const CODINGS: [&str; 4] = ["gzip", "br", "zstd", "deflate"];

/// A handler's tag for one coding of its resource: `"user-2-v1"` → `"user-2-v1-gzip"`.
fn with_coding(tag: &EntityTag, coding: &str) -> EntityTag {
    EntityTag::new(tag.weak, format!("{}-{coding}", tag.tag()))
}

/// The resource's tag whatever coding it was read in: what `If-Match` compares.
pub fn without_coding(tag: &EntityTag) -> EntityTag {
    let base = CODINGS
        .iter()
        .find_map(|coding| tag.tag().strip_suffix(coding)?.strip_suffix('-'))
        .unwrap_or(tag.tag());
    EntityTag::new(tag.weak, base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settled_digest_ignores_moving_counters_and_nothing_else() {
        let seen = |views: u32, title: &str| {
            settled_digest(
                format!(r#"{{"title":"{title}","view_count":{views},"items":[{{"download_count":{views}}}]}}"#)
                    .as_bytes(),
            )
        };
        assert_eq!(seen(1, "a"), seen(270, "a"));
        assert_ne!(seen(1, "a"), seen(1, "b"));
        // The key's text inside a string is escaped: part of what is shown.
        let quoted = |views: u32| {
            settled_digest(format!(r#"{{"title":"\"view_count\":{views}"}}"#).as_bytes())
        };
        assert_ne!(quoted(1), quoted(2));
    }

    #[test]
    fn the_same_bytes_give_the_same_strong_tag() {
        let tag = strong_tag(b"{\"id\":1}");
        assert_eq!(tag, strong_tag(b"{\"id\":1}"));
        assert_ne!(tag, strong_tag(b"{\"id\":2}"));
        assert!(!tag.weak);
        assert_eq!(tag.tag().len(), 32);
    }

    #[test]
    fn a_coded_tag_is_the_same_resource_under_weak_comparison() {
        let tag = EntityTag::new_strong("user-2-v1".into());
        let gzip = with_coding(&tag, "gzip");
        assert_eq!(gzip.tag(), "user-2-v1-gzip");
        assert_eq!(without_coding(&gzip), tag);
        assert_eq!(without_coding(&tag), tag);
        assert!(matches(Some(&IfNoneMatch::Items(vec![gzip])), &tag));
    }

    #[test]
    fn if_none_match_compares_weakly_and_understands_star() {
        let tag = strong_tag(b"body");
        let weak_copy = EntityTag::new_weak(tag.tag().to_owned());
        assert!(matches(Some(&IfNoneMatch::Items(vec![weak_copy])), &tag));
        assert!(matches(Some(&IfNoneMatch::Any), &tag));
        assert!(!matches(
            Some(&IfNoneMatch::Items(vec![strong_tag(b"other")])),
            &tag
        ));
        assert!(!matches(None, &tag));
    }
}
