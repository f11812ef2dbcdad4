//! Several nodes on one PostgreSQL database, as behind a load balancer:
//! what one node counts, locks, ends or writes holds on the others. One
//! SQLite file serves one node, so these run where the test database is
//! PostgreSQL (`BULLETIN_TEST_POSTGRES`, as `.ci/run` sets it).

use std::time::{Duration, Instant};

use awc::http::Method;
use bulletin_api::db::schema::article_views;
use diesel::prelude::*;
use serde_json::json;

use crate::helpers::{
    ADMIN_EMAIL, PASSWORD, TestApp, call, draft, spawn_admin_app_with, spawn_app_with,
};

/// Two nodes on one database, or none when the tests run on SQLite.
async fn two_nodes(
    customise: fn(&mut bulletin_api::config::Settings),
) -> Option<(TestApp, TestApp)> {
    let first = spawn_admin_app_with(customise).await;
    first
        .settings
        .database
        .url
        .sqlite_file()
        .is_none()
        .then_some(())?;
    let database = first.settings.database.url.clone();
    let second = spawn_app_with(move |s| {
        customise(s);
        s.database.url = database;
    })
    .await;
    Some((first, second))
}

#[actix_web::test]
async fn votes_are_limited_once_across_nodes() {
    let Some((a, b)) = two_nodes(|_| {}).await else {
        return;
    };
    let vote = json!({"stars": 5});
    for turn in 0..bulletin_api::limits::VOTES_PER_MINUTE {
        let node = if turn % 2 == 0 { &a } else { &b };
        let (status, body) = call(
            node,
            Method::POST,
            "/api/v1/articles/1/ratings",
            None,
            Some(vote.clone()),
        )
        .await;
        assert_eq!(status, 200, "vote {turn}: {body}");
    }
    for node in [&a, &b] {
        let (status, _) = call(
            node,
            Method::POST,
            "/api/v1/articles/1/ratings",
            None,
            Some(vote.clone()),
        )
        .await;
        assert_eq!(status, 429, "the client's votes are spent on every node");
    }
}

#[actix_web::test]
async fn failed_logins_lock_an_account_on_every_node() {
    let Some((a, b)) = two_nodes(|_| {}).await else {
        return;
    };
    let login = |password: &str| json!({"email": ADMIN_EMAIL, "password": password});
    for attempt in 0..5 {
        let node = if attempt % 2 == 0 { &a } else { &b };
        let (status, _) = call(
            node,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(login("sai mật khẩu rồi")),
        )
        .await;
        assert_eq!(status, 401, "attempt {attempt}");
    }
    for node in [&a, &b] {
        let (status, _) = call(
            node,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(login(PASSWORD)),
        )
        .await;
        assert_eq!(status, 429, "the account is locked on every node");
    }
}

#[actix_web::test]
async fn a_logout_on_one_node_is_refused_on_the_others() {
    let Some((a, b)) = two_nodes(|_| {}).await else {
        return;
    };
    let tokens = b.login(ADMIN_EMAIL, PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        call(&b, Method::GET, "/api/v1/auth/me", Some(access), None)
            .await
            .0,
        200
    );
    let (status, _) = call(&a, Method::POST, "/api/v1/auth/logout", Some(access), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        call(&b, Method::GET, "/api/v1/auth/me", Some(access), None)
            .await
            .0,
        401
    );
    let refresh = json!({"refresh_token": tokens["refresh_token"]});
    assert_eq!(
        call(
            &b,
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(refresh)
        )
        .await
        .0,
        401
    );
}

#[actix_web::test]
async fn a_write_on_one_node_is_read_on_another_within_a_second() {
    let Some((a, b)) = two_nodes(|s| s.caching.response_cache = true).await else {
        return;
    };
    // The second node keeps its answer in its response cache.
    let before = b.get_json("/api/v1/articles").await;
    assert_eq!(before["total"], 1);
    let editor = a.token_with_role("editor").await;
    let mut article = draft("Tin viết trên nút thứ nhất");
    article["status"] = "published".into();
    let (status, _) = call(
        &a,
        Method::POST,
        "/api/v1/articles",
        Some(&editor),
        Some(article),
    )
    .await;
    assert_eq!(status, 201);
    let written = Instant::now();
    while b.get_json("/api/v1/articles").await["total"] != 2 {
        assert!(
            written.elapsed() < Duration::from_millis(1_500),
            "not seen within a second"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn views_counted_on_every_node_add_up_exactly() {
    let Some((mut a, mut b)) = two_nodes(|_| {}).await else {
        return;
    };
    let db = a.database();
    let count = || {
        let db = db.clone();
        async move {
            db.read(|conn| {
                article_views::table
                    .find(1)
                    .select(article_views::view_count)
                    .first::<i64>(conn)
            })
            .await
            .unwrap()
        }
    };
    let before = count().await;
    for (node, views) in [(&a, 7), (&b, 5)] {
        for _ in 0..views {
            assert_eq!(
                node.get("/api/v1/articles/1")
                    .send()
                    .await
                    .unwrap()
                    .status(),
                200
            );
        }
    }
    // Each node writes the views it holds when it stops.
    a.stop().await;
    b.stop().await;
    assert_eq!(count().await - before, 12);
}

/// Attachments are kept in the database: one node's upload downloads whole,
/// and by range, from another that shares no disk with it; once removed
/// on that other node, the bytes are gone from both.
#[actix_web::test]
async fn an_attachment_uploaded_on_one_node_downloads_from_another() {
    let Some((a, b)) = two_nodes(|_| {}).await else {
        return;
    };
    let token = a.admin_token().await;
    let signed = crate::attachments::pdf_of(5000);
    let (status, attachment) = crate::attachments::upload(
        &a,
        &token,
        crate::attachments::form("file", "Kế hoạch 24.pdf", &signed),
    )
    .await;
    assert_eq!(status, 201, "{attachment}");
    let url = attachment["url"].as_str().unwrap();
    let mut whole = b.get(url).send().await.unwrap();
    assert_eq!(whole.status().as_u16(), 200);
    assert_eq!(whole.body().await.unwrap().as_ref(), signed.as_slice());
    let mut part = b
        .get(url)
        .insert_header(("Range", "bytes=0-7"))
        .send()
        .await
        .unwrap();
    assert_eq!(part.status().as_u16(), 206);
    assert_eq!(part.body().await.unwrap().as_ref(), b"%PDF-1.7");

    let (status, _) = call(&b, Method::DELETE, url, Some(&token), None).await;
    assert_eq!(status, 204);
    for node in [&a, &b] {
        let (status, _) = call(node, Method::GET, url, None, None).await;
        assert_eq!(status, 404);
    }
    let kept: i64 = a
        .database()
        .read(|conn| {
            bulletin_api::db::schema::attachment_contents::table
                .count()
                .get_result(conn)
        })
        .await
        .unwrap();
    assert_eq!(kept, 0, "no attachment holds the bytes any more");
}

/// Votes cast at the same moment on two nodes, each by a new guest, are
/// every one counted in the article's aggregate: a node's group of votes
/// that read a tally another node changed meanwhile runs again.
#[actix_web::test]
async fn votes_cast_at_once_on_two_nodes_are_all_counted() {
    let Some((a, b)) = two_nodes(|s| s.clients.rate_limit = false).await else {
        return;
    };
    let (_, before) = call(&a, Method::GET, "/api/v1/articles/1/ratings", None, None).await;
    let votes = 80;
    let stars = |n: i64| 1 + n % 5;
    let cast = (0..votes).map(|n| {
        let node = if n % 2 == 0 { &a } else { &b };
        async move {
            call(
                node,
                Method::POST,
                "/api/v1/articles/1/ratings",
                None,
                Some(json!({"stars": stars(n)})),
            )
            .await
        }
    });
    for (status, body) in futures_util::future::join_all(cast).await {
        assert_eq!(status, 200, "{body}");
    }
    let (_, after) = call(&b, Method::GET, "/api/v1/articles/1/ratings", None, None).await;
    assert_eq!(
        after["count"].as_i64().unwrap(),
        before["count"].as_i64().unwrap() + votes,
        "{before} then {after}"
    );
    assert_eq!(
        after["total"].as_i64().unwrap(),
        before["total"].as_i64().unwrap() + (0..votes).map(stars).sum::<i64>(),
        "{before} then {after}"
    );
}

/// Two edits sent at once to two nodes, both made against the version the
/// editor read (`If-Match`): one is written, the other is refused with 412,
/// never both written over each other.
#[actix_web::test]
async fn of_two_edits_of_one_version_on_two_nodes_one_wins() {
    let Some((a, b)) = two_nodes(|_| {}).await else {
        return;
    };
    let editor = a.admin_token().await;
    for round in 1..=5 {
        let tag = format!("\"article-1-v{round}\"");
        let edit = |node: &TestApp, title: String| {
            node.request(Method::PATCH, "/api/v1/articles/1")
                .bearer_auth(&editor)
                .insert_header(("If-Match", tag.clone()))
                .send_json(&json!({ "title": title }))
        };
        let (first, second) = futures_util::future::join(
            edit(&a, format!("Vòng {round}: nút một")),
            edit(&b, format!("Vòng {round}: nút hai")),
        )
        .await;
        let mut statuses = [first, second].map(|r| r.unwrap().status().as_u16());
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "round {round}");
    }
    let (_, article) = call(&b, Method::GET, "/api/v1/articles/1", Some(&editor), None).await;
    assert_eq!(article["version"], 6, "{article}");
}
