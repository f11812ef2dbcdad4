//! The project's connection type: the one every module outside `db` names.
//!
//! An enum over the engines the service runs on, made by diesel's
//! `MultiConnection` derive: queries written with diesel's DSL run on any
//! of them, and what only one engine understands is reached through the
//! functions of `db`, which match on the variant. Kept in a module of its
//! own because the derive's generated code imports its surroundings.

use std::fmt;
use std::path::{Path, PathBuf};

use diesel::r2d2::{ManageConnection, R2D2Connection};
use diesel::{Connection, ConnectionError, PgConnection, SqliteConnection};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The backend of [`DbConnection`]: what boxed queries and row types name.
pub type Backend = MultiBackend;

/// Where the database is, and so which engine keeps it: a file path (or a
/// `sqlite://` URL) for SQLite, a `postgres://` or `postgresql://` URL for
/// PostgreSQL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// Reads `BULLETIN_DATABASE_URL`'s forms. An in-memory SQLite database
    /// is refused: it would lose everything at exit.
    pub fn parse(value: &str) -> Result<Self, String> {
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Ok(Self::Postgres(value.to_owned()));
        }
        let path = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
            .unwrap_or(value);
        if path.is_empty() || path == ":memory:" {
            return Err(format!(
                "`{value}` is not a file path or a postgres:// URL (an in-memory database would lose everything at exit)"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// What `BULLETIN_DATABASE_URL` says to name this database, password
    /// included.
    pub fn to_setting(&self) -> String {
        match self {
            Self::Sqlite(path) => path.to_string_lossy().into_owned(),
            Self::Postgres(url) => url.clone(),
        }
    }

    /// Whether one server is all that writes to it, so the writes that
    /// server records (`Changes`) are all of them: a SQLite file is one
    /// node's, a PostgreSQL database may have several. (The command line's
    /// writes to a served SQLite file show as another node's would.)
    pub fn is_single_node(&self) -> bool {
        self.sqlite_file().is_some()
    }

    /// The SQLite file, if the database is one.
    pub fn sqlite_file(&self) -> Option<&Path> {
        match self {
            Self::Sqlite(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self {
            Self::Sqlite(_) => {
                super::sqlite::establish(&self.to_setting()).map(DbConnection::Sqlite)
            }
            Self::Postgres(url) => PgConnection::establish(url).map(DbConnection::Postgres),
        }
    }
}

/// Shown without a PostgreSQL URL's password.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "{}", path.display()),
            Self::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("***"));
                    write!(f, "{parsed}")
                }
                _ => f.write_str(url),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// Opens pooled connections to the engine the URL names. diesel's own
/// manager tries each variant in turn, and SQLite takes any string as a
/// file name: a mistyped PostgreSQL URL would become a file.
pub(super) struct Manager(pub(super) DatabaseUrl);

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.0
            .connect()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    /// Asked at every checkout: a PostgreSQL connection is pinged, as the
    /// server or the network between may have dropped it. An open SQLite
    /// file stays open, and the ping's `SELECT 1` told nothing for one
    /// statement in seven of a mixed newsroom minute's.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        match conn {
            DbConnection::Sqlite(_) => Ok(()),
            DbConnection::Postgres(_) => conn.ping().map_err(diesel::r2d2::Error::QueryError),
        }
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use diesel::connection::SimpleConnection;
    use diesel::sql_types::{BigInt, Integer};
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    use super::DatabaseUrl;
    use crate::db::{Database, DbConfig, StoreError};

    fn sqlite_database(path: &Path) -> Database {
        Database::open(&DbConfig {
            url: DatabaseUrl::Sqlite(path.to_owned()),
            read_pool_size: 1,
            timeout: Duration::from_secs(5),
            memory_map: false,
        })
        .unwrap()
    }

    /// A table `t` of one row, written through the database's writer.
    async fn table_of_one_row(db: &Database) {
        db.write(|conn| {
            conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
    }

    fn rows_of_t(conn: &mut super::DbConnection) -> diesel::QueryResult<i64> {
        diesel::select(diesel::dsl::sql::<BigInt>("(SELECT count(*) FROM t)")).get_result(conn)
    }

    #[actix_web::test]
    async fn a_read_on_sqlite_runs_its_statements_in_one_transaction_and_no_ping() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_database(&dir.path().join("reads.db"));
        for _ in 0..3 {
            let before = db.usage().statements;
            let (one, two): (i32, i32) = db
                .read(|conn| {
                    let select =
                        |n: i32| diesel::select(diesel::dsl::sql::<Integer>(&n.to_string()));
                    Ok((select(1).get_result(conn)?, select(2).get_result(conn)?))
                })
                .await
                .unwrap();
            assert_eq!((one, two), (1, 2));
            // The two statements, `BEGIN` and `COMMIT`.
            assert_eq!(db.usage().statements - before, 4);
        }
    }

    #[actix_web::test]
    async fn a_read_on_sqlite_sees_one_snapshot_whatever_commits_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("snapshot.db");
        let db = sqlite_database(&path);
        table_of_one_row(&db).await;
        let seen = db
            .read(move |conn| {
                let first = rows_of_t(conn)?;
                let mut other = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
                other.batch_execute("INSERT INTO t VALUES (2)")?;
                let second = rows_of_t(conn)?;
                Ok((
                    first,
                    second,
                    rows_of_t(&mut super::DbConnection::Sqlite(other))?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(seen, (1, 1, 2));
    }

    #[actix_web::test]
    async fn a_read_after_a_failed_one_sees_what_was_written_between() {
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite_database(&dir.path().join("failed.db"));
        table_of_one_row(&db).await;
        let failed = db
            .read(|conn| {
                rows_of_t(conn)?;
                diesel::select(diesel::dsl::sql::<BigInt>(
                    "(SELECT count(*) FROM no_such_table)",
                ))
                .get_result::<i64>(conn)
            })
            .await;
        assert!(failed.is_err());
        db.write(|conn| {
            conn.batch_execute("INSERT INTO t VALUES (2)")
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
        assert_eq!(db.read(rows_of_t).await.unwrap(), 2);
    }
}
