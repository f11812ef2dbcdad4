//! Cross-cutting HTTP plumbing: middleware and extractors every resource uses.

pub mod client_addr;
pub mod etag;
pub mod fallback;
pub mod head;
pub mod pagination;
pub mod request_id;

pub use client_addr::ClientAddr;
pub use pagination::{Cursor, Page, PageParams, Paging, Position};
pub use request_id::RequestId;
