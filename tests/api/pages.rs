//! A page in one call: an article answers what its page shows beside it
//! (breadcrumbs, previous and next, reading time, cited documents' standing
//! and links in its body).

use serde_json::{Value, json};

use crate::helpers::{
    TestApp, create_article, draft, expect_problem, spawn_admin_app, spawn_admin_app_with,
    spawn_app,
};

async fn category(app: &TestApp, token: &str, name: &str, parent: Option<&Value>) -> Value {
    let mut response = app
        .request(awc::http::Method::POST, "/api/v1/categories")
        .bearer_auth(token)
        .send_json(&json!({"name": name, "parent_id": parent}))
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// An article published at `at` in `category`, with `words` words of body.
async fn published(
    app: &TestApp,
    token: &str,
    title: &str,
    at: &str,
    category: &Value,
    words: usize,
) -> Value {
    let mut body = draft(title);
    body["status"] = "published".into();
    body["published_at"] = at.into();
    body["category_id"] = category["id"].clone();
    body["body_html"] = format!("<p>{}</p>", vec!["chữ"; words].join(" ")).into();
    let (status, article) = create_article(app, token, body).await;
    assert_eq!(status, 201, "{article}");
    article
}

#[actix_web::test]
async fn an_article_links_its_breadcrumbs_and_its_neighbours_in_the_category() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let news = category(&app, &editor, "Tin tức", None).await;
    let reform = category(&app, &editor, "Cải cách", Some(&news["id"])).await;
    let first = published(
        &app,
        &editor,
        "Bài một",
        "2025-01-01T08:00:00+07:00",
        &reform,
        10,
    )
    .await;
    let middle = published(
        &app,
        &editor,
        "Bài hai",
        "2025-02-01T08:00:00+07:00",
        &reform,
        450,
    )
    .await;
    let last = published(
        &app,
        &editor,
        "Bài ba",
        "2025-03-01T08:00:00+07:00",
        &reform,
        10,
    )
    .await;
    published(
        &app,
        &editor,
        "Bài khác",
        "2025-02-15T08:00:00+07:00",
        &news,
        10,
    )
    .await;

    let read = app
        .get_json(&format!("/api/v1/articles/{}", middle["id"]))
        .await;
    let trail: Vec<&Value> = read["breadcrumbs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(trail, [&news["id"], &reform["id"]], "from the top down");
    assert_eq!(read["breadcrumbs"][1]["name"], "Cải cách");
    assert_eq!(
        read["breadcrumbs"][1]["url"],
        format!("/api/v1/categories/{}", reform["slug"].as_str().unwrap())
    );
    assert_eq!(
        read["previous"]["id"], first["id"],
        "only its own category: {read}"
    );
    assert_eq!(read["previous"]["title"], "Bài một");
    assert_eq!(read["previous"]["url"], first["url"]);
    assert_eq!(read["next"]["id"], last["id"]);
    assert_eq!(read["reading_time"], 3, "450 words at 200 a minute");

    let listed = app
        .get_json(&format!(
            "/api/v1/articles?category={}&include=breadcrumbs&fields=id,breadcrumbs",
            reform["id"]
        ))
        .await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{listed}");
    for item in items {
        assert_eq!(item["breadcrumbs"], read["breadcrumbs"], "{item}");
    }
    let plain = app.get_json("/api/v1/articles?limit=1").await;
    assert!(
        plain["items"][0].get("breadcrumbs").is_none(),
        "only when included"
    );

    let oldest = app
        .get_json(&format!("/api/v1/articles/{}", first["id"]))
        .await;
    assert_eq!(oldest["previous"], Value::Null);
    assert_eq!(oldest["next"]["id"], middle["id"]);
    assert_eq!(oldest["reading_time"], 1);
    let newest = app
        .get_json(&format!("/api/v1/articles/{}", last["id"]))
        .await;
    assert_eq!(newest["next"], Value::Null);

    let uncategorised = app
        .get_json("/api/v1/articles?fields=id,reading_time")
        .await;
    assert!(
        uncategorised["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["reading_time"].as_i64().unwrap() >= 1)
    );
}

#[actix_web::test]
async fn a_draft_between_two_articles_is_never_their_neighbour() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let news = category(&app, &editor, "Tin tức", None).await;
    let first = published(
        &app,
        &editor,
        "Bài một",
        "2025-01-01T08:00:00+07:00",
        &news,
        10,
    )
    .await;
    let mut hidden = draft("Bài nháp");
    hidden["category_id"] = news["id"].clone();
    let (status, _) = create_article(&app, &editor, hidden).await;
    assert_eq!(status, 201);
    let last = published(
        &app,
        &editor,
        "Bài ba",
        "2025-03-01T08:00:00+07:00",
        &news,
        10,
    )
    .await;
    let read = app
        .get_json(&format!("/api/v1/articles/{}", last["id"]))
        .await;
    assert_eq!(read["previous"]["id"], first["id"]);
}

/// A category "Tin tức" and an article published in it long ago.
async fn news_with_an_article(app: &TestApp, editor: &str) -> (Value, Value) {
    let news = category(app, editor, "Tin tức", None).await;
    let live = published(
        app,
        editor,
        "Bài đã đăng",
        "2025-01-01T08:00:00+07:00",
        &news,
        10,
    )
    .await;
    (news, live)
}

#[actix_web::test]
async fn staff_reading_a_scheduled_article_see_what_is_visible_now_beside_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (news, live) = news_with_an_article(&app, &editor).await;
    let sooner = published(
        &app,
        &editor,
        "Bài hẹn trước",
        "2098-01-01T08:00:00+07:00",
        &news,
        10,
    )
    .await;
    let later = published(
        &app,
        &editor,
        "Bài hẹn sau",
        "2099-01-01T08:00:00+07:00",
        &news,
        10,
    )
    .await;
    assert_eq!(sooner["status"], "scheduled");

    let mut response = app
        .get(&format!("/api/v1/articles/{}", later["id"]))
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let read: Value = response.json().await.unwrap();
    assert_eq!(
        read["previous"]["id"], live["id"],
        "the article scheduled before it is not visible yet: {read}"
    );
    assert_eq!(read["next"], Value::Null);

    let guest = app
        .get_json(&format!("/api/v1/articles/{}", live["id"]))
        .await;
    assert_eq!(guest["next"], Value::Null, "{guest}");
}

#[actix_web::test]
async fn a_kept_page_shows_the_article_scheduled_after_it_once_its_time_comes() {
    let app = spawn_admin_app_with(|s| s.caching.response_cache = true).await;
    let editor = app.token_with_role("editor").await;
    let (news, live) = news_with_an_article(&app, &editor).await;
    let soon = chrono::Utc::now() + chrono::TimeDelta::seconds(3);
    let coming = published(&app, &editor, "Bài sắp đăng", &soon.to_rfc3339(), &news, 10).await;
    assert_eq!(coming["status"], "scheduled");
    let path = format!("/api/v1/articles/{}", live["id"]);
    assert_eq!(app.get_json(&path).await["next"], Value::Null, "not yet");
    // Read again and again, its page stays kept (its views would keep it
    // 10 s), until the scheduled article's time.
    while chrono::Utc::now() < soon {
        assert_eq!(app.get_json(&path).await["next"], Value::Null);
        actix_web::rt::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(app.get_json(&path).await["next"]["id"], coming["id"]);
}

#[actix_web::test]
async fn cited_documents_come_with_their_standing_and_the_body_can_link_them() {
    let app = spawn_app().await;
    let plain = app.get_json("/api/v1/articles/1").await;
    let documents = plain["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 6);
    for document in documents {
        let own = app
            .get_json(&format!("/api/v1/documents/{}", document["id"]))
            .await;
        assert_eq!(document["status"], own["status"], "{document}");
        assert!(
            !plain["body_html"]
                .as_str()
                .unwrap()
                .contains(&format!("href=\"{}\"", document["url"].as_str().unwrap()))
        );
    }

    let linked = app.get_json("/api/v1/articles/1?include=linked_body").await;
    let body = linked["body_html"].as_str().unwrap();
    for document in documents {
        let link = format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            document["url"].as_str().unwrap(),
            document["number"].as_str().unwrap()
        );
        assert!(body.contains(&link), "{link} in {body}");
    }
    assert_eq!(
        bulletin_api::text::html_to_text(body),
        bulletin_api::text::html_to_text(plain["body_html"].as_str().unwrap()),
        "the same text, with links"
    );

    let mut refused = app
        .get("/api/v1/articles/1?include=comments")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut refused, 422).await;
    assert_eq!(problem["errors"][0]["field"], "include");
}

#[actix_web::test]
async fn search_engines_are_told_a_title_and_description_falling_back_to_headline_and_summary() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut body = draft("Hội nghị tổng kết công tác cải cách hành chính năm 2026");
    body["summary"] = json!(vec!["Tóm tắt dài"; 40].join(" "));
    let (status, article) = create_article(&app, &editor, body).await;
    assert_eq!(status, 201, "{article}");
    assert_eq!(article["meta_title"], article["title"]);
    let description = article["meta_description"].as_str().unwrap();
    assert!(
        description.ends_with('…') && description.chars().count() <= 161,
        "{description}"
    );
    assert!(
        article["summary"]
            .as_str()
            .unwrap()
            .starts_with(description.trim_end_matches('…'))
    );

    let path = format!("/api/v1/articles/{}", article["id"]);
    let chosen =
        json!({"meta_title": "Tổng kết CCHC 2026", "meta_description": "Kết quả nổi bật."});
    let (status, changed) =
        crate::helpers::change_article(&app, &editor, &article["id"], chosen).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["meta_title"], "Tổng kết CCHC 2026");
    assert_eq!(changed["meta_description"], "Kết quả nổi bật.");
    assert_eq!(changed["title"], article["title"], "the headline stays");

    for (field, value) in [
        ("meta_title", json!("")),
        ("meta_description", json!("a\u{7}")),
        ("meta_title", json!("x".repeat(201))),
    ] {
        let mut response = app
            .request(awc::http::Method::PATCH, &path)
            .bearer_auth(&editor)
            .send_json(&json!({ field: value }))
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let (_, unchanged) =
        crate::helpers::call(&app, awc::http::Method::GET, &path, Some(&editor), None).await;
    assert_eq!(unchanged["meta_title"], "Tổng kết CCHC 2026");

    // null goes back to the fallbacks.
    let cleared = json!({"meta_title": null, "meta_description": null});
    let (_, back) = crate::helpers::change_article(&app, &editor, &article["id"], cleared).await;
    assert_eq!(back["meta_title"], article["title"]);
    assert_eq!(back["meta_description"], article["meta_description"]);
}
