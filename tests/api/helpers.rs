//! `spawn_app`: the one way tests start the service.

use std::sync::Once;

use awc::{Client, ClientRequest, ClientResponse};
use bulletin_api::articles::ArticleStatus;
use bulletin_api::articles::model::NewArticle;
use bulletin_api::categories::{NewCategory, queries as category_queries};
use bulletin_api::config::{LogFormat, Settings};
use bulletin_api::db::schema::categories;
use bulletin_api::db::{Database, DbConfig, StoreError};
use bulletin_api::startup::Application;
use bulletin_api::{articles, telemetry};
use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

/// The slug of the demo article every new database starts with.
pub const DEMO_SLUG: &str = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh";

pub struct TestApp {
    pub address: String,
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

/// Settings for a test: port 0, a fresh database file, demo content on.
pub fn test_settings(dir: &TempDir) -> Settings {
    let mut settings = Settings::from_lookup(|_| None).expect("the defaults are valid");
    settings.bind = "127.0.0.1:0".parse().unwrap();
    settings.database_path = dir.path().join("bulletin.db");
    settings.workers = 2;
    settings
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
    actix_web::rt::spawn(application.run_until_stopped());
    TestApp {
        address,
        dir,
        settings,
        // Tests look at redirects themselves.
        client: Client::builder().disable_redirects().finish(),
    }
}

impl TestApp {
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

    pub fn request(&self, method: awc::http::Method, path: &str) -> ClientRequest {
        self.client.request(method, self.url(path))
    }

    /// Another handle on the app's database, with its own writer, as another
    /// process would open it. Patient, so a loaded test machine cannot time it out.
    pub fn database(&self) -> Database {
        Database::open(&DbConfig {
            path: self.settings.database_path.clone(),
            read_pool_size: 2,
            timeout: std::time::Duration::from_secs(30),
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
        let slug = bulletin_api::slug::Slug::from_title(title)
            .unwrap()
            .to_string();
        let title = title.to_owned();
        self.database()
            .write(move |conn| {
                let now = Utc::now().naive_utc();
                articles::queries::insert(
                    conn,
                    &NewArticle {
                        slug: &slug,
                        title: &title,
                        summary: "Tóm tắt",
                        body_html: "<p>Nội dung</p>",
                        byline: "Văn phòng Sở",
                        category_id: None,
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
            })
            .await
            .expect("the article is inserted")
    }
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
            created_at: now,
            updated_at: now,
        };
        category_queries::insert(conn, &category).map_err(StoreError::from)
    })
    .await
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
