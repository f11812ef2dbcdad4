//! Several nodes on one PostgreSQL database, as behind a load balancer:
//! what one node counts, locks, ends or writes holds on the others. One
//! SQLite file serves one node, so these run where the test database is
//! PostgreSQL (`BULLETIN_TEST_POSTGRES`, as `.ci/run` sets it).

use std::time::{Duration, Instant};

use awc::http::Method;
use bulletin_api::db::schema::articles;
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
        .sqlite_file()
        .is_none()
        .then_some(())?;
    let database = first.settings.database.clone();
    let second = spawn_app_with(move |s| {
        customise(s);
        s.database = database;
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
    let Some((a, b)) = two_nodes(|s| s.response_cache = true).await else {
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
                articles::table
                    .find(1)
                    .select(articles::view_count)
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
