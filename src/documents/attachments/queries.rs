//! SQL for attachments.

use diesel::prelude::*;

use super::{AttachmentRow, NewAttachment};
use crate::db::DbConnection;
use crate::db::schema::attachments;

pub fn insert(
    conn: &mut DbConnection,
    attachment: &NewAttachment<'_>,
) -> QueryResult<AttachmentRow> {
    diesel::insert_into(attachments::table)
        .values(attachment)
        .returning(crate::db::selection::<AttachmentRow>())
        .get_result(conn)
}

/// The attachment `id` of document `document_id`.
pub fn find(
    conn: &mut DbConnection,
    document_id: i32,
    id: i32,
) -> QueryResult<Option<AttachmentRow>> {
    attachments::table
        .filter(attachments::id.eq(id))
        .filter(attachments::document_id.eq(document_id))
        .select(AttachmentRow::as_select())
        .first(conn)
        .optional()
}

/// The attachments of these documents, oldest first.
pub fn of_documents(
    conn: &mut DbConnection,
    document_ids: &[i32],
) -> QueryResult<Vec<AttachmentRow>> {
    attachments::table
        .filter(attachments::document_id.eq_any(document_ids))
        .order(attachments::id)
        .select(AttachmentRow::as_select())
        .load(conn)
}

pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(attachments::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Whether any attachment still holds these bytes.
pub fn content_in_use(conn: &mut DbConnection, sha256: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        attachments::table.filter(attachments::sha256.eq(sha256)),
    ))
    .get_result(conn)
}
