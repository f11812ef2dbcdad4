//! What editors send to create and change categories, and its parsing.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::identity::DisplayName;
use crate::text::lang::Lang;
use crate::text::slug::Slug;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryRequest {
    #[schema(value_type = DisplayName)]
    pub name: String,
    /// Generated from the name when left out (`cai-cach-hanh-chinh`).
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// The parent category; leave out for a top-level one.
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    /// The language of its name, a BCP 47 tag; the site's (`BULLETIN_DEFAULT_LANG`, `vi` unless
    /// set) when left out. Its slug is unique among the categories of this language.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    #[schema(value_type = Option<Description>)]
    pub description: Option<String>,
}

/// Only the fields sent change; `parent_id: null` makes it top-level.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategoryRequest {
    #[schema(value_type = Option<DisplayName>)]
    pub name: Option<String>,
    /// The slug changes only when sent: links keep working when the name changes.
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i32>, example = 3)]
    pub parent_id: Option<Option<i32>>,
    /// The language of its name, a BCP 47 tag.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    #[schema(value_type = Option<Description>)]
    pub description: Option<String>,
}

pub(super) fn parse_name(errors: &mut FieldErrors, name: &str) -> Option<DisplayName> {
    errors.check("name", DisplayName::parse(name))
}

const MAX_DESCRIPTION_CHARS: usize = 1000;

/// What a category's description may hold: at most 1000 characters, no
/// control characters but line breaks.
pub struct Description;

crate::schema_of!(
    Description,
    crate::text::text_schema(
        0,
        MAX_DESCRIPTION_CHARS,
        r"\u0000-\u0009\u000B-\u001F\u007F-\u009F"
    ),
    "Tin về cải cách thủ tục hành chính"
);

/// A category's description as [`Description`] says, trimmed.
pub fn description(text: &str) -> Result<String, String> {
    let fits = text.chars().count() <= MAX_DESCRIPTION_CHARS;
    let clean = text.chars().all(|c| !c.is_control() || c == '\n');
    if fits && clean {
        Ok(text.trim().to_owned())
    } else {
        Err(format!(
            "must be at most {MAX_DESCRIPTION_CHARS} characters, without control characters"
        ))
    }
}

pub(super) fn parse_description(
    errors: &mut FieldErrors,
    description: Option<&str>,
) -> Option<Option<String>> {
    errors.check(
        "description",
        description.map(self::description).transpose(),
    )
}

pub(super) fn parse_slug(errors: &mut FieldErrors, slug: Option<&str>) -> Option<Option<Slug>> {
    errors.check("slug", slug.map(Slug::parse).transpose())
}
