//! What clients send about comments.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::content::CommentBody;
use super::{CommentStatus, Reaction};
use crate::identity::{DisplayName, Email};

/// A new comment. Guests give a name (and may give an email, never shown);
/// signed-in readers write under their account's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    /// Plain text. Markup is kept as typed and shown as text. A reader's
    /// comment with more than 2 links waits for an editor.
    #[schema(value_type = CommentBody)]
    pub body: String,
    /// The comment this one answers (replies go two levels deep).
    #[schema(example = json!(null))]
    pub parent_id: Option<i32>,
    /// Guests (required): the name shown with the comment.
    #[schema(value_type = Option<DisplayName>)]
    pub author_name: Option<String>,
    /// Guests: an email for the editors, never shown publicly.
    #[schema(value_type = Option<Email>)]
    pub author_email: Option<String>,
    /// Leave out or empty: a field people do not see and robots fill in.
    #[schema(max_length = 0, example = "")]
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
#[serde(untagged)]
pub enum ModerateRequest {
    Verdict(Verdict),
    Edit(Edit),
}

/// An editor's verdict on a comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    #[schema(example = "approved")]
    pub status: CommentStatus,
}

/// An author's new words for their own comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    #[schema(value_type = CommentBody)]
    pub body: String,
}

/// A like or a dislike.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactRequest {
    #[schema(example = "like")]
    pub reaction: Reaction,
}
