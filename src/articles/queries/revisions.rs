//! The revisions every content change keeps: what an article held at one
//! version, and who replaced it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::articles::model::ArticleStatus;
use crate::db::DbConnection;
use crate::db::schema::article_revisions;

/// The content an article held at one version, and who replaced it.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = article_revisions)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct RevisionRow {
    pub article_id: i32,
    pub version: i32,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub byline: String,
    pub category_id: Option<i32>,
    pub cover_image_url: Option<String>,
    /// A JSON array.
    pub tags: String,
    pub status: ArticleStatus,
    pub replaced_by_kind: crate::audit::ActorKind,
    pub replaced_by_id: Option<i32>,
    pub replaced_by_label: String,
    pub replaced_at: NaiveDateTime,
}

pub fn insert_revision(conn: &mut DbConnection, revision: &RevisionRow) -> QueryResult<()> {
    diesel::insert_into(article_revisions::table)
        .values(revision)
        .execute(conn)
        .map(drop)
}

/// Newest version first, keyset on the version.
pub fn revisions(
    conn: &mut DbConnection,
    id: i32,
    limit: u32,
    offset: i64,
    before_version: Option<i32>,
) -> QueryResult<(Vec<RevisionRow>, i64)> {
    let total = article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .count()
        .get_result(conn)?;
    let mut query = article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .select(RevisionRow::as_select())
        .order(article_revisions::version.desc())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset)
        .into_boxed();
    if let Some(version) = before_version {
        query = query.filter(article_revisions::version.lt(version));
    }
    Ok((query.load(conn)?, total))
}

pub fn revision(
    conn: &mut DbConnection,
    id: i32,
    version: i32,
) -> QueryResult<Option<RevisionRow>> {
    article_revisions::table
        .filter(article_revisions::article_id.eq(id))
        .filter(article_revisions::version.eq(version))
        .select(RevisionRow::as_select())
        .first(conn)
        .optional()
}
