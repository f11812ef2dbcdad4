//! SQL for documents, their relations and the citations linking them to articles.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::extract::Reference;
use super::model::{
    CitedDocumentRow, DocumentFields, DocumentRow, ListedDocument, NewDocument, RelationKind,
};
use super::{DocumentKind, DocumentStatus};
use crate::db::schema::{article_references, document_relations, documents};
use crate::db::{DbConnection, add_to};
use crate::text::search::SearchQuery;

pub fn insert(conn: &mut DbConnection, document: &NewDocument) -> QueryResult<i32> {
    diesel::insert_into(documents::table)
        .values(document)
        .returning(documents::id)
        .get_result(conn)
}

pub fn update(conn: &mut DbConnection, id: i32, fields: &DocumentFields) -> QueryResult<()> {
    diesel::update(documents::table.find(id))
        .set(fields)
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(documents::table.find(id))
        .execute(conn)
        .map(drop)
}

pub fn find_row(conn: &mut DbConnection, id: i32) -> QueryResult<Option<DocumentRow>> {
    documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()
}

/// The id of the document with this canonical number.
pub fn id_of_number(conn: &mut DbConnection, number: &str) -> QueryResult<Option<i32>> {
    documents::table
        .filter(documents::number.eq(number))
        .select(documents::id)
        .first(conn)
        .optional()
}

/// The ids of the registered documents among these numbers, by number.
pub fn ids_by_number(
    conn: &mut DbConnection,
    numbers: &[String],
) -> QueryResult<HashMap<String, i32>> {
    let found: Vec<(String, i32)> = documents::table
        .filter(documents::number.eq_any(numbers))
        .select((documents::number, documents::id))
        .load(conn)?;
    Ok(found.into_iter().collect())
}

/// Which of these ids are documents.
pub fn existing(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<i32>> {
    documents::table
        .filter(documents::id.eq_any(ids))
        .select(documents::id)
        .load(conn)
}

/// Adds counted views, each document in one statement.
pub fn add_views(conn: &mut DbConnection, counts: &[(i32, i64)]) -> QueryResult<()> {
    crate::db::on_engine!(conn, conn => {
        for (id, count) in counts {
            add_to(documents::view_count, *id, *count).execute(conn)?;
        }
        Ok(())
    })
}

/// Adds counted downloads, each document in one statement.
pub fn add_downloads(conn: &mut DbConnection, counts: &[(i32, i64)]) -> QueryResult<()> {
    crate::db::on_engine!(conn, conn => {
        for (id, count) in counts {
            add_to(documents::download_count, *id, *count).execute(conn)?;
        }
        Ok(())
    })
}

/// What a list of documents is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Words in the number, title, issuing body or signer.
    pub matching: Option<SearchQuery>,
    pub kind: Option<DocumentKind>,
    pub issuer_code: Option<String>,
    pub year: Option<i32>,
    pub number: Option<String>,
    pub status: Option<DocumentStatus>,
    /// An area and its subareas.
    pub area_ids: Option<Vec<i32>>,
    /// Written in this language (a [`crate::text::lang::Lang`]'s spelling).
    pub lang: Option<String>,
}

/// Where a list stopped: the last item's issue date (`""` when unknown:
/// those come last) and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPosition {
    pub k: String,
    pub i: i32,
}

impl DocumentPosition {
    pub fn after(row: &ListedDocument) -> Self {
        Self {
            k: row
                .document
                .issued_on
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            i: row.document.id,
        }
    }
}

// A page of documents and one document, each with its standing and how
// many articles cite it: one statement, spelled per engine in `db`.
pub use crate::db::{find_document as find, list_documents as list};

/// One relation as seen from one of its documents.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The document it is seen from.
    pub document_id: i32,
    pub kind: RelationKind,
    /// Whether the document states it (`supersedes`) or is its object (`replaced_by`).
    pub outgoing: bool,
    pub other_id: i32,
    pub other_number: String,
    pub other_title: String,
}

/// Every relation these documents are in, either side, with the other
/// document's number and title.
pub fn relations_of(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<Relation>> {
    type Row = (i32, RelationKind, i32, String, String);
    let (source, target) = diesel::alias!(documents as source, documents as target);
    let outgoing: Vec<Row> = document_relations::table
        .inner_join(
            target.on(target
                .field(documents::id)
                .eq(document_relations::target_id)),
        )
        .filter(document_relations::source_id.eq_any(ids))
        .select((
            document_relations::source_id,
            document_relations::kind,
            document_relations::target_id,
            target.field(documents::number),
            target.field(documents::title),
        ))
        .load(conn)?;
    let incoming: Vec<Row> = document_relations::table
        .inner_join(
            source.on(source
                .field(documents::id)
                .eq(document_relations::source_id)),
        )
        .filter(document_relations::target_id.eq_any(ids))
        .select((
            document_relations::target_id,
            document_relations::kind,
            document_relations::source_id,
            source.field(documents::number),
            source.field(documents::title),
        ))
        .load(conn)?;
    let seen = |rows: Vec<Row>, outgoing: bool| {
        rows.into_iter().map(
            move |(document_id, kind, other_id, other_number, other_title)| Relation {
                document_id,
                kind,
                outgoing,
                other_id,
                other_number,
                other_title,
            },
        )
    };
    Ok(seen(outgoing, true).chain(seen(incoming, false)).collect())
}

/// Replaces the relations `id` owns (those it states: implements, amends,
/// supersedes) and the supersessions of it (its `replaced_by`).
pub fn replace_relations(
    conn: &mut DbConnection,
    id: i32,
    stated: &[(RelationKind, i32)],
    replaced_by: &[i32],
) -> QueryResult<()> {
    diesel::delete(document_relations::table.filter(document_relations::source_id.eq(id)))
        .execute(conn)?;
    diesel::delete(
        document_relations::table
            .filter(document_relations::target_id.eq(id))
            .filter(document_relations::kind.eq(RelationKind::Supersedes)),
    )
    .execute(conn)?;
    let rows: Vec<_> = stated
        .iter()
        .map(|(kind, target)| (id, *kind, *target))
        .chain(
            replaced_by
                .iter()
                .map(|source| (*source, RelationKind::Supersedes, id)),
        )
        .map(|(source, kind, target)| {
            (
                document_relations::source_id.eq(source),
                document_relations::kind.eq(kind),
                document_relations::target_id.eq(target),
            )
        })
        .collect();
    crate::db::on_engine!(conn, inner => diesel::insert_into(document_relations::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(inner))
    .map(drop)
}

/// Adds "new supersedes old" for each `(new, old)` not already there; no
/// other link is touched (an import adds to what the registry says).
pub fn add_supersessions(conn: &mut DbConnection, links: &[(i32, i32)]) -> QueryResult<()> {
    let rows: Vec<_> = links
        .iter()
        .map(|(new, old)| {
            (
                document_relations::source_id.eq(*new),
                document_relations::kind.eq(RelationKind::Supersedes),
                document_relations::target_id.eq(*old),
            )
        })
        .collect();
    crate::db::on_engine!(conn, inner => diesel::insert_into(document_relations::table)
        .values(rows)
        .on_conflict_do_nothing()
        .execute(inner))
    .map(drop)
}

/// Replaces what an article cites with `references`; answers whether it
/// now cites other numbers than it did.
pub fn replace_references(
    conn: &mut DbConnection,
    article_id: i32,
    references: &[Reference],
) -> QueryResult<bool> {
    let mut cited: Vec<String> = diesel::delete(
        article_references::table.filter(article_references::article_id.eq(article_id)),
    )
    .returning(article_references::number)
    .get_results(conn)?;
    let numbers: Vec<String> = references.iter().map(|r| r.number.to_string()).collect();
    let rows: Vec<_> = references
        .iter()
        .zip(&numbers)
        .map(|(reference, number)| {
            (
                article_references::article_id.eq(article_id),
                article_references::number.eq(number),
                article_references::issued_on.eq(reference.issued_on),
                article_references::position
                    .eq(i32::try_from(reference.span.start).unwrap_or(i32::MAX)),
            )
        })
        .collect();
    crate::db::on_engine!(conn, inner => diesel::insert_into(article_references::table)
        .values(rows)
        .execute(inner))?;
    let mut citing = numbers;
    cited.sort_unstable();
    citing.sort_unstable();
    Ok(cited != citing)
}

/// The registered documents each of these articles cites, with their
/// status on `today`, by article, oldest first (the order they were issued
/// in).
pub fn cited_by_articles(
    conn: &mut DbConnection,
    article_ids: &[i32],
    today: NaiveDate,
) -> QueryResult<Vec<(i32, CitedDocument)>> {
    Ok(crate::db::cited_by_articles(conn, article_ids, today)?
        .into_iter()
        .map(|(article_id, document, status)| (article_id, CitedDocument { document, status }))
        .collect())
}

/// A document an article cites, and where it stands.
#[derive(Debug, Clone)]
pub struct CitedDocument {
    pub document: CitedDocumentRow,
    pub status: DocumentStatus,
}
