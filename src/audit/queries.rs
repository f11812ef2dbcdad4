//! SQL for the audit log.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::ActorKind;
use crate::db::DbConnection;
use crate::db::schema::audit_log;

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewEntry<'a> {
    pub at: NaiveDateTime,
    pub actor_kind: ActorKind,
    pub actor_id: Option<i32>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<&'a str>,
    pub details: &'a str,
    pub request_id: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct EntryRow {
    pub id: i32,
    pub at: NaiveDateTime,
    pub actor_kind: ActorKind,
    pub actor_id: Option<i32>,
    pub actor_label: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub details: String,
    pub request_id: Option<String>,
}

pub fn insert(conn: &mut DbConnection, entry: &NewEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(conn)
        .map(drop)
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor_kind: Option<ActorKind>,
    pub actor_id: Option<i32>,
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

fn filtered(filter: &Filter) -> audit_log::BoxedQuery<'static, crate::db::Backend> {
    let mut query = audit_log::table.into_boxed();
    if let Some(kind) = filter.actor_kind {
        query = query.filter(audit_log::actor_kind.eq(kind));
    }
    if let Some(id) = filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(id));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(target_type) = &filter.target_type {
        query = query.filter(audit_log::target_type.eq(target_type.clone()));
    }
    if let Some(target_id) = &filter.target_id {
        query = query.filter(audit_log::target_id.eq(target_id.clone()));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_log::at.ge(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    query
}

/// Newest first; ids grow with time, so the id alone is the keyset.
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    limit: u32,
    offset: i64,
    before_id: Option<i32>,
) -> QueryResult<(Vec<EntryRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let mut query = filtered(filter)
        .select(EntryRow::as_select())
        .order(audit_log::id.desc())
        .limit(crate::db::rows_for_page(limit))
        .offset(offset);
    if let Some(before_id) = before_id {
        query = query.filter(audit_log::id.lt(before_id));
    }
    Ok((query.load(conn)?, total))
}
