//! Cross-cutting HTTP plumbing: middleware and extractors every resource uses.

pub mod body_timeout;
pub mod cache;
pub mod cache_control;
pub mod client_addr;
pub mod codings;
pub mod etag;
pub mod extractors;
pub mod fallback;
pub mod fields;
pub mod head;
pub mod json;
pub mod language;
pub mod pagination;
pub mod permalinks;
pub mod preconditions;
pub mod query;
pub mod request_id;
pub mod route;
pub mod vietnamese;
pub mod wording;

pub use client_addr::ClientAddr;
pub use json::JsonBody;
pub use pagination::{Cursor, Page, PageParams, Paging, Position};
pub(crate) use preconditions::versioned;
pub use preconditions::{Precondition, Versioned, check_version, version_tag};
pub use query::Query;
pub use request_id::RequestId;

/// Whether `path` is a public resource (the API's, the feeds', the
/// sitemaps'), not an operations endpoint or the docs page: what shared
/// caches may keep, and what refuses query parameters it does not take.
pub fn is_public_path(path: &str) -> bool {
    path.starts_with("/api/v1/") || path.starts_with("/feeds/") || crate::sitemaps::is_sitemap(path)
}
