//! Feeds: RSS, Atom and JSON Feed of the latest articles, read back with
//! real feed parsers.

use std::str::FromStr;

use awc::http::Method;
use serde_json::Value;

use crate::helpers::{TestApp, call, header, spawn_admin_app};

async fn fetch(app: &TestApp, path: &str) -> (String, String) {
    let mut response = app.get(path).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let content_type = header(&response, "content-type").unwrap();
    let body = String::from_utf8(response.body().await.unwrap().to_vec()).unwrap();
    (content_type, body)
}

/// A second published article, in a category of its own.
async fn second_article(app: &TestApp) {
    let editor = app.token_with_role("editor").await;
    let (_, category) = call(
        app,
        Method::POST,
        "/api/v1/categories",
        Some(&editor),
        Some(serde_json::json!({"name": "Thi đua khen thưởng"})),
    )
    .await;
    let mut article = crate::helpers::draft("Hội nghị thi đua & khen thưởng <2026>");
    article["status"] = "published".into();
    article["category_id"] = category["id"].clone();
    article["tags"] = serde_json::json!(["thi đua"]);
    assert_eq!(
        crate::helpers::create_article(app, &editor, article)
            .await
            .0,
        201
    );
}

#[actix_web::test]
async fn rss_parses_with_every_published_article_newest_first() {
    let app = spawn_admin_app().await;
    second_article(&app).await;
    let (content_type, body) = fetch(&app, "/feeds/articles.rss").await;
    assert!(
        content_type.starts_with("application/rss+xml"),
        "{content_type}"
    );
    let channel = rss::Channel::from_str(&body).expect("valid RSS");
    let titles: Vec<_> = channel.items().iter().map(|i| i.title().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "Hội nghị thi đua & khen thưởng <2026>",
            "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH"
        ]
    );
    let seed = &channel.items()[1];
    assert_eq!(seed.pub_date(), Some("Thu, 19 Jan 2023 10:03:00 +0700"));
    assert!(seed.content().unwrap().contains("5359/QĐ-UBND"));
    assert_eq!(
        seed.dublin_core_ext().unwrap().creators(),
        ["Phòng CCHC-VTLT"]
    );
    assert_eq!(seed.guid().unwrap().value(), "tag:127.0.0.1,2023:article:1");
}

#[actix_web::test]
async fn atom_and_json_feed_say_the_same_and_filter_by_category() {
    let app = spawn_admin_app().await;
    second_article(&app).await;
    let (content_type, atom) =
        fetch(&app, "/feeds/articles.atom?category=cai-cach-hanh-chinh").await;
    assert!(content_type.starts_with("application/atom+xml"));
    let feed = atom_syndication::Feed::from_str(&atom).expect("valid Atom");
    assert_eq!(feed.entries().len(), 1, "only the category's articles");
    let entry = &feed.entries()[0];
    assert_eq!(entry.authors()[0].name(), "Phòng CCHC-VTLT");
    assert_eq!(
        entry.published().unwrap().to_rfc3339(),
        "2023-01-19T10:03:00+07:00"
    );

    let (content_type, json) = fetch(&app, "/feeds/articles.json").await;
    assert!(content_type.starts_with("application/feed+json"));
    let feed: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["items"].as_array().unwrap().len(), 2);
    assert_eq!(feed["items"][1]["id"], entry.id());
    assert_eq!(
        feed["items"][0]["tags"],
        serde_json::json!(["Thi đua khen thưởng", "thi đua"])
    );

    for (query, field, expected) in [
        ("category=khong-co", "category", 404),
        ("limit=101", "limit", 422),
    ] {
        let (status, problem) = call(
            &app,
            Method::GET,
            &format!("/feeds/articles.rss?{query}"),
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, &problem["errors"][0]["field"]),
            (expected, &Value::from(field))
        );
    }
}

#[actix_web::test]
async fn a_feed_answers_304_until_an_article_is_published() {
    let app = spawn_admin_app().await;
    let first = app.get("/feeds/articles.json").send().await.unwrap();
    let etag = header(&first, "etag").expect("an ETag");
    let unchanged = app
        .get("/feeds/articles.json")
        .insert_header(("If-None-Match", etag.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status().as_u16(), 304);
    second_article(&app).await;
    let changed = app
        .get("/feeds/articles.json")
        .insert_header(("If-None-Match", etag))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status().as_u16(), 200);
}

#[actix_web::test]
async fn a_summary_typed_as_text_never_becomes_markup_in_rss() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut article = crate::helpers::draft("Tin có tóm tắt lạ");
    article["status"] = "published".into();
    // Kept as the text `<img src=x onerror=alert(1)>`: a summary is plain text.
    article["summary"] = "Gõ &lt;img src=x onerror=alert(1)&gt; vào ô tóm tắt".into();
    assert_eq!(
        crate::helpers::create_article(&app, &editor, article)
            .await
            .0,
        201
    );
    let (_, body) = fetch(&app, "/feeds/articles.rss").await;
    let channel = rss::Channel::from_str(&body).expect("valid RSS");
    let description = channel.items()[0].description().unwrap();
    assert_eq!(
        description, "Gõ &lt;img src=x onerror=alert(1)&gt; vào ô tóm tắt",
        "a reader's HTML view shows the text, runs nothing"
    );
}

#[actix_web::test]
async fn a_long_article_is_cut_in_feeds_with_a_link_to_the_whole() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let paragraph =
        "<p>Đoạn văn dài về cải cách hành chính của tỉnh, <b>nhấn mạnh</b> kết quả.</p>";
    let body_html = paragraph.repeat(2_000);
    let mut article = crate::helpers::draft("Bài rất dài");
    article["status"] = "published".into();
    article["body_html"] = body_html.clone().into();
    let (status, created) = crate::helpers::create_article(&app, &editor, article).await;
    assert_eq!(status, 201, "{created}");
    let (_, json) = fetch(&app, "/feeds/articles.json?limit=1").await;
    let feed: Value = serde_json::from_str(&json).unwrap();
    let content = feed["items"][0]["content_html"].as_str().unwrap();
    let limit = bulletin_api::feeds::MAX_CONTENT_CHARS as usize;
    assert!(
        content.chars().count() < limit + 200,
        "cut near the cap: {} characters",
        content.chars().count()
    );
    assert!(content.starts_with(paragraph), "{}", &content[..200]);
    assert!(
        content.ends_with(&format!(
            "<p><a href=\"{}\">Đọc tiếp…</a></p>",
            feed["items"][0]["url"].as_str().unwrap()
        )),
        "ends with a link to the whole article: {}",
        &content[content.len() - 300..]
    );
    assert_eq!(
        content.matches("<p>").count(),
        content.matches("</p>").count(),
        "no element is left open"
    );
    let (_, rss) = fetch(&app, "/feeds/articles.rss?limit=1").await;
    assert!(rss::Channel::from_str(&rss).is_ok());
    assert!(
        rss.len() < body_html.len() / 4,
        "the feed does not carry the whole body"
    );
}
