//! Mobile sync: `updated_since` lists what changed, oldest change first,
//! with tombstones for the articles removed from public view.

use awc::http::Method;
use bulletin_api::articles::ArticleStatus;
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::articles;
use chrono::{Duration, NaiveDateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, call, change_article, create_article, draft, expect_problem, spawn_admin_app,
    spawn_app,
};

/// A time as a query parameter: RFC 3339 in UTC (`Z`, so no `+` to escape).
fn param(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn ids(list: &Value) -> Vec<Value> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].clone())
        .collect()
}

fn published(title: &str) -> Value {
    let mut body = draft(title);
    body["status"] = "published".into();
    body
}

/// Moves the last write of these articles back in time, as if written then.
async fn written_at(app: &TestApp, ids: &[i32], at: NaiveDateTime) {
    let ids = ids.to_vec();
    app.database()
        .write(move |conn| {
            diesel::update(articles::table.filter(articles::id.eq_any(&ids)))
                .set(articles::updated_at.eq(at))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
}

#[actix_web::test]
async fn updated_since_lists_changes_oldest_first_with_tombstones_for_removed_articles() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let since = Utc::now().naive_utc();
    let (_, trashed) = create_article(&app, &editor, published("Tin sẽ vào thùng rác")).await;
    let (_, unpublished) = create_article(&app, &editor, published("Tin sẽ bị gỡ")).await;
    let (_, never_public) = create_article(&app, &editor, draft("Bản nháp chưa từng đăng")).await;
    let (status, fresh) = create_article(&app, &editor, published("Tin mới đăng")).await;
    assert_eq!(status, 201, "{fresh}");
    for id in [&trashed["id"], &never_public["id"]] {
        let path = format!("/api/v1/articles/{id}");
        let (status, _) = call(&app, Method::DELETE, &path, Some(&editor), None).await;
        assert_eq!(status, 204);
    }
    let (status, _) = change_article(
        &app,
        &editor,
        &unpublished["id"],
        json!({"status": "draft"}),
    )
    .await;
    assert_eq!(status, 200);

    let list = app
        .get_json(&format!("/api/v1/articles?updated_since={}", param(since)))
        .await;
    assert_eq!(list["total"], 3, "{list}");
    assert_eq!(list["items"][0]["title"], "Tin mới đăng");
    assert_eq!(list["items"][0]["status"], "published");
    assert_eq!(
        list["items"][1],
        json!({"id": trashed["id"], "deleted": true})
    );
    assert_eq!(
        list["items"][2],
        json!({"id": unpublished["id"], "deleted": true})
    );
    assert!(
        !ids(&list).contains(&never_public["id"]),
        "an article no reader ever saw needs no tombstone"
    );

    let later = app
        .get_json(&format!(
            "/api/v1/articles?updated_since={}",
            param(Utc::now().naive_utc())
        ))
        .await;
    assert_eq!(later["total"], 0, "nothing changed since: {later}");
}

#[actix_web::test]
async fn a_scheduled_article_reaches_sync_when_its_time_comes_without_a_write() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    let hour = Duration::hours(1);
    let old = app
        .insert_article("Tin đăng từ trước", ArticleStatus::Published, now - hour)
        .await;
    let gone_live = app
        .insert_article(
            "Tin hẹn giờ vừa lên",
            ArticleStatus::Scheduled,
            now - Duration::minutes(1),
        )
        .await;
    let waiting = app
        .insert_article("Tin hẹn giờ chưa lên", ArticleStatus::Scheduled, now + hour)
        .await;
    // All three were last written an hour ago; only the clock has moved since.
    written_at(&app, &[old, gone_live, waiting], now - hour).await;

    let since = now - Duration::minutes(10);
    let list = app
        .get_json(&format!("/api/v1/articles?updated_since={}", param(since)))
        .await;
    assert_eq!(ids(&list), [json!(gone_live)], "{list}");
    assert_eq!(list["items"][0]["status"], "published");
}

#[actix_web::test]
async fn a_sync_pages_by_cursor_and_changes_during_it_come_last() {
    let app = spawn_app().await;
    let since = Utc::now().naive_utc();
    let yesterday = since - Duration::days(1);
    let mut changed = Vec::new();
    for title in ["Tin một", "Tin hai", "Tin ba"] {
        changed.push(json!(app.publish_article(title, yesterday).await));
    }
    let path = format!("/api/v1/articles?updated_since={}&limit=2", param(since));
    let first = app.get_json(&path).await;
    assert_eq!(ids(&first), changed[..2]);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("more to come")
        .to_owned();

    changed.push(json!(app.publish_article("Tin bốn", yesterday).await));
    let second = app.get_json(&format!("{path}&cursor={cursor}")).await;
    assert_eq!(ids(&second), changed[2..], "{second}");
    assert!(second["next_cursor"].is_null());
}

#[actix_web::test]
async fn updated_since_refuses_what_would_reorder_or_hide_changes() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let since = param(Utc::now().naive_utc());
    for (extra, field) in [
        ("q=cai%20cach", "q"),
        ("sort=-view_count", "sort"),
        ("status=draft", "status"),
    ] {
        let path = format!("/api/v1/articles?updated_since={since}&{extra}");
        let mut response = app.get(&path).bearer_auth(&editor).send().await.unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

/// Moves an article to the trash (as `editor`).
async fn trash(app: &TestApp, editor: &str, id: &Value) {
    let path = format!("/api/v1/articles/{id}");
    assert_eq!(
        call(app, Method::DELETE, &path, Some(editor), None).await.0,
        204
    );
}

#[actix_web::test]
async fn a_draft_dated_in_the_past_that_never_went_out_leaves_no_tombstone() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let since = Utc::now().naive_utc() - Duration::minutes(1);
    let mut body = draft("Bản nháp ghi ngày cũ");
    body["published_at"] = "2023-01-19T10:03:00+07:00".into();
    let (status, hidden) = create_article(&app, &editor, body).await;
    assert_eq!(
        (status, &hidden["status"]),
        (201, &json!("draft")),
        "{hidden}"
    );
    let (status, _) = change_article(
        &app,
        &editor,
        &hidden["id"],
        json!({"byline": "Ban biên tập"}),
    )
    .await;
    assert_eq!(status, 200);
    trash(&app, &editor, &hidden["id"]).await;

    let list = app
        .get_json(&format!("/api/v1/articles?updated_since={}", param(since)))
        .await;
    assert!(
        !ids(&list).contains(&hidden["id"]),
        "a guest never saw it, so is told nothing of it: {list}"
    );
}

#[actix_web::test]
async fn tombstones_keep_their_shape_whatever_fields_asks_for() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let since = Utc::now().naive_utc();
    let (_, gone) = create_article(&app, &editor, published("Tin sẽ bị gỡ xuống")).await;
    let (_, kept) = create_article(&app, &editor, published("Tin còn lại")).await;
    trash(&app, &editor, &gone["id"]).await;

    let list = app
        .get_json(&format!(
            "/api/v1/articles?updated_since={}&fields=title",
            param(since)
        ))
        .await;
    assert_eq!(
        list["items"],
        json!([
            {"id": kept["id"], "title": "Tin còn lại"},
            {"id": gone["id"], "deleted": true},
        ]),
        "a compact sync still sees the deletion"
    );
}
