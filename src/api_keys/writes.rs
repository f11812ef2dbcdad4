//! The rules of API keys: an admin creates one, its secret shown once and
//! kept only as a hash, and revokes it; each write is audited in its
//! transaction.

use serde_json::json;

use super::ApiKeyScope;
use super::queries::{self, ApiKeyRow, NewApiKey};
use crate::audit::{self, Actor, AuditEvent};
use crate::auth::OpaqueSecret;
use crate::db::Database;
use crate::error::ApiError;
use crate::identity::DisplayName;

const KEY_PREFIX: &str = "bak_";
/// Characters of the key shown in lists: the prefix and 8 of the secret.
const SHOWN_CHARS: usize = KEY_PREFIX.len() + 8;

/// A new key and its secret, which nothing keeps: the caller shows it once.
pub async fn create(
    db: &Database,
    name: DisplayName,
    scope: ApiKeyScope,
    actor: Actor,
) -> Result<(ApiKeyRow, OpaqueSecret), ApiError> {
    let secret = OpaqueSecret::generate(KEY_PREFIX)
        .map_err(|e| ApiError::Internal(format!("no randomness for an API key: {e}")))?;
    let key_hash = secret.hash.clone();
    let prefix = secret.plain[..SHOWN_CHARS].to_owned();
    let row = db
        .write(move |conn| {
            let now = crate::support::timestamps::now();
            let row = queries::insert(
                conn,
                &NewApiKey {
                    name: name.as_str(),
                    scope,
                    prefix: &prefix,
                    key_hash: &key_hash,
                    created_by: actor.id,
                    created_at: now,
                },
            )?;
            let details = json!({"name": row.name, "scope": row.scope, "prefix": row.prefix});
            audit::record(
                conn,
                &actor,
                AuditEvent::on("api_key.create", "api_key", row.id, details),
                now,
            )?;
            Ok::<_, ApiError>(row)
        })
        .await?;
    Ok((row, secret))
}

/// Revokes the active key `id` (404 when none is): it stops working at once.
pub async fn revoke(db: &Database, id: i32, actor: Actor) -> Result<(), ApiError> {
    db.write(move |conn| {
        let now = crate::support::timestamps::now();
        let revoked = queries::revoke(conn, id, now)?
            .ok_or_else(|| ApiError::no_such("active API key", id))?;
        let details = json!({"name": revoked.name});
        audit::record(
            conn,
            &actor,
            AuditEvent::on("api_key.revoke", "api_key", id, details),
            now,
        )?;
        Ok(())
    })
    .await
}
