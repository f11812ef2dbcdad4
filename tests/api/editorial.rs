//! Writing articles: who may do what in the workflow, sanitising, versions,
//! revisions, the trash.

use awc::http::Method;
use serde_json::json;

use crate::helpers::{
    call, change_article, create_article, draft, expect_problem, header, spawn_admin_app,
};

#[actix_web::test]
async fn authors_write_drafts_and_submit_them_editors_publish() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;

    let (status, article) = create_article(&app, &author, draft("Bài của tác giả")).await;
    assert_eq!(status, 201, "{article}");
    assert_eq!(article["status"], "draft");
    assert_eq!(article["author"]["display_name"], "Tài khoản author");
    let id = article["id"].clone();
    assert_eq!(
        app.get_json("/api/v1/articles").await["total"],
        1,
        "a draft is not public"
    );

    let (status, _) = change_article(&app, &author, &id, json!({"status": "published"})).await;
    assert_eq!(status, 403, "authors do not publish");
    let (status, submitted) =
        change_article(&app, &author, &id, json!({"status": "pending_review"})).await;
    assert_eq!(
        (status, submitted["status"].as_str()),
        (200, Some("pending_review"))
    );

    let (status, published) =
        change_article(&app, &editor, &id, json!({"status": "published"})).await;
    assert_eq!(
        (status, published["status"].as_str()),
        (200, Some("published"))
    );
    assert_eq!(app.get_json("/api/v1/articles").await["total"], 2);
    let (status, _) =
        change_article(&app, &author, &id, json!({"title": "Sửa sau khi đăng"})).await;
    assert_eq!(status, 403, "a published article is the editors' to change");

    let (status, unpublished) =
        change_article(&app, &editor, &id, json!({"status": "draft"})).await;
    assert_eq!(
        (status, unpublished["status"].as_str()),
        (200, Some("draft"))
    );
    assert_eq!(app.get_json("/api/v1/articles").await["total"], 1);
}

#[actix_web::test]
async fn who_may_write_at_all() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (_, read_key) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "r", "scope": "read"})),
    )
    .await;
    let (_, write_key) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "w", "scope": "write"})),
    )
    .await;
    let member = app.token_with_role("member").await;

    assert_eq!(
        call(
            &app,
            Method::POST,
            "/api/v1/articles",
            None,
            Some(draft("x"))
        )
        .await
        .0,
        401
    );
    assert_eq!(create_article(&app, &member, draft("x")).await.0, 403);
    assert_eq!(
        create_article(&app, read_key["key"].as_str().unwrap(), draft("x"))
            .await
            .0,
        403
    );
    let (status, by_key) = create_article(
        &app,
        write_key["key"].as_str().unwrap(),
        json!({
            "title": "Tin từ cổng tỉnh", "body_html": "<p>x</p>", "status": "published"
        }),
    )
    .await;
    assert_eq!(
        (status, by_key["status"].as_str()),
        (201, Some("published")),
        "a write key writes as an editor"
    );
    assert!(by_key["author"].is_null(), "a key is no account");

    // Authors change only their own.
    let first = app.token_with_role("author").await;
    let second = app.token_with_role("author").await;
    let (_, theirs) = create_article(&app, &first, draft("Của người khác")).await;
    assert_eq!(
        change_article(&app, &second, &theirs["id"], json!({"title": "Chiếm"}))
            .await
            .0,
        403
    );
}

#[actix_web::test]
async fn publishing_in_the_future_schedules() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut body = draft("Tin hẹn giờ");
    body["status"] = "published".into();
    body["published_at"] = "2099-01-01T08:00:00+07:00".into();
    let (status, article) = create_article(&app, &editor, body).await;
    assert_eq!(
        (status, article["status"].as_str()),
        (201, Some("scheduled"))
    );
    assert_eq!(article["published_at"], "2099-01-01T08:00:00+07:00");
    let (status, _) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{}", article["id"]),
        None,
        None,
    )
    .await;
    assert_eq!(status, 404, "not before its time");
}

#[actix_web::test]
async fn bodies_are_sanitised_and_summaries_derived() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let body = json!({
        "title": "Bài có mã độc",
        "body_html": "<p onclick=\"steal()\">Kế hoạch <script>alert(1)</script><a href=\"javascript:alert(2)\">xem</a><img src=\"a.png\" onerror=\"alert(3)\"> số 130/KH-UBND</p>",
    });
    let (status, article) = create_article(&app, &editor, body).await;
    assert_eq!(status, 201);
    let html = article["body_html"].as_str().unwrap();
    for gone in ["script", "onclick", "javascript:", "onerror", "alert"] {
        assert!(!html.contains(gone), "{gone} survived: {html}");
    }
    assert_eq!(article["summary"], "Kế hoạch xem số 130/KH-UBND");
}

#[actix_web::test]
async fn a_stale_version_is_a_412_and_changes_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &editor, draft("Phiên bản")).await;
    let id = article["id"].clone();
    let (status, changed) = change_article(
        &app,
        &editor,
        &id,
        json!({"title": "Phiên bản hai", "version": 1}),
    )
    .await;
    assert_eq!((status, changed["version"].as_i64()), (200, Some(2)));

    let (status, _) =
        change_article(&app, &editor, &id, json!({"title": "Ghi đè", "version": 1})).await;
    assert_eq!(status, 412);
    let stale = app
        .request(Method::PATCH, &format!("/api/v1/articles/{id}"))
        .bearer_auth(&editor)
        .insert_header(("If-Match", format!("\"article-{id}-v1\"")))
        .send_json(&json!({"title": "Ghi đè"}))
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 412);
    let current = app
        .request(Method::PATCH, &format!("/api/v1/articles/{id}"))
        .bearer_auth(&editor)
        .insert_header(("If-Match", format!("\"article-{id}-v2\"")))
        .send_json(&json!({"byline": "Ban biên tập"}))
        .await
        .unwrap();
    assert_eq!(current.status().as_u16(), 200);
    let written_tag = header(&current, "etag").unwrap();
    assert!(
        written_tag.starts_with(&format!("\"article-{id}-v3.")),
        "the version, then a digest of what was read: {written_tag}"
    );
    let mut reread = app
        .get(&format!("/api/v1/articles/{id}"))
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&reread, "etag"),
        Some(written_tag),
        "the same answer, the same tag"
    );
    let _ = reread.body().await;
    let (_, read) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{id}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        read["title"], "Phiên bản hai",
        "the refused writes changed nothing"
    );
}

#[actix_web::test]
async fn every_content_change_keeps_a_revision_that_editors_can_restore() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &author, draft("Bản một")).await;
    let id = article["id"].clone();
    change_article(
        &app,
        &author,
        &id,
        json!({"title": "Bản hai", "tags": ["cchc"]}),
    )
    .await;
    change_article(&app, &author, &id, json!({"title": "Bản ba"})).await;
    change_article(&app, &author, &id, json!({"status": "pending_review"})).await;

    let (status, revisions) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{id}/revisions"),
        Some(&author),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = revisions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Bản hai", "Bản một"],
        "a status change alone keeps no revision"
    );
    assert_eq!(revisions["items"][0]["tags"], json!(["cchc"]));

    let path = format!("/api/v1/articles/{id}/revisions/1/restore");
    assert_eq!(
        call(&app, Method::POST, &path, Some(&author), None).await.0,
        403,
        "restoring is an editor's"
    );
    let (status, restored) = call(&app, Method::POST, &path, Some(&editor), None).await;
    assert_eq!((status, restored["title"].as_str()), (200, Some("Bản một")));
    assert_eq!(restored["tags"], json!([]));
    let (_, revisions) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{id}/revisions"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        revisions["total"], 3,
        "the replaced content is a revision too"
    );

    let other = app.token_with_role("author").await;
    let (status, _) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{id}/revisions"),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(status, 404, "another author's article");
}

#[actix_web::test]
async fn the_trash_hides_an_article_until_an_editor_restores_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let author = app.token_with_role("author").await;
    let mut body = draft("Tin sẽ vào thùng rác");
    body["status"] = "published".into();
    let (_, article) = create_article(&app, &editor, body).await;
    let id = article["id"].clone();
    let path = format!("/api/v1/articles/{id}");
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&author), None)
            .await
            .0,
        403
    );
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&editor), None)
            .await
            .0,
        204
    );
    assert_eq!(call(&app, Method::GET, &path, None, None).await.0, 404);
    assert_eq!(
        call(&app, Method::GET, &path, Some(&editor), None).await.0,
        404
    );
    assert_eq!(
        app.get_json("/api/v1/articles?q=thung%20rac").await["total"],
        0
    );
    assert_eq!(
        call(
            &app,
            Method::PATCH,
            &path,
            Some(&editor),
            Some(json!({"title": "x"}))
        )
        .await
        .0,
        404
    );

    let (status, restored) = call(
        &app,
        Method::POST,
        &format!("{path}/restore"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(
        (status, restored["status"].as_str()),
        (200, Some("published"))
    );
    assert_eq!(call(&app, Method::GET, &path, None, None).await.0, 200);
    assert_eq!(
        app.get_json("/api/v1/articles?q=thung%20rac").await["total"],
        1
    );
    assert_eq!(
        call(
            &app,
            Method::POST,
            &format!("{path}/restore"),
            Some(&editor),
            None
        )
        .await
        .0,
        404
    );
}

#[actix_web::test]
async fn slugs_are_unique_and_stay_when_the_title_changes() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, first) = create_article(&app, &editor, draft("Tin nổi bật của Phòng")).await;
    let (_, second) = create_article(&app, &editor, draft("Tin nổi bật của phòng")).await;
    assert_eq!(first["slug"], "tin-noi-bat-cua-phong");
    assert_eq!(second["slug"], "tin-noi-bat-cua-phong-2");
    let (_, renamed) =
        change_article(&app, &editor, &first["id"], json!({"title": "Tiêu đề mới"})).await;
    assert_eq!(renamed["slug"], "tin-noi-bat-cua-phong");
    let (status, _) = change_article(
        &app,
        &editor,
        &first["id"],
        json!({"slug": "tin-noi-bat-cua-phong-2"}),
    )
    .await;
    assert_eq!(status, 409);
}

#[actix_web::test]
async fn drafts_are_read_by_their_author_and_editors_only() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let (_, article) = create_article(&app, &author, draft("Bản nháp riêng")).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    assert_eq!(
        call(&app, Method::GET, &path, Some(&author), None).await.0,
        200
    );
    assert_eq!(
        call(
            &app,
            Method::GET,
            &path,
            Some(&app.token_with_role("editor").await),
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(
        call(
            &app,
            Method::GET,
            &path,
            Some(&app.token_with_role("author").await),
            None
        )
        .await
        .0,
        404
    );
    assert_eq!(
        call(
            &app,
            Method::GET,
            &path,
            Some(&app.token_with_role("member").await),
            None
        )
        .await
        .0,
        404
    );
    assert_eq!(call(&app, Method::GET, &path, None, None).await.0, 404);
}

#[actix_web::test]
async fn article_writes_are_audited_and_invalid_ones_refused_whole() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let bad = json!({"title": "", "body_html": "<p>x</p>", "tags": [""], "cover_image_url": "javascript:x", "category_id": 9999});
    let (status, problem) = create_article(&app, &editor, bad).await;
    assert_eq!(status, 422);
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(fields, ["cover_image_url", "tags", "title"]);
    let (status, problem) = create_article(
        &app,
        &editor,
        json!({"title": "x", "body_html": "y", "category_id": 9999}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (404, Some("category_id"))
    );

    let (_, article) = create_article(&app, &editor, draft("Được ghi lại")).await;
    change_article(
        &app,
        &editor,
        &article["id"],
        json!({"status": "published"}),
    )
    .await;
    let (_, log) = call(
        &app,
        Method::GET,
        "/api/v1/audit?target_type=article",
        Some(&admin),
        None,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["article.update", "article.create"]);
    assert_eq!(
        log["items"][0]["details"]["status"],
        json!({"from": "draft", "to": "published"})
    );
}

#[actix_web::test]
async fn the_etag_of_a_read_works_for_if_match_and_goes_stale_with_a_write() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &editor, draft("Đọc rồi sửa")).await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let read = app
        .get(&path)
        .bearer_auth(&editor)
        .insert_header(("Accept-Encoding", "gzip"))
        .send()
        .await
        .unwrap();
    let etag = header(&read, "etag").unwrap();
    let revalidate = app
        .get(&path)
        .bearer_auth(&editor)
        .insert_header(("If-None-Match", etag.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(revalidate.status().as_u16(), 304);
    let write = |tag: String| {
        let request = app
            .request(Method::PATCH, &path)
            .bearer_auth(&editor)
            .insert_header(("If-Match", tag));
        request.send_json(&json!({"byline": "Ban biên tập"}))
    };
    assert_eq!(
        write(etag.clone()).await.unwrap().status().as_u16(),
        200,
        "{etag}"
    );
    assert_eq!(write(etag).await.unwrap().status().as_u16(), 412);
}

#[actix_web::test]
async fn only_editors_date_a_publication_and_within_sane_years() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let mut dated = draft("Đặt ngày");
    dated["published_at"] = "2001-01-01T00:00:00Z".into();
    assert_eq!(create_article(&app, &author, dated.clone()).await.0, 403);
    let (_, own) = create_article(&app, &author, draft("Của tác giả")).await;
    let (status, _) = change_article(
        &app,
        &author,
        &own["id"],
        json!({"published_at": "2001-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(status, 403);

    let mut far = draft("Năm mười nghìn");
    far["status"] = "published".into();
    far["published_at"] = "+10000-01-01T00:00:00Z".into();
    let (status, problem) = create_article(&app, &editor, far).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("published_at")),
        "{problem}"
    );

    let mut undated = draft("Hẹn giờ không ngày");
    undated["status"] = "scheduled".into();
    let (status, problem) = create_article(&app, &editor, undated).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (409, Some("published_at")),
        "a status at odds with the time: {problem}"
    );

    // Publishing a draft with no date publishes it now.
    let (status, published) =
        change_article(&app, &editor, &own["id"], json!({"status": "published"})).await;
    assert_eq!(
        (status, published["status"].as_str()),
        (200, Some("published"))
    );
}

#[actix_web::test]
async fn members_and_read_keys_change_nothing() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &editor, draft("Không được sửa")).await;
    let (_, read_key) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "r", "scope": "read"})),
    )
    .await;
    for credentials in [
        app.token_with_role("member").await,
        read_key["key"].as_str().unwrap().to_owned(),
    ] {
        assert_eq!(
            change_article(&app, &credentials, &article["id"], json!({"title": "x"}))
                .await
                .0,
            403
        );
    }
}

#[actix_web::test]
async fn restores_honour_if_match_and_are_audited() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &editor, draft("Khôi phục")).await;
    let id = article["id"].clone();
    change_article(&app, &editor, &id, json!({"title": "Khôi phục hai"})).await;
    let path = format!("/api/v1/articles/{id}");
    call(&app, Method::DELETE, &path, Some(&editor), None).await;
    let stale = app
        .request(Method::POST, &format!("{path}/restore"))
        .bearer_auth(&editor)
        .insert_header(("If-Match", format!("\"article-{id}-v1\"")))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 412);
    assert_eq!(
        call(
            &app,
            Method::POST,
            &format!("{path}/restore"),
            Some(&editor),
            None
        )
        .await
        .0,
        200
    );
    let stale_revision = app
        .request(Method::POST, &format!("{path}/revisions/1/restore"))
        .bearer_auth(&editor)
        .insert_header(("If-Match", format!("\"article-{id}-v1\"")))
        .send()
        .await
        .unwrap();
    assert_eq!(stale_revision.status().as_u16(), 412);
    assert_eq!(
        call(
            &app,
            Method::POST,
            &format!("{path}/revisions/1/restore"),
            Some(&editor),
            None
        )
        .await
        .0,
        200
    );
    let (_, log) = call(
        &app,
        Method::GET,
        "/api/v1/audit?target_type=article",
        Some(&admin),
        None,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "article.restore_revision",
            "article.restore",
            "article.trash",
            "article.update",
            "article.create"
        ]
    );
}

#[actix_web::test]
async fn a_derived_summary_follows_the_body_and_search_follows_both() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut body = draft("Bài tóm tắt");
    body["status"] = "published".into();
    body["body_html"] = "<p>Hội nghị về đê điều.</p>".into();
    let (_, article) = create_article(&app, &editor, body).await;
    assert_eq!(article["summary"], "Hội nghị về đê điều.");
    let (_, changed) = change_article(
        &app,
        &editor,
        &article["id"],
        json!({"body_html": "<p>Tập huấn phòng cháy.</p>"}),
    )
    .await;
    assert_eq!(changed["summary"], "Tập huấn phòng cháy.", "derived anew");
    assert_eq!(
        app.get_json("/api/v1/articles?q=de%20dieu").await["total"],
        0
    );
    assert_eq!(
        app.get_json("/api/v1/articles?q=phong%20chay").await["total"],
        1
    );

    let (_, own) = change_article(
        &app,
        &editor,
        &article["id"],
        json!({"summary": "Tóm tắt riêng"}),
    )
    .await;
    let (_, kept) = change_article(
        &app,
        &editor,
        &own["id"],
        json!({"body_html": "<p>Khác nữa.</p>"}),
    )
    .await;
    assert_eq!(kept["summary"], "Tóm tắt riêng", "a written summary stays");
}

#[actix_web::test]
async fn a_title_without_letters_gets_a_slug_of_its_kind() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (status, created) = create_article(
        &app,
        &editor,
        json!({"title": "2025", "body_html": "<p>x</p>"}),
    )
    .await;
    assert_eq!(
        (status, created["slug"].as_str()),
        (201, Some("bai-viet-2025")),
        "{created}"
    );
    let (status, _) = create_article(
        &app,
        &editor,
        json!({"title": "2025", "body_html": "<p>x</p>", "slug": "nam-2025"}),
    )
    .await;
    assert_eq!(status, 201);
}

#[actix_web::test]
async fn a_time_no_client_could_read_back_is_refused() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    // At +07:00 this would read `+10000-01-01T06:59:59+07:00`.
    let mut last_second = draft("Giây cuối của năm 9999");
    last_second["status"] = "published".into();
    last_second["published_at"] = "9999-12-31T23:59:59Z".into();
    let (status, problem) = create_article(&app, &editor, last_second).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("published_at")),
        "{problem}"
    );
    let (status, problem) = call(
        &app,
        Method::GET,
        "/api/v1/articles?published_from=%2B99999-01-01T00:00:00Z",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("published_from")),
        "{problem}"
    );
}

#[actix_web::test]
async fn an_article_scheduled_earlier_that_went_live_takes_edits() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let mut body = draft("Tin hẹn giờ sắp lên");
    body["status"] = "published".into();
    body["published_at"] = soon.into();
    let (status, scheduled) = create_article(&app, &editor, body).await;
    assert_eq!((status, &scheduled["status"]), (201, &json!("scheduled")));
    // Its time comes with no write.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(2_500)).await;

    let (status, edited) = change_article(
        &app,
        &editor,
        &scheduled["id"],
        json!({"byline": "Phòng CCHC-VTLT"}),
    )
    .await;
    assert_eq!(status, 200, "a PATCH checks only what it changes: {edited}");
    assert_eq!(edited["status"], "published");
    assert_eq!(edited["byline"], "Phòng CCHC-VTLT");
    assert_eq!(edited["published_at"], scheduled["published_at"]);
}

/// Every route that addresses an article takes its slug as well as its id
/// (`{key}`): its ratings, comments, edits, trash, restore and revisions.
/// A slug no article has is a 404, on each.
#[actix_web::test]
async fn an_article_is_addressed_by_id_or_slug_on_every_route() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let slug = crate::helpers::DEMO_SLUG;
    let at = |rest: &str| format!("/api/v1/articles/{slug}{rest}");

    let (status, rated) = call(
        &app,
        Method::POST,
        &at("/ratings"),
        None,
        Some(json!({"stars": 4})),
    )
    .await;
    assert_eq!(
        (status, rated["your_rating"].as_i64()),
        (200, Some(4)),
        "{rated}"
    );
    let (status, ratings) = call(&app, Method::GET, &at("/ratings"), None, None).await;
    assert_eq!(status, 200, "{ratings}");
    assert_eq!(ratings["count"], rated["count"]);
    let comment = json!({"body": "Cảm ơn Sở đã thông tin kịp thời.", "author_name": "Trần Thị B"});
    let (status, posted) = call(
        &app,
        Method::POST,
        &at("/comments"),
        Some(&editor),
        Some(comment),
    )
    .await;
    assert_eq!(status, 201, "{posted}");
    let (status, thread) = call(&app, Method::GET, &at("/comments"), None, None).await;
    assert_eq!(status, 200, "{thread}");
    assert!(
        thread["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == posted["id"])
    );

    let (status, changed) = call(
        &app,
        Method::PATCH,
        &at(""),
        Some(&editor),
        Some(json!({"byline": "Ban biên tập"})),
    )
    .await;
    assert_eq!(
        (status, changed["version"].as_i64()),
        (200, Some(2)),
        "{changed}"
    );
    let (status, revisions) = call(&app, Method::GET, &at("/revisions"), Some(&editor), None).await;
    assert_eq!(status, 200, "{revisions}");
    let restored = at("/revisions/1/restore");
    let (status, back) = call(&app, Method::POST, &restored, Some(&editor), None).await;
    assert_eq!((status, back["version"].as_i64()), (200, Some(3)), "{back}");
    let (status, _) = call(&app, Method::DELETE, &at(""), Some(&editor), None).await;
    assert_eq!(status, 204);
    let (status, back) = call(&app, Method::POST, &at("/restore"), Some(&editor), None).await;
    assert_eq!((status, back["id"].as_i64()), (200, Some(1)), "{back}");

    let nobody = "/api/v1/articles/khong-co-bai-nay";
    for (method, rest) in [
        (Method::GET, "/ratings"),
        (Method::GET, "/comments"),
        (Method::GET, "/revisions"),
        (Method::PATCH, ""),
        (Method::DELETE, ""),
        (Method::POST, "/restore"),
    ] {
        let mut missing = app
            .request(method.clone(), &format!("{nobody}{rest}"))
            .bearer_auth(&editor)
            .send_json(&json!({"byline": "x"}))
            .await
            .unwrap();
        expect_problem(&mut missing, 404).await;
    }
}
