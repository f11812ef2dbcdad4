//! Comments: readers' plain-text words under an article, or under a draft
//! document open for public consultation; threaded, moderated, liked.

pub mod content;
pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::comments;
use crate::db::text_enum;
use crate::error::ApiError;
pub use requests::{
    CommentListParams, CommentSort, Edit, ModerateRequest, NewCommentRequest, ReactRequest, Verdict,
};
pub use responses::{CommentResponse, ModerationInfo, ReactionsResponse};
pub use routes::configure;

/// Whose comments wait for an editor before they are shown. Staff's never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    /// Every reader's comment waits.
    All,
    /// None waits (editors may still reject or mark spam afterwards).
    None,
    /// Guests' comments wait; members' are shown at once.
    Guests,
}

/// The comment settings: who waits for moderation, how long authors may
/// change their words.
#[derive(Debug, Clone, Copy)]
pub struct CommentRules {
    pub moderation: Moderation,
    pub edit_window: Duration,
}

/// What comments hang on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Thread {
    Article(i32),
    Document(i32),
}

impl Thread {
    /// The 404 for a thread readers do not see.
    pub fn missing(self) -> ApiError {
        ApiError::NotFound(match self {
            Thread::Article(id) => format!("no published article has the id {id}"),
            Thread::Document(id) => format!("no document has the id {id}"),
        })
    }
}

text_enum! {
    /// Where a comment is in moderation. Only approved ones are public.
    pub enum CommentStatus {
        /// Waiting for an editor.
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Spam = "spam",
    }
}

text_enum! {
    /// A reader's reaction to a comment.
    pub enum Reaction {
        Like = "like",
        Dislike = "dislike",
    }
}

/// How deep replies go: a reply to a reply to a comment, and no deeper.
pub const MAX_DEPTH: i32 = 2;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct CommentRow {
    pub id: i32,
    pub article_id: Option<i32>,
    pub document_id: Option<i32>,
    pub parent_id: Option<i32>,
    pub root_id: Option<i32>,
    pub depth: i32,
    pub body: String,
    pub author_user_id: Option<i32>,
    pub author_name: String,
    pub author_email: Option<String>,
    pub status: CommentStatus,
    pub likes: i64,
    pub dislikes: i64,
    pub client_address: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    /// Written by staff (an author or above, when they wrote it).
    pub by_staff: bool,
}

impl CommentRow {
    pub fn thread(&self) -> Thread {
        match (self.article_id, self.document_id) {
            (Some(id), _) => Thread::Article(id),
            (None, Some(id)) => Thread::Document(id),
            // The table's CHECK holds exactly one of them.
            (None, None) => Thread::Article(0),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub article_id: Option<i32>,
    pub document_id: Option<i32>,
    pub parent_id: Option<i32>,
    pub root_id: Option<i32>,
    pub depth: i32,
    pub body: &'a str,
    pub author_user_id: Option<i32>,
    pub author_name: &'a str,
    pub author_email: Option<&'a str>,
    pub status: CommentStatus,
    pub client_address: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub by_staff: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_reactions_are_sent_as_they_are_stored() {
        crate::db::assert_json_matches_storage(CommentStatus::ALL, |s| s.as_str());
        crate::db::assert_json_matches_storage(Reaction::ALL, |s| s.as_str());
    }
}
