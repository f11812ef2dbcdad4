//! HTTP handlers for accounts: admin CRUD and reader self-registration.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, Filter, UserRow};
use super::writes;
use super::{
    AccountChanges, CreateUserRequest, NewAccount, RegisterRequest, Role, UpdateUserRequest,
    UserResponse,
};
use crate::auth::roles::Admin;
use crate::auth::{RequireRole, throttled};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::{ClientAddr, JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::limits::logins::{LoginThrottle, ThrottleKey};
use crate::support::timestamps::SiteOffset;

/// `BULLETIN_REGISTRATION`: whether readers may register.
#[derive(Debug, Clone, Copy)]
pub struct RegistrationOpen(pub bool);

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_users)
        .service(create_user)
        .service(register_user)
        .service(get_user)
        .service(update_user)
        .service(delete_user);
}

/// An account answered with its ETag (and its URL when just created).
fn user_response(
    mut response: actix_web::HttpResponseBuilder,
    user: UserRow,
    offset: SiteOffset,
) -> HttpResponse {
    response
        .insert_header(header::ETag(user.tag()))
        .json(UserResponse::new(user, offset))
}

fn created(user: UserRow, offset: SiteOffset) -> HttpResponse {
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)));
    user_response(response, user, offset)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilterParams {
    /// Only accounts with this role.
    pub role: Option<Role>,
    /// Part of the email or display name.
    #[param(example = "lan")]
    pub q: Option<String>,
}

/// List accounts, oldest first.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "users",
    params(UserFilterParams, PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of accounts", body = Page<UserResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
async fn list_users(
    _admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    filter: Query<UserFilterParams>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<UserResponse>>, ApiError> {
    let filter = filter.into_inner();
    let filter = Filter {
        role: filter.role,
        q: filter.q.filter(|q| !q.trim().is_empty()),
    };
    let list = move |conn: &mut _, limit, offset, after| {
        queries::list(conn, &filter, limit, offset, after)
    };
    let page = Paging::try_from(params.into_inner())?
        .load(
            &db,
            list,
            |row| row.id,
            |row| UserResponse::new(row, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Create an account with any role.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "users",
    request_body(content = CreateUserRequest, example = json!({
        "email": "bientap@sonoivu.binhdinh.gov.vn", "password": "một mật khẩu đủ dài",
        "role": "editor", "display_name": "Nguyễn Thị Lan"})),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The account; `Location` is its URL", body = UserResponse),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
async fn create_user(
    admin: RequireRole<Admin>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    JsonBody(request): JsonBody<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let account = NewAccount::try_from(request)?;
    let user = writes::create(&db, account, Some(admin.actor())).await?;
    Ok(created(user, **offset))
}

/// Register as a reader (a `member` account), when the portal allows it.
#[utoipa::path(
    tag = "users",
    request_body(content = RegisterRequest, example = json!({
        "email": "bandoc@example.vn", "password": "một mật khẩu đủ dài", "display_name": "Trần Văn Minh"})),
    responses(
        (status = 201, description = "The new member account", body = UserResponse),
        (status = 403, description = "Registration is closed (BULLETIN_REGISTRATION)", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/register")]
async fn register_user(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    open: web::Data<RegistrationOpen>,
    throttle: web::Data<dyn LoginThrottle>,
    client: ClientAddr,
    JsonBody(request): JsonBody<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    if !open.0 {
        return Err(ApiError::Forbidden(
            "registration is closed on this portal".into(),
        ));
    }
    // Each registration counts like a login attempt from its address.
    throttled(throttle.attempt(&[ThrottleKey::address(client.0)]).await)?;
    let account = NewAccount::try_from(request)?;
    let user = writes::create(&db, account, None).await?;
    Ok(created(user, **offset))
}

/// Read an account.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "users",
    params(("id" = i32, Path, description = "The account's id", example = 2)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account, with its ETag", body = UserResponse),
        (status = 404, description = "No account has this id", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
async fn get_user(
    _admin: RequireRole<Admin>,
    id: web::Path<i32>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let user = db
        .read(move |conn| queries::find(conn, id))
        .await?
        .ok_or_else(|| ApiError::no_such("account", id))?;
    Ok(user_response(HttpResponse::Ok(), user, **offset))
}

/// Change an account: only the fields sent. Send `If-Match` to be sure no
/// one changed it since you read it. A new password ends its sessions.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "users",
    params(
        ("id" = i32, Path, description = "The account's id", example = 2),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateUserRequest, example = json!({"role": "editor"})),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed account", body = UserResponse),
        (status = 404, description = "No account has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email is taken, or this would leave no admin", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The account changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    admin: RequireRole<Admin>,
    id: web::Path<i32>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let changes = AccountChanges::try_from(request)?;
    let user = writes::update(&db, id.into_inner(), changes, precondition, admin.actor()).await?;
    Ok(user_response(HttpResponse::Ok(), user, **offset))
}

/// Delete an account and end its sessions. Its articles stay, without author.
///
/// Requires the admin role (an account, not an API key).
#[utoipa::path(
    tag = "users",
    params(
        ("id" = i32, Path, description = "The account's id", example = 2),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No account has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "This is the only admin", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The account changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/users/{id}")]
async fn delete_user(
    admin: RequireRole<Admin>,
    id: web::Path<i32>,
    db: web::Data<Database>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, id.into_inner(), precondition, admin.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}
