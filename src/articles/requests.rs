//! What clients send to write articles, and its parsing: every field's
//! error reported at once, before any rule or transaction.

use serde::Deserialize;
use utoipa::ToSchema;

use super::content::{
    Byline, MetaDescription, MetaTitle, SafeHtml, Summary, Tags, Title, parse_image_url,
};
use super::model::ArticleStatus;
use crate::error::{ApiError, FieldErrors, all_parsed};
use crate::support::timestamps::Timestamp;
use crate::text::lang::Lang;
use crate::text::slug::Slug;
use crate::text::{HttpUrl, html_to_text};

// No Debug: not a secret, but large; nothing needs to print it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArticleRequest {
    /// The headline.
    #[schema(value_type = Title)]
    pub title: String,
    /// HTML; sanitised on write (an allowlist: no scripts, event handlers or `javascript:` URLs).
    #[schema(value_type = SafeHtml)]
    pub body_html: String,
    /// Plain text; the body's opening words when left out or blank.
    #[schema(value_type = Option<Summary>)]
    pub summary: Option<String>,
    #[schema(value_type = Option<Byline>)]
    pub byline: Option<String>,
    #[schema(example = 1)]
    pub category_id: Option<i32>,
    #[schema(value_type = Option<Tags>)]
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<HttpUrl>)]
    pub cover_image_url: Option<String>,
    /// An image of the media library (`POST /media`) as its cover, answered
    /// as `cover_image` with its variants.
    #[schema(example = 12)]
    pub cover_media_id: Option<i32>,
    /// Generated from the title when left out.
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// Among the featured news (`?featured=true` lists them); editors only.
    #[schema(example = false)]
    pub featured: Option<bool>,
    /// For search engines and social previews; the title when left out.
    #[schema(value_type = Option<MetaTitle>)]
    pub meta_title: Option<String>,
    /// For search engines and social previews; the summary's opening when left out.
    #[schema(value_type = Option<MetaDescription>)]
    pub meta_description: Option<String>,
    /// An image of the media library for social previews (`og:image`); the
    /// cover when left out.
    #[schema(example = 12)]
    pub og_media_id: Option<i32>,
    /// The language it is written in, a BCP 47 tag; the site's (`BULLETIN_DEFAULT_LANG`, `vi`
    /// unless set) when left out. Its slug is unique among the articles of this language.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    /// The id of the article this one translates (a translation of a translation joins the
    /// first original). Its group may hold one article a language.
    #[schema(example = json!(null))]
    pub translation_of: Option<i32>,
    /// `draft` when left out. Authors may choose only `draft` or `pending_review`.
    pub status: Option<ArticleStatus>,
    /// With `published`: when it appears (a future time stores it as `scheduled`); now when left out.
    #[schema(value_type = Option<PublicationTime>)]
    pub published_at: Option<Timestamp>,
}

/// Only the fields sent change; `null` clears `category_id`, `cover_image_url`,
/// `cover_media_id`, `published_at`, and sets `meta_title`, `meta_description`
/// and `og_media_id` back to their fallbacks.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    #[schema(value_type = Option<Title>)]
    pub title: Option<String>,
    #[schema(value_type = Option<SafeHtml>)]
    pub body_html: Option<String>,
    /// A blank summary is derived anew from the body.
    #[schema(value_type = Option<Summary>)]
    pub summary: Option<String>,
    #[schema(value_type = Option<Byline>)]
    pub byline: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i32>)]
    pub category_id: Option<Option<i32>>,
    #[schema(value_type = Option<Tags>)]
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<HttpUrl>)]
    pub cover_image_url: Option<Option<String>>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i32>, example = 12)]
    pub cover_media_id: Option<Option<i32>>,
    /// The slug changes only when sent: links keep working when the title changes.
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// Among the featured news; editors only.
    #[schema(example = true)]
    pub featured: Option<bool>,
    /// `null` goes back to the title.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<MetaTitle>)]
    pub meta_title: Option<Option<String>>,
    /// `null` goes back to the summary's opening.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<MetaDescription>)]
    pub meta_description: Option<Option<String>>,
    /// `null` goes back to the cover.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i32>, example = 12)]
    pub og_media_id: Option<Option<i32>>,
    /// The language it is written in, a BCP 47 tag.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    /// The id of the article this one translates; `null` unlinks it from its original.
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<i32>, example = 1)]
    pub translation_of: Option<Option<i32>>,
    #[schema(example = "published")]
    pub status: Option<ArticleStatus>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<PublicationTime>)]
    pub published_at: Option<Option<Timestamp>>,
    /// The `version` you read; 412 if the article changed since (or send `If-Match`).
    #[schema(example = 3)]
    pub version: Option<i32>,
}

/// A publication time as sent: an RFC 3339 time written in the years 1971
/// to 9998 (every such time is in the years `writes::publication_time` keeps).
pub struct PublicationTime;

crate::schema_of!(
    PublicationTime,
    crate::support::timestamps::time_schema(
        "(197[1-9]|19[89][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])",
        "2026-12-01T08:00:00+07:00",
    ),
    "2026-12-01T08:00:00+07:00"
);

/// The fields of a new article, parsed.
pub(super) struct Creation {
    pub(super) title: Title,
    pub(super) body: SafeHtml,
    pub(super) byline: String,
    pub(super) tags: Tags,
    pub(super) cover: Option<String>,
    pub(super) slug: Option<Slug>,
    pub(super) seo: SeoFields,
    pub(super) lang: Option<Lang>,
}

impl CreateArticleRequest {
    pub(super) fn parse(&self) -> Result<Creation, ApiError> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", Title::parse(&self.title));
        let body = errors.check("body_html", SafeHtml::sanitise(&self.body_html));
        let byline = errors.check(
            "byline",
            Byline::parse(self.byline.as_deref().unwrap_or_default()),
        );
        let tags = errors.check(
            "tags",
            Tags::parse(self.tags.as_deref().unwrap_or_default()),
        );
        let cover = errors.check(
            "cover_image_url",
            self.cover_image_url
                .as_deref()
                .map(parse_image_url)
                .transpose(),
        );
        let slug = errors.check("slug", self.slug.as_deref().map(Slug::parse).transpose());
        let seo = SeoFields::parse(
            &mut errors,
            &self.meta_title.clone().map(Some),
            &self.meta_description.clone().map(Some),
        );
        let lang = errors.check("lang", self.lang.as_deref().map(Lang::parse).transpose());
        all_parsed!(errors; title, body, byline, tags, cover, slug, seo, lang);
        Ok(Creation {
            title,
            body,
            byline,
            tags,
            cover,
            slug,
            seo,
            lang,
        })
    }
}

/// The fields of an update, parsed.
pub(super) struct Edit {
    pub(super) title: Option<Title>,
    pub(super) body: Option<(SafeHtml, String)>,
    pub(super) summary: Option<String>,
    pub(super) byline: Option<String>,
    pub(super) tags: Option<Tags>,
    pub(super) cover: Option<Option<String>>,
    pub(super) slug: Option<Slug>,
    pub(super) seo: SeoFields,
    pub(super) lang: Option<Lang>,
}

impl Edit {
    pub(super) fn parse(request: &UpdateArticleRequest) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::default();
        let title = errors.check(
            "title",
            request.title.as_deref().map(Title::parse).transpose(),
        );
        let body = errors.check(
            "body_html",
            request
                .body_html
                .as_deref()
                .map(SafeHtml::sanitise)
                .transpose(),
        );
        let byline = errors.check(
            "byline",
            request.byline.as_deref().map(Byline::parse).transpose(),
        );
        let tags = errors.check("tags", request.tags.as_deref().map(Tags::parse).transpose());
        let cover = errors.check(
            "cover_image_url",
            request
                .cover_image_url
                .as_ref()
                .map(|url| url.as_deref().map(parse_image_url).transpose())
                .transpose(),
        );
        let slug = errors.check("slug", request.slug.as_deref().map(Slug::parse).transpose());
        let seo = SeoFields::parse(&mut errors, &request.meta_title, &request.meta_description);
        let lang = errors.check("lang", request.lang.as_deref().map(Lang::parse).transpose());
        all_parsed!(errors; title, body, byline, tags, cover, slug, seo, lang);
        let body = body.map(|html| {
            let text = html_to_text(html.as_str());
            (html, text)
        });
        Ok(Self {
            title,
            body,
            summary: request.summary.clone(),
            byline,
            tags,
            cover,
            slug,
            seo,
            lang,
        })
    }
}

/// What a request tells search engines and social previews: each field
/// absent, `null` (back to its fallback), or a value.
pub(super) struct SeoFields {
    pub(super) title: Option<Option<String>>,
    pub(super) description: Option<Option<String>>,
}

impl SeoFields {
    /// The fields parsed, or `None` with their errors noted.
    fn parse(
        errors: &mut FieldErrors,
        title: &Option<Option<String>>,
        description: &Option<Option<String>>,
    ) -> Option<Self> {
        let title = errors.check("meta_title", cleared_or(title, MetaTitle::parse));
        let description = errors.check(
            "meta_description",
            cleared_or(description, MetaDescription::parse),
        );
        Some(Self {
            title: title?,
            description: description?,
        })
    }

    pub(super) fn any(&self) -> bool {
        self.title.is_some() || self.description.is_some()
    }
}

/// A field that `null` clears: absent, cleared, or a value `parse` takes.
fn cleared_or(
    field: &Option<Option<String>>,
    parse: fn(&str) -> Result<String, String>,
) -> Result<Option<Option<String>>, String> {
    field
        .as_ref()
        .map(|value| value.as_deref().map(parse).transpose())
        .transpose()
}
