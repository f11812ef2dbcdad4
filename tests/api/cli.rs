//! The `bulletin-api` command line, run as a separate process.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use awc::http::Method;
use diesel::prelude::*;

use crate::helpers::{insert_category, spawn_app, spawn_app_with};
use bulletin_api::config::AdminBootstrap;
use bulletin_api::db::schema::{articles, documents, users};
use bulletin_api::db::{Database, DatabaseUrl, DbConfig};
use bulletin_api::identity::{Email, Password};

/// The binary with a clean environment and the database at `database`.
fn bulletin_api(database: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bulletin-api"));
    command
        .env_clear()
        .env("BULLETIN_DATABASE_URL", database)
        .env("RUST_LOG", "warn");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The SQLite database in the file at `path`.
fn file(path: &Path) -> DatabaseUrl {
    DatabaseUrl::Sqlite(path.to_owned())
}

async fn count_rows(database: &DatabaseUrl) -> (i64, i64, i64) {
    let db = Database::open(&DbConfig {
        url: database.clone(),
        read_pool_size: 1,
        timeout: std::time::Duration::from_secs(5),
        memory_map: true,
    })
    .unwrap();
    db.read(|conn| {
        Ok((
            articles::table.count().get_result(conn)?,
            documents::table.count().get_result(conn)?,
            users::table.count().get_result(conn)?,
        ))
    })
    .await
    .unwrap()
}

#[test]
fn an_invalid_setting_stops_the_start_with_status_2_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    // `migrate` exits by itself even if validation ever let the value through.
    let output = run(bulletin_api(dir.path().join("b.db"))
        .arg("migrate")
        .env("BULLETIN_BIND", "everywhere"));
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("BULLETIN_BIND"), "{message}");
    assert!(
        message.contains("127.0.0.1:8080"),
        "says what is expected: {message}"
    );
    assert!(!dir.path().join("b.db").exists(), "nothing was created");
}

#[test]
fn a_weak_admin_password_from_the_environment_is_refused_without_being_printed() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(bulletin_api(dir.path().join("b.db"))
        .env("BULLETIN_ADMIN_EMAIL", "admin@sonoivu.gov.vn")
        .env("BULLETIN_ADMIN_PASSWORD", "abc123"));
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("BULLETIN_ADMIN_PASSWORD"), "{message}");
    assert!(!message.contains("abc123"));
}

#[test]
fn the_openapi_command_prints_the_committed_document() {
    let output = run(Command::new(env!("CARGO_BIN_EXE_bulletin-api"))
        .arg("openapi")
        .env_clear());
    assert!(output.status.success());
    let committed = include_str!("../../openapi/openapi.json");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), committed);
}

#[actix_web::test]
async fn migrate_creates_the_database_and_loads_the_demo_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("nested/dir/b.db");
    for _ in 0..2 {
        let output = run(bulletin_api(&database).arg("migrate"));
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert_eq!(count_rows(&file(&database)).await, (1, 6, 0));
}

#[actix_web::test]
async fn create_admin_creates_an_account_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let create = |email: &str| {
        run(bulletin_api(&database).args([
            "create-admin",
            "--email",
            email,
            "--password",
            "một mật khẩu dài",
        ]))
    };
    let output = create("Admin@SoNoiVu.gov.vn");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("admin@sonoivu.gov.vn"));

    let again = create("admin@sonoivu.gov.vn");
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(count_rows(&file(&database)).await.2, 1);
}

#[actix_web::test]
async fn create_admin_reads_the_password_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let mut child = bulletin_api(&database)
        .args(["create-admin", "--email", "editor@sonoivu.gov.vn"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery staple\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(count_rows(&file(&database)).await.2, 1);
}

#[test]
fn create_admin_refuses_a_weak_password_or_a_bad_email() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let weak = run(bulletin_api(&database).args([
        "create-admin",
        "--email",
        "a@b.vn",
        "--password",
        "short",
    ]));
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        stderr(&weak).contains("at least 10 characters"),
        "{}",
        stderr(&weak)
    );
    let bad = run(bulletin_api(&database).args([
        "create-admin",
        "--email",
        "not-an-email",
        "--password",
        "long enough now",
    ]));
    assert_eq!(bad.status.code(), Some(2));
    assert!(!database.exists(), "nothing was created");
}

#[actix_web::test]
async fn the_admin_from_the_environment_is_created_at_start_once() {
    let admin = AdminBootstrap {
        email: Email::parse("admin@sonoivu.gov.vn").unwrap(),
        password: Password::parse("một mật khẩu dài".into()).unwrap(),
    };
    let app = spawn_app_with(|s| s.accounts.admin = Some(admin)).await;
    assert_eq!(count_rows(&app.settings.database.url).await.2, 1);
    // A restart with the same settings finds the admin and creates nothing.
    let output = run(bulletin_api(app.settings.database.url.to_setting())
        .arg("migrate")
        .env("BULLETIN_ADMIN_EMAIL", "other@sonoivu.gov.vn")
        .env("BULLETIN_ADMIN_PASSWORD", "another long one"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(count_rows(&app.settings.database.url).await.2, 1);
}

#[actix_web::test]
async fn backup_copies_a_live_database_and_never_overwrites() {
    let app = spawn_app().await;
    let target = app.dir.path().join("copy.db");
    let Some(database) = app.settings.database.url.sqlite_file().map(Path::to_owned) else {
        // PostgreSQL has its own tools: the command names the one to use.
        let refused = run(bulletin_api(app.settings.database.url.to_setting())
            .args(["backup", "--to"])
            .arg(&target));
        assert_eq!(refused.status.code(), Some(2));
        assert!(
            stderr(&refused).contains("pg_dump --format=custom"),
            "{}",
            stderr(&refused)
        );
        assert!(!target.exists());
        return;
    };

    // Writers and readers keep the database busy while the backup runs.
    let writer = app.database();
    let writes = futures_util::future::join_all((0..200).map(|i| {
        let writer = writer.clone();
        async move { insert_category(&writer, &format!("muc-{i}")).await }
    }));
    let reads = futures_util::future::join_all((0..50).map(|_| app.get("/api/v1/articles").send()));
    let (backup_target, backed_up) = (target.clone(), database.clone());
    let backup = actix_web::rt::task::spawn_blocking(move || {
        run(bulletin_api(&backed_up)
            .args(["backup", "--to"])
            .arg(&backup_target))
    });
    let ((output, writes), reads) =
        futures_util::future::join(futures_util::future::join(backup, writes), reads).await;
    let output = output.unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        writes.iter().all(Result::is_ok),
        "writes went on during the backup"
    );
    assert!(
        reads.iter().all(Result::is_ok),
        "reads went on during the backup"
    );

    // The copy is a sound database holding one consistent state.
    let copy = Database::open(&DbConfig {
        url: file(&target),
        read_pool_size: 1,
        timeout: std::time::Duration::from_secs(5),
        memory_map: true,
    })
    .unwrap();
    let integrity: Vec<IntegrityRow> = copy
        .read(|conn| diesel::sql_query("PRAGMA integrity_check").load(conn))
        .await
        .unwrap();
    assert_eq!(integrity.len(), 1);
    assert_eq!(integrity[0].integrity_check, "ok");
    let (articles, documents, _) = count_rows(&file(&target)).await;
    assert_eq!(
        (articles, documents),
        (1, 6),
        "the copy holds the demo content"
    );

    let again = run(bulletin_api(&database)
        .args(["backup", "--to"])
        .arg(&target));
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("never overwrites"));
}

#[derive(diesel::QueryableByName)]
struct IntegrityRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

#[test]
fn backup_of_a_missing_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(bulletin_api(dir.path().join("missing.db"))
        .args(["backup", "--to"])
        .arg(dir.path().join("copy.db")));
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no database"));
    assert!(!dir.path().join("copy.db").exists());
}

#[actix_web::test]
async fn a_backup_restores_in_place_of_the_database_and_a_damaged_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("bulletin.db");
    let backup = dir.path().join("backup.db");
    assert!(run(bulletin_api(&database).arg("migrate")).status.success());
    let made = run(bulletin_api(&database)
        .args(["backup", "--to"])
        .arg(&backup));
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(String::from_utf8_lossy(&made.stdout).contains("integrity check: ok"));

    // Work done after the backup is what a restore takes back.
    let db = Database::open(&DbConfig {
        url: file(&database),
        read_pool_size: 1,
        timeout: std::time::Duration::from_secs(5),
        memory_map: true,
    })
    .unwrap();
    insert_category(&db, "sau-sao-luu").await.unwrap();
    drop(db);
    let restored = run(bulletin_api(&database)
        .args(["restore", "--from"])
        .arg(&backup));
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert_eq!(
        count_rows(&file(&database)).await,
        (1, 6, 0),
        "the database is the backup again"
    );
    assert!(dir.path().join("bulletin.db.before-restore").exists());

    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0xA5);
    std::fs::write(&damaged, bytes).unwrap();
    let refused = run(bulletin_api(&database)
        .args(["restore", "--from"])
        .arg(&damaged));
    assert!(!refused.status.success());
    assert_eq!(
        count_rows(&file(&database)).await,
        (1, 6, 0),
        "nothing was replaced"
    );
}

/// `copy` from a SQLite file into an empty PostgreSQL database: every
/// table, ids and attachment files included (the files become rows),
/// read back through the API of a node on each; a second copy into the
/// now full database is refused.
#[actix_web::test]
async fn copy_moves_a_sqlite_database_into_an_empty_postgresql_one() {
    let Some(server) = crate::helpers::postgres_server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bulletin.db");
    let sqlite = file_app(&file).await;
    let admin = sqlite.admin_token().await;
    let (status, _) = crate::helpers::call(
        &sqlite,
        Method::POST,
        "/api/v1/articles/1/comments",
        None,
        Some(serde_json::json!({"body": "Bình luận trước khi chuyển.", "author_name": "Khách"})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = crate::helpers::call(
        &sqlite,
        Method::POST,
        "/api/v1/articles/1/ratings",
        None,
        Some(serde_json::json!({"stars": 4})),
    )
    .await;
    assert_eq!(status, 200);
    let signed = crate::attachments::pdf_of(3000);
    let (status, attachment) = crate::attachments::upload(
        &sqlite,
        &admin,
        crate::attachments::form("file", "Quyết định 5359.pdf", &signed),
    )
    .await;
    assert_eq!(status, 201, "{attachment}");
    let paths = [
        "/api/v1/articles/1",
        "/api/v1/articles?status=published,draft",
        "/api/v1/documents",
        "/api/v1/categories",
        "/api/v1/articles/1/ratings",
        "/api/v1/comments?status=pending",
        "/api/v1/users",
        "/api/v1/audit",
    ];
    let mut before = Vec::new();
    for path in paths {
        before.push(crate::helpers::call(&sqlite, Method::GET, path, Some(&admin), None).await);
    }
    let mut sqlite = sqlite;
    sqlite.stop().await;

    let url = crate::helpers::new_postgres_database(&server);
    let copied = run(bulletin_api(&file)
        .args(["copy", "--from"])
        .arg(&file)
        .args(["--to", &url]));
    assert!(copied.status.success(), "{}", stderr(&copied));
    let report = String::from_utf8_lossy(&copied.stdout);
    assert!(report.contains("row counts checked"), "{report}");
    assert!(
        stderr(&copied).contains("articles: 1 of 1"),
        "{}",
        stderr(&copied)
    );
    // Analyzed before the first read: the planner has its statistics.
    assert_eq!(rows_the_planner_counts(&url, "articles"), 1.0);

    let database = DatabaseUrl::Postgres(url.clone());
    let postgres = spawn_app_with(move |s| s.database.url = database).await;
    for (path, (status, body)) in paths.iter().zip(&before) {
        let (read_status, read) =
            crate::helpers::call(&postgres, Method::GET, path, Some(&admin), None).await;
        // Reading an article counts a view: the first node wrote those at its stop.
        assert_eq!(
            (read_status, without_views(read)),
            (*status, without_views(body.clone())),
            "{path}"
        );
    }
    let download = attachment["url"].as_str().unwrap();
    let mut file_read = postgres.get(download).send().await.unwrap();
    assert_eq!(file_read.status().as_u16(), 200);
    assert_eq!(file_read.body().await.unwrap().as_ref(), signed.as_slice());
    // New rows get ids past the copied ones.
    let (status, created) = crate::helpers::call(
        &postgres,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(serde_json::json!({"name": "Sau khi chuyển", "slug": "sau-khi-chuyen"})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert!(created["id"].as_i64().unwrap() > 1, "{created}");

    let again = run(bulletin_api(&file)
        .args(["copy", "--from"])
        .arg(&file)
        .args(["--to", &url]));
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already holds rows"),
        "{}",
        stderr(&again)
    );
}

/// PostgreSQL's count of `table`'s rows as its statistics give it: -1
/// before any `ANALYZE` or `VACUUM`.
fn rows_the_planner_counts(url: &str, table: &str) -> f32 {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Statistics {
        #[diesel(sql_type = diesel::sql_types::Float)]
        reltuples: f32,
    }
    let mut conn = diesel::PgConnection::establish(url).expect("the copy's database answers");
    let statistics: Statistics =
        diesel::sql_query("SELECT reltuples FROM pg_class WHERE relname = $1")
            .bind::<diesel::sql_types::Text, _>(table)
            .get_result(&mut conn)
            .expect("the table is there");
    statistics.reltuples
}

/// A node on the SQLite file at `path` (its attachments beside it), with
/// the admin of `spawn_admin_app`.
async fn file_app(path: &Path) -> crate::helpers::TestApp {
    let database = file(path);
    crate::helpers::spawn_admin_app_with(move |s| {
        s.database.url = database;
        s.attachments.dir = None;
    })
    .await
}

/// `value` without its `view_count`s, wherever they are.
fn without_views(mut value: serde_json::Value) -> serde_json::Value {
    match &mut value {
        serde_json::Value::Object(fields) => {
            fields.remove("view_count");
            for field in fields.values_mut() {
                *field = without_views(field.take());
            }
        }
        serde_json::Value::Array(items) => {
            for item in items.iter_mut() {
                *item = without_views(item.take());
            }
        }
        _ => {}
    }
    value
}
