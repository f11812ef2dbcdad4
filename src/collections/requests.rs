//! What clients send to write collections.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::categories::Description;
use crate::slug::Slug;
use crate::users::DisplayName;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCollectionRequest {
    /// The block's heading.
    #[schema(value_type = DisplayName)]
    pub name: String,
    /// Made from the name when left out.
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    #[schema(value_type = Option<Description>)]
    pub description: Option<String>,
}

/// Only the fields sent change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCollectionRequest {
    #[schema(value_type = Option<DisplayName>)]
    pub name: Option<String>,
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    #[schema(value_type = Option<Description>)]
    pub description: Option<String>,
}
