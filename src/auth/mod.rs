//! Authentication: the key access tokens are signed with.

mod signing_key;

pub use signing_key::{SigningKey, SigningKeyError};
