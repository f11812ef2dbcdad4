//! HTTP handler for the audit log (admins only).

use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, Filter};
use super::{ActorKind, AuditEntryResponse};
use crate::auth::RequireRole;
use crate::auth::roles::Admin;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{Page, PageParams, Paging, Query};
use crate::support::timestamps::{SiteOffset, Timestamp};

pub fn configure(config: &mut ServiceConfig) {
    config.service(list_audit_entries);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilterParams {
    pub actor_kind: Option<ActorKind>,
    /// The account or key id.
    #[param(example = 1)]
    pub actor_id: Option<i32>,
    #[param(example = "user.update")]
    pub action: Option<String>,
    #[param(example = "user")]
    pub target_type: Option<String>,
    #[param(example = "2")]
    pub target_id: Option<String>,
    /// Entries at or after this time (RFC 3339).
    #[param(value_type = Option<Timestamp>, example = "2026-11-01T00:00:00+07:00")]
    pub since: Option<Timestamp>,
    /// Entries before this time (RFC 3339).
    #[param(value_type = Option<Timestamp>, example = "2026-12-01T00:00:00+07:00")]
    pub until: Option<Timestamp>,
}

/// The audit log, newest first: every staff write, who made it and when.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "audit",
    params(AuditFilterParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of entries", body = Page<AuditEntryResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
async fn list_audit_entries(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    filter: Query<AuditFilterParams>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<AuditEntryResponse>>, ApiError> {
    let filter = filter.into_inner();
    let filter = Filter {
        actor_kind: filter.actor_kind,
        actor_id: filter.actor_id,
        action: filter.action,
        target_type: filter.target_type,
        target_id: filter.target_id,
        since: filter.since.map(|t| t.naive_utc()),
        until: filter.until.map(|t| t.naive_utc()),
    };
    let list = move |conn: &mut _, limit, offset, before| {
        queries::list(conn, &filter, limit, offset, before)
    };
    let page = Paging::try_from(params.into_inner())?
        .load(
            &db,
            list,
            |row| row.id,
            |row| AuditEntryResponse::new(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}
