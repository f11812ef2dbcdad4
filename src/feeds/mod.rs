//! Feeds of the latest published articles: RSS 2.0, Atom 1.0 and JSON
//! Feed 1.1, optionally of one category (with its subcategories).

mod formats;
mod routes;

pub use routes::{FeedSite, MAX_CONTENT_CHARS, configure};
