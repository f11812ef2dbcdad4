//! The home page's blocks: featured articles, and collections editors
//! arrange, read by guests with only public articles shown.

use awc::http::Method;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, api_key, call, change_article, create_article, draft, header, item_ids,
    spawn_admin_app,
};

async fn new_collection(app: &TestApp, token: &str, name: &str) -> Value {
    let (status, collection) = call(
        app,
        Method::POST,
        "/api/v1/collections",
        Some(token),
        Some(json!({"name": name})),
    )
    .await;
    assert_eq!(status, 201, "{collection}");
    collection
}

async fn put_articles(app: &TestApp, token: &str, key: &str, ids: Value) -> (u16, Value) {
    call(
        app,
        Method::PUT,
        &format!("/api/v1/collections/{key}/articles"),
        Some(token),
        Some(ids),
    )
    .await
}

fn article_ids(collection: &Value) -> Vec<i64> {
    collection["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|article| article["id"].as_i64().unwrap())
        .collect()
}

#[actix_web::test]
async fn guests_see_a_collections_public_articles_in_the_editors_order() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let earlier = Utc::now().naive_utc() - Duration::hours(1);
    let first = app.publish_article("Tin thứ nhất", earlier).await;
    let second = app.publish_article("Tin thứ hai", earlier).await;
    let (_, waiting) = create_article(&app, &editor, draft("Tin chưa đăng")).await;
    let waiting = waiting["id"].as_i64().unwrap();
    let collection = new_collection(&app, &editor, "Tin nổi bật").await;
    assert_eq!(collection["slug"], "tin-noi-bat");
    assert_eq!(collection["articles"], json!([]));

    let (status, arranged) = put_articles(
        &app,
        &editor,
        "tin-noi-bat",
        json!([second, waiting, first]),
    )
    .await;
    assert_eq!(status, 200, "{arranged}");
    assert_eq!(
        article_ids(&arranged),
        [i64::from(second), waiting, i64::from(first)]
    );
    assert_eq!(arranged["articles"][1]["status"], "draft");

    let (status, shown) = call(
        &app,
        Method::GET,
        "/api/v1/collections/tin-noi-bat",
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(article_ids(&shown), [i64::from(second), i64::from(first)]);
    assert_eq!(shown["articles"][0]["title"], "Tin thứ hai");
    assert!(shown["articles"][0]["tags"].is_array());

    // Published, the waiting article takes the place it was given.
    let (status, _) = change_article(
        &app,
        &editor,
        &json!(waiting),
        json!({"status": "published"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, shown) = call(
        &app,
        Method::GET,
        "/api/v1/collections/tin-noi-bat",
        None,
        None,
    )
    .await;
    assert_eq!(
        article_ids(&shown),
        [i64::from(second), waiting, i64::from(first)]
    );

    // In the trash, an article is hidden from everyone, editors included.
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/articles/{second}"),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let by_id = format!("/api/v1/collections/{}", collection["id"]);
    let (_, shown) = call(&app, Method::GET, &by_id, None, None).await;
    assert_eq!(article_ids(&shown), [waiting, i64::from(first)]);
    let (_, as_editor) = call(&app, Method::GET, &by_id, Some(&editor), None).await;
    assert_eq!(article_ids(&as_editor), [waiting, i64::from(first)]);

    let (status, listed) = call(&app, Method::GET, "/api/v1/collections", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(listed["items"][0]["name"], "Tin nổi bật");
    assert!(listed["items"][0].get("articles").is_none());
}

#[actix_web::test]
async fn editors_and_write_keys_arrange_collections_and_nobody_less() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;
    let article = app
        .publish_article("Tin", Utc::now().naive_utc() - Duration::hours(1))
        .await;
    let collection = new_collection(&app, &editor, "Chỉ đạo điều hành").await;
    let id = collection["id"].clone();

    let refused = [
        ("guest", None, 401),
        ("member", Some(app.token_with_role("member").await), 403),
        ("author", Some(app.token_with_role("author").await), 403),
        ("read key", Some(read_key), 403),
    ];
    let writes = |id: &Value| {
        [
            (
                Method::POST,
                "/api/v1/collections".to_owned(),
                Some(json!({"name": "Khác"})),
            ),
            (
                Method::PATCH,
                format!("/api/v1/collections/{id}"),
                Some(json!({"name": "Đổi"})),
            ),
            (
                Method::PUT,
                format!("/api/v1/collections/{id}/articles"),
                Some(json!([article])),
            ),
            (Method::DELETE, format!("/api/v1/collections/{id}"), None),
        ]
    };
    for (who, credentials, expected) in &refused {
        for (method, path, body) in writes(&id) {
            let (status, problem) =
                call(&app, method.clone(), &path, credentials.as_deref(), body).await;
            assert_eq!(status, *expected, "{who} {method} {path}: {problem}");
        }
    }
    let (_, unchanged) = call(
        &app,
        Method::GET,
        &format!("/api/v1/collections/{id}"),
        None,
        None,
    )
    .await;
    assert_eq!(unchanged["name"], "Chỉ đạo điều hành");
    assert_eq!(unchanged["version"], 1);
    assert_eq!(unchanged["articles"], json!([]));

    for (who, credentials) in [
        ("editor", &editor),
        ("admin", &admin),
        ("write key", &write_key),
    ] {
        let mine = new_collection(&app, credentials, &format!("Khối của {who}")).await;
        let expected = [201, 200, 200, 204];
        for ((method, path, body), expected) in writes(&mine["id"]).into_iter().zip(expected) {
            let (status, answer) = call(&app, method.clone(), &path, Some(credentials), body).await;
            assert_eq!(status, expected, "{who} {method} {path}: {answer}");
        }
    }
}

#[actix_web::test]
async fn bad_collection_writes_are_refused_and_change_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let article = app
        .publish_article("Tin", Utc::now().naive_utc() - Duration::hours(1))
        .await;
    let collection = new_collection(&app, &editor, "Tin nổi bật").await;
    let (status, _) = put_articles(&app, &editor, "tin-noi-bat", json!([article])).await;
    assert_eq!(status, 200);

    let refused = [
        (
            Method::POST,
            "/api/v1/collections",
            json!({"name": ""}),
            422,
            "name",
        ),
        (
            Method::POST,
            "/api/v1/collections",
            json!({"name": "A", "slug": "Có Dấu"}),
            422,
            "slug",
        ),
        (
            Method::POST,
            "/api/v1/collections",
            json!({"name": "A", "color": "đỏ"}),
            422,
            "color",
        ),
        (
            Method::POST,
            "/api/v1/collections",
            json!({"name": "Khác", "slug": "tin-noi-bat"}),
            409,
            "",
        ),
        (
            Method::PATCH,
            "/api/v1/collections/1",
            json!({"description": "a\u{0}b"}),
            422,
            "description",
        ),
        (
            Method::PATCH,
            "/api/v1/collections/999",
            json!({"name": "Khác"}),
            404,
            "",
        ),
        (
            Method::PUT,
            "/api/v1/collections/tin-noi-bat/articles",
            json!([article, article]),
            422,
            "body",
        ),
        (
            Method::PUT,
            "/api/v1/collections/tin-noi-bat/articles",
            json!((1..=101).collect::<Vec<_>>()),
            422,
            "body",
        ),
        (
            Method::PUT,
            "/api/v1/collections/tin-noi-bat/articles",
            json!([article, 99999]),
            404,
            "body",
        ),
        (
            Method::PUT,
            "/api/v1/collections/tin-noi-bat/articles",
            json!({"ids": [article]}),
            422,
            "body",
        ),
        (
            Method::PUT,
            "/api/v1/collections/khong-co/articles",
            json!([article]),
            404,
            "",
        ),
    ];
    for (method, path, body, expected, field) in refused {
        let mut response = app
            .request(method.clone(), path)
            .bearer_auth(&editor)
            .send_json(&body)
            .await
            .unwrap();
        let problem = crate::helpers::expect_problem(&mut response, expected).await;
        if !field.is_empty() {
            assert_eq!(
                problem["errors"][0]["field"], field,
                "{method} {path} {body}: {problem}"
            );
        }
    }
    let (_, after) = call(
        &app,
        Method::GET,
        "/api/v1/collections/tin-noi-bat",
        None,
        None,
    )
    .await;
    assert_eq!(after["version"], 2, "only the first PUT counted: {after}");
    assert_eq!(article_ids(&after), [i64::from(article)]);
    let (_, listed) = call(&app, Method::GET, "/api/v1/collections", None, None).await;
    assert_eq!(listed["total"], 1);

    // A stale ETag is a 412, and the fresh one is taken.
    let path = format!("/api/v1/collections/{}", collection["id"]);
    let stale = app
        .request(Method::PATCH, &path)
        .bearer_auth(&editor)
        .insert_header(("If-Match", "\"collection-1-v1\""))
        .send_json(&json!({"name": "Đổi"}))
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 412);
    let read = app.get(&path).send().await.unwrap();
    let etag = header(&read, "etag").unwrap();
    let fresh = app
        .request(Method::PATCH, &path)
        .bearer_auth(&editor)
        .insert_header(("If-Match", etag))
        .send_json(&json!({"name": "Đổi"}))
        .await
        .unwrap();
    assert_eq!(fresh.status().as_u16(), 200);
}

#[actix_web::test]
async fn editors_choose_the_featured_articles_and_lists_narrow_to_them() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let author = app.token_with_role("author").await;
    let published = |title: &str| json!({"title": title, "body_html": "<p>Cải cách hành chính</p>", "status": "published"});
    let mut featured = published("Tin nổi bật về cải cách");
    featured["featured"] = json!(true);
    let (status, chosen) = create_article(&app, &editor, featured).await;
    assert_eq!(status, 201, "{chosen}");
    assert_eq!(chosen["featured"], true);
    let (_, plain) = create_article(&app, &editor, published("Tin thường về cải cách")).await;
    assert_eq!(plain["featured"], false);

    // Authors may not choose.
    let mut asked = draft("Bài của tác giả");
    asked["featured"] = json!(true);
    let (status, problem) = create_article(&app, &author, asked).await;
    assert_eq!(status, 403, "{problem}");
    let (_, own) = create_article(&app, &author, draft("Bài của tác giả")).await;
    let (status, _) = change_article(&app, &author, &own["id"], json!({"featured": true})).await;
    assert_eq!(status, 403);

    let listed = |query: &'static str| {
        let app = &app;
        async move {
            let (status, page) = call(
                app,
                Method::GET,
                &format!("/api/v1/articles?{query}"),
                None,
                None,
            )
            .await;
            assert_eq!(status, 200, "{query}: {page}");
            item_ids(&page)
        }
    };
    let (chosen_id, plain_id) = (
        chosen["id"].as_i64().unwrap(),
        plain["id"].as_i64().unwrap(),
    );
    assert_eq!(listed("featured=true").await, [chosen_id]);
    let unfeatured = listed("featured=false").await;
    assert!(unfeatured.contains(&plain_id) && !unfeatured.contains(&chosen_id));
    assert_eq!(listed("featured=true&q=cai+cach").await, [chosen_id]);
    let unfeatured = listed("featured=false&q=cai+cach").await;
    assert!(unfeatured.contains(&plain_id) && !unfeatured.contains(&chosen_id));
    let newest = listed("featured=true&q=cai+cach&sort=-published_at").await;
    assert_eq!(newest, [chosen_id]);
    let (status, _) = call(
        &app,
        Method::GET,
        "/api/v1/articles?featured=maybe",
        None,
        None,
    )
    .await;
    assert_eq!(status, 422);

    // Unfeatured, it leaves the list at once; featured, the other enters it.
    let (status, _) =
        change_article(&app, &editor, &chosen["id"], json!({"featured": false})).await;
    assert_eq!(status, 200);
    let (status, changed) =
        change_article(&app, &editor, &plain["id"], json!({"featured": true})).await;
    assert_eq!(status, 200);
    assert_eq!(changed["featured"], true);
    assert_eq!(listed("featured=true").await, [plain_id]);
    let (_, page) = call(
        &app,
        Method::GET,
        "/api/v1/articles?featured=true",
        None,
        None,
    )
    .await;
    assert_eq!(page["total"], 1);
}
