//! Liveness, readiness and metrics.

use crate::helpers::{DEMO_SLUG, header, json_body, metric, spawn_app};

#[actix_web::test]
async fn the_health_check_answers_ok() {
    let app = spawn_app().await;
    let mut response = app.get("/healthz").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json_body(&mut response).await["status"], "ok");
}

#[actix_web::test]
async fn readiness_reports_a_reachable_database() {
    let app = spawn_app().await;
    let mut response = app.get("/readyz").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(json_body(&mut response).await["status"], "ready");
}

#[actix_web::test]
async fn metrics_count_requests_by_route_and_status_and_show_the_pools() {
    let app = spawn_app().await;
    app.get(&format!("/api/v1/articles/{DEMO_SLUG}"))
        .send()
        .await
        .unwrap();
    app.get("/api/v1/articles/khong-co").send().await.unwrap();
    app.get("/nowhere").send().await.unwrap();

    let mut response = app.get("/metrics").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        header(&response, "content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    let text = String::from_utf8(response.body().await.unwrap().to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for expected in [
        "# TYPE bulletin_http_requests_total counter",
        r#"bulletin_http_requests_total{method="GET",route="/api/v1/articles/{key}",status="200"} 1"#,
        r#"bulletin_http_requests_total{method="GET",route="/api/v1/articles/{key}",status="404"} 1"#,
        r#"bulletin_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
        r#"bulletin_http_request_duration_seconds_count{method="GET",route="/api/v1/articles/{key}",status="200"} 1"#,
        r#"bulletin_db_pool_connections{pool="write",state="idle"} 1"#,
    ] {
        assert!(lines.contains(&expected), "no line `{expected}` in\n{text}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(r#"bulletin_db_pool_connections{pool="read",state="in_use"} "#)),
        "{text}"
    );
}

#[actix_web::test]
async fn answers_served_from_memory_are_counted_under_their_route() {
    let app = crate::helpers::spawn_app_with(|s| s.caching.response_cache = true).await;
    for _ in 0..3 {
        app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    }
    let reads =
        r#"bulletin_http_requests_total{method="GET",route="/api/v1/articles/{key}",status="200"}"#;
    assert_eq!(metric(&app, reads).await, 3);
    let hits = r#"bulletin_cache_answers_total{outcome="hit"}"#;
    assert_eq!(metric(&app, hits).await, 2);
}

#[actix_web::test]
async fn every_metric_the_grafana_dashboard_shows_is_exposed() {
    let app = crate::helpers::spawn_app_with(|s| s.caching.response_cache = true).await;
    // A miss, a hit and a search, so every family has a series.
    for path in [
        "/api/v1/articles",
        "/api/v1/articles",
        "/api/v1/articles?q=cai+cach",
    ] {
        let mut response = app.get(path).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let _ = response.body().await;
    }
    let mut metrics = app.get("/metrics").send().await.unwrap();
    let exposed = String::from_utf8(metrics.body().await.unwrap().to_vec()).unwrap();
    let dashboard = include_str!("../../ops/grafana-dashboard.json");
    let mut names: Vec<&str> = dashboard
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("bulletin_"))
        .collect();
    names.sort_unstable();
    names.dedup();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        assert!(
            exposed.lines().any(|line| line.starts_with(name)),
            "the dashboard shows {name}, which /metrics does not expose:\n{exposed}"
        );
    }
    assert!(
        exposed.contains("bulletin_cache_answers_total{outcome=\"hit\"} 1"),
        "{exposed}"
    );
}
