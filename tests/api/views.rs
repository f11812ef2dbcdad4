//! Views: counted for readers, written in batches, never lost.

use std::time::{Duration, Instant};

use awc::http::Method;
use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{
    DEMO_SLUG, TestApp, call, expect_problem, spawn_admin_app, spawn_admin_app_with,
};
use bulletin_api::db::schema::{article_views, articles};

const SEED_VIEWS: i64 = 268;

/// The demo article's views as the API shows them.
async fn views_shown(app: &TestApp) -> i64 {
    app.get_json("/api/v1/articles?limit=1").await["items"][0]["view_count"]
        .as_i64()
        .unwrap()
}

/// Waits (up to 5 s, the spec's bound) until the API shows `expected` views.
async fn wait_for_views(app: &TestApp, expected: i64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let shown = views_shown(app).await;
        if shown == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "views stayed at {shown}, expected {expected}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn read_demo(app: &TestApp, credentials: Option<&str>) -> u16 {
    call(
        app,
        Method::GET,
        &format!("/api/v1/articles/{DEMO_SLUG}"),
        credentials,
        None,
    )
    .await
    .0
}

/// An app that writes counted views every 100 ms.
async fn spawn_flushing_app() -> TestApp {
    spawn_admin_app_with(|s| s.caching.view_flush_interval = Duration::from_millis(100)).await
}

#[actix_web::test]
async fn many_guests_and_members_reading_at_once_each_count_once() {
    let app = spawn_flushing_app().await;
    let member = app.token_with_role("member").await;
    let guests = (0..40).map(|_| read_demo(&app, None));
    let members = (0..10).map(|_| read_demo(&app, Some(&member)));
    let (guests, members) = futures_util::future::join(
        futures_util::future::join_all(guests),
        futures_util::future::join_all(members),
    )
    .await;
    assert!(guests.iter().chain(&members).all(|status| *status == 200));
    wait_for_views(&app, SEED_VIEWS + 50).await;
    // A few more flushes later, still exactly that: nothing counted twice.
    actix_web::rt::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(views_shown(&app).await, SEED_VIEWS + 50);
}

#[actix_web::test]
async fn staff_programs_and_head_requests_count_no_view() {
    let app = spawn_flushing_app().await;
    let admin = app.admin_token().await;
    let (_, key) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "k", "scope": "read"})),
    )
    .await;
    for credentials in [
        Some(app.token_with_role("author").await),
        Some(app.token_with_role("editor").await),
        Some(admin.clone()),
        Some(key["key"].as_str().unwrap().to_owned()),
    ] {
        assert_eq!(read_demo(&app, credentials.as_deref()).await, 200);
    }
    let head = app
        .request(Method::HEAD, &format!("/api/v1/articles/{DEMO_SLUG}"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status().as_u16(), 200);
    // One guest read after them: once it shows, every earlier read was flushed too.
    read_demo(&app, None).await;
    wait_for_views(&app, SEED_VIEWS + 1).await;
}

#[actix_web::test]
async fn views_still_in_memory_are_written_at_shutdown() {
    // The test apps' default: no periodic flush during the test.
    let mut app = spawn_admin_app().await;
    for _ in 0..7 {
        read_demo(&app, None).await;
    }
    assert_eq!(views_shown(&app).await, SEED_VIEWS, "nothing flushed yet");
    app.stop().await;
    let stored: i64 = app
        .database()
        .read(|conn| {
            article_views::table
                .select(article_views::view_count)
                .first(conn)
        })
        .await
        .unwrap();
    assert_eq!(stored, SEED_VIEWS + 7);
}

#[actix_web::test]
async fn a_flush_of_more_articles_than_one_batch_writes_each_of_their_views() {
    // No periodic flush: the one at shutdown writes them all, in batches.
    let mut app = spawn_admin_app().await;
    let many = 300;
    crate::lists::more_articles(&app, 1, many).await;
    for i in 1..=many {
        let path = format!("/api/v1/articles/bai-{i}");
        assert_eq!(app.get(&path).send().await.unwrap().status(), 200, "{path}");
    }
    app.stop().await;
    let stored: Vec<(String, i64)> = app
        .database()
        .read(|conn| {
            articles::table
                .inner_join(article_views::table)
                .filter(articles::slug.like("bai-%"))
                .select((articles::slug, article_views::view_count))
                .load(conn)
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), many as usize);
    for (slug, views) in stored {
        let i: i64 = slug["bai-".len()..].parse().unwrap();
        // `more_articles` gave each `i * 37 % 1000` views; one read each since.
        assert_eq!(views, i * 37 % 1000 + 1, "{slug}");
    }
}

#[actix_web::test]
async fn a_bad_token_on_a_public_read_is_a_401_not_a_guest_read() {
    let app = spawn_admin_app().await;
    let mut response = app
        .get(&format!("/api/v1/articles/{DEMO_SLUG}"))
        .bearer_auth("expired-or-forged")
        .send()
        .await
        .unwrap();
    expect_problem(&mut response, 401).await;
}

#[actix_web::test]
async fn document_reads_by_readers_count_too() {
    let app = spawn_flushing_app().await;
    let editor = app.token_with_role("editor").await;
    let reads = (0..20).map(|_| call(&app, Method::GET, "/api/v1/documents/1", None, None));
    let answers = futures_util::future::join_all(reads).await;
    assert!(answers.iter().all(|(status, _)| *status == 200));
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        // The editor's reads, checking, count no view.
        let (_, document) = call(
            &app,
            Method::GET,
            "/api/v1/documents/1",
            Some(&editor),
            None,
        )
        .await;
        if document["view_count"] == 20 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "views stayed at {}",
            document["view_count"]
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    actix_web::rt::time::sleep(Duration::from_millis(350)).await;
    let (_, document) = call(
        &app,
        Method::GET,
        "/api/v1/documents/1",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(document["view_count"], 20);
}

/// The status and `ETag` of a GET of `path` sent with `If-None-Match: tag`.
async fn revalidated(app: &TestApp, path: &str, tag: &str) -> (u16, Option<String>) {
    let response = app
        .get(path)
        .insert_header(("If-None-Match", tag))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        crate::helpers::header(&response, "etag"),
    )
}

#[actix_web::test]
async fn polling_stays_a_304_while_only_view_counts_move() {
    let app = spawn_flushing_app().await;
    let list = "/api/v1/articles?limit=1";
    let article = format!("/api/v1/articles/{DEMO_SLUG}");
    let mut tags = Vec::new();
    for path in [list, article.as_str()] {
        let response = app.get(path).send().await.unwrap();
        assert!(
            crate::helpers::header(&response, "last-modified").is_some(),
            "{path} says when it last changed"
        );
        tags.push(crate::helpers::header(&response, "etag").unwrap());
    }
    // Two guest reads of the article (the one above and this one), shown
    // once flushed.
    let mut status = read_demo(&app, None).await;
    assert_eq!(status, 200);
    wait_for_views(&app, SEED_VIEWS + 2).await;
    for (path, tag) in [list, article.as_str()].into_iter().zip(&tags) {
        let (revalidated, _) = revalidated(&app, path, tag).await;
        assert_eq!(revalidated, 304, "{path}: only the views moved");
    }

    // A change to what the article shows is a new answer.
    let editor = app.token_with_role("editor").await;
    let (changed, _) = call(
        &app,
        Method::PATCH,
        &article,
        Some(&editor),
        Some(json!({"title": "TIN NỔI BẬT, ĐÃ SỬA"})),
    )
    .await;
    assert_eq!(changed, 200);
    let deadline = Instant::now() + Duration::from_secs(5);
    for (path, tag) in [list, article.as_str()].into_iter().zip(&tags) {
        loop {
            (status, _) = revalidated(&app, path, tag).await;
            if status == 200 || Instant::now() > deadline {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(status, 200, "{path}");
    }
}

/// Two published articles as a release before `article_views` kept them,
/// their views in their own rows.
const COUNTED_IN_ARTICLE_ROWS: &str = "
INSERT INTO articles (id, slug, title, summary, body_html, body_text, byline, status,
        published_at, created_at, updated_at, view_count)
    VALUES (1, 'it-doc', 'Ít người đọc', '', '<p>Một</p>', 'Một', '', 'published',
        '2026-01-05 02:00:00', '2026-01-05 02:00:00', '2026-01-05 02:00:00', 268),
    (2, 'nhieu-doc', 'Nhiều người đọc', '', '<p>Hai</p>', 'Hai', '', 'published',
        '2026-01-04 02:00:00', '2026-01-04 02:00:00', '2026-01-04 02:00:00', 5000);
";

#[actix_web::test]
async fn views_counted_before_the_upgrade_stay_with_their_articles() {
    let dir = tempfile::tempdir().unwrap();
    let database =
        crate::helpers::written_before_migration(&dir, "article_views", COUNTED_IN_ARTICLE_ROWS);
    let mut app = spawn_admin_app_with(move |s| s.database.url = database).await;

    let article = app.get_json("/api/v1/articles/it-doc").await;
    assert_eq!(article["view_count"], 268, "{article}");
    let most_read = app.get_json("/api/v1/articles?sort=-view_count").await;
    let shown: Vec<_> = most_read["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["slug"].clone(), item["view_count"].clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (json!("nhieu-doc"), json!(5000)),
            (json!("it-doc"), json!(268))
        ]
    );
    let counters = app.get_json("/api/v1/articles/counters?ids=2,1").await;
    assert_eq!(counters["items"][0]["view_count"], 5000, "{counters}");

    // The read above is added to the moved count when the app stops.
    app.stop().await;
    let stored: Vec<(i32, i64)> = app
        .database()
        .read(|conn| {
            article_views::table
                .order(article_views::article_id)
                .load(conn)
        })
        .await
        .unwrap();
    assert_eq!(stored, [(1, 269), (2, 5000)]);
}
