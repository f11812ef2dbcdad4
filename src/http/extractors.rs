//! The errors of actix's own extractors (a JSON body, a path parameter, a
//! body that could not be read) answered as problems like every other, and
//! the extractor configurations that say so. Registered once in
//! [`crate::startup`].

use actix_web::HttpRequest;
use actix_web::error::{JsonPayloadError, PathError, PayloadError};

use crate::error::ApiError;

/// Bodies that are not JSON, not valid JSON, too large, or of the wrong shape.
impl From<JsonPayloadError> for ApiError {
    fn from(error: JsonPayloadError) -> Self {
        match error {
            JsonPayloadError::OverflowKnownLength { limit, .. }
            | JsonPayloadError::Overflow { limit } => ApiError::PayloadTooLarge(format!(
                "the request body is larger than the limit of {limit} bytes"
            )),
            JsonPayloadError::ContentType => ApiError::UnsupportedMediaType(
                "the request body must be JSON, sent with Content-Type: application/json".into(),
            ),
            JsonPayloadError::Deserialize(error) if error.is_data() => {
                // Well-formed JSON of the wrong shape is a validation problem.
                ApiError::validation("body", super::wording::readable(&error.to_string()))
            }
            JsonPayloadError::Deserialize(error) => {
                ApiError::BadRequest(format!("the request body is not valid JSON: {error}"))
            }
            JsonPayloadError::Payload(error) => payload_error(error),
            other => ApiError::BadRequest(other.to_string()),
        }
    }
}

/// A body that could not be read: too large, too slow, or cut off.
pub fn payload_error(error: PayloadError) -> ApiError {
    match error {
        PayloadError::Overflow => {
            ApiError::PayloadTooLarge("the request body is larger than the limit".into())
        }
        timeout if super::body_timeout::is_body_timeout(&timeout) => {
            ApiError::RequestTimeout(timeout.to_string())
        }
        other => ApiError::BadRequest(format!("the request body could not be read: {other}")),
    }
}

/// JSON bodies up to `limit` bytes, their errors answered as problems.
pub fn json_config(limit: usize) -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, _req| ApiError::from(error).into())
}

/// Raw bodies up to `limit` bytes.
pub fn payload_config(limit: usize) -> actix_web::web::PayloadConfig {
    actix_web::web::PayloadConfig::default().limit(limit)
}

/// A path parameter that does not parse names no resource (404). (A path
/// of another route asked with a method it does not take, such as
/// `PATCH /documents/extract`, was answered 405 before routing.)
pub fn path_config() -> actix_web::web::PathConfig {
    // The router's own words (`can not parse "x" to a i32`) name a Rust
    // type: the client is told what matters, that nothing is there.
    actix_web::web::PathConfig::default().error_handler(|_: PathError, req: &HttpRequest| {
        ApiError::NotFound(format!("no resource at {}", req.path())).into()
    })
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;
    use actix_web::http::{StatusCode, header};
    use actix_web::test::{TestRequest, call_service, init_service};
    use actix_web::{App, HttpResponse, post, web};
    use serde::Deserialize;

    use super::*;
    use crate::error::PROBLEM_JSON;

    #[derive(Deserialize)]
    struct Greeting {
        #[allow(dead_code)]
        name: String,
    }

    #[post("/echo")]
    async fn echo(_body: web::Json<Greeting>) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    /// Sends `request` to a service with the app's real JSON configuration
    /// and a 64-byte limit, and reads the problem it answers.
    async fn problem_of(request: TestRequest) -> (StatusCode, serde_json::Value) {
        let app = init_service(App::new().app_data(json_config(64)).service(echo)).await;
        let response = call_service(&app, request.uri("/echo").to_request()).await;
        let status = response.status();
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_JSON
        );
        let body = to_bytes(response.into_body()).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[actix_web::test]
    async fn malformed_json_is_a_400_problem() {
        let request = TestRequest::post()
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"name\": ");
        let (status, body) = problem_of(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["status"], 400);
        assert_eq!(body["type"], "/problems/bad-request");
    }

    #[actix_web::test]
    async fn json_of_the_wrong_shape_is_a_422_naming_the_problem() {
        let request = TestRequest::post()
            .insert_header(("content-type", "application/json"))
            .set_payload("{\"nom\": 1}");
        let (status, body) = problem_of(request).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("name")
        );
    }

    #[actix_web::test]
    async fn a_body_that_is_not_json_is_a_415() {
        let request = TestRequest::post()
            .insert_header(("content-type", "text/plain"))
            .set_payload("name=x");
        let (status, body) = problem_of(request).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(body["type"], "/problems/unsupported-media-type");
    }

    #[actix_web::test]
    async fn a_body_over_the_limit_is_a_413() {
        let request = TestRequest::post()
            .insert_header(("content-type", "application/json"))
            .set_payload(format!("{{\"name\": \"{}\"}}", "x".repeat(100)));
        let (status, body) = problem_of(request).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(body["detail"].as_str().unwrap().contains("64 bytes"));
    }
}
