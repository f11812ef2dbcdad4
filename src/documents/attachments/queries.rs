//! SQL for attachments.

use diesel::prelude::*;

use super::{AttachmentRow, NewAttachment};
use crate::db::DbConnection;
use crate::db::schema::{attachment_contents, attachments, media, media_variants};

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

/// Whether anything still holds these bytes: an attachment, an image of
/// the media library or one of its variants (they share the store).
pub fn content_in_use(conn: &mut DbConnection, sha256: &str) -> QueryResult<bool> {
    let attachment = diesel::dsl::exists(attachments::table.filter(attachments::sha256.eq(sha256)));
    let image = diesel::dsl::exists(media::table.filter(media::sha256.eq(sha256)));
    let variant =
        diesel::dsl::exists(media_variants::table.filter(media_variants::sha256.eq(sha256)));
    diesel::select(attachment.or(image).or(variant)).get_result(conn)
}

/// Keeps these bytes under their digest, unless they are kept already.
pub fn keep_content(conn: &mut DbConnection, sha256: &str, bytes: &[u8]) -> QueryResult<()> {
    crate::db::on_engine!(conn, inner => diesel::insert_into(attachment_contents::table)
        .values((
            attachment_contents::sha256.eq(sha256),
            attachment_contents::bytes.eq(bytes),
        ))
        .on_conflict_do_nothing()
        .execute(inner))
    .map(drop)
}

/// The bytes kept under this digest.
pub fn content(conn: &mut DbConnection, sha256: &str) -> QueryResult<Option<Vec<u8>>> {
    attachment_contents::table
        .find(sha256)
        .select(attachment_contents::bytes)
        .first(conn)
        .optional()
}

/// Forgets the bytes kept under this digest unless an attachment, an image
/// or a variant holds them: one that an upload elsewhere made meanwhile
/// keeps them.
pub fn forget_unused_content(conn: &mut DbConnection, sha256: &str) -> QueryResult<()> {
    let attachment = attachments::table.filter(attachments::sha256.eq(attachment_contents::sha256));
    let image = media::table.filter(media::sha256.eq(attachment_contents::sha256));
    let variant =
        media_variants::table.filter(media_variants::sha256.eq(attachment_contents::sha256));
    diesel::delete(
        attachment_contents::table
            .filter(attachment_contents::sha256.eq(sha256))
            .filter(diesel::dsl::not(diesel::dsl::exists(attachment)))
            .filter(diesel::dsl::not(diesel::dsl::exists(image)))
            .filter(diesel::dsl::not(diesel::dsl::exists(variant))),
    )
    .execute(conn)
    .map(drop)
}
