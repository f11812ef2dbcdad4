//! A page of a search, on either engine: each engine finds the page's ids
//! with its own full-text index (`sqlite::search_ids`,
//! `postgres::search_ids`); the texts a snippet is cut from are then read
//! for those ids alone, and a search by relevance ranks only the newest
//! matches, the same way on both.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{CheckedText, DbConnection, one_of, postgres, sqlite};
use crate::articles::ArticleSort;
use crate::articles::queries::{ArticleFilter, SearchHit, SearchResults};
use crate::db::schema::articles;
use crate::text::search::{SNIPPET_SCAN_CHARS, SearchQuery};

/// How many of a search's matches relevance ranks: the most recently added
/// ones. Ranking costs as much as the matches it weighs, and a common word
/// matches most of a large newsroom; past these, older matches follow newest
/// first, and `total` is an estimate.
pub const RANKED_MATCHES: i64 = 1_000;

/// The ids of one page of a search, in order, and how many match in all.
pub(super) struct Page {
    pub total: i64,
    /// Whether `total` was counted rather than estimated.
    pub total_is_exact: bool,
    pub ids: Vec<i32>,
}

/// An engine's full-text index over the visible articles a filter keeps
/// (all of them with none), for one search.
pub(super) trait MatchIndex {
    /// Up to `count` matches newest first (by id: the order they were
    /// added), those older than `before` if given, skipping `skipped`.
    fn newest(&mut self, before: Option<i32>, count: i64, skipped: i64) -> QueryResult<Vec<i32>>;
    /// Up to `count` matches newest first, each with its relevance.
    fn newest_ranked(&mut self, count: i64) -> QueryResult<Vec<RankedMatch>>;
    /// The lowest and highest ids of the articles it may match: every
    /// article's, or fewer (an engine may bound a filter's dates).
    fn span(&mut self) -> QueryResult<(i32, i32)>;
}

/// A match and how relevant it is: the lower `score`, the better (FTS5's
/// `rank` as it is, PostgreSQL's `ts_rank` negated).
#[derive(Debug, Clone, Copy, QueryableByName)]
pub(super) struct RankedMatch {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    #[diesel(sql_type = diesel::sql_types::Double)]
    pub score: f64,
}

/// The lowest and highest article ids on `$conn`: each a separate min() or
/// max() of the key, one step down the b-tree (a macro, as each engine runs
/// it on its own connection).
macro_rules! id_span {
    ($conn:expr) => {{
        use diesel::dsl::{max, min};
        use $crate::db::schema::articles;
        diesel::select((
            articles::table.select(min(articles::id)).single_value(),
            articles::table.select(max(articles::id)).single_value(),
        ))
        .get_result::<(Option<i32>, Option<i32>)>($conn)
        .map(|(first, last)| (first.unwrap_or(0), last.unwrap_or(0)))
    }};
}

pub(super) use id_span;

/// The page of a search by relevance, over every visible article or those a
/// filter keeps: the `RANKED_MATCHES` newest matches ranked, then the older
/// ones newest first; with how many match, counted up to those ranked and
/// estimated past them. (A filter once had every match it keeps ranked and
/// counted: 26 to 34 ms a page at 100,000 articles for a common word in a
/// category or a tag.)
/// The newest matches are read once with their relevance (the index found
/// and weighed them in one pass), and ordered here.
pub(super) fn by_relevance(
    index: &mut impl MatchIndex,
    wanted: i64,
    offset: i64,
) -> QueryResult<Page> {
    let window = RANKED_MATCHES as usize;
    let mut newest = if offset < RANKED_MATCHES {
        index.newest_ranked(RANKED_MATCHES + 1)?
    } else {
        // Past the ranked ones: only which they are matters, not their order.
        let ids = index.newest(None, RANKED_MATCHES + 1, 0)?;
        ids.into_iter()
            .map(|id| RankedMatch { id, score: 0.0 })
            .collect()
    };
    let newest_ids: Vec<i32> = newest.iter().map(|found| found.id).collect();
    let (total, total_is_exact) = matches_in_all(index, &newest_ids)?;
    newest.truncate(window);
    let oldest_ranked = newest.last().map_or(0, |found| found.id);
    newest.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.id.cmp(&b.id)));
    let mut ids: Vec<i32> = newest
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(wanted).unwrap_or(usize::MAX))
        .map(|found| found.id)
        .collect();
    let missing = wanted - ids.len() as i64;
    if !total_is_exact && missing > 0 {
        let skipped = (offset - RANKED_MATCHES).max(0);
        ids.extend(index.newest(Some(oldest_ranked), missing, skipped)?);
    }
    Ok(Page {
        total,
        total_is_exact,
        ids,
    })
}

/// How many articles a search matches, and whether they were counted: up
/// to `RANKED_MATCHES` counted, past them estimated (`estimate_matches`),
/// in any order. Counting every match of a common word cost more than the
/// page it heads: at 100,000 articles on PostgreSQL, 50 ms a search newest
/// first, and 230 to 290 for a connection's first five (planned for the
/// word, a scan of every article's text), against 3 to 10 to read the
/// newest thousand.
fn matches_up_to_ranked(index: &mut impl MatchIndex) -> QueryResult<(i64, bool)> {
    let newest = index.newest(None, RANKED_MATCHES + 1, 0)?;
    matches_in_all(index, &newest)
}

/// How many articles a search matches, and whether they were counted, from
/// the ids of its newest matches, newest first, up to `RANKED_MATCHES` + 1
/// of them: all of them when there are no more, or an estimate from the
/// `RANKED_MATCHES` newest.
fn matches_in_all(index: &mut impl MatchIndex, newest: &[i32]) -> QueryResult<(i64, bool)> {
    let ranked = RANKED_MATCHES as usize;
    match (newest.first(), newest.get(ranked - 1)) {
        (Some(&newest_match), Some(&oldest_ranked)) if newest.len() > ranked => Ok((
            estimate_matches(index.span()?.0, newest_match, oldest_ranked),
            false,
        )),
        _ => Ok((newest.len() as i64, true)),
    }
}

/// How a search in an order other than relevance finds its page: how many
/// match (`matches_up_to_ranked`), and whether it walks the articles in
/// that order (`walk_pays`) or reads its matches and sorts them.
pub(super) struct SortedSearch {
    pub total: i64,
    pub total_is_exact: bool,
    pub walks: bool,
}

/// How walking the articles in an order fares, on an engine, against
/// reading a search's matches and sorting them.
pub(super) struct Walking {
    /// How many times more testing an article on a walk costs than
    /// reading a match to sort it (`walk_pays`).
    pub walked_over_listed: i64,
    /// Whether a walk by last change may pay within dates that end
    /// (`walks_in_order`).
    pub by_change_within_ended_dates: bool,
}

/// How a search in `sort` (not relevance) over `index`, narrowed by
/// `filter`, finds a page of `rows` rows, walking as `walking` says of the
/// engine at hand.
pub(super) fn sorted_search(
    index: &mut impl MatchIndex,
    (sort, filter): (ArticleSort, &ArticleFilter),
    rows: i64,
    walking: &Walking,
) -> QueryResult<SortedSearch> {
    let (total, total_is_exact) = matches_up_to_ranked(index)?;
    // With no match, reading them all reads nothing.
    let walks = walks_in_order(sort, filter, walking) && total > 0 && {
        let (first, last) = index.span()?;
        let archive = i64::from(last - first) + 1;
        walk_pays(total, rows, archive, walking.walked_over_listed)
    };
    Ok(SortedSearch {
        total,
        total_is_exact,
        walks,
    })
}

/// Whether an index holds the articles in `sort`'s order, so a search's
/// page narrowed by `filter` may walk it, testing each article against the
/// full-text index: by publication time (`articles_visible`), by last
/// change (`articles_by_update`), by rating (`articles_by_rating`), by
/// views (the views' own table, `article_views_by_count`). Relevance is
/// the full-text index's own. By last change within dates that end, only
/// where `walking` says such a walk may pay: an article changes at or after
/// its publication, so that walk first passes every article changed since
/// the dates end, for dates long past most of the archive.
fn walks_in_order(sort: ArticleSort, filter: &ArticleFilter, walking: &Walking) -> bool {
    match sort {
        ArticleSort::NewestFirst
        | ArticleSort::OldestFirst
        | ArticleSort::BestRated
        | ArticleSort::MostViewed => true,
        ArticleSort::RecentlyChanged => {
            filter.published_to.is_none() || walking.by_change_within_ended_dates
        }
        ArticleSort::Relevance => false,
    }
}

/// Whether a page of `rows` rows of a search matching `matches` of an
/// archive of `archive` articles is found sooner by walking the articles
/// in its order (`walks_in_order`), testing each against the full-text
/// index, than by reading every match and sorting them, where testing an
/// article costs `walked_over_listed` times reading a match (each engine
/// measures its own). The walk passes about rows × archive / matches
/// articles, so it pays from matches² ≥ walked_over_listed × rows × archive.
fn walk_pays(matches: i64, rows: i64, archive: i64, walked_over_listed: i64) -> bool {
    matches.saturating_mul(matches)
        >= walked_over_listed
            .saturating_mul(rows)
            .saturating_mul(archive)
}

/// How many articles a search matches, estimated from the ranked ones: they
/// are the `RANKED_MATCHES` newest, from `oldest_ranked` to `newest_match`,
/// and matches are taken to be as dense among the articles before those as
/// among them, down to the `first` article. Not counted from the newest
/// article: a filter keeping only older articles (`published_to`) had its
/// matches estimated as dense over years it keeps none of.
fn estimate_matches(first: i32, newest_match: i32, oldest_ranked: i32) -> i64 {
    let ranked_over = i64::from(newest_match - oldest_ranked) + 1;
    let all = i64::from(newest_match - first) + 1;
    (RANKED_MATCHES * all / ranked_over.max(1)).max(RANKED_MATCHES + 1)
}

/// Visible articles holding every term of `query` and kept by `filter`, in
/// `sort`'s order, and how many match in all: the engine's full-text index
/// finds the page, then only as much of each body as a snippet looks at is
/// read (a sort carrying every match's body would cost as much as the
/// bodies weigh). Fetches one row more than `limit`.
pub fn search_articles(
    conn: &mut DbConnection,
    query: &SearchQuery,
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
) -> QueryResult<SearchResults> {
    let wanted = crate::db::rows_for_page(limit);
    let page = match &mut *conn {
        DbConnection::Sqlite(inner) => {
            sqlite::search_ids(inner, query, filter, sort, now, wanted, offset)?
        }
        DbConnection::Postgres(inner) => {
            postgres::search_ids(inner, query, filter, sort, now, wanted, offset)?
        }
    };
    // As far as a snippet looks, and one character more to tell there is more.
    let scanned = i32::try_from(SNIPPET_SCAN_CHARS + 1).unwrap_or(i32::MAX);
    let rows: Vec<(i32, CheckedText, String, String)> = super::on_engine!(conn, conn => {
        articles::table
            .filter(one_of(articles::id, &page.ids))
            .select((
                articles::id,
                super::substr(articles::body_text, 1, scanned),
                articles::summary,
                articles::title,
            ))
            .load(conn)
    })?;
    let mut hits: Vec<SearchHit> = rows
        .into_iter()
        .map(|(id, body_start, summary, title)| SearchHit {
            id,
            body_start: body_start.into(),
            summary,
            title,
        })
        .collect();
    hits.sort_by_key(|hit| page.ids.iter().position(|id| *id == hit.id));
    Ok(SearchResults {
        hits,
        total: page.total,
        total_is_exact: page.total_is_exact,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_estimated_as_dense_below_the_ranked_ones_as_among_them() {
        // The newest thousand over 2,000 ids: one article in two matches.
        assert_eq!(estimate_matches(1, 100_000, 98_001), 50_000);
        // Matches only among the older half (a filter keeping them): the
        // newer half, holding none, does not thin the estimate out.
        assert_eq!(estimate_matches(1, 50_000, 48_001), 25_000);
        // More than were ranked, since one more was read.
        assert_eq!(
            estimate_matches(99_001, 100_000, 99_001),
            RANKED_MATCHES + 1
        );
    }
}
