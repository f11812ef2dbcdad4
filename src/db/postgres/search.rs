//! Searching articles with PostgreSQL's full-text search: the generated
//! `articles.search` column (title weighted A, summary B, byline C, body
//! D) matched with `to_tsquery`, among the visible articles the filter
//! keeps, as lists select them (`articles::queries::matching!`).

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Float, Text};

use super::CONFIGURATION;
use crate::articles::ArticleSort;
use crate::articles::queries::{ArticleFilter, RATING_SCORE, VIEW_COUNT, matching};
use crate::db::schema::{article_views, articles};
use crate::db::search::{
    MatchIndex, Page, RankedMatch, SortedSearch, Walking, by_relevance, id_span, sorted_search,
};
use crate::db::{Bound, KeptText, kept_sql, planned_sql};
use crate::text::search::SearchQuery;

/// How much each weight counts in a rank, `{D, C, B, A}`: body, byline,
/// summary, title, in the proportions SQLite's bm25 weighs its columns.
const WEIGHTS: &str = "'{0.1, 0.2, 0.4, 1.0}'";

/// The ids of one page of a search (`crate::db::search_articles`), and how
/// many match in all.
pub fn search_ids(
    conn: &mut PgConnection,
    query: &SearchQuery,
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    wanted: i64,
    offset: i64,
) -> QueryResult<Page> {
    let words = &query.tsquery();
    let mut matches = Matches {
        conn,
        words,
        filter,
        now,
        span: None,
    };
    if sort == ArticleSort::Relevance {
        return by_relevance(&mut matches, wanted, offset);
    }
    let SortedSearch {
        total,
        total_is_exact,
        walks,
    } = sorted_search(&mut matches, (sort, filter), offset + wanted, &WALKING)?;
    let conn = matches.conn;
    let ids = if walks && sort == ArticleSort::MostViewed {
        walked_by_views(conn, words, filter, now, wanted, offset)?
    } else {
        let page = match walks {
            true => walked(words, filter, now),
            false => listed(words, filter, now),
        };
        ordered(page, words, sort)
            .select(articles::id)
            .limit(wanted)
            .offset(offset)
            .load(conn)?
    };
    Ok(Page {
        total,
        total_is_exact,
        ids,
    })
}

type Matching = articles::BoxedQuery<'static, Pg>;

/// How a walk fares here (`sorted_search`). Testing an article against the
/// full-text index, walking an order, costs more than reading a match to
/// sort it: 5 to 11 µs (`@@` reads the article's whole tsvector) against
/// 1.5. Measured at 100,000 articles: a common word newest first 150 ms
/// sorted, 1.5 walked (4.6 to page 20); a rare one 1 ms sorted, 540
/// walked. By last change within dates that end, the walk may pay too:
/// the sorted form reads every match of the words in the archive
/// (`listed`). A common word within January 2021 took 625 to 960 ms so,
/// 53 to 66 walked; in a category before 2021, up to 960 against 100 to
/// 115.
const WALKING: Walking = Walking {
    walked_over_listed: 5,
    by_change_within_ended_dates: true,
};

/// The visible articles `filter` keeps.
fn kept(filter: &ArticleFilter, now: NaiveDateTime) -> Matching {
    matching!(
        articles::table,
        &crate::articles::queries::Scope::Public,
        filter,
        now,
        crate::articles::queries::Members::Listed
    )
}

/// The condition `sql`, in which `{words}` stands for the words' `tsquery`,
/// with the words bound. Every statement of a search holds one, and is
/// planned for its words on every run (`planned_sql`): how many articles
/// hold them decides between reading the newest matches and testing the
/// articles in order.
fn on_words(sql: &str, words: &str) -> Bound<KeptText<Bool>, String, Text> {
    planned_sql::<Bool>(sql.replace("{words}", &format!("to_tsquery('{CONFIGURATION}', ?)")))
        .bind::<Text, _>(words.to_owned())
}

/// The visible articles `filter` keeps that hold every word.
fn matches(words: &str, filter: &ArticleFilter, now: NaiveDateTime) -> Matching {
    kept(filter, now).filter(on_words("articles.search @@ {words}", words))
}

/// `matches`, for a page that reads them all and sorts them: the matches
/// found first on the full-text index (a subquery its `OFFSET` keeps
/// apart), so that no plan walks the articles testing each instead, as a
/// prepared statement's first plans did for words the statistics do not
/// know (310 to 395 ms for a rare word at 100,000 articles).
fn listed(words: &str, filter: &ArticleFilter, now: NaiveDateTime) -> Matching {
    matches(words, filter, now).filter(on_words(
        "articles.id IN (SELECT m.id FROM articles m WHERE m.search @@ {words} OFFSET 0)",
        words,
    ))
}

/// Whether an article holds every word, for a page that walks the articles
/// in its order: tested in a subquery its `LIMIT` and `OFFSET` keep apart,
/// so that no plan reads every match and sorts them instead (150 ms for a
/// common word).
const HOLDS_THE_WORDS: &str = "EXISTS (SELECT 1 FROM articles m WHERE m.id = articles.id \
     AND m.search @@ {words} LIMIT 1 OFFSET 0)";

/// `matches`, for a page that walks the articles in its order, testing each
/// (`HOLDS_THE_WORDS`).
fn walked(words: &str, filter: &ArticleFilter, now: NaiveDateTime) -> Matching {
    kept(filter, now).filter(on_words(HOLDS_THE_WORDS, words))
}

/// A page of a search by views that walks the views' index
/// (`article_views_by_count`) most viewed first, as a list by views does,
/// testing each article (`HOLDS_THE_WORDS`). Sorting every match by its
/// count instead took 200 to 250 ms for a common word at 100,000 articles,
/// and 900 to 1,100 for a connection's first five.
fn walked_by_views(
    conn: &mut PgConnection,
    words: &str,
    filter: &ArticleFilter,
    now: NaiveDateTime,
    wanted: i64,
    offset: i64,
) -> QueryResult<Vec<i32>> {
    matching!(
        articles::table.inner_join(article_views::table),
        &crate::articles::queries::Scope::Public,
        filter,
        now,
        crate::articles::queries::Members::Listed
    )
    .filter(article_views::view_count.ge(0))
    .filter(on_words(HOLDS_THE_WORDS, words))
    .order((
        article_views::view_count.desc(),
        article_views::article_id.desc(),
    ))
    .select(articles::id)
    .limit(wanted)
    .offset(offset)
    .load(conn)
}

type Relevance = Bound<KeptText<Float>, String, Text>;

/// How well an article's text answers `words`: `ts_rank` with the
/// columns' weights (higher is better; a `real`).
fn relevance(words: &str) -> Relevance {
    planned_sql::<Float>(format!(
        "ts_rank({WEIGHTS}, articles.search, to_tsquery('{CONFIGURATION}', ?))"
    ))
    .bind::<Text, _>(words.to_owned())
}

/// `found` in `sort`'s order, ties broken by id as SQLite's index breaks
/// them for relevance, and as lists break them otherwise.
fn ordered(found: Matching, words: &str, sort: ArticleSort) -> Matching {
    match sort {
        ArticleSort::Relevance => found.order((relevance(words).desc(), articles::id.asc())),
        ArticleSort::NewestFirst => {
            found.order((articles::published_at.desc(), articles::id.desc()))
        }
        ArticleSort::RecentlyChanged => {
            found.order((articles::updated_at.desc(), articles::id.desc()))
        }
        ArticleSort::OldestFirst => found.order((articles::published_at.asc(), articles::id.asc())),
        ArticleSort::MostViewed => {
            found.order((kept_sql::<BigInt>(VIEW_COUNT).desc(), articles::id.desc()))
        }
        ArticleSort::BestRated => {
            found.order((kept_sql::<Double>(RATING_SCORE).desc(), articles::id.desc()))
        }
    }
}

/// The visible matches of a search kept by `filter`.
struct Matches<'a> {
    conn: &'a mut PgConnection,
    words: &'a str,
    filter: &'a ArticleFilter,
    now: NaiveDateTime,
    /// The ids they may lie within (`span`), once read.
    span: Option<(i32, i32)>,
}

impl Matches<'_> {
    fn all(&self) -> Matching {
        matches(self.words, self.filter, self.now)
    }
}

/// The lowest and highest ids of the visible articles published within
/// `filter`'s dates (`(1, 0)` when there are none). PostgreSQL finds a
/// lowest or highest id by seeking it on the key, passing every article
/// outside the dates on its way: at once for dates that reach the
/// archive's first or newest article, but for dates between two others,
/// every article past them (at 100,000 articles, 21 to 43 ms for January
/// 2021). Those are read on the visible articles' index over the dates
/// instead (`id + 0`, which no index holds, keeps PostgreSQL from seeking
/// them): 1.2 ms. Dates reaching either end are sought: read over the
/// dates, the whole archive's took 20 to 40 ms.
fn dated_span(
    conn: &mut PgConnection,
    filter: &ArticleFilter,
    now: NaiveDateTime,
) -> QueryResult<(i32, i32)> {
    use diesel::dsl::{max, min};
    let dates = ArticleFilter {
        published_from: filter.published_from,
        published_to: filter.published_to,
        ..ArticleFilter::default()
    };
    let within = kept(&dates, now);
    let (first, last): (Option<i32>, Option<i32>) = match between_two_articles(conn, &dates, now)? {
        true => within
            .select((min(articles::id + 0), max(articles::id + 0)))
            .get_result(conn)?,
        false => within
            .select((min(articles::id), max(articles::id)))
            .get_result(conn)?,
    };
    Ok(first.zip(last).unwrap_or((1, 0)))
}

/// Whether `dates` begin after the first visible article was published and
/// end before the newest was: two seeks on the visible articles' index.
fn between_two_articles(
    conn: &mut PgConnection,
    dates: &ArticleFilter,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    use diesel::dsl::{max, min};
    let (Some(from), Some(to)) = (dates.published_from, dates.published_to) else {
        return Ok(false);
    };
    let (first, newest): (Option<NaiveDateTime>, Option<NaiveDateTime>) =
        kept(&ArticleFilter::default(), now)
            .select((min(articles::published_at), max(articles::published_at)))
            .get_result(conn)?;
    Ok(first.is_some_and(|first| first < from) && newest.is_some_and(|newest| newest >= to))
}

impl MatchIndex for Matches<'_> {
    fn newest(&mut self, before: Option<i32>, count: i64, skipped: i64) -> QueryResult<Vec<i32>> {
        let mut found = self.all();
        if let Some(before) = before {
            found = found.filter(articles::id.lt(before));
        }
        found
            .order(articles::id.desc())
            .select(articles::id)
            .limit(count)
            .offset(skipped)
            .load(self.conn)
    }

    /// By `ts_rank` with the columns' weights, negated.
    fn newest_ranked(&mut self, count: i64) -> QueryResult<Vec<RankedMatch>> {
        self.all()
            .order(articles::id.desc())
            .select((articles::id, relevance(self.words)))
            .limit(count)
            .load::<(i32, f32)>(self.conn)
            .map(|found| {
                found
                    .into_iter()
                    .map(|(id, rank)| RankedMatch {
                        id,
                        score: -f64::from(rank),
                    })
                    .collect()
            })
    }

    /// Those its dates span, when it has any (`dated_span`), read once:
    /// matches are estimated as dense down to the first article published
    /// within them, as on SQLite (`sqlite::search::dated_span`), not down
    /// to the archive's first.
    fn span(&mut self) -> QueryResult<(i32, i32)> {
        if let Some(span) = self.span {
            return Ok(span);
        }
        let span = match self.filter.has_dates() {
            true => dated_span(self.conn, self.filter, self.now)?,
            false => id_span!(self.conn)?,
        };
        self.span = Some(span);
        Ok(span)
    }
}
