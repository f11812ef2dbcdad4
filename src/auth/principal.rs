//! Who is calling, and what they may do: the extractors that make a
//! permission check one line in a handler.
//!
//! ```text
//! async fn create_user(admin: RequireRole<Admin>, …)   // 401 / 403 before the body runs
//! async fn me(user: SignedIn, …)                       // any signed-in account
//! ```
//!
//! Access tokens are checked against their session on every request, so a
//! logout, an idle timeout or a role change takes effect at once rather than
//! when the token expires.
//!
//! Credentials are checked once by `authenticate_first`, before routing,
//! and the outcome kept with the request: the extractors find the caller
//! (or the 401) already known, so a handler's role check, its first
//! extractor, is decided before its body is read. Operations that take no
//! credentials (logging in, refreshing) never look at it.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::NaiveDateTime;

use super::sessions::SessionPolicy;
use super::{AccessTokens, queries};
use crate::api_keys::{self, ApiKeyScope};
use crate::audit::{Actor, ActorKind};
use crate::db::Database;
use crate::error::{ApiError, AuthFailure};
use crate::http::RequestId;
use crate::identity::Role;

pub const API_KEY_HEADER: &str = "x-api-key";

/// An account signed in with an access token.
#[derive(Debug, Clone)]
pub struct SignedInUser {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub session_id: i32,
    pub idle_expires_at: NaiveDateTime,
    pub session_expires_at: NaiveDateTime,
}

/// An integrator calling with an API key.
#[derive(Debug, Clone)]
pub struct KeyHolder {
    pub id: i32,
    pub name: String,
    pub scope: ApiKeyScope,
}

#[derive(Debug, Clone)]
pub enum Principal {
    User(SignedInUser),
    ApiKey(KeyHolder),
}

/// The role an API key acts with: an editor's, never an admin's.
pub const API_KEY_ROLE: Role = Role::Editor;

impl Principal {
    fn actor(&self, request_id: Option<String>) -> Actor {
        match self {
            Principal::User(user) => Actor {
                kind: ActorKind::User,
                id: Some(user.id),
                label: user.email.clone(),
                request_id,
            },
            Principal::ApiKey(key) => Actor {
                kind: ActorKind::ApiKey,
                id: Some(key.id),
                label: key.name.clone(),
                request_id,
            },
        }
    }
}

/// Whether `principal` may call an operation that needs `required`, with `method`.
fn authorize(principal: &Principal, required: Role, method: &Method) -> Result<(), ApiError> {
    match principal {
        Principal::User(user) if user.role >= required => Ok(()),
        Principal::User(user) => Err(ApiError::Forbidden(format!(
            "this needs the {required} role; your account is {}",
            user.role
        ))),
        Principal::ApiKey(_) if required > API_KEY_ROLE => Err(ApiError::Forbidden(
            "API keys cannot manage accounts, keys or the audit log; sign in as an admin".into(),
        )),
        Principal::ApiKey(key) if key.scope == ApiKeyScope::Read && !method.is_safe() => {
            Err(ApiError::Forbidden(
                "this API key has the read scope: it cannot change anything".into(),
            ))
        }
        Principal::ApiKey(_) => Ok(()),
    }
}

/// What a request's credentials came to, once `authenticate_first` checked
/// them: the caller (`None` without credentials), or why they do not hold.
#[derive(Clone)]
pub struct Authenticated(Result<Option<Principal>, ApiError>);

impl Authenticated {
    /// Whether the request came with credentials that hold.
    pub fn is_someone(&self) -> bool {
        matches!(self.0, Ok(Some(_)))
    }

    /// Whether the request came with credentials that do not hold.
    pub fn is_refused(&self) -> bool {
        self.0.is_err()
    }
}

/// Checks the credentials of every API request before its handler runs,
/// and keeps the outcome for the extractors.
pub async fn authenticate_first(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.path().starts_with("/api/v1/") {
        let outcome = Authenticated(check_credentials(req.request()).await);
        req.extensions_mut().insert(outcome);
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The caller's credentials, checked: `None` when none were sent.
async fn authenticate(req: &HttpRequest) -> Result<Option<Principal>, ApiError> {
    let known = req.extensions().get::<Authenticated>().cloned();
    match known {
        Some(Authenticated(outcome)) => outcome,
        None => check_credentials(req).await,
    }
}

async fn check_credentials(req: &HttpRequest) -> Result<Option<Principal>, ApiError> {
    let bearer = req.headers().get(header::AUTHORIZATION);
    let api_key = req.headers().get(API_KEY_HEADER);
    match (bearer, api_key) {
        (Some(_), Some(_)) => Err(ApiError::invalid_token(
            "send either a bearer token or an API key, not both",
        )),
        (Some(value), None) => {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token.trim())
                .ok_or_else(|| {
                    ApiError::invalid_token("use the Bearer scheme: Authorization: Bearer <token>")
                })?;
            user_of_token(req, token)
                .await
                .map(|user| Some(Principal::User(user)))
        }
        (None, Some(value)) => {
            let key = value.to_str().unwrap_or_default().trim().to_owned();
            key_holder(req, key)
                .await
                .map(|key| Some(Principal::ApiKey(key)))
        }
        (None, None) => Ok(None),
    }
}

fn app_data<T: 'static>(req: &HttpRequest) -> Result<&web::Data<T>, ApiError> {
    req.app_data::<web::Data<T>>().ok_or_else(|| {
        ApiError::Internal(format!("{} is not registered", std::any::type_name::<T>()))
    })
}

async fn user_of_token(req: &HttpRequest, token: &str) -> Result<SignedInUser, ApiError> {
    let claims = app_data::<AccessTokens>(req)?
        .verify(token)
        .map_err(|cause| match cause {
            AuthFailure::ExpiredToken => ApiError::refused(
                cause,
                "the access token has expired; refresh it, or log in again",
            ),
            _ => ApiError::refused(cause, "the access token is not one this service issued"),
        })?;
    let policy = ***app_data::<SessionPolicy>(req)?;
    let db = app_data::<Database>(req)?;
    let now = crate::support::timestamps::now();
    let found = db
        .read(move |conn| queries::find_with_user(conn, claims.session_id, claims.user_id))
        .await?;
    match found {
        Some((session, user)) => match policy.why_ended(&session, now) {
            Some(why) => Err(super::sessions::session_ended(why)),
            None => Ok(SignedInUser {
                id: user.id,
                email: user.email,
                display_name: user.display_name,
                role: user.role,
                session_id: session.id,
                idle_expires_at: policy.idle_expires_at(&session),
                session_expires_at: session.expires_at,
            }),
        },
        None => Err(super::sessions::session_ended(AuthFailure::RevokedSession)),
    }
}

async fn key_holder(req: &HttpRequest, key: String) -> Result<KeyHolder, ApiError> {
    let db = app_data::<Database>(req)?;
    let key_hash = super::opaque::hash(&key);
    let found = db
        .read(move |conn| api_keys::queries::find_active_by_hash(conn, &key_hash))
        .await?;
    found
        .map(|row| KeyHolder {
            id: row.id,
            name: row.name,
            scope: row.scope,
        })
        .ok_or_else(|| ApiError::invalid_token("the API key is unknown or revoked"))
}

fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.as_str().to_owned())
}

/// The least role an operation needs.
pub trait MinimumRole {
    const ROLE: Role;
}

/// Role markers for [`RequireRole`].
pub mod roles {
    use super::{MinimumRole, Role};

    pub struct Admin;
    pub struct Editor;
    pub struct Author;
    pub struct Member;

    impl MinimumRole for Admin {
        const ROLE: Role = Role::Admin;
    }
    impl MinimumRole for Editor {
        const ROLE: Role = Role::Editor;
    }
    impl MinimumRole for Author {
        const ROLE: Role = Role::Author;
    }
    impl MinimumRole for Member {
        const ROLE: Role = Role::Member;
    }
}

/// A caller with at least role `R` (an API key counts as an editor, and a
/// read-scoped key only for safe methods). 401 without credentials, 403 short of the role.
pub struct RequireRole<R> {
    pub principal: Principal,
    request_id: Option<String>,
    _role: PhantomData<R>,
}

impl<R> RequireRole<R> {
    /// Who the audit log names for what this request changes.
    pub fn actor(&self) -> Actor {
        self.principal.actor(self.request_id.clone())
    }
}

type Extraction<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

impl<R: MinimumRole> RequireRole<R> {
    /// The role check for an operation that serves several callers (an
    /// author's edit, an editor's verdict), once the viewer is known.
    pub fn of_viewer(req: &HttpRequest, viewer: Viewer) -> Result<Self, ApiError> {
        let principal = viewer
            .0
            .ok_or_else(|| ApiError::unauthenticated("sign in, or send an API key"))?;
        authorize(&principal, R::ROLE, req.method())?;
        Ok(RequireRole {
            principal,
            request_id: request_id(req),
            _role: PhantomData,
        })
    }
}

impl<R: MinimumRole + 'static> FromRequest for RequireRole<R> {
    type Error = actix_web::Error;
    type Future = Extraction<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let viewer = Viewer(authenticate(&req).await?);
            Ok(Self::of_viewer(&req, viewer)?)
        })
    }
}

/// Whoever reads a public resource: a guest (`None`), or the checked caller.
/// Credentials are optional here, but when sent they must hold (401 if not).
pub struct Viewer(pub Option<Principal>);

impl Viewer {
    /// Whether the reader sees what is not public yet (unpublished pages, a
    /// collection's drafts): editors and admins, and API keys, which act as
    /// editors.
    pub fn sees_unpublished(&self) -> bool {
        match &self.0 {
            Some(Principal::User(user)) => user.role >= Role::Editor,
            Some(Principal::ApiKey(_)) => API_KEY_ROLE >= Role::Editor,
            None => false,
        }
    }

    /// Whether the read is a reader's (a guest's or a member's), not staff
    /// checking their work or an integrator's program.
    pub fn is_reader(&self) -> bool {
        match &self.0 {
            None => true,
            Some(Principal::User(user)) => user.role == Role::Member,
            Some(Principal::ApiKey(_)) => false,
        }
    }
}

impl FromRequest for Viewer {
    type Error = actix_web::Error;
    type Future = Extraction<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(Viewer(authenticate(&req).await?)) })
    }
}

/// A signed-in account (not an API key): for what only people have, a session.
pub struct SignedIn(pub SignedInUser);

impl FromRequest for SignedIn {
    type Error = actix_web::Error;
    type Future = Extraction<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match authenticate(&req).await? {
                Some(Principal::User(user)) => Ok(SignedIn(user)),
                Some(Principal::ApiKey(_)) => Err(ApiError::Forbidden(
                    "API keys have no session; sign in with an account".into(),
                )
                .into()),
                None => Err(ApiError::unauthenticated("sign in first").into()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> Principal {
        let now = crate::support::timestamps::now();
        Principal::User(SignedInUser {
            id: 1,
            email: "a@b.vn".into(),
            display_name: "A".into(),
            role,
            session_id: 1,
            idle_expires_at: now,
            session_expires_at: now,
        })
    }

    fn key(scope: ApiKeyScope) -> Principal {
        Principal::ApiKey(KeyHolder {
            id: 1,
            name: "cổng".into(),
            scope,
        })
    }

    #[test]
    fn each_role_includes_the_ones_below_it() {
        let ranks = [Role::Member, Role::Author, Role::Editor, Role::Admin];
        for (i, held) in ranks.iter().enumerate() {
            for (j, required) in ranks.iter().enumerate() {
                let allowed = authorize(&user(*held), *required, &Method::POST).is_ok();
                assert_eq!(allowed, i >= j, "{held} for {required}");
            }
        }
    }

    #[test]
    fn api_keys_act_as_editors_and_read_keys_only_read() {
        for required in [Role::Member, Role::Author, Role::Editor] {
            assert!(authorize(&key(ApiKeyScope::Write), required, &Method::POST).is_ok());
            assert!(authorize(&key(ApiKeyScope::Read), required, &Method::GET).is_ok());
            assert!(authorize(&key(ApiKeyScope::Read), required, &Method::PATCH).is_err());
        }
        assert!(authorize(&key(ApiKeyScope::Write), Role::Admin, &Method::GET).is_err());
    }
}
