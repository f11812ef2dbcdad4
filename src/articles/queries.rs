//! SQL for articles.

use chrono::NaiveDateTime;
use diesel::dsl;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{ArticleRow, ArticleStatus, AuthorRow, NewArticle};
use crate::categories::CategoryRow;
use crate::db::schema::{articles, categories, users};
use crate::slug::IdOrSlug;

/// An article with what is shown beside it, loaded in one query.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
pub struct ArticleWithContext {
    #[diesel(embed)]
    pub article: ArticleRow,
    #[diesel(embed)]
    pub category: Option<CategoryRow>,
    #[diesel(embed)]
    pub author: Option<AuthorRow>,
}

/// The orders a list can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum ArticleSort {
    /// Newest first (the default).
    #[serde(rename = "-published_at")]
    NewestFirst,
    #[serde(rename = "published_at")]
    OldestFirst,
    /// Most read first.
    #[serde(rename = "-view_count")]
    MostViewed,
    /// Best average rating first (unrated last).
    #[serde(rename = "-rating")]
    BestRated,
    /// Best match first: only with `q`, where it is the default.
    #[serde(rename = "relevance")]
    Relevance,
}

/// Where a list stopped: the sort and the key of the last item sent, so a
/// cursor can never be replayed under another order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "s")]
pub enum ListPosition {
    #[serde(rename = "n")]
    Newest { p: NaiveDateTime, i: i32 },
    #[serde(rename = "o")]
    Oldest { p: NaiveDateTime, i: i32 },
    #[serde(rename = "v")]
    Views { v: i64, i: i32 },
    #[serde(rename = "r")]
    Rating { a: f64, i: i32 },
}

impl ListPosition {
    /// The position just after `row` in `sort`; `None` for relevance (searches page by position).
    pub fn after(row: &ArticleRow, sort: ArticleSort) -> Option<Self> {
        // Visible articles always have a publication time.
        let p = row.published_at.unwrap_or(row.created_at);
        let i = row.id;
        match sort {
            ArticleSort::NewestFirst => Some(ListPosition::Newest { p, i }),
            ArticleSort::OldestFirst => Some(ListPosition::Oldest { p, i }),
            ArticleSort::MostViewed => Some(ListPosition::Views {
                v: row.view_count,
                i,
            }),
            ArticleSort::BestRated => Some(ListPosition::Rating {
                a: average_rating(row),
                i,
            }),
            ArticleSort::Relevance => None,
        }
    }

    pub fn sort(&self) -> ArticleSort {
        match self {
            ListPosition::Newest { .. } => ArticleSort::NewestFirst,
            ListPosition::Oldest { .. } => ArticleSort::OldestFirst,
            ListPosition::Views { .. } => ArticleSort::MostViewed,
            ListPosition::Rating { .. } => ArticleSort::BestRated,
        }
    }
}

/// The average as SQL computes it for `-rating`, so keys compare exactly.
const AVERAGE_RATING: &str = "(CASE WHEN articles.rating_count = 0 THEN 0.0 \
     ELSE CAST(articles.rating_total AS REAL) / articles.rating_count END)";

fn average_rating(row: &ArticleRow) -> f64 {
    if row.rating_count == 0 {
        0.0
    } else {
        row.rating_total as f64 / row.rating_count as f64
    }
}

type IsVisible = dsl::And<
    dsl::EqAny<articles::status, [ArticleStatus; 2]>,
    dsl::LtEq<articles::published_at, NaiveDateTime>,
>;

/// What guests may see: published or scheduled, once its time has come, so a
/// scheduled article appears by itself with no job to run.
fn is_visible(now: NaiveDateTime) -> IsVisible {
    articles::status
        .eq_any([ArticleStatus::Published, ArticleStatus::Scheduled])
        .and(articles::published_at.le(now))
}

/// Whether there is any article at all, in any state.
pub fn any(conn: &mut SqliteConnection) -> QueryResult<bool> {
    diesel::select(dsl::exists(articles::table.select(articles::id))).get_result(conn)
}

/// One article found by a search, with what its snippet is cut from.
#[derive(Debug, QueryableByName)]
pub struct SearchHit {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub body_text: String,
    /// The folded body with the matches marked (`search::MATCH_START`…).
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub body_marked: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub summary: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub summary_marked: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title_marked: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The FTS5 expression requiring every term: each quoted, so nothing in a
/// term is syntax (terms hold only letters, digits and marks).
fn fts_match(terms: &[String]) -> String {
    terms
        .iter()
        .map(|term| format!("\"{}\"", term.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// FTS5 over the visible articles (the visibility of `is_visible`, in SQL). Column weights for bm25: a match in the
/// title counts most, then the summary, the byline, the body.
/// Each filter is `(? IS NULL OR …)`, bound twice, so one statement serves
/// every combination.
const SEARCH_FROM: &str = "FROM articles_search JOIN articles a ON a.id = articles_search.rowid \
     WHERE articles_search MATCH ? AND a.status IN (?, ?) AND a.published_at <= ? \
     AND (? IS NULL OR a.category_id IN (SELECT value FROM json_each(?))) \
     AND (? IS NULL OR a.author_id = ?) \
     AND (? IS NULL OR a.published_at >= ?) \
     AND (? IS NULL OR a.published_at < ?)";

/// A search's ORDER BY: one of these fixed clauses, never client text.
fn search_order(sort: ArticleSort) -> String {
    match sort {
        ArticleSort::Relevance => "bm25(articles_search, 10.0, 4.0, 1.0, 2.0), a.id".into(),
        ArticleSort::NewestFirst => "a.published_at DESC, a.id DESC".into(),
        ArticleSort::OldestFirst => "a.published_at, a.id".into(),
        ArticleSort::MostViewed => "a.view_count DESC, a.id DESC".into(),
        ArticleSort::BestRated => format!(
            "{} DESC, a.id DESC",
            AVERAGE_RATING.replace("articles.", "a.")
        ),
    }
}

/// Binds what `SEARCH_FROM` asks, in its order.
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
            .bind::<Nullable<Timestamp>, _>($filter.published_from)
            .bind::<Nullable<Timestamp>, _>($filter.published_from)
            .bind::<Nullable<Timestamp>, _>($filter.published_to)
            .bind::<Nullable<Timestamp>, _>($filter.published_to)
    }};
}

/// Visible articles holding every term and kept by `filter`, best first,
/// and how many match in all. Fetches one row more than `limit`.
pub fn search_visible(
    conn: &mut SqliteConnection,
    terms: &[String],
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
) -> QueryResult<(Vec<SearchHit>, i64)> {
    use diesel::sql_types::BigInt;
    let query = fts_match(terms);
    // json_each() turns the list into rows for `IN`.
    let categories = filter
        .category_ids
        .as_ref()
        .map(|ids| serde_json::Value::from(ids.clone()).to_string());
    let count = diesel::sql_query(format!("SELECT count(*) AS n {SEARCH_FROM}"));
    let total = bind_search!(count, &query, now, filter, &categories)
        .get_result::<Count>(conn)?
        .n;
    let page = diesel::sql_query(format!(
        "SELECT a.id AS id, a.body_text AS body_text, a.summary AS summary, a.title AS title, \
             highlight(articles_search, 2, char(57344), char(57345)) AS body_marked, \
             highlight(articles_search, 1, char(57344), char(57345)) AS summary_marked, \
             highlight(articles_search, 0, char(57344), char(57345)) AS title_marked \
         {SEARCH_FROM} ORDER BY {} LIMIT ? OFFSET ?",
        search_order(sort)
    ));
    let hits = bind_search!(page, &query, now, filter, &categories)
        .bind::<BigInt, _>(i64::from(limit) + 1)
        .bind::<BigInt, _>(offset)
        .load(conn)?;
    Ok((hits, total))
}

/// The articles with these ids, with their context, in no particular order.
pub fn with_context(
    conn: &mut SqliteConnection,
    ids: &[i32],
) -> QueryResult<Vec<ArticleWithContext>> {
    articles::table
        .left_join(categories::table)
        .left_join(users::table)
        .filter(articles::id.eq_any(ids))
        .select(ArticleWithContext::as_select())
        .load(conn)
}

/// Adds counted views, each article in one statement.
pub fn add_views(conn: &mut SqliteConnection, counts: &[(i32, i64)]) -> QueryResult<()> {
    for (article_id, count) in counts {
        diesel::update(articles::table.find(article_id))
            .set(articles::view_count.eq(articles::view_count + count))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut SqliteConnection, article: &NewArticle<'_>) -> QueryResult<i32> {
    diesel::insert_into(articles::table)
        .values(article)
        .returning(articles::id)
        .get_result(conn)
}

pub fn find_visible(
    conn: &mut SqliteConnection,
    key: &IdOrSlug,
    now: NaiveDateTime,
) -> QueryResult<Option<ArticleWithContext>> {
    let query = articles::table
        .left_join(categories::table)
        .left_join(users::table)
        .filter(is_visible(now))
        .select(ArticleWithContext::as_select())
        .into_boxed();
    let query = match key {
        IdOrSlug::Id(id) => query.filter(articles::id.eq(*id)),
        IdOrSlug::Slug(slug) => query.filter(articles::slug.eq(slug.as_str().to_owned())),
    };
    query.first(conn).optional()
}

/// What a list of articles is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// A category and its subcategories.
    pub category_ids: Option<Vec<i32>>,
    pub author_id: Option<i32>,
    /// Published at or after.
    pub published_from: Option<NaiveDateTime>,
    /// Published before.
    pub published_to: Option<NaiveDateTime>,
}

/// The visible articles `filter` keeps, joined with their context, boxed:
/// one definition for the count and the page, so the two cannot disagree.
macro_rules! visible_matching {
    ($filter:expr, $now:expr) => {{
        let filter: &ArticleFilter = $filter;
        let mut query = articles::table
            .left_join(categories::table)
            .left_join(users::table)
            .filter(is_visible($now))
            .into_boxed();
        if let Some(ids) = &filter.category_ids {
            query = query.filter(articles::category_id.eq_any(ids.clone()));
        }
        if let Some(author_id) = filter.author_id {
            query = query.filter(articles::author_id.eq(author_id));
        }
        if let Some(from) = filter.published_from {
            query = query.filter(articles::published_at.ge(from));
        }
        if let Some(to) = filter.published_to {
            query = query.filter(articles::published_at.lt(to));
        }
        query
    }};
}

/// One page of the public list in `sort`, and how many there are in all.
/// Fetches one row more than `limit`, so the caller knows whether more exist.
/// `after` must come from the same sort (`None` otherwise: the caller says so).
pub fn list_visible(
    conn: &mut SqliteConnection,
    filter: &ArticleFilter,
    sort: ArticleSort,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
    after: Option<ListPosition>,
) -> QueryResult<(Vec<ArticleWithContext>, i64)> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Double, Integer};
    let total = visible_matching!(filter, now).count().get_result(conn)?;
    let query = visible_matching!(filter, now)
        .select(ArticleWithContext::as_select())
        .limit(i64::from(limit) + 1)
        .offset(offset);
    let mut query = match sort {
        ArticleSort::OldestFirst => query.order((articles::published_at.asc(), articles::id.asc())),
        ArticleSort::MostViewed => query.order((articles::view_count.desc(), articles::id.desc())),
        ArticleSort::BestRated => {
            query.order((sql::<Double>(AVERAGE_RATING).desc(), articles::id.desc()))
        }
        ArticleSort::NewestFirst | ArticleSort::Relevance => {
            query.order((articles::published_at.desc(), articles::id.desc()))
        }
    };
    match after.filter(|position| position.sort() == sort) {
        Some(ListPosition::Newest { p, i }) => {
            query = query.filter(
                articles::published_at
                    .lt(p)
                    .or(articles::published_at.eq(p).and(articles::id.lt(i))),
            );
        }
        Some(ListPosition::Oldest { p, i }) => {
            query = query.filter(
                articles::published_at
                    .gt(p)
                    .or(articles::published_at.eq(p).and(articles::id.gt(i))),
            );
        }
        Some(ListPosition::Views { v, i }) => {
            query = query.filter(
                articles::view_count
                    .lt(v)
                    .or(articles::view_count.eq(v).and(articles::id.lt(i))),
            );
        }
        Some(ListPosition::Rating { a, i }) => {
            query = query.filter(
                sql::<Bool>(&format!("({AVERAGE_RATING} < "))
                    .bind::<Double, _>(a)
                    .sql(&format!(" OR ({AVERAGE_RATING} = "))
                    .bind::<Double, _>(a)
                    .sql(" AND articles.id < ")
                    .bind::<Integer, _>(i)
                    .sql("))"),
            );
        }
        None => {}
    }
    Ok((query.load(conn)?, total))
}
