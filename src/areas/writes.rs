//! The rules of areas: a name made into a free slug, a parent that exists,
//! and no deleting an area a document or a subarea uses; each write is
//! audited in its transaction.

use serde_json::json;

use super::{AreaRow, queries};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::Database;
use crate::error::ApiError;
use crate::text::slug::Slug;

/// A new area named `name` under `parent_id` (404 naming `parent_id` when no
/// area has it), its slug made from the name.
pub async fn create(
    db: &Database,
    name: String,
    parent_id: Option<i32>,
    actor: Actor,
) -> Result<AreaRow, ApiError> {
    let base = Slug::from_title_or(&name, "khu-vuc");
    db.write(move |conn| {
        if let Some(parent_id) = parent_id {
            super::check_exist(conn, &[parent_id])
                .map_err(|_| ApiError::missing("parent_id", "no area has this id"))?;
        }
        let slug = base
            .first_free(100, |slug| queries::slug_taken(conn, slug))?
            .ok_or_else(|| ApiError::Conflict("too many areas have this name".into()))?;
        let now = crate::support::timestamps::now();
        let area = queries::insert(conn, parent_id, slug.as_str(), &name, now)?;
        let details = json!({"name": area.name});
        audit::record(
            conn,
            &actor,
            AuditEvent::on("area.create", "area", area.id, details),
            now,
        )?;
        Ok(area)
    })
    .await
}

/// Deletes area `id`: 404 when no area has it, 409 while documents or
/// subareas use it.
pub async fn delete(db: &Database, id: i32, actor: Actor) -> Result<(), ApiError> {
    db.write(move |conn| {
        if queries::in_use(conn, id)? {
            return Err(ApiError::Conflict(
                "documents or subareas use this area".into(),
            ));
        }
        if queries::delete(conn, id)? == 0 {
            return Err(ApiError::no_such("area", id));
        }
        let event = AuditEvent::on("area.delete", "area", id, json!({}));
        audit::record(conn, &actor, event, crate::support::timestamps::now())?;
        Ok(())
    })
    .await
}
