//! Diesel models of articles (never serialised: see `responses`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{article_views, articles, users};
use crate::db::text_enum;

text_enum! {
    /// Where an article is in the editorial workflow.
    pub enum ArticleStatus {
        Draft = "draft",
        PendingReview = "pending_review",
        /// Published with a future `published_at`: it appears by itself then.
        Scheduled = "scheduled",
        Published = "published",
        Archived = "archived",
    }
}

impl ArticleStatus {
    /// The statuses in which guests see an article, once its publication
    /// time has come and unless it is trashed: the one list behind
    /// [`ArticleRow::is_public`], `queries::is_visible` and
    /// `queries::visible_sql`.
    pub const SHOWN: [ArticleStatus; 2] = [ArticleStatus::Published, ArticleStatus::Scheduled];

    /// The status as of `now`: a scheduled article whose time has come is published.
    pub fn as_of(self, published_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Self {
        match (self, published_at) {
            (ArticleStatus::Scheduled, Some(at)) if at <= now => ArticleStatus::Published,
            _ => self,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct ArticleRow {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub summary: String,
    #[diesel(deserialize_as = crate::db::CheckedText)]
    pub body_html: String,
    pub cover_image_url: Option<String>,
    pub byline: String,
    pub status: ArticleStatus,
    pub published_at: Option<NaiveDateTime>,
    /// Kept beside the row (`article_views`): read with it through a join.
    #[diesel(select_expression = article_views::view_count)]
    pub view_count: i64,
    pub comment_count: i64,
    pub rating_total: i64,
    pub rating_count: i64,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub category_id: Option<i32>,
    pub author_id: Option<i32>,
    pub deleted_at: Option<NaiveDateTime>,
    /// The body as plain text: empty when read for a public page or a list
    /// (`queries::without_plain_text!`), as only writes use it.
    pub body_text: String,
    pub word_count: i32,
    /// Among the featured news ("tin nổi bật") editors choose.
    pub featured: bool,
    /// What search engines and social previews show, when set.
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    /// An image of the media library as its cover (`cover_image_url` is
    /// for an image elsewhere).
    pub cover_media_id: Option<i32>,
    /// The image social previews show, when not the cover.
    pub og_media_id: Option<i32>,
    /// A [`crate::text::lang::Lang`] as it spells itself.
    pub lang: String,
    /// The original this article translates: always an original (groups
    /// are one level deep).
    pub translation_of: Option<i32>,
}

crate::http::versioned!(ArticleRow, "article");

impl ArticleRow {
    /// Whether guests see it at `now`: `queries::is_visible` for a row in hand.
    pub fn is_public(&self, now: NaiveDateTime) -> bool {
        ArticleStatus::SHOWN.contains(&self.status)
            && self.published_at.is_some_and(|at| at <= now)
            && self.deleted_at.is_none()
    }
}

/// The staff account that wrote an article, as shown with it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct AuthorRow {
    pub id: i32,
    pub display_name: String,
}

#[derive(Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body_html: &'a str,
    /// `body_html` as plain text (`text::html_to_text`), for search and summaries.
    pub body_text: &'a str,
    /// `body_text`'s words (`content::word_count`).
    pub word_count: i32,
    pub cover_image_url: Option<&'a str>,
    pub cover_media_id: Option<i32>,
    pub og_media_id: Option<i32>,
    pub featured: bool,
    pub meta_title: Option<&'a str>,
    pub meta_description: Option<&'a str>,
    pub lang: &'a str,
    pub translation_of: Option<i32>,
    pub byline: &'a str,
    pub category_id: Option<i32>,
    pub author_id: Option<i32>,
    pub status: ArticleStatus,
    pub published_at: Option<NaiveDateTime>,
    /// Written to `article_views` beside the row (`queries::insert`): the
    /// views counted where the article comes from.
    #[diesel(skip_insertion)]
    pub view_count: i64,
    pub rating_total: i64,
    pub rating_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What every new article is made of, whoever makes it (an editor, the
/// importer, the demo): its text and where it stands.
pub struct ArticleText<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub body_html: &'a str,
    /// `body_html` as plain text (`text::html_to_text`).
    pub body_text: &'a str,
    pub byline: &'a str,
    pub lang: &'a str,
}

impl<'a> NewArticle<'a> {
    /// A new article with `text`, `status` and `published_at`, written at
    /// `now`: its words counted, nothing else set (no category, author,
    /// images, figures or translation), for the caller to add.
    pub fn new(
        text: ArticleText<'a>,
        status: ArticleStatus,
        published_at: Option<NaiveDateTime>,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            slug: text.slug,
            title: text.title,
            summary: text.summary,
            body_html: text.body_html,
            body_text: text.body_text,
            word_count: super::content::word_count(text.body_text),
            cover_image_url: None,
            cover_media_id: None,
            og_media_id: None,
            featured: false,
            meta_title: None,
            meta_description: None,
            lang: text.lang,
            translation_of: None,
            byline: text.byline,
            category_id: None,
            author_id: None,
            status,
            published_at,
            view_count: 0,
            rating_total: 0,
            rating_count: 0,
            created_at: now,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn statuses_are_sent_as_they_are_stored() {
        crate::db::assert_json_matches_storage(ArticleStatus::ALL, |s| s.as_str());
        assert_eq!(
            "pending_review".parse::<ArticleStatus>().unwrap(),
            ArticleStatus::PendingReview
        );
    }

    #[test]
    fn a_scheduled_article_is_published_once_its_time_has_come() {
        let now = crate::support::timestamps::now();
        let past = Some(now - Duration::seconds(1));
        let future = Some(now + Duration::seconds(1));
        assert_eq!(
            ArticleStatus::Scheduled.as_of(past, now),
            ArticleStatus::Published
        );
        assert_eq!(
            ArticleStatus::Scheduled.as_of(future, now),
            ArticleStatus::Scheduled
        );
        assert_eq!(ArticleStatus::Draft.as_of(past, now), ArticleStatus::Draft);
    }
}
