//! The rules of comment threads, whoever asks: where comments may be
//! written, who waits for moderation, who may change what, and the counts
//! kept exact in the transaction of each change.

use std::net::IpAddr;
use std::time::Duration;

use crate::db::DbConnection;
use chrono::NaiveDateTime;
use serde_json::json;

use super::Moderation;
use super::content::CommentBody;
use super::{CommentRow, CommentStatus, MAX_DEPTH, NewComment, Reaction, Thread, queries};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::{Database, Touches};
use crate::documents;
use crate::error::ApiError;
use crate::identity::Email;
use crate::webhooks::{self, EventKind};

/// Who writes a comment.
#[derive(Debug, Clone)]
pub enum Author {
    /// Authors, editors, admins: never moderated.
    Staff {
        id: i32,
        name: String,
    },
    Member {
        id: i32,
        name: String,
    },
    Guest {
        name: String,
        email: Option<Email>,
    },
}

impl Author {
    /// The status a comment of `body` starts in under `mode`: readers' link-heavy
    /// comments wait for an editor whatever the mode.
    fn first_status(&self, mode: Moderation, body: &CommentBody) -> CommentStatus {
        let waits = match self {
            Author::Staff { .. } => false,
            Author::Member { .. } => mode == Moderation::All || body.is_link_heavy(),
            Author::Guest { .. } => mode != Moderation::None || body.is_link_heavy(),
        };
        if waits {
            CommentStatus::Pending
        } else {
            CommentStatus::Approved
        }
    }
}

/// Comments are taken on published articles, and on draft documents during
/// their consultation window only.
fn check_open(conn: &mut DbConnection, thread: Thread, now: NaiveDateTime) -> Result<(), ApiError> {
    let Thread::Document(id) = thread else {
        return match queries::thread_exists(conn, thread, now)? {
            true => Ok(()),
            false => Err(thread.missing()),
        };
    };
    let document = documents::queries::find_row(conn, id)?.ok_or_else(|| thread.missing())?;
    let open = document.is_draft
        && document
            .consultation_from
            .zip(document.consultation_to)
            .is_some_and(|(from, to)| from <= now && now < to);
    if open {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "document {} is not open for public consultation now",
            document.number
        )))
    }
}

/// Where a reply goes: its parent (approved, in the same thread, not at the
/// deepest level), the thread's top comment, and its depth.
fn placement(
    conn: &mut DbConnection,
    thread: Thread,
    parent_id: Option<i32>,
) -> Result<(Option<i32>, Option<i32>, i32), ApiError> {
    let Some(parent_id) = parent_id else {
        return Ok((None, None, 0));
    };
    let parent = queries::find(conn, parent_id)?
        .filter(|parent| parent.thread() == thread && parent.status == CommentStatus::Approved)
        .ok_or_else(|| {
            ApiError::missing(
                "parent_id",
                format!("no approved comment of this thread has the id {parent_id}"),
            )
        })?;
    if parent.depth >= MAX_DEPTH {
        return Err(ApiError::Conflict(format!(
            "replies go at most {MAX_DEPTH} levels deep; answer the comment above it"
        )));
    }
    Ok((
        Some(parent.id),
        Some(parent.root_id.unwrap_or(parent.id)),
        parent.depth + 1,
    ))
}

/// What a new comment is.
pub struct Draft {
    pub thread: Thread,
    pub author: Author,
    pub body: CommentBody,
    pub parent_id: Option<i32>,
    pub client: IpAddr,
}

pub async fn post(
    db: &Database,
    draft: Draft,
    mode: Moderation,
    now: NaiveDateTime,
) -> Result<CommentRow, ApiError> {
    // A comment on an article changes that article (its count, its thread),
    // once it shows, but no list's membership: one waiting for moderation
    // shows in no public answer.
    let status = draft.author.first_status(mode, &draft.body);
    let touches = match (status, draft.thread) {
        (CommentStatus::Pending, _) => Touches::NothingShown,
        (_, Thread::Article(id)) => Touches::ArticleContent(id),
        (_, Thread::Document(_)) => Touches::Anything,
    };
    db.write_touching(touches, move |conn| {
        let Draft {
            thread,
            author,
            body,
            parent_id,
            client,
        } = &draft;
        let (thread, parent_id) = (*thread, *parent_id);
        check_open(conn, thread, now)?;
        let (parent_id, root_id, depth) = placement(conn, thread, parent_id)?;
        let by_staff = matches!(author, Author::Staff { .. });
        let (user_id, name, email) = match author {
            Author::Staff { id, name } | Author::Member { id, name } => {
                (Some(*id), name.as_str(), None)
            }
            Author::Guest { name, email } => {
                (None, name.as_str(), email.as_ref().map(Email::as_str))
            }
        };
        let (article_id, document_id) = match thread {
            Thread::Article(id) => (Some(id), None),
            Thread::Document(id) => (None, Some(id)),
        };
        let client = client.to_string();
        let comment = queries::insert(
            conn,
            &NewComment {
                article_id,
                document_id,
                parent_id,
                root_id,
                depth,
                body: body.as_str(),
                author_user_id: user_id,
                author_name: name,
                author_email: email,
                status,
                client_address: Some(&client),
                created_at: now,
                updated_at: now,
                by_staff,
            },
        )?;
        queries::recount(conn, thread)?;
        announce(conn, EventKind::CommentCreated, &comment, now)?;
        Ok(comment)
    })
    .await
}

/// An editor's verdict on a comment, audited.
pub async fn moderate(
    db: &Database,
    id: i32,
    status: CommentStatus,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<CommentRow, ApiError> {
    db.write(move |conn| {
        let current = queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("comment", id))?;
        queries::set_status(conn, id, status, now)?;
        queries::recount(conn, current.thread())?;
        let event = AuditEvent {
            action: "comment.moderate",
            target_type: "comment",
            target_id: Some(id.to_string()),
            details: json!({"from": current.status, "to": status}),
        };
        audit::record(conn, &actor, event, now)?;
        let moderated = queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("comment", id))?;
        announce(conn, EventKind::CommentModerated, &moderated, now)?;
        Ok(moderated)
    })
    .await
}

/// Tells webhook subscribers of a comment (never its author's email).
fn announce(
    conn: &mut DbConnection,
    kind: EventKind,
    comment: &CommentRow,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let data = json!({
        "id": comment.id, "status": comment.status, "article_id": comment.article_id,
        "document_id": comment.document_id, "parent_id": comment.parent_id,
        "author_name": comment.author_name, "path": format!("/api/v1/comments/{}", comment.id),
    });
    webhooks::emit(conn, kind, data, now)
}

/// A member's own comment, while the edit window is open.
fn own_comment(
    conn: &mut DbConnection,
    id: i32,
    user_id: i32,
    window: Duration,
    now: NaiveDateTime,
) -> Result<CommentRow, ApiError> {
    let comment = queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("comment", id))?;
    if comment.author_user_id != Some(user_id) {
        return Err(ApiError::Forbidden(
            "only its author changes a comment (editors moderate it)".into(),
        ));
    }
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    if now - comment.created_at > window {
        return Err(ApiError::Forbidden(format!(
            "comments can be changed for {} minutes after they are written",
            window.num_minutes()
        )));
    }
    Ok(comment)
}

/// Its author's new words. An approved comment whose author's comments wait
/// for moderation waits again.
pub async fn edit(
    db: &Database,
    id: i32,
    author: Author,
    body: CommentBody,
    (mode, window): (Moderation, Duration),
    now: NaiveDateTime,
) -> Result<CommentRow, ApiError> {
    let user_id = match &author {
        Author::Staff { id, .. } | Author::Member { id, .. } => *id,
        Author::Guest { .. } => {
            return Err(ApiError::unauthenticated("sign in to change your comment"));
        }
    };
    db.write(move |conn| {
        let current = own_comment(conn, id, user_id, window, now)?;
        let status = match current.status {
            CommentStatus::Approved => author.first_status(mode, &body),
            other => other,
        };
        queries::set_body(conn, id, body.as_str(), status, now)?;
        queries::recount(conn, current.thread())?;
        queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("comment", id))
    })
    .await
}

/// Who deletes a comment.
pub enum Deleter {
    /// Any comment, any time; audited.
    Editor(Actor),
    /// An own comment, within the edit window.
    Author(i32),
}

/// Deletes a comment and the replies under it.
pub async fn delete(
    db: &Database,
    id: i32,
    deleter: Deleter,
    window: Duration,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    db.write(move |conn| {
        let current = match &deleter {
            Deleter::Editor(_) => {
                queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("comment", id))?
            }
            Deleter::Author(user_id) => own_comment(conn, id, *user_id, window, now)?,
        };
        queries::delete(conn, id)?;
        queries::recount(conn, current.thread())?;
        if let Deleter::Editor(actor) = &deleter {
            let event = AuditEvent {
                action: "comment.delete",
                target_type: "comment",
                target_id: Some(id.to_string()),
                details: json!({"author_name": current.author_name, "status": current.status}),
            };
            audit::record(conn, actor, event, now)?;
        }
        Ok(())
    })
    .await
}

/// A reader's reaction to an approved comment (or its withdrawal); answers
/// the comment with its new counts.
pub async fn react(
    db: &Database,
    id: i32,
    voter: String,
    reaction: Option<Reaction>,
) -> Result<CommentRow, ApiError> {
    db.write(move |conn| {
        queries::find(conn, id)?
            .filter(|comment| comment.status == CommentStatus::Approved)
            .ok_or_else(|| ApiError::no_such("comment", id))?;
        queries::react(conn, id, &voter, reaction)?;
        queries::find(conn, id)?.ok_or_else(|| ApiError::no_such("comment", id))
    })
    .await
}
