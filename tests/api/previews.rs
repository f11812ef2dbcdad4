//! Draft previews: a link that shows an article not yet public to whoever
//! holds it, until it expires or is revoked, never kept by a cache.

use awc::http::Method;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use bulletin_api::db::schema::preview_links;

use crate::helpers::{
    TestApp, api_key, call, change_article, create_article, draft, header, spawn_admin_app,
};

async fn preview_link(app: &TestApp, token: &str, article: &Value, body: Value) -> (u16, Value) {
    call(
        app,
        Method::POST,
        &format!("/api/v1/articles/{article}/preview-links"),
        Some(token),
        Some(body),
    )
    .await
}

/// A guest's read of `slug` through `token`: status, `Cache-Control`, body.
async fn read_through(app: &TestApp, slug: &str, token: &str) -> (u16, Option<String>, Value) {
    let mut response = app
        .get(&format!("/api/v1/articles/{slug}?preview={token}"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cache = header(&response, "cache-control");
    let body = serde_json::from_slice(&response.body().await.unwrap()).unwrap_or(Value::Null);
    (status, cache, body)
}

#[actix_web::test]
async fn a_preview_link_shows_a_draft_to_whoever_holds_it_until_revoked() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let (_, article) = create_article(&app, &author, draft("Dự thảo kế hoạch năm 2027")).await;
    let slug = article["slug"].as_str().unwrap().to_owned();
    let (status, link) = preview_link(&app, &author, &article["id"], json!({})).await;
    assert_eq!(status, 201, "{link}");
    let token = link["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("bpv_"));
    assert!(
        link["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/api/v1/articles/{slug}?preview={token}")),
        "{link}"
    );
    let lifetime = chrono::DateTime::parse_from_rfc3339(link["expires_at"].as_str().unwrap())
        .unwrap()
        - chrono::DateTime::parse_from_rfc3339(link["created_at"].as_str().unwrap()).unwrap();
    assert_eq!(lifetime, Duration::hours(48));

    let (status, _) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{slug}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 404, "a draft without the link");
    for key in [slug.clone(), article["id"].to_string()] {
        let (status, cache, shown) = read_through(&app, &key, &token).await;
        assert_eq!(status, 200, "{key}: {shown}");
        assert_eq!(shown["status"], "draft");
        assert_eq!(shown["title"], "Dự thảo kế hoạch năm 2027");
        assert_eq!(cache.as_deref(), Some("private, no-store"));
    }
    let (status, _, _) = read_through(&app, &slug, "bpv_khongphaima").await;
    assert_eq!(status, 404, "an unknown token");
    let (_, other) = create_article(&app, &author, draft("Bài khác")).await;
    let (status, _, _) = read_through(&app, other["slug"].as_str().unwrap(), &token).await;
    assert_eq!(status, 404, "another article's token");

    let path = format!("/api/v1/articles/{}/preview-links", article["id"]);
    let (status, listed) = call(&app, Method::GET, &path, Some(&author), None).await;
    assert_eq!(status, 200);
    assert_eq!(listed["items"][0]["id"], link["id"]);
    assert!(
        listed["items"][0].get("token").is_none(),
        "never the token again"
    );

    let revoke = format!("{path}/{}", link["id"]);
    let (status, _) = call(&app, Method::DELETE, &revoke, Some(&author), None).await;
    assert_eq!(status, 204);
    let (status, _, _) = read_through(&app, &slug, &token).await;
    assert_eq!(
        status, 404,
        "a revoked link, though its answer was read before"
    );
    let (status, _) = call(&app, Method::DELETE, &revoke, Some(&author), None).await;
    assert_eq!(status, 404, "revoked once");
    let (_, listed) = call(&app, Method::GET, &path, Some(&author), None).await;
    assert_eq!(listed["items"], json!([]));
}

#[actix_web::test]
async fn an_expired_link_or_a_trashed_article_shows_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &editor, draft("Dự thảo")).await;
    let slug = article["slug"].as_str().unwrap().to_owned();
    let (_, link) = preview_link(
        &app,
        &editor,
        &article["id"],
        json!({"expires_in_hours": 1}),
    )
    .await;
    let token = link["token"].as_str().unwrap().to_owned();
    assert_eq!(read_through(&app, &slug, &token).await.0, 200);

    let past = Utc::now().naive_utc() - Duration::seconds(1);
    app.database()
        .write(move |conn| {
            diesel::update(preview_links::table)
                .set(preview_links::expires_at.eq(past))
                .execute(conn)
                .map_err(bulletin_api::db::StoreError::from)
        })
        .await
        .unwrap();
    assert_eq!(read_through(&app, &slug, &token).await.0, 404, "expired");

    let (_, link) = preview_link(&app, &editor, &article["id"], json!({})).await;
    let token = link["token"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/articles/{slug}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(read_through(&app, &slug, &token).await.0, 404, "trashed");
}

#[actix_web::test]
async fn whoever_may_edit_the_article_makes_its_preview_links_and_nobody_else() {
    let app = spawn_admin_app().await;
    let admin = app.token_with_role("admin").await;
    let editor = app.token_with_role("editor").await;
    let author = app.token_with_role("author").await;
    let (_, draft_article) = create_article(&app, &author, draft("Bản nháp của tác giả")).await;
    let (_, submitted) = create_article(&app, &author, draft("Bài đã gửi duyệt")).await;
    let (status, _) = change_article(
        &app,
        &editor,
        &submitted["id"],
        json!({"status": "published"}),
    )
    .await;
    assert_eq!(status, 200);
    let id = &draft_article["id"];
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;

    let expectations = [
        ("guest", None, 401),
        ("member", Some(app.token_with_role("member").await), 403),
        (
            "another author",
            Some(app.token_with_role("author").await),
            403,
        ),
        ("read key", Some(read_key), 403),
        ("its author", Some(author.clone()), 201),
        ("editor", Some(editor.clone()), 201),
        ("admin", Some(admin.clone()), 201),
        ("write key", Some(write_key), 201),
    ];
    for (who, credentials, expected) in &expectations {
        let (status, answer) = call(
            &app,
            Method::POST,
            &format!("/api/v1/articles/{id}/preview-links"),
            credentials.as_deref(),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, *expected, "{who}: {answer}");
        let (status, _) = call(
            &app,
            Method::GET,
            &format!("/api/v1/articles/{id}/preview-links"),
            credentials.as_deref(),
            None,
        )
        .await;
        // A read key reads what an editor reads: the links, never a token.
        let listed = if *expected == 201 || *who == "read key" {
            200
        } else {
            *expected
        };
        assert_eq!(status, listed, "{who} lists");
    }
    // An author's article that left the drafts is the editors' now.
    let (status, _) = preview_link(&app, &author, &submitted["id"], json!({})).await;
    assert_eq!(status, 403);
    let (_, listed) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{id}/preview-links"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 4);
}

#[actix_web::test]
async fn a_bad_preview_link_request_is_refused_and_makes_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, article) = create_article(&app, &editor, draft("Dự thảo")).await;
    let id = &article["id"];
    for (body, field) in [
        (json!({"expires_in_hours": 0}), "expires_in_hours"),
        (json!({"expires_in_hours": 721}), "expires_in_hours"),
        (json!({"expires_in_hours": "48"}), "expires_in_hours"),
        (json!({"expires": 48}), "expires"),
    ] {
        let mut response = app
            .request(
                Method::POST,
                &format!("/api/v1/articles/{id}/preview-links"),
            )
            .bearer_auth(&editor)
            .send_json(&body)
            .await
            .unwrap();
        let problem = crate::helpers::expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let (status, _) = preview_link(&app, &editor, &json!(99999), json!({})).await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/articles/{id}/preview-links/99999"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (_, listed) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{id}/preview-links"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(listed["items"], json!([]));
}
