//! The error model: every kind of bad input answers problem+json.

use awc::http::Method;

use diesel::RunQueryDsl;

use crate::helpers::{expect_problem, header, spawn_app, spawn_app_with};
use bulletin_api::config::CorsOrigins;
use bulletin_api::db::StoreError;

#[actix_web::test]
async fn an_unknown_route_is_a_problem_404() {
    let app = spawn_app().await;
    let mut response = app.get("/api/v1/no-such-thing").send().await.unwrap();
    let body = expect_problem(&mut response, 404).await;
    assert_eq!(body["type"], "/problems/not-found");
}

#[actix_web::test]
async fn a_wrong_method_on_a_known_path_is_a_405_listing_the_allowed_ones() {
    let app = spawn_app().await;
    for (method, path, allowed) in [
        (Method::POST, "/healthz", "GET, HEAD"),
        (Method::DELETE, "/api/v1/articles", "GET, HEAD, POST"),
        (
            Method::PUT,
            "/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh",
            "GET, HEAD, PATCH, DELETE",
        ),
        (Method::PATCH, "/api/v1/openapi.json", "GET, HEAD"),
        // Literal paths beside parameter ones: `extract` is no document id.
        (Method::PATCH, "/api/v1/documents/extract", "POST"),
        (Method::GET, "/api/v1/users/register", "POST"),
    ] {
        let mut response = app.request(method.clone(), path).send().await.unwrap();
        assert_eq!(
            header(&response, "allow").as_deref(),
            Some(allowed),
            "{method} {path}"
        );
        let body = expect_problem(&mut response, 405).await;
        assert_eq!(body["type"], "/problems/method-not-allowed");
    }
}

#[actix_web::test]
async fn a_query_parameter_of_the_wrong_type_is_a_400() {
    let app = spawn_app().await;
    let mut response = app.get("/api/v1/articles?limit=many").send().await.unwrap();
    let body = expect_problem(&mut response, 400).await;
    assert!(body["detail"].as_str().unwrap().contains("query string"));
}

#[actix_web::test]
async fn a_limit_outside_one_to_a_hundred_is_a_422_not_a_silent_cap() {
    let app = spawn_app().await;
    for limit in ["101", "0", "-1", "5000000000"] {
        let path = format!("/api/v1/articles?limit={limit}");
        let mut response = app.get(&path).send().await.unwrap();
        let body = expect_problem(&mut response, 422).await;
        assert_eq!(body["errors"][0]["field"], "limit", "{limit}");
    }
}

#[actix_web::test]
async fn page_and_cursor_together_are_a_422() {
    let app = spawn_app().await;
    let mut response = app
        .get("/api/v1/articles?page=2&cursor=abc")
        .send()
        .await
        .unwrap();
    let body = expect_problem(&mut response, 422).await;
    assert_eq!(body["errors"][0]["field"], "cursor");
}

#[actix_web::test]
async fn a_cursor_the_service_did_not_issue_is_a_422() {
    let app = spawn_app().await;
    for cursor in ["garbage", "eyJ4IjoxfQ"] {
        let path = format!("/api/v1/articles?cursor={cursor}");
        let mut response = app.get(&path).send().await.unwrap();
        let body = expect_problem(&mut response, 422).await;
        assert_eq!(body["errors"][0]["field"], "cursor", "{cursor}");
    }
}

#[actix_web::test]
async fn an_article_that_does_not_exist_is_a_404_for_ids_and_slugs_alike() {
    let app = spawn_app().await;
    for key in [
        "999",
        "khong-co-bai-nay",
        "Not%20A%20Slug",
        "99999999999999",
    ] {
        let mut response = app
            .get(&format!("/api/v1/articles/{key}"))
            .send()
            .await
            .unwrap();
        expect_problem(&mut response, 404).await;
    }
}

#[actix_web::test]
async fn a_rejected_cross_origin_request_is_a_problem_too() {
    let app = spawn_app_with(|s| {
        s.cors_origins = CorsOrigins::List(vec!["https://portal.example.vn".into()])
    })
    .await;
    let mut response = app
        .request(Method::OPTIONS, "/api/v1/articles")
        .insert_header(("Origin", "https://evil.example"))
        .insert_header(("Access-Control-Request-Method", "GET"))
        .send()
        .await
        .unwrap();
    let body = expect_problem(&mut response, 400).await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("origin")
    );
    assert!(header(&response, "x-request-id").is_some());
}

#[actix_web::test]
async fn a_server_error_is_a_problem_that_tells_nothing_of_its_cause() {
    let app = spawn_app().await;
    // Break the database under the running server.
    app.database()
        .write(|conn| {
            diesel::sql_query("DROP TABLE articles")
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
    for path in ["/api/v1/articles", "/api/v1/articles/1"] {
        let mut response = app.get(path).send().await.unwrap();
        let body = expect_problem(&mut response, 500).await;
        assert_eq!(body["type"], "/problems/internal");
        let text = body.to_string().to_lowercase();
        for internal in ["articles", "table", "diesel", "sqlite", "src/"] {
            assert!(
                !text.contains(internal),
                "{path} leaks `{internal}`: {text}"
            );
        }
    }
}

#[actix_web::test]
async fn a_trailing_slash_is_another_path() {
    let app = spawn_app().await;
    for method in [Method::GET, Method::POST] {
        let mut response = app.request(method, "/healthz/").send().await.unwrap();
        expect_problem(&mut response, 404).await;
    }
}
