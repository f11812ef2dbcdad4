//! The rules of the media library, in their transactions: an upload's
//! bytes processed off the executor, a few at a time, then kept with its
//! rows; a change of its texts; no deleting an image an article shows, and
//! its bytes freed once nothing else holds them. Each write is audited.

use actix_web::web;
use serde_json::json;

use super::images::{self, ImageType, Processed, Rendition};
use super::queries::{self, ImageChanges};
use super::{NewImage, NewVariant, StoredImage, TextChanges, Texts};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::{Database, DbConnection};
use crate::documents::attachments::{AttachmentStore, Incoming};
use crate::error::ApiError;
use crate::http::{Precondition, Versioned};

/// How many images are decoded and encoded at once. One takes a core and
/// up to a few hundred megabytes for a while; more at once would only share
/// the same cores and multiply the memory, so the others wait their turn.
static IMAGE_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The target type of the audit log's entries about images.
const AUDITED: &str = "media";

/// The most article ids a 409 names.
const SHOWN_COVERS: i64 = 20;

/// A 409 naming the articles that show the image (as cover or preview image).
fn in_use(count: i64, ids: &[i32]) -> ApiError {
    let mut named = ids
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if count > ids.len() as i64 {
        named.push_str(", …");
    }
    ApiError::Conflict(format!(
        "the articles {named} show this image (as cover or preview image): give them another first"
    ))
}

/// Processes `file` (of type `kind`), keeps its bytes and those of its
/// variants, and records them with `texts`.
pub async fn upload(
    db: &Database,
    store: &AttachmentStore,
    texts: Texts,
    file: Vec<u8>,
    kind: ImageType,
    actor: Actor,
) -> Result<StoredImage, ApiError> {
    let Processed { original, variants } = process(file, kind).await?;
    let original = receive(store, original).await?;
    let mut received = Vec::with_capacity(variants.len());
    for variant in variants {
        received.push(receive(store, variant).await?);
    }
    db.write(move |conn| record_upload(conn, &actor, &texts, &original, &received))
        .await
}

/// Decodes and encodes on the blocking pool, in one of the image slots.
async fn process(bytes: Vec<u8>, kind: ImageType) -> Result<Processed, ApiError> {
    // The semaphore is never closed, so acquiring only waits.
    let _slot = IMAGE_SLOTS
        .acquire()
        .await
        .map_err(|_| ApiError::Internal("the image slots were closed".into()))?;
    web::block(move || images::process(&bytes, kind))
        .await
        .map_err(|e| ApiError::Internal(format!("processing an image stopped: {e}")))?
        .map_err(ApiError::from)
}

/// A rendition taken in by the store, with what its row records.
struct Received {
    kind: ImageType,
    width: i32,
    height: i32,
    byte_size: i64,
    incoming: Incoming,
}

async fn receive(store: &AttachmentStore, rendition: Rendition) -> Result<Received, ApiError> {
    let pixels = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let (kind, width, height) = (
        rendition.kind,
        pixels(rendition.width),
        pixels(rendition.height),
    );
    let byte_size = i64::try_from(rendition.bytes.len()).unwrap_or(i64::MAX);
    let incoming = store.receive(rendition.bytes).await?;
    Ok(Received {
        kind,
        width,
        height,
        byte_size,
        incoming,
    })
}

/// Keeps the bytes (on PostgreSQL, in this transaction) and records the
/// image, its variants and the audit entry.
fn record_upload(
    conn: &mut DbConnection,
    actor: &Actor,
    texts: &Texts,
    original: &Received,
    variants: &[Received],
) -> Result<StoredImage, ApiError> {
    original.incoming.keep(conn)?;
    for variant in variants {
        variant.incoming.keep(conn)?;
    }
    let now = crate::support::timestamps::now();
    let row = queries::insert(
        conn,
        &NewImage {
            sha256: original.incoming.sha256(),
            content_type: original.kind.content_type(),
            width: original.width,
            height: original.height,
            byte_size: original.byte_size,
            alt: &texts.alt,
            caption: &texts.caption,
            credit: &texts.credit,
            created_by: &actor.label,
            created_at: now,
            updated_at: now,
        },
    )?;
    let variants = variants
        .iter()
        .map(|variant| {
            queries::insert_variant(
                conn,
                &NewVariant {
                    media_id: row.id,
                    width: variant.width,
                    height: variant.height,
                    content_type: variant.kind.content_type(),
                    sha256: variant.incoming.sha256(),
                    byte_size: variant.byte_size,
                },
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let details = json!({
        "content_type": row.content_type,
        "width": row.width,
        "height": row.height,
        "byte_size": row.byte_size,
        "sha256": row.sha256,
        "variants": variants.len(),
    });
    let event = AuditEvent::on("media.create", AUDITED, row.id, details);
    audit::record(conn, actor, event, now)?;
    Ok(StoredImage { row, variants })
}

/// Changes image `id`'s texts as `changes` says, if `precondition` holds.
pub async fn update(
    db: &Database,
    id: i32,
    changes: TextChanges,
    precondition: Precondition,
    actor: Actor,
) -> Result<StoredImage, ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        let row = if changes.is_empty() {
            current
        } else {
            let updated = queries::update(
                conn,
                id,
                &ImageChanges {
                    alt: changes.alt.as_deref(),
                    caption: changes.caption.as_deref(),
                    credit: changes.credit.as_deref(),
                    version: current.version + 1,
                    updated_at: crate::support::timestamps::now(),
                },
            )?;
            let details = json!({
                "from": {"alt": current.alt, "caption": current.caption, "credit": current.credit},
                "to": {"alt": updated.alt, "caption": updated.caption, "credit": updated.credit},
            });
            let event = AuditEvent::on("media.update", AUDITED, id, details);
            audit::record(conn, &actor, event, updated.updated_at)?;
            updated
        };
        let variants = queries::variants_of(conn, &[id])?;
        Ok(StoredImage { row, variants })
    })
    .await
}

/// Deletes image `id` unless an article shows it (409 naming them), then
/// the bytes nothing else holds.
pub async fn delete(
    db: &Database,
    store: &AttachmentStore,
    id: i32,
    precondition: Precondition,
    actor: Actor,
) -> Result<(), ApiError> {
    let unused = db
        .write(move |conn| {
            let current =
                queries::find_stored(conn, id)?.ok_or_else(|| ApiError::no_such("image", id))?;
            precondition.check(&current.row.tag())?;
            let (count, covers) = queries::covered(conn, id, SHOWN_COVERS)?;
            if count > 0 {
                return Err(in_use(count, &covers));
            }
            queries::delete(conn, id)?;
            let details = json!({"sha256": current.row.sha256, "alt": current.row.alt});
            let event = AuditEvent::on("media.delete", AUDITED, id, details);
            audit::record(conn, &actor, event, crate::support::timestamps::now())?;
            let mut unused = Vec::new();
            for sha256 in current.digests() {
                if !crate::documents::attachments::queries::content_in_use(conn, &sha256)? {
                    unused.push(sha256);
                }
            }
            Ok::<_, ApiError>(unused)
        })
        .await?;
    store.remove_unused(unused).await;
    Ok(())
}
