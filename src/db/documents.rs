//! Documents listed with their standing on a date: one statement for every
//! engine, with what each spells its own way (its full-text match, a list
//! of ids bound as one value, a date as text, its placeholders) given by the
//! engine's [`Dialect`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamp};

use super::{DbConnection, postgres, sqlite};
use crate::articles::ArticleStatus;
use crate::documents::model::{CitedDocument, ListedDocument};
use crate::documents::queries::{DocumentFilter, DocumentPosition};
use crate::documents::{DocumentKind, DocumentStatus};
use crate::search::SearchQuery;

/// How an engine spells the parts of the listing that differ.
pub(super) struct Dialect {
    /// `listed.id`'s document matches the bound search (`search`'s form).
    pub text_matches: &'static str,
    /// `column` is one of the bound JSON list of ids.
    pub one_of: fn(&str) -> String,
    /// `d.issued_on` as `YYYY-MM-DD` text, `''` when unknown.
    pub issue_key: &'static str,
    /// A search as the engine's full-text match reads it, bound.
    pub search: fn(&SearchQuery) -> String,
    /// The statement with the engine's placeholders for its `?`s.
    pub placeholders: fn(String) -> String,
}

fn dialect_of(conn: &DbConnection) -> &'static Dialect {
    match conn {
        DbConnection::Sqlite(_) => &sqlite::DOCUMENTS,
        DbConnection::Postgres(_) => &postgres::DOCUMENTS,
    }
}

/// A document's status on a date (`DocumentStatus`), and how many published
/// articles cite it, for every document: one definition that lists, reads
/// and filters share. Binds the date, then the current time.
fn with_standing(dialect: &Dialect) -> String {
    format!(
        "SELECT * FROM (
    WITH p (today, now) AS (SELECT ?, ?)
    SELECT d.*,
        CASE
            WHEN d.is_draft THEN 'draft'
            WHEN EXISTS (
                SELECT 1 FROM document_relations r JOIN documents s ON s.id = r.source_id
                WHERE r.target_id = d.id AND r.kind = 'supersedes' AND NOT s.is_draft
                    AND coalesce(s.effective_on, s.issued_on, '0001-01-01') <= p.today
            ) THEN 'superseded'
            WHEN d.expires_on IS NOT NULL AND d.expires_on <= p.today THEN 'expired'
            WHEN d.effective_on IS NOT NULL AND d.effective_on > p.today THEN 'not_yet_in_force'
            ELSE 'in_force'
        END AS status,
        (SELECT count(*) FROM article_references c JOIN articles a ON a.id = c.article_id
            WHERE c.number = d.number AND a.status IN (?, ?) AND a.published_at <= p.now
                AND a.deleted_at IS NULL) AS cited_by_count,
        {} AS issue_key
    FROM documents d, p
) listed",
        dialect.issue_key
    )
}

/// Each filter is `(? IS NULL OR …)`, bound twice, so one statement serves
/// every combination.
fn filters(dialect: &Dialect) -> String {
    format!(
        " WHERE (? IS NULL OR {})
    AND (? IS NULL OR listed.kind = ?)
    AND (? IS NULL OR listed.issuer_code = ?)
    AND (? IS NULL OR listed.year = ?)
    AND (? IS NULL OR listed.number = ?)
    AND (? IS NULL OR listed.status = ?)
    AND (? IS NULL OR listed.id IN (SELECT document_id FROM document_areas
        WHERE {}))",
        dialect.text_matches,
        (dialect.one_of)("area_id")
    )
}

/// Binds what `WITH_STANDING` and `FILTERS` ask, in their order.
macro_rules! bind_listing {
    ($statement:expr, $today:expr, $now:expr, $filter:expr, $search:expr, $areas:expr) => {{
        let filter: &DocumentFilter = $filter;
        $statement
            .bind::<Date, _>($today)
            .bind::<Timestamp, _>($now)
            .bind::<Text, _>(ArticleStatus::Published.as_str())
            .bind::<Text, _>(ArticleStatus::Scheduled.as_str())
            .bind::<Nullable<Text>, _>($search)
            .bind::<Nullable<Text>, _>($search)
            .bind::<Nullable<Text>, _>(filter.kind.map(DocumentKind::as_str))
            .bind::<Nullable<Text>, _>(filter.kind.map(DocumentKind::as_str))
            .bind::<Nullable<Text>, _>(&filter.issuer_code)
            .bind::<Nullable<Text>, _>(&filter.issuer_code)
            .bind::<Nullable<Integer>, _>(filter.year)
            .bind::<Nullable<Integer>, _>(filter.year)
            .bind::<Nullable<Text>, _>(&filter.number)
            .bind::<Nullable<Text>, _>(&filter.number)
            .bind::<Nullable<Text>, _>(filter.status.map(DocumentStatus::as_str))
            .bind::<Nullable<Text>, _>(filter.status.map(DocumentStatus::as_str))
            .bind::<Nullable<Text>, _>($areas)
            .bind::<Nullable<Text>, _>($areas)
    }};
}

/// One page of documents, most recently issued first, and how many match.
/// Fetches one row more than `limit`.
#[allow(clippy::too_many_arguments)]
pub fn list_documents(
    conn: &mut DbConnection,
    filter: &DocumentFilter,
    today: NaiveDate,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
    after: Option<DocumentPosition>,
) -> QueryResult<(Vec<ListedDocument>, i64)> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let dialect = dialect_of(conn);
    let (with_standing, filters) = (with_standing(dialect), filters(dialect));
    let search = filter.matching.as_ref().map(dialect.search);
    let areas = filter.area_ids.as_deref().map(super::sqlite::json_list);
    let count = diesel::sql_query((dialect.placeholders)(format!(
        "SELECT count(*) AS n FROM ({with_standing}{filters}) counted"
    )));
    let total = bind_listing!(count, today, now, filter, &search, &areas)
        .get_result::<Count>(conn)?
        .n;
    let (key, id) = after.map_or((None, None), |p| (Some(p.k), Some(p.i)));
    let page = diesel::sql_query((dialect.placeholders)(format!(
        "{with_standing}{filters} \
         AND (? IS NULL OR listed.issue_key < ? OR (listed.issue_key = ? AND listed.id < ?)) \
         ORDER BY listed.issue_key DESC, listed.id DESC LIMIT ? OFFSET ?"
    )));
    let rows = bind_listing!(page, today, now, filter, &search, &areas)
        .bind::<Nullable<Text>, _>(&key)
        .bind::<Nullable<Text>, _>(&key)
        .bind::<Nullable<Text>, _>(&key)
        .bind::<Nullable<Integer>, _>(id)
        .bind::<BigInt, _>(i64::from(limit) + 1)
        .bind::<BigInt, _>(offset)
        .load(conn)?;
    Ok((rows, total))
}

/// One document with its standing on `today`.
pub fn find_document(
    conn: &mut DbConnection,
    id: i32,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Option<ListedDocument>> {
    let dialect = dialect_of(conn);
    diesel::sql_query((dialect.placeholders)(format!(
        "{} WHERE listed.id = ?",
        with_standing(dialect)
    )))
    .bind::<Date, _>(today)
    .bind::<Timestamp, _>(now)
    .bind::<Text, _>(ArticleStatus::Published.as_str())
    .bind::<Text, _>(ArticleStatus::Scheduled.as_str())
    .bind::<Integer, _>(id)
    .get_result(conn)
    .optional()
}

/// The registered documents each of `article_ids` cites, with their
/// standing on `today`, in the order they were issued.
pub fn cited_by_articles(
    conn: &mut DbConnection,
    article_ids: &[i32],
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<CitedDocument>> {
    let dialect = dialect_of(conn);
    diesel::sql_query((dialect.placeholders)(format!(
        "SELECT c.article_id, cited.* FROM ({}) cited \
         JOIN article_references c ON c.number = cited.number \
         WHERE {} ORDER BY cited.issued_on, cited.id",
        with_standing(dialect),
        (dialect.one_of)("c.article_id")
    )))
    .bind::<Date, _>(today)
    .bind::<Timestamp, _>(now)
    .bind::<Text, _>(ArticleStatus::Published.as_str())
    .bind::<Text, _>(ArticleStatus::Scheduled.as_str())
    .bind::<Text, _>(sqlite::json_list(article_ids))
    .load(conn)
}
