//! Mobile sync: `GET /articles/changes` lists what changed since a
//! server-issued token, oldest change first, with tombstones for the
//! articles removed from public view.

use awc::http::Method;
use bulletin_api::articles::ArticleStatus;
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::articles;
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, call, change_article, create_article, draft, expect_problem, spawn_admin_app,
    spawn_app,
};

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

/// One pass: from the start, or from `since`, with `extra` parameters.
async fn pass(app: &TestApp, since: Option<&Value>, extra: &str) -> Value {
    let path = match since.and_then(Value::as_str) {
        Some(token) => format!("/api/v1/articles/changes?since={token}&{extra}"),
        None => format!("/api/v1/articles/changes?{extra}"),
    };
    app.get_json(&path).await
}

#[actix_web::test]
async fn a_pass_lists_changes_oldest_first_with_tombstones_for_removed_articles() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let start = pass(&app, None, "").await;
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

    let list = pass(&app, Some(&start["next_since"]), "").await;
    let items: Vec<&Value> = list["items"].as_array().unwrap().iter().collect();
    assert_eq!(list["has_more"], false, "{list}");
    let fresh_at = items
        .iter()
        .position(|item| item["title"] == "Tin mới đăng");
    let trashed_at = items.iter().position(|item| item["id"] == trashed["id"]);
    let unpublished_at = items
        .iter()
        .position(|item| item["id"] == unpublished["id"]);
    assert!(
        fresh_at < trashed_at && trashed_at < unpublished_at && fresh_at.is_some(),
        "oldest change first: {list}"
    );
    let tombstone = items[trashed_at.unwrap()];
    assert_eq!(tombstone["deleted"], true);
    assert!(
        tombstone["deleted_at"]
            .as_str()
            .unwrap()
            .ends_with("+07:00")
    );
    assert_eq!(
        tombstone.as_object().unwrap().len(),
        3,
        "a tombstone is its id, `deleted` and `deleted_at`: {tombstone}"
    );
    assert_eq!(items[unpublished_at.unwrap()]["deleted"], true);
    assert!(
        !ids(&list).contains(&never_public["id"]),
        "an article no reader ever saw needs no tombstone"
    );
}

#[actix_web::test]
async fn a_pass_right_after_another_with_no_change_answers_nothing() {
    let app = spawn_app().await;
    let a_minute_ago = Utc::now().naive_utc() - Duration::minutes(1);
    let id = app.publish_article("Tin cũ", a_minute_ago).await;
    written_at(&app, &[id], a_minute_ago).await;
    let first = pass(&app, None, "").await;
    assert!(ids(&first).contains(&json!(id)), "{first}");
    let second = pass(&app, Some(&first["next_since"]), "").await;
    assert_eq!(
        second["items"],
        json!([]),
        "nothing changed since: {second}"
    );
    assert_eq!(
        second["next_since"], first["next_since"],
        "the token stays put"
    );
    assert_eq!(second["has_more"], false);
}

#[actix_web::test]
async fn changes_of_the_last_seconds_come_again_on_the_next_pass() {
    let app = spawn_app().await;
    let id = app
        .publish_article("Tin vừa đăng", Utc::now().naive_utc())
        .await;
    let first = pass(&app, None, "").await;
    let again = pass(&app, Some(&first["next_since"]), "").await;
    assert!(
        ids(&again).contains(&json!(id)),
        "a write may still be committing behind it: {again}"
    );
}

#[actix_web::test]
async fn a_scheduled_article_reaches_sync_when_its_time_comes_without_a_write() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    let hour = Duration::hours(1);
    let old = app
        .insert_article("Tin đăng từ trước", ArticleStatus::Published, now - hour)
        .await;
    written_at(&app, &[old], now - hour).await;
    let before = pass(&app, None, "").await;
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
    // Both were last written an hour ago; only the clock has moved since.
    written_at(&app, &[gone_live, waiting], now - hour).await;

    let list = pass(&app, Some(&before["next_since"]), "").await;
    assert_eq!(ids(&list), [json!(gone_live)], "{list}");
    assert_eq!(list["items"][0]["status"], "published");
}

#[actix_web::test]
async fn a_long_sync_goes_on_while_has_more_and_sees_changes_made_during_it() {
    let app = spawn_app().await;
    let yesterday = Utc::now().naive_utc() - Duration::days(1);
    let mut changed = Vec::new();
    for title in ["Tin một", "Tin hai", "Tin ba"] {
        let id = app.publish_article(title, yesterday).await;
        written_at(&app, &[id], yesterday).await;
        changed.push(json!(id));
    }
    let first = pass(&app, None, "limit=2").await;
    assert_eq!(first["has_more"], true);
    let mut seen = ids(&first);

    changed.push(json!(app.publish_article("Tin bốn", yesterday).await));
    let mut since = first["next_since"].clone();
    loop {
        let next = pass(&app, Some(&since), "limit=2").await;
        seen.extend(ids(&next));
        since = next["next_since"].clone();
        if next["has_more"] == false {
            break;
        }
    }
    assert!(
        seen.ends_with(&changed),
        "oldest change first, the new one last: {seen:?}"
    );
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen, "each change once");
}

#[actix_web::test]
async fn a_token_the_service_did_not_issue_is_a_404_and_a_malformed_one_a_422() {
    let app = spawn_app().await;
    for token in ["abc", "eyJzIjoibiIsInAiOm51bGwsImkiOjF9"] {
        let mut response = app
            .get(&format!("/api/v1/articles/changes?since={token}"))
            .send()
            .await
            .unwrap();
        expect_problem(&mut response, 404).await;
    }
    let mut response = app
        .get("/api/v1/articles/changes?since=a%2Bb")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "since");
}

#[actix_web::test]
async fn the_article_list_takes_no_sync_parameter() {
    let app = spawn_app().await;
    let mut response = app
        .get("/api/v1/articles?updated_since=2026-01-01T00:00:00Z")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "updated_since", "{problem}");
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

    let list = pass(&app, None, "").await;
    assert!(
        !ids(&list).contains(&hidden["id"]),
        "a guest never saw it, so is told nothing of it: {list}"
    );
}

#[actix_web::test]
async fn tombstones_keep_their_shape_whatever_fields_asks_for() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, gone) = create_article(&app, &editor, published("Tin sẽ bị gỡ xuống")).await;
    let (_, kept) = create_article(&app, &editor, published("Tin còn lại")).await;
    trash(&app, &editor, &gone["id"]).await;

    let list = pass(&app, None, "fields=title").await;
    let ours: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["id"] == kept["id"] || item["id"] == gone["id"])
        .collect();
    assert_eq!(ours[0], &json!({"id": kept["id"], "title": "Tin còn lại"}));
    assert_eq!(
        ours[1]["deleted"], true,
        "a compact sync still sees the deletion"
    );
    assert_eq!(ours[1]["id"], gone["id"]);
}

#[actix_web::test]
async fn an_app_refreshes_the_figures_of_the_articles_it_holds_in_one_request() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut body = draft("Bài có số liệu");
    body["status"] = "published".into();
    let (_, second) = create_article(&app, &editor, body).await;
    let (_, hidden) = create_article(&app, &editor, draft("Bản nháp")).await;
    let path = format!(
        "/api/v1/articles/counters?ids={},1,{},999999,1",
        second["id"], hidden["id"]
    );
    let counters = app.get_json(&path).await;
    let items = counters["items"].as_array().unwrap();
    let shown: Vec<&Value> = items.iter().map(|item| &item["id"]).collect();
    assert_eq!(
        shown,
        [&second["id"], &json!(1)],
        "published ones, as asked, once"
    );
    let demo = app.get_json("/api/v1/articles/1").await;
    for field in ["view_count", "comment_count", "rating"] {
        assert_eq!(items[1][field], demo[field], "{field}");
    }

    for bad in [
        "",
        "1,,2",
        "0",
        "01",
        "%2B1",
        "abc",
        &vec!["1"; 101].join(","),
    ] {
        let mut response = app
            .get(&format!("/api/v1/articles/counters?ids={bad}"))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], "ids", "{bad}: {problem}");
    }
    let mut response = app.get("/api/v1/articles/counters").send().await.unwrap();
    expect_problem(&mut response, 422).await;
}
