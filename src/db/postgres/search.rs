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
use crate::db::schema::articles;
use crate::db::search::{MatchIndex, Page, RankedMatch, by_relevance, id_span};
use crate::db::{Bound, KeptText, kept_sql};
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
    if sort == ArticleSort::Relevance {
        let mut matches = Matches {
            conn,
            words,
            filter,
            now,
        };
        return by_relevance(&mut matches, wanted, offset);
    }
    let total = matches(words, filter, now).count().get_result(conn)?;
    let ids = ordered(matches(words, filter, now), words, sort)
        .select(articles::id)
        .limit(wanted)
        .offset(offset)
        .load(conn)?;
    Ok(Page {
        total,
        total_is_exact: true,
        ids,
    })
}

type Matching = articles::BoxedQuery<'static, Pg>;

/// The visible articles `filter` keeps that hold every word.
fn matches(words: &str, filter: &ArticleFilter, now: NaiveDateTime) -> Matching {
    let found: Matching = matching!(
        articles::table,
        &crate::articles::queries::Scope::Public,
        filter,
        now,
        crate::articles::queries::Members::Listed
    );
    found.filter(
        kept_sql::<Bool>(format!(
            "articles.search @@ to_tsquery('{CONFIGURATION}', ?)"
        ))
        .bind::<Text, _>(words.to_owned()),
    )
}

type Relevance = Bound<KeptText<Float>, String, Text>;

/// How well an article's text answers `words`: `ts_rank` with the
/// columns' weights (higher is better; a `real`).
fn relevance(words: &str) -> Relevance {
    kept_sql::<Float>(format!(
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
}

impl Matches<'_> {
    fn all(&self) -> Matching {
        matches(self.words, self.filter, self.now)
    }
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

    fn span(&mut self) -> QueryResult<(i32, i32)> {
        id_span!(self.conn)
    }
}
