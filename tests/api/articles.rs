//! Reading articles: the demo page, lists and keyset paging.

use std::collections::HashSet;

use bulletin_api::articles::ArticleStatus;
use chrono::{Duration, NaiveDateTime, Utc};

use crate::helpers::{
    DEMO_SLUG, TestApp, expect_problem, item_ids, json_body, spawn_app, spawn_app_with,
};

#[actix_web::test]
async fn the_demo_article_carries_everything_on_the_department_page() {
    let app = spawn_app().await;
    let mut response = app
        .get(&format!("/api/v1/articles/{DEMO_SLUG}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let article = json_body(&mut response).await;

    assert_eq!(
        article["title"],
        "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH"
    );
    assert_eq!(article["slug"], DEMO_SLUG);
    assert_eq!(article["status"], "published");
    assert_eq!(article["published_at"], "2023-01-19T10:03:00+07:00");
    assert_eq!(article["byline"], "Phòng CCHC-VTLT");
    assert_eq!(article["view_count"], 268);
    assert_eq!(article["comment_count"], 0);
    assert_eq!(article["rating"]["total"], 3);
    assert_eq!(article["rating"]["count"], 3);
    assert_eq!(article["rating"]["average"], 1.0);
    assert_eq!(article["category"]["name"], "Cải cách hành chính");
    assert_eq!(article["category"]["slug"], "cai-cach-hanh-chinh");
    assert!(article["author"].is_null());
    assert!(
        article["body_html"]
            .as_str()
            .unwrap()
            .starts_with("<p>1. Tham mưu UBND tỉnh")
    );

    let numbers: Vec<&str> = article["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        [
            "5359/QĐ-UBND",
            "24/KH-UBND",
            "34/KH-UBND",
            "130/KH-UBND",
            "135/KH-UBND",
            "2535/QĐ-UBND"
        ],
        "cited documents, in the order they were issued"
    );
    assert_eq!(article["documents"][0]["kind"], "decision");
    assert_eq!(article["documents"][0]["issued_on"], "2021-12-31");
}

#[actix_web::test]
async fn an_article_is_found_by_id_as_by_slug() {
    let app = spawn_app().await;
    let by_slug = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    let id = by_slug["id"].as_i64().unwrap();
    let by_id = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(by_id, by_slug);
}

#[actix_web::test]
async fn times_are_shown_at_the_configured_offset() {
    let app =
        spawn_app_with(|s| s.site.utc_offset = chrono::FixedOffset::east_opt(0).unwrap()).await;
    let article = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    assert_eq!(article["published_at"], "2023-01-19T03:03:00Z");
}

#[actix_web::test]
async fn without_demo_content_a_new_database_is_empty() {
    let app = spawn_app_with(|s| s.demo = false).await;
    let list = app.get_json("/api/v1/articles").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    assert_eq!(list["total"], 0);
    assert!(list["next_cursor"].is_null());
    let mut response = app
        .get(&format!("/api/v1/articles/{DEMO_SLUG}"))
        .send()
        .await
        .unwrap();
    expect_problem(&mut response, 404).await;
}

#[actix_web::test]
async fn a_scheduled_article_whose_time_has_come_is_served_as_published() {
    let app = spawn_app().await;
    // Stored as scheduled; its time passed with no job run to flip the status.
    let id = app
        .insert_article("Tin hẹn giờ", ArticleStatus::Scheduled, days_ago(1))
        .await;
    let article = app.get_json(&format!("/api/v1/articles/{id}")).await;
    assert_eq!(article["status"], "published");
    let list = app.get_json("/api/v1/articles").await;
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["status"], "published");
}

#[actix_web::test]
async fn articles_dated_in_the_future_are_not_listed_or_served() {
    let app = spawn_app().await;
    let tomorrow = Utc::now().naive_utc() + Duration::days(1);
    let id = app.publish_article("Bài viết ngày mai", tomorrow).await;
    let list = app.get_json("/api/v1/articles").await;
    assert_eq!(list["total"], 1);
    let mut response = app
        .get(&format!("/api/v1/articles/{id}"))
        .send()
        .await
        .unwrap();
    expect_problem(&mut response, 404).await;
}

fn days_ago(days: i64) -> NaiveDateTime {
    Utc::now().naive_utc() - Duration::days(days)
}

#[actix_web::test]
async fn lists_are_newest_first_and_page_numbers_work() {
    let app = spawn_app().await;
    for day in 1..=4 {
        app.publish_article(&format!("Tin số {day}"), days_ago(day))
            .await;
    }
    let first = app.get_json("/api/v1/articles?limit=2").await;
    assert_eq!(first["total"], 5);
    let titles: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Tin số 1", "Tin số 2"]);
    assert!(
        first["items"][0].get("body_html").is_none(),
        "lists leave the body out"
    );

    let third = app.get_json("/api/v1/articles?limit=2&page=3").await;
    let titles: Vec<&str> = third["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH"]);
    assert!(third["next_cursor"].is_null(), "no cursor on the last page");
}

/// Follows `next_cursor` from the first page to the last, running
/// `between_pages` (given how many ids were seen) after each page; answers
/// the ids in the order they came.
async fn ids_through_cursors(
    app: &TestApp,
    limit: u32,
    mut between_pages: impl AsyncFnMut(usize),
) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/articles?limit={limit}");
    loop {
        let page = app.get_json(&path).await;
        seen.extend(item_ids(&page));
        between_pages(seen.len()).await;
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/articles?limit={limit}&cursor={cursor}"),
            None => return seen,
        }
    }
}

#[actix_web::test]
async fn cursor_paging_neither_skips_nor_repeats_while_articles_are_published() {
    let app = spawn_app().await;
    for day in 1..=6 {
        app.publish_article(&format!("Tin cũ {day}"), days_ago(day))
            .await;
    }
    let seen = ids_through_cursors(&app, 3, async |seen| {
        // A newer article appears while the client is paging.
        let title = format!("Tin mới {seen}");
        app.publish_article(&title, Utc::now().naive_utc()).await;
    })
    .await;
    assert_eq!(
        seen.len(),
        7,
        "the demo article and the six older ones: {seen:?}"
    );
    assert_eq!(
        seen.iter().collect::<HashSet<_>>().len(),
        7,
        "no article twice"
    );
}

#[actix_web::test]
async fn cursor_paging_breaks_ties_on_publication_time_by_id() {
    let app = spawn_app().await;
    let same_moment = days_ago(1);
    for n in 1..=5 {
        app.publish_article(&format!("Cùng giờ {n}"), same_moment)
            .await;
    }
    let seen = ids_through_cursors(&app, 2, async |_| {}).await;
    let demo = 1;
    assert_eq!(
        seen,
        [6, 5, 4, 3, 2, demo],
        "newest id first among equal times, none skipped"
    );
}

#[actix_web::test]
async fn an_article_links_to_its_frontend_page_or_else_to_its_resource() {
    let api = spawn_app().await;
    let read = api.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    assert_eq!(read["url"], format!("/api/v1/articles/{DEMO_SLUG}"));

    let app = spawn_app_with(|s| {
        s.site.permalinks.article = Some("https://sonoivu.gov.vn/tin/{slug}-{id}".into());
    })
    .await;
    let page = format!("https://sonoivu.gov.vn/tin/{DEMO_SLUG}-1");
    let read = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    assert_eq!(read["url"], page);
    let listed = app.get_json("/api/v1/articles?fields=url").await;
    assert_eq!(
        listed["items"][0],
        serde_json::json!({"id": 1, "url": page})
    );
    let synced = app.get_json("/api/v1/articles/changes").await;
    assert_eq!(synced["items"][0]["url"], page);
}

#[actix_web::test]
async fn a_cited_document_links_to_its_page() {
    let app = spawn_app_with(|s| {
        s.site.permalinks.document = Some("https://sonoivu.gov.vn/van-ban/{id}".into());
    })
    .await;
    let read = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    let cited = read["documents"].as_array().unwrap();
    assert!(!cited.is_empty(), "the demo article cites documents");
    for document in cited {
        assert_eq!(
            document["url"],
            format!("https://sonoivu.gov.vn/van-ban/{}", document["id"])
        );
    }
}
