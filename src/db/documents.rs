//! Documents listed with their standing on a date: one statement for every
//! engine, with what each spells its own way (its full-text match, a list
//! of ids bound as one value, a date as text) given by the engine's
//! [`Dialect`]. Written as text, kept prepared (`kept_text`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamp};

use super::{DbConnection, kept_text, postgres, sqlite};
use crate::articles::queries::visible_linked_sql;
use crate::documents::model::{CitedDocumentRow, ListedDocument};
use crate::documents::queries::{DocumentFilter, DocumentPosition};
use crate::documents::{DocumentKind, DocumentStatus};
use crate::text::search::SearchQuery;

/// How an engine spells the parts of the listing that differ.
pub(super) struct Dialect {
    /// `listed.id`'s document matches the bound search (`search`'s form).
    pub text_matches: &'static str,
    /// `area_id` is one of the bound JSON list of ids.
    pub area_in: &'static str,
    /// `d.issued_on` as `YYYY-MM-DD` text, `''` when unknown.
    pub issue_key: &'static str,
    /// A search as the engine's full-text match reads it, bound.
    pub search: fn(&SearchQuery) -> String,
}

fn dialect_of(conn: &DbConnection) -> &'static Dialect {
    match conn {
        DbConnection::Sqlite(_) => &sqlite::DOCUMENTS,
        DbConnection::Postgres(_) => &postgres::DOCUMENTS,
    }
}

/// A document's status (`DocumentStatus`) as SQL over the documents row
/// named `document`: one definition the registry and the documents an
/// article cites share. Cut where the date it is for goes (three times).
fn standing_around_date(document: &str) -> [String; 4] {
    let d = document;
    [
        format!(
            "CASE
            WHEN {d}.is_draft THEN 'draft'
            WHEN EXISTS (
                SELECT 1 FROM document_relations r JOIN documents s ON s.id = r.source_id
                WHERE r.target_id = {d}.id AND r.kind = 'supersedes' AND NOT s.is_draft
                    AND coalesce(s.effective_on, s.issued_on, '0001-01-01') <= "
        ),
        format!(
            "
            ) THEN 'superseded'
            WHEN {d}.expires_on IS NOT NULL AND {d}.expires_on <= "
        ),
        format!(
            " THEN 'expired'
            WHEN {d}.effective_on IS NOT NULL AND {d}.effective_on > "
        ),
        " THEN 'not_yet_in_force'
            ELSE 'in_force'
        END"
        .to_owned(),
    ]
}

/// What the registry's statements begin with: the one row `p (today,
/// now)` their standings and counts are for. Binds the date, then the
/// current time.
const ON_DATE: &str = "WITH p (today, now) AS (SELECT ?, ?) ";

/// Every document with its status on `p.today` and its issue key, as the
/// table `listed`: one definition that lists, reads and filters share.
fn listed(dialect: &Dialect) -> String {
    format!(
        "(SELECT d.*, {} AS status, {} AS issue_key FROM documents d, p) listed",
        standing_around_date("d").join("p.today"),
        dialect.issue_key
    )
}

/// How many articles visible at `p.now` cite the document named
/// `document` (`visible_linked_sql`). Counted only for the documents
/// shown, after the page is cut: a key plan is cited by most of an
/// archive, and reading each citing article's row for it made a registry
/// page of 100,000 articles take 0.8 s (0.9 to 1.9 on PostgreSQL).
fn cited_by_count(document: &str) -> String {
    format!(
        "{} AS cited_by_count",
        visible_linked_sql(
            "article_references",
            "number",
            &format!("{document}.number"),
            "p.now"
        )
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
        WHERE {}))
    AND (? IS NULL OR listed.lang = ?)",
        dialect.text_matches, dialect.area_in
    )
}

/// Binds what `ON_DATE` and `filters` ask, in their order.
macro_rules! bind_listing {
    ($statement:expr, $today:expr, $now:expr, $filter:expr, $search:expr, $areas:expr) => {{
        let filter: &DocumentFilter = $filter;
        $statement
            .bind::<Date, _>($today)
            .bind::<Timestamp, _>($now)
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
            .bind::<Nullable<Text>, _>(&filter.lang)
            .bind::<Nullable<Text>, _>(&filter.lang)
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
    let (listed, filters) = (listed(dialect), filters(dialect));
    let search = filter.matching.as_ref().map(dialect.search);
    let areas = filter.area_ids.as_deref().map(super::sqlite::json_list);
    let count = kept_text(format!(
        "{ON_DATE}SELECT count(*) AS n FROM {listed}{filters}"
    ));
    let total = bind_listing!(count, today, now, filter, &search, &areas)
        .get_result::<Count>(conn)?
        .n;
    let (key, id) = after.map_or((None, None), |p| (Some(p.k), Some(p.i)));
    let page = kept_text(format!(
        "{ON_DATE}SELECT page.*, {cited_by_count} FROM (SELECT * FROM {listed}{filters} \
         AND (? IS NULL OR listed.issue_key < ? OR (listed.issue_key = ? AND listed.id < ?)) \
         ORDER BY listed.issue_key DESC, listed.id DESC LIMIT ? OFFSET ?) page, p \
         ORDER BY page.issue_key DESC, page.id DESC",
        cited_by_count = cited_by_count("page")
    ));
    let rows = bind_listing!(page, today, now, filter, &search, &areas)
        .bind::<Nullable<Text>, _>(&key)
        .bind::<Nullable<Text>, _>(&key)
        .bind::<Nullable<Text>, _>(&key)
        .bind::<Nullable<Integer>, _>(id)
        .bind::<BigInt, _>(crate::db::rows_for_page(limit))
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
    kept_text(format!(
        "{ON_DATE}SELECT listed.*, {cited_by_count} FROM {listed}, p WHERE listed.id = ?",
        cited_by_count = cited_by_count("listed"),
        listed = listed(dialect)
    ))
    .bind::<Date, _>(today)
    .bind::<Timestamp, _>(now)
    .bind::<Integer, _>(id)
    .get_result(conn)
    .optional()
}

/// The registered documents each of `article_ids` cites, with their
/// status on `today`, oldest first (the order they were issued in). A
/// reference is linked by its number, so a document registered after the
/// article is found too. A diesel query, its text the same for any articles
/// and date: prepared once and kept (an article's page reads it).
pub fn cited_by_articles(
    conn: &mut DbConnection,
    article_ids: &[i32],
    today: NaiveDate,
) -> QueryResult<Vec<(i32, CitedDocumentRow, DocumentStatus)>> {
    use super::schema::{article_references, documents};
    super::on_engine!(conn, conn => article_references::table
        .inner_join(documents::table.on(documents::number.eq(article_references::number)))
        .filter(super::one_of(article_references::article_id, article_ids))
        .order((documents::issued_on.asc(), documents::id.asc()))
        .select((
            article_references::article_id,
            CitedDocumentRow::as_select(),
            StatusOn { today },
        ))
        .load(conn))
}

/// A `documents` row's status on `today` (`standing_around_date`), as an
/// expression a diesel query selects. Unlike `sql` literals, which diesel
/// never keeps prepared, its text is the same whatever the date, so a
/// statement selecting it is prepared once per connection.
#[derive(Debug, Clone, Copy)]
struct StatusOn {
    today: NaiveDate,
}

impl Expression for StatusOn {
    type SqlType = Text;
}

impl<QS> AppearsOnTable<QS> for StatusOn {}

impl<QS> SelectableExpression<QS> for StatusOn {}

impl<GroupBy> ValidGrouping<GroupBy> for StatusOn {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

/// Its text is the same whatever the date: a query selecting it is known
/// by its type, and its SQL is not written again on every read.
impl QueryId for StatusOn {
    type QueryId = StatusOn;
    const HAS_STATIC_QUERY_ID: bool = true;
}

/// The status over the `documents` table, cut where its date goes.
static STATUS_OF_DOCUMENTS: std::sync::LazyLock<[String; 4]> =
    std::sync::LazyLock::new(|| standing_around_date("documents"));

impl StatusOn {
    fn walk<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<Date>,
        NaiveDate: diesel::serialize::ToSql<Date, DB>,
    {
        let [pieces @ .., last] = &*STATUS_OF_DOCUMENTS;
        for piece in pieces {
            out.push_sql(piece);
            out.push_bind_param::<Date, _>(&self.today)?;
        }
        out.push_sql(last);
        Ok(())
    }
}

impl QueryFragment<diesel::sqlite::Sqlite> for StatusOn {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::sqlite::Sqlite>) -> QueryResult<()> {
        self.walk(out)
    }
}

impl QueryFragment<diesel::pg::Pg> for StatusOn {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        self.walk(out)
    }
}

impl QueryFragment<super::Backend> for StatusOn {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, super::Backend>) -> QueryResult<()> {
        super::Backend::walk_variant_ast(self, pass)
    }
}
