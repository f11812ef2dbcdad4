//! Related articles: the published articles that cite the same documents,
//! carry the same tags or sit in the same category as one article, best
//! first, each with the score that ranked it.

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, api_key, call, change_article, create_article, expect_problem, header, item_ids,
    spawn_admin_app, spawn_app,
};

/// An app with an admin, and an editor's token.
async fn newsroom() -> (TestApp, String) {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    (app, editor)
}

async fn category(app: &TestApp, token: &str, name: &str) -> i64 {
    let body = json!({ "name": name });
    let (status, category) = call(
        app,
        Method::POST,
        "/api/v1/categories",
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{category}");
    category["id"].as_i64().unwrap()
}

async fn register(app: &TestApp, token: &str, number: &str) {
    let body = json!({
        "number": number, "title": format!("Văn bản {number}"),
        "issuing_body": "UBND tỉnh Bình Định",
    });
    let (status, document) = call(
        app,
        Method::POST,
        "/api/v1/documents",
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{document}");
}

/// A published article's body: its text cites `numbers`, it carries
/// `tags`, is filed under `category` and was published `at`.
fn article(title: &str, numbers: &[&str], tags: &[&str], category: Option<i64>, at: &str) -> Value {
    let text = if numbers.is_empty() {
        "<p>Tin hoạt động của Sở trong tuần.</p>".to_owned()
    } else {
        let cited: Vec<String> = numbers
            .iter()
            .map(|number| format!("văn bản số {number}"))
            .collect();
        format!(
            "<p>Thực hiện {} của UBND tỉnh, Sở triển khai các nhiệm vụ.</p>",
            cited.join(" và ")
        )
    };
    json!({
        "title": title, "body_html": text, "byline": "Phòng CCHC", "tags": tags,
        "category_id": category, "status": "published", "published_at": at,
    })
}

/// Writes `body` with `token`; answers the article's id.
async fn write(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, article) = create_article(app, token, body).await;
    assert_eq!(status, 201, "{article}");
    article["id"].as_i64().unwrap()
}

/// `GET /articles/{key}/related` with `query` (`""` or `?…`) as `credentials`.
async fn related(
    app: &TestApp,
    key: impl std::fmt::Display,
    query: &str,
    credentials: Option<&str>,
) -> (u16, Value) {
    let path = format!("/api/v1/articles/{key}/related{query}");
    call(app, Method::GET, &path, credentials, None).await
}

/// The related list of `key` as a guest reads it (asserting a 200).
async fn related_ids(app: &TestApp, key: impl std::fmt::Display) -> Vec<i64> {
    let (status, list) = related(app, key, "", None).await;
    assert_eq!(status, 200, "{list}");
    item_ids(&list)
}

#[actix_web::test]
async fn a_shared_document_ranks_above_a_shared_tag_which_ranks_above_the_category() {
    let (app, editor) = newsroom().await;
    let reform = category(&app, &editor, "Cải cách hành chính tỉnh").await;
    let elsewhere = category(&app, &editor, "Tin khác").await;
    register(&app, &editor, "901/QĐ-UBND").await;
    let at = "2025-03-01T08:00:00+07:00";
    let subject = article(
        "Bài gốc",
        &["901/QĐ-UBND"],
        &["Chuyển đổi số"],
        Some(reform),
        at,
    );
    let subject = write(&app, &editor, subject).await;
    // The one sharing the document is the oldest, the one sharing only
    // the category the newest: the score decides before the date does.
    let by_document = article(
        "Cùng văn bản",
        &["901/QĐ-UBND"],
        &[],
        Some(elsewhere),
        "2024-01-01T08:00:00+07:00",
    );
    let by_document = write(&app, &editor, by_document).await;
    let by_tag = article(
        "Cùng thẻ",
        &[],
        &["chuyển đổi số"],
        Some(elsewhere),
        "2024-06-01T08:00:00+07:00",
    );
    let by_tag = write(&app, &editor, by_tag).await;
    let by_category = article(
        "Cùng chuyên mục",
        &[],
        &[],
        Some(reform),
        "2025-02-01T08:00:00+07:00",
    );
    let by_category = write(&app, &editor, by_category).await;
    let unrelated = article("Không liên quan", &[], &["khác"], Some(elsewhere), at);
    let unrelated = write(&app, &editor, unrelated).await;

    let (status, list) = related(&app, subject, "", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        item_ids(&list),
        [by_document, by_tag, by_category],
        "{list}"
    );
    let scores: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["score"])
        .collect();
    assert_eq!(
        scores,
        [
            &json!({"documents": 1, "tags": 0, "same_category": false}),
            &json!({"documents": 0, "tags": 1, "same_category": false}),
            &json!({"documents": 0, "tags": 0, "same_category": true}),
        ]
    );
    // Each item is an article as lists show it, without its body.
    let first = &list["items"][0];
    assert_eq!(first["title"], "Cùng văn bản");
    assert_eq!(first["category"]["id"], elsewhere);
    assert!(
        first["url"].is_string() && first["slug"].is_string(),
        "{first}"
    );
    assert!(first.get("body_html").is_none(), "{first}");
    assert!(first.get("documents").is_none(), "only when included");

    // By slug, the same list.
    let slug = app.get_json(&format!("/api/v1/articles/{subject}")).await["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        related_ids(&app, &slug).await,
        [by_document, by_tag, by_category]
    );
    // The other way round, the document still comes first; then its own
    // category, newest first.
    assert_eq!(
        related_ids(&app, by_document).await,
        [subject, unrelated, by_tag]
    );
}

#[actix_web::test]
async fn more_shared_documents_rank_first_and_ties_go_to_the_newer_then_the_later_written() {
    let (app, editor) = newsroom().await;
    let reform = category(&app, &editor, "Cải cách thủ tục").await;
    for number in ["911/QĐ-UBND", "912/KH-UBND"] {
        register(&app, &editor, number).await;
    }
    let both = ["911/QĐ-UBND", "912/KH-UBND"];
    let at = "2025-03-01T08:00:00+07:00";
    let subject = article("Bài gốc", &both, &["Một cửa"], Some(reform), at);
    let subject = write(&app, &editor, subject).await;
    let two_documents = article("Hai văn bản", &both, &[], None, "2023-01-01T08:00:00+07:00");
    let two_documents = write(&app, &editor, two_documents).await;
    let one = ["911/QĐ-UBND"];
    let everything_else = article(
        "Một văn bản, cùng thẻ, cùng chuyên mục",
        &one,
        &["một cửa"],
        Some(reform),
        "2025-02-01T08:00:00+07:00",
    );
    let everything_else = write(&app, &editor, everything_else).await;
    let older = article(
        "Như trên, cũ hơn",
        &one,
        &["MỘT CỬA"],
        Some(reform),
        "2025-01-01T08:00:00+07:00",
    );
    let older = write(&app, &editor, older).await;
    // Published at one moment: the later written (higher id) comes first.
    let twin_at = "2024-05-05T08:00:00+07:00";
    let first_twin = article("Song sinh một", &[], &["Một cửa"], None, twin_at);
    let first_twin = write(&app, &editor, first_twin).await;
    let second_twin = article("Song sinh hai", &[], &["Một cửa"], None, twin_at);
    let second_twin = write(&app, &editor, second_twin).await;

    let (status, list) = related(&app, subject, "", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        item_ids(&list),
        [
            two_documents,
            everything_else,
            older,
            second_twin,
            first_twin
        ]
    );
    assert_eq!(
        list["items"][0]["score"],
        json!({"documents": 2, "tags": 0, "same_category": false})
    );
    assert_eq!(
        list["items"][1]["score"],
        json!({"documents": 1, "tags": 1, "same_category": true}),
        "a tag matches whatever its case"
    );
    assert_eq!(
        list["items"][3]["score"],
        json!({"documents": 0, "tags": 1, "same_category": false})
    );
}

#[actix_web::test]
async fn drafts_trashed_archived_and_scheduled_articles_never_appear_nor_the_article_itself() {
    let (app, editor) = newsroom().await;
    let reform = category(&app, &editor, "Văn thư").await;
    register(&app, &editor, "921/QĐ-UBND").await;
    let shared =
        |title: &str, at: &str| article(title, &["921/QĐ-UBND"], &["Lưu trữ"], Some(reform), at);
    let past = "2025-01-01T08:00:00+07:00";
    let subject = write(&app, &editor, shared("Bài gốc", past)).await;
    let visible = write(&app, &editor, shared("Đã đăng", past)).await;

    let mut draft = shared("Bản nháp", past);
    draft["status"] = "draft".into();
    draft.as_object_mut().unwrap().remove("published_at");
    write(&app, &editor, draft).await;
    let mut pending = shared("Chờ duyệt", past);
    pending["status"] = "pending_review".into();
    pending.as_object_mut().unwrap().remove("published_at");
    write(&app, &editor, pending).await;
    let scheduled = shared("Hẹn giờ", "2099-01-01T08:00:00+07:00");
    let scheduled = write(&app, &editor, scheduled).await;
    let path = format!("/api/v1/articles/{scheduled}");
    let (status, _) = call(&app, Method::GET, &path, None, None).await;
    assert_eq!(status, 404, "a scheduled article is hidden until its time");
    let trashed = write(&app, &editor, shared("Vào thùng rác", past)).await;
    let path = format!("/api/v1/articles/{trashed}");
    let (status, _) = call(&app, Method::DELETE, &path, Some(&editor), None).await;
    assert_eq!(status, 204);
    let archived = write(&app, &editor, shared("Lưu kho", past)).await;
    let (status, body) = change_article(
        &app,
        &editor,
        &json!(archived),
        json!({"status": "archived"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    assert_eq!(related_ids(&app, subject).await, [visible]);
    assert_eq!(related_ids(&app, visible).await, [subject]);
    // Staff see the same list: what is listed is always published.
    let (status, list) = related(&app, subject, "", Some(&editor)).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(item_ids(&list), [visible]);
}

#[actix_web::test]
async fn a_drafts_related_list_is_a_404_for_guests_and_others_and_readable_by_its_staff() {
    let (app, editor) = newsroom().await;
    let admin = app.admin_token().await;
    register(&app, &editor, "931/KH-UBND").await;
    let author = app.token_with_role("author").await;
    let other_author = app.token_with_role("author").await;
    let member = app.token_with_role("member").await;
    let read_key = api_key(&app, &admin, "read").await;
    let mut draft = article("Bản nháp của tác giả", &["931/KH-UBND"], &[], None, "");
    draft["status"] = "draft".into();
    draft.as_object_mut().unwrap().remove("published_at");
    let draft = write(&app, &author, draft).await;
    let published = article(
        "Bài đã đăng",
        &["931/KH-UBND"],
        &[],
        None,
        "2025-01-01T08:00:00+07:00",
    );
    let published = write(&app, &editor, published).await;

    for (who, credentials) in [
        ("a guest", None),
        ("a member", Some(member.as_str())),
        ("another author", Some(other_author.as_str())),
    ] {
        let mut request = app.get(&format!("/api/v1/articles/{draft}/related"));
        if let Some(token) = credentials {
            request = request.bearer_auth(token);
        }
        let mut response = request.send().await.unwrap();
        let problem = expect_problem(&mut response, 404).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(&draft.to_string()),
            "{who}: {problem}"
        );
    }
    for (who, credentials) in [
        ("its author", author.as_str()),
        ("an editor", editor.as_str()),
        ("a read key", read_key.as_str()),
    ] {
        let (status, list) = related(&app, draft, "", Some(credentials)).await;
        assert_eq!(status, 200, "{who}: {list}");
        assert_eq!(item_ids(&list), [published], "{who}");
    }
    // Personal reads are nobody else's to keep.
    let response = app
        .get(&format!("/api/v1/articles/{draft}/related"))
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("private, no-store")
    );

    // In the trash, an article has no related list, for anyone.
    let path = format!("/api/v1/articles/{published}");
    let (status, _) = call(&app, Method::DELETE, &path, Some(&editor), None).await;
    assert_eq!(status, 204);
    for credentials in [None, Some(editor.as_str())] {
        let (status, problem) = related(&app, published, "", credentials).await;
        assert_eq!(status, 404, "{problem}");
    }
    let (status, list) = related(&app, draft, "", Some(&author)).await;
    assert_eq!((status, item_ids(&list)), (200, vec![]), "{list}");
}

#[actix_web::test]
async fn a_limit_of_1_to_20_is_kept_5_by_default_and_anything_else_is_a_422() {
    let (app, editor) = newsroom().await;
    let reform = category(&app, &editor, "Tổ chức bộ máy").await;
    let subject = article(
        "Bài gốc",
        &[],
        &[],
        Some(reform),
        "2025-06-01T08:00:00+07:00",
    );
    let subject = write(&app, &editor, subject).await;
    let mut others = Vec::new();
    for day in 1..=7 {
        let at = format!("2025-05-0{day}T08:00:00+07:00");
        let body = article(&format!("Tin ngày {day}"), &[], &[], Some(reform), &at);
        others.push(write(&app, &editor, body).await);
    }
    let newest_first: Vec<i64> = others.iter().rev().copied().collect();

    assert_eq!(related_ids(&app, subject).await, newest_first[..5]);
    for (query, expected) in [("?limit=1", 1), ("?limit=7", 7), ("?limit=20", 7)] {
        let (status, list) = related(&app, subject, query, None).await;
        assert_eq!(status, 200, "{query}: {list}");
        assert_eq!(item_ids(&list), newest_first[..expected], "{query}");
    }

    for query in [
        "?limit=0",
        "?limit=21",
        "?limit=-1",
        "?limit=abc",
        "?limit=2.5",
    ] {
        let mut response = app
            .get(&format!("/api/v1/articles/{subject}/related{query}"))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 422).await;
        assert_eq!(problem["errors"][0]["field"], "limit", "{query}: {problem}");
    }
    let mut response = app
        .get(&format!("/api/v1/articles/{subject}/related?limit=21"))
        .insert_header(("Accept-Language", "vi"))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 422).await;
    assert_eq!(
        problem["errors"][0]["message"],
        "phải nằm trong khoảng từ 1 đến 20"
    );
    // Lists' paging is not this list's: a page is a parameter it does not take.
    let (status, problem) = related(&app, subject, "?page=2", None).await;
    assert_eq!(
        (status, &problem["errors"][0]["field"]),
        (422, &json!("page"))
    );
    let (status, problem) = related(&app, subject, "?include=comments", None).await;
    assert_eq!(
        (status, &problem["errors"][0]["field"]),
        (422, &json!("include"))
    );
}

#[actix_web::test]
async fn include_documents_shows_the_documents_each_related_article_cites() {
    let (app, editor) = newsroom().await;
    register(&app, &editor, "941/QĐ-UBND").await;
    let at = "2025-01-01T08:00:00+07:00";
    let subject = article("Bài gốc", &["941/QĐ-UBND"], &[], None, at);
    let subject = write(&app, &editor, subject).await;
    let citing = article("Cùng văn bản", &["941/QĐ-UBND"], &[], None, at);
    let citing = write(&app, &editor, citing).await;

    let (status, list) = related(&app, subject, "?include=documents,breadcrumbs", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(item_ids(&list), [citing]);
    let item = &list["items"][0];
    assert_eq!(item["documents"][0]["number"], "941/QĐ-UBND", "{item}");
    assert_eq!(item["breadcrumbs"], json!([]), "no category, no trail");
    assert_eq!(item["score"]["documents"], 1);
}

#[actix_web::test]
async fn a_number_no_registered_document_has_relates_nothing_until_it_is_registered() {
    let (app, editor) = newsroom().await;
    let at = "2025-01-01T08:00:00+07:00";
    let subject = article("Bài gốc", &["951/KH-UBND"], &[], None, at);
    let subject = write(&app, &editor, subject).await;
    let citing = article("Cùng số hiệu", &["951/KH-UBND"], &[], None, at);
    let citing = write(&app, &editor, citing).await;
    assert_eq!(related_ids(&app, subject).await, Vec::<i64>::new());

    register(&app, &editor, "951/KH-UBND").await;
    assert_eq!(related_ids(&app, subject).await, [citing]);
}

#[actix_web::test]
async fn an_unknown_article_is_a_404_and_one_sharing_nothing_has_an_empty_list() {
    let app = spawn_app().await;
    for key in ["999999", "khong-co-bai-nay"] {
        let mut response = app
            .get(&format!("/api/v1/articles/{key}/related"))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 404).await;
        assert_eq!(
            problem["detail"],
            format!("no article has the id or slug `{key}`")
        );
    }
    // The demo article is the only one: nothing relates to it yet.
    let response = app
        .get("/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh/related")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let cache_control = header(&response, "cache-control").unwrap_or_default();
    assert!(cache_control.starts_with("public"), "{cache_control}");
    let etag = header(&response, "etag").expect("an ETag");
    let (status, list) = related(&app, "tin-noi-bat-cua-phong-cai-cach-hanh-chinh", "", None).await;
    assert_eq!((status, list), (200, json!({"items": []})));
    let unchanged = app
        .get("/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh/related")
        .insert_header(("If-None-Match", etag))
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status().as_u16(), 304);
}
