//! Categories: public reads, editor writes, a tree without cycles — and the
//! first editor-level writes, so API key scopes are tried here.

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{api_key, call, header, spawn_admin_app};

#[actix_web::test]
async fn anyone_reads_categories_by_id_or_slug() {
    let app = spawn_admin_app().await;
    let (status, list) = call(&app, Method::GET, "/api/v1/categories", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"][0]["name"], "Cải cách hành chính");
    let (_, by_slug) = call(
        &app,
        Method::GET,
        "/api/v1/categories/cai-cach-hanh-chinh",
        None,
        None,
    )
    .await;
    let (_, by_id) = call(
        &app,
        Method::GET,
        &format!("/api/v1/categories/{}", by_slug["id"]),
        None,
        None,
    )
    .await;
    assert_eq!(by_slug, by_id);
    assert_eq!(
        call(&app, Method::GET, "/api/v1/categories/khong-co", None, None)
            .await
            .0,
        404
    );
}

#[actix_web::test]
async fn editors_and_write_keys_manage_categories_and_nobody_less() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;
    let body = |name: &str| Some(json!({"name": name}));

    let refused = [
        ("guest", None, 401),
        ("member", Some(app.token_with_role("member").await), 403),
        ("author", Some(app.token_with_role("author").await), 403),
        ("read key", Some(read_key.clone()), 403),
    ];
    for (who, credentials, expected) in &refused {
        let (status, problem) = call(
            &app,
            Method::POST,
            "/api/v1/categories",
            credentials.as_deref(),
            body("Tin tức"),
        )
        .await;
        assert_eq!(status, *expected, "{who}: {problem}");
        let (status, _) = call(
            &app,
            Method::PATCH,
            "/api/v1/categories/1",
            credentials.as_deref(),
            body("Đổi tên"),
        )
        .await;
        assert_eq!(status, *expected, "{who} PATCH");
        let (status, _) = call(
            &app,
            Method::DELETE,
            "/api/v1/categories/1",
            credentials.as_deref(),
            None,
        )
        .await;
        assert_eq!(status, *expected, "{who} DELETE");
    }
    // A read key still reads.
    assert_eq!(
        call(
            &app,
            Method::GET,
            "/api/v1/categories",
            Some(&read_key),
            None
        )
        .await
        .0,
        200
    );

    let editor = app.token_with_role("editor").await;
    for (n, credentials) in [editor.as_str(), write_key.as_str(), admin.as_str()]
        .into_iter()
        .enumerate()
    {
        let (status, created) = call(
            &app,
            Method::POST,
            "/api/v1/categories",
            Some(credentials),
            body(&format!("Chuyên mục {n}")),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let path = format!("/api/v1/categories/{}", created["id"]);
        assert_eq!(
            call(
                &app,
                Method::PATCH,
                &path,
                Some(credentials),
                body("Đã đổi tên")
            )
            .await
            .0,
            200
        );
        assert_eq!(
            call(&app, Method::DELETE, &path, Some(credentials), None)
                .await
                .0,
            204
        );
    }
    let (_, log) = call(
        &app,
        Method::GET,
        "/api/v1/audit?target_type=category",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(log["total"], 9, "three creations, changes and deletions");
    let by_key = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"]["kind"] == "api_key")
        .count();
    assert_eq!(by_key, 3, "the write key's changes name the key");
}

#[actix_web::test]
async fn slugs_come_from_vietnamese_names_stay_unique_and_stay_put() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (_, first) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Đề án, Kế hoạch"})),
    )
    .await;
    assert_eq!(first["slug"], "de-an-ke-hoach");
    let (_, second) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Đề án – kế hoạch"})),
    )
    .await;
    assert_eq!(second["slug"], "de-an-ke-hoach-2");

    let path = format!("/api/v1/categories/{}", first["id"]);
    let (_, renamed) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(json!({"name": "Chương trình"})),
    )
    .await;
    assert_eq!(
        renamed["slug"], "de-an-ke-hoach",
        "a new name keeps the slug unless one is sent"
    );

    let (status, _) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(json!({"slug": "de-an-ke-hoach-2"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "X", "slug": "Not A Slug"})),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("slug"))
    );
}

#[actix_web::test]
async fn the_tree_refuses_missing_parents_and_cycles() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let create = |name: &str, parent: Option<i64>| json!({"name": name, "parent_id": parent});
    let (_, top) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(create("Gốc", None)),
    )
    .await;
    let top_id = top["id"].as_i64().unwrap();
    let (_, child) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(create("Con", Some(top_id))),
    )
    .await;
    let child_id = child["id"].as_i64().unwrap();
    let (_, grandchild) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(create("Cháu", Some(child_id))),
    )
    .await;
    assert_eq!(grandchild["parent_id"], child_id);

    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(create("Mồ côi", Some(9999))),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (404, Some("parent_id"))
    );
    let top_path = format!("/api/v1/categories/{top_id}");
    for parent in [top_id, grandchild["id"].as_i64().unwrap()] {
        let (status, _) = call(
            &app,
            Method::PATCH,
            &top_path,
            Some(&admin),
            Some(json!({"parent_id": parent})),
        )
        .await;
        assert_eq!(status, 409, "under {parent} would be a cycle");
    }
    // Moving a subtree elsewhere, and back to the top, is fine.
    let child_path = format!("/api/v1/categories/{child_id}");
    let (status, moved) = call(
        &app,
        Method::PATCH,
        &child_path,
        Some(&admin),
        Some(json!({"parent_id": null})),
    )
    .await;
    assert_eq!((status, moved["parent_id"].clone()), (200, Value::Null));
}

#[actix_web::test]
async fn a_category_with_contents_is_not_deleted() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    // The demo category holds the demo article.
    let (status, problem) = call(
        &app,
        Method::DELETE,
        "/api/v1/categories/1",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    let (status, _) = call(&app, Method::GET, "/api/v1/categories/1", None, None).await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn category_writes_honour_if_match() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let first = app.get("/api/v1/categories/1").send().await.unwrap();
    let etag = header(&first, "etag").unwrap();
    let change = |tag: &str| {
        let request = app
            .request(Method::PATCH, "/api/v1/categories/1")
            .bearer_auth(&admin);
        request
            .insert_header(("If-Match", tag.to_owned()))
            .send_json(&json!({"description": "Mô tả"}))
    };
    assert_eq!(change(&etag).await.unwrap().status().as_u16(), 200);
    assert_eq!(
        change(&etag).await.unwrap().status().as_u16(),
        412,
        "the tag is stale now"
    );
    let (_, before) = call(&app, Method::GET, "/api/v1/categories/1", None, None).await;
    let (status, unchanged) = call(
        &app,
        Method::PATCH,
        "/api/v1/categories/1",
        Some(&admin),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        status, 200,
        "an empty change answers the category as it stands"
    );
    assert_eq!(unchanged["version"], before["version"], "and bumps nothing");
}

#[actix_web::test]
async fn digits_alone_never_make_a_slug() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "2025"})),
    )
    .await;
    assert_eq!(
        (status, problem["slug"].as_str()),
        (201, Some("chuyen-muc-2025")),
        "a name of digits gets a slug of its kind and them: {problem}"
    );
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Năm", "slug": "1"})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, created) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Năm 2025", "slug": "nam-2025"})),
    )
    .await;
    assert_eq!(status, 201);
    let (_, by_slug) = call(&app, Method::GET, "/api/v1/categories/nam-2025", None, None).await;
    assert_eq!(by_slug["id"], created["id"]);
}

#[actix_web::test]
async fn a_category_with_subcategories_only_is_not_deleted() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (_, parent) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Cha"})),
    )
    .await;
    call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Con", "parent_id": parent["id"]})),
    )
    .await;
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/categories/{}", parent["id"]),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 409);
}

#[actix_web::test]
async fn descriptions_are_bounded() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let long = "mô tả ".repeat(200);
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&admin),
        Some(json!({"name": "Dài", "description": long})),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("description"))
    );
}
