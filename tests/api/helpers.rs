//! `spawn_app`: the one way tests start the service.

use std::collections::BTreeSet;
use std::sync::Once;

use awc::http::Method;
use awc::{Client, ClientRequest, ClientResponse};
use bulletin_api::articles;
use bulletin_api::articles::ArticleStatus;
use bulletin_api::articles::model::NewArticle;
use bulletin_api::categories::{NewCategory, queries as category_queries};
use bulletin_api::config::{LogFormat, Settings};
use bulletin_api::db::schema::categories;
use bulletin_api::db::{Database, DatabaseUrl, DbConfig, StoreError};
use bulletin_api::ops::telemetry;
use bulletin_api::startup::Application;
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};
use tempfile::TempDir;

/// The slug of the demo article every new database starts with.
pub const DEMO_SLUG: &str = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh";

/// The signing secret of test apps, so tests can forge tokens with it.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
/// The admin `spawn_admin_app` creates.
pub const ADMIN_EMAIL: &str = "admin@sonoivu.gov.vn";
/// The password of every account tests create.
pub const PASSWORD: &str = "một mật khẩu đủ dài";

pub struct TestApp {
    pub address: String,
    server: actix_web::dev::ServerHandle,
    running: Option<actix_web::rt::task::JoinHandle<std::io::Result<()>>>,
    /// Keeps the database directory alive for as long as the test runs.
    pub dir: TempDir,
    pub settings: Settings,
    pub client: Client,
}

/// Logs go to stderr when `TEST_LOG` is set; tests are quiet otherwise.
fn init_logs() {
    static LOGS: Once = Once::new();
    LOGS.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            telemetry::init(LogFormat::Text);
        }
    });
}

/// Settings for a test: port 0, a fresh database, demo content on.
pub fn test_settings(dir: &TempDir) -> Settings {
    let mut settings = Settings::from_lookup(|_| None).expect("the defaults are valid");
    settings.server.bind = "127.0.0.1:0".parse().unwrap();
    settings.database.url = fresh_database(dir);
    settings.server.workers = 2;
    settings.accounts.jwt_secret = Some(bulletin_api::auth::signing_key::Secret::new(
        JWT_SECRET.into(),
    ));
    // Counted views change articles' bodies and ETags: tests that compare two
    // reads must not see a flush between them. The view tests ask for one.
    settings.caching.view_flush_interval = std::time::Duration::from_secs(3600);
    // Tests write through other connections, as another process would, and
    // read at once; the cache (stale up to a second for such writes) is
    // tried by the tests that ask for it.
    settings.caching.response_cache = false;
    settings
}

/// A new, empty database for one test: a file in `dir`, or, when
/// `BULLETIN_TEST_POSTGRES` names a PostgreSQL server, a database of its
/// own there (`.ci/with-postgres` starts one).
pub fn fresh_database(dir: &TempDir) -> DatabaseUrl {
    match postgres_server() {
        Some(server) => DatabaseUrl::Postgres(new_postgres_database(&server)),
        None => DatabaseUrl::Sqlite(dir.path().join("bulletin.db")),
    }
}

/// The migrations of both engines, embedded as the service embeds them.
const SQLITE_MIGRATIONS: diesel_migrations::EmbeddedMigrations =
    diesel_migrations::embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: diesel_migrations::EmbeddedMigrations =
    diesel_migrations::embed_migrations!("migrations/postgres");

/// A fresh database (`fresh_database`) as an earlier release left it: its
/// migrations applied up to the one named `*_{migration}`, which is not,
/// then `content` (SQL both engines run) written. Starting an app on it
/// applies the rest, as an upgrade does.
pub fn written_before_migration(dir: &TempDir, migration: &str, content: &str) -> DatabaseUrl {
    let database = fresh_database(dir);
    match &database {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
            migrate_before(&mut conn, SQLITE_MIGRATIONS, migration, content);
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = diesel::PgConnection::establish(url).unwrap();
            migrate_before(&mut conn, POSTGRES_MIGRATIONS, migration, content);
        }
    }
    database
}

/// Applies `source`'s migrations up to `*_{migration}`, then writes `content`.
fn migrate_before<C, DB>(
    conn: &mut C,
    source: diesel_migrations::EmbeddedMigrations,
    migration: &str,
    content: &str,
) where
    C: diesel_migrations::MigrationHarness<DB> + diesel::connection::SimpleConnection,
    DB: diesel::backend::Backend,
{
    let suffix = format!("_{migration}");
    let pending = conn.pending_migrations(source).unwrap();
    assert!(
        pending
            .iter()
            .any(|m| m.name().to_string().ends_with(&suffix)),
        "no migration is named *{suffix}"
    );
    let before = pending
        .iter()
        .take_while(|m| !m.name().to_string().ends_with(&suffix));
    for m in before {
        conn.run_migration(m.as_ref()).unwrap();
    }
    conn.batch_execute(content).unwrap();
}

/// The PostgreSQL server tests run on, if the environment names one.
pub fn postgres_server() -> Option<String> {
    std::env::var("BULLETIN_TEST_POSTGRES")
        .ok()
        .filter(|server| !server.is_empty())
}

/// Creates a database on the PostgreSQL `server`; answers its URL.
pub fn new_postgres_database(server: &str) -> String {
    let name = format!("bulletin_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(server).expect("the test server answers");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("a test database is created");
    let mut url = url::Url::parse(server).expect("BULLETIN_TEST_POSTGRES is a URL");
    url.set_path(&name);
    url.to_string()
}

/// An app with an admin account (`ADMIN_EMAIL`, `PASSWORD`).
pub async fn spawn_admin_app() -> TestApp {
    spawn_admin_app_with(|_| {}).await
}

pub async fn spawn_admin_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_with(|settings| {
        settings.accounts.admin = Some(bulletin_api::config::AdminBootstrap {
            email: bulletin_api::identity::Email::parse(ADMIN_EMAIL).unwrap(),
            password: bulletin_api::identity::Password::parse(PASSWORD.into()).unwrap(),
        });
        customise(settings);
    })
    .await
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    init_logs();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut settings = test_settings(&dir);
    customise(&mut settings);
    let application = Application::build(settings.clone())
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let server = application.handle();
    let running = actix_web::rt::spawn(application.run_until_stopped());
    TestApp {
        address,
        server,
        running: Some(running),
        dir,
        settings,
        // Tests look at redirects themselves.
        client: Client::builder().disable_redirects().finish(),
    }
}

impl TestApp {
    /// Stops the server as SIGTERM would, and waits until it has shut down.
    pub async fn stop(&mut self) {
        self.server.stop(true).await;
        if let Some(running) = self.running.take() {
            running
                .await
                .expect("the server task")
                .expect("a clean shutdown");
        }
    }

    /// Whether the app runs on SQLite. The tests that read query plans read
    /// SQLite's (`EXPLAIN QUERY PLAN`, after its statistics): they check how
    /// the SQLite planner serves each read. PostgreSQL plans its own way; its
    /// figures come from `bench/run` on PostgreSQL. Others check what only
    /// SQLite keeps (FTS5's segments).
    pub fn on_sqlite(&self) -> bool {
        self.settings.database.url.sqlite_file().is_some()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn get(&self, path: &str) -> ClientRequest {
        self.client.get(self.url(path))
    }

    /// GETs `path` and reads its JSON body, whatever the status.
    pub async fn get_json(&self, path: &str) -> Value {
        json_body(&mut self.get(path).send().await.expect("the server answers")).await
    }

    /// Logs in; answers the token pair (asserting it was given).
    pub async fn login(&self, email: &str, password: &str) -> Value {
        let mut response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .send_json(&serde_json::json!({"email": email, "password": password}))
            .await
            .expect("the server answers");
        assert_eq!(
            response.status().as_u16(),
            200,
            "login of {email}: {:?}",
            response.body().await
        );
        json_body(&mut response).await
    }

    /// An access token of the admin.
    pub async fn admin_token(&self) -> String {
        let tokens = self.login(ADMIN_EMAIL, PASSWORD).await;
        tokens["access_token"].as_str().unwrap().to_owned()
    }

    /// Creates an account with `role` (as the admin); answers its id and email.
    pub async fn create_user(&self, admin_token: &str, role: &str) -> (i64, String) {
        let email = format!("{role}-{}@sonoivu.gov.vn", uuid_like());
        let mut response = self
            .client
            .post(self.url("/api/v1/users"))
            .bearer_auth(admin_token)
            .send_json(&serde_json::json!({
                "email": email, "password": PASSWORD, "role": role, "display_name": format!("Tài khoản {role}")
            }))
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201);
        let user = json_body(&mut response).await;
        (user["id"].as_i64().unwrap(), email)
    }

    /// An access token of a new account with `role`.
    pub async fn token_with_role(&self, role: &str) -> String {
        let admin = self.admin_token().await;
        let (_, email) = self.create_user(&admin, role).await;
        let tokens = self.login(&email, PASSWORD).await;
        tokens["access_token"].as_str().unwrap().to_owned()
    }

    pub fn request(&self, method: awc::http::Method, path: &str) -> ClientRequest {
        self.client.request(method, self.url(path))
    }

    /// Another handle on the app's database, with its own writer, as another
    /// process would open it. Patient, so a loaded test machine cannot time it out.
    pub fn database(&self) -> Database {
        Database::open(&DbConfig {
            read_pool_size: 2,
            timeout: std::time::Duration::from_secs(30),
            ..self.settings.database.clone()
        })
        .expect("the database opens")
    }

    /// Publishes an article straight into the database (scheduled when dated
    /// in the future, as the API stores it); answers its id.
    pub async fn publish_article(&self, title: &str, published_at: NaiveDateTime) -> i32 {
        let status = if published_at > Utc::now().naive_utc() {
            ArticleStatus::Scheduled
        } else {
            ArticleStatus::Published
        };
        self.insert_article(title, status, published_at).await
    }

    /// Inserts an article straight into the database; answers its id.
    pub async fn insert_article(
        &self,
        title: &str,
        status: ArticleStatus,
        published_at: NaiveDateTime,
    ) -> i32 {
        self.insert_article_with_body(title, "<p>Nội dung</p>", status, published_at)
            .await
    }

    /// Inserts an article with `body_html` straight into the database; answers its id.
    pub async fn insert_article_with_body(
        &self,
        title: &str,
        body_html: &str,
        status: ArticleStatus,
        published_at: NaiveDateTime,
    ) -> i32 {
        let placement = Placement {
            category_id: None,
            author_id: None,
        };
        self.insert_article_placed(title, body_html, status, published_at, placement)
            .await
    }

    /// Inserts an article filed under a category and credited to an account.
    pub async fn insert_article_placed(
        &self,
        title: &str,
        body_html: &str,
        status: ArticleStatus,
        published_at: NaiveDateTime,
        placement: Placement,
    ) -> i32 {
        let (title, body_html) = (title.to_owned(), body_html.to_owned());
        self.database()
            .write(move |conn| {
                insert_row(conn, &title, &body_html, status, published_at, placement)
            })
            .await
            .expect("the article is inserted")
    }

    /// Publishes one article a title, oldest first, in one transaction (a
    /// newsroom's worth at once); answers their ids.
    pub async fn publish_articles(
        &self,
        titles: Vec<String>,
        published_at: NaiveDateTime,
    ) -> Vec<i32> {
        self.database()
            .write(move |conn| {
                titles
                    .iter()
                    .map(|title| {
                        let placement = Placement {
                            category_id: None,
                            author_id: None,
                        };
                        let body = "<p>Nội dung</p>";
                        insert_row(
                            conn,
                            title,
                            body,
                            ArticleStatus::Published,
                            published_at,
                            placement,
                        )
                    })
                    .collect::<Result<Vec<i32>, StoreError>>()
            })
            .await
            .expect("the articles are inserted")
    }
}

/// Inserts one article row as the API would store it.
fn insert_row(
    conn: &mut bulletin_api::db::DbConnection,
    title: &str,
    body_html: &str,
    status: ArticleStatus,
    published_at: NaiveDateTime,
    placement: Placement,
) -> Result<i32, StoreError> {
    let body_text = bulletin_api::text::html_to_text(body_html);
    let slug = bulletin_api::text::slug::Slug::from_title(title)
        .unwrap()
        .to_string();
    let now = Utc::now().naive_utc();
    articles::queries::insert(
        conn,
        &NewArticle {
            slug: &slug,
            title,
            summary: "Tóm tắt",
            body_html,
            body_text: &body_text,
            word_count: bulletin_api::articles::content::word_count(&body_text),
            cover_media_id: None,
            og_media_id: None,
            featured: false,
            meta_title: None,
            meta_description: None,
            lang: "vi",
            translation_of: None,
            cover_image_url: None,
            byline: "Văn phòng Sở",
            category_id: placement.category_id,
            author_id: placement.author_id,
            status,
            published_at: Some(published_at),
            view_count: 0,
            rating_total: 0,
            rating_count: 0,
            created_at: now,
            updated_at: now,
        },
    )
    .map_err(StoreError::from)
}

/// Inserts a category through `db`'s writer, reading first so the
/// transaction holds its write lock across two statements.
pub async fn insert_category(db: &Database, slug: &str) -> Result<i32, StoreError> {
    let slug = slug.to_owned();
    db.write(move |conn| {
        let now = Utc::now().naive_utc();
        let _existing: i64 = categories::table.count().get_result(conn)?;
        let category = NewCategory {
            parent_id: None,
            slug: &slug,
            name: &slug,
            description: "",
            lang: "vi",
            created_at: now,
            updated_at: now,
        };
        category_queries::insert(conn, &category)
            .map(|category| category.id)
            .map_err(StoreError::from)
    })
    .await
}

/// Sends `method path` with `body` (when given) and `credentials` (a bearer
/// token, or `X-Api-Key: …` when it starts with `bak_`); answers status and body.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    credentials: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app.request(method, path);
    match credentials {
        Some(key) if key.starts_with("bak_") => request = request.insert_header(("X-Api-Key", key)),
        Some(token) => request = request.bearer_auth(token),
        None => {}
    }
    let mut response = match body {
        Some(body) => request.send_json(&body).await.unwrap(),
        None => request.send().await.unwrap(),
    };
    let status = response.status().as_u16();
    let bytes = response.body().await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A draft article's body for `POST /articles`.
pub fn draft(title: &str) -> Value {
    json!({"title": title, "body_html": "<p>Nội dung bài viết về cải cách hành chính.</p>", "byline": "Phòng CCHC"})
}

/// `POST /articles` with `token`; answers status and body.
pub async fn create_article(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/articles",
        Some(token),
        Some(body),
    )
    .await
}

/// `PATCH /articles/{id}` with `token`; answers status and body.
pub async fn change_article(app: &TestApp, token: &str, id: &Value, body: Value) -> (u16, Value) {
    call(
        app,
        Method::PATCH,
        &format!("/api/v1/articles/{id}"),
        Some(token),
        Some(body),
    )
    .await
}

/// A new API key with `scope`, created by `admin`.
pub async fn api_key(app: &TestApp, admin: &str, scope: &str) -> String {
    let body = json!({"name": format!("khóa {scope}"), "scope": scope});
    let (status, key) = call(
        app,
        Method::POST,
        "/api/v1/api-keys",
        Some(admin),
        Some(body),
    )
    .await;
    assert_eq!(status, 201);
    key["key"].as_str().unwrap().to_owned()
}

/// The ids of a page's items, in order.
/// One text field of each item of a list, in order.
pub fn item_texts(list: &Value, field: &str) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

pub fn item_ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

/// Where an inserted article is filed, and whose it is.
#[derive(Clone, Copy)]
pub struct Placement {
    pub category_id: Option<i32>,
    pub author_id: Option<i32>,
}

/// A short unique suffix for names that must not collide.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed).to_string()
}

/// The body as JSON, whatever the status.
pub async fn json_body<S>(response: &mut ClientResponse<S>) -> Value
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let bytes = response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("a body");
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

/// A response header as text.
pub fn header<S>(response: &ClientResponse<S>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().expect("a text header").to_owned())
}

/// A counter on `/metrics` (`bulletin_db_statements_total`, …) as it is now.
pub async fn metric(app: &TestApp, name: &str) -> u64 {
    let mut response = app.get("/metrics").send().await.unwrap();
    let text = String::from_utf8(response.body().await.unwrap().to_vec()).unwrap();
    let prefix = format!("{name} ");
    text.lines()
        .find_map(|line| line.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
        .parse()
        .unwrap()
}

/// Asserts a problem+json error of `status`, and returns its body.
pub async fn expect_problem<S>(response: &mut ClientResponse<S>, status: u16) -> Value
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    assert_eq!(
        header(response, "content-type").as_deref(),
        Some("application/problem+json")
    );
    let body = json_body(response).await;
    assert_eq!(body["status"], status);
    for member in ["type", "title", "detail"] {
        assert!(
            body[member].is_string(),
            "problem without `{member}`: {body}"
        );
    }
    body
}

/// A document's body for `POST /documents`: a number, its title, its issuer.
pub fn document(number: &str) -> Value {
    json!({"number": number, "title": format!("Văn bản {number}"), "issuing_body": "UBND tỉnh Bình Định"})
}

/// `POST /documents` with `credentials` (a token or an API key); answers
/// status and body.
pub async fn register(app: &TestApp, credentials: &str, body: Value) -> (u16, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/documents",
        Some(credentials),
        Some(body),
    )
    .await
}

/// The statements a round of reads ran, and those it prepared and kept,
/// by their SQL text.
#[derive(Debug, Default)]
pub struct Statements {
    pub run: std::collections::BTreeSet<String>,
    pub kept: std::collections::BTreeSet<String>,
}

/// What `work` runs and prepares on one connection of `app`'s readers in
/// each of `rounds` rounds (`work` is told the round's number).
pub async fn statements_of_rounds(
    app: &TestApp,
    rounds: usize,
    work: impl Fn(&mut bulletin_api::db::DbConnection, usize) -> QueryResult<()> + Send + 'static,
) -> Vec<Statements> {
    use diesel::connection::InstrumentationEvent;
    use std::sync::{Arc, Mutex};
    app.database()
        .read(move |conn| {
            let round = Arc::new(Mutex::new(Statements::default()));
            let seen = Arc::clone(&round);
            conn.set_instrumentation(move |event: InstrumentationEvent<'_>| match event {
                InstrumentationEvent::StartQuery { query, .. } => {
                    let text = query.to_string();
                    let sql = text.split(" -- binds:").next().unwrap_or_default();
                    seen.lock().unwrap().run.insert(sql.to_owned());
                }
                InstrumentationEvent::CacheQuery { sql, .. } => {
                    seen.lock().unwrap().kept.insert(sql.to_owned());
                }
                _ => {}
            });
            let mut statements = Vec::new();
            for number in 0..rounds {
                work(conn, number)?;
                statements.push(std::mem::take(&mut *round.lock().unwrap()));
            }
            conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
            Ok(statements)
        })
        .await
        .unwrap()
}

/// That the first of two rounds of the same reads (with other values)
/// prepared and kept every statement it ran, and the second prepared none.
pub fn assert_prepared_once(rounds: &[Statements]) {
    assert_prepared_once_but(rounds, |_| false);
}

/// That the first of two rounds of the same reads (with other values)
/// prepared and kept every statement it ran but those `planned` says are
/// planned for their values on every run, and the second, running the
/// same statements, prepared none.
pub fn assert_prepared_once_but(rounds: &[Statements], planned: impl Fn(&str) -> bool) {
    let [first, second] = rounds else {
        panic!("two rounds: {rounds:?}");
    };
    assert!(!first.run.is_empty());
    assert_eq!(second.run, first.run);
    let kept: BTreeSet<&String> = first.run.iter().filter(|sql| !planned(sql)).collect();
    assert_eq!(
        first.kept.iter().collect::<BTreeSet<_>>(),
        kept,
        "each statement is kept prepared, but those planned on every run"
    );
    assert_eq!(
        second.kept,
        BTreeSet::new(),
        "prepared once, then reused; or planned anew, never kept"
    );
}
