//! `X-Request-Id`: echoed when the client sends a sane one, generated otherwise,
//! recorded on the request's log span and sent back on every response.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served.
#[derive(Debug, Clone)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The client's id if it is short and printable (it ends up in our logs),
    /// a fresh UUID otherwise.
    fn for_request(req: &ServiceRequest) -> Self {
        req.headers()
            .get(X_REQUEST_ID)
            .filter(|value| is_acceptable(value.as_bytes()))
            .cloned()
            .map(Self)
            .unwrap_or_else(|| {
                let generated = uuid::Uuid::new_v4().to_string();
                Self(HeaderValue::from_str(&generated).expect("a UUID is a valid header value"))
            })
    }

    pub fn as_str(&self) -> &str {
        // Only visible ASCII is accepted or generated.
        self.0.to_str().unwrap_or_default()
    }
}

fn is_acceptable(id: &[u8]) -> bool {
    (1..=128).contains(&id.len()) && id.iter().all(|b| b.is_ascii_graphic())
}

pub async fn assign_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = RequestId::for_request(&req);
    req.extensions_mut().insert(id.clone());
    match next.call(req).await {
        Ok(mut response) => {
            response.headers_mut().insert(X_REQUEST_ID, id.0);
            Ok(response)
        }
        Err(error) => {
            // Errors become responses only after us: render this one now to label it.
            let mut response = error.error_response();
            response.headers_mut().insert(X_REQUEST_ID, id.0);
            Err(InternalError::from_response(error, response).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_printable_ids_are_echoed() {
        assert!(is_acceptable(b"3f1c-abc_DEF.42"));
        assert!(!is_acceptable(b""));
        assert!(!is_acceptable(b"has space"));
        assert!(!is_acceptable(&[b'a'; 129]));
        assert!(!is_acceptable("đ".as_bytes()));
    }
}
