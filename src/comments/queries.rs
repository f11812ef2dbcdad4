//! SQL for comments and their reactions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::{CommentRow, CommentSort, CommentStatus, NewComment, Reaction, Thread};
use crate::db::DbConnection;
use crate::db::schema::{articles, comment_reactions, comments};
use crate::documents;

pub fn insert(conn: &mut DbConnection, comment: &NewComment<'_>) -> QueryResult<CommentRow> {
    crate::db::on_engine!(conn, conn => {
        diesel::insert_into(comments::table)
            .values(comment)
            .returning(crate::db::selection::<CommentRow>())
            .get_result(conn)
    })
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<CommentRow>> {
    comments::table
        .find(id)
        .select(CommentRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_status(
    conn: &mut DbConnection,
    id: i32,
    status: CommentStatus,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set((comments::status.eq(status), comments::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Its author's new words.
pub fn set_body(
    conn: &mut DbConnection,
    id: i32,
    body: &str,
    status: CommentStatus,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set((
            comments::body.eq(body),
            comments::status.eq(status),
            comments::updated_at.eq(now),
            comments::edited_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Sets the likes and dislikes a comment was given elsewhere (an imported
/// portal's counts; who gave them is not known).
pub fn set_reaction_counts(
    conn: &mut DbConnection,
    id: i32,
    likes: i64,
    dislikes: i64,
) -> QueryResult<()> {
    diesel::update(comments::table.find(id))
        .set((comments::likes.eq(likes), comments::dislikes.eq(dislikes)))
        .execute(conn)
        .map(drop)
}

/// Deletes a comment and the replies under it.
pub fn delete(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::delete(comments::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Keeps an article's `comment_count` exact: its approved comments, counted
/// anew in the transaction of every change (documents keep no count).
pub fn recount(conn: &mut DbConnection, thread: Thread) -> QueryResult<()> {
    let Thread::Article(article_id) = thread else {
        return Ok(());
    };
    let approved: i64 = comments::table
        .filter(comments::article_id.eq(article_id))
        .filter(comments::status.eq(CommentStatus::Approved))
        .count()
        .get_result(conn)?;
    diesel::update(articles::table.find(article_id))
        .set(articles::comment_count.eq(approved))
        .execute(conn)
        .map(drop)
}

/// Where a page of a thread stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "s")]
pub enum CommentPosition {
    #[serde(rename = "n")]
    Newest { c: NaiveDateTime, i: i32 },
    #[serde(rename = "o")]
    Oldest { c: NaiveDateTime, i: i32 },
    #[serde(rename = "l")]
    MostLiked { l: i64, i: i32 },
}

impl CommentPosition {
    pub fn after(row: &CommentRow, sort: CommentSort) -> Self {
        let (c, i) = (row.created_at, row.id);
        match sort {
            CommentSort::Newest => CommentPosition::Newest { c, i },
            CommentSort::Oldest => CommentPosition::Oldest { c, i },
            CommentSort::MostLiked => CommentPosition::MostLiked { l: row.likes, i },
        }
    }

    pub fn sort(&self) -> CommentSort {
        match self {
            CommentPosition::Newest { .. } => CommentSort::Newest,
            CommentPosition::Oldest { .. } => CommentSort::Oldest,
            CommentPosition::MostLiked { .. } => CommentSort::MostLiked,
        }
    }
}

/// A thread's approved top-level comments, boxed: one definition for the
/// count and the page.
macro_rules! approved_top_level {
    ($thread:expr) => {{
        let query = comments::table
            .filter(comments::parent_id.is_null())
            .filter(comments::status.eq(CommentStatus::Approved))
            .into_boxed();
        match $thread {
            Thread::Article(id) => query.filter(comments::article_id.eq(id)),
            Thread::Document(id) => query.filter(comments::document_id.eq(id)),
        }
    }};
}

/// Whether readers see the thread's article or document.
pub fn thread_exists(
    conn: &mut DbConnection,
    thread: Thread,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    Ok(match thread {
        Thread::Article(id) => crate::articles::queries::is_public(conn, id, now)?,
        Thread::Document(id) => documents::queries::find_row(conn, id)?.is_some(),
    })
}

/// A page of a thread readers see: its top-level comments (and how many
/// there are) with every reply under them; None when readers do not see
/// the thread.
pub fn thread_page(
    conn: &mut DbConnection,
    thread: Thread,
    sort: CommentSort,
    (limit, offset): (u32, i64),
    after: Option<CommentPosition>,
    now: NaiveDateTime,
) -> QueryResult<Option<ThreadPage>> {
    if !thread_exists(conn, thread, now)? {
        return Ok(None);
    }
    let (rows, total) = top_level(conn, thread, sort, limit, offset, after)?;
    let roots: Vec<i32> = rows.iter().map(|row| row.id).collect();
    Ok(Some(ThreadPage {
        replies: replies_under(conn, &roots)?,
        rows,
        total,
    }))
}

/// What [`thread_page`] reads.
pub struct ThreadPage {
    pub rows: Vec<CommentRow>,
    pub replies: Vec<CommentRow>,
    pub total: i64,
}

/// One page of a thread's approved top-level comments in `sort`, and how
/// many there are. Fetches one row more than `limit`.
pub fn top_level(
    conn: &mut DbConnection,
    thread: Thread,
    sort: CommentSort,
    limit: u32,
    offset: i64,
    after: Option<CommentPosition>,
) -> QueryResult<(Vec<CommentRow>, i64)> {
    let total = approved_top_level!(thread).count().get_result(conn)?;
    let query = approved_top_level!(thread)
        .select(CommentRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset);
    let mut query = match sort {
        CommentSort::Newest => query.order((comments::created_at.desc(), comments::id.desc())),
        CommentSort::Oldest => query.order((comments::created_at.asc(), comments::id.asc())),
        CommentSort::MostLiked => query.order((comments::likes.desc(), comments::id.desc())),
    };
    match after.filter(|position| position.sort() == sort) {
        Some(CommentPosition::Newest { c, i }) => {
            query = query.filter(
                comments::created_at
                    .lt(c)
                    .or(comments::created_at.eq(c).and(comments::id.lt(i))),
            );
        }
        Some(CommentPosition::Oldest { c, i }) => {
            query = query.filter(
                comments::created_at
                    .gt(c)
                    .or(comments::created_at.eq(c).and(comments::id.gt(i))),
            );
        }
        Some(CommentPosition::MostLiked { l, i }) => {
            query = query.filter(
                comments::likes
                    .lt(l)
                    .or(comments::likes.eq(l).and(comments::id.lt(i))),
            );
        }
        None => {}
    }
    Ok((query.load(conn)?, total))
}

/// The approved replies under these top-level comments, oldest first.
pub fn replies_under(conn: &mut DbConnection, roots: &[i32]) -> QueryResult<Vec<CommentRow>> {
    comments::table
        .filter(comments::root_id.eq_any(roots))
        .filter(comments::status.eq(CommentStatus::Approved))
        .order((comments::created_at.asc(), comments::id.asc()))
        .select(CommentRow::as_select())
        .load(conn)
}

/// Comments in one moderation state, oldest first (keyset on the id).
pub fn queue(
    conn: &mut DbConnection,
    status: CommentStatus,
    limit: u32,
    offset: i64,
    after_id: Option<i32>,
) -> QueryResult<(Vec<CommentRow>, i64)> {
    let total = comments::table
        .filter(comments::status.eq(status))
        .count()
        .get_result(conn)?;
    let mut query = comments::table
        .filter(comments::status.eq(status))
        .order(comments::id.asc())
        .select(CommentRow::as_select())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(after_id) = after_id {
        query = query.filter(comments::id.gt(after_id));
    }
    Ok((query.load(conn)?, total))
}

pub fn reaction_of(
    conn: &mut DbConnection,
    comment_id: i32,
    voter: &str,
) -> QueryResult<Option<Reaction>> {
    comment_reactions::table
        .find((comment_id, voter))
        .select(comment_reactions::reaction)
        .first(conn)
        .optional()
}

/// Sets (or with `None` withdraws) `voter`'s reaction, moving the counts
/// with it in the same transaction.
pub fn react(
    conn: &mut DbConnection,
    comment_id: i32,
    voter: &str,
    reaction: Option<Reaction>,
) -> QueryResult<()> {
    let earlier = reaction_of(conn, comment_id, voter)?;
    if earlier == reaction {
        return Ok(());
    }
    match reaction {
        Some(reaction) => {
            crate::db::on_engine!(conn, inner => diesel::insert_into(comment_reactions::table)
            .values((
                comment_reactions::comment_id.eq(comment_id),
                comment_reactions::voter.eq(voter),
                comment_reactions::reaction.eq(reaction),
            ))
            .on_conflict((comment_reactions::comment_id, comment_reactions::voter))
            .do_update()
            .set(comment_reactions::reaction.eq(reaction))
            .execute(inner))?
        }
        None => diesel::delete(comment_reactions::table.find((comment_id, voter))).execute(conn)?,
    };
    let change = |counted: Reaction| -> i64 {
        i64::from(reaction == Some(counted)) - i64::from(earlier == Some(counted))
    };
    diesel::update(comments::table.find(comment_id))
        .set((
            comments::likes.eq(comments::likes + change(Reaction::Like)),
            comments::dislikes.eq(comments::dislikes + change(Reaction::Dislike)),
        ))
        .execute(conn)
        .map(drop)
}
