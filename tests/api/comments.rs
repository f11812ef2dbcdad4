//! Comments: moderation per role and mode, threads, reactions, limits,
//! hostile bodies, consultation windows.

use awc::http::Method;
use bulletin_api::comments::Moderation;
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::comments;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, api_key, call, header, json_body, spawn_admin_app, spawn_admin_app_with,
};

fn guest(body: &str) -> Value {
    json!({"body": body, "author_name": "Trần Thị B", "author_email": "tranthib@example.vn"})
}

async fn comment_on(
    app: &TestApp,
    path: &str,
    credentials: Option<&str>,
    body: Value,
) -> (u16, Value) {
    call(app, Method::POST, path, credentials, Some(body)).await
}

async fn comment(app: &TestApp, credentials: Option<&str>, body: Value) -> (u16, Value) {
    comment_on(app, "/api/v1/articles/1/comments", credentials, body).await
}

async fn thread(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/articles/1/comments{query}"))
        .await
}

async fn comment_count(app: &TestApp) -> i64 {
    app.get_json("/api/v1/articles/1").await["comment_count"]
        .as_i64()
        .unwrap()
}

/// An app without per-client limits, for tests that write many comments.
async fn unlimited_app(moderation: Moderation) -> TestApp {
    spawn_admin_app_with(move |s| {
        s.clients.rate_limit = false;
        s.comments.moderation = moderation;
    })
    .await
}

#[actix_web::test]
async fn guest_comment_waits_for_moderation() {
    let app = spawn_admin_app().await;
    let (status, created) = comment(&app, None, guest("Cảm ơn Sở đã thông tin kịp thời.")).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "pending");
    assert!(created.get("author_email").is_none() && created.get("moderation").is_none());
    assert_eq!(thread(&app, "").await["total"], 0);
    assert_eq!(comment_count(&app).await, 0);

    let editor = app.token_with_role("editor").await;
    let (_, queue) = call(&app, Method::GET, "/api/v1/comments", Some(&editor), None).await;
    assert_eq!(queue["total"], 1);
    assert_eq!(
        queue["items"][0]["moderation"]["author_email"],
        "tranthib@example.vn"
    );
    assert_eq!(queue["items"][0]["moderation"]["article_id"], 1);

    let path = format!("/api/v1/comments/{}", created["id"]);
    let (status, approved) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&editor),
        Some(json!({"status": "approved"})),
    )
    .await;
    assert_eq!((status, &approved["status"]), (200, &json!("approved")));
    let public = thread(&app, "").await;
    assert_eq!(
        public["items"][0]["body"],
        "Cảm ơn Sở đã thông tin kịp thời."
    );
    assert!(
        !public.to_string().contains("tranthib@example.vn"),
        "emails are never shown publicly"
    );
    assert_eq!(comment_count(&app).await, 1);

    let admin = app.admin_token().await;
    let (_, audit) = call(
        &app,
        Method::GET,
        "/api/v1/audit?target_type=comment",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(audit["items"][0]["action"], "comment.moderate");
}

#[actix_web::test]
async fn members_are_shown_at_once_and_staff_never_wait() {
    let app = unlimited_app(Moderation::Guests).await;
    let member = app.token_with_role("member").await;
    let author = app.token_with_role("author").await;
    for (token, name, kind) in [
        (&member, "Tài khoản member", "member"),
        (&author, "Tài khoản author", "staff"),
    ] {
        let (status, created) = comment(&app, Some(token), json!({"body": "Đồng ý."})).await;
        assert_eq!((status, &created["status"]), (201, &json!("approved")));
        assert_eq!(
            created["author_name"], name,
            "signed-in readers write under their name"
        );
        assert_eq!(
            created["author_kind"], kind,
            "the newsroom's answers are marked"
        );
    }
    assert_eq!(comment_count(&app).await, 2);
    let (_, guest_comment) = comment(&app, None, guest("Cảm ơn.")).await;
    assert_eq!(guest_comment["author_kind"], "guest");
}

#[actix_web::test]
async fn a_members_comment_with_three_links_waits_for_an_editor() {
    let app = unlimited_app(Moderation::Guests).await;
    let member = app.token_with_role("member").await;
    let body = json!({"body": "Xem http://a.vn, http://b.vn và www.c.vn"});
    let (status, created) = comment(&app, Some(&member), body).await;
    assert_eq!(
        (status, &created["status"]),
        (201, &json!("pending")),
        "{created}"
    );
    let two = json!({"body": "Xem http://a.vn và http://b.vn"});
    let (_, shown) = comment(&app, Some(&member), two).await;
    assert_eq!(shown["status"], "approved");
    assert_eq!(
        comment_count(&app).await,
        1,
        "only the one with two links shows"
    );
}

#[actix_web::test]
async fn the_moderation_mode_decides_who_waits() {
    let all = unlimited_app(Moderation::All).await;
    let member = all.token_with_role("member").await;
    let editor = all.token_with_role("editor").await;
    assert_eq!(
        comment(&all, Some(&member), json!({"body": "Chờ duyệt."}))
            .await
            .1["status"],
        "pending"
    );
    assert_eq!(
        comment(&all, Some(&editor), json!({"body": "Ban biên tập."}))
            .await
            .1["status"],
        "approved"
    );

    let none = unlimited_app(Moderation::None).await;
    assert_eq!(
        comment(&none, None, guest("Không chờ.")).await.1["status"],
        "approved"
    );
    assert_eq!(comment_count(&none).await, 1);
}

#[actix_web::test]
async fn only_editors_and_write_keys_moderate() {
    let app = spawn_admin_app().await;
    let (_, created) = comment(&app, None, guest("Bình luận cần duyệt.")).await;
    let path = format!("/api/v1/comments/{}", created["id"]);
    let admin = app.admin_token().await;
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;
    let member = app.token_with_role("member").await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let verdict = |status: &str| Some(json!({"status": status}));
    for (credentials, expected) in [
        (None, 401),
        (Some(member.as_str()), 403),
        (Some(author.as_str()), 403),
        (Some(read_key.as_str()), 403),
    ] {
        let (status, _) = call(&app, Method::PATCH, &path, credentials, verdict("approved")).await;
        assert_eq!(status, expected, "{credentials:?}");
    }
    assert_eq!(
        thread(&app, "").await["total"],
        0,
        "refused verdicts change nothing"
    );
    let (status, _) = call(
        &app,
        Method::PATCH,
        &path,
        Some(&write_key),
        verdict("approved"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(comment_count(&app).await, 1);
    for status in ["rejected", "spam"] {
        let (answer, changed) =
            call(&app, Method::PATCH, &path, Some(&editor), verdict(status)).await;
        assert_eq!((answer, &changed["status"]), (200, &json!(status)));
        assert_eq!(comment_count(&app).await, 0, "only approved comments count");
    }
    let (_, spam) = call(
        &app,
        Method::GET,
        "/api/v1/comments?status=spam",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(spam["total"], 1);
    let (status, _) = call(&app, Method::GET, "/api/v1/comments", Some(&member), None).await;
    assert_eq!(status, 403, "the queue is the editors'");
}

#[actix_web::test]
async fn replies_nest_two_levels_deep() {
    let app = unlimited_app(Moderation::None).await;
    let (_, top) = comment(&app, None, guest("Câu hỏi.")).await;
    let mut reply = guest("Trả lời.");
    reply["parent_id"] = top["id"].clone();
    let (_, answer) = comment(&app, None, reply).await;
    let mut deeper = guest("Trả lời lại.");
    deeper["parent_id"] = answer["id"].clone();
    let (status, deepest) = comment(&app, None, deeper).await;
    assert_eq!(status, 201);
    let mut too_deep = guest("Quá sâu.");
    too_deep["parent_id"] = deepest["id"].clone();
    let (status, problem) = comment(&app, None, too_deep).await;
    assert_eq!(status, 409, "the thread is as deep as it goes: {problem}");
    let mut elsewhere = guest("Sai chỗ.");
    elsewhere["parent_id"] = json!(9999);
    assert_eq!(comment(&app, None, elsewhere).await.0, 404);

    let listed = thread(&app, "").await;
    assert_eq!(listed["total"], 1, "the page holds top-level comments");
    let first = &listed["items"][0];
    assert_eq!(first["replies"][0]["body"], "Trả lời.");
    assert_eq!(first["replies"][0]["replies"][0]["body"], "Trả lời lại.");
    assert_eq!(comment_count(&app).await, 3, "replies count too");
}

#[actix_web::test]
async fn threads_sort_and_page_and_reactions_count_once_per_reader() {
    let app = unlimited_app(Moderation::None).await;
    let mut ids = Vec::new();
    for body in ["Một.", "Hai.", "Ba."] {
        ids.push(comment(&app, None, guest(body)).await.1["id"].clone());
    }
    let react = |id: &Value, token: Option<&str>, reaction: &str| {
        let mut request = app.request(Method::PUT, &format!("/api/v1/comments/{id}/reaction"));
        if let Some(token) = token {
            request = request.insert_header(("X-Voter-Token", token.to_owned()));
        }
        let body = json!({"reaction": reaction});
        async move {
            let mut response = request.send_json(&body).await.unwrap();
            let token = header(&response, "x-voter-token");
            (
                response.status().as_u16(),
                json_body(&mut response).await,
                token,
            )
        }
    };
    let (status, liked, token) = react(&ids[0], None, "like").await;
    assert_eq!((status, &liked["likes"]), (200, &json!(1)));
    let token = token.unwrap();
    let (_, again, _) = react(&ids[0], Some(&token), "like").await;
    assert_eq!(again["likes"], 1, "once per reader");
    let (_, switched, _) = react(&ids[0], Some(&token), "dislike").await;
    assert_eq!(
        (&switched["likes"], &switched["dislikes"]),
        (&json!(0), &json!(1))
    );
    let (_, back, _) = react(&ids[0], Some(&token), "like").await;
    assert_eq!(back["your_reaction"], "like");
    let mut withdrawn = app
        .request(
            Method::DELETE,
            &format!("/api/v1/comments/{}/reaction", ids[1]),
        )
        .insert_header(("X-Voter-Token", token.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body(&mut withdrawn).await["likes"], 0);

    let most_liked = thread(&app, "?sort=most_liked").await;
    assert_eq!(most_liked["items"][0]["body"], "Một.");
    let oldest = thread(&app, "?sort=oldest&limit=2").await;
    assert_eq!(oldest["items"][1]["body"], "Hai.");
    let cursor = oldest["next_cursor"].as_str().unwrap();
    let rest = thread(&app, &format!("?sort=oldest&limit=2&cursor={cursor}")).await;
    assert_eq!(rest["items"][0]["body"], "Ba.");
    assert!(rest["next_cursor"].is_null());
    let newest = thread(&app, "").await;
    assert_eq!(newest["items"][0]["body"], "Ba.");

    let admin = app.admin_token().await;
    let key = api_key(&app, &admin, "write").await;
    let path = format!("/api/v1/comments/{}/reaction", ids[0]);
    let (status, _) = call(
        &app,
        Method::PUT,
        &path,
        Some(&key),
        Some(json!({"reaction": "like"})),
    )
    .await;
    assert_eq!(status, 403, "programs do not vote");
}

#[actix_web::test]
async fn hostile_bodies_are_refused_and_change_nothing() {
    let app = spawn_admin_app().await;
    let (status, kept) = comment(&app, None, guest("<script>alert('x')</script><b>đậm</b>")).await;
    assert_eq!(status, 201);
    assert_eq!(
        kept["body"], "<script>alert('x')</script><b>đậm</b>",
        "markup is text: stored and returned as typed, for clients to show as text"
    );
    let editor = app.token_with_role("editor").await;
    let (_, queue) = call(&app, Method::GET, "/api/v1/comments", Some(&editor), None).await;
    let before = queue["total"].clone();

    let too_long = "ạ".repeat(2001);
    let cases = [
        (json!({"body": too_long, "author_name": "A"}), "body"),
        (json!({"body": "xin chào\u{0}", "author_name": "A"}), "body"),
        (
            json!({"body": "Xin chào", "author_name": "A", "website": "http://spam.example"}),
            "website",
        ),
        (json!({"body": "Xin chào"}), "author_name"),
        (
            json!({"body": "Xin chào", "author_name": "A", "author_email": "không phải email"}),
            "author_email",
        ),
        (
            json!({"body": "Xin chào", "author_name": "A", "bold": true}),
            "bold",
        ),
    ];
    for (body, field) in cases {
        let (status, problem) = comment(&app, None, body).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let huge = json!({"body": "a".repeat(1_100_000), "author_name": "A"});
    assert_eq!(comment(&app, None, huge).await.0, 413);
    let mut invalid_utf8 = app
        .request(Method::POST, "/api/v1/articles/1/comments")
        .insert_header(("Content-Type", "application/json"))
        .send_body(&b"{\"body\": \"\xff\xfe\", \"author_name\": \"A\"}"[..])
        .await
        .unwrap();
    assert_eq!(invalid_utf8.status().as_u16(), 400);
    let _ = invalid_utf8.body().await;

    let (_, queue) = call(&app, Method::GET, "/api/v1/comments", Some(&editor), None).await;
    assert_eq!(queue["total"], before, "nothing refused was stored");
}

/// Moves a comment's writing time back, as if written `minutes` ago.
async fn written_minutes_ago(app: &TestApp, id: i32, minutes: i64) {
    let at = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
    app.database()
        .write(move |conn| {
            diesel::update(comments::table.find(id))
                .set(comments::created_at.eq(at))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
}

#[actix_web::test]
async fn a_member_changes_an_own_comment_within_the_window_only() {
    let app = unlimited_app(Moderation::Guests).await;
    let member = app.token_with_role("member").await;
    let other = app.token_with_role("member").await;
    let editor = app.token_with_role("editor").await;
    let (_, mine) = comment(&app, Some(&member), json!({"body": "Bản đầu."})).await;
    let path = format!("/api/v1/comments/{}", mine["id"]);
    let edit = |text: &str| Some(json!({"body": text}));

    let (status, edited) = call(&app, Method::PATCH, &path, Some(&member), edit("Bản sửa.")).await;
    assert_eq!((status, &edited["body"]), (200, &json!("Bản sửa.")));
    assert!(edited["edited_at"].is_string());
    for someone_else in [&other, &editor] {
        let (status, _) = call(
            &app,
            Method::PATCH,
            &path,
            Some(someone_else),
            edit("Giả mạo."),
        )
        .await;
        assert_eq!(status, 403, "only its author changes a comment's words");
    }
    let (status, _) = call(&app, Method::DELETE, &path, Some(&other), None).await;
    assert_eq!(status, 403);
    let (status, _) = call(&app, Method::PATCH, &path, None, edit("Khách.")).await;
    assert_eq!(status, 401);

    let id = mine["id"].as_i64().unwrap() as i32;
    written_minutes_ago(&app, id, 16).await;
    let (status, _) = call(&app, Method::PATCH, &path, Some(&member), edit("Quá hạn.")).await;
    assert_eq!(status, 403, "the window has closed");
    let (status, _) = call(&app, Method::DELETE, &path, Some(&member), None).await;
    assert_eq!(status, 403);
    let (status, _) = call(&app, Method::DELETE, &path, Some(&editor), None).await;
    assert_eq!(status, 204, "editors delete any comment");
    assert_eq!(comment_count(&app).await, 0);

    let (_, second) = comment(&app, Some(&member), json!({"body": "Xóa ngay."})).await;
    let path = format!("/api/v1/comments/{}", second["id"]);
    let (status, _) = call(&app, Method::DELETE, &path, Some(&member), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        call(&app, Method::PATCH, &path, Some(&member), edit("x"))
            .await
            .0,
        404
    );
}

#[actix_web::test]
async fn comments_are_limited_per_client_and_per_article() {
    let app = spawn_admin_app().await;
    assert_eq!(comment(&app, None, guest("Lần một.")).await.0, 201);
    let mut again = app
        .request(Method::POST, "/api/v1/articles/1/comments")
        .send_json(&guest("Lần hai."))
        .await
        .unwrap();
    assert_eq!(
        again.status().as_u16(),
        429,
        "one comment per article every 30 s"
    );
    let wait: u64 = header(&again, "retry-after").unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    let _ = again.body().await;

    let editor = app.token_with_role("editor").await;
    let mut statuses = Vec::new();
    for n in 0..bulletin_api::limits::COMMENTS_PER_MINUTE {
        let mut body = bulletin_api::articles::ArticleStatus::Published
            .as_str()
            .to_owned();
        body.push_str(&n.to_string());
        let mut article = crate::helpers::draft(&format!("Tin số {n}"));
        article["status"] = "published".into();
        let (_, created) = crate::helpers::create_article(&app, &editor, article).await;
        let path = format!("/api/v1/articles/{}/comments", created["id"]);
        statuses.push(comment_on(&app, &path, None, guest("Bình luận.")).await.0);
    }
    assert_eq!(
        statuses.last(),
        Some(&429),
        "at most 5 a minute anywhere: {statuses:?}"
    );
}

#[actix_web::test]
async fn staff_replying_from_a_readers_address_are_not_held_to_reader_limits() {
    // A server-rendered frontend: every reader and the staff share its address.
    let app = spawn_admin_app().await;
    assert_eq!(
        comment(&app, None, guest("Câu hỏi của bạn đọc.")).await.0,
        201
    );
    let editor = app.token_with_role("editor").await;
    let (status, reply) = comment(&app, Some(&editor), json!({"body": "Sở xin trả lời."})).await;
    assert_eq!(status, 201, "{reply}");
    assert_eq!(reply["status"], "approved");
    let (status, _) = comment(&app, None, guest("Hỏi thêm.")).await;
    assert_eq!(
        status, 429,
        "the reader is still held to one comment per article every 30 s"
    );
}

#[actix_web::test]
async fn many_comments_at_once_are_counted_exactly() {
    let app = unlimited_app(Moderation::None).await;
    let writes = (0..30).map(|n| comment(&app, None, guest(&format!("Ý kiến số {n}."))));
    let answers = futures_util::future::join_all(writes).await;
    assert!(answers.iter().all(|(status, _)| *status == 201));
    assert_eq!(comment_count(&app).await, 30);
    assert_eq!(thread(&app, "?limit=100").await["total"], 30);
}

#[actix_web::test]
async fn a_draft_takes_comments_during_its_consultation_window_only() {
    let app = unlimited_app(Moderation::Guests).await;
    let editor = app.token_with_role("editor").await;
    let consult = |number: &str, from: &str, to: &str| {
        json!({"number": number, "title": "Dự thảo quy chế", "issuing_body": "Sở Nội vụ",
            "draft": true, "consultation_from": from, "consultation_to": to})
    };
    let (_, open) = call(
        &app,
        Method::POST,
        "/api/v1/documents",
        Some(&editor),
        Some(consult(
            "1/QC-SNV",
            "2020-01-01T00:00:00Z",
            "2099-01-01T00:00:00Z",
        )),
    )
    .await;
    let (_, closed) = call(
        &app,
        Method::POST,
        "/api/v1/documents",
        Some(&editor),
        Some(consult(
            "2/QC-SNV",
            "2020-01-01T00:00:00Z",
            "2020-02-01T00:00:00Z",
        )),
    )
    .await;
    let on = |document: &Value| format!("/api/v1/documents/{}/comments", document["id"]);
    let (status, taken) = comment_on(&app, &on(&open), None, guest("Đề nghị bổ sung.")).await;
    assert_eq!((status, &taken["status"]), (201, &json!("pending")));
    let (status, problem) = comment_on(&app, &on(&closed), None, guest("Muộn.")).await;
    assert_eq!(status, 409, "{problem}");
    let (status, _) = comment_on(
        &app,
        "/api/v1/documents/1/comments",
        None,
        guest("Không phải dự thảo."),
    )
    .await;
    assert_eq!(status, 409, "an issued document takes no comments");

    let path = format!("/api/v1/comments/{}", taken["id"]);
    call(
        &app,
        Method::PATCH,
        &path,
        Some(&editor),
        Some(json!({"status": "approved"})),
    )
    .await;
    let listed = app.get_json(&on(&open)).await;
    assert_eq!(listed["items"][0]["body"], "Đề nghị bổ sung.");
    assert_eq!(
        comment_count(&app).await,
        0,
        "the article's count is its own"
    );
}

#[actix_web::test]
async fn a_thread_page_reads_replies_by_their_roots_however_many_comments_have_none() {
    use crate::lists::{execute, plans_of};
    let app = spawn_admin_app().await;
    if !app.on_sqlite() {
        // PostgreSQL's statistics count the rows without a root apart.
        return;
    }
    // Thousands of comments, each on the article and none a reply but the
    // last few, and the statistics the engine plans with.
    let now = "datetime('now')";
    execute(
        &app,
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO comments (article_id, depth, body, author_name, status, created_at, updated_at)
             SELECT 1, 0, 'Ý kiến ' || i, 'Bạn đọc', CASE i % 2 WHEN 0 THEN 'approved' ELSE 'pending' END,
                 {now}, {now}
             FROM n;
             INSERT INTO comments (article_id, parent_id, root_id, depth, body, author_name, status,
                 created_at, updated_at)
             SELECT 1, id, id, 1, 'Trả lời', 'Ban biên tập', 'approved', {now}, {now}
             FROM comments WHERE id <= 10;
             ANALYZE;"
        ),
    )
    .await;
    let plans = plans_of(&app, |conn| {
        bulletin_api::comments::queries::replies_under(conn, &[2, 4, 6]).map(drop)
    })
    .await;
    let [(sql, steps)] = &plans[..] else {
        panic!("one statement: {plans:?}");
    };
    assert!(
        steps
            .iter()
            .any(|step| step.contains("INDEX comments_by_root ")),
        "`{sql}` does not read the replies by their roots: {steps:?}"
    );
    assert!(
        !steps.iter().any(|step| step.contains("comments_by_status")),
        "`{sql}` walks every approved comment: {steps:?}"
    );
    let thread = app.get_json("/api/v1/articles/1/comments").await;
    assert_eq!(thread["total"], 1500, "{thread}");
}
