//! What clients receive for articles.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{ArticleStatus, AuthorRow};
use super::queries::ArticleWithContext;
use crate::categories::CategoryResponse;
use crate::documents::{DocumentRow, DocumentSummaryResponse};
use crate::ratings::RatingSummary;
use crate::timestamps::SiteOffset;

/// The staff account that wrote an article (distinct from its `byline`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorResponse {
    #[schema(example = 2)]
    pub id: i32,
    #[schema(example = "Nguyễn Văn A")]
    pub display_name: String,
}

impl From<AuthorRow> for AuthorResponse {
    fn from(row: AuthorRow) -> Self {
        Self {
            id: row.id,
            display_name: row.display_name,
        }
    }
}

/// An article as listed: everything but its body and citations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleSummaryResponse {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")]
    pub slug: String,
    #[schema(example = "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH")]
    pub title: String,
    /// Plain text.
    #[schema(
        example = "Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo về đẩy mạnh cải cách hành chính…"
    )]
    pub summary: String,
    #[schema(example = json!(null))]
    pub cover_image_url: Option<String>,
    /// Who the article is credited to, as printed ("Tác giả bài viết").
    #[schema(example = "Phòng CCHC-VTLT")]
    pub byline: String,
    pub category: Option<CategoryResponse>,
    /// The staff account that wrote it; null for imported or demo content.
    pub author: Option<AuthorResponse>,
    pub status: ArticleStatus,
    /// RFC 3339 at the site's offset.
    #[schema(example = "2023-01-19T10:03:00+07:00")]
    pub published_at: Option<DateTime<FixedOffset>>,
    #[schema(example = "2023-01-19T10:03:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2023-01-19T10:03:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
    #[schema(example = 268)]
    pub view_count: i64,
    /// Approved comments only.
    #[schema(example = 0)]
    pub comment_count: i64,
    pub rating: RatingSummary,
    /// Increases with every change; send it back (or its ETag) to update safely.
    #[schema(example = 1)]
    pub version: i32,
    /// With `q`: the text where the matches are densest, as HTML: matches in
    /// `<mark>`, everything else escaped. Absent without `q`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "…hài lòng của người dân trên địa bàn tỉnh Bình <mark>Định</mark> giai đoạn 2022-2025…"
    )]
    pub snippet: Option<String>,
}

/// One article in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleResponse {
    #[serde(flatten)]
    pub summary: ArticleSummaryResponse,
    /// Sanitised HTML.
    #[schema(example = "<p>1. Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo…</p>")]
    pub body_html: String,
    /// The official documents the article cites, in the order they were issued.
    pub documents: Vec<DocumentSummaryResponse>,
}

impl ArticleSummaryResponse {
    pub fn new(loaded: ArticleWithContext, offset: SiteOffset, now: NaiveDateTime) -> Self {
        let ArticleWithContext {
            article,
            category,
            author,
        } = loaded;
        Self {
            id: article.id,
            slug: article.slug,
            title: article.title,
            summary: article.summary,
            cover_image_url: article.cover_image_url,
            byline: article.byline,
            category: category.map(|c| CategoryResponse::new(c, offset)),
            author: author.map(Into::into),
            status: article.status.as_of(article.published_at, now),
            published_at: article.published_at.map(|t| offset.show(t)),
            created_at: offset.show(article.created_at),
            updated_at: offset.show(article.updated_at),
            view_count: article.view_count,
            comment_count: article.comment_count,
            rating: RatingSummary::new(article.rating_total, article.rating_count),
            version: article.version,
            snippet: None,
        }
    }
}

impl ArticleResponse {
    pub fn new(
        mut loaded: ArticleWithContext,
        documents: Vec<DocumentRow>,
        offset: SiteOffset,
        now: NaiveDateTime,
    ) -> Self {
        let body_html = std::mem::take(&mut loaded.article.body_html);
        Self {
            summary: ArticleSummaryResponse::new(loaded, offset, now),
            body_html,
            documents: documents.into_iter().map(Into::into).collect(),
        }
    }
}
