//! What only PostgreSQL understands, behind the functions `db` names for
//! what they do (the same names as `sqlite`'s): session settings, its
//! error messages, statistics, its full-text search (a generated
//! `tsvector` column per table, `plainto_tsquery` over the `bulletin`
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
use super::{StoreError, Tuning};
use crate::search::SearchQuery;

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
    text_matches: "listed.search @@ plainto_tsquery('public.bulletin', ?)",
    area_in: "area_id = ANY(CAST(translate(?, '[]', '{}') AS integer[]))",
    issue_key: "coalesce(to_char(d.issued_on, 'YYYY-MM-DD'), '')",
    search: SearchQuery::plain_terms,
    placeholders: numbered,
};

/// `statement` with its `?` placeholders numbered as PostgreSQL's (`$1`,
/// `$2`, …), so one text serves both engines. The statements given hold no
/// `?` of their own (no string literal has one).
fn numbered(statement: String) -> String {
    let mut numbered = String::with_capacity(statement.len() + 16);
    let mut next = 0;
    for c in statement.chars() {
        if c == '?' {
            next += 1;
            numbered.push_str(&format!("${next}"));
        } else {
            numbered.push(c);
        }
    }
    numbered
}

/// What every connection is told: how long a statement waits for a lock
/// before failing as busy, and its name in `pg_stat_activity`.
pub(super) fn configure(conn: &mut PgConnection, tuning: &Tuning) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "SET lock_timeout = {}; SET application_name = 'bulletin-api';",
        tuning.busy_timeout.as_millis()
    ))
}

/// Opens a write transaction. PostgreSQL takes row locks as rows are
/// written, so nothing needs taking up front.
pub(super) fn begin_write(conn: &mut PgConnection) -> QueryResult<()> {
    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN")
}

/// How many rows the current transaction has inserted, updated or deleted
/// so far: it grows with each write that changed something.
pub(super) fn rows_changed(conn: &mut PgConnection) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<BigInt>(
        "coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_xact_user_tables",
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
