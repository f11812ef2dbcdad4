//! Query parameters article lists and sync share: what narrows them, and
//! what each article shows.

use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::ArticleListItem;
use super::content;
use super::queries::ArticleFilter;
use crate::categories;
use crate::db::Database;
use crate::error::ApiError;
use crate::http::fields::FieldSet;
use crate::text::lang::{self, Lang};

/// The orders a list can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum ArticleSort {
    /// Newest first (the default).
    #[serde(rename = "-published_at")]
    NewestFirst,
    #[serde(rename = "published_at")]
    OldestFirst,
    /// Most read first.
    #[serde(rename = "-view_count")]
    MostViewed,
    /// Best rated first, by a Bayesian average: the stars with five votes of
    /// 3 added, `(total + 15) / (count + 5)`, so 2 votes of 5 (3.57) do not
    /// rank above 70 votes averaging 4.5 (4.40). Unrated articles come last.
    #[serde(rename = "-rating")]
    BestRated,
    /// Best match first: only with `q`, where it is the default.
    #[serde(rename = "relevance")]
    Relevance,
    /// Last changed first: for staff going through their drafts.
    #[serde(rename = "-updated_at")]
    RecentlyChanged,
}

/// What narrows a list (or a sync: its articles and removals alike).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Narrowing {
    /// Only this category (id or slug) and its subcategories; 404 when no
    /// category has it.
    #[param(example = "cai-cach-hanh-chinh", min_length = 1)]
    pub category: Option<String>,
    /// Only articles with this tag, whatever its case.
    #[param(example = "cải cách hành chính")]
    pub tag: Option<String>,
    /// Only articles written by this staff account (its id).
    #[param(example = 2)]
    pub author: Option<i32>,
    /// `true`: only the featured news ("tin nổi bật"); `false`: none of it.
    #[param(example = true)]
    pub featured: Option<bool>,
    /// Only articles written in this language, a BCP 47 tag (`vi`, `en`, any case); a
    /// `category` slug is read in it too.
    #[param(
        max_length = 35,
        pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        example = "vi"
    )]
    pub lang: Option<String>,
}

impl Narrowing {
    /// The filter these parameters ask for; a category that does not exist
    /// is a 404. A category's slug is read in the language asked for, else
    /// in `site_lang` first.
    pub async fn filter(&self, db: &Database, site_lang: &Lang) -> Result<ArticleFilter, ApiError> {
        let lang = lang::parse_field("lang", self.lang.as_deref())?;
        let category_ids = match &self.category {
            Some(key) => Some(categories::subtree_of(db, key, lang.as_ref(), site_lang).await?),
            None => None,
        };
        Ok(ArticleFilter {
            category_ids,
            author_id: self.author,
            tag_key: self.tag.as_deref().map(content::tag_key),
            featured: self.featured,
            lang: lang.map(|lang| lang.to_string()),
            ..ArticleFilter::default()
        })
    }
}

/// What each article of a list shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Shape {
    /// Only these fields of each article, comma-separated (`id` always
    /// comes): `fields=id,slug,title,published_at` for a compact list.
    #[param(
        example = "id,slug,title,published_at",
        pattern = "^(id|url|slug|title|lang|translation_of|summary|cover_image_url|cover_image|featured|byline|category|tags|author|status|published_at|created_at|updated_at|reading_time|view_count|comment_count|rating|version|snippet|documents|breadcrumbs)(,(id|url|slug|title|lang|translation_of|summary|cover_image_url|cover_image|featured|byline|category|tags|author|status|published_at|created_at|updated_at|reading_time|view_count|comment_count|rating|version|snippet|documents|breadcrumbs))*$"
    )]
    pub fields: Option<String>,
    /// Related objects to embed, comma-separated: `documents` (the official
    /// documents each article cites, with their standing), `breadcrumbs`
    /// (each article's category and those above it). `category` and
    /// `author` are always embedded, and accepted here.
    #[param(
        example = "documents",
        pattern = "^(documents|breadcrumbs|category|author)(,(documents|breadcrumbs|category|author))*$"
    )]
    pub include: Option<String>,
}

/// [`Shape`], checked.
#[derive(Debug, Clone)]
pub struct Shown {
    pub fields: Option<FieldSet>,
    pub embeds: Embeds,
}

/// What list items embed beyond what they always do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Embeds {
    /// The documents each article cites.
    pub documents: bool,
    /// Each article's category and those above it.
    pub breadcrumbs: bool,
}

impl Shape {
    pub fn parse(&self) -> Result<Shown, ApiError> {
        let fields = self
            .fields
            .as_deref()
            .map(|fields| FieldSet::parse(fields, &ArticleListItem::field_names()))
            .transpose()?;
        let included = included(self.include.as_deref(), LISTED)?;
        Ok(Shown {
            fields,
            embeds: Embeds {
                documents: included.contains(&"documents"),
                breadcrumbs: included.contains(&"breadcrumbs"),
            },
        })
    }
}

/// What a list's `include` may name.
const LISTED: &[&str] = &["documents", "breadcrumbs", "category", "author"];
/// What an article's `include` may name.
const READ: &[&str] = &[
    "linked_body",
    "documents",
    "breadcrumbs",
    "category",
    "author",
];

/// The names `include` gives, each one of `known`.
fn included(include: Option<&str>, known: &[&'static str]) -> Result<Vec<&'static str>, ApiError> {
    let Some(include) = include else {
        return Ok(Vec::new());
    };
    include
        .split(',')
        .map(|name| {
            known
                .iter()
                .find(|known| **known == name)
                .copied()
                .ok_or_else(|| {
                    ApiError::validation(
                        "include",
                        format!("cannot include `{name}`; give some of {}", known.join(", ")),
                    )
                })
        })
        .collect()
}

/// What an article's answer embeds beyond what it always does.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Reading {
    /// Comma-separated: `linked_body` makes each mention in `body_html` of
    /// a registered document the article cites a link to that document's
    /// `url`. `documents`, `breadcrumbs`, `category` and `author` are always
    /// embedded, and accepted here.
    #[param(
        example = "linked_body",
        pattern = "^(linked_body|documents|breadcrumbs|category|author)(,(linked_body|documents|breadcrumbs|category|author))*$"
    )]
    pub include: Option<String>,
    /// A preview link's token (`POST /articles/{key}/preview-links`): the
    /// article is shown whatever its status, to anyone holding a token that
    /// works for it, answered `Cache-Control: private, no-store` and counted
    /// as no view. A token that is unknown, expired, revoked or another
    /// article's finds nothing (404).
    #[param(
        example = "bpv_3q2-7wEvaKkWl1N6tQ0uX2bmPZf0Yk6o3Jr1sFhCq9E",
        min_length = 1
    )]
    pub preview: Option<String>,
}

impl Reading {
    /// Whether the body's cited numbers are to be links.
    pub fn linked_body(&self) -> Result<bool, ApiError> {
        Ok(included(self.include.as_deref(), READ)?.contains(&"linked_body"))
    }
}
