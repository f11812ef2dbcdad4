//! SQL for the ids of what was moved over from another system.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{LegacyKind, Source};
use crate::db::DbConnection;
use crate::db::schema::legacy_ids;

/// Our id of what `source` knew as `legacy_id`, if it was imported.
pub fn target_of(
    conn: &mut DbConnection,
    source: Source,
    kind: LegacyKind,
    legacy_id: i64,
) -> QueryResult<Option<i32>> {
    crate::db::on_engine!(conn, conn => {
        legacy_ids::table
            .find((source.as_str(), kind.as_str(), legacy_id))
            .select(legacy_ids::target_id)
            .first(conn)
            .optional()
    })
}

/// Our id of what `source` knew under the URL alias `alias`.
pub fn target_by_alias(
    conn: &mut DbConnection,
    source: Source,
    kind: LegacyKind,
    alias: &str,
) -> QueryResult<Option<i32>> {
    legacy_ids::table
        .filter(legacy_ids::source.eq(source.as_str()))
        .filter(legacy_ids::kind.eq(kind.as_str()))
        .filter(legacy_ids::alias.eq(alias))
        .order(legacy_ids::legacy_id)
        .select(legacy_ids::target_id)
        .first(conn)
        .optional()
}

/// Remembers that `legacy_id` (under `alias`) is now our `target_id`.
pub fn remember(
    conn: &mut DbConnection,
    source: Source,
    kind: LegacyKind,
    legacy_id: i64,
    alias: &str,
    target_id: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::on_engine!(conn, conn => {
        diesel::insert_into(legacy_ids::table)
            .values((
                legacy_ids::source.eq(source.as_str()),
                legacy_ids::kind.eq(kind.as_str()),
                legacy_ids::legacy_id.eq(legacy_id),
                legacy_ids::alias.eq(alias),
                legacy_ids::target_id.eq(target_id),
                legacy_ids::imported_at.eq(now),
            ))
            .execute(conn)
            .map(drop)
    })
}
