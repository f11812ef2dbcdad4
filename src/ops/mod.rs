//! Operations: liveness, readiness and metrics, at the root (not under /api/v1).

pub mod metrics;
pub mod telemetry;

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::readers::view_counts::ViewCounter;
pub use metrics::Metrics;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(get_health)
        .service(get_readiness)
        .service(get_metrics);
}

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok` when alive, `ready` when the database answers.
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The service is alive", body = HealthResponse,
        example = json!({"status": "ok"})))
)]
#[get("/healthz")]
async fn get_health() -> web::Json<HealthResponse> {
    web::Json(HealthResponse { status: "ok" })
}

/// Readiness: the database answers a query.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = HealthResponse,
            example = json!({"status": "ready"})),
        (status = 503, description = "The database does not answer", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
async fn get_readiness(db: web::Data<Database>) -> Result<web::Json<HealthResponse>, ApiError> {
    db.ping()
        .await
        .map_err(|e| ApiError::Unavailable(format!("readiness check failed: {e}")))?;
    Ok(web::Json(HealthResponse { status: "ready" }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Metrics in the Prometheus text format",
        content_type = "text/plain", body = String,
        example = "# TYPE bulletin_http_requests counter\nbulletin_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1\n"))
)]
#[get("/metrics")]
async fn get_metrics(
    metrics: web::Data<Metrics>,
    db: web::Data<Database>,
    views: web::Data<dyn ViewCounter>,
) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(metrics::CONTENT_TYPE)
        .body(metrics.render(db.usage(), views.pending_count()))
}
