//! Problem details in the reader's language: `Accept-Language` preferring
//! Vietnamese gets the `title`, `detail` and `errors[].message` of every
//! problem in Vietnamese (`Content-Language: vi`); anything else gets
//! English. The problem `type` and the field names never change, so
//! programs switch on them whatever the language.
//!
//! The middleware is wrapped twice (see `startup`): inside compression, it
//! reaches the problems handlers answer before their bodies are encoded;
//! outside the checks every request passes (method, credentials, query),
//! it reaches the problems those refuse with. A problem already in
//! Vietnamese is left as it is.

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse};

use super::vietnamese;
use crate::error::{ApiError, Problem};

/// The languages problems are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    Vietnamese,
}

impl Language {
    /// The language `accept_language` ranks highest of those we write,
    /// English when it names neither (or is absent or malformed). A tag
    /// matches by its primary subtag (`vi-VN` is Vietnamese); `q=0` refuses
    /// one; ties go to the one named first.
    pub fn preferred(accept_language: Option<&str>) -> Language {
        let mut best = (Language::English, 0.0_f32);
        for range in accept_language.unwrap_or("").split(',') {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let weight = parts
                .find_map(|parameter| parameter.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            let primary = tag.split('-').next().unwrap_or("");
            let language = if primary.eq_ignore_ascii_case("vi") {
                Language::Vietnamese
            } else if primary.eq_ignore_ascii_case("en") {
                Language::English
            } else {
                continue;
            };
            if weight > best.1 {
                best = (language, weight);
            }
        }
        best.0
    }

    fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Vietnamese => "vi",
        }
    }
}

/// Answers problems in the language the request prefers.
pub async fn in_the_readers_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let language = Language::preferred(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok()),
    );
    match next.call(req).await {
        Ok(response) if needs_translation(response.headers()) => {
            let (request, response) = response.into_parts();
            Ok(ServiceResponse::new(
                request,
                spoken(response, language).await?,
            ))
        }
        Ok(response) => Ok(response.map_into_boxed_body()),
        Err(error) => {
            let response = error.error_response();
            if !needs_translation(response.headers()) {
                return Err(error);
            }
            let spoken = spoken(response, language).await?;
            Err(InternalError::from_response(error, spoken).into())
        }
    }
}

/// Whether `headers` are those of a problem not yet given its language
/// (and not encoded, which only a problem already given one is here).
fn needs_translation(headers: &HeaderMap) -> bool {
    super::fallback::is_problem(headers)
        && !headers.contains_key(header::CONTENT_LANGUAGE)
        && !headers.contains_key(header::CONTENT_ENCODING)
}

/// `response` (a problem) in `language`, saying so, and varying with
/// `Accept-Language` for caches.
async fn spoken<B: MessageBody + 'static>(
    response: HttpResponse<B>,
    language: Language,
) -> Result<HttpResponse, Error> {
    let (mut head, body) = response.into_parts();
    let headers = head.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(language.code()),
    );
    if language == Language::English {
        return Ok(head.set_body(body).map_into_boxed_body());
    }
    // A problem is a small body of ours, in memory.
    let bytes = to_bytes(body).await.map_err(|e| {
        ApiError::Internal(format!(
            "could not read a problem to translate: {}",
            e.into()
        ))
    })?;
    // Read as the problem it is, so its members keep their order.
    let translated = match serde_json::from_slice::<Problem>(&bytes) {
        Ok(mut problem) => {
            in_vietnamese(&mut problem);
            Bytes::from(serde_json::to_vec(&problem).map_err(|e| {
                ApiError::Internal(format!("a translated problem did not serialise: {e}"))
            })?)
        }
        // Not a problem after all (a HEAD's empty body): as it came.
        Err(_) => bytes,
    };
    head.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(head.set_body(translated).map_into_boxed_body())
}

/// Rewrites a problem's words in Vietnamese: the title by its status, the
/// detail and each error's message from the catalogue (a message it lacks
/// stays in English rather than go missing).
fn in_vietnamese(problem: &mut Problem) {
    if let Some(title) = vietnamese::title(problem.status) {
        problem.title = title.to_owned();
    }
    translate(&mut problem.detail);
    for error in problem.errors.iter_mut().flatten() {
        translate(&mut error.message);
    }
}

fn translate(text: &mut String) {
    if let Some(vietnamese) = vietnamese::message(text) {
        *text = vietnamese;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_ranked_language_we_write_is_chosen() {
        use Language::{English, Vietnamese};
        for (header, expected) in [
            (None, English),
            (Some("vi"), Vietnamese),
            (Some("vi-VN,vi;q=0.9,en;q=0.8"), Vietnamese),
            (Some("en-US,en;q=0.9,vi;q=0.8"), English),
            (Some("fr, vi;q=0.5"), Vietnamese),
            (Some("fr, de"), English),
            (Some("vi;q=0, en"), English),
            (Some("en, vi"), English),
            (Some("VI"), Vietnamese),
            (Some("vi;q=abc"), English),
            (Some("*"), English),
        ] {
            assert_eq!(Language::preferred(header), expected, "{header:?}");
        }
    }

    #[test]
    fn a_problem_is_rewritten_in_vietnamese_type_and_fields_kept() {
        let mut problem =
            ApiError::validation("limit", "some message the catalogue lacks").problem();
        in_vietnamese(&mut problem);
        let problem = serde_json::to_string(&problem).unwrap();
        assert!(
            problem
                .starts_with(r#"{"type":"/problems/validation","title":"Dữ liệu không hợp lệ","#),
            "its members in their order: {problem}"
        );
        assert!(
            !problem.contains("the request has invalid fields"),
            "{problem}"
        );
        assert!(
            problem.contains(r#"{"field":"limit","message":"some message the catalogue lacks"}"#),
            "{problem}"
        );
    }
}
