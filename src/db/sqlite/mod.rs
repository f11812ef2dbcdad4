//! What only SQLite understands, behind functions `db` names for what they
//! do: its pragmas, its write lock, its statistics, its backups, its error
//! messages, its full-text index (FTS5) and lists of ids bound as JSON.

mod log;
mod ranking;
mod search;
mod shared_map;

pub(super) use log::{LogKeeper, NEWSROOM_PACE, keep_log_short};
pub(super) use search::search_ids;

use std::path::Path;

use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::result::DatabaseErrorKind;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;

use super::documents::Dialect;
use super::one_of::OneOf;
use super::{ReadIn, StoreError, Tuning};
use crate::text::search::SearchQuery;

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for OneOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.ids_json)?;
        out.push_sql("))");
        Ok(())
    }
}

/// How the listing of documents is spelled for SQLite: the FTS5 index
/// `documents_search`, `json_each` over a JSON list.
pub(super) const DOCUMENTS: Dialect = Dialect {
    text_matches: "listed.id IN \
        (SELECT rowid FROM documents_search WHERE documents_search MATCH ?)",
    area_in: "area_id IN (SELECT value FROM json_each(?))",
    issue_key: "coalesce(d.issued_on, '')",
    search: SearchQuery::fts_expression,
};

/// A list of ids as the JSON array `json_each` reads.
pub(super) fn json_list(ids: &[i32]) -> String {
    serde_json::Value::from(ids).to_string()
}

/// The pragmas every pooled connection gets. Each connection keeps 2 MiB of
/// pages of its own, waits up to the busy timeout for a lock, and (when
/// `memory_map`) reads the file through a
/// shared memory map of up to 2 GiB, SQLite's limit (at 256 MiB a newsroom
/// of 100,000 articles, a 2 GB file, read most of its pages by system
/// calls): pages the operating system already caches are read in place
/// rather than copied into each connection, which cost a search over a
/// large full-text index most of its time. Mapped pages are the system's
/// page cache, shared and reclaimable, not the process's own memory. The
/// map is one for every connection, kept across commits (`shared_map`).
/// No connection copies the write-ahead log into the file as it commits:
/// the log keeper does (`log`).
pub(super) fn configure(conn: &mut SqliteConnection, tuning: &Tuning) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {};
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA wal_autocheckpoint = 0;
         PRAGMA journal_size_limit = {};
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -2048;
         PRAGMA mmap_size = {};",
        tuning.busy_timeout.as_millis(),
        log::LOG_SIZE_LIMIT,
        if tuning.memory_map {
            shared_map::MAP_CEILING
        } else {
            0
        }
    ))
}

/// Opens the SQLite database at `url`, its searches ranked by `relevance`.
pub(super) fn establish(url: &str) -> ConnectionResult<SqliteConnection> {
    ranking::add_to_new_connections();
    shared_map::use_for_new_connections();
    SqliteConnection::establish(url)
}

/// Opens a write transaction holding the write lock from its start
/// (`BEGIN IMMEDIATE`), so a write never has to upgrade a read lock, the
/// other source of SQLITE_BUSY. Closed by diesel's commit or rollback.
pub(super) fn begin_write(conn: &mut SqliteConnection) -> QueryResult<()> {
    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE")
}

/// Opens a read transaction (`BEGIN`, deferred): a read's statements then
/// see one snapshot, and take the write-ahead log's shared lock once rather
/// than each for itself. Begun and ended for each statement, read
/// transactions took about a tenth of the CPU of an article read past the
/// response cache (`perf`, 100,000 articles); one for the whole read, about
/// a twentieth.
pub(super) fn begin_read(conn: &mut SqliteConnection) -> QueryResult<ReadIn> {
    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN")?;
    Ok(ReadIn::OneTransaction)
}

/// Nothing to relax: the one writer's transactions never overlap.
pub(super) fn only_adds_to_counters(_conn: &mut SqliteConnection) -> QueryResult<()> {
    Ok(())
}

/// How many rows this connection's statements have inserted, updated or
/// deleted since it opened: unchanged across a write that changed nothing.
pub(super) fn rows_changed(conn: &mut SqliteConnection) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<BigInt>("total_changes()")).get_result(conn)
}

/// SQLite's failures diesel does not sort, told by their messages (diesel
/// gives nothing else): a lock still held after the busy timeout, a full disk.
pub(super) fn classify(kind: &DatabaseErrorKind, message: &str) -> Option<StoreError> {
    match kind {
        DatabaseErrorKind::Unknown if message.contains("is locked") => {
            Some(StoreError::Busy(message.to_owned()))
        }
        DatabaseErrorKind::Unknown if message.contains("disk is full") => {
            Some(StoreError::Full(message.to_owned()))
        }
        _ => None,
    }
}

/// Brings the statistics SQLite plans queries with up to date with the
/// data (`PRAGMA optimize`): tables whose size changed much since they
/// were last measured are measured again. 0x10002: look at every table, not
/// only those queried so far on this connection (which is none). Each index
/// is read whole (0.6 s for a newsroom of 100,000 articles, and only when
/// its size changed much): a sample is the start of the index, so a
/// category's first thousand articles measured as a thousand per category,
/// and parent categories' pages sorted all their articles instead of
/// walking the newest.
pub(super) fn refresh_statistics(conn: &mut SqliteConnection) -> QueryResult<()> {
    conn.batch_execute("PRAGMA analysis_limit = 0; PRAGMA optimize = 0x10002;")
}

/// Copies the write-ahead log into the database file and empties it: after
/// a bulk write (an import leaves gigabytes there), so the log does not
/// wait for the next start and the file alone holds it all. It waits for
/// the log keeper's copy, if one is under way (seconds after an import).
pub(super) fn checkpoint(conn: &mut SqliteConnection) -> QueryResult<()> {
    log::empty(conn, std::time::Duration::from_secs(60))
}

/// Merges the whole full-text index into one segment, after a bulk load,
/// and lifts it above the levels edits write to: each `LIFT_SEARCH_INDEX`
/// round's optimize merges whatever the load left, so no optimize of its
/// own comes first (it rewrote the whole index once more for nothing).
///
/// Left as the load writes it (six segments of up to 65,000 pages at
/// 100,000 articles), the first edits after an import began merging the
/// large ones a step at a time: each byline edit then wrote about 1,200
/// pages, the log grew to 477 MB in ten seconds, and edits fell from 350 a
/// second to 24. Merged but left on a low level (level 0 when one statement
/// wrote it all, as for 10,000 articles), it was merged again with the
/// edits' own small segments once enough of them sat beside it: the 14th
/// edit after an import rewrote the whole index (120 MB of log in half a
/// second, every write waiting meanwhile), the 199th again.
pub(super) fn merge_search_index(conn: &mut SqliteConnection) -> QueryResult<()> {
    conn.batch_execute(&LIFT_SEARCH_INDEX.repeat(LIFT_ROUNDS))
}

/// A full-text index merged whole, one level up or more. FTS5 merges the
/// segments of one level into one on the level above, and edits' segments
/// climb a level each time four of them pile up on theirs; an index whose
/// segments sit on several levels is optimized onto a new level above the
/// highest. So a small segment written beside the merged one (a row added
/// and removed in the same transaction: no reader sees it) and optimize
/// lift it each round. Also the search_index_levels migration's.
const LIFT_SEARCH_INDEX: &str = "
    INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (-1, 'x', '', '', '');
    DELETE FROM articles_search WHERE rowid = -1;
    INSERT INTO articles_search (articles_search) VALUES ('optimize');";

/// Rounds of `LIFT_SEARCH_INDEX` after a bulk load: three put the index on
/// level 5 or above, which edits' segments reach after thousands of their
/// own merges (a round rewrites the index: 0.3 s for 10,000 articles, 4 s
/// for 100,000). Measured over 6,000 byline edits of 10,000 articles after
/// three rounds: none above 23 ms, 0.77 ms on average, where the index
/// left on level 0 made two of them wait half a second (1.24 ms on average).
const LIFT_ROUNDS: usize = 3;

/// Writes a consistent, compacted copy of the database to `target` (which
/// must not exist): `VACUUM INTO` reads one snapshot in a read transaction,
/// so writers go on meanwhile.
pub(super) fn copy_into(conn: &mut SqliteConnection, target: &Path) -> QueryResult<()> {
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target.to_string_lossy().into_owned())
        .execute(conn)
        .map(drop)
}

/// Opens the database file at `path` read-only: closing it does not even
/// checkpoint the write-ahead log into the file.
pub(super) fn open_read_only(path: &Path) -> Result<SqliteConnection, StoreError> {
    let uri = format!(
        "file:{}?mode=ro",
        path.to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23")
    );
    SqliteConnection::establish(&uri)
        .map_err(|e| StoreError::Connection(format!("cannot open {}: {e}", path.display())))
}

/// Copies the database file at `from` to `to`, opened read-only.
pub fn copy_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    Ok(copy_into(&mut open_read_only(from)?, to)?)
}

/// A table's columns, in their order.
pub(super) fn column_names(conn: &mut SqliteConnection, table: &str) -> QueryResult<Vec<String>> {
    names_from_table_info(conn, table, "ORDER BY cid")
}

/// Column names of `table` from `pragma_table_info`, as `rest` (a fixed
/// clause) filters and orders them.
fn names_from_table_info(
    conn: &mut SqliteConnection,
    table: &str,
    rest: &str,
) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let columns: Vec<Column> =
        diesel::sql_query(format!("SELECT name FROM pragma_table_info(?) {rest}"))
            .bind::<Text, _>(table)
            .load(conn)?;
    Ok(columns.into_iter().map(|column| column.name).collect())
}

/// How many rows `table` holds (a name the caller chose, never a client's).
pub(super) fn count_rows(conn: &mut SqliteConnection, table: &str) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<BigInt>(&format!(
        "count(*) FROM \"{table}\""
    )))
    .get_result(conn)
}

/// A batch of rows as a JSON array of objects, and how many it holds.
pub(super) struct JsonRows {
    pub json: String,
    pub count: i64,
}

/// Up to `limit` rows of `table` from the `offset`th on, in the order of
/// its primary key, each a JSON object of `columns`.
pub(super) fn rows_as_json(
    conn: &mut SqliteConnection,
    table: &str,
    columns: &[String],
    offset: i64,
    limit: i64,
) -> QueryResult<JsonRows> {
    #[derive(QueryableByName)]
    struct Batch {
        #[diesel(sql_type = Text)]
        json: String,
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    let fields: Vec<String> = columns
        .iter()
        .map(|column| format!("'{column}', \"{column}\""))
        .collect();
    let batch: Batch = diesel::sql_query(format!(
        "SELECT json_group_array(json_object({})) AS json, count(*) AS count FROM \
         (SELECT * FROM \"{table}\" ORDER BY {} LIMIT ? OFFSET ?)",
        fields.join(", "),
        primary_key_order(conn, table)?
    ))
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .get_result(conn)?;
    Ok(JsonRows {
        json: batch.json,
        count: batch.count,
    })
}

/// `table`'s primary key columns, comma-separated, for an ORDER BY.
fn primary_key_order(conn: &mut SqliteConnection, table: &str) -> QueryResult<String> {
    let keys = names_from_table_info(conn, table, "WHERE pk > 0 ORDER BY pk")?;
    Ok(keys
        .iter()
        .map(|key| format!("\"{key}\""))
        .collect::<Vec<_>>()
        .join(", "))
}

/// Runs `PRAGMA integrity_check` on the database file at `path`, opened on
/// its own; answers what it found wrong, if anything.
pub fn integrity_problems(path: &Path) -> Result<Option<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let url = path.to_string_lossy().into_owned();
    let mut conn = SqliteConnection::establish(&url)
        .map_err(|e| StoreError::Connection(format!("cannot open {}: {e}", path.display())))?;
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn)?;
    let found: Vec<String> = lines.into_iter().map(|line| line.integrity_check).collect();
    Ok((found != ["ok"]).then(|| found.join("; ")))
}

/// FTS5 writes its pending terms out as a segment when they reach
/// `hashsize` bytes (1 MiB unless told), and merges segments as they pile
/// up. Indexing 100,000 articles at once, 64 MiB at a time, with as many
/// pages kept, makes a sixty-fourth of the segments to merge, read from
/// memory rather than from the log. The setting is stored with the index,
/// so it is set back for the writes that index an article at a time.
const INDEXING_IN_BULK: &str =
    "INSERT INTO articles_search (articles_search, rank) VALUES ('hashsize', 67108864);";
const INDEXING_ONE_BY_ONE: &str =
    "INSERT INTO articles_search (articles_search, rank) VALUES ('hashsize', 1048576);";

/// The full-text indexing an article at a time, set aside while articles
/// are added in bulk (see [`super::load_articles_in_bulk`]).
pub(super) struct IndexingSuspended {
    /// The insert trigger's own text, to make it again from.
    trigger: String,
    /// The newest article before the bulk load: those after it get indexed.
    newest_before: i64,
}

/// Drops the trigger that indexes each new article, in the caller's
/// transaction (a rollback brings it back; no other writer sees it gone).
pub(super) fn suspend_indexing(conn: &mut SqliteConnection) -> QueryResult<IndexingSuspended> {
    #[derive(QueryableByName)]
    struct Definition {
        #[diesel(sql_type = Text)]
        sql: String,
    }
    let trigger: Definition = diesel::sql_query(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'articles_search_insert'",
    )
    .get_result(conn)?;
    let newest_before: i64 = diesel::select(diesel::dsl::sql::<BigInt>(
        "coalesce(max(id), 0) FROM articles",
    ))
    .get_result(conn)?;
    conn.batch_execute("DROP TRIGGER articles_search_insert")?;
    Ok(IndexingSuspended {
        trigger: trigger.sql,
        newest_before,
    })
}

/// Indexes the articles added since `suspended` in one statement, and makes
/// the trigger again.
pub(super) fn index_loaded(
    conn: &mut SqliteConnection,
    suspended: IndexingSuspended,
) -> QueryResult<()> {
    conn.batch_execute(&format!("{INDEXING_IN_BULK} PRAGMA cache_size = -65536;"))?;
    let indexed = diesel::sql_query(
        "INSERT INTO articles_search (rowid, title, summary, body, byline) \
         SELECT id, title, summary, body, byline FROM articles_search_rows WHERE id > ?",
    )
    .bind::<BigInt, _>(suspended.newest_before)
    .execute(conn);
    let restored = conn.batch_execute(&format!(
        "{INDEXING_ONE_BY_ONE} PRAGMA cache_size = -2048; {}",
        suspended.trigger
    ));
    indexed.and(restored).map(drop)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Block {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }

    /// The pages of the index's segments (FTS5 keeps its averages and its
    /// structure, rewritten at every write, under ids 1 and 10).
    fn segment_pages(conn: &mut SqliteConnection) -> BTreeSet<i64> {
        diesel::sql_query("SELECT id FROM articles_search_data WHERE id > 10")
            .load::<Block>(conn)
            .unwrap()
            .into_iter()
            .map(|block| block.id)
            .collect()
    }

    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` is read only by a cargo started inside the
    /// repository: a build from elsewhere gets SQLite's defaults, and its
    /// reads are slower for it, silently (see the flags' reasons there).
    #[test]
    fn the_bundled_sqlite_is_built_with_the_flags_in_cargo_config() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let built_with: BTreeSet<String> = diesel::sql_query("PRAGMA compile_options")
            .load::<CompileOption>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|option| option.compile_options)
            .collect();
        for wanted in ["THREADSAFE=2", "DEFAULT_MEMSTATUS=0", "ENABLE_QPSG"] {
            assert!(
                built_with.contains(wanted),
                "{wanted} not in {built_with:?}"
            );
        }
        assert!(!built_with.contains("ENABLE_STAT4"), "{built_with:?}");
    }

    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// How many articles the full-text index finds for `terms`.
    fn found(conn: &mut SqliteConnection, terms: &str) -> i64 {
        diesel::sql_query("SELECT count(*) AS n FROM articles_search WHERE articles_search MATCH ?")
            .bind::<Text, _>(terms)
            .get_result::<Found>(conn)
            .unwrap()
            .n
    }

    #[test]
    fn an_edit_sending_the_texts_as_they_were_leaves_the_search_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = establish(dir.path().join("a.db").to_str().unwrap()).unwrap();
        super::super::apply_migrations(&mut conn, super::super::SQLITE_MIGRATIONS).unwrap();
        conn.batch_execute(
            "INSERT INTO articles (slug, title, summary, body_html, body_text, byline, status, \
             created_at, updated_at) VALUES ('cai-cach', 'Cải cách hành chính', 'Tóm tắt', \
             '<p>Thân bài</p>', 'Thân bài', 'Sở Nội vụ', 'published', '2026-12-01 00:00:00', \
             '2026-12-01 00:00:00')",
        )
        .unwrap();
        let indexed = segment_pages(&mut conn);
        // A form saved whole: every text sent as it was, the state changed.
        conn.batch_execute(
            "UPDATE articles SET title = title, summary = summary, body_text = body_text, \
             byline = byline, featured = 1 WHERE slug = 'cai-cach'",
        )
        .unwrap();
        assert_eq!(segment_pages(&mut conn), indexed);
        conn.batch_execute("UPDATE articles SET title = 'Kế hoạch năm' WHERE slug = 'cai-cach'")
            .unwrap();
        assert_ne!(segment_pages(&mut conn), indexed);
        assert_eq!(
            (found(&mut conn, "hoach"), found(&mut conn, "cach")),
            (1, 0)
        );
    }

    #[test]
    fn edits_after_a_bulk_load_leave_the_merged_search_index_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = establish(dir.path().join("a.db").to_str().unwrap()).unwrap();
        // Shaped as `articles_search`, and loaded as an import loads it (in
        // one statement, written out at once): one segment on the lowest level.
        conn.batch_execute(&format!(
            "CREATE VIRTUAL TABLE articles_search USING fts5(title, summary, body, byline, \
                 tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4 5 6 7');
             {INDEXING_IN_BULK}
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO articles_search (rowid, title, summary, body, byline)
                 SELECT i, 'Tin số ' || i, 'Kế hoạch ' || (i % 97),
                     'Cải cách thủ tục hành chính ' || (i * 7919 % 10007) || ' tại tỉnh, đợt ' || (i % 13),
                     'Sở Nội vụ' FROM n;
             {INDEXING_ONE_BY_ONE}"
        ))
        .unwrap();
        merge_search_index(&mut conn).unwrap();
        let merged = segment_pages(&mut conn);
        // An edit re-indexes its article in a transaction of its own, and
        // FTS5 writes each as a small segment; sixteen on one level are
        // merged at once.
        for n in 1..=40 {
            conn.batch_execute(&format!(
                "BEGIN;
                 DELETE FROM articles_search WHERE rowid = {n};
                 INSERT INTO articles_search (rowid, title, summary, body, byline)
                     VALUES ({n}, 'Tin số {n}', 'Kế hoạch', 'Thủ tục tiếp công dân', 'Ban biên tập {n}');
                 COMMIT;"
            ))
            .unwrap();
        }
        let after = segment_pages(&mut conn);
        assert!(merged.len() > 100, "{} pages", merged.len());
        assert!(
            merged.is_subset(&after),
            "{} of the merged index's {} pages were rewritten",
            merged.difference(&after).count(),
            merged.len()
        );
    }
}
