//! An article as a path names it, `{key}`: its numeric id or its slug,
//! wherever an article is addressed (its comments and ratings included).
//! A slug names an article within its language: the one asked for, else
//! the site's (`BULLETIN_DEFAULT_LANG`) first, else the oldest.

use serde::Deserialize;
use utoipa::IntoParams;

use super::queries;
use crate::db::Database;
use crate::error::ApiError;
use crate::text::lang::Lang;
use crate::text::slug::IdOrSlug;

/// The article of a path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ArticleKey {
    /// The article's numeric id or its slug (in the site's language first, else the oldest)
    #[param(example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")]
    pub key: String,
}

/// An article as a reader names it: a key, and the language its slug is
/// read in.
#[derive(Debug, Clone)]
pub struct ArticleName {
    pub key: IdOrSlug,
    /// Only an article in this language, when the reader says one.
    pub lang: Option<Lang>,
    /// The language a slug names first otherwise.
    pub site_lang: Lang,
}

impl ArticleKey {
    /// What the key says, in `lang` if asked: `None` when it can name no
    /// article.
    pub fn named(&self, lang: Option<Lang>, site_lang: &Lang) -> Option<ArticleName> {
        IdOrSlug::parse(&self.key).map(|key| ArticleName {
            key,
            lang,
            site_lang: site_lang.clone(),
        })
    }

    /// The id of the article the key names: its own digits, or the article
    /// whose slug it is (trashed or not, whatever its status: the handler
    /// decides what its reader may see of it). 404 when it names none.
    pub async fn id(&self, db: &Database, site_lang: &Lang) -> Result<i32, ApiError> {
        let name = self
            .named(None, site_lang)
            .ok_or_else(|| self.not_found())?;
        match name.key {
            IdOrSlug::Id(id) => Ok(id),
            IdOrSlug::Slug(_) => db
                .read(move |conn| queries::id_named(conn, &name))
                .await?
                .ok_or_else(|| self.not_found()),
        }
    }

    pub fn not_found(&self) -> ApiError {
        ApiError::NotFound(format!("no article has the id or slug `{}`", self.key))
    }
}
