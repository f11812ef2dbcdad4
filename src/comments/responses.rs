//! What clients receive about comments. Emails and addresses only ever
//! appear in the moderation queue.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::{CommentRow, CommentStatus, Reaction};
use crate::support::timestamps::SiteOffset;

/// A comment, with its replies when listed in a thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentResponse {
    #[schema(example = 12)]
    pub id: i32,
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    #[schema(example = "Trần Thị B")]
    pub author_name: String,
    /// Who wrote it: `staff` (the newsroom: mark its answers), a signed-in
    /// `member`, or a `guest`.
    pub author_kind: AuthorKind,
    /// Plain text: show it as text, never as HTML.
    #[schema(example = "Cảm ơn Sở đã thông tin kịp thời.")]
    pub body: String,
    pub status: CommentStatus,
    #[schema(example = 4)]
    pub likes: i64,
    #[schema(example = 0)]
    pub dislikes: i64,
    #[schema(example = "2026-11-25T09:30:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    /// When its author last changed it; null if never.
    #[schema(example = json!(null))]
    pub edited_at: Option<DateTime<FixedOffset>>,
    /// Approved replies, oldest first (in threads; empty elsewhere).
    #[schema(no_recursion, example = json!([]))]
    pub replies: Vec<CommentResponse>,
    /// Only in the moderation queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<ModerationInfo>,
}

/// Who wrote a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    Staff,
    Member,
    Guest,
}

impl AuthorKind {
    fn of(row: &CommentRow) -> Self {
        match (row.by_staff, row.author_user_id) {
            (true, _) => AuthorKind::Staff,
            (false, Some(_)) => AuthorKind::Member,
            (false, None) => AuthorKind::Guest,
        }
    }
}

/// What editors see to moderate.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationInfo {
    #[schema(example = "tranthib@example.vn")]
    pub author_email: Option<String>,
    /// The account that wrote it; null for a guest.
    #[schema(example = json!(null))]
    pub author_user_id: Option<i32>,
    #[schema(example = "203.0.113.7")]
    pub client_address: Option<String>,
    #[schema(example = 1)]
    pub article_id: Option<i32>,
    #[schema(example = json!(null))]
    pub document_id: Option<i32>,
}

impl CommentResponse {
    pub fn new(row: CommentRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            parent_id: row.parent_id,
            author_kind: AuthorKind::of(&row),
            author_name: row.author_name,
            body: row.body,
            status: row.status,
            likes: row.likes,
            dislikes: row.dislikes,
            created_at: offset.show(row.created_at),
            edited_at: row.edited_at.map(|t| offset.show(t)),
            replies: Vec::new(),
            moderation: None,
        }
    }

    /// The comment as the moderation queue shows it.
    pub fn for_moderators(row: CommentRow, offset: SiteOffset) -> Self {
        let moderation = ModerationInfo {
            author_email: row.author_email.clone(),
            author_user_id: row.author_user_id,
            client_address: row.client_address.clone(),
            article_id: row.article_id,
            document_id: row.document_id,
        };
        Self {
            moderation: Some(moderation),
            ..Self::new(row, offset)
        }
    }
}

/// A comment's reactions after a reader's.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReactionsResponse {
    #[schema(example = 5)]
    pub likes: i64,
    #[schema(example = 0)]
    pub dislikes: i64,
    #[schema(example = "like")]
    pub your_reaction: Option<Reaction>,
}
