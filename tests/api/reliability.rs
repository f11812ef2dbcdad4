//! What must hold when things go wrong: a killed server loses no answered
//! write, a stopped one flushes its views, a locked database makes requests
//! wait or answer 503, and a crowd gets nothing but documented answers.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use awc::Client;
use awc::http::Method;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::attachments::{BOUNDARY, form, pdf_of};
use crate::helpers::{ADMIN_EMAIL, PASSWORD, call, spawn_admin_app_with};

/// The server as a separate process, on its own port, over `database`.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(database: &std::path::Path) -> Self {
        Self::launch(Command::new(env!("CARGO_BIN_EXE_bulletin-api")), database)
    }

    /// The server allowed to write files of at most `kib` KiB, as on a disk
    /// that is full: writes past the limit fail with EFBIG (SIGXFSZ, which
    /// would kill the process, is ignored as a service under a quota would).
    fn start_with_file_size_limit(database: &std::path::Path, kib: u32) -> Self {
        let mut shell = Command::new("bash");
        shell.args([
            "-c",
            r#"trap '' XFSZ; ulimit -f "$1"; exec "$0" serve"#,
            env!("CARGO_BIN_EXE_bulletin-api"),
            &kib.to_string(),
        ]);
        Self::launch(shell, database)
    }

    fn launch(mut command: Command, database: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = command
            .env_clear()
            .env("BULLETIN_ADMIN_EMAIL", ADMIN_EMAIL)
            .env("BULLETIN_ADMIN_PASSWORD", PASSWORD)
            .env("BULLETIN_DATABASE_URL", database)
            .env("BULLETIN_BIND", format!("127.0.0.1:{port}"))
            .env("BULLETIN_RATE_LIMIT", "off")
            .env("BULLETIN_COMMENT_MODERATION", "none")
            .env("BULLETIN_VIEW_FLUSH_INTERVAL", "5s")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn ready(self) -> Self {
        let client = Client::default();
        let deadline = Instant::now() + Duration::from_secs(10);
        while client
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the server did not start");
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        self
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn thread_total(client: &Client, base: &str) -> i64 {
    let mut response = client
        .get(format!("{base}/api/v1/articles/1/comments?limit=1"))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    body["total"].as_i64().unwrap()
}

#[actix_web::test]
async fn every_answered_write_survives_a_kill_9() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("bulletin.db");
        let server = Server::start(&database).ready().await;
        let client = Client::builder().timeout(Duration::from_secs(5)).finish();
        let before = thread_total(&client, &server.base).await;
        let url = format!("{}/api/v1/articles/1/comments", server.base);
        let writes = (0..200).map(|n| {
            let request = client.post(url.clone());
            async move {
                let body = json!({"body": format!("Ý kiến số {n}"), "author_name": "Bạn đọc"});
                match request.send_json(&body).await {
                    Ok(response) => response.status().as_u16() == 201,
                    Err(_) => false,
                }
            }
        });
        let killer = async {
            actix_web::rt::time::sleep(Duration::from_millis(30 + 20 * round)).await;
            server.signal("-KILL");
        };
        let (answered, ()) =
            futures_util::future::join(futures_util::future::join_all(writes), killer).await;
        let answered = answered.into_iter().filter(|created| *created).count() as i64;
        drop(server);

        let again = Server::start(&database).ready().await;
        let kept = thread_total(&client, &again.base).await - before;
        assert!(
            kept >= answered,
            "round {round}: {answered} comments were answered 201, {kept} are there"
        );
    }
}

#[actix_web::test]
async fn sigterm_finishes_what_is_in_flight_and_flushes_views() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("bulletin.db");
    let server = Server::start(&database).ready().await;
    let client = Client::default();
    let article = format!("{}/api/v1/articles/1", server.base);
    let reads =
        futures_util::future::join_all((0..30).map(|_| client.get(article.clone()).send())).await;
    assert!(
        reads
            .iter()
            .all(|read| read.as_ref().is_ok_and(|r| r.status().is_success()))
    );
    server.signal("-TERM");
    let mut server = server;
    let status = server.child.wait().unwrap();
    assert!(status.success(), "exit status {status}");

    let again = Server::start(&database).ready().await;
    let mut response = client
        .get(format!("{}/api/v1/articles?limit=1", again.base))
        .send()
        .await
        .unwrap();
    let list: Value = response.json().await.unwrap();
    assert_eq!(
        list["items"][0]["view_count"],
        268 + 30,
        "the views counted in memory were written"
    );
}

#[actix_web::test]
async fn a_database_locked_by_another_process_makes_writes_wait_or_answer_503() {
    let app = spawn_admin_app_with(|s| {
        s.clients.rate_limit = false;
        s.database.timeout = Duration::from_millis(300);
    })
    .await;
    // Another process holding SQLite's one write lock: PostgreSQL locks rows,
    // and its lock waits are tried by the multi-node test.
    let Some(path) = app
        .settings
        .database
        .url
        .sqlite_file()
        .map(ToOwned::to_owned)
    else {
        return;
    };
    // Another process holds the write lock for two seconds.
    let locked = path.clone();
    let locker = std::thread::spawn(move || {
        use diesel::Connection;
        use diesel::connection::SimpleConnection;
        let mut conn = diesel::SqliteConnection::establish(&locked.to_string_lossy()).unwrap();
        conn.batch_execute(
            "BEGIN IMMEDIATE; INSERT INTO areas (slug, name, created_at, updated_at) \
            VALUES ('khoa', 'Khóa', '2026-01-01', '2026-01-01');",
        )
        .unwrap();
        std::thread::sleep(Duration::from_secs(2));
        conn.batch_execute("COMMIT").unwrap();
    });
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    let mut response = app
        .request(Method::POST, "/api/v1/articles/1/ratings")
        .send_json(&json!({"stars": 5}))
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert!(status == 503 || status == 200, "{status}");
    if status == 503 {
        assert!(response.headers().contains_key("retry-after"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], 503);
    }
    let (read, _) = call(&app, Method::GET, "/api/v1/articles/1/ratings", None, None).await;
    assert_eq!(read, 200, "reads go on while the lock is held");
    locker.join().unwrap();
    let (status, after) = call(
        &app,
        Method::POST,
        "/api/v1/articles/1/ratings",
        None,
        Some(json!({"stars": 4})),
    )
    .await;
    assert_eq!(status, 200, "{after}");
    let problems = bulletin_api::db::integrity_problems(&path).unwrap();
    assert_eq!(problems, None);
}

#[actix_web::test]
async fn five_hundred_connections_get_only_documented_answers() {
    let app = spawn_admin_app_with(|_| {}).await;
    let client = Client::builder()
        .connector(awc::Connector::new().limit(600))
        .timeout(Duration::from_secs(30))
        .finish();
    let requests = (0..500).map(|n| {
        let url = app.url(match n % 5 {
            0 => "/api/v1/articles/1/ratings",
            1 => "/api/v1/articles/1/comments",
            2 => "/api/v1/articles?limit=20",
            3 => "/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh",
            _ => "/api/v1/documents?q=ke+hoach",
        });
        let client = &client;
        async move {
            let response = match n % 5 {
                0 => client.post(url).send_json(&json!({"stars": 3})).await,
                1 => {
                    let body = json!({"body": "Đồng tình.", "author_name": "Bạn đọc"});
                    client.post(url).send_json(&body).await
                }
                _ => client.get(url).send().await,
            };
            response.map(|r| r.status().as_u16()).unwrap_or(0)
        }
    });
    let statuses = futures_util::future::join_all(requests).await;
    let unexpected: Vec<_> = statuses
        .iter()
        .filter(|status| !matches!(status, 200 | 201 | 429))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    assert!(
        statuses.iter().filter(|s| **s == 429).count() > 0,
        "the per-client limits held"
    );
}

/// Files under `directory`, at any depth.
fn files_under(directory: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return Vec::new();
    };
    entries
        .flat_map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[actix_web::test]
async fn a_full_disk_fails_an_upload_clearly_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("bulletin.db");
    // 8 MiB per file: the database fits, a 12 MB attachment does not.
    let server = Server::start_with_file_size_limit(&database, 8192)
        .ready()
        .await;
    let client = Client::builder().timeout(Duration::from_secs(30)).finish();
    let mut login = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .send_json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD}))
        .await
        .unwrap();
    let session: Value = login.json().await.unwrap();
    let token = session["access_token"].as_str().unwrap().to_owned();
    let upload = |bytes: Vec<u8>| {
        client
            .post(format!("{}/api/v1/documents/1/attachments", server.base))
            .bearer_auth(&token)
            .insert_header((
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ))
            .send_body(form("file", "quyết định.pdf", &bytes))
    };

    let mut refused = upload(pdf_of(12 << 20)).await.unwrap();
    assert_eq!(refused.status().as_u16(), 507);
    assert_eq!(
        refused.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let problem: Value = refused.json().limit(1 << 20).await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("storage"),
        "{problem}"
    );
    let attachments = dir.path().join("attachments");
    assert_eq!(files_under(&attachments), Vec::<std::path::PathBuf>::new());
    let document: Value = client
        .get(format!("{}/api/v1/documents/1", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(document["attachments"], json!([]));

    // The service goes on, and a file that fits is stored.
    let stored = upload(pdf_of(100_000)).await.unwrap();
    assert_eq!(stored.status().as_u16(), 201);
    assert_eq!(files_under(&attachments).len(), 1);
}

/// A figure of the server's `/proc/PID/status`, in KiB (`VmRSS`: resident
/// now; `VmHWM`: the most it was resident).
fn memory_kib(server: &Server, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {status}"))
}

#[actix_web::test]
async fn a_burst_of_logins_leaves_memory_bounded_and_gives_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("bulletin.db")).ready().await;
    let client = Client::builder().timeout(Duration::from_secs(60)).finish();
    let idle = memory_kib(&server, "VmRSS");
    let url = format!("{}/api/v1/auth/login", server.base);
    let logins = (0..500).map(|n| {
        let request = client.post(url.clone());
        async move {
            // Every other one fails: both kinds hash.
            let password = if n % 2 == 0 {
                PASSWORD
            } else {
                "a wrong password"
            };
            let body = json!({"email": ADMIN_EMAIL, "password": password});
            request.send_json(&body).await.map(|r| r.status().as_u16())
        }
    });
    let statuses: Vec<u16> = futures_util::stream::iter(logins)
        .buffer_unordered(20)
        .map(|status| status.expect("every login is answered"))
        .collect()
        .await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 250);
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 250);
    let peak = memory_kib(&server, "VmHWM");
    assert!(
        peak < 128 * 1024,
        "peak {peak} KiB over 500 logins at 20 at once"
    );
    // The hashing threads hand their blocks back once they are idle.
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    let after = memory_kib(&server, "VmRSS");
    assert!(
        after < idle + 16 * 1024,
        "{after} KiB after the burst, {idle} KiB before it"
    );
}
