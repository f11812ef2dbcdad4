//! Slow request bodies. actix limits how long a client may take to send a
//! request's head (`BULLETIN_CLIENT_TIMEOUT`) but not its body: a client
//! announcing `Content-Length: 100` and sending 12 bytes would hold its
//! connection and a handler for as long as it likes. Here a body that
//! stops coming for `BULLETIN_BODY_TIMEOUT` (between two reads, as nginx's
//! `client_body_timeout`, so a large upload on a slow link still arrives)
//! ends with a read error that the extractors answer as 408.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::rt::time::{Instant, Sleep, sleep};
use actix_web::web::{self, Bytes};
use futures_util::Stream;

/// The longest a request body may pause between two reads.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// Whether a read error is a body that stopped coming.
pub fn is_body_timeout(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(io) if io.kind() == io::ErrorKind::TimedOut)
}

/// Puts the body of every request that has one behind the timeout.
pub async fn time_out_slow_bodies(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let has_body = req.headers().contains_key(header::CONTENT_LENGTH)
        || req.headers().contains_key(header::TRANSFER_ENCODING);
    let bodiless = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if has_body
        && !bodiless
        && let Some(timeout) = req.app_data::<web::Data<BodyTimeout>>().map(|t| t.0)
    {
        let body = req.take_payload();
        req.set_payload(Payload::Stream {
            payload: Box::pin(TimedBody {
                body,
                timeout,
                pause: None,
                ended: false,
            }),
        });
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// A body whose every read must come within `timeout` of the one before,
/// the first within `timeout` of when a handler starts reading it.
struct TimedBody {
    body: Payload,
    timeout: Duration,
    /// Started at the first read.
    pause: Option<Pin<Box<Sleep>>>,
    ended: bool,
}

impl Stream for TimedBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        let timeout = this.timeout;
        let pause = this.pause.get_or_insert_with(|| Box::pin(sleep(timeout)));
        match Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(read) => {
                pause.as_mut().reset(Instant::now() + timeout);
                Poll::Ready(read)
            }
            Poll::Pending => match pause.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.ended = true;
                    let stalled = io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "the request body stopped coming for {} s",
                            this.timeout.as_secs_f64()
                        ),
                    );
                    Poll::Ready(Some(Err(PayloadError::Io(stalled))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}
