//! API keys for integrators: created by admins, shown once, stored hashed,
//! sent as `X-Api-Key`, scoped `read` or `write`.

pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use crate::db::text_enum;
pub use routes::configure;

text_enum! {
    /// `read`: safe methods only; `write`: anything an editor may do.
    pub enum ApiKeyScope {
        Read = "read",
        Write = "write",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_sent_as_they_are_stored() {
        crate::db::assert_json_matches_storage(ApiKeyScope::ALL, |s| s.as_str());
    }
}
