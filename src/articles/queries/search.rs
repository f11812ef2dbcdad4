//! Full-text search over the visible articles; each engine's index finds
//! the ids (`db::search_articles`).

use diesel::prelude::*;

/// One article found by a search, with what its snippet is cut from.
#[derive(Debug, QueryableByName)]
pub struct SearchHit {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    /// The start of the body's text: as far as a snippet looks, and one
    /// character more to tell that there is more.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub body_start: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub summary: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
}

/// One page of a search: its hits in order and how many match in all.
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    /// Whether `total` was counted rather than estimated.
    pub total_is_exact: bool,
}

// The visible articles holding every term and kept by a filter, best
// first: each engine's full-text index finds them, in `db`.
pub use crate::db::search_articles as search_visible;
