//! Storage: diesel over the engines of [`DbConnection`], pooled by r2d2.
//!
//! Readers share a pool; writers go through a pool of exactly one connection,
//! so writes queue in process instead of failing with "database is locked",
//! and each write runs in a `BEGIN IMMEDIATE` transaction, so a write never
//! has to upgrade a read lock (the other source of SQLITE_BUSY). Every call
//! runs on actix's blocking thread pool, never on the async executor.
//!
//! What only one engine understands lives in its folder (`sqlite`,
//! `postgres`), behind functions this module names for what they do; the
//! rest of the service writes its queries once, against [`DbConnection`].

mod checked_text;
mod connection;
pub mod copy;
mod documents;
mod kept_prepared;
mod one_of;
mod ordering;
mod postgres;
pub mod schema;
mod search;
mod sqlite;
mod text_enum;

pub use checked_text::CheckedText;
pub use connection::{Backend, DatabaseUrl, DbConnection};
pub use documents::{cited_by_articles, find_document, list_documents};
pub(crate) use kept_prepared::kept_by_text;
pub use kept_prepared::{Bound, KeptText, add_to, kept_sql, kept_text, planned_sql};
pub use one_of::{OneOf, one_of};
pub use ordering::{nulls_first, nulls_last};
pub use search::{RANKED_MATCHES, search_articles};
pub use sqlite::{copy_file, integrity_problems};
pub use text_enum::UnknownVariant;
#[cfg(test)]
pub use text_enum::assert_json_matches_storage;
pub(crate) use text_enum::text_enum;

use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use diesel::Connection as _;
use diesel::QueryResult;
use diesel::connection::{InstrumentationEvent, TransactionManager};
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection, State};
use diesel::result::DatabaseErrorKind;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tracing::Span;

use crate::text::search::SearchQuery;

/// Each engine's migrations, kept in step (tests/api/schema.rs).
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

type DbPool = Pool<connection::Manager>;

diesel::define_sql_function! {
    /// SQL's `substr()`, on both engines: `length` characters of `text` from
    /// the `start`th, the first being 1. Diesel keeps a statement calling it
    /// prepared, where the same call written as SQL text was prepared anew
    /// on every run.
    fn substr(
        text: diesel::sql_types::Text,
        start: diesel::sql_types::Integer,
        length: diesel::sql_types::Integer,
    ) -> diesel::sql_types::Text;
}

/// Runs `$body` with `$inner` bound to the engine's own connection inside
/// `$conn`, compiled once for each engine. This module reaches what only
/// one engine understands through it; elsewhere it carries a statement
/// written once that the multi-engine connection cannot (an upsert, a
/// many-row insert), so no module outside `db` names an engine.
///
/// It also carries the statements run most often (an article's page, a
/// vote, a view flush, an import's rows). The multi-engine connection
/// writes a statement's whole SQL text out each time it passes one on (to
/// learn whether it may be kept prepared, and again to bind its values),
/// even when the engine finds it prepared by its type and needs no text:
/// on an uncached article read that was a sixth of the server's time,
/// nearly as much as SQLite's own work. Run on the engine's connection,
/// such a statement is found prepared without its text being written.
macro_rules! on_engine {
    ($conn:expr, $inner:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($inner) => $body,
            $crate::db::DbConnection::Postgres($inner) => $body,
        }
    };
}

pub(crate) use on_engine;

/// Calls the function of this name in the module of `$conn`'s engine, with
/// the engine's own connection first.
macro_rules! engine {
    ($conn:expr, $function:ident($($argument:expr),* $(,)?)) => {
        match $conn {
            DbConnection::Sqlite(inner) => sqlite::$function(inner, $($argument),*),
            DbConnection::Postgres(inner) => postgres::$function(inner, $($argument),*),
        }
    };
}

/// Failures of the storage layer, sorted by what the caller can do about them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such row")]
    NotFound,
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    #[error("constraint violated: {0}")]
    ConstraintViolation(String),
    /// No connection or lock within the timeout: the service is overloaded.
    #[error("timed out waiting for a database connection or lock: {0}")]
    Busy(String),
    /// SQLITE_FULL: the disk has no room for the change, which was rolled back.
    #[error("the database's disk is full: {0}")]
    Full(String),
    #[error("database error: {0}")]
    Query(diesel::result::Error),
    #[error("database connection failed: {0}")]
    Connection(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("the blocking task was cancelled or panicked")]
    Blocking,
    /// A grouped write's own work succeeded but the group's commit did not.
    #[error("the commit failed: {0}")]
    Commit(String),
}

impl StoreError {
    /// The same failure again, for each write of a group that shares it.
    fn again(&self) -> StoreError {
        match self {
            StoreError::Busy(message) => StoreError::Busy(message.clone()),
            StoreError::Full(message) => StoreError::Full(message.clone()),
            other => StoreError::Commit(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::Error::{DatabaseError, NotFound};
        match error {
            NotFound => StoreError::NotFound,
            DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::UniqueViolation(info.message().to_owned())
            }
            DatabaseError(
                DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::CheckViolation
                | DatabaseErrorKind::NotNullViolation,
                info,
            ) => StoreError::ConstraintViolation(info.message().to_owned()),
            DatabaseError(kind, info) => sqlite::classify(&kind, info.message())
                .or_else(|| postgres::classify(&kind, info.message()))
                .unwrap_or(StoreError::Query(DatabaseError(kind, info))),
            other => StoreError::Query(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for StoreError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        StoreError::Blocking
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        // r2d2's only error is a checkout that timed out; its message carries
        // the last connection error, if any, for the log.
        StoreError::Busy(error.to_string())
    }
}

/// Where the database lives and how patient it is.
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub url: DatabaseUrl,
    pub read_pool_size: u32,
    pub timeout: Duration,
    /// Whether SQLite reads go through a memory map of the file: yes for
    /// the server; no for a one-off bulk write (an import), whose pages read
    /// once would only swell its resident set.
    pub memory_map: bool,
}

/// How each connection is set up: what its engine is told at connect time.
#[derive(Debug, Clone, Copy)]
struct Tuning {
    /// How long a statement waits for a lock before failing as busy.
    busy_timeout: Duration,
    memory_map: bool,
}

/// What every pooled connection gets: its engine's settings, and the
/// statement counter.
#[derive(Debug)]
struct Pragmas {
    tuning: Tuning,
    statements: Arc<AtomicU64>,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        engine!(conn, configure(&self.tuning)).map_err(diesel::r2d2::Error::QueryError)?;
        let statements = Arc::clone(&self.statements);
        // SQLite's one writer never loses to another.
        let may_lose = matches!(conn, DbConnection::Postgres(_));
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| match event {
            InstrumentationEvent::StartQuery { .. } => {
                statements.fetch_add(1, Ordering::Relaxed);
            }
            InstrumentationEvent::FinishQuery {
                error: Some(diesel::result::Error::DatabaseError(kind, info)),
                ..
            } if may_lose => {
                if let Some(loss) = postgres::loss(kind, info.message()) {
                    LOSS.set(Some(loss));
                }
            }
            _ => {}
        });
        Ok(())
    }
}

/// The database: a read pool and the single writer.
#[derive(Clone)]
pub struct Database {
    readers: DbPool,
    writer: DbPool,
    /// What this process's writes changed: what a response cache compares
    /// to know nothing it shows was written since it kept an answer.
    changes: Arc<Changes>,
    /// Counts the SQL statements run on every connection: what `/metrics`
    /// shows and what tests read to prove a list costs the same few queries
    /// whatever its length.
    statements: Arc<AtomicU64>,
    /// Microseconds spent waiting for a pooled connection, in all.
    waited: Arc<AtomicU64>,
    /// Where grouped writes queue for the thread that commits them.
    groups: Sender<GroupedWork>,
    /// The thread copying a SQLite database's write-ahead log into its
    /// file, for as long as the database is open. (PostgreSQL checkpoints
    /// on its own.)
    _log_keeper: Option<sqlite::LogKeeper>,
}

/// A grouped write: runs in its own savepoint of the group's transaction and
/// answers how to tell its caller once the group's commit is known.
type GroupedWork = Box<dyn FnMut(&mut DbConnection) -> Reply + Send>;
/// Tells a grouped write's caller its outcome, given the group's commit.
type Reply = Box<dyn FnOnce(Result<(), &StoreError>) + Send>;

/// The most writes one transaction commits together.
const GROUP_LIMIT: usize = 256;

/// How many times a write transaction runs before a loss to concurrent
/// ones reaches its caller (as the error its work made of it).
const WRITE_ATTEMPTS: u32 = 10;

/// How a write transaction lost to a concurrent one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    /// A serialization failure or a deadlock: nothing was done, and running
    /// again succeeds.
    Concurrent,
    /// A unique key another transaction took meanwhile, or a duplicate of
    /// the caller's making: running once again tells which (the work's own
    /// checks see the other's row now).
    Duplicate,
}

thread_local! {
    /// How a statement on this thread lost to a concurrent transaction
    /// since this was last cleared, if it did: PostgreSQL's serializable
    /// writes of several nodes meet such losses; SQLite's single writer
    /// never does. Noticed as the statement fails, since by the time a write
    /// returns its own error type may have made something else of it.
    static LOSS: Cell<Option<Loss>> = const { Cell::new(None) };
}

/// Runs `attempt`, a whole write transaction, again while it lost to a
/// concurrent one: up to `WRITE_ATTEMPTS` times in all, a duplicate key
/// once, each after a short wait (2 to 64 ms) that grows and varies, so two
/// nodes that collided do not again.
fn retry_when_lost<T, E>(mut attempt: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let (mut round, mut duplicate_seen) = (1, false);
    loop {
        LOSS.set(None);
        let result = attempt();
        let again = match LOSS.get() {
            _ if result.is_ok() || round == WRITE_ATTEMPTS => false,
            Some(Loss::Concurrent) => true,
            Some(Loss::Duplicate) => !std::mem::replace(&mut duplicate_seen, true),
            None => false,
        };
        if !again {
            return result;
        }
        tracing::debug!(round, "a write lost to a concurrent one: running it again");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        let jitter = u64::from(now.unwrap_or_default().subsec_nanos() % 1000);
        let scale = 1 << round.min(5);
        std::thread::sleep(Duration::from_micros((1000 + jitter) * scale));
        round += 1;
    }
}

/// Pool occupancy and statements run, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct DatabaseUsage {
    pub readers: PoolState,
    pub writer: PoolState,
    pub statements: u64,
    /// Write transactions that committed a change (`Changes::writes`).
    pub writes: u64,
    /// Seconds spent waiting for a pooled connection, in all.
    pub waited_seconds: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct PoolState {
    pub open: u32,
    pub idle: u32,
}

impl From<State> for PoolState {
    fn from(state: State) -> Self {
        Self {
            open: state.connections,
            idle: state.idle_connections,
        }
    }
}

impl Database {
    /// Opens (creating if needed) the database and its pools.
    pub fn open(config: &DbConfig) -> Result<Self, StoreError> {
        let file = config.url.sqlite_file();
        if let Some(dir) = file
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Connection(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        // The writer is built first so WAL mode is set before readers connect.
        let statements = Arc::<AtomicU64>::default();
        let writer = build_pool(config, 1, &statements)?;
        let readers = build_pool(config, config.read_pool_size, &statements)?;
        let log_keeper = file
            .map(|file| sqlite::keep_log_short(file, sqlite::NEWSROOM_PACE))
            .transpose()?;
        let (groups, queue) = std::sync::mpsc::channel();
        let committer = writer.clone();
        std::thread::Builder::new()
            .name("group-commit".into())
            .spawn(move || commit_groups(&committer, &queue))
            .map_err(|e| StoreError::Connection(format!("cannot start the committer: {e}")))?;
        Ok(Self {
            readers,
            writer,
            changes: Arc::new(Changes::default()),
            statements,
            waited: Arc::default(),
            groups,
            _log_keeper: log_keeper,
        })
    }

    /// Runs a read on a pooled connection, off the async executor, in a
    /// read transaction where the engine makes that the cheaper way
    /// (`begin_read`).
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        on_blocking_pool(self.readers.clone(), self.waited.clone(), |conn| {
            let result = match engine!(&mut **conn, begin_read())? {
                ReadIn::OneTransaction => {
                    let result = work(conn);
                    ended_transaction(conn, result)
                }
                ReadIn::OneTransactionEach => work(conn),
            };
            result.map_err(StoreError::from)
        })
        .await
    }

    /// Runs `work` in a write transaction on the single writer, off the
    /// async executor; commits when it returns `Ok`, rolls back otherwise.
    /// A transaction that lost to a concurrent one (on PostgreSQL, another
    /// node's) is rolled back and `work` runs again, so it must do the
    /// same each time it runs.
    /// A transaction that committed a change is recorded in `changes` as
    /// one that may have changed anything; one that changed nothing (a
    /// refused or empty write) leaves cached answers be.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnMut(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.write_touching(Touches::Anything, work).await
    }

    /// Like `write`, for a work that can run only once (an import, which
    /// reads its dump as it goes): a loss to a concurrent transaction is
    /// not run again but fails it whole, as busy, and it may be run anew.
    pub async fn write_once<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let mut once = Some(work);
        self.write(move |conn| match once.take() {
            Some(work) => work(conn),
            None => Err(E::from(StoreError::Busy(
                "another write changed the same rows meanwhile; run it again".into(),
            ))),
        })
        .await
    }

    /// Like `write`, for a write that changes one article (its content, its
    /// comments, its votes) and what lists show of it, and nothing else:
    /// cached answers about other articles stay.
    pub async fn write_touching<T, E, F>(&self, touches: Touches, mut work: F) -> Result<T, E>
    where
        F: FnMut(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        self.write_recording(move |conn| {
            let done = work(conn)?;
            let words = Vec::new();
            Ok((done, Written { touches, words }))
        })
        .await
    }

    /// Like `write_touching`, for a work that says what it changed once it
    /// is done (`Written`).
    pub async fn write_recording<T, E, F>(&self, mut work: F) -> Result<T, E>
    where
        F: FnMut(&mut DbConnection) -> Result<(T, Written), E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let changes = |conn: &mut DbConnection| {
            rows_changed(conn).map_err(|error| E::from(StoreError::from(error)))
        };
        let ((done, written), changed) = self
            .write_quietly(move |conn| -> Result<((T, Written), bool), E> {
                let before = changes(conn)?;
                let done = work(conn)?;
                // Unknown counts as changed: a needless refresh beats a stale answer.
                Ok((done, before.is_none() || changes(conn)? != before))
            })
            .await?;
        // Counted once committed: a rolled-back change changed nothing.
        if changed {
            self.changes.record_words(&written.words);
            self.changes.record(written.touches);
        }
        Ok(done)
    }

    /// A write that changes no answer worth recomputing at once (counters a
    /// response cache may show late, within its age limit): like `write`,
    /// but left out of `writes`.
    pub async fn write_quietly<T, E, F>(&self, mut work: F) -> Result<T, E>
    where
        F: FnMut(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        on_blocking_pool(self.writer.clone(), self.waited.clone(), move |conn| {
            retry_when_lost(|| write_transaction(conn, |conn| work(conn).map_err(TxError::Work)))
                .map_err(|error| match error {
                    TxError::Work(error) => error,
                    TxError::Database(error) => E::from(StoreError::from(error)),
                })
        })
        .await
    }

    /// Like `write`, for small frequent writes (votes): `work` runs in a
    /// savepoint of one transaction shared with the grouped writes that
    /// arrived meanwhile, and its caller hears back once that transaction
    /// has committed. One commit for many keeps each write durable when
    /// answered and spares the writer a transaction per vote. A work that
    /// fails is rolled back alone. What it changed is `touches`.
    pub async fn write_grouped<T, E, F>(&self, touches: Touches, mut work: F) -> Result<T, E>
    where
        F: FnMut(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (reply, outcome) = tokio::sync::oneshot::channel();
        // Taken by the reply of the attempt whose group committed or failed
        // for good; the replies of attempts run again are dropped unsent.
        let reply = Arc::new(std::sync::Mutex::new(Some(reply)));
        let grouped: GroupedWork = Box::new(move |conn| {
            let reply = Arc::clone(&reply);
            let before = rows_changed(conn);
            let done = conn.transaction(|conn| work(conn).map_err(TxError::Work));
            // Unknown counts as changed: a needless refresh beats a stale answer.
            let changed = match (before, rows_changed(conn)) {
                (Ok(Some(before)), Ok(Some(after))) => before != after,
                _ => true,
            };
            Box::new(move |commit: Result<(), &StoreError>| {
                let result = match (done, commit) {
                    (Ok(value), Ok(())) => Ok((value, changed)),
                    (Ok(_), Err(error)) => Err(E::from(error.again())),
                    (Err(TxError::Work(error)), _) => Err(error),
                    (Err(TxError::Database(error)), _) => Err(E::from(StoreError::from(error))),
                };
                let sender = reply.lock().ok().and_then(|mut slot| slot.take());
                // The caller may have gone (a closed connection): nothing to tell.
                if let Some(sender) = sender {
                    let _ = sender.send(result);
                }
            })
        });
        self.groups
            .send(grouped)
            .map_err(|_| E::from(StoreError::Blocking))?;
        // A dropped reply is a group that could not begin (its cause is logged).
        let (value, changed) = outcome
            .await
            .map_err(|_| E::from(StoreError::Busy("the write was not committed".into())))??;
        if changed {
            self.changes.record(touches);
        }
        Ok(value)
    }

    /// What this process's writes have changed so far.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    /// Applies pending migrations; answers whether the database was new
    /// (had none applied before).
    pub async fn migrate(&self) -> Result<bool, StoreError> {
        on_blocking_pool(
            self.writer.clone(),
            self.waited.clone(),
            |conn| match &mut **conn {
                DbConnection::Sqlite(inner) => apply_migrations(inner, SQLITE_MIGRATIONS),
                DbConnection::Postgres(inner) => apply_migrations(inner, POSTGRES_MIGRATIONS),
            },
        )
        .await
    }

    /// Brings the statistics the engine plans queries with up to date with
    /// the data. Stale statistics mislead the planner: measured when the
    /// tables were empty, they made it walk a whole index for a lookup by
    /// slug. Run at start, after an import, and periodically
    /// (`Application::run_until_stopped`).
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        self.write_quietly(|conn| engine!(conn, refresh_statistics()).map_err(StoreError::from))
            .await
    }

    /// Puts the full-text index in the shape later writes keep cheaply,
    /// after a bulk load, in a transaction of its own (see each engine's
    /// `merge_search_index`).
    pub async fn merge_search_index(&self) -> Result<(), StoreError> {
        self.write_quietly(|conn| engine!(conn, merge_search_index()).map_err(StoreError::from))
            .await
    }

    /// Hands what a bulk write left in the engine's log over to the
    /// database proper, so the next start does not wait for it.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        on_blocking_pool(self.writer.clone(), self.waited.clone(), |conn| {
            engine!(&mut **conn, checkpoint()).map_err(StoreError::from)
        })
        .await
    }

    /// Whether a query goes through, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        use diesel::connection::SimpleConnection;
        self.read(|conn| conn.batch_execute("SELECT 1")).await
    }

    /// Writes a consistent copy of the live database to `target` (which must
    /// not exist), without stopping readers or writers. On a read
    /// connection, outside a read transaction: SQLite's `VACUUM INTO` may
    /// not run in one.
    pub async fn backup(&self, target: &Path) -> Result<(), StoreError> {
        let target = target.to_owned();
        on_blocking_pool(self.readers.clone(), self.waited.clone(), move |conn| {
            match &mut **conn {
                DbConnection::Sqlite(inner) => sqlite::copy_into(inner, &target),
                // The CLI says what to use instead (pg_dump) before it gets here.
                DbConnection::Postgres(_) => Err(diesel::result::Error::QueryBuilderError(
                    "PostgreSQL databases are backed up with pg_dump".into(),
                )),
            }
            .map_err(StoreError::from)
        })
        .await
    }

    /// The secret kept in a PostgreSQL database under `name`, storing
    /// `fresh` if there is none yet, so every node shares one. (A SQLite
    /// node keeps its secrets in files beside the database.)
    pub async fn shared_secret(
        &self,
        name: &'static str,
        fresh: String,
    ) -> Result<String, StoreError> {
        self.on_postgres(move |conn| postgres::kept_secret(conn, name, &fresh))
            .await
    }

    /// Runs `work` on PostgreSQL's own connection: what several nodes share
    /// (rate limits, the login throttle, secrets). A SQLite node keeps those
    /// itself. On a read connection: each statement is atomic on its own,
    /// and `work` opens a transaction where it needs one, so a rate limit
    /// checked before every vote does not queue behind the node's writes
    /// (its one writer is SQLite's rule, not PostgreSQL's).
    async fn on_postgres<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut diesel::PgConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.read(move |conn| match conn {
            DbConnection::Postgres(inner) => work(inner),
            DbConnection::Sqlite(_) => Err(diesel::result::Error::QueryBuilderError(
                "kept in PostgreSQL only; a SQLite node keeps its own".into(),
            )),
        })
        .await
    }

    /// One more turn of a limited action under `key`, shared by every node:
    /// each turn takes `interval`, and no more than `window` of turns may
    /// be taken ahead. Answers how long to wait when none is left.
    pub async fn take_turn(
        &self,
        key: String,
        interval: Duration,
        window: Duration,
    ) -> Result<Result<(), Duration>, StoreError> {
        let now = crate::support::timestamps::now();
        self.on_postgres(move |conn| postgres::take_turn(conn, &key, now, interval, window))
            .await
    }

    /// Forgets the limited keys whose turns are all back.
    pub async fn forget_spent_turns(&self) -> Result<(), StoreError> {
        let now = crate::support::timestamps::now();
        self.on_postgres(move |conn| postgres::forget_spent_turns(conn, now))
            .await
    }

    /// Counts a login attempt against every key, shared by every node, or
    /// answers how long to wait when one of them is locked (and counts
    /// nothing). A key is `(key, attempts that lock it within window,
    /// window, lockout)`.
    pub async fn count_login_attempt(
        &self,
        keys: Vec<(String, u32, Duration, Duration)>,
    ) -> Result<Result<(), Duration>, StoreError> {
        let now = crate::support::timestamps::now();
        self.on_postgres(move |conn| {
            conn.transaction(|conn| {
                let mut names: Vec<String> = keys.iter().map(|(key, ..)| key.clone()).collect();
                // Attempts on one key, on any node, are counted one at a time:
                // parallel guesses cannot all pass the check before the count.
                names.sort();
                for name in &names {
                    postgres::hold_key(conn, name)?;
                }
                if let Some(until) = postgres::login_locked_until(conn, &names, now)? {
                    return Ok(Err((until - now).to_std().unwrap_or_default()));
                }
                for (key, limit, window, lockout) in &keys {
                    postgres::count_login_attempt(conn, key, now, *limit, *window, *lockout)?;
                }
                Ok(Ok(()))
            })
        })
        .await
    }

    /// After a login that succeeded: each key's attempts cleared (`true`)
    /// or one taken back.
    pub async fn forget_login_attempts(&self, keys: Vec<(String, bool)>) -> Result<(), StoreError> {
        self.on_postgres(move |conn| {
            conn.transaction(|conn| {
                keys.iter()
                    .try_for_each(|(key, clear)| postgres::forget_login_attempt(conn, key, *clear))
            })
        })
        .await
    }

    pub fn usage(&self) -> DatabaseUsage {
        DatabaseUsage {
            readers: self.readers.state().into(),
            writer: self.writer.state().into(),
            statements: self.statements.load(Ordering::Relaxed),
            writes: self.changes.writes(),
            waited_seconds: self.waited.load(Ordering::Relaxed) as f64 / 1e6,
        }
    }
}

fn build_pool(
    config: &DbConfig,
    size: u32,
    statements: &Arc<AtomicU64>,
) -> Result<DbPool, StoreError> {
    Pool::builder()
        .max_size(size)
        .connection_timeout(config.timeout)
        .connection_customizer(Box::new(Pragmas {
            tuning: Tuning {
                busy_timeout: config.timeout,
                memory_map: config.memory_map,
            },
            statements: Arc::clone(statements),
        }))
        .build(connection::Manager(config.url.clone()))
        .map_err(|e| StoreError::Connection(e.to_string()))
}

/// How many rows a page of `limit` reads: one more than it shows, the extra
/// one telling that another page follows (`http::Page::from_rows` drops it).
pub fn rows_for_page(limit: u32) -> i64 {
    i64::from(limit) + 1
}

/// Runs `load`, which adds many articles in the caller's transaction, with
/// their full-text indexing done once at the end instead of an article a
/// statement. FTS5 writes its pending terms out at every statement of a
/// transaction once it has been written to, so each article became a tiny
/// segment that later ones kept merging: most of an import's time.
pub fn load_articles_in_bulk<T, E>(
    conn: &mut DbConnection,
    load: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    let store = |error: diesel::result::Error| E::from(StoreError::from(error));
    // PostgreSQL's index is a generated column: it keeps itself as rows come.
    let suspended = match &mut *conn {
        DbConnection::Sqlite(inner) => Some(sqlite::suspend_indexing(inner).map_err(store)?),
        DbConnection::Postgres(_) => None,
    };
    let loaded = load(conn)?;
    if let (Some(suspended), DbConnection::Sqlite(inner)) = (suspended, conn) {
        sqlite::index_loaded(inner, suspended).map_err(store)?;
    }
    Ok(loaded)
}

/// The columns a row type selects, for a `RETURNING` clause: what
/// `as_returning()` gives, in a form every engine's statement accepts (the
/// derive's `SelectBy` is written for one backend at a time).
pub fn selection<T: diesel::Selectable<Backend>>() -> T::SelectExpression {
    T::construct_selection()
}

/// Applies the pending migrations of one engine's folder; answers whether
/// the database was new (had none applied before).
fn apply_migrations<C, DB>(conn: &mut C, migrations: EmbeddedMigrations) -> Result<bool, StoreError>
where
    C: MigrationHarness<DB>,
    DB: diesel::backend::Backend,
{
    let migration_error =
        |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
    let was_new = conn
        .applied_migrations()
        .map_err(migration_error)?
        .is_empty();
    let applied = conn
        .run_pending_migrations(migrations)
        .map_err(migration_error)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    Ok(was_new)
}

/// A mark of the writes made so far, unchanged across a write that changed
/// nothing; `None` when it cannot be told, which counts as changed. SQLite
/// counts the rows its statements changed; PostgreSQL only tells whether the
/// transaction has written yet (counting rows costs milliseconds there), so
/// after a first write in a transaction (grouped writes share one) it
/// cannot tell more.
fn rows_changed(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    match conn {
        DbConnection::Sqlite(inner) => sqlite::rows_changed(inner).map(Some),
        DbConnection::Postgres(inner) => {
            postgres::has_written(inner).map(|written| (!written).then_some(0))
        }
    }
}

/// Runs `work` in a write transaction, the engine's kind: committed when it
/// returns `Ok`, rolled back otherwise.
fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    engine!(&mut *conn, begin_write())?;
    let result = work(&mut *conn);
    ended_transaction(conn, result)
}

/// The open transaction's `result`: committed when it is `Ok`, rolled back
/// otherwise.
fn ended_transaction<T, E>(conn: &mut DbConnection, result: Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match result {
        Ok(value) => {
            DbConnection::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match DbConnection::rollback_transaction(conn) {
            // A broken transaction manager: the work's error says more.
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// How an engine best runs a read of several statements (`begin_read`).
pub(crate) enum ReadIn {
    /// One transaction, opened: the statements see one snapshot.
    OneTransaction,
    /// Each statement its own.
    OneTransactionEach,
}

/// Says the write transaction just begun only adds to counters (views,
/// downloads). Additions commute, so it need not be serializable: two nodes
/// flushing their counts at once then wait for each other's rows instead of
/// failing each other. Call it first in the work.
pub fn only_adds_to_counters(conn: &mut DbConnection) -> QueryResult<()> {
    engine!(conn, only_adds_to_counters())
}

/// What a committed write changed, as its work says once it is done
/// (`Database::write_recording`).
pub struct Written {
    pub touches: Touches,
    /// The words of the texts searches match that it changed, as they were
    /// and as they are (`Changes::record_words`).
    pub words: Vec<String>,
}

/// What a committed write may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touches {
    /// Anything: every cached answer may be stale.
    Anything,
    /// One article (its state, time, category, tags or citations: which
    /// lists hold it) and what lists, searches and feeds show of it.
    Article(i32),
    /// One article's byline, cover, slug or comments, or its texts where
    /// they cite what they cited, not which lists hold it: its answers and
    /// every list showing it are stale, lists' totals are not (searches
    /// matching the words written are, `Changes::record_words`).
    ArticleContent(i32),
    /// One article's figures (its votes): its own answers are stale at
    /// once; lists, searches and feeds show them within the response
    /// cache's age limit, as they show views.
    ArticleFigures(i32),
    /// Nothing a cached answer shows (a comment waiting for moderation):
    /// public answers show approved comments only.
    NothingShown,
}

/// The generations of `Changes` a write moves: the one place that says
/// what each kind of write may change, read by `Changes::record` and by the
/// questions about writes already recorded (`Touches::may_change_article`).
struct Moves {
    /// Whatever any answer shows.
    anything: bool,
    /// Which articles lists hold.
    listed: bool,
    /// What lists show of `article` (not its figures).
    content: bool,
    /// The article written to, if one.
    article: Option<i32>,
}

impl Touches {
    fn moves(self) -> Moves {
        let (anything, listed, content, article) = match self {
            Touches::NothingShown => (false, false, false, None),
            Touches::Anything => (true, true, true, None),
            Touches::Article(id) => (false, true, true, Some(id)),
            Touches::ArticleContent(id) => (false, false, true, Some(id)),
            Touches::ArticleFigures(id) => (false, false, false, Some(id)),
        };
        Moves {
            anything,
            listed,
            content,
            article,
        }
    }

    /// Whether it may have changed what an answer about article `id` shows
    /// (what `Changes::of_article` stamps it with).
    pub fn may_change_article(self, id: i32) -> bool {
        let moves = self.moves();
        moves.anything || moves.article == Some(id)
    }

    /// Whether it may have changed a list showing `ids`: which articles it
    /// holds, or what it shows of one of them (what `Changes::listed` and
    /// `Changes::listed_content_of` stamp it with; figures show within the
    /// answers' life).
    pub fn may_change_list_of(self, ids: &[i32]) -> bool {
        let moves = self.moves();
        moves.listed || (moves.content && moves.article.is_some_and(|of| ids.contains(&of)))
    }

    /// Kept in one word with `seq`, its place among the writes recorded:
    /// the word says which write it holds, so one overwritten by a later
    /// write, or not yet written, is told apart.
    fn packed(self, seq: u64) -> u64 {
        let (kind, id) = match self {
            Touches::NothingShown => (0, 0),
            Touches::Anything => (1, 0),
            Touches::Article(id) => (2, id),
            Touches::ArticleContent(id) => (3, id),
            Touches::ArticleFigures(id) => (4, id),
        };
        (seq & SEQ_TAG) << 35 | kind << 32 | u64::from(id.cast_unsigned())
    }

    /// What `packed` kept for write `seq`, if it still holds that write.
    fn unpacked(word: u64, seq: u64) -> Option<Self> {
        if word >> 35 != seq & SEQ_TAG {
            return None;
        }
        let id = (word as u32).cast_signed();
        match (word >> 32) & 0b111 {
            1 => Some(Touches::Anything),
            2 => Some(Touches::Article(id)),
            3 => Some(Touches::ArticleContent(id)),
            4 => Some(Touches::ArticleFigures(id)),
            _ => None,
        }
    }
}

/// How many of the latest writes `Changes` keeps what they touched.
const RECENT_WRITES: u64 = 64;
/// The bits of a write's place kept beside what it touched (29: a slot is
/// taken for another write long before they repeat).
const SEQ_TAG: u64 = (1 << 29) - 1;

/// Generations of what writes changed, each moved by one at a change: a
/// cached answer keeps the ones it depends on and is stale once they move.
/// Articles share a fixed number of counters (by id), so memory stays
/// bounded; two articles on one counter only cost each other a refresh.
pub struct Changes {
    /// Every write that changed what lists show (they show any article).
    writes: AtomicU64,
    /// Every write that may have changed which articles a list holds.
    listed: AtomicU64,
    /// Every write that changed anything shown, figures included: what an
    /// answer being made checks to know that nothing was written meanwhile.
    shown: AtomicU64,
    /// Writes that may have changed anything.
    anything: AtomicU64,
    /// Writes to an article, its figures included: what its own answers show.
    articles: Box<[AtomicU64]>,
    /// Writes to what lists show of an article (not its figures).
    listed_content: Box<[AtomicU64]>,
    /// What each of the latest writes touched, by its place in `shown`'s
    /// count: an answer made while others wrote is kept when none of them
    /// touched what it shows.
    recent: Box<[AtomicU64]>,
    /// Writes to a word of a text searches match, by the word
    /// (`record_words`): a search is stale with those to its words only.
    words: Box<[AtomicU64]>,
    /// The same by the first `SearchQuery::MIN_PREFIX_CHARS` characters of
    /// the word: a search's last term matches the words it begins.
    beginnings: Box<[AtomicU64]>,
}

/// The counters of `Changes::words` and `Changes::beginnings` a search
/// depends on (`SearchedWords::of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchedWords {
    words: Box<[u16]>,
    beginning: Option<u16>,
}

impl SearchedWords {
    /// What a search for `query` depends on beside what lists do.
    pub fn of(query: &SearchQuery) -> Self {
        let (whole, beginning) = query.words_matched();
        Self {
            words: whole.iter().map(|word| word_counter(word)).collect(),
            beginning: beginning.and_then(beginning_counter),
        }
    }

    /// The bytes it holds, for a store counting its room.
    pub fn held(&self) -> usize {
        std::mem::size_of_val(&*self.words)
    }
}

/// A word's counter among `COUNTERS`: words share them, so memory stays
/// bounded; two words on one counter only cost each other a refresh.
fn word_counter(word: &str) -> u16 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(word);
    (hash % COUNTERS as u64) as u16
}

/// The counter of the words `word` begins, when it is long enough to be
/// a last term matched as a prefix.
fn beginning_counter(word: &str) -> Option<u16> {
    let mut ends = word.char_indices().map(|(at, c)| at + c.len_utf8());
    let end = ends.nth(SearchQuery::MIN_PREFIX_CHARS - 1)?;
    Some(word_counter(&word[..end]))
}

/// How many counters articles, and words, share (half a MiB each kind).
/// With 4,096, at 100,000 articles a search showing 20 went stale with the
/// edits to about 500 others, and a newsroom's edits left few kept.
const COUNTERS: usize = 1 << u16::BITS;

fn counters() -> Box<[AtomicU64]> {
    (0..COUNTERS).map(|_| AtomicU64::default()).collect()
}

impl Default for Changes {
    fn default() -> Self {
        Self {
            writes: AtomicU64::default(),
            listed: AtomicU64::default(),
            shown: AtomicU64::default(),
            anything: AtomicU64::default(),
            articles: counters(),
            listed_content: counters(),
            recent: (0..RECENT_WRITES).map(|_| AtomicU64::default()).collect(),
            words: counters(),
            beginnings: counters(),
        }
    }
}

impl Changes {
    /// Moves what `touches` changed: the generations every such write moves
    /// first, one article's last. An answer being made reads its articles'
    /// generations before it checks that nothing was written meanwhile, so
    /// it never takes an article's new generation without seeing the write.
    pub(crate) fn record(&self, touches: Touches) {
        if touches == Touches::NothingShown {
            return;
        }
        let bump = |counter: &AtomicU64| counter.fetch_add(1, Ordering::AcqRel);
        let Moves {
            anything,
            listed,
            content,
            article,
        } = touches.moves();
        let seq = bump(&self.shown);
        self.recent[(seq % RECENT_WRITES) as usize].store(touches.packed(seq), Ordering::Release);
        if anything {
            bump(&self.anything);
        }
        if listed {
            bump(&self.listed);
        }
        if content {
            bump(&self.writes);
        }
        if let Some(id) = article {
            if content {
                bump(counter_of(&self.listed_content, id));
            }
            bump(counter_of(&self.articles, id));
        }
    }

    /// Moves the counters of `words` (a text's before and after a write,
    /// as `text::search::indexed_words` folds them): the searches matching
    /// one of them are stale. Recorded after the write committed, like
    /// `record`.
    pub(crate) fn record_words(&self, words: &[String]) {
        let mut moved: Vec<(bool, u16)> = words
            .iter()
            .flat_map(|word| {
                let beginning = beginning_counter(word).map(|counter| (true, counter));
                std::iter::once((false, word_counter(word))).chain(beginning)
            })
            .collect();
        moved.sort_unstable();
        moved.dedup();
        for (beginning, counter) in moved {
            let counters = if beginning {
                &self.beginnings
            } else {
                &self.words
            };
            counters[usize::from(counter)].fetch_add(1, Ordering::AcqRel);
        }
    }

    /// The writes to the words of a search (`SearchedWords::of`): a sum, which
    /// moves whenever one of their counters does (each only grows).
    pub fn written_to(&self, searched: &SearchedWords) -> u64 {
        let load = |counters: &[AtomicU64], counter: u16| {
            counters[usize::from(counter)].load(Ordering::Acquire)
        };
        searched
            .words
            .iter()
            .map(|&counter| load(&self.words, counter))
            .chain(
                searched
                    .beginning
                    .map(|counter| load(&self.beginnings, counter)),
            )
            .fold(0, u64::wrapping_add)
    }

    /// How many writes changed what lists show.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// How many writes may have changed which articles a list holds: what
    /// a kept list total is stale without.
    pub fn listed(&self) -> u64 {
        self.listed.load(Ordering::Acquire)
    }

    /// How many writes changed anything an answer shows, figures included.
    pub fn shown(&self) -> u64 {
        self.shown.load(Ordering::Acquire)
    }

    /// Whether a write recorded since `shown()` counted `since` may have
    /// touched what `touched` asks about. Writes whose record has been
    /// overwritten, or is not yet complete, count as touching it.
    pub fn written_since(&self, since: u64, touched: impl Fn(Touches) -> bool) -> bool {
        let now = self.shown();
        if now.wrapping_sub(since) > RECENT_WRITES {
            return true;
        }
        (since..now).any(|seq| {
            let word = self.recent[(seq % RECENT_WRITES) as usize].load(Ordering::Acquire);
            Touches::unpacked(word, seq).is_none_or(&touched)
        })
    }

    /// What an answer about article `id` alone depends on: writes that may
    /// have changed anything, and those that changed this article.
    pub fn of_article(&self, id: i32) -> (u64, u64) {
        (
            self.anything.load(Ordering::Acquire),
            counter_of(&self.articles, id).load(Ordering::Acquire),
        )
    }

    /// What a list showing `ids` depends on beside `listed`: the writes to
    /// what it shows of each. A sum, which moves whenever one of them does
    /// (each only grows).
    pub fn listed_content_of(&self, ids: &[i32]) -> u64 {
        ids.iter()
            .map(|id| counter_of(&self.listed_content, *id).load(Ordering::Acquire))
            .fold(0, u64::wrapping_add)
    }
}

/// Article `id`'s counter of `counters`.
fn counter_of(counters: &[AtomicU64], id: i32) -> &AtomicU64 {
    &counters[id.unsigned_abs() as usize % COUNTERS]
}

/// The error of a transaction: the work's own, or the database's on BEGIN/COMMIT.
enum TxError<E> {
    Work(E),
    Database(diesel::result::Error),
}

impl<E> From<diesel::result::Error> for TxError<E> {
    fn from(error: diesel::result::Error) -> Self {
        TxError::Database(error)
    }
}

/// The committer: takes the grouped writes waiting, runs each in its
/// savepoint of one transaction, commits, and tells each caller. Ends when
/// every handle of the database is gone.
fn commit_groups(writer: &DbPool, queue: &Receiver<GroupedWork>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        group.extend(queue.try_iter().take(GROUP_LIMIT - 1));
        let mut replies: Vec<Reply> = Vec::with_capacity(group.len());
        let committed = retry_when_lost(|| {
            replies.clear();
            let mut conn = writer.get()?;
            write_transaction(&mut conn, |conn| run_group(conn, &mut group, &mut replies)).map_err(
                |error| match LOSS.get() {
                    // Still losing after every attempt: contended, not broken.
                    Some(Loss::Concurrent) => StoreError::Busy(format!(
                        "the group lost to concurrent writes {WRITE_ATTEMPTS} times"
                    )),
                    _ => StoreError::from(error),
                },
            )
        });
        if let Err(error) = &committed {
            tracing::warn!(%error, writes = replies.len(), "a group of writes was not committed");
        }
        for reply in replies {
            reply(committed.as_ref().map(drop));
        }
    }
}

/// Runs each work of a group. A panic (a bug) must not end the committer:
/// it fails the whole group instead. Its savepoint stays open, so the
/// connection goes back to the pool still inside the group's transaction;
/// diesel counts such a connection broken and r2d2 closes it, which rolls
/// the transaction back. A work that lost to a concurrent transaction
/// fails the group too, which then runs again whole.
fn run_group(
    conn: &mut DbConnection,
    group: &mut [GroupedWork],
    replies: &mut Vec<Reply>,
) -> QueryResult<()> {
    for work in group {
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(conn)));
        match ran {
            Ok(_) if LOSS.get() == Some(Loss::Concurrent) => {
                return Err(diesel::result::Error::RollbackTransaction);
            }
            Ok(reply) => replies.push(reply),
            Err(_) => {
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
    }
    Ok(())
}

/// Checks a connection out of `pool` (adding the wait to `waited`) and runs
/// `work` with it on the blocking thread pool, inside the caller's tracing
/// span.
async fn on_blocking_pool<T, E, F>(pool: DbPool, waited: Arc<AtomicU64>, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PooledConnection<connection::Manager>) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let span = Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let asked = std::time::Instant::now();
        let mut conn = pool.get().map_err(StoreError::from)?;
        let micros = u64::try_from(asked.elapsed().as_micros()).unwrap_or(u64::MAX);
        waited.fetch_add(micros, Ordering::Relaxed);
        work(&mut conn)
    })
    .await
    .map_err(|e| E::from(StoreError::from(e)))?
}
