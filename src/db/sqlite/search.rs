//! Searching articles with FTS5: the `articles_search` index (its columns
//! weighted by the search_visibility migration), matched with the terms
//! `search` makes of a query, and only the visible articles kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::articles::model::ArticleStatus;
use crate::articles::queries::{
    AVERAGE_RATING, ArticleFilter, ArticleSort, SearchHit, SearchResults,
};

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// FTS5 matches among the visible articles kept by the filter (the
/// visibility of `is_visible`, in SQL).
/// Each filter is `(? IS NULL OR …)`, bound twice, so one statement serves
/// every combination.
/// The kept ids are listed once from the `articles_visible` index (a filter
/// left NULL never reads a row), and each match is tested against that
/// list: `+rowid` keeps SQLite from running the full-text query once per
/// listed id instead.
const SEARCH_WHERE: &str = "articles_search MATCH ? AND +articles_search.rowid IN (\
     SELECT id FROM articles WHERE status IN (?, ?) AND published_at <= ? AND deleted_at IS NULL \
     AND (? IS NULL OR category_id IN (SELECT value FROM json_each(?))) \
     AND (? IS NULL OR author_id = ?) \
     AND (? IS NULL OR id IN (SELECT article_id FROM article_tags WHERE tag_key = ?)) \
     AND (? IS NULL OR id IN (SELECT article_id FROM article_references WHERE number = ?)) \
     AND (? IS NULL OR published_at >= ?) \
     AND (? IS NULL OR published_at < ?))";

/// The articles a search over everything must leave out: not visible now,
/// found through the small `articles_unlisted` index (anything but
/// published, or trashed) and the visible-articles index (published, with a
/// time still to come). Binds the time twice. `UNION ALL`: a plain `UNION`
/// merges the two in id order, which SQLite serves by reading every article
/// (bodies and all) rather than sort the few ids.
const HIDDEN: &str = "SELECT id FROM articles WHERE (deleted_at IS NOT NULL OR status <> 'published') \
     AND NOT (status IN ('published', 'scheduled') AND published_at <= ? AND deleted_at IS NULL) \
     UNION ALL SELECT id FROM articles WHERE deleted_at IS NULL AND published_at > ?";

/// A search's ORDER BY: one of these fixed clauses, never client text.
/// By relevance, the index alone ranks (`rank`: bm25 with the weights the
/// search_visibility migration set, a match in the title counting most,
/// then the summary, the byline, the body); the other orders read the
/// articles.
fn ranked_search(sort: ArticleSort) -> String {
    let order = match sort {
        ArticleSort::Relevance => {
            return format!(
                "SELECT articles_search.rowid AS id FROM articles_search WHERE {SEARCH_WHERE} \
                 ORDER BY rank, articles_search.rowid LIMIT ? OFFSET ?"
            );
        }
        ArticleSort::NewestFirst => "a.published_at DESC, a.id DESC".into(),
        ArticleSort::RecentlyChanged => "a.updated_at DESC, a.id DESC".into(),
        ArticleSort::OldestFirst => "a.published_at, a.id".into(),
        ArticleSort::MostViewed => "a.view_count DESC, a.id DESC".into(),
        ArticleSort::BestRated => format!(
            "{} DESC, a.id DESC",
            AVERAGE_RATING.replace("articles.", "a.")
        ),
    };
    format!(
        "SELECT a.id AS id FROM articles_search JOIN articles a ON a.id = articles_search.rowid \
         WHERE {SEARCH_WHERE} ORDER BY {order} LIMIT ? OFFSET ?"
    )
}

/// Binds what `SEARCH_WHERE` asks, in its order.
macro_rules! bind_search {
    ($statement:expr, $query:expr, $now:expr, $filter:expr, $categories:expr) => {{
        use diesel::sql_types::{Integer, Nullable, Text, Timestamp};
        $statement
            .bind::<Text, _>($query)
            .bind::<Text, _>(ArticleStatus::Published.as_str())
            .bind::<Text, _>(ArticleStatus::Scheduled.as_str())
            .bind::<Timestamp, _>($now)
            .bind::<Nullable<Text>, _>($categories)
            .bind::<Nullable<Text>, _>($categories)
            .bind::<Nullable<Integer>, _>($filter.author_id)
            .bind::<Nullable<Integer>, _>($filter.author_id)
            .bind::<Nullable<Text>, _>(&$filter.tag_key)
            .bind::<Nullable<Text>, _>(&$filter.tag_key)
            .bind::<Nullable<Text>, _>(&$filter.cites_number)
            .bind::<Nullable<Text>, _>(&$filter.cites_number)
            .bind::<Nullable<Timestamp>, _>($filter.published_from)
            .bind::<Nullable<Timestamp>, _>($filter.published_from)
            .bind::<Nullable<Timestamp>, _>($filter.published_to)
            .bind::<Nullable<Timestamp>, _>($filter.published_to)
    }};
}

/// How many of a search's matches relevance ranks: the most recently added
/// ones. Ranking costs as much as the matches it weighs, and a common word
/// matches most of a large newsroom; past these, older matches follow newest
/// first, and `total` is an estimate.
pub const RANKED_MATCHES: i64 = 1_000;

/// Visible articles holding every term and kept by `filter`, best first,
/// and how many match in all. Fetches one row more than `limit`.
pub fn search_visible(
    conn: &mut SqliteConnection,
    matching: &str,
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
) -> QueryResult<SearchResults> {
    use diesel::sql_types::{BigInt, Text};
    // The page's ids first, ranked on the index alone; the texts only for
    // those, and only as much of a body as a snippet looks at: a sort
    // carrying every match's body would cost as much as the bodies weigh.
    let wanted = i64::from(limit) + 1;
    let (total, total_is_exact, ids) = if filter.is_empty() && sort == ArticleSort::Relevance {
        by_relevance(conn, matching, now, wanted, offset)?
    } else {
        let total = count_matches(conn, matching, filter, now)?;
        let ids = ranked_filtered(conn, matching, filter, sort, now, limit, offset)?;
        (total, true, ids)
    };
    let scanned = i64::try_from(crate::search::SNIPPET_SCAN_CHARS).unwrap_or(i64::MAX) + 1;
    let mut hits: Vec<SearchHit> = diesel::sql_query(
        "SELECT id, substr(body_text, 1, ?) AS body_start, summary, title \
         FROM articles WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind::<BigInt, _>(scanned)
    .bind::<Text, _>(super::json_list(&ids))
    .load(conn)?;
    hits.sort_by_key(|hit| ids.iter().position(|id| *id == hit.id));
    Ok(SearchResults {
        hits,
        total,
        total_is_exact,
    })
}

/// How many visible articles kept by `filter` hold every term.
fn count_matches(
    conn: &mut SqliteConnection,
    matching: &str,
    filter: &ArticleFilter,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    use diesel::sql_types::{Text, Timestamp};
    if filter.is_empty() {
        // Over everything visible: the matches less the few hidden ones,
        // with no list of every visible article to test them against.
        return Ok(diesel::sql_query(format!(
            "SELECT (SELECT count(*) FROM articles_search WHERE articles_search MATCH ?) \
               - (SELECT count(*) FROM articles_search WHERE articles_search MATCH ? \
                  AND rowid IN ({HIDDEN})) AS n"
        ))
        .bind::<Text, _>(matching)
        .bind::<Text, _>(matching)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(now)
        .get_result::<Count>(conn)?
        .n);
    }
    let categories = categories_json(filter);
    let count = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM articles_search WHERE {SEARCH_WHERE}"
    ));
    Ok(bind_search!(count, matching, now, filter, &categories)
        .get_result::<Count>(conn)?
        .n)
}

/// The page of a search over every visible article by relevance: the
/// `RANKED_MATCHES` newest matches ranked, then the older ones newest first;
/// with how many match, counted up to those ranked and estimated past them.
fn by_relevance(
    conn: &mut SqliteConnection,
    matching: &str,
    now: NaiveDateTime,
    wanted: i64,
    offset: i64,
) -> QueryResult<(i64, bool, Vec<i32>)> {
    use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
    let newest = newest_matches(conn, matching, now, RANKED_MATCHES + 1, None, 0)?;
    let (oldest_ranked, total, total_is_exact) = match newest.get(RANKED_MATCHES as usize - 1) {
        Some(&oldest) if newest.len() as i64 > RANKED_MATCHES => {
            (oldest, estimate_matches(conn, oldest)?, false)
        }
        _ => (
            newest.last().copied().unwrap_or(0),
            newest.len() as i64,
            true,
        ),
    };
    let mut ids = Vec::new();
    if offset < RANKED_MATCHES {
        ids = diesel::sql_query(format!(
            "SELECT rowid AS id FROM articles_search WHERE articles_search MATCH ? \
             AND rowid >= ? AND rowid NOT IN ({HIDDEN}) ORDER BY rank, rowid LIMIT ? OFFSET ?"
        ))
        .bind::<Text, _>(matching)
        .bind::<Integer, _>(oldest_ranked)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(wanted)
        .bind::<BigInt, _>(offset)
        .load::<Ranked>(conn)?
        .into_iter()
        .map(|ranked| ranked.id)
        .collect();
    }
    let missing = wanted - ids.len() as i64;
    if !total_is_exact && missing > 0 {
        let skipped = (offset - RANKED_MATCHES).max(0);
        let older = newest_matches(conn, matching, now, missing, Some(oldest_ranked), skipped)?;
        ids.extend(older);
    }
    Ok((total, total_is_exact, ids))
}

#[derive(QueryableByName)]
struct Ranked {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// Up to `count` visible matches, newest first (by id: the order they were
/// added), those older than `before` if given, skipping the first `skipped`.
/// The index keeps its matches by id, so this reads no more than it returns.
fn newest_matches(
    conn: &mut SqliteConnection,
    matching: &str,
    now: NaiveDateTime,
    count: i64,
    before: Option<i32>,
    skipped: i64,
) -> QueryResult<Vec<i32>> {
    use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
    let found = diesel::sql_query(format!(
        "SELECT rowid AS id FROM articles_search WHERE articles_search MATCH ? \
         AND (? IS NULL OR rowid < ?) AND rowid NOT IN ({HIDDEN}) \
         ORDER BY rowid DESC LIMIT ? OFFSET ?"
    ))
    .bind::<Text, _>(matching)
    .bind::<Nullable<Integer>, _>(before)
    .bind::<Nullable<Integer>, _>(before)
    .bind::<Timestamp, _>(now)
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(count)
    .bind::<BigInt, _>(skipped)
    .load::<Ranked>(conn)?;
    Ok(found.into_iter().map(|ranked| ranked.id).collect())
}

/// How many articles a search matches, estimated from the ranked ones: they
/// are the `RANKED_MATCHES` newest, from `oldest_ranked` on, and matches are
/// taken to be as dense among all articles as among those since it.
fn estimate_matches(conn: &mut SqliteConnection, oldest_ranked: i32) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Span {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        first: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        last: i32,
    }
    // Each a separate min() or max() of the key: one step down the b-tree.
    let span: Span = diesel::sql_query(
        "SELECT (SELECT min(id) FROM articles) AS first, (SELECT max(id) FROM articles) AS last",
    )
    .get_result(conn)?;
    let since = i64::from(span.last - oldest_ranked) + 1;
    let all = i64::from(span.last - span.first) + 1;
    Ok((RANKED_MATCHES * all / since.max(1)).max(RANKED_MATCHES + 1))
}

/// The category filter as a JSON list, for `json_each()` to turn into rows.
fn categories_json(filter: &ArticleFilter) -> Option<String> {
    filter.category_ids.as_deref().map(super::json_list)
}

/// One page of a search's ids through `SEARCH_WHERE`, which tests each
/// match against the visible articles the filter keeps.
fn ranked_filtered(
    conn: &mut SqliteConnection,
    matching: &str,
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
) -> QueryResult<Vec<i32>> {
    use diesel::sql_types::BigInt;
    let categories = categories_json(filter);
    let ranked = diesel::sql_query(ranked_search(sort));
    let found = bind_search!(ranked, matching, now, filter, &categories)
        .bind::<BigInt, _>(i64::from(limit) + 1)
        .bind::<BigInt, _>(offset)
        .load::<Ranked>(conn)?;
    Ok(found.into_iter().map(|ranked| ranked.id).collect())
}
