//! What editors send to create an area.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAreaRequest {
    /// The slug is made from it.
    #[schema(value_type = crate::identity::DisplayName)]
    pub name: String,
    /// The parent area; leave out for a top-level one.
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
}
