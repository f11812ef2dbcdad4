//! HEAD is answered wherever GET is (RFC 9110 §9.3.2).
//!
//! Routes are registered for GET only; this turns a HEAD into a GET before
//! routing. actix-http remembered that the request was a HEAD when it parsed
//! it, and sends the GET's headers without its body.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

/// Marks a request that came as HEAD (a check, not a read: it counts no view).
#[derive(Debug, Clone, Copy)]
pub struct WasHead;

pub async fn answer_head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
        req.extensions_mut().insert(WasHead);
    }
    next.call(req).await
}
