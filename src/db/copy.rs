//! `bulletin-api copy`: a whole SQLite database into an empty PostgreSQL
//! one. Rows travel as JSON a batch at a time: SQLite writes each batch
//! with `json_object` over the table's columns, PostgreSQL reads it with
//! `json_populate_recordset` into the same columns, converting on the way
//! (SQLite's 0 and 1 for booleans, its times as text). Everything is
//! written in one transaction whose foreign keys are checked at its commit,
//! after every table's rows were counted on both sides: an interrupted or
//! failed copy leaves the target as empty as it was.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::MigrationHarness;

use super::{
    POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, StoreError, apply_migrations, postgres, sqlite,
};

/// Every table the service keeps, as `schema.rs` names them: what a copy
/// carries. Each engine's full-text index is made from these on its side.
const TABLES: &[&str] = &[
    "users",
    "categories",
    "articles",
    "sessions",
    "refresh_tokens",
    "api_keys",
    "audit_log",
    "article_tags",
    "article_revisions",
    "article_references",
    "documents",
    "document_relations",
    "areas",
    "document_areas",
    "attachments",
    "ratings",
    "comments",
    "comment_reactions",
    "webhooks",
    "webhook_deliveries",
    "legacy_ids",
];

/// Rows read and written at a time: a few megabytes of articles.
const BATCH: i64 = 500;

/// How many rows of one table were copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopied {
    pub table: &'static str,
    pub rows: i64,
}

/// Why a copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the target already holds rows (table {0}): a copy only fills an empty database")]
    TargetNotEmpty(&'static str),
    #[error("{table}: {copied} rows reached the target of {expected}; nothing was kept")]
    CountsDiffer {
        table: &'static str,
        expected: i64,
        copied: i64,
    },
}

impl From<diesel::result::Error> for CopyError {
    fn from(error: diesel::result::Error) -> Self {
        CopyError::Store(StoreError::from(error))
    }
}

/// Copies the SQLite database at `from` into the PostgreSQL database at
/// `to` (its schema made first), with the `secrets` its node kept in files
/// (`(name, value)`), telling `progress` each batch as `(table, rows
/// copied, rows in all)`. Blocks: run it off the async executor.
pub fn sqlite_to_postgres(
    from: &Path,
    to: &str,
    secrets: &[(&str, &str)],
    mut progress: impl FnMut(&str, i64, i64),
) -> Result<Vec<TableCopied>, CopyError> {
    let mut source = sqlite::open_read_only(from)?;
    // Read-only, so the source must be migrated already (any start of the
    // service on it, or `bulletin-api migrate`, does that).
    let pending = source
        .has_pending_migration(SQLITE_MIGRATIONS)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    if pending {
        return Err(StoreError::Migration(format!(
            "{} is not up to date: run `bulletin-api migrate` on it first",
            from.display()
        ))
        .into());
    }
    let mut target = PgConnection::establish(to)
        .map_err(|e| StoreError::Connection(format!("cannot connect to the target: {e}")))?;
    apply_migrations(&mut target, POSTGRES_MIGRATIONS)?;
    for &table in TABLES {
        if postgres::count_rows(&mut target, table)? > 0 {
            return Err(CopyError::TargetNotEmpty(table));
        }
    }
    target.transaction(|target| {
        target.batch_execute("SET CONSTRAINTS ALL DEFERRED")?;
        for (name, value) in secrets {
            postgres::kept_secret(target, name, value)?;
        }
        TABLES
            .iter()
            .map(|&table| copy_table(&mut source, target, table, &mut progress))
            .collect()
    })
}

/// Copies one table, batch by batch, and checks the counts agree.
fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &'static str,
    progress: &mut impl FnMut(&str, i64, i64),
) -> Result<TableCopied, CopyError> {
    let columns = sqlite::column_names(source, table)?;
    let expected = sqlite::count_rows(source, table)?;
    let mut copied = 0;
    while copied < expected {
        let rows = sqlite::rows_as_json(source, table, &columns, copied, BATCH)?;
        if rows.count == 0 {
            break;
        }
        postgres::insert_json_rows(target, table, &columns, &rows.json)?;
        copied += rows.count;
        progress(table, copied, expected);
    }
    if columns.iter().any(|column| column == "id") {
        postgres::move_identity_past_rows(target, table)?;
    }
    let copied = postgres::count_rows(target, table)?;
    if copied != expected {
        return Err(CopyError::CountsDiffer {
            table,
            expected,
            copied,
        });
    }
    Ok(TableCopied {
        table,
        rows: copied,
    })
}
