//! What clients send to write a page, and its parsing: every field checked
//! at once, each invalid one named in the same 422, before the database is
//! asked anything.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::articles::content::{SafeHtml, Title};
use crate::error::{ApiError, FieldErrors, all_parsed};
use crate::text::lang::Lang;
use crate::text::slug::Slug;

// No Debug: not a secret, but a body may be large; nothing needs to print it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePageRequest {
    /// The page's heading; its slug is made from it when none is sent.
    #[schema(value_type = Title)]
    pub title: String,
    /// HTML; sanitised on write as articles' bodies are (an allowlist: no scripts, event handlers
    /// or `javascript:` URLs). Empty when left out.
    #[schema(value_type = Option<SafeHtml>)]
    pub body_html: Option<String>,
    /// Unique among the pages of its language; generated from the title when left out
    /// (`gioi-thieu`, then `gioi-thieu-2`, …).
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// The page's language, a BCP 47 tag; the site's (`BULLETIN_DEFAULT_LANG`, `vi` unless set)
    /// when left out.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    /// Its place in menus, smallest first (then the oldest first); 0 when left out.
    #[schema(example = 1)]
    pub position: Option<i32>,
    /// Whether guests see it; false (a draft) when left out.
    #[schema(example = true)]
    pub published: Option<bool>,
}

/// Only the fields sent change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePageRequest {
    #[schema(value_type = Option<Title>)]
    pub title: Option<String>,
    #[schema(value_type = Option<SafeHtml>)]
    pub body_html: Option<String>,
    /// The slug changes only when sent: links keep working when the title changes.
    #[schema(value_type = Option<Slug>)]
    pub slug: Option<String>,
    /// Moving a page to another language keeps its slug, which must be free there.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    #[schema(example = 2)]
    pub position: Option<i32>,
    #[schema(example = true)]
    pub published: Option<bool>,
}

/// A new page's fields, parsed.
pub struct NewPageFields {
    pub title: Title,
    pub body: SafeHtml,
    /// The slug asked for; one is made from the title when `None`.
    pub slug: Option<Slug>,
    pub lang: Lang,
    pub position: i32,
    pub published: bool,
}

impl CreatePageRequest {
    /// The fields, in `default_lang` unless the request names a language.
    pub fn parse(self, default_lang: &Lang) -> Result<NewPageFields, ApiError> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", Title::parse(&self.title));
        let body = errors.check(
            "body_html",
            SafeHtml::sanitise(self.body_html.as_deref().unwrap_or_default()),
        );
        let slug = errors.check("slug", self.slug.as_deref().map(Slug::parse).transpose());
        let lang = errors.check("lang", self.lang.as_deref().map(Lang::parse).transpose());
        all_parsed!(errors; title, body, slug, lang);
        Ok(NewPageFields {
            title,
            body,
            slug,
            lang: lang.unwrap_or_else(|| default_lang.clone()),
            position: self.position.unwrap_or(0),
            published: self.published.unwrap_or(false),
        })
    }
}

/// The fields of a change, parsed; `None` leaves one as it is.
pub struct PageEdit {
    pub title: Option<Title>,
    pub body: Option<SafeHtml>,
    pub slug: Option<Slug>,
    pub lang: Option<Lang>,
    pub position: Option<i32>,
    pub published: Option<bool>,
}

impl PageEdit {
    /// Whether it changes nothing (`{}`): answered with the page as it stands.
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.body.is_none()
            && self.slug.is_none()
            && self.lang.is_none()
            && self.position.is_none()
            && self.published.is_none()
    }
}

impl UpdatePageRequest {
    pub fn parse(self) -> Result<PageEdit, ApiError> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", self.title.as_deref().map(Title::parse).transpose());
        let body = errors.check(
            "body_html",
            self.body_html
                .as_deref()
                .map(SafeHtml::sanitise)
                .transpose(),
        );
        let slug = errors.check("slug", self.slug.as_deref().map(Slug::parse).transpose());
        let lang = errors.check("lang", self.lang.as_deref().map(Lang::parse).transpose());
        all_parsed!(errors; title, body, slug, lang);
        Ok(PageEdit {
            title,
            body,
            slug,
            lang,
            position: self.position,
            published: self.published,
        })
    }
}
