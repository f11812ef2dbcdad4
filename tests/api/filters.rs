//! Narrowing article lists: by category (with its subcategories), author and date.

use awc::http::Method;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Placement, TestApp, call, expect_problem, spawn_admin_app};
use bulletin_api::articles::ArticleStatus;

fn titles(list: &Value) -> Vec<String> {
    let mut titles: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    titles
}

const DEMO_TITLE: &str = "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH";

/// The demo category (1) gets a subcategory with an article; another
/// category gets one too. Answers (subcategory id, other category id).
async fn newsroom(app: &TestApp) -> (i32, i32) {
    let admin = app.admin_token().await;
    let create = |body: Value| {
        let admin = admin.clone();
        async move {
            let (status, category) = call(
                app,
                Method::POST,
                "/api/v1/categories",
                Some(&admin),
                Some(body),
            )
            .await;
            assert_eq!(status, 201);
            category["id"].as_i64().unwrap() as i32
        }
    };
    let sub = create(json!({"name": "Văn thư lưu trữ", "parent_id": 1})).await;
    let other = create(json!({"name": "Thể thao"})).await;
    let yesterday = Utc::now().naive_utc() - Duration::days(1);
    let placed = |category_id| Placement {
        category_id: Some(category_id),
        author_id: None,
    };
    app.insert_article_placed(
        "Số hóa tài liệu lưu trữ",
        "<p>lưu trữ</p>",
        ArticleStatus::Published,
        yesterday,
        placed(sub),
    )
    .await;
    app.insert_article_placed(
        "Giải bóng chuyền",
        "<p>thể thao</p>",
        ArticleStatus::Published,
        yesterday,
        placed(other),
    )
    .await;
    (sub, other)
}

#[actix_web::test]
async fn a_category_lists_its_subcategories_articles_too() {
    let app = spawn_admin_app().await;
    let (sub, _) = newsroom(&app).await;
    let by_slug = app
        .get_json("/api/v1/articles?category=cai-cach-hanh-chinh")
        .await;
    assert_eq!(titles(&by_slug), ["Số hóa tài liệu lưu trữ", DEMO_TITLE]);
    assert_eq!(by_slug["total"], 2);
    let sub_only = app
        .get_json(&format!("/api/v1/articles?category={sub}"))
        .await;
    assert_eq!(titles(&sub_only), ["Số hóa tài liệu lưu trữ"]);
}

#[actix_web::test]
async fn an_unknown_category_is_a_404_naming_it() {
    let app = spawn_admin_app().await;
    for category in ["khong-co", "9999", "Not A Slug"] {
        let mut response = app
            .get(&format!(
                "/api/v1/articles?category={}",
                category.replace(' ', "%20")
            ))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 404).await;
        assert_eq!(problem["errors"][0]["field"], "category", "{category}");
    }
}

#[actix_web::test]
async fn articles_are_narrowed_to_an_author() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (author, _) = app.create_user(&admin, "author").await;
    let now = Utc::now().naive_utc();
    let theirs = Placement {
        category_id: None,
        author_id: Some(author as i32),
    };
    app.insert_article_placed(
        "Bài của tác giả",
        "<p>x</p>",
        ArticleStatus::Published,
        now,
        theirs,
    )
    .await;
    let list = app
        .get_json(&format!("/api/v1/articles?author={author}"))
        .await;
    assert_eq!(titles(&list), ["Bài của tác giả"]);
    assert_eq!(list["items"][0]["author"]["id"], author);
}

#[actix_web::test]
async fn a_publication_range_keeps_what_falls_in_it() {
    let app = spawn_admin_app().await;
    newsroom(&app).await;
    // The demo article is of 19 January 2023, 10:03 in Vietnam.
    let january = app.get_json("/api/v1/articles?published_from=2023-01-19T00:00:00%2B07:00&published_to=2023-01-20T00:00:00%2B07:00").await;
    assert_eq!(titles(&january), [DEMO_TITLE]);
    let since_2024 = app
        .get_json("/api/v1/articles?published_from=2024-01-01T00:00:00Z")
        .await;
    assert_eq!(since_2024["total"], 2);

    let inverted = app
        .get_json("/api/v1/articles?published_from=2024-01-01T00:00:00Z&published_to=2023-01-01T00:00:00Z")
        .await;
    assert_eq!(
        (
            inverted["total"].as_i64(),
            inverted["items"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0)),
        "a range that ends before it starts holds nothing: {inverted}"
    );
}

#[actix_web::test]
async fn filters_narrow_a_search_too() {
    let app = spawn_admin_app().await;
    let (_, other) = newsroom(&app).await;
    // "tài liệu" is in the demo article and the archive one, not the sports one.
    let all = app.get_json("/api/v1/articles?q=tai%20lieu").await;
    assert_eq!(all["total"], 2);
    let narrowed = "q=tai%20lieu&category=cai-cach-hanh-chinh&published_from=2024-01-01T00:00:00Z";
    // By relevance and in an order alike (each keeps the filter's matches
    // among the words' few).
    for sort in ["relevance", "-published_at", "-view_count"] {
        let in_reform = app
            .get_json(&format!("/api/v1/articles?{narrowed}&sort={sort}"))
            .await;
        assert_eq!(titles(&in_reform), ["Số hóa tài liệu lưu trữ"], "{sort}");
        assert_eq!(in_reform["total"], 1, "{sort}");
        assert_eq!(in_reform["total_is_exact"], true, "{sort}");
        let in_sports = app
            .get_json(&format!(
                "/api/v1/articles?q=tai%20lieu&category={other}&sort={sort}"
            ))
            .await;
        assert_eq!(in_sports["total"], 0, "{sort}");
    }
}
