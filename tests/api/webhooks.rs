//! Webhooks: admin subscriptions, signed deliveries from the outbox to a
//! real receiver on loopback, retries, giving up, and surviving a restart.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use awc::http::Method;
use bulletin_api::config::Settings;
use bulletin_api::webhooks::destination::PrivateNetworks;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{
    TestApp, api_key, call, create_article, draft, spawn_admin_app_with, spawn_app_with,
};

const SECRET: &str = "một bí mật đủ dài cho chữ ký";

/// What a receiver got: the signature header, the event header, the body.
#[derive(Debug, Clone)]
struct Received {
    signature: String,
    event: String,
    body: String,
}

/// How a receiver answers its n-th request (from 0).
type Behaviour = Arc<dyn Fn(usize) -> Answer + Send + Sync>;

#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    /// Answers 200, but only after this long.
    Slow(Duration),
}

/// A webhook receiver on a loopback port.
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    server: actix_web::dev::ServerHandle,
}

impl Receiver {
    async fn start(behaviour: Behaviour) -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = received.clone();
        let server = HttpServer::new(move || {
            let log = log.clone();
            let behaviour = behaviour.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: String| {
                let log = log.clone();
                let behaviour = behaviour.clone();
                async move {
                    let header = |name: &str| {
                        req.headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    let n = {
                        let mut log = log.lock().unwrap();
                        log.push(Received {
                            signature: header("x-bulletin-signature"),
                            event: header("x-bulletin-event"),
                            body,
                        });
                        log.len() - 1
                    };
                    match behaviour(n) {
                        Answer::Status(status) => HttpResponse::build(
                            actix_web::http::StatusCode::from_u16(status).unwrap(),
                        )
                        .finish(),
                        Answer::Slow(wait) => {
                            actix_web::rt::time::sleep(wait).await;
                            HttpResponse::Ok().finish()
                        }
                    }
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}/hooks"),
            received,
            server: handle,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until `count` requests have arrived.
    async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {count} deliveries arrived",
                received.len()
            );
            actix_web::rt::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// Retries fast, so the tests need not wait long; delivers to the test
/// receivers on this host, as an operator allows private networks.
fn quick(settings: &mut Settings) {
    settings.webhooks.private_networks = PrivateNetworks(true);
    settings.webhooks.poll = Duration::from_millis(25);
    settings.webhooks.first_retry = Duration::from_millis(100);
    settings.webhooks.timeout = Duration::from_millis(500);
    settings.webhooks.max_attempts = 3;
    settings.clients.rate_limit = false;
}

async fn subscribe(app: &TestApp, admin: &str, url: &str, events: Value) -> Value {
    let body = json!({"url": url, "events": events, "secret": SECRET});
    let (status, webhook) = call(
        app,
        Method::POST,
        "/api/v1/webhooks",
        Some(admin),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{webhook}");
    webhook
}

async fn publish(app: &TestApp, editor: &str, title: &str) -> Value {
    let mut body = draft(title);
    body["status"] = "published".into();
    let (status, article) = create_article(app, editor, body).await;
    assert_eq!(status, 201);
    article
}

fn verify(received: &Received) -> Value {
    let (timestamp, signature) = received
        .signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .expect("t=…,v1=…");
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", received.body).as_bytes());
    mac.verify_slice(&hex::decode(signature).unwrap())
        .expect("the signature holds");
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!((0..60).contains(&age), "a fresh timestamp: {age}");
    serde_json::from_str(&received.body).unwrap()
}

/// Pauses a subscription (`active: false`).
async fn pause(app: &TestApp, admin: &str, webhook: &Value) {
    let path = format!("/api/v1/webhooks/{}", webhook["id"]);
    let body = json!({"active": false});
    let (status, paused) = call(app, Method::PATCH, &path, Some(admin), Some(body)).await;
    assert_eq!((status, &paused["active"]), (200, &json!(false)));
}

async fn deliveries(app: &TestApp, admin: &str, webhook: &Value) -> Value {
    let path = format!("/api/v1/webhooks/{}/deliveries", webhook["id"]);
    call(app, Method::GET, &path, Some(admin), None).await.1
}

#[actix_web::test]
async fn only_admins_subscribe_and_secrets_are_never_sent_back() {
    let app = spawn_admin_app_with(quick).await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let key = api_key(&app, &admin, "write").await;
    let body = json!({"url": "https://example.vn/hook", "events": ["article.published"], "secret": SECRET});
    for credentials in [None, Some(editor.as_str()), Some(key.as_str())] {
        let (status, _) = call(
            &app,
            Method::POST,
            "/api/v1/webhooks",
            credentials,
            Some(body.clone()),
        )
        .await;
        assert!(status == 401 || status == 403, "{credentials:?}: {status}");
    }
    let webhook = subscribe(
        &app,
        &admin,
        "https://example.vn/hook",
        json!(["article.published"]),
    )
    .await;
    assert!(!webhook.to_string().contains(SECRET));
    assert_eq!(webhook["active"], true);
    for (bad, field) in [
        (
            json!({"url": "ftp://x", "events": ["article.published"], "secret": SECRET}),
            "url",
        ),
        (
            json!({"url": "https://x.vn", "events": [], "secret": SECRET}),
            "events",
        ),
        (
            json!({"url": "https://x.vn", "events": ["article.published"], "secret": "ngắn"}),
            "secret",
        ),
    ] {
        let (status, problem) = call(
            &app,
            Method::POST,
            "/api/v1/webhooks",
            Some(&admin),
            Some(bad),
        )
        .await;
        assert_eq!(
            (status, &problem["errors"][0]["field"]),
            (422, &json!(field))
        );
    }
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/webhooks",
        Some(&admin),
        Some(json!({"url": "https://x.vn", "events": ["article.eaten"], "secret": SECRET})),
    )
    .await;
    assert_eq!(status, 422, "an unknown event");
    pause(&app, &admin, &webhook).await;
    let path = format!("/api/v1/webhooks/{}", webhook["id"]);
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&admin), None)
            .await
            .0,
        204
    );
    assert_eq!(
        call(&app, Method::GET, &path, Some(&admin), None).await.0,
        404
    );
}

#[actix_web::test]
async fn events_are_delivered_signed_to_each_subscriber() {
    let app = spawn_admin_app_with(quick).await;
    let receiver = Receiver::start(Arc::new(|_| Answer::Status(204))).await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let webhook = subscribe(
        &app,
        &admin,
        &receiver.url,
        json!([
            "article.created",
            "article.published",
            "comment.created",
            "rating.created"
        ]),
    )
    .await;

    let article = publish(&app, &editor, "Tin phát hành ngay").await;
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/articles/1/ratings",
        None,
        Some(json!({"stars": 4})),
    )
    .await;
    assert_eq!(status, 200);
    let comment = json!({"body": "Hay.", "author_name": "B", "author_email": "b@example.vn"});
    assert_eq!(
        call(
            &app,
            Method::POST,
            "/api/v1/articles/1/comments",
            None,
            Some(comment)
        )
        .await
        .0,
        201
    );

    let received = receiver.wait_for(4).await;
    let events: Vec<&str> = received.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(
        events,
        [
            "article.created",
            "article.published",
            "rating.created",
            "comment.created"
        ]
    );
    let created = verify(&received[0]);
    assert_eq!(created["type"], "article.created");
    assert_eq!(created["data"]["id"], article["id"]);
    assert_eq!(
        created["data"]["path"],
        format!("/api/v1/articles/{}", article["id"])
    );
    assert_ne!(
        verify(&received[1])["id"],
        created["id"],
        "each event has its own id"
    );
    assert_eq!(verify(&received[2])["data"]["count"], 4);
    let commented = verify(&received[3]);
    assert!(
        !commented.to_string().contains("b@example.vn"),
        "emails never leave"
    );

    let log = deliveries(&app, &admin, &webhook).await;
    assert_eq!(log["total"], 4);
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "delivered")
    );
    assert_eq!(log["items"][0]["last_status"], 204);
    receiver.server.stop(true).await;
}

#[actix_web::test]
async fn a_failing_or_slow_receiver_is_retried_until_it_recovers() {
    let app = spawn_admin_app_with(quick).await;
    // Fails, then times out, then recovers.
    let receiver = Receiver::start(Arc::new(|n| match n {
        0 => Answer::Status(503),
        1 => Answer::Slow(Duration::from_secs(2)),
        _ => Answer::Status(200),
    }))
    .await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let webhook = subscribe(&app, &admin, &receiver.url, json!(["article.created"])).await;
    publish(&app, &editor, "Tin thử lại").await;
    let received = receiver.wait_for(3).await;
    let bodies: Vec<&str> = received.iter().map(|r| r.body.as_str()).collect();
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "every retry sends the same event"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = deliveries(&app, &admin, &webhook).await;
        let delivery = &log["items"][0];
        if delivery["status"] == "delivered" {
            assert_eq!(delivery["attempts"], 3);
            break;
        }
        assert!(Instant::now() < deadline, "still {delivery}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    receiver.server.stop(false).await;
}

#[actix_web::test]
async fn a_delivery_is_given_up_after_its_last_attempt_and_a_test_send_reports_at_once() {
    let app = spawn_admin_app_with(quick).await;
    let receiver = Receiver::start(Arc::new(|_| Answer::Status(500))).await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let webhook = subscribe(&app, &admin, &receiver.url, json!(["article.created"])).await;
    publish(&app, &editor, "Tin không tới").await;
    receiver.wait_for(3).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = deliveries(&app, &admin, &webhook).await;
        if log["items"][0]["status"] == "failed" {
            assert_eq!(log["items"][0]["attempts"], 3);
            assert_eq!(log["items"][0]["last_status"], 500);
            break;
        }
        assert!(Instant::now() < deadline, "{log}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 3, "nothing after giving up");

    let path = format!("/api/v1/webhooks/{}/test", webhook["id"]);
    let (status, tested) = call(&app, Method::POST, &path, Some(&admin), None).await;
    assert_eq!(status, 200, "{tested}");
    assert_eq!(
        (&tested["status"], &tested["last_status"]),
        (&json!("pending"), &json!(500))
    );
    assert_eq!(tested["event_type"], "webhook.test");
    receiver.server.stop(false).await;
}

#[actix_web::test]
async fn an_event_recorded_before_a_restart_is_delivered_after_it() {
    // The first run never sends: its outbox is looked at once an hour.
    let mut first = spawn_admin_app_with(|s| {
        quick(s);
        s.webhooks.poll = Duration::from_secs(3600);
    })
    .await;
    let receiver = Receiver::start(Arc::new(|_| Answer::Status(200))).await;
    let admin = first.admin_token().await;
    let editor = first.token_with_role("editor").await;
    subscribe(&first, &admin, &receiver.url, json!(["article.published"])).await;
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    publish(&first, &editor, "Tin trước khi khởi động lại").await;
    first.stop().await;
    assert!(receiver.received().is_empty());

    let database = first.settings.database.url.clone();
    let second = spawn_admin_app_with(move |s| {
        quick(s);
        s.database.url = database;
    })
    .await;
    let received = receiver.wait_for(1).await;
    assert_eq!(
        verify(&received[0])["data"]["title"],
        "Tin trước khi khởi động lại"
    );
    drop(second);
    receiver.server.stop(false).await;
}

#[actix_web::test]
async fn each_event_is_delivered_once_by_nodes_sharing_one_outbox() {
    let first = spawn_admin_app_with(quick).await;
    let database = first.settings.database.url.clone();
    let second = spawn_app_with(move |s| {
        quick(s);
        s.database.url = database;
    })
    .await;
    let receiver = Receiver::start(Arc::new(|_| Answer::Status(200))).await;
    let admin = first.admin_token().await;
    let editor = first.token_with_role("editor").await;
    subscribe(&first, &admin, &receiver.url, json!(["article.published"])).await;
    for n in 0..10 {
        let node = if n % 2 == 0 { &first } else { &second };
        publish(node, &editor, &format!("Tin số {n} của hai nút")).await;
    }
    receiver.wait_for(10).await;
    // Both nodes keep polling: a second sending would arrive by now.
    actix_web::rt::time::sleep(Duration::from_secs(1)).await;
    let titles: Vec<Value> = receiver
        .received()
        .iter()
        .map(|received| verify(received)["data"]["title"].clone())
        .collect();
    assert_eq!(titles.len(), 10, "{titles:?}");
    let distinct: std::collections::BTreeSet<String> =
        titles.iter().map(Value::to_string).collect();
    assert_eq!(distinct.len(), 10, "each event once: {titles:?}");
    receiver.server.stop(false).await;
}

/// Fast retries, and the default: no delivery to private networks or this host.
fn quick_and_guarded(settings: &mut Settings) {
    quick(settings);
    settings.webhooks.private_networks = PrivateNetworks(false);
}

/// Tries to subscribe `url` to one event, as `admin`: the status and body.
async fn try_subscribe(app: &TestApp, admin: &str, url: &str) -> (u16, Value) {
    let body = json!({"url": url, "events": ["article.published"], "secret": SECRET});
    call(
        app,
        Method::POST,
        "/api/v1/webhooks",
        Some(admin),
        Some(body),
    )
    .await
}

#[actix_web::test]
async fn destinations_a_delivery_must_not_reach_are_refused_and_nothing_is_created() {
    let app = spawn_admin_app_with(quick_and_guarded).await;
    let admin = app.admin_token().await;
    // Well-formed URLs the operator's policy keeps deliveries from: 403.
    for url in [
        "http://127.0.0.1:9/hooks",
        "http://localhost/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hooks",
        "http://2130706433/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::1]/",
    ] {
        let (status, problem) = try_subscribe(&app, &admin, url).await;
        assert_eq!(status, 403, "{url}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().starts_with("url "),
            "{problem}"
        );
    }
    // URLs that are not http(s) destinations: 422 naming the field.
    for url in [
        "ftp://example.vn/hook",
        "https://user:pass@example.vn/hook",
        "không phải URL",
    ] {
        let (status, problem) = try_subscribe(&app, &admin, url).await;
        assert_eq!(status, 422, "{url}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "url", "{url}");
    }
    let (_, list) = call(&app, Method::GET, "/api/v1/webhooks", Some(&admin), None).await;
    assert_eq!(list["total"], 0);
}

#[actix_web::test]
async fn a_destination_is_checked_again_when_sent_and_the_log_tells_no_system_detail() {
    let receiver = Receiver::start(Arc::new(|_| Answer::Status(200))).await;
    let app = spawn_admin_app_with(quick_and_guarded).await;
    let admin = app.admin_token().await;
    // Stored before the rule, or a name that resolves elsewhere since.
    let url = receiver.url.clone();
    let webhook = app
        .database()
        .write(move |conn| {
            bulletin_api::webhooks::queries::insert(
                conn,
                &url,
                r#"["article.published"]"#,
                SECRET,
                true,
                chrono::Utc::now().naive_utc(),
            )
            .map_err(bulletin_api::db::StoreError::from)
        })
        .await
        .unwrap();
    let path = format!("/api/v1/webhooks/{}/test", webhook.id);
    let (status, delivery) = call(&app, Method::POST, &path, Some(&admin), None).await;
    assert_eq!(status, 200, "{delivery}");
    assert_eq!(delivery["last_error"], "the destination is not allowed");
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert!(
        receiver.received().is_empty(),
        "nothing reached the receiver"
    );

    // An operator allowing private networks: a closed port is one short class.
    let open = spawn_admin_app_with(quick).await;
    let admin = open.admin_token().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!(
        "http://127.0.0.1:{}/hooks",
        closed.local_addr().unwrap().port()
    );
    drop(closed);
    let webhook = subscribe(&open, &admin, &closed_url, json!(["article.published"])).await;
    let path = format!("/api/v1/webhooks/{}/test", webhook["id"]);
    let (_, delivery) = call(&open, Method::POST, &path, Some(&admin), None).await;
    let error = delivery["last_error"].as_str().unwrap();
    assert_eq!(error, "the connection was refused or failed (TLS included)");
}

#[actix_web::test]
async fn a_redirect_from_a_receiver_is_not_followed() {
    let target = Receiver::start(Arc::new(|_| Answer::Status(200))).await;
    let redirector = {
        let location = target.url.clone();
        HttpServer::new(move || {
            let location = location.clone();
            App::new().default_service(web::to(move || {
                let location = location.clone();
                async move {
                    HttpResponse::TemporaryRedirect()
                        .insert_header(("Location", location))
                        .finish()
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap()
    };
    let redirect_url = format!("http://127.0.0.1:{}/hooks", redirector.addrs()[0].port());
    actix_web::rt::spawn(redirector.run());
    let app = spawn_admin_app_with(quick).await;
    let admin = app.admin_token().await;
    let webhook = subscribe(&app, &admin, &redirect_url, json!(["article.published"])).await;
    let path = format!("/api/v1/webhooks/{}/test", webhook["id"]);
    let (_, delivery) = call(&app, Method::POST, &path, Some(&admin), None).await;
    assert_eq!(delivery["last_status"], 307);
    assert_ne!(delivery["status"], "delivered");
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert!(
        target.received().is_empty(),
        "the redirect was not followed"
    );
}

#[actix_web::test]
async fn a_paused_subscription_sends_no_test_and_leaves_nothing_pending() {
    let receiver = Receiver::start(Arc::new(|_| Answer::Status(500))).await;
    let app = spawn_admin_app_with(|s| {
        quick(s);
        // Retried only much later: the failed delivery stays pending meanwhile.
        s.webhooks.first_retry = Duration::from_secs(3600);
    })
    .await;
    let admin = app.admin_token().await;
    let webhook = subscribe(&app, &admin, &receiver.url, json!(["article.published"])).await;
    let test = format!("/api/v1/webhooks/{}/test", webhook["id"]);
    let (_, delivery) = call(&app, Method::POST, &test, Some(&admin), None).await;
    assert_eq!(delivery["status"], "pending", "{delivery}");

    pause(&app, &admin, &webhook).await;
    let log = deliveries(&app, &admin, &webhook).await;
    assert_eq!(log["items"][0]["status"], "failed", "{log}");
    assert_eq!(
        log["items"][0]["last_error"],
        "the subscription was paused before this was sent"
    );

    let (status, problem) = call(&app, Method::POST, &test, Some(&admin), None).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(
        deliveries(&app, &admin, &webhook).await["total"],
        1,
        "no test was queued"
    );
}
