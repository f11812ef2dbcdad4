//! The write-ahead log, copied into the database file by a thread of its
//! own rather than by the writer.
//!
//! By default the connection whose commit finds the log past 1,000 pages
//! copies it into the file and syncs the file, before its caller hears
//! back. At 100,000 articles under a newsroom's mixed load the counted views
//! written every two seconds passed that mark several times a second: the
//! writes' p99 was 1 s and their mean 34 to 52 ms, where an edit alone
//! takes 2 to 4 ms.
//!
//! So the pooled connections never copy (`wal_autocheckpoint = 0`), and
//! the keeper copies what the log holds every `Pace::copy_every` without
//! waiting for anyone (a passive checkpoint: writers and readers go on).
//! That alone lets the log grow without end: a commit starts the log over
//! only when no reader uses its pages, and under load some reader always
//! does (350 MB in 15 s). So once the log holds more than
//! `Pace::restart_past` pages the keeper also waits for the readers still
//! using it (new ones read the file), and the next commit starts it over
//! at its first page. Writers wait meanwhile, which is why it waits for a
//! long log, and why a passive copy comes first. Measured on votes alone
//! (25,000 a second at 1,000 articles, the builds alternated), when a
//! restart came every eighth round: it held the writers 64 to 348 ms (the
//! votes' p99 190 to 300 ms, against 11 ms with no restarts); after a
//! passive copy, 23 to 27 ms (p99 94 to 119 ms); restarting only a long
//! log, p99 21 to 38 ms. At 100,000 articles the restart still took up to
//! a second (p99 350 to 590 ms): it is the one copy that syncs the file,
//! and the file's pages copied over seconds were all synced then. The
//! keeper now syncs them before the restart, holding no one: p99 78 and
//! 118 ms.
//!
//! On a newsroom's mixed load at 100,000 articles (two runs each, the
//! builds alternated) the keeper took the writes' p99 down to 128 or 256
//! ms and their mean to 9 to 26 ms; requests served stayed as they were
//! (6,000 to 6,300 a second), and the log file held up to 91 MB, about two
//! seconds of writes (20 MB before).

use std::fs::File;
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::StoreError;

/// How a log keeper paces its work.
#[derive(Debug, Clone, Copy)]
pub(in crate::db) struct Pace {
    /// How often what the log holds is copied into the file.
    pub copy_every: Duration,
    /// How many pages the log may hold before a copy also makes it start
    /// over. A log that commits start over on their own (no reader was
    /// using it) never gets there.
    pub restart_past: i64,
    /// How long a restart waits for the writer, then for the readers
    /// using the log, before it gives up (for
    /// `ROUNDS_AFTER_A_RESTART_GAVE_UP` rounds); writers wait while it
    /// waits for the readers.
    pub patience: Duration,
}

/// The pace measured on a newsroom's load (the module's comment). The
/// readers a restart waits for are a few milliseconds' lookups; a long read (a
/// backup) makes it give up after a quarter of a second instead of holding
/// the writes up till the read ends.
pub(in crate::db) const NEWSROOM_PACE: Pace = Pace {
    copy_every: Duration::from_millis(250),
    // 64 MiB of 4 KiB pages: about two seconds of the mixed minute's writes
    // at 100,000 articles.
    restart_past: 16_384,
    patience: Duration::from_millis(250),
};

/// The size the writer cuts the log file back to when it starts the log
/// over in a larger file (after a burst, an import): above a busy
/// newsroom's two seconds of writes, so the file is not cut and grown
/// again at every restart.
pub(super) const LOG_SIZE_LIMIT: u64 = 128 << 20;

/// A thread keeping the log of a database short. It ends once this and
/// every clone of it are dropped.
#[derive(Debug, Clone)]
pub(in crate::db) struct LogKeeper {
    _running: Sender<()>,
}

/// Starts a thread that keeps the log of the database file at `file`
/// short, at `pace`, on a connection of its own.
pub(in crate::db) fn keep_log_short(file: &Path, pace: Pace) -> Result<LogKeeper, StoreError> {
    let cannot = |error: &dyn std::fmt::Display| {
        StoreError::Connection(format!("cannot start the log keeper: {error}"))
    };
    let mut conn = super::establish(&file.to_string_lossy()).map_err(|e| cannot(&e))?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {};",
        pace.patience.as_millis()
    ))
    .map_err(|e| cannot(&e))?;
    let database = File::open(file).map_err(|e| cannot(&e))?;
    let (running, stopped) = channel();
    std::thread::Builder::new()
        .name("log-keeper".into())
        .spawn(move || keep(&mut conn, &database, pace, &stopped))
        .map_err(|e| cannot(&e))?;
    Ok(LogKeeper { _running: running })
}

/// What a checkpoint answers.
#[derive(QueryableByName)]
struct Checkpointed {
    /// 1 when a restart gave up waiting for the writer or the readers.
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
    /// How many pages the log holds.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    log: i64,
}

/// How many rounds a restart that gave up waits before the next try: the
/// writers wait while it waits, and a long read (a backup) would otherwise
/// hold them every round.
const ROUNDS_AFTER_A_RESTART_GAVE_UP: u32 = 8;

/// Copies, and restarts when it has grown long, the log at `pace` until
/// every `LogKeeper` is gone. `database` is the database file.
fn keep(conn: &mut SqliteConnection, database: &File, pace: Pace, stopped: &Receiver<()>) {
    let mut rounds_to_wait: u32 = 0;
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(pace.copy_every) {
        rounds_to_wait = rounds_to_wait.saturating_sub(1);
        // The passive copy comes first even when the log is to restart: a
        // restart holds the writers while it copies what is left and syncs
        // the file, so it should find little left.
        let long = checkpoint(conn, "PASSIVE").is_some_and(|done| done.log > pace.restart_past);
        if long && rounds_to_wait == 0 {
            // A copy syncs the file only when it copied the whole log, which
            // under steady reads only the restart does: it then synced
            // seconds of copied pages, 1 s at 100,000 articles, holding the
            // writers. Synced here first, they wait for none of it.
            if let Err(error) = database.sync_data() {
                tracing::warn!(%error, "could not sync the database file");
            }
            let gave_up = checkpoint(conn, "RESTART").is_none_or(|done| done.busy != 0);
            if gave_up {
                rounds_to_wait = ROUNDS_AFTER_A_RESTART_GAVE_UP;
            }
        }
    }
}

/// Copies the whole log into the database file and empties it, trying
/// again for up to `patience` while it cannot: one checkpoint runs at a
/// time, and one finding the keeper's copy under way gives up at once. An
/// import's last checkpoint gave up so, unnoticed, and left its rows in the
/// log: copied without it, the database file came out malformed.
pub(super) fn empty(conn: &mut SqliteConnection, patience: Duration) -> QueryResult<()> {
    let deadline = std::time::Instant::now() + patience;
    loop {
        let done = checkpointed(conn, "TRUNCATE")?;
        if done.busy == 0 {
            return Ok(());
        }
        if std::time::Instant::now() >= deadline {
            return Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::Unknown,
                Box::new(format!(
                    "the write-ahead log ({} pages) could not be copied into the database file within {patience:?}: another connection is reading it",
                    done.log
                )),
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a checkpoint in `mode`. A failed one leaves the log as long as it
/// was; the next round tries again.
fn checkpoint(conn: &mut SqliteConnection, mode: &str) -> Option<Checkpointed> {
    checkpointed(conn, mode)
        .inspect_err(|error| {
            tracing::warn!(%error, mode, "could not copy the write-ahead log into the database file");
        })
        .ok()
}

/// Runs a checkpoint in `mode` and answers what it did.
fn checkpointed(conn: &mut SqliteConnection, mode: &str) -> QueryResult<Checkpointed> {
    diesel::sql_query(format!("PRAGMA wal_checkpoint({mode})")).get_result(conn)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;
    use crate::db::Tuning;

    fn open(file: &Path) -> SqliteConnection {
        let mut conn = super::super::establish(&file.to_string_lossy()).unwrap();
        let tuning = Tuning {
            busy_timeout: Duration::from_secs(5),
            memory_map: false,
        };
        super::super::configure(&mut conn, &tuning).unwrap();
        conn
    }

    fn log_size(file: &Path) -> u64 {
        let log = file.with_extension("db-wal");
        std::fs::metadata(log).map_or(0, |meta| meta.len())
    }

    #[test]
    fn emptying_the_log_waits_for_its_readers_and_says_when_it_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let mut writer = open(&file);
        writer
            .batch_execute(
                "PRAGMA busy_timeout = 10;
                 CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB);
                 INSERT INTO pages (body) VALUES (zeroblob(65536));",
            )
            .unwrap();
        let mut reader = open(&file);
        reader
            .batch_execute("BEGIN; SELECT count(*) FROM pages;")
            .unwrap();
        // The reader's snapshot is in the log: it cannot be emptied.
        let refused = empty(&mut writer, Duration::from_millis(100)).unwrap_err();
        assert!(
            refused.to_string().contains("could not be copied"),
            "{refused}"
        );
        assert!(log_size(&file) > 0);

        let released = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            reader.batch_execute("COMMIT").unwrap();
        });
        empty(&mut writer, Duration::from_secs(5)).unwrap();
        released.join().unwrap();
        assert_eq!(log_size(&file), 0, "emptied once the reader let go");
    }

    /// Readers that always hold some snapshot of the log, as a server's do
    /// under load, keep a commit from starting the log over on its own.
    #[test]
    fn the_log_starts_over_under_steady_writes_and_reads() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let mut writer = open(&file);
        writer
            .batch_execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB)")
            .unwrap();
        let pace = Pace {
            copy_every: Duration::from_millis(10),
            // 1 MiB of 4 KiB pages.
            restart_past: 256,
            patience: Duration::from_millis(250),
        };
        let _keeper = keep_log_short(&file, pace).unwrap();
        let reading = Arc::new(AtomicBool::new(true));
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let (file, reading) = (file.clone(), Arc::clone(&reading));
                std::thread::spawn(move || {
                    let mut conn = open(&file);
                    while reading.load(Ordering::Relaxed) {
                        conn.batch_execute(
                            "BEGIN; SELECT count(*) FROM pages; SELECT sum(length(body)) FROM pages; COMMIT;",
                        )
                        .unwrap();
                    }
                })
            })
            .collect();
        // 2,000 commits of 16 KiB each: a log never started over holds them
        // all (57 MB, pages of the table's tree included); kept, it stayed
        // under 2 MB.
        let mut largest = 0;
        for n in 0..2000 {
            writer
                .batch_execute(&format!(
                    "INSERT OR REPLACE INTO pages (id, body) VALUES ({}, zeroblob(16384))",
                    n % 50
                ))
                .unwrap();
            largest = largest.max(log_size(&file));
            std::thread::sleep(Duration::from_micros(500));
        }
        reading.store(false, Ordering::Relaxed);
        for reader in readers {
            reader.join().unwrap();
        }
        assert!(
            largest < 8 << 20,
            "the log reached {largest} bytes in 2,000 commits of 16 KiB"
        );
    }
}
