//! The orders a list comes in, and cursors that keep to theirs.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::{TestApp, expect_problem, spawn_app};
use bulletin_api::articles::ArticleStatus;
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::{article_views, articles};

fn titles(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Published articles, each `(days ago, title, views, star total, votes)`,
/// with views and ratings set in the database.
async fn publish_counted(app: &TestApp, articles: &[(i64, &str, i64, i64, i64)]) {
    let now = Utc::now().naive_utc();
    for &(days, title, views, total, count) in articles {
        let id = app
            .insert_article(title, ArticleStatus::Published, now - Duration::days(days))
            .await;
        app.database()
            .write(move |conn| {
                diesel::update(article_views::table.find(id))
                    .set(article_views::view_count.eq(views))
                    .execute(conn)?;
                diesel::update(articles::table.find(id))
                    .set((
                        articles::rating_total.eq(total),
                        articles::rating_count.eq(count),
                    ))
                    .execute(conn)
                    .map_err(StoreError::from)
            })
            .await
            .unwrap();
    }
}

/// Three articles besides the demo one (268 views, 3 stars from 3 votes).
async fn newsroom(app: &TestApp) {
    publish_counted(
        app,
        &[
            (1, "Mới nhất", 10, 5, 1),
            (2, "Nhiều lượt xem", 900, 8, 2),
            (3, "Được chấm cao", 268, 9, 2),
        ],
    )
    .await;
}

const DEMO: &str = "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH";

#[actix_web::test]
async fn each_sort_orders_as_it_says() {
    let app = spawn_app().await;
    newsroom(&app).await;
    let sorted = |sort: &'static str| {
        let app = &app;
        async move { titles(&app.get_json(&format!("/api/v1/articles?sort={sort}")).await) }
    };
    assert_eq!(
        sorted("-published_at").await,
        ["Mới nhất", "Nhiều lượt xem", "Được chấm cao", DEMO]
    );
    assert_eq!(
        sorted("published_at").await,
        [DEMO, "Được chấm cao", "Nhiều lượt xem", "Mới nhất"]
    );
    // Equal views (268) fall back to the newer id first.
    assert_eq!(
        sorted("-view_count").await,
        ["Nhiều lượt xem", "Được chấm cao", DEMO, "Mới nhất"]
    );
    // Scores (total + 15) / (count + 5): 24/7, 20/6, 23/7 and the demo's
    // 18/8; a single vote of 5 does not outrank two averaging 4.5.
    assert_eq!(
        sorted("-rating").await,
        ["Được chấm cao", "Mới nhất", "Nhiều lượt xem", DEMO]
    );
    assert_eq!(
        titles(&app.get_json("/api/v1/articles").await),
        sorted("-published_at").await
    );
}

#[actix_web::test]
async fn cursors_walk_every_sort_without_skipping_or_repeating() {
    let app = spawn_app().await;
    newsroom(&app).await;
    for sort in ["-published_at", "published_at", "-view_count", "-rating"] {
        let whole = titles(&app.get_json(&format!("/api/v1/articles?sort={sort}")).await);
        let mut walked = Vec::new();
        let mut path = format!("/api/v1/articles?sort={sort}&limit=1");
        loop {
            let page = app.get_json(&path).await;
            walked.extend(titles(&page));
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    path = format!("/api/v1/articles?sort={sort}&limit=1&cursor={cursor}")
                }
                None => break,
            }
        }
        assert_eq!(walked, whole, "{sort}");
    }
}

#[actix_web::test]
async fn a_cursor_under_another_sort_names_no_page() {
    let app = spawn_app().await;
    newsroom(&app).await;
    let first = app
        .get_json("/api/v1/articles?sort=-view_count&limit=1")
        .await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let mut response = app
        .get(&format!(
            "/api/v1/articles?sort=-rating&limit=1&cursor={cursor}"
        ))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 404).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("cursor"),
        "{problem}"
    );
}

#[actix_web::test]
async fn relevance_without_a_search_is_newest_first_and_unknown_sorts_are_refused() {
    let app = spawn_app().await;
    newsroom(&app).await;
    let relevance = app.get_json("/api/v1/articles?sort=relevance").await;
    let newest = app.get_json("/api/v1/articles").await;
    assert_eq!(titles(&relevance), titles(&newest));
    assert!(!titles(&newest).is_empty());
    let mut unknown = app.get("/api/v1/articles?sort=title").send().await.unwrap();
    let problem = expect_problem(&mut unknown, 422).await;
    assert_eq!(problem["errors"][0]["field"], "sort", "{problem}");
}

#[actix_web::test]
async fn a_search_can_come_newest_first() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    app.insert_article(
        "Hội nghị cải cách hành chính",
        ArticleStatus::Published,
        now,
    )
    .await;
    let by_relevance = titles(
        &app.get_json("/api/v1/articles?q=cai%20cach%20hanh%20chinh")
            .await,
    );
    let newest = titles(
        &app.get_json("/api/v1/articles?q=cai%20cach%20hanh%20chinh&sort=-published_at")
            .await,
    );
    let oldest = titles(
        &app.get_json("/api/v1/articles?q=cai%20cach%20hanh%20chinh&sort=published_at")
            .await,
    );
    assert_eq!(newest, ["Hội nghị cải cách hành chính", DEMO]);
    assert_eq!(oldest, [DEMO, "Hội nghị cải cách hành chính"]);
    assert_eq!(by_relevance.len(), 2);
}

#[actix_web::test]
async fn a_search_can_come_most_viewed_first() {
    let app = spawn_app().await;
    publish_counted(
        &app,
        &[
            (1, "Cải cách hành chính ít người đọc", 10, 0, 0),
            (2, "Cải cách hành chính được đọc nhiều", 900, 0, 0),
            (3, "Chuyển đổi số được đọc nhiều nhất", 5000, 0, 0),
        ],
    )
    .await;
    let most_viewed = app
        .get_json("/api/v1/articles?q=cai%20cach%20hanh%20chinh&sort=-view_count")
        .await;
    assert_eq!(
        titles(&most_viewed),
        [
            "Cải cách hành chính được đọc nhiều",
            DEMO,
            "Cải cách hành chính ít người đọc"
        ],
        "the matches by their views (the demo's 268 between), the most read article left out: {most_viewed}"
    );
}

/// `-rating` ranks by a documented Bayesian score, not the bare average:
/// two votes of 5 do not outrank seventy averaging 4.5, and an unrated
/// article comes after every rated one.
#[actix_web::test]
async fn a_few_high_votes_do_not_outrank_many_good_ones() {
    let app = spawn_app().await;
    publish_counted(
        &app,
        &[
            (1, "Hai phiếu năm sao", 0, 10, 2),
            (2, "Bảy mươi phiếu", 0, 315, 70),
            (3, "Chưa ai chấm", 0, 0, 0),
        ],
    )
    .await;
    assert_eq!(
        titles(&app.get_json("/api/v1/articles?sort=-rating").await),
        ["Bảy mươi phiếu", "Hai phiếu năm sao", DEMO, "Chưa ai chấm"]
    );
}
