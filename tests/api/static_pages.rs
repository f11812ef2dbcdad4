//! Static pages ("Giới thiệu", "Liên hệ", "Sơ đồ tổ chức"): published
//! pages for everyone in menu order, drafts for editors, editor writes, one
//! slug per language.

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, api_key, call, expect_problem, header, spawn_admin_app};

/// `POST /pages` with `credentials` (a token, or an API key); answers status and body.
async fn create(app: &TestApp, credentials: Option<&str>, body: Value) -> (u16, Value) {
    call(app, Method::POST, "/api/v1/pages", credentials, Some(body)).await
}

/// A page created with `credentials`, which must succeed.
async fn created(app: &TestApp, credentials: &str, body: Value) -> Value {
    let (status, page) = create(app, Some(credentials), body).await;
    assert_eq!(status, 201, "{page}");
    page
}

async fn get(app: &TestApp, path: &str, credentials: Option<&str>) -> (u16, Value) {
    call(app, Method::GET, path, credentials, None).await
}

async fn patch(app: &TestApp, path: &str, credentials: &str, body: Value) -> (u16, Value) {
    call(app, Method::PATCH, path, Some(credentials), Some(body)).await
}

fn path_of(page: &Value) -> String {
    format!("/api/v1/pages/{}", page["id"])
}

/// The titles of a list's items, in order.
fn titles(list: &Value) -> Vec<String> {
    crate::helpers::item_texts(list, "title")
}

#[actix_web::test]
async fn guests_see_published_pages_only_and_editors_see_drafts_too() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let about = created(
        &app,
        &admin,
        json!({"title": "Giới thiệu", "body_html": "<p>Sở Nội vụ tỉnh Bình Định.</p>", "published": true}),
    )
    .await;
    let chart = created(
        &app,
        &admin,
        json!({"title": "Sơ đồ tổ chức", "position": 1}),
    )
    .await;
    assert_eq!(
        chart["published"], false,
        "a page is a draft unless published"
    );
    assert_eq!(
        (
            &about["slug"],
            &about["lang"],
            &about["position"],
            &about["version"]
        ),
        (&json!("gioi-thieu"), &json!("vi"), &json!(0), &json!(1))
    );
    assert_eq!(about["url"], "/api/v1/pages/gioi-thieu");

    let (status, list) = get(&app, "/api/v1/pages", None).await;
    assert_eq!(status, 200);
    assert_eq!(titles(&list), ["Giới thiệu"]);
    assert_eq!(list["total"], 1);
    let (status, read) = get(&app, "/api/v1/pages/gioi-thieu", None).await;
    assert_eq!(status, 200);
    assert_eq!(read, about, "read as it was created");
    for draft in ["/api/v1/pages/so-do-to-chuc".to_owned(), path_of(&chart)] {
        let mut response = app.get(&draft).send().await.unwrap();
        expect_problem(&mut response, 404).await;
    }

    // Authors write articles, not pages: they read pages as guests do.
    let author = app.token_with_role("author").await;
    let (_, list) = get(&app, "/api/v1/pages", Some(&author)).await;
    assert_eq!(titles(&list), ["Giới thiệu"]);
    assert_eq!(get(&app, &path_of(&chart), Some(&author)).await.0, 404);

    let editor = app.token_with_role("editor").await;
    let read_key = api_key(&app, &admin, "read").await;
    for staff in [editor.as_str(), read_key.as_str(), admin.as_str()] {
        let (_, list) = get(&app, "/api/v1/pages", Some(staff)).await;
        assert_eq!(titles(&list), ["Giới thiệu", "Sơ đồ tổ chức"], "{staff}");
        assert_eq!(list["total"], 2);
        let (status, draft) = get(&app, "/api/v1/pages/so-do-to-chuc", Some(staff)).await;
        assert_eq!((status, &draft["id"]), (200, &chart["id"]), "{staff}");
    }
}

#[actix_web::test]
async fn editors_and_write_keys_write_pages_and_nobody_less() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;
    let contact = created(&app, &admin, json!({"title": "Liên hệ", "published": true})).await;
    let path = path_of(&contact);

    let refused = [
        ("guest", None, 401),
        ("member", Some(app.token_with_role("member").await), 403),
        ("author", Some(app.token_with_role("author").await), 403),
        ("read key", Some(read_key), 403),
    ];
    for (who, credentials, expected) in &refused {
        let credentials = credentials.as_deref();
        let (status, problem) = create(&app, credentials, json!({"title": "Trang mới"})).await;
        assert_eq!(status, *expected, "{who} POST: {problem}");
        assert!(problem["detail"].is_string(), "{who}: {problem}");
        let (status, _) = call(
            &app,
            Method::PATCH,
            &path,
            credentials,
            Some(json!({"title": "Đổi tên"})),
        )
        .await;
        assert_eq!(status, *expected, "{who} PATCH");
        let (status, _) = call(&app, Method::DELETE, &path, credentials, None).await;
        assert_eq!(status, *expected, "{who} DELETE");
    }
    let (_, list) = get(&app, "/api/v1/pages", Some(&admin)).await;
    assert_eq!(list["total"], 1, "nothing was created: {list}");
    assert_eq!(
        get(&app, &path, Some(&admin)).await.1,
        contact,
        "nothing was changed"
    );

    let editor = app.token_with_role("editor").await;
    for (n, credentials) in [editor.as_str(), write_key.as_str(), admin.as_str()]
        .into_iter()
        .enumerate()
    {
        let page = created(&app, credentials, json!({"title": format!("Trang {n}")})).await;
        let path = path_of(&page);
        let (status, changed) = patch(&app, &path, credentials, json!({"published": true})).await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(
            (&changed["published"], &changed["version"]),
            (&json!(true), &json!(2))
        );
        let (status, _) = call(&app, Method::DELETE, &path, Some(credentials), None).await;
        assert_eq!(status, 204);
        assert_eq!(get(&app, &path, Some(&admin)).await.0, 404, "deleted");
    }

    let (_, log) = get(&app, "/api/v1/audit?target_type=page", Some(&admin)).await;
    assert_eq!(
        log["total"], 10,
        "four creations, three changes, three deletions: {log}"
    );
    let entries = log["items"].as_array().unwrap();
    let count = |action: &str| entries.iter().filter(|e| e["action"] == action).count();
    assert_eq!(
        (
            count("page.create"),
            count("page.update"),
            count("page.delete")
        ),
        (4, 3, 3)
    );
    let by_key = entries
        .iter()
        .filter(|e| e["actor"]["kind"] == "api_key")
        .count();
    assert_eq!(by_key, 3, "the write key's changes name the key");
}

#[actix_web::test]
async fn bad_input_is_a_422_problem_that_changes_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let post = |body: Value| {
        app.request(Method::POST, "/api/v1/pages")
            .bearer_auth(&editor)
            .send_json(&body)
    };
    let cases = [
        (json!({"title": ""}), "title"),
        (json!({"title": "   "}), "title"),
        (json!({"title": "Liên hệ", "lang": "tiếng việt"}), "lang"),
        (json!({"title": "Liên hệ", "lang": "v"}), "lang"),
        (json!({"title": "Liên hệ", "lang": "vi--VN"}), "lang"),
        (json!({"title": "Liên hệ", "lang": "vi_VN"}), "lang"),
        (json!({"title": "Liên hệ", "slug": "Lien He"}), "slug"),
        (json!({"title": "Liên hệ", "slug": "2024"}), "slug"),
        (json!({"title": "Liên hệ", "colour": "red"}), "colour"),
        (json!({"title": "Liên hệ", "position": "first"}), "position"),
        (json!({"title": "Liên hệ", "published": "yes"}), "published"),
    ];
    for (body, field) in &cases {
        let mut response = post(body.clone()).await.unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], *field, "{body}: {problem}");
    }
    let mut response = post(json!({"body_html": "<p>Không có tiêu đề</p>"}))
        .await
        .unwrap();
    expect_problem(&mut response, 422).await;
    // Every invalid field, all at once.
    let mut response = post(json!({"title": "", "lang": "x", "slug": "A B"}))
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 422).await;
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["lang", "slug", "title"]);

    let page = created(&app, &editor, json!({"title": "Liên hệ"})).await;
    let path = path_of(&page);
    let changes = [
        (json!({"title": ""}), "title"),
        (json!({"lang": "tiếng"}), "lang"),
        (json!({"slug": "Lien He"}), "slug"),
        (json!({"title": "Liên hệ mới", "colour": "red"}), "colour"),
    ];
    for (body, field) in &changes {
        let mut response = app
            .request(Method::PATCH, &path)
            .bearer_auth(&editor)
            .send_json(body)
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], *field, "{body}: {problem}");
    }
    for (query, field) in [
        ("/api/v1/pages?lang=vi_VN", "lang"),
        ("/api/v1/pages?lang=", "lang"),
        ("/api/v1/pages/lien-he?lang=v", "lang"),
        ("/api/v1/pages?langue=vi", "langue"),
    ] {
        let mut response = app.get(query).send().await.unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }

    let (_, list) = get(&app, "/api/v1/pages", Some(&editor)).await;
    assert_eq!(
        titles(&list),
        ["Liên hệ"],
        "only the valid page was created"
    );
    assert_eq!(
        get(&app, &path, Some(&editor)).await.1,
        page,
        "and it is unchanged"
    );
}

#[actix_web::test]
async fn a_page_body_is_sanitised_on_write() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let dirty = r#"<p onclick="steal()">Địa chỉ: 02 Trần Phú</p><script>alert(1)</script><a href="javascript:alert(2)">bản đồ</a>"#;
    let page = created(
        &app,
        &admin,
        json!({"title": "Liên hệ", "body_html": dirty, "published": true}),
    )
    .await;
    let body = page["body_html"].as_str().unwrap();
    for gone in ["<script", "onclick", "javascript:", "alert"] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }
    assert!(body.contains("<p>Địa chỉ: 02 Trần Phú</p>"), "{body}");
    let (_, read) = get(&app, "/api/v1/pages/lien-he", None).await;
    assert_eq!(read["body_html"], page["body_html"], "stored as answered");

    let (status, changed) = patch(
        &app,
        &path_of(&page),
        &admin,
        json!({"body_html": "<p>Mới</p><img src=\"x.png\" onerror=\"alert(3)\">"}),
    )
    .await;
    assert_eq!(status, 200);
    let body = changed["body_html"].as_str().unwrap();
    assert!(
        !body.contains("onerror") && !body.contains("alert"),
        "{body}"
    );
    assert!(body.contains("<p>Mới</p>"), "{body}");
}

#[actix_web::test]
async fn a_slug_is_unique_within_its_language_only() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let about = created(
        &app,
        &admin,
        json!({"title": "Giới thiệu", "published": true}),
    )
    .await;
    let english = created(
        &app,
        &admin,
        json!({"title": "About us", "slug": "gioi-thieu", "lang": "EN", "published": true}),
    )
    .await;
    assert_eq!(english["lang"], "en", "a language is kept in one spelling");
    assert_eq!(english["slug"], "gioi-thieu");
    assert_eq!(english["url"], "/api/v1/pages/gioi-thieu?lang=en");

    for lang in [None, Some("vi"), Some("VI")] {
        let mut body = json!({"title": "Giới thiệu khác", "slug": "gioi-thieu"});
        if let Some(lang) = lang {
            body["lang"] = lang.into();
        }
        let mut response = app
            .request(Method::POST, "/api/v1/pages")
            .bearer_auth(&admin)
            .send_json(&body)
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 409).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("gioi-thieu"),
            "{problem}"
        );
    }
    let second = created(&app, &admin, json!({"title": "Giới thiệu"})).await;
    assert_eq!(
        second["slug"], "gioi-thieu-2",
        "a slug made from the title skips taken ones"
    );

    // A bare slug names the Vietnamese page; `lang` another language's.
    let id_at = |read: (u16, Value)| (read.0, read.1["id"].clone());
    assert_eq!(
        id_at(get(&app, "/api/v1/pages/gioi-thieu", None).await),
        (200, about["id"].clone())
    );
    for english_path in [
        "/api/v1/pages/gioi-thieu?lang=en",
        "/api/v1/pages/gioi-thieu?lang=EN",
        english["url"].as_str().unwrap(),
    ] {
        assert_eq!(
            id_at(get(&app, english_path, None).await),
            (200, english["id"].clone()),
            "{english_path}"
        );
    }
    assert_eq!(
        get(&app, "/api/v1/pages/gioi-thieu?lang=fr", None).await.0,
        404
    );
    let (_, list) = get(&app, "/api/v1/pages?lang=en", None).await;
    assert_eq!(titles(&list), ["About us"]);

    // Moving into a pair another page holds is a 409 too, and changes nothing.
    let (status, _) = patch(
        &app,
        &path_of(&second),
        &admin,
        json!({"slug": "gioi-thieu"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = patch(&app, &path_of(&english), &admin, json!({"lang": "vi"})).await;
    assert_eq!(status, 409);
    let (_, unmoved) = get(&app, &path_of(&english), Some(&admin)).await;
    assert_eq!(
        (&unmoved["lang"], &unmoved["version"]),
        (&json!("en"), &json!(1))
    );
    // A page keeps its own pair when sent again.
    let (status, renamed) = patch(
        &app,
        &path_of(&english),
        &admin,
        json!({"slug": "gioi-thieu", "lang": "en", "title": "About"}),
    )
    .await;
    assert_eq!((status, &renamed["title"]), (200, &json!("About")));
    // And moves to a language where its slug is free.
    let (status, moved) = patch(&app, &path_of(&second), &admin, json!({"lang": "fr"})).await;
    assert_eq!(status, 200);
    assert_eq!(moved["url"], "/api/v1/pages/gioi-thieu-2?lang=fr");
}

#[actix_web::test]
async fn pages_are_listed_by_position_then_by_age() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let mut contact = Value::Null;
    for (title, position) in [
        ("Liên hệ", 3),
        ("Giới thiệu", 1),
        ("Sơ đồ tổ chức", 2),
        ("Chức năng, nhiệm vụ", 1),
        ("Lãnh đạo Sở", -1),
    ] {
        let page = created(
            &app,
            &admin,
            json!({"title": title, "position": position, "published": true}),
        )
        .await;
        if title == "Liên hệ" {
            contact = page;
        }
    }
    let menu = [
        "Lãnh đạo Sở",
        "Giới thiệu",
        "Chức năng, nhiệm vụ",
        "Sơ đồ tổ chức",
        "Liên hệ",
    ];
    let (_, list) = get(&app, "/api/v1/pages", None).await;
    assert_eq!(titles(&list), menu);

    // Paged by cursor, in the same order.
    let mut seen = Vec::new();
    let mut path = "/api/v1/pages?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let (status, list) = get(&app, &path, None).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["total"], 5);
        seen.extend(titles(&list));
        pages += 1;
        match list["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/pages?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, menu);
    assert_eq!(pages, 3, "two pages of two, then one");
    let (_, last) = get(&app, "/api/v1/pages?limit=2&page=3", None).await;
    assert_eq!(titles(&last), ["Liên hệ"]);
    assert!(last["next_cursor"].is_null());

    let (status, _) = patch(&app, &path_of(&contact), &admin, json!({"position": 0})).await;
    assert_eq!(status, 200);
    let (_, list) = get(&app, "/api/v1/pages?limit=2", None).await;
    assert_eq!(titles(&list), ["Lãnh đạo Sở", "Liên hệ"]);
}

#[actix_web::test]
async fn only_the_fields_sent_change_and_if_match_guards_every_write() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let mut response = app
        .request(Method::POST, "/api/v1/pages")
        .bearer_auth(&admin)
        .send_json(&json!({"title": "Liên hệ", "body_html": "<p>02 Trần Phú</p>", "position": 4}))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let page: Value = response.json().await.unwrap();
    let path = path_of(&page);
    assert_eq!(header(&response, "location"), Some(path.clone()));

    let (status, changed) = patch(&app, &path, &admin, json!({"published": true})).await;
    assert_eq!(status, 200);
    for kept in [
        "title",
        "body_html",
        "slug",
        "lang",
        "position",
        "created_at",
    ] {
        assert_eq!(changed[kept], page[kept], "{kept}");
    }
    assert_eq!(
        (&changed["published"], &changed["version"]),
        (&json!(true), &json!(2))
    );
    let (_, same) = patch(&app, &path, &admin, json!({})).await;
    assert_eq!(same, changed, "nothing sent, nothing changed");

    let read = app.get(&path).send().await.unwrap();
    let etag = header(&read, "etag").expect("an ETag");
    let again = app
        .get(&path)
        .insert_header(("If-None-Match", etag.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);

    let stale = format!("\"page-{}-v1\"", page["id"]);
    let mut response = app
        .request(Method::PATCH, &path)
        .bearer_auth(&admin)
        .insert_header(("If-Match", stale.as_str()))
        .send_json(&json!({"title": "Cũ"}))
        .await
        .unwrap();
    expect_problem(&mut response, 412).await;
    let mut response = app
        .request(Method::DELETE, &path)
        .bearer_auth(&admin)
        .insert_header(("If-Match", stale.as_str()))
        .send()
        .await
        .unwrap();
    expect_problem(&mut response, 412).await;
    let (_, unchanged) = get(&app, &path, None).await;
    assert_eq!(unchanged, changed, "a stale If-Match changes nothing");
    let response = app
        .request(Method::PATCH, &path)
        .bearer_auth(&admin)
        .insert_header(("If-Match", etag.as_str()))
        .send_json(&json!({"title": "Liên hệ công tác"}))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200, "the tag read is current");

    let (status, _) = call(&app, Method::DELETE, &path, Some(&admin), None).await;
    assert_eq!(status, 204);
    for method in [Method::DELETE, Method::PATCH] {
        let mut response = app
            .request(method, &path)
            .bearer_auth(&admin)
            .send_json(&json!({"title": "Không còn"}))
            .await
            .unwrap();
        expect_problem(&mut response, 404).await;
    }
    let mut response = app
        .request(Method::PATCH, "/api/v1/pages/lien-he")
        .bearer_auth(&admin)
        .send_json(&json!({"title": "Bằng slug"}))
        .await
        .unwrap();
    expect_problem(&mut response, 404).await;
}

#[actix_web::test]
async fn problems_about_pages_are_put_in_vietnamese() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    created(
        &app,
        &admin,
        json!({"title": "Giới thiệu", "published": true}),
    )
    .await;
    let vietnamese = |method: Method, path: &str| {
        app.request(method, path)
            .bearer_auth(&admin)
            .insert_header(("Accept-Language", "vi"))
    };
    let mut response = vietnamese(Method::GET, "/api/v1/pages/khong-co")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 404).await;
    assert_eq!(header(&response, "content-language").as_deref(), Some("vi"));
    assert_eq!(
        problem["detail"],
        "không tìm thấy trang có id hoặc slug `khong-co`"
    );
    let mut response = vietnamese(Method::GET, "/api/v1/pages/gioi-thieu?lang=en")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 404).await;
    assert_eq!(
        problem["detail"],
        "không tìm thấy trang bằng ngôn ngữ `en` có id hoặc slug `gioi-thieu`"
    );
    let mut response = vietnamese(Method::POST, "/api/v1/pages")
        .send_json(&json!({"title": "Giới thiệu", "slug": "gioi-thieu"}))
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 409).await;
    assert_eq!(
        problem["detail"],
        "slug `gioi-thieu` đã được trang khác bằng ngôn ngữ `vi` sử dụng"
    );
    let mut response = vietnamese(Method::POST, "/api/v1/pages")
        .send_json(&json!({"title": "Giới thiệu", "lang": "v"}))
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 422).await;
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("phải là một thẻ ngôn ngữ"), "{message}");
    let mut response = vietnamese(Method::DELETE, "/api/v1/pages/999999")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 404).await;
    assert_eq!(problem["detail"], "không tìm thấy trang có id 999999");
}
