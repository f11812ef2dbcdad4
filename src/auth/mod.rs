//! Authentication and authorisation: passwords, access and refresh tokens,
//! sessions, API keys, login throttling, and the extractors handlers use.

pub mod opaque;
mod principal;
pub mod queries;
mod refresh_cookie;
mod routes;
pub mod sessions;
pub mod signing_key;
mod tokens;

pub use opaque::{OpaqueSecret, hash as opaque_hash};
pub use principal::{
    API_KEY_HEADER, API_KEY_ROLE, Authenticated, MinimumRole, Principal, RequireRole, SignedIn,
    SignedInUser, Viewer, authenticate_first, roles,
};
pub use routes::{configure, throttled};
pub use signing_key::{SigningKey, SigningKeyError};
pub use tokens::{AccessClaims, AccessTokens};
