//! Translations: an article may be the translation of another, its
//! original. An original and its translations form a group, one level deep
//! (a translation of a translation joins the first original's group), with
//! at most one article in each language outside the trash.

use chrono::NaiveDateTime;

use super::queries;
use crate::db::DbConnection;
use crate::error::ApiError;

/// The original an article (`id`, `None` for a new one) joins when it is
/// said to translate `target`: `target`, or `target`'s own original when it
/// is a translation. 404 naming `translation_of` when no article outside
/// the trash has the id; 422 when it is the article itself; 409 when the
/// article is an original with translations of its own.
pub fn original_of(conn: &mut DbConnection, target: i32, id: Option<i32>) -> Result<i32, ApiError> {
    let found = queries::find_any(conn, target)?
        .map(|found| found.article)
        .filter(|article| article.deleted_at.is_none())
        .ok_or_else(|| {
            ApiError::missing("translation_of", format!("no article has the id {target}"))
        })?;
    let original = found.translation_of.unwrap_or(found.id);
    if id.is_some_and(|id| id == target || id == original) {
        return Err(ApiError::validation(
            "translation_of",
            "an article cannot be a translation of itself or of its own translation",
        ));
    }
    if let Some(id) = id
        && queries::has_translations(conn, id)?
    {
        return Err(ApiError::Conflict(format!(
            "article {id} has translations of its own: link them to article {original} first"
        )));
    }
    Ok(original)
}

/// The group an article (`id`, `None` for a new one) is in as it will be
/// stored: the original it translates, or itself when it has translations.
pub fn group_of(
    conn: &mut DbConnection,
    id: Option<i32>,
    translation_of: Option<i32>,
) -> Result<Option<i32>, ApiError> {
    match (translation_of, id) {
        (Some(original), _) => Ok(Some(original)),
        (None, Some(id)) if queries::has_translations(conn, id)? => Ok(Some(id)),
        (None, _) => Ok(None),
    }
}

/// 409 when another article of the group `original` heads (outside the
/// trash) is written in `lang`: a group holds one article a language.
pub fn check_language_free(
    conn: &mut DbConnection,
    original: i32,
    id: Option<i32>,
    lang: &str,
) -> Result<(), ApiError> {
    let taken = queries::group(conn, original, None)?
        .into_iter()
        .find(|member| Some(member.id) != id && member.lang == lang);
    match taken {
        Some(member) => Err(ApiError::Conflict(format!(
            "article {} is this article's translation in `{lang}` already",
            member.id
        ))),
        None => Ok(()),
    }
}

/// The other articles of `article`'s group a reader sees (only public ones
/// at `public_at` when given; staff see every one outside the trash).
pub fn of(
    conn: &mut DbConnection,
    id: i32,
    translation_of: Option<i32>,
    public_at: Option<NaiveDateTime>,
) -> diesel::QueryResult<Vec<queries::Translation>> {
    let original = translation_of.unwrap_or(id);
    let mut members = queries::group(conn, original, public_at)?;
    members.retain(|member| member.id != id);
    Ok(members)
}
