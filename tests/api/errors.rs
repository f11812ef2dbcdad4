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
async fn a_query_parameter_of_the_wrong_type_is_a_422_naming_it() {
    let app = spawn_app().await;
    let mut response = app.get("/api/v1/articles?limit=many").send().await.unwrap();
    let body = expect_problem(&mut response, 422).await;
    assert_eq!(body["errors"][0]["field"], "limit", "{body}");
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
async fn a_cursor_wins_over_a_page_number() {
    let app = spawn_app().await;
    for n in 1..=3 {
        let published_at = chrono::Utc::now().naive_utc() - chrono::Duration::hours(n);
        app.publish_article(&format!("Bài {n}"), published_at).await;
    }
    let first = app.get_json("/api/v1/articles?limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let mut response = app
        .get(&format!("/api/v1/articles?limit=1&page=3&cursor={cursor}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let second: serde_json::Value = response.json().await.unwrap();
    assert_eq!(second["items"][0]["slug"], "bai-2");
}

#[actix_web::test]
async fn a_cursor_the_service_did_not_issue_is_a_404_and_one_of_other_characters_a_422() {
    let app = spawn_app().await;
    for cursor in ["garbage", "eyJ4IjoxfQ"] {
        let path = format!("/api/v1/articles?cursor={cursor}");
        let mut response = app.get(&path).send().await.unwrap();
        let body = expect_problem(&mut response, 404).await;
        assert!(
            body["detail"].as_str().unwrap().contains("cursor"),
            "{body}"
        );
    }
    let mut response = app
        .get("/api/v1/articles?cursor=a%2Bb")
        .send()
        .await
        .unwrap();
    let body = expect_problem(&mut response, 422).await;
    assert_eq!(body["errors"][0]["field"], "cursor");
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
        s.clients.cors_origins = CorsOrigins::List(vec!["https://portal.example.vn".into()])
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
            diesel::sql_query("ALTER TABLE articles RENAME TO articles_gone")
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

#[actix_web::test]
async fn a_query_parameter_the_operation_does_not_take_is_a_422_naming_it() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/articles?q=c%E1%BA%A3i+c%C3%A1ch&bust=1",
        "/api/v1/articles/1?bust=1",
        "/api/v1/documents?kind=plan&_=1700000000",
        "/feeds/articles.rss?limit=5&bust=2",
        "/api/v1/openapi.json?bust=3",
    ] {
        let mut response = app.get(path).send().await.unwrap();
        let problem = expect_problem(&mut response, 422).await;
        let field = problem["errors"][0]["field"].as_str().unwrap();
        assert!(
            ["bust", "_"].contains(&field),
            "{path}: the unknown parameter is named: {problem}"
        );
    }
    let mut head = app
        .request(Method::HEAD, "/api/v1/articles?bust=1")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status().as_u16(), 422);
    let _ = head.body().await;
    for path in [
        "/api/v1/articles?q=cai+cach&limit=5&fields=id,title",
        "/feeds/articles.json?limit=5",
        "/healthz?probe=1",
    ] {
        let response = app.get(path).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
}

/// Sends the same request, from the same caller, `times` times; answers the
/// statuses seen.
async fn statuses_of(
    app: &crate::helpers::TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &serde_json::Value,
    times: usize,
) -> std::collections::BTreeSet<u16> {
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..times {
        let mut request = app.request(method.clone(), path);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let mut response = request.send_json(body).await.unwrap();
        seen.insert(response.status().as_u16());
        let _ = response.body().await;
    }
    seen
}

#[actix_web::test]
async fn whoever_may_not_call_an_operation_learns_nothing_of_its_input_rules() {
    let app = crate::helpers::spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let member = app.token_with_role("member").await;
    let incomplete = serde_json::json!({"email": "x@sonoivu.gov.vn"});
    assert_eq!(
        statuses_of(
            &app,
            Method::POST,
            "/api/v1/users",
            Some(&author),
            &incomplete,
            30
        )
        .await,
        [403].into(),
        "an author creating an account: always the role, never the body"
    );
    assert_eq!(
        statuses_of(&app, Method::POST, "/api/v1/users", None, &incomplete, 10).await,
        [401].into()
    );
    let garbage = serde_json::json!({"no such field": true});
    for (method, path) in [
        (Method::POST, "/api/v1/articles"),
        (Method::PATCH, "/api/v1/articles/1"),
        (Method::POST, "/api/v1/documents"),
        (Method::PATCH, "/api/v1/documents/1"),
        (Method::POST, "/api/v1/categories"),
        (Method::POST, "/api/v1/webhooks"),
        (Method::POST, "/api/v1/api-keys"),
        (Method::PATCH, "/api/v1/comments/1"),
    ] {
        assert_eq!(
            statuses_of(&app, method.clone(), path, None, &garbage, 3).await,
            [401].into(),
            "{method} {path} without credentials"
        );
        if path != "/api/v1/comments/1" {
            assert_eq!(
                statuses_of(&app, method.clone(), path, Some(&member), &garbage, 3).await,
                [403].into(),
                "{method} {path} as a member"
            );
        }
    }
}

#[actix_web::test]
async fn a_body_that_stops_coming_is_a_408_and_the_connection_closes() {
    use std::io::{Read, Write};
    let app =
        spawn_app_with(|s| s.server.body_timeout = std::time::Duration::from_millis(300)).await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let answer = actix_web::web::block(move || {
        let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}"))?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
        write!(
            stream,
            "POST /api/v1/documents/extract HTTP/1.1\r\nHost: 127.0.0.1\r\n\
             Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"text\": \"Quy"
        )?;
        // Nothing more comes. The server must answer and close rather than
        // wait for the 88 bytes (a read past 10 s fails the test).
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok::<_, std::io::Error>(answer)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
}

/// A problem as `language` asks it: its body and its headers.
async fn problem_in(
    app: &crate::helpers::TestApp,
    method: Method,
    path: &str,
    language: &str,
    status: u16,
) -> (serde_json::Value, Option<String>, Option<String>) {
    let mut response = app
        .request(method, path)
        .insert_header(("Accept-Language", language))
        .insert_header(("Authorization", "Bearer not-a-token"))
        .send()
        .await
        .unwrap();
    let language = header(&response, "content-language");
    let vary = header(&response, "vary");
    (expect_problem(&mut response, status).await, language, vary)
}

#[actix_web::test]
async fn problems_are_in_vietnamese_when_the_reader_prefers_it() {
    let app = spawn_app().await;
    // A handler's refusal, a middleware's, the router's and the method check's.
    for (method, path, status) in [
        (Method::GET, "/api/v1/articles?limit=0", 401),
        (Method::GET, "/api/v1/no-such-thing", 404),
        (Method::PUT, "/api/v1/articles", 405),
    ] {
        let (english, language, vary) = problem_in(&app, method.clone(), path, "en", status).await;
        assert_eq!(language.as_deref(), Some("en"), "{path}");
        assert!(
            vary.unwrap_or_default().contains("Accept-Language"),
            "{path}"
        );
        let (vietnamese, language, _) =
            problem_in(&app, method, path, "vi-VN,vi;q=0.9,en;q=0.8", status).await;
        assert_eq!(language.as_deref(), Some("vi"), "{path}");
        assert_eq!(vietnamese["type"], english["type"], "{path}");
        assert_eq!(vietnamese["status"], english["status"]);
        assert_ne!(vietnamese["title"], english["title"], "{path}");
        assert_ne!(vietnamese["detail"], english["detail"], "{vietnamese}");
    }
}

#[actix_web::test]
async fn each_invalid_field_is_explained_in_vietnamese_under_its_own_name() {
    let app = spawn_app().await;
    let path = "/api/v1/articles?limit=0&sort=sideways";
    let ask = |language: &'static str| {
        let app = &app;
        async move {
            let mut response = app
                .get(path)
                .insert_header(("Accept-Language", language))
                .send()
                .await
                .unwrap();
            expect_problem(&mut response, 422).await
        }
    };
    let (english, vietnamese) = (ask("en").await, ask("vi").await);
    let compressed = app
        .get(path)
        .insert_header(("Accept-Language", "vi"))
        .insert_header(("Accept-Encoding", "gzip"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&compressed, "content-language").as_deref(),
        Some("vi"),
        "translated before it is compressed"
    );
    assert_eq!(vietnamese["title"], "Dữ liệu không hợp lệ");
    let fields = |problem: &serde_json::Value| -> Vec<String> {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].to_string())
            .collect()
    };
    assert_eq!(fields(&vietnamese), fields(&english));
    for (said, in_english) in vietnamese["errors"]
        .as_array()
        .unwrap()
        .iter()
        .zip(english["errors"].as_array().unwrap())
    {
        assert_ne!(said["message"], in_english["message"], "{said}");
    }
}
