//! SQL for documents and the citations linking them to articles.

use diesel::prelude::*;

use super::{DocumentRow, NewDocument};
use crate::db::schema::{article_documents, documents};

pub fn insert(conn: &mut SqliteConnection, document: &NewDocument<'_>) -> QueryResult<i32> {
    diesel::insert_into(documents::table)
        .values(document)
        .returning(documents::id)
        .get_result(conn)
}

pub fn link_citation(
    conn: &mut SqliteConnection,
    article_id: i32,
    document_id: i32,
) -> QueryResult<()> {
    diesel::insert_or_ignore_into(article_documents::table)
        .values((
            article_documents::article_id.eq(article_id),
            article_documents::document_id.eq(document_id),
        ))
        .execute(conn)
        .map(drop)
}

/// The documents each of these articles cites, by article, oldest first
/// (the order they were issued in).
pub fn cited_by_articles(
    conn: &mut SqliteConnection,
    article_ids: &[i32],
) -> QueryResult<Vec<(i32, DocumentRow)>> {
    article_documents::table
        .inner_join(documents::table)
        .filter(article_documents::article_id.eq_any(article_ids))
        .order((documents::issued_on.asc(), documents::id.asc()))
        .select((article_documents::article_id, DocumentRow::as_select()))
        .load(conn)
}
