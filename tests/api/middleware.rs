//! Request ids, conditional GETs, compression and CORS.

use awc::http::Method;
use chrono::Utc;

use crate::helpers::{DEMO_SLUG, header, spawn_app, spawn_app_with};
use bulletin_api::config::CorsOrigins;

#[actix_web::test]
async fn every_response_has_a_request_id_and_a_sane_client_id_is_echoed() {
    let app = spawn_app().await;
    let generated = app.get("/healthz").send().await.unwrap();
    let id = header(&generated, "x-request-id").expect("a generated id");
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let echoed = app
        .get("/healthz")
        .insert_header(("X-Request-Id", "portal-42"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&echoed, "x-request-id").as_deref(),
        Some("portal-42")
    );

    let error = app
        .get("/nowhere")
        .insert_header(("X-Request-Id", "portal-43"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&error, "x-request-id").as_deref(), Some("portal-43"));

    let oversized = "x".repeat(300);
    let replaced = app
        .get("/healthz")
        .insert_header(("X-Request-Id", oversized.as_str()))
        .send()
        .await
        .unwrap();
    let id = header(&replaced, "x-request-id").unwrap();
    assert_ne!(id, oversized, "an unusable id is replaced, not echoed");
}

#[actix_web::test]
async fn head_answers_wherever_get_does_with_headers_and_no_body() {
    let app = spawn_app().await;
    let path = format!("/api/v1/articles/{DEMO_SLUG}");
    let get = app.get(&path).send().await.unwrap();
    let mut head = app.request(Method::HEAD, &path).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(header(&head, "etag"), header(&get, "etag"));
    assert_eq!(
        header(&head, "content-type").as_deref(),
        Some("application/json")
    );
    assert!(head.body().await.unwrap().is_empty());

    let health = app.request(Method::HEAD, "/healthz").send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
}

#[actix_web::test]
async fn a_get_carries_a_strong_etag_and_if_none_match_answers_304() {
    let app = spawn_app().await;
    let path = format!("/api/v1/articles/{DEMO_SLUG}");
    let first = app.get(&path).send().await.unwrap();
    let etag = header(&first, "etag").expect("an ETag");
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong: {etag}"
    );

    let mut again = app
        .get(&path)
        .insert_header(("If-None-Match", etag.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    assert_eq!(header(&again, "etag").as_deref(), Some(etag.as_str()));
    assert!(again.body().await.unwrap().is_empty());

    let weak = format!("W/{etag}");
    let weak_match = app
        .get(&path)
        .insert_header(("If-None-Match", weak.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        weak_match.status().as_u16(),
        304,
        "If-None-Match compares weakly"
    );

    let stale = app
        .get(&path)
        .insert_header(("If-None-Match", "\"stale\""))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 200);
}

#[actix_web::test]
async fn a_change_to_the_content_changes_the_etag() {
    let app = spawn_app().await;
    let before = header(&app.get("/api/v1/articles").send().await.unwrap(), "etag").unwrap();
    app.publish_article("Tin mới", Utc::now().naive_utc()).await;
    let after = app
        .get("/api/v1/articles")
        .insert_header(("If-None-Match", before.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status().as_u16(), 200);
    assert_ne!(header(&after, "etag").unwrap(), before);
}

#[actix_web::test]
async fn errors_carry_no_etag() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/articles/khong-co").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
    assert!(header(&response, "etag").is_none());
}

#[actix_web::test]
async fn responses_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let path = format!("/api/v1/articles/{DEMO_SLUG}");
    let gzip = app
        .get(&path)
        .insert_header(("Accept-Encoding", "gzip"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&gzip, "content-encoding").as_deref(), Some("gzip"));
    let br = app
        .get(&path)
        .insert_header(("Accept-Encoding", "br"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&br, "content-encoding").as_deref(), Some("br"));
    let plain = app
        .get(&path)
        .insert_header(("Accept-Encoding", "identity"))
        .send()
        .await
        .unwrap();
    assert!(header(&plain, "content-encoding").is_none());
    // Each coding is a different representation, with its own strong tag.
    assert_ne!(header(&gzip, "etag"), header(&plain, "etag"));
}

#[actix_web::test]
async fn an_allowed_origin_gets_cors_headers() {
    let app = spawn_app_with(|s| {
        s.clients.cors_origins = CorsOrigins::List(vec!["https://portal.example.vn".into()])
    })
    .await;
    let preflight = app
        .request(Method::OPTIONS, "/api/v1/articles")
        .insert_header(("Origin", "https://portal.example.vn"))
        .insert_header(("Access-Control-Request-Method", "GET"))
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status().as_u16(), 200);
    assert_eq!(
        header(&preflight, "access-control-allow-origin").as_deref(),
        Some("https://portal.example.vn")
    );
    let simple = app
        .get("/api/v1/articles")
        .insert_header(("Origin", "https://portal.example.vn"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&simple, "access-control-allow-origin").as_deref(),
        Some("https://portal.example.vn")
    );
    let exposed = header(&simple, "access-control-expose-headers")
        .unwrap()
        .to_lowercase();
    assert!(
        exposed.contains("etag") && exposed.contains("x-request-id"),
        "{exposed}"
    );
}

#[actix_web::test]
async fn without_configured_origins_no_cors_headers_are_sent() {
    let app = spawn_app().await;
    let response = app
        .get("/api/v1/articles")
        .insert_header(("Origin", "https://portal.example.vn"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(header(&response, "access-control-allow-origin").is_none());
}

#[actix_web::test]
async fn any_origin_is_allowed_with_a_star() {
    let app = spawn_app_with(|s| s.clients.cors_origins = CorsOrigins::Any).await;
    let response = app
        .get("/api/v1/articles")
        .insert_header(("Origin", "https://anyone.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("*")
    );
}
