//! What only PostgreSQL understands, behind the functions `db` names for
//! what they do (the same names as `sqlite`'s): session settings, its
//! error messages, statistics, its full-text search (a generated
//! `tsvector` column per table, `to_tsquery` over the `bulletin`
//! configuration: see the migration) and lists of ids bound as one value.

mod search;

pub(super) use search::search_ids;

use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::result::DatabaseErrorKind;
use diesel::sql_types::{BigInt, Text};

use super::documents::Dialect;
use super::one_of::OneOf;
use super::{Loss, ReadIn, StoreError, Tuning};
use crate::text::search::SearchQuery;

/// The text search configuration the migration made, schema-qualified so
/// a session's `search_path` cannot change what it names.
pub(super) const CONFIGURATION: &str = "public.bulletin";

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for OneOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // The JSON list `[1,2]` read as the array `{1,2}`: one parameter,
        // one prepared statement, whatever the number of ids.
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(CAST(translate(");
        out.push_bind_param::<Text, _>(&self.ids_json)?;
        out.push_sql(", '[]', '{}') AS integer[]))");
        Ok(())
    }
}

/// How the listing of documents is spelled for PostgreSQL.
pub(super) const DOCUMENTS: Dialect = Dialect {
    text_matches: "listed.search @@ to_tsquery('public.bulletin', ?)",
    area_in: "area_id = ANY(CAST(translate(?, '[]', '{}') AS integer[]))",
    issue_key: "coalesce(to_char(d.issued_on, 'YYYY-MM-DD'), '')",
    search: SearchQuery::tsquery,
};

/// What every connection is told: how long a statement waits for a lock
/// before failing as busy, and its name in `pg_stat_activity`.
pub(super) fn configure(conn: &mut PgConnection, tuning: &Tuning) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "SET lock_timeout = {}; SET application_name = 'bulletin-api';",
        tuning.busy_timeout.as_millis()
    ))
}

/// Opens a write transaction, serializable: nodes write at once, and a
/// write that reads before it writes (a vote's earlier vote and tally, an
/// edit's version under `If-Match`, the last admin's role) must not act on
/// what another node's write changed meanwhile. PostgreSQL fails one of
/// two such transactions instead, and the write path runs it again
/// (`loss`).
pub(super) fn begin_write(conn: &mut PgConnection) -> QueryResult<()> {
    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN ISOLATION LEVEL SERIALIZABLE")
}

/// Opens nothing: a transaction would add two round trips to the server
/// (`BEGIN`, `COMMIT`) to a read of a few statements.
pub(super) fn begin_read(_conn: &mut PgConnection) -> QueryResult<ReadIn> {
    Ok(ReadIn::OneTransactionEach)
}

/// Lowers the transaction just begun to read committed, where concurrent
/// additions to one row wait for each other instead of failing.
pub(super) fn only_adds_to_counters(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
}

/// How a statement lost to a concurrent transaction, if it did: a
/// serialization failure (40001) or a deadlock (40P01, which diesel does
/// not name) leave nothing done, and running again succeeds; a unique key
/// may have been taken by a transaction this one could not yet see.
pub(super) fn loss(kind: &DatabaseErrorKind, message: &str) -> Option<Loss> {
    match kind {
        DatabaseErrorKind::UniqueViolation => Some(Loss::Duplicate),
        _ if lost_to_concurrent(kind, message) => Some(Loss::Concurrent),
        _ => None,
    }
}

fn lost_to_concurrent(kind: &DatabaseErrorKind, message: &str) -> bool {
    match kind {
        DatabaseErrorKind::SerializationFailure => true,
        DatabaseErrorKind::Unknown => message.starts_with("deadlock detected"),
        _ => false,
    }
}

/// Whether the current transaction has written anything yet: it has a
/// transaction id once it has.
pub(super) fn has_written(conn: &mut PgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
        "pg_current_xact_id_if_assigned() IS NOT NULL",
    ))
    .get_result(conn)
}

/// PostgreSQL's failures diesel does not sort, told by their messages: a
/// lock not had within `lock_timeout`, a disk with no room.
pub(super) fn classify(kind: &DatabaseErrorKind, message: &str) -> Option<StoreError> {
    match kind {
        DatabaseErrorKind::Unknown if message.contains("lock timeout") => {
            Some(StoreError::Busy(message.to_owned()))
        }
        // Still losing after every attempt: contended, like a lock timeout.
        _ if lost_to_concurrent(kind, message) => Some(StoreError::Busy(message.to_owned())),
        DatabaseErrorKind::Unknown
            if message.contains("No space left on device")
                || message.contains("could not extend file") =>
        {
            Some(StoreError::Full(message.to_owned()))
        }
        _ => None,
    }
}

/// Measures the tables again for the planner. Autovacuum does so as they
/// change; this makes sure right after an import.
pub(super) fn refresh_statistics(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("ANALYZE")
}

/// Nothing to do: PostgreSQL checkpoints on its own, and a checkpoint
/// asked for needs a superuser.
pub(super) fn checkpoint(_conn: &mut PgConnection) -> QueryResult<()> {
    Ok(())
}

/// Nothing to merge: a GIN index takes bulk loads as it takes any write.
pub(super) fn merge_search_index(_conn: &mut PgConnection) -> QueryResult<()> {
    Ok(())
}

/// The secret stored under `name`, storing `fresh` first if there is none:
/// the first node to ask keeps its own, and every other node reads it.
pub(super) fn kept_secret(conn: &mut PgConnection, name: &str, fresh: &str) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Kept {
        #[diesel(sql_type = Text)]
        value: String,
    }
    diesel::sql_query(
        "INSERT INTO service_secrets (name, value, created_at) VALUES ($1, $2, now()) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind::<Text, _>(name)
    .bind::<Text, _>(fresh)
    .execute(conn)?;
    let kept: Kept = diesel::sql_query("SELECT value FROM service_secrets WHERE name = $1")
        .bind::<Text, _>(name)
        .get_result(conn)?;
    Ok(kept.value)
}

/// A microsecond count, as PostgreSQL multiplies an interval by.
fn micros(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_micros()).unwrap_or(i64::MAX)
}

/// One more turn of a limited action under `key`, by the generic cell rate
/// algorithm: each turn moves the key's time `interval` on, and a turn that
/// would move it more than `window` past now is refused (answering how long
/// to wait) and counts nothing. One statement, so nodes asking at once
/// cannot both slip through.
pub(super) fn take_turn(
    conn: &mut PgConnection,
    key: &str,
    now: chrono::NaiveDateTime,
    interval: std::time::Duration,
    window: std::time::Duration,
) -> QueryResult<Result<(), std::time::Duration>> {
    use diesel::sql_types::Timestamp;
    #[derive(QueryableByName)]
    struct Due {
        #[diesel(sql_type = Timestamp)]
        tat: chrono::NaiveDateTime,
    }
    let taken: Option<Due> = diesel::sql_query(
        "INSERT INTO rate_limits AS r (key, tat) VALUES ($1, $2 + $3 * interval '1 microsecond') \
         ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, $2) + $3 * interval '1 microsecond' \
         WHERE greatest(r.tat, $2) + $3 * interval '1 microsecond' \
             <= $2 + $4 * interval '1 microsecond' \
         RETURNING tat",
    )
    .bind::<Text, _>(key)
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(micros(interval))
    .bind::<BigInt, _>(micros(window))
    .get_result(conn)
    .optional()?;
    if taken.is_some() {
        return Ok(Ok(()));
    }
    let due: Due = diesel::sql_query("SELECT tat FROM rate_limits WHERE key = $1")
        .bind::<Text, _>(key)
        .get_result(conn)?;
    let free_at = due.tat + interval - window;
    Ok(Err((free_at - now).to_std().unwrap_or_default()))
}

/// Forgets the keys whose every turn is spent and past: they limit nothing.
pub(super) fn forget_spent_turns(
    conn: &mut PgConnection,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM rate_limits WHERE tat < $1")
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .execute(conn)
        .map(drop)
}

/// Holds `key` until the transaction ends (a transaction-level advisory
/// lock): another transaction holding it waits for this one. Taken in one
/// order by every caller, so two cannot wait on each other.
pub(super) fn hold_key(conn: &mut PgConnection, key: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind::<Text, _>(key)
        .execute(conn)
        .map(drop)
}

/// When the latest lock on any of `keys` ends, if one is still on.
pub(super) fn login_locked_until(
    conn: &mut PgConnection,
    keys: &[String],
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<chrono::NaiveDateTime>> {
    use diesel::sql_types::{Array, Nullable, Timestamp};
    #[derive(QueryableByName)]
    struct Lock {
        #[diesel(sql_type = Nullable<Timestamp>)]
        until: Option<chrono::NaiveDateTime>,
    }
    let lock: Lock = diesel::sql_query(
        "SELECT max(locked_until) AS until FROM login_throttle \
         WHERE key = ANY($1) AND locked_until > $2",
    )
    .bind::<Array<Text>, _>(keys)
    .bind::<Timestamp, _>(now)
    .get_result(conn)?;
    Ok(lock.until)
}

/// Counts a login attempt against `key`: a new window once `window` has
/// passed since the last began; at `limit` attempts the key is locked for
/// `lockout` and its count starts again.
pub(super) fn count_login_attempt(
    conn: &mut PgConnection,
    key: &str,
    now: chrono::NaiveDateTime,
    limit: u32,
    window: std::time::Duration,
    lockout: std::time::Duration,
) -> QueryResult<()> {
    use diesel::sql_types::{Integer, Timestamp};
    diesel::sql_query(
        "INSERT INTO login_throttle AS t (key, attempts, window_started) VALUES ($1, 1, $2) \
         ON CONFLICT (key) DO UPDATE SET \
             attempts = CASE WHEN t.window_started <= $2 - $3 * interval '1 microsecond' \
                 THEN 1 ELSE t.attempts + 1 END, \
             window_started = CASE WHEN t.window_started <= $2 - $3 * interval '1 microsecond' \
                 THEN $2 ELSE t.window_started END",
    )
    .bind::<Text, _>(key)
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(micros(window))
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE login_throttle SET locked_until = $2 + $3 * interval '1 microsecond', \
             attempts = 0, window_started = $2 \
         WHERE key = $1 AND attempts >= $4",
    )
    .bind::<Text, _>(key)
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(micros(lockout))
    .bind::<Integer, _>(i32::try_from(limit).unwrap_or(i32::MAX))
    .execute(conn)
    .map(drop)
}

/// Forgets `key`'s attempts (`clear`), or takes one back.
pub(super) fn forget_login_attempt(
    conn: &mut PgConnection,
    key: &str,
    clear: bool,
) -> QueryResult<()> {
    let statement = if clear {
        "DELETE FROM login_throttle WHERE key = $1"
    } else {
        "UPDATE login_throttle SET attempts = greatest(attempts - 1, 0) WHERE key = $1"
    };
    diesel::sql_query(statement)
        .bind::<Text, _>(key)
        .execute(conn)
        .map(drop)
}

/// Readies a database just filled in bulk for its first reads: statistics
/// for the planner, and the pages whose rows are known committed marked
/// visible, which index-only scans need so as not to read the table. Left
/// to autovacuum, a copy's first reads were planned without statistics.
/// Outside any transaction, as `VACUUM` must be.
pub(super) fn settle_after_bulk_load(conn: &mut PgConnection) -> QueryResult<()> {
    conn.batch_execute("VACUUM (ANALYZE)")
}

/// How many rows `table` holds (a name the caller chose, never a client's).
pub(super) fn count_rows(conn: &mut PgConnection, table: &str) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<BigInt>(&format!(
        "count(*) FROM \"{table}\""
    )))
    .get_result(conn)
}

/// Inserts the rows of `json` (an array of objects keyed by `columns`) into
/// `table`, each value read as its column's type.
pub(super) fn insert_json_rows(
    conn: &mut PgConnection,
    table: &str,
    columns: &[String],
    json: &str,
) -> QueryResult<()> {
    let columns = columns
        .iter()
        .map(|column| format!("\"{column}\""))
        .collect::<Vec<_>>()
        .join(", ");
    diesel::sql_query(format!(
        "INSERT INTO \"{table}\" ({columns}) \
         SELECT {columns} FROM json_populate_recordset(NULL::\"{table}\", CAST($1 AS json))"
    ))
    .bind::<Text, _>(json)
    .execute(conn)
    .map(drop)
}

/// Moves `table`'s id identity past the ids its rows brought, so the next
/// row written gets a new one.
pub(super) fn move_identity_past_rows(conn: &mut PgConnection, table: &str) -> QueryResult<()> {
    diesel::sql_query(format!(
        "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), max(id)) \
         FROM \"{table}\" HAVING max(id) IS NOT NULL"
    ))
    .execute(conn)
    .map(drop)
}
