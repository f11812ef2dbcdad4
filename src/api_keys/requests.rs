//! What admins send to create an API key.

use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiKeyScope;

/// The key's name as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, to recognise it in the list.
    #[schema(value_type = crate::identity::DisplayName)]
    pub name: String,
    pub scope: ApiKeyScope,
}
