//! The rules of attachments, in their transactions: a file joins a document
//! that exists, its bytes kept with its row; removing it frees its bytes
//! once nothing else holds them. Each write is in the document's audit.

use serde_json::json;

use super::{AttachmentRow, AttachmentStore, FileType, Incoming, NewAttachment, queries};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::Database;
use crate::documents;
use crate::error::ApiError;

/// The target type of the audit log's entries these writes make.
const AUDITED: &str = "document";

pub fn no_document(id: i32) -> ApiError {
    ApiError::no_such("document", id)
}

/// A file received, typed from its bytes and named.
pub struct Received {
    pub filename: String,
    pub file_type: FileType,
    pub size: i64,
    pub incoming: Incoming,
}

/// Attaches `file` to document `document_id` (404 when it is gone by now).
pub async fn attach(
    db: &Database,
    document_id: i32,
    file: Received,
    actor: Actor,
) -> Result<AttachmentRow, ApiError> {
    db.write(move |conn| {
        documents::queries::find_row(conn, document_id)?.ok_or_else(|| no_document(document_id))?;
        file.incoming.keep(conn)?;
        let attachment = queries::insert(
            conn,
            &NewAttachment {
                document_id,
                filename: &file.filename,
                content_type: file.file_type.content_type(),
                size: file.size,
                sha256: file.incoming.sha256(),
                created_at: crate::support::timestamps::now(),
            },
        )?;
        let details = json!({"attachment": attachment.id, "filename": attachment.filename});
        audit::record(
            conn,
            &actor,
            AuditEvent::on("document.attach", AUDITED, document_id, details),
            crate::support::timestamps::now(),
        )?;
        Ok(attachment)
    })
    .await
}

/// Removes attachment `id` of document `document_id`, then its bytes when
/// no attachment or image holds them any more.
pub async fn detach(
    db: &Database,
    store: &AttachmentStore,
    document_id: i32,
    id: i32,
    actor: Actor,
) -> Result<(), ApiError> {
    let unused = db
        .write(move |conn| {
            let attachment = queries::find(conn, document_id, id)?.ok_or_else(|| {
                ApiError::NotFound(format!("document {document_id} has no attachment {id}"))
            })?;
            queries::delete(conn, id)?;
            let details = json!({"attachment": id, "filename": attachment.filename});
            audit::record(
                conn,
                &actor,
                AuditEvent::on("document.detach", AUDITED, document_id, details),
                crate::support::timestamps::now(),
            )?;
            let in_use = queries::content_in_use(conn, &attachment.sha256)?;
            Ok::<_, ApiError>((!in_use).then_some(attachment.sha256))
        })
        .await?;
    store.remove_unused(unused.into_iter().collect()).await;
    Ok(())
}
