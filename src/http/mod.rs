//! Cross-cutting HTTP plumbing: middleware and extractors every resource uses.

pub mod body_timeout;
pub mod cache;
pub mod cache_control;
pub mod client_addr;
pub mod etag;
pub mod fallback;
pub mod fields;
pub mod head;
pub mod json;
pub mod language;
pub mod pagination;
pub mod preconditions;
pub mod query;
pub mod request_id;
pub mod vietnamese;
pub mod wording;

pub use client_addr::ClientAddr;
pub use json::JsonBody;
pub use pagination::{Cursor, Page, PageParams, Paging, Position};
pub use preconditions::{Precondition, check_version, version_tag};
pub use query::Query;
pub use request_id::RequestId;
