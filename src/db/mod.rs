//! Storage: SQLite through diesel, pooled by r2d2.
//!
//! Readers share a pool; writers go through a pool of exactly one connection,
//! so writes queue in process instead of failing with "database is locked",
//! and each write runs in a `BEGIN IMMEDIATE` transaction, so a write never
//! has to upgrade a read lock (the other source of SQLITE_BUSY). Every call
//! runs on actix's blocking thread pool, never on the async executor.
//!
//! Everything SQLite-specific stays in the storage layer: pragmas and
//! `VACUUM INTO` here, full-text search (FTS5) in `articles::queries`.

pub mod schema;
mod text_enum;

pub use text_enum::UnknownVariant;
#[cfg(test)]
pub use text_enum::assert_json_matches_storage;
pub(crate) use text_enum::text_enum;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection, State};
use diesel::result::DatabaseErrorKind;
use diesel::sql_types::Text;
use diesel::{QueryResult, RunQueryDsl, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tracing::Span;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

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
    #[error("database error: {0}")]
    Query(diesel::result::Error),
    #[error("database connection failed: {0}")]
    Connection(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("the blocking task was cancelled or panicked")]
    Blocking,
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
            // SQLITE_BUSY after the busy timeout (another process held the
            // lock): diesel only gives us SQLite's message to tell it by.
            DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("is locked") =>
            {
                StoreError::Busy(info.message().to_owned())
            }
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
    pub path: PathBuf,
    pub read_pool_size: u32,
    pub timeout: Duration,
}

/// The pragmas every pooled connection gets. Each connection keeps 2 MiB of
/// pages (the operating system caches the file for all of them): nine
/// connections stay within the service's memory budget.
#[derive(Debug)]
struct Pragmas {
    busy_timeout: Duration,
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {};
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -2048;",
            self.busy_timeout.as_millis()
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The database: a read pool and the single writer.
#[derive(Clone)]
pub struct Database {
    readers: SqlitePool,
    writer: SqlitePool,
    /// Counts this process's write transactions: what a response cache
    /// compares to know nothing was written since it kept an answer.
    writes: Arc<AtomicU64>,
}

/// Pool occupancy, for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct PoolUsage {
    pub readers: PoolState,
    pub writer: PoolState,
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
    /// Opens (creating if needed) the database file and its pools.
    pub fn open(config: &DbConfig) -> Result<Self, StoreError> {
        if let Some(dir) = config.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Connection(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        // The writer is built first so WAL mode is set before readers connect.
        let writer = build_pool(config, 1)?;
        let readers = build_pool(config, config.read_pool_size)?;
        Ok(Self {
            readers,
            writer,
            writes: Arc::default(),
        })
    }

    /// Runs a read on a pooled connection, off the async executor.
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut SqliteConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        on_blocking_pool(self.readers.clone(), |conn| {
            work(conn).map_err(StoreError::from)
        })
        .await
    }

    /// Runs `work` in an immediate transaction on the single writer, off the
    /// async executor; commits when it returns `Ok`, rolls back otherwise.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let done = self.write_quietly(work).await;
        self.writes.fetch_add(1, Ordering::Release);
        done
    }

    /// A write that changes no answer worth recomputing at once (counters a
    /// response cache may show late, within its age limit): like `write`,
    /// but left out of `writes`.
    pub async fn write_quietly<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut SqliteConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        on_blocking_pool(self.writer.clone(), |conn| {
            conn.immediate_transaction(|conn| work(conn).map_err(TxError::Work))
                .map_err(|error| match error {
                    TxError::Work(error) => error,
                    TxError::Database(error) => E::from(StoreError::from(error)),
                })
        })
        .await
    }

    /// How many write transactions this process has finished.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Applies pending migrations; answers whether the database was new
    /// (had none applied before).
    pub async fn migrate(&self) -> Result<bool, StoreError> {
        on_blocking_pool(self.writer.clone(), |conn| {
            let migration_error =
                |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
            let was_new = conn
                .applied_migrations()
                .map_err(migration_error)?
                .is_empty();
            let applied = conn
                .run_pending_migrations(MIGRATIONS)
                .map_err(migration_error)?;
            if !applied.is_empty() {
                tracing::info!(count = applied.len(), "applied migrations");
            }
            Ok::<_, StoreError>(was_new)
        })
        .await
    }

    /// Whether a query goes through, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| conn.batch_execute("SELECT 1")).await
    }

    /// Writes a consistent copy of the live database to `target` (which must
    /// not exist), without stopping readers or writers.
    pub async fn backup(&self, target: &Path) -> Result<(), StoreError> {
        let target = target.to_string_lossy().into_owned();
        // `VACUUM INTO` reads one snapshot in a read transaction: WAL writers
        // go on, and the copy is compacted and self-contained.
        self.read(move |conn| {
            diesel::sql_query("VACUUM INTO ?")
                .bind::<Text, _>(target)
                .execute(conn)
                .map(drop)
        })
        .await
    }

    /// Runs SQLite's `PRAGMA integrity_check` on the database file at
    /// `path`, opened on its own; answers what it found wrong, if anything.
    pub fn integrity_problems(path: &Path) -> Result<Option<String>, StoreError> {
        use diesel::Connection;
        #[derive(diesel::QueryableByName)]
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

    pub fn usage(&self) -> PoolUsage {
        PoolUsage {
            readers: self.readers.state().into(),
            writer: self.writer.state().into(),
        }
    }
}

fn build_pool(config: &DbConfig, size: u32) -> Result<SqlitePool, StoreError> {
    let url = config.path.to_string_lossy().into_owned();
    Pool::builder()
        .max_size(size)
        .connection_timeout(config.timeout)
        .connection_customizer(Box::new(Pragmas {
            busy_timeout: config.timeout,
        }))
        .build(ConnectionManager::new(url))
        .map_err(|e| StoreError::Connection(e.to_string()))
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

/// Checks a connection out of `pool` and runs `work` with it on the blocking
/// thread pool, inside the caller's tracing span.
async fn on_blocking_pool<T, E, F>(pool: SqlitePool, work: F) -> Result<T, E>
where
    F: FnOnce(&mut PooledConnection<ConnectionManager<SqliteConnection>>) -> Result<T, E>
        + Send
        + 'static,
    T: Send + 'static,
    E: From<StoreError> + Send + 'static,
{
    let span = Span::current();
    actix_web::web::block(move || {
        let _entered = span.enter();
        let mut conn = pool.get().map_err(StoreError::from)?;
        work(&mut conn)
    })
    .await
    .map_err(|e| E::from(StoreError::from(e)))?
}
