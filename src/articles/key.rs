//! An article as a path names it, `{key}`: its numeric id or its slug,
//! wherever an article is addressed (its comments and ratings included).

use serde::Deserialize;
use utoipa::IntoParams;

use super::queries;
use crate::db::Database;
use crate::error::ApiError;
use crate::slug::IdOrSlug;

/// The article of a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ArticleKey {
    /// The article's numeric id or its slug
    #[param(example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")]
    pub key: String,
}

impl ArticleKey {
    /// What the key says: `None` when it can name no article.
    pub fn parse(&self) -> Option<IdOrSlug> {
        IdOrSlug::parse(&self.key)
    }

    /// The id of the article the key names: its own digits, or the article
    /// whose slug it is (trashed or not, whatever its status: the handler
    /// decides what its reader may see of it). 404 when it names none.
    pub async fn id(&self, db: &Database) -> Result<i32, ApiError> {
        match self.parse().ok_or_else(|| self.not_found())? {
            IdOrSlug::Id(id) => Ok(id),
            IdOrSlug::Slug(slug) => db
                .read(move |conn| queries::id_by_slug(conn, slug.as_str()))
                .await?
                .ok_or_else(|| self.not_found()),
        }
    }

    pub fn not_found(&self) -> ApiError {
        ApiError::NotFound(format!("no article has the id or slug `{}`", self.key))
    }
}
