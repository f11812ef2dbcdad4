//! SQL for preview links.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::PreviewLinkRow;
use crate::db::DbConnection;
use crate::db::schema::{articles, preview_links};

/// A link that works at `now`: neither revoked nor expired.
macro_rules! live {
    ($now:expr) => {
        preview_links::revoked_at
            .is_null()
            .and(preview_links::expires_at.gt($now))
    };
}

pub struct NewLink<'a> {
    pub article_id: i32,
    pub token_hash: &'a str,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, link: &NewLink<'_>) -> QueryResult<PreviewLinkRow> {
    diesel::insert_into(preview_links::table)
        .values((
            preview_links::article_id.eq(link.article_id),
            preview_links::token_hash.eq(link.token_hash),
            preview_links::created_by.eq(link.created_by),
            preview_links::created_at.eq(link.created_at),
            preview_links::expires_at.eq(link.expires_at),
        ))
        .returning(crate::db::selection::<PreviewLinkRow>())
        .get_result(conn)
}

/// An article's links that work at `now`, newest first.
pub fn live_of_article(
    conn: &mut DbConnection,
    article_id: i32,
    now: NaiveDateTime,
) -> QueryResult<Vec<PreviewLinkRow>> {
    preview_links::table
        .filter(preview_links::article_id.eq(article_id))
        .filter(live!(now))
        .order(preview_links::id.desc())
        .select(PreviewLinkRow::as_select())
        .load(conn)
}

/// Revokes one of an article's working links; answers whether it did.
pub fn revoke(
    conn: &mut DbConnection,
    article_id: i32,
    id: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        preview_links::table
            .filter(preview_links::id.eq(id))
            .filter(preview_links::article_id.eq(article_id))
            .filter(live!(now)),
    )
    .set(preview_links::revoked_at.eq(now))
    .execute(conn)
    .map(|changed| changed == 1)
}

/// The article (not in the trash) a working link with this token hash
/// shows at `now`.
pub fn previewed_article(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<i32>> {
    preview_links::table
        .inner_join(articles::table)
        .filter(preview_links::token_hash.eq(token_hash))
        .filter(live!(now))
        .filter(articles::deleted_at.is_null())
        .select(articles::id)
        .first(conn)
        .optional()
}
