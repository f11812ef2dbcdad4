//! What clients send about comments.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{CommentStatus, Reaction};

/// A new comment. Guests give a name (and may give an email, never shown);
/// signed-in readers write under their account's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    /// Plain text, 1 to 2000 characters, at most 2 links. Markup is kept as
    /// typed and shown as text.
    #[schema(example = "Cảm ơn Sở đã thông tin kịp thời.")]
    pub body: String,
    /// The comment this one answers (replies go two levels deep).
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    /// Guests: the name shown with the comment (1 to 100 characters).
    #[schema(example = "Trần Thị B")]
    pub author_name: Option<String>,
    /// Guests: an email for the editors, never shown publicly.
    #[schema(example = "tranthib@example.vn")]
    pub author_email: Option<String>,
    /// Leave out or empty: a field people do not see and robots fill in.
    #[schema(example = "")]
    pub website: Option<String>,
}

/// The orders a thread comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommentSort {
    /// Newest first (the default).
    Newest,
    Oldest,
    /// Most liked first.
    MostLiked,
}

/// How to list a thread.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentListParams {
    /// `newest` (default), `oldest` or `most_liked`: the order of top-level
    /// comments; replies come under theirs, oldest first.
    pub sort: Option<CommentSort>,
}

/// Which comments the moderation queue shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// Default `pending`.
    pub status: Option<CommentStatus>,
}

/// A change to a comment: an editor's verdict (`status`), or its author's
/// new words (`body`, within the edit window), not both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerateRequest {
    #[schema(example = "approved")]
    pub status: Option<CommentStatus>,
    pub body: Option<String>,
}

/// A like or a dislike.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactRequest {
    #[schema(example = "like")]
    pub reaction: Reaction,
}
