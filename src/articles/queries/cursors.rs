//! Where a list stopped, as its cursor carries it: the order and the sort
//! key of the last item sent, computed the same way here and in SQL.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::articles::ArticleSort;
use crate::articles::model::ArticleRow;

/// The order a list comes in: a sort the client chose, or, for mobile sync,
/// the order articles changed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    Sorted(ArticleSort),
    /// Oldest change first, so a client can stop anywhere and go on later.
    Changes,
}

/// Where a list stopped: the sort and the key of the last item sent, so a
/// cursor can never be replayed under another order.
/// Staff lists hold drafts, which have no publication time (`p` is null):
/// they come last newest first, and first oldest first, as SQLite sorts nulls.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "s")]
pub enum ListPosition {
    #[serde(rename = "n")]
    Newest { p: Option<NaiveDateTime>, i: i32 },
    #[serde(rename = "o")]
    Oldest { p: Option<NaiveDateTime>, i: i32 },
    #[serde(rename = "v")]
    Views { v: i64, i: i32 },
    #[serde(rename = "r")]
    Rating { a: f64, i: i32 },
    #[serde(rename = "u")]
    Updated { u: NaiveDateTime, i: i32 },
    #[serde(rename = "c")]
    Changed { c: NaiveDateTime, i: i32 },
}

impl ListPosition {
    /// The position just after `row` in `order`; `None` for relevance (searches page by position).
    pub fn after(row: &ArticleRow, order: ListOrder) -> Option<Self> {
        let (p, i) = (row.published_at, row.id);
        match order {
            ListOrder::Sorted(ArticleSort::NewestFirst) => Some(ListPosition::Newest { p, i }),
            ListOrder::Sorted(ArticleSort::OldestFirst) => Some(ListPosition::Oldest { p, i }),
            ListOrder::Sorted(ArticleSort::MostViewed) => Some(ListPosition::Views {
                v: row.view_count,
                i,
            }),
            ListOrder::Sorted(ArticleSort::BestRated) => Some(ListPosition::Rating {
                a: rating_score(row),
                i,
            }),
            ListOrder::Sorted(ArticleSort::RecentlyChanged) => Some(ListPosition::Updated {
                u: row.updated_at,
                i,
            }),
            ListOrder::Sorted(ArticleSort::Relevance) => None,
            ListOrder::Changes => Some(ListPosition::Changed {
                c: change_time(row),
                i,
            }),
        }
    }

    pub fn order(&self) -> ListOrder {
        match self {
            ListPosition::Newest { .. } => ListOrder::Sorted(ArticleSort::NewestFirst),
            ListPosition::Oldest { .. } => ListOrder::Sorted(ArticleSort::OldestFirst),
            ListPosition::Views { .. } => ListOrder::Sorted(ArticleSort::MostViewed),
            ListPosition::Rating { .. } => ListOrder::Sorted(ArticleSort::BestRated),
            ListPosition::Updated { .. } => ListOrder::Sorted(ArticleSort::RecentlyChanged),
            ListPosition::Changed { .. } => ListOrder::Changes,
        }
    }
}

/// When a once-public article last changed for a reader: its last write, or
/// the moment it went public, whichever is later. A scheduled article goes
/// live with no write at all, so its publication time must count.
/// `CHANGE_TIME` is the same in SQL; the sync scope holds only articles whose
/// publication time has come, so neither meets a null.
pub fn change_time(row: &ArticleRow) -> NaiveDateTime {
    row.published_at.map_or(row.updated_at, |published_at| {
        published_at.max(row.updated_at)
    })
}

/// The `articles_by_change` index holds this expression (migration
/// article_change_order), which the sync's pages walk: change both or
/// neither.
pub(crate) const CHANGE_TIME: &str = "(CASE WHEN articles.published_at > articles.updated_at \
     THEN articles.published_at ELSE articles.updated_at END)";

/// An article's counted views in SQL, for an ordering over a query that
/// does not join `article_views` (a search's matches).
pub(crate) const VIEW_COUNT: &str = "(SELECT article_views.view_count FROM article_views \
     WHERE article_views.article_id = articles.id)";

/// The average as SQL computes it for `-rating`, so keys compare exactly.
/// What `-rating` ranks by (see [`ArticleSort::BestRated`]), in SQL; the
/// same operations in the same order as [`rating_score`], so a cursor's
/// score compares equal to its row's.
/// The `articles_by_rating` index holds this expression (migration
/// article_rating_order), which `-rating` pages walk: change both or
/// neither.
pub(crate) const RATING_SCORE: &str = "(CASE WHEN articles.rating_count = 0 THEN 0.0 \
     ELSE CAST(articles.rating_total + 15 AS DOUBLE PRECISION) / (articles.rating_count + 5) END)";

/// An article's rank under `-rating`: its stars with five votes of 3 added,
/// so a few votes cannot outrank many; 0 when unrated.
fn rating_score(row: &ArticleRow) -> f64 {
    if row.rating_count == 0 {
        0.0
    } else {
        (row.rating_total + 15) as f64 / (row.rating_count + 5) as f64
    }
}
