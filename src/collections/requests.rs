//! What clients send to write collections.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::categories::Description;
use crate::identity::DisplayName;
use crate::text::slug::Slug;

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

/// The schema of a collection's articles as sent: ids in order, each once,
/// at most [`super::writes::MAX_ARTICLES`].
pub struct CollectionArticleIds;

impl utoipa::PartialSchema for CollectionArticleIds {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ArrayBuilder::new()
            .items(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int32,
                    ))),
            )
            .max_items(Some(super::writes::MAX_ARTICLES))
            .unique_items(true)
            .examples([serde_json::json!([12, 7, 3])])
            .into()
    }
}
impl ToSchema for CollectionArticleIds {}
