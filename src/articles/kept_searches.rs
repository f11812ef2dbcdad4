//! A search's page as found (which articles, in which order, with their
//! snippets, and how many match), and the store keeping such pages past
//! the life of the answers showing them (`KeptResults`): the handler reads
//! the articles' figures anew for each answer.

use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::ArticleSort;
use super::queries::{self, ArticleFilter, SearchHit};
use crate::db::DbConnection;
use crate::http::cache::KeptResults;
use crate::text::search::{self, SearchQuery};

/// Searches' pages kept on a node that sees every write.
pub type KeptSearches = KeptResults<SearchAsked, FoundPage>;

/// What a search's page is found from: the same ones find the same page.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SearchAsked {
    pub query: SearchQuery,
    pub filter: ArticleFilter,
    pub sort: ArticleSort,
    pub limit: u32,
    pub start: i64,
}

impl SearchAsked {
    /// Whether its page may be kept: found in an order that only writes
    /// moving articles between lists change (by relevance, by publication
    /// time). Votes and views move the best rated and the most read, and
    /// an edit the last changed.
    pub fn may_be_kept(&self) -> bool {
        match self.sort {
            ArticleSort::Relevance | ArticleSort::NewestFirst | ArticleSort::OldestFirst => true,
            ArticleSort::RecentlyChanged | ArticleSort::BestRated | ArticleSort::MostViewed => {
                false
            }
        }
    }
}

/// A search's page as found: its articles in order, each with its snippet,
/// and how many match in all.
#[derive(Debug, Clone)]
pub struct FoundPage {
    pub hits: Arc<[(i32, Option<String>)]>,
    pub total: i64,
    /// Whether `total` was counted rather than estimated.
    pub total_is_exact: bool,
}

impl FoundPage {
    /// The page `asked` finds at `now`: ranked, its snippets cut. Fetches
    /// one article more than the page shows, to tell whether more follow.
    pub fn find(
        conn: &mut DbConnection,
        asked: &SearchAsked,
        now: NaiveDateTime,
    ) -> QueryResult<Self> {
        let SearchAsked {
            query,
            filter,
            sort,
            limit,
            start,
        } = asked;
        let results = queries::search_visible(conn, query, filter, *sort, now, *limit, *start)?;
        Ok(Self {
            hits: (results.hits.iter())
                .map(|hit| (hit.id, snippet_of(hit, query)))
                .collect(),
            total: results.total,
            total_is_exact: results.total_is_exact,
        })
    }

    /// Its articles' ids, in order.
    pub fn ids(&self) -> Arc<[i32]> {
        self.hits.iter().map(|(id, _)| *id).collect()
    }

    /// About the bytes it and what it was found for hold.
    pub fn held_with(&self, asked: &SearchAsked) -> usize {
        /// A hit's and the whole's holding beside their texts (the entry,
        /// the filter, the stamp).
        const HIT: usize = 48;
        const WHOLE: usize = 512;
        let snippets: usize = (self.hits.iter())
            .map(|(_, snippet)| HIT + snippet.as_ref().map_or(0, String::len))
            .sum();
        WHOLE + snippets + asked.query.held()
    }
}

/// A hit's snippet: from its body, else its summary, else its title.
fn snippet_of(hit: &SearchHit, query: &SearchQuery) -> Option<String> {
    search::snippet(&hit.body_start, query)
        .or_else(|| search::snippet(&hit.summary, query))
        .or_else(|| search::snippet(&hit.title, query))
}
