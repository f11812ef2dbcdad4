//! Searching articles with FTS5: the `articles_search` index (its columns
//! weighted by the search_visibility migration), matched with the terms
//! `search` makes of a query, and only the visible articles kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ranking::relevance_of;
use crate::articles::ArticleSort;
use crate::articles::queries::{ArticleFilter, RATING_SCORE, VIEW_COUNT, hidden_sql, visible_sql};
use crate::db::kept_text;
use crate::db::search::{
    MatchIndex, Page, RANKED_MATCHES, RankedMatch, SortedSearch, Walking, by_relevance, id_span,
    sorted_search,
};
use crate::text::search::SearchQuery;

/// The articles as `alias` that `filter` keeps: its conditions on their
/// columns (`kept_by_columns`), then its links (`kept_by_links`).
fn kept_by_filter(alias: &str, filter: &ArticleFilter) -> String {
    format!(
        "{columns} AND {links}",
        columns = kept_by_columns(alias, filter),
        links = kept_by_links(&format!("{alias}.id"))
    )
}

/// The articles as `alias` that `filter` keeps by their own columns, but
/// for its dates: those are `within_dates`, written where SQLite may seek
/// by them. Each condition but `featured` is `(? IS NULL OR …)`, bound
/// twice (`bind_filter!`), so one statement serves every combination of
/// them. `featured` is written out, as the partial index of featured
/// articles serves only a statement naming the bare column: bound, a
/// search among them listed every visible article first (120 ms at 100,000
/// articles).
fn kept_by_columns(alias: &str, filter: &ArticleFilter) -> String {
    let featured = match filter.featured {
        Some(true) => format!(" AND {alias}.featured"),
        Some(false) => format!(" AND NOT {alias}.featured"),
        None => String::new(),
    };
    format!(
        "(? IS NULL OR {alias}.category_id IN (SELECT value FROM json_each(?))) \
         AND (? IS NULL OR {alias}.author_id = ?) \
         AND (? IS NULL OR {alias}.lang = ?){featured}"
    )
}

/// The articles whose id is `id` linked to the filter's tag and to the
/// document number it cites, each `(? IS NULL OR …)` bound twice.
fn kept_by_links(id: &str) -> String {
    format!(
        "(? IS NULL OR {id} IN (SELECT article_id FROM article_tags WHERE tag_key = ?)) \
         AND (? IS NULL OR {id} IN (SELECT article_id FROM article_references WHERE number = ?))"
    )
}

/// Where a statement over `articles_search` begins: the query's matches
/// among the ids a search reads (`Matches::within`), bound as the match,
/// then the lowest id and the highest. FTS5 reads its lists of the words
/// between the two alone.
const MATCHED_WITHIN: &str = "articles_search MATCH ? AND articles_search.rowid BETWEEN ? AND ?";

/// The articles as `alias` published within a filter's dates, bound as
/// its start, then its end (`bind_dates!`), each left open by a NULL: a
/// text every stored time passes, `''` before any, the last second of 9999
/// after any. (Not `'9999'`: it reads as a number, the column's affinity
/// makes it one, and every text sorts after every number.) Written first
/// in a statement: of two bounds on the time, SQLite seeks the visible
/// articles' index by the first, and by the visibility's own (up to now) a
/// search within a month of 2021 read every article since then (9 ms at
/// 100,000 articles). Not `(? IS NULL OR …)`, which SQLite cannot seek by:
/// a search newest first within 2020 walked every article since (15 ms).
fn within_dates(alias: &str) -> String {
    format!(
        "{alias}.published_at >= coalesce(?, '') \
         AND {alias}.published_at < coalesce(?, '9999-12-31 23:59:59')"
    )
}

/// The visible articles as `alias` published within a filter's dates:
/// `within_dates` first, for SQLite to seek by them, then the visibility
/// (`visible_sql`), bound as `bind_visible_within!`.
fn visible_within_dates(alias: &str) -> String {
    format!("{} AND {}", within_dates(alias), visible_sql(alias, "?"))
}

/// FTS5 matches among the visible articles kept by the filter
/// (`kept_by_filter`).
/// The kept ids are listed once from the `articles_visible` index (a filter
/// left NULL never reads a row), within the filter's dates
/// (`visible_within_dates`), and each match is tested against that list: `+rowid`
/// keeps SQLite from running the full-text query once per listed id
/// instead.
fn search_where(filter: &ArticleFilter) -> String {
    format!(
        "{MATCHED_WITHIN} AND +articles_search.rowid IN (\
         SELECT id FROM articles WHERE {visible} AND {kept})",
        visible = visible_within_dates("articles"),
        kept = kept_by_filter("articles", filter)
    )
}

/// FTS5 matches, each tested on its own against the filter: against the
/// lists of its links' articles, read once from their indexes, then its
/// article found by id in `articles_shown_by_id`, which holds whether
/// guests see it and its category and language, where the table's row
/// keeps them past the body (left to choose, SQLite read the row by its
/// key: 4 µs a match, against 1.7). SQLite tests a correlated subquery
/// after every other condition, so a match outside a tag's list is never
/// looked up. Binds as `search_where` does.
fn tested_where(filter: &ArticleFilter) -> String {
    format!(
        "{MATCHED_WITHIN} AND EXISTS (SELECT 1 FROM articles a INDEXED BY \
         articles_shown_by_id WHERE a.id = articles_search.rowid AND {visible} AND {columns}) \
         AND {links}",
        visible = visible_within_dates("a"),
        columns = kept_by_columns("a", filter),
        links = kept_by_links("+articles_search.rowid")
    )
}

/// A search's ORDER BY over the articles as `a`: one of these fixed
/// clauses, never client text; `None` by relevance, which the full-text
/// index ranks (`relevance_of`: bm25 with a match in the title counting
/// most, then the summary, the byline, the body).
fn order_of(sort: ArticleSort) -> Option<String> {
    Some(match sort {
        ArticleSort::Relevance => return None,
        ArticleSort::NewestFirst => "a.published_at DESC, a.id DESC".into(),
        ArticleSort::RecentlyChanged => "a.updated_at DESC, a.id DESC".into(),
        ArticleSort::OldestFirst => "a.published_at, a.id".into(),
        ArticleSort::MostViewed => {
            format!("{} DESC, a.id DESC", VIEW_COUNT.replace("articles.", "a."))
        }
        ArticleSort::BestRated => format!(
            "{} DESC, a.id DESC",
            RATING_SCORE.replace("articles.", "a.")
        ),
    })
}

/// How a walk fares here (`sorted_search`). Testing an article against the
/// full-text index, walking an order, costs more than reading a match with
/// its article to sort it: about 15 µs (its row and the index's lists of
/// the words) against 0.8. Measured at 100,000 articles, a word in every
/// one: 80 ms sorted, 0.35 ms walked (3 ms to page 20). By last change
/// within dates that end, reading the matches within the dates and sorting
/// them pays: a common word before 2021 took 106 to 170 ms walked, 66 to
/// 118 sorted.
const WALKING: Walking = Walking {
    walked_over_listed: 19,
    by_change_within_ended_dates: false,
};

/// Binds what `kept_by_filter` asks, in its order.
macro_rules! bind_filter {
    ($statement:expr, $filter:expr, $categories:expr) => {{
        use diesel::sql_types::{Integer, Nullable, Text};
        $statement
            .bind::<Nullable<Text>, _>($categories)
            .bind::<Nullable<Text>, _>($categories)
            .bind::<Nullable<Integer>, _>($filter.author_id)
            .bind::<Nullable<Integer>, _>($filter.author_id)
            .bind::<Nullable<Text>, _>(&$filter.lang)
            .bind::<Nullable<Text>, _>(&$filter.lang)
            .bind::<Nullable<Text>, _>(&$filter.tag_key)
            .bind::<Nullable<Text>, _>(&$filter.tag_key)
            .bind::<Nullable<Text>, _>(&$filter.cites_number)
            .bind::<Nullable<Text>, _>(&$filter.cites_number)
    }};
}

/// Binds what `within_dates` asks, in its order.
macro_rules! bind_dates {
    ($statement:expr, $filter:expr) => {{
        use diesel::sql_types::{Nullable, Timestamp};
        $statement
            .bind::<Nullable<Timestamp>, _>($filter.published_from)
            .bind::<Nullable<Timestamp>, _>($filter.published_to)
    }};
}

/// Binds what `visible_within_dates` asks, in its order, `$now` being
/// the time the visibility is read at.
macro_rules! bind_visible_within {
    ($statement:expr, $filter:expr, $now:expr) => {
        bind_dates!($statement, $filter).bind::<diesel::sql_types::Timestamp, _>($now)
    };
}

/// Binds what `search_where` asks, in its order.
macro_rules! bind_search {
    ($statement:expr, $query:expr, $within:expr, $now:expr, $filter:expr, $categories:expr) => {{
        let (first, last) = $within;
        let matched = $statement
            .bind::<diesel::sql_types::Text, _>($query)
            .bind::<diesel::sql_types::Integer, _>(first)
            .bind::<diesel::sql_types::Integer, _>(last);
        bind_filter!(
            bind_visible_within!(matched, $filter, $now),
            $filter,
            $categories
        )
    }};
}

/// One page of a search in `sort`'s order (one `walks_in_order` allows;
/// `order` its ORDER BY over the articles as `a`), walking the visible
/// articles the filter keeps in that order and testing each against the
/// full-text index. The walk reads the index holding that order
/// (`walked_index`); a filter's other terms are tested on each article it
/// passes, but for its dates, which a walk by time seeks.
fn walked(
    conn: &mut SqliteConnection,
    (matching, filter): (&str, &ArticleFilter),
    (sort, order): (ArticleSort, &str),
    now: NaiveDateTime,
    wanted: i64,
    offset: i64,
) -> QueryResult<Vec<i32>> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    let (walked, order) = walked_index(sort, order);
    let (visible, kept) = match filter.is_empty() {
        true => (visible_sql("a", "?"), String::new()),
        false => (
            visible_within_dates("a"),
            format!("AND {} ", kept_by_filter("a", filter)),
        ),
    };
    let walk = kept_text(format!(
        "SELECT a.id AS id FROM {walked} {visible} {kept}AND EXISTS (SELECT 1 FROM \
         articles_search WHERE articles_search MATCH ? AND articles_search.rowid = a.id) \
         ORDER BY {order} LIMIT ? OFFSET ?"
    ));
    let found: Vec<Ranked> = match filter.is_empty() {
        true => walk
            .bind::<Timestamp, _>(now)
            .bind::<Text, _>(matching)
            .bind::<BigInt, _>(wanted)
            .bind::<BigInt, _>(offset)
            .load(conn)?,
        false => {
            let categories = categories_json(filter);
            bind_filter!(bind_visible_within!(walk, filter, now), filter, &categories)
                .bind::<Text, _>(matching)
                .bind::<BigInt, _>(wanted)
                .bind::<BigInt, _>(offset)
                .load(conn)?
        }
    };
    Ok(found.into_iter().map(|ranked| ranked.id).collect())
}

/// What a walk in `sort`'s order reads (up to its `WHERE`), and its ORDER
/// BY, `order` over the articles as `a` but by views: the index holding
/// that order, named. Left to choose, SQLite read a filter's dates from
/// `articles_visible` and sorted every article within them: at 100,000
/// articles, 128 ms a page of a common word by last change within a month
/// of 2021. By views the walk follows the views' index
/// (`article_views_by_count`), as a list by views does; the order is the
/// same, each article having its one count. (Relevance never walks.)
fn walked_index(sort: ArticleSort, order: &str) -> (&'static str, &str) {
    match sort {
        ArticleSort::MostViewed => (
            "article_views v INDEXED BY article_views_by_count \
             JOIN articles a ON a.id = v.article_id WHERE",
            "v.view_count DESC, v.article_id DESC",
        ),
        ArticleSort::RecentlyChanged => ("articles a INDEXED BY articles_by_update WHERE", order),
        ArticleSort::BestRated => ("articles a INDEXED BY articles_by_rating WHERE", order),
        ArticleSort::NewestFirst | ArticleSort::OldestFirst | ArticleSort::Relevance => {
            ("articles a INDEXED BY articles_visible WHERE", order)
        }
    }
}

/// The ids of one page of a search (`super::super::search_articles`), and
/// how many match in all: the page ranked on the index alone, without
/// reading an article.
pub fn search_ids(
    conn: &mut SqliteConnection,
    query: &SearchQuery,
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    wanted: i64,
    offset: i64,
) -> QueryResult<Page> {
    let matching = &query.fts_expression();
    let (keeping, within) = keeping(conn, (query, matching), filter, now)?;
    let mut matches = Matches {
        conn,
        query,
        matching,
        keeping: &keeping,
        now,
        within,
    };
    let Some(order) = order_of(sort) else {
        return by_relevance(&mut matches, wanted, offset);
    };
    let SortedSearch {
        total,
        total_is_exact,
        walks,
    } = sorted_search(&mut matches, (sort, filter), offset + wanted, &WALKING)?;
    let ids = match walks {
        true => walked(
            matches.conn,
            (matching, filter),
            (sort, &order),
            now,
            wanted,
            offset,
        )?,
        false => matches.listed(&order, wanted, offset)?,
    };
    Ok(Page {
        total,
        total_is_exact,
        ids,
    })
}

/// Which of its words' matches a search keeps.
enum Keeping<'a> {
    /// Every visible one: the matches less the few hidden articles
    /// (`hidden_sql`), with no list of every visible article to test them
    /// against.
    Visible,
    /// Those among the visible articles a filter keeps, listed once
    /// (`search_where`).
    Filtered(&'a ArticleFilter),
    /// Those a filter keeps, each match tested on its own (`tested_where`):
    /// for a filter narrowing by links alone, or keeping so many of the
    /// words' matches that reading the newest matches up to those wanted
    /// costs less than listing every article it keeps (`keeping`).
    Tested(&'a ArticleFilter),
    /// These, a JSON list of ids: the visible matches a filter keeps, found
    /// among the few the words have (`keeping`).
    Among(String),
}

/// The lowest and highest ids of the visible articles published within the
/// dates `filter` keeps, when it keeps some: no match outside them is kept,
/// so a search may read the full-text index between them alone (`(1, 0)`,
/// no id, when none was published then). Found on the visible articles'
/// index (their time, then their id) over the articles within the dates
/// (`visible_within_dates`): at 100,000 articles, 0.5 ms for a month, 12 ms for
/// everything before February 2021 (38,000 of them).
fn dated_span(
    conn: &mut SqliteConnection,
    filter: &ArticleFilter,
    now: NaiveDateTime,
) -> QueryResult<Option<(i32, i32)>> {
    if !filter.has_dates() {
        return Ok(None);
    }
    let span = kept_text(format!(
        "SELECT min(id) AS first, max(id) AS last FROM articles WHERE {visible}",
        visible = visible_within_dates("articles")
    ));
    let span: IdSpan = bind_visible_within!(span, filter, now).get_result(conn)?;
    Ok(Some(span.first.zip(span.last).unwrap_or((1, 0))))
}

#[derive(QueryableByName)]
struct IdSpan {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    first: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    last: Option<i32>,
}

/// Which matches a search kept by `filter` keeps, and the ids the
/// full-text index is read within, when fewer than all. With a filter, the
/// words' newest visible matches, as many as are ranked, are tested
/// against it. When it keeps fewer than all of them and has dates, the
/// dates may lie far below the newest matches: those newest within the
/// ids the dates span (`dated_span`) are tested instead. When those are
/// all the words have, the ones it keeps are the search's matches. When
/// there are more, a filter narrowing by links alone (a tag, a cited
/// document) is tested on each match: every match is read either way, and
/// listing would read every visible article too. Otherwise how many of
/// them it kept says whether testing each match pays (`testing_pays`) or
/// listing the articles it keeps does. Listing every article a filter
/// keeps made a rare word in a category of 33,000 articles take 30 ms at
/// 100,000 articles, a common word among the articles not featured 100 to
/// 118 ms, and within a tag 15 to 22; a common word within a month of
/// 2021, 40 to 50 ms, and within dates after the newest article (none), 48.
fn keeping<'a>(
    conn: &mut SqliteConnection,
    (query, matching): (&SearchQuery, &str),
    filter: &'a ArticleFilter,
    now: NaiveDateTime,
) -> QueryResult<(Keeping<'a>, Option<(i32, i32)>)> {
    if filter.is_empty() {
        return Ok((Keeping::Visible, None));
    }
    let mut visible = Matches {
        conn,
        query,
        matching,
        keeping: &Keeping::Visible,
        now,
        within: None,
    };
    let mut newest = visible.newest(None, RANKED_MATCHES + 1, 0)?;
    let more_than_ranked = |newest: &[i32]| newest.len() as i64 > RANKED_MATCHES;
    // Narrowed by links alone, listing would read every visible article.
    if more_than_ranked(&newest) && filter.narrows_by_links_alone() {
        return Ok((Keeping::Tested(filter), None));
    }
    let mut kept = kept_among(visible.conn, filter, &newest)?;
    if more_than_ranked(&newest) && kept.len() < newest.len() {
        visible.within = dated_span(visible.conn, filter, now)?;
        if visible.within.is_some() {
            newest = visible.newest(None, RANKED_MATCHES + 1, 0)?;
            kept = kept_among(visible.conn, filter, &newest)?;
        }
    }
    let within = visible.within;
    if !more_than_ranked(&newest) {
        return Ok((Keeping::Among(super::json_list(&kept)), within));
    }
    let (first, last) = visible.span()?;
    let archive = i64::from(last - first) + 1;
    let keeping = match testing_pays(kept.len() as i64, newest.len() as i64, archive) {
        true => Keeping::Tested(filter),
        false => Keeping::Filtered(filter),
    };
    Ok((keeping, within))
}

/// Those of `ids` that `filter` keeps.
fn kept_among(
    conn: &mut SqliteConnection,
    filter: &ArticleFilter,
    ids: &[i32],
) -> QueryResult<Vec<i32>> {
    use diesel::sql_types::Text;
    let categories = categories_json(filter);
    let among = kept_text(format!(
        "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?)) AND {dates} \
         AND {kept}",
        dates = within_dates("articles"),
        kept = kept_by_filter("articles", filter)
    ))
    .bind::<Text, _>(super::json_list(ids));
    let kept: Vec<Ranked> =
        bind_filter!(bind_dates!(among, filter), filter, &categories).load(conn)?;
    Ok(kept.into_iter().map(|ranked| ranked.id).collect())
}

/// How much more testing one match against a filter costs (`tested_where`:
/// its article found by id in `articles_shown_by_id`) than listing one
/// article the filter keeps (`search_where`): about 1.7 µs against 0.9,
/// measured at 100,000 articles in a category of a third of them; more
/// where the test reads the article's row (its author, whether featured).
const TESTED_OVER_LISTED: i64 = 3;

/// Whether a search whose filter kept `kept` of the words' `probed` newest
/// matches finds its ranked matches sooner by testing the newest matches
/// one by one, about `RANKED_MATCHES` × probed / kept tests, than by listing
/// the articles the filter keeps, about `archive` × kept / probed of them.
fn testing_pays(kept: i64, probed: i64, archive: i64) -> bool {
    kept > 0
        && TESTED_OVER_LISTED
            .saturating_mul(RANKED_MATCHES)
            .saturating_mul(probed.saturating_mul(probed))
            <= archive.saturating_mul(kept.saturating_mul(kept))
}

/// The visible matches of a search that `keeping` keeps, as the FTS5 index
/// keeps them (by id, the order they were added).
struct Matches<'a> {
    conn: &'a mut SqliteConnection,
    query: &'a SearchQuery,
    /// The query's FTS5 expression.
    matching: &'a str,
    keeping: &'a Keeping<'a>,
    now: NaiveDateTime,
    /// The lowest and highest ids of the articles it may match, when fewer
    /// than all (`dated_span`).
    within: Option<(i32, i32)>,
}

/// Where a statement over `articles_search` keeps the matches `keeping`
/// keeps.
fn visible_matches(keeping: &Keeping) -> String {
    match keeping {
        Keeping::Visible => format!(
            "{MATCHED_WITHIN} AND articles_search.rowid NOT IN ({hidden})",
            hidden = hidden_sql("?")
        ),
        Keeping::Filtered(filter) => search_where(filter),
        Keeping::Tested(filter) => tested_where(filter),
        Keeping::Among(_) => format!(
            "{MATCHED_WITHIN} AND articles_search.rowid IN (SELECT value FROM json_each(?))"
        ),
    }
}

/// A search's matches newest first, `LIMIT` left to bind.
fn newest_matches(selected: &str, keeping: &Keeping) -> String {
    format!(
        "SELECT {selected} FROM articles_search WHERE {visible} ORDER BY rowid DESC LIMIT ?",
        visible = visible_matches(keeping)
    )
}

/// Runs `$then` with `$bound`: the statement `$text` (`visible_matches`
/// first) with what it asks before its own values bound: the match, the
/// ids `$within` (`Matches::bounds`), and the time, the filter's or the
/// ids, as `$keeping` keeps. Written out once for each, as they are
/// statements of different types.
macro_rules! on_matches {
    ($text:expr, $matching:expr, $within:expr, $now:expr, $keeping:expr, $bound:ident => $then:expr) => {{
        use diesel::sql_types::{Integer, Text, Timestamp};
        let (first, last) = $within;
        match $keeping {
            Keeping::Visible => {
                let $bound = kept_text($text)
                    .bind::<Text, _>($matching)
                    .bind::<Integer, _>(first)
                    .bind::<Integer, _>(last)
                    .bind::<Timestamp, _>($now)
                    .bind::<Timestamp, _>($now);
                $then
            }
            Keeping::Filtered(filter) | Keeping::Tested(filter) => {
                let categories = categories_json(filter);
                let $bound = bind_search!(
                    kept_text($text),
                    $matching,
                    (first, last),
                    $now,
                    filter,
                    &categories
                );
                $then
            }
            Keeping::Among(ids) => {
                let $bound = kept_text($text)
                    .bind::<Text, _>($matching)
                    .bind::<Integer, _>(first)
                    .bind::<Integer, _>(last)
                    .bind::<Text, _>(ids);
                $then
            }
        }
    }};
}

impl MatchIndex for Matches<'_> {
    /// Those `before` read from the index below it: FTS5 starts its lists
    /// there rather than pass every newer match.
    fn newest(&mut self, before: Option<i32>, count: i64, skipped: i64) -> QueryResult<Vec<i32>> {
        use diesel::sql_types::BigInt;
        let (matching, now, keeping) = (self.matching, self.now, self.keeping);
        let (first, last) = self.bounds();
        let below = before.map_or(last, |id| last.min(id.saturating_sub(1)));
        let text = newest_matches("rowid AS id", keeping);
        let found: Vec<Ranked> = on_matches!(format!("{text} OFFSET ?"), matching, (first, below), now, keeping,
            found => found
                .bind::<BigInt, _>(count)
                .bind::<BigInt, _>(skipped)
                .load(self.conn)?);
        Ok(found.into_iter().map(|ranked| ranked.id).collect())
    }

    /// By `relevance_of` the query, weighed for these rows only.
    fn newest_ranked(&mut self, count: i64) -> QueryResult<Vec<RankedMatch>> {
        use diesel::sql_types::BigInt;
        let (matching, now, keeping) = (self.matching, self.now, self.keeping);
        let selected = format!("rowid AS id, {} AS score", relevance_of(self.query));
        let text = newest_matches(&selected, keeping);
        on_matches!(text, matching, self.bounds(), now, keeping,
            ranked => ranked.bind::<BigInt, _>(count).load(self.conn))
    }

    /// Those its dates span, when it has any (`dated_span`).
    fn span(&mut self) -> QueryResult<(i32, i32)> {
        match self.within {
            Some(span) => Ok(span),
            None => id_span!(self.conn),
        }
    }
}

#[derive(QueryableByName)]
struct Ranked {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// The category filter as a JSON list, for `json_each()` to turn into rows.
fn categories_json(filter: &ArticleFilter) -> Option<String> {
    filter.category_ids.as_deref().map(super::json_list)
}

impl Matches<'_> {
    /// The ids its statements read the index between.
    fn bounds(&self) -> (i32, i32) {
        self.within.unwrap_or((i32::MIN, i32::MAX))
    }

    /// One page of a search in `order`: every visible match read with its
    /// article and sorted.
    fn listed(&mut self, order: &str, wanted: i64, offset: i64) -> QueryResult<Vec<i32>> {
        use diesel::sql_types::BigInt;
        if let Keeping::Tested(filter) = self.keeping
            && !filter.narrows_by_links_alone()
        {
            // Testing each match looks up its article for every match the
            // words have, with no `LIMIT` to stop at: a filter on the
            // articles' own columns lists them once instead. (Links alone
            // are tested against their lists, which costs less than listing
            // every visible article.)
            let listing = Keeping::Filtered(filter);
            let mut listed = Matches {
                conn: &mut *self.conn,
                keeping: &listing,
                ..*self
            };
            return listed.listed(order, wanted, offset);
        }
        let (matching, now, keeping) = (self.matching, self.now, self.keeping);
        let text = format!(
            "SELECT a.id AS id FROM articles_search JOIN articles a ON a.id = articles_search.rowid \
             WHERE {visible} ORDER BY {order} LIMIT ? OFFSET ?",
            visible = visible_matches(keeping)
        );
        let found: Vec<Ranked> = on_matches!(text, matching, self.bounds(), now, keeping,
            listed => listed
                .bind::<BigInt, _>(wanted)
                .bind::<BigInt, _>(offset)
                .load(self.conn)?);
        Ok(found.into_iter().map(|ranked| ranked.id).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_keeping_much_of_a_large_archive_tests_each_match() {
        let probed = RANKED_MATCHES + 1;
        // A category holding a third of 100,000 articles: about 3,000
        // tests against listing 33,000 articles.
        assert!(testing_pays(342, probed, 100_000));
        // Every article but a few featured ones, at 100,000 or 10,000.
        assert!(testing_pays(probed, probed, 100_000));
        assert!(testing_pays(probed, probed, 10_000));
        // A tag on 9 % of them: about 12,000 tests against listing 9,000.
        assert!(!testing_pays(80, probed, 100_000));
        // A third of 10,000: 3,000 tests against listing 3,300.
        assert!(!testing_pays(342, probed, 10_000));
        // None kept: testing would run through every match.
        assert!(!testing_pays(0, probed, 1_000_000));
    }
}
