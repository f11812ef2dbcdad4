//! What clients receive for API keys: never a secret, but once.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiKeyScope;
use super::queries::ApiKeyRow;
use crate::support::timestamps::SiteOffset;

/// An API key, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyResponse {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "Cổng thông tin điện tử tỉnh")]
    pub name: String,
    pub scope: ApiKeyScope,
    /// The key's first characters, to tell keys apart.
    #[schema(example = "bak_Xq3v9Tz1")]
    pub prefix: String,
    /// The admin who created it.
    #[schema(example = 1)]
    pub created_by: Option<i32>,
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    /// When it stopped working; null while active.
    #[schema(example = json!(null))]
    pub revoked_at: Option<DateTime<FixedOffset>>,
}

impl ApiKeyResponse {
    pub(super) fn new(row: ApiKeyRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            name: row.name,
            scope: row.scope,
            prefix: row.prefix,
            created_by: row.created_by,
            created_at: offset.show(row.created_at),
            revoked_at: row.revoked_at.map(|at| offset.show(at)),
        }
    }
}

/// A new API key, with its secret: shown this once, never again.
// No Debug: it carries a secret.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKeyResponse {
    #[serde(flatten)]
    pub api_key: ApiKeyResponse,
    /// Send it as `X-Api-Key`. Store it now: it cannot be shown again.
    #[schema(example = "bak_Xq3v9Tz1yF0c7mW2pLr8sKd4hJ6nB5aQeVgUoI3tZx0")]
    pub key: String,
}
