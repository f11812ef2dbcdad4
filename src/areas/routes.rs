//! HTTP handlers for areas: public reads, editor writes.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::requests::CreateAreaRequest;
use super::responses::AreaResponse;
use super::{queries, writes};
use crate::auth::RequireRole;
use crate::auth::roles::Editor;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Query};
use crate::text::bounded_line;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_areas)
        .service(create_area)
        .service(delete_area);
}

/// List areas by id; build the tree from `parent_id`.
#[utoipa::path(
    tag = "documents",
    params(PageParams),
    responses(
        (status = 200, description = "One page of areas", body = Page<AreaResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/areas")]
async fn list_areas(
    db: web::Data<Database>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<AreaResponse>>, ApiError> {
    let page = Paging::try_from(params.into_inner())?
        .load(&db, queries::list, |row| row.id, AreaResponse::from)
        .await?;
    Ok(web::Json(page))
}

/// Create an area, under another or at the top.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    request_body(content = CreateAreaRequest, example = json!({"name": "Cải cách hành chính"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The area; `Location` is its URL", body = AreaResponse),
        (status = 404, description = "No area has the id given as `parent_id` (named in `errors`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Too many areas have this name", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/areas")]
async fn create_area(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    JsonBody(request): JsonBody<CreateAreaRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = bounded_line(&request.name, 1, 100).map_err(|e| ApiError::validation("name", e))?;
    let area = writes::create(&db, name, request.parent_id, editor.actor()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/areas/{}", area.id)))
        .json(AreaResponse::from(area)))
}

/// Delete an area no document and no subarea uses.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    params(("id" = i32, Path, description = "The area's id", example = 1)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No area has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Documents or subareas use it", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/areas/{id}")]
async fn delete_area(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, id.into_inner(), editor.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}
