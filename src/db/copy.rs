//! `bulletin-api copy`: a whole SQLite database into an empty PostgreSQL
//! one. Rows travel as JSON a batch at a time: SQLite writes each batch
//! with `json_object` over the table's columns, PostgreSQL reads it with
//! `json_populate_recordset` into the same columns, converting on the way
//! (SQLite's 0 and 1 for booleans, its times as text). Everything is
//! written in one transaction whose foreign keys are checked at its commit,
//! after every table's rows were counted on both sides: an interrupted or
//! failed copy leaves the target as empty as it was. Attachment bytes
//! travel as they are, a few rows at a time, with the files the source
//! node kept beside its database.

use std::io;
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
    "article_views",
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
    "collections",
    "collection_articles",
    "pages",
    "preview_links",
    "media",
    "media_variants",
];

/// Rows read and written at a time: a few megabytes of articles.
const BATCH: i64 = 500;

/// The table of attachment bytes, copied apart from the rest: SQLite's JSON
/// cannot carry bytes.
const CONTENTS: &str = "attachment_contents";

/// Attachment bytes read and written at a time: each may be tens of megabytes.
const CONTENTS_BATCH: i64 = 4;

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
    #[error("reading an attachment file: {0}")]
    File(#[from] io::Error),
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
/// (`(name, value)`) and the attachment `files` it kept (each its digest
/// and bytes: they become rows of the target), telling `progress` each
/// batch as `(table, rows copied, rows in all)`. Blocks: run it off the
/// async executor.
pub fn sqlite_to_postgres(
    from: &Path,
    to: &str,
    secrets: &[(&str, &str)],
    files: impl ExactSizeIterator<Item = io::Result<(String, Vec<u8>)>>,
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
    for &table in TABLES.iter().chain(&[CONTENTS]) {
        if postgres::count_rows(&mut target, table)? > 0 {
            return Err(CopyError::TargetNotEmpty(table));
        }
    }
    let copied = target.transaction(|target| {
        // Committed only once on disk, whatever the server's setting: what
        // `settle_after_bulk_load` marks visible must be known committed.
        target.batch_execute("SET CONSTRAINTS ALL DEFERRED; SET LOCAL synchronous_commit = on")?;
        for (name, value) in secrets {
            postgres::kept_secret(target, name, value)?;
        }
        let mut copied = TABLES
            .iter()
            .map(|&table| copy_table(&mut source, target, table, &mut progress))
            .collect::<Result<Vec<_>, _>>()?;
        copied.push(copy_contents(&mut source, target, files, &mut progress)?);
        Ok::<_, CopyError>(copied)
    })?;
    // The copy is whole and on disk by now: a failure to settle it costs
    // only the first reads' plans until autovacuum comes by, so it is told,
    // and the copy stands.
    if let Err(error) = postgres::settle_after_bulk_load(&mut target) {
        tracing::warn!(%error, "copied, but VACUUM (ANALYZE) failed: run it on the target");
    }
    Ok(copied)
}

/// Copies the attachment bytes: the source's rows, then `files`, each
/// content kept once under its digest; checks every one kept is there.
fn copy_contents(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    files: impl ExactSizeIterator<Item = io::Result<(String, Vec<u8>)>>,
    progress: &mut impl FnMut(&str, i64, i64),
) -> Result<TableCopied, CopyError> {
    use super::schema::attachment_contents::dsl::{attachment_contents, bytes, sha256};
    let in_rows: i64 = attachment_contents.count().get_result(source)?;
    let all = in_rows + i64::try_from(files.len()).unwrap_or(i64::MAX);
    let mut keep = |digest: &str, content: &[u8]| {
        diesel::insert_into(attachment_contents)
            .values((sha256.eq(digest), bytes.eq(content)))
            .on_conflict_do_nothing()
            .execute(target)
    };
    let (mut done, mut kept) = (0, 0);
    let mut after = String::new();
    loop {
        let batch: Vec<(String, Vec<u8>)> = attachment_contents
            .filter(sha256.gt(&after))
            .order(sha256)
            .limit(CONTENTS_BATCH)
            .load(source)?;
        let Some((last, _)) = batch.last() else {
            break;
        };
        after = last.clone();
        for (digest, content) in &batch {
            kept += keep(digest, content)?;
        }
        done += batch.len() as i64;
        progress(CONTENTS, done, all);
    }
    for file in files {
        let (digest, content) = file?;
        kept += keep(&digest, &content)?;
        done += 1;
        progress(CONTENTS, done, all);
    }
    let (expected, copied) = (kept as i64, postgres::count_rows(target, CONTENTS)?);
    if copied != expected {
        return Err(CopyError::CountsDiffer {
            table: CONTENTS,
            expected,
            copied,
        });
    }
    Ok(TableCopied {
        table: CONTENTS,
        rows: copied,
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
