//! Content in several languages: an article, a category and a document say
//! their language; articles that translate one another form one flat group
//! (the original and its translations), a slug is unique within its
//! language only, and lists and feeds filter by language.

use awc::http::Method;
use bulletin_api::text::lang::Lang;
use serde_json::{Value, json};

use crate::helpers::{
    DEMO_SLUG, TestApp, api_key, call, change_article, create_article, document, draft,
    expect_problem, item_ids, register, spawn_admin_app, spawn_admin_app_with,
};

/// `GET path` with `credentials` (a token, an API key, or none).
async fn get(app: &TestApp, path: &str, credentials: Option<&str>) -> (u16, Value) {
    call(app, Method::GET, path, credentials, None).await
}

/// A published article's body for `POST /articles`.
fn published(title: &str) -> Value {
    let mut body = draft(title);
    body["status"] = "published".into();
    body
}

/// `body` in the language `lang`.
fn in_lang(mut body: Value, lang: &str) -> Value {
    body["lang"] = lang.into();
    body
}

/// `body` in the language `lang`, as a translation of `original`.
fn translating(original: &Value, lang: &str, body: Value) -> Value {
    let mut body = in_lang(body, lang);
    body["translation_of"] = original["id"].clone();
    body
}

/// An article created with `credentials`, which must succeed.
async fn written(app: &TestApp, credentials: &str, body: Value) -> Value {
    let (status, article) = create_article(app, credentials, body).await;
    assert_eq!(status, 201, "{article}");
    article
}

fn path_of(article: &Value) -> String {
    format!("/api/v1/articles/{}", article["id"])
}

/// An article's detail as `credentials` read it, which must succeed.
async fn read(app: &TestApp, article: &Value, credentials: Option<&str>) -> Value {
    let (status, detail) = get(app, &path_of(article), credentials).await;
    assert_eq!(status, 200, "{detail}");
    detail
}

/// The languages of a detail's `translations`, in order.
fn translation_langs(detail: &Value) -> Vec<String> {
    detail["translations"]
        .as_array()
        .unwrap_or_else(|| panic!("no translations: {detail}"))
        .iter()
        .map(|entry| entry["lang"].as_str().unwrap().to_owned())
        .collect()
}

/// The ids of a detail's `translations`, in order.
fn translation_ids(detail: &Value) -> Vec<Value> {
    detail["translations"]
        .as_array()
        .unwrap_or_else(|| panic!("no translations: {detail}"))
        .iter()
        .map(|entry| entry["id"].clone())
        .collect()
}

/// What a group's article looks like in another's `translations`, `url`
/// being `/api/v1/articles/{slug}` followed by `query`.
fn entry(article: &Value, query: &str) -> Value {
    let slug = article["slug"].as_str().unwrap();
    json!({
        "id": article["id"],
        "lang": article["lang"],
        "slug": slug,
        "url": format!("/api/v1/articles/{slug}{query}"),
    })
}

/// The field a 422's first error names.
fn field(problem: &Value) -> Option<&str> {
    problem["errors"][0]["field"].as_str()
}

/// Sends a write that must be refused with a problem+json of `status`;
/// answers the problem.
async fn refused(
    app: &TestApp,
    method: Method,
    path: &str,
    credentials: &str,
    body: Value,
    status: u16,
) -> Value {
    let request = app.request(method, path);
    let request = if credentials.starts_with("bak_") {
        request.insert_header(("X-Api-Key", credentials))
    } else {
        request.bearer_auth(credentials)
    };
    let mut response = request.send_json(&body).await.unwrap();
    expect_problem(&mut response, status).await
}

/// A guest's `GET path`, which must be refused with a problem+json of `status`.
async fn refused_read(app: &TestApp, path: &str, status: u16) -> Value {
    let mut response = app.get(path).send().await.unwrap();
    expect_problem(&mut response, status).await
}

/// The `items[].title` of a list or a JSON Feed, in order.
fn titles(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_owned())
        .collect()
}

/// What of a group can change when a write to it is refused.
fn group_state(detail: &Value) -> (Value, Value, Value, Value) {
    (
        detail["version"].clone(),
        detail["lang"].clone(),
        detail["translation_of"].clone(),
        detail["translations"].clone(),
    )
}

// Articles

#[actix_web::test]
async fn an_article_is_in_the_site_language_unless_it_says_otherwise() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let plain = written(&app, &editor, published("Tin không nói ngôn ngữ")).await;
    assert_eq!(
        (&plain["lang"], &plain["translation_of"]),
        (&json!("vi"), &Value::Null)
    );
    let english = written(&app, &editor, in_lang(published("English news"), "EN")).await;
    assert_eq!(english["lang"], "en", "a language is kept in one spelling");
    let regional = written(&app, &editor, in_lang(published("Tin vùng"), "vi-vn")).await;
    assert_eq!(regional["lang"], "vi-VN");

    let detail = read(&app, &plain, None).await;
    assert_eq!(
        (
            &detail["lang"],
            &detail["translation_of"],
            &detail["translations"]
        ),
        (&json!("vi"), &Value::Null, &json!([])),
        "an article of no group lists no translations: {detail}"
    );
    let demo = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    assert_eq!(demo["lang"], "vi", "the demo article is Vietnamese");

    for (query, expected) in [("vi-vn", &regional), ("EN", &english)] {
        let list = app
            .get_json(&format!("/api/v1/articles?lang={query}"))
            .await;
        assert_eq!(
            item_ids(&list),
            [expected["id"].as_i64().unwrap()],
            "{list}"
        );
        let item = &list["items"][0];
        assert_eq!(
            (&item["lang"], &item["translation_of"]),
            (&expected["lang"], &Value::Null),
            "list items say their language and group: {item}"
        );
    }
}

#[actix_web::test]
async fn an_invalid_language_is_a_422_naming_lang_that_changes_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    for lang in ["tiếng", "v", "vi_VN"] {
        let body = in_lang(published("Tin sai ngôn ngữ"), lang);
        let problem = refused(&app, Method::POST, "/api/v1/articles", &editor, body, 422).await;
        assert_eq!(field(&problem), Some("lang"), "{lang}: {problem}");
    }
    assert_eq!(
        app.get_json("/api/v1/articles").await["total"],
        1,
        "only the demo article"
    );

    let article = written(&app, &editor, published("Tin đúng ngôn ngữ")).await;
    let before = read(&app, &article, Some(&editor)).await;
    for lang in ["tiếng", "v", "vi_VN"] {
        let body = json!({"lang": lang});
        let path = path_of(&article);
        let problem = refused(&app, Method::PATCH, &path, &editor, body, 422).await;
        assert_eq!(field(&problem), Some("lang"), "{lang}: {problem}");
    }
    let after = read(&app, &article, Some(&editor)).await;
    assert_eq!(group_state(&after), group_state(&before), "nothing changed");

    for path in [
        "/api/v1/articles?lang=vi_VN".to_owned(),
        "/api/v1/articles?lang=v&q=tin".to_owned(),
        "/api/v1/articles/changes?lang=v".to_owned(),
        format!("/api/v1/articles/{DEMO_SLUG}?lang=vi_VN"),
    ] {
        let problem = refused_read(&app, &path, 422).await;
        assert_eq!(field(&problem), Some("lang"), "{path}: {problem}");
    }
}

#[actix_web::test]
async fn a_translation_lists_its_original_and_the_original_its_translations() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Hội nghị cải cách hành chính")).await;
    let french = written(
        &app,
        &editor,
        translating(&original, "fr", published("Conférence sur la réforme")),
    )
    .await;
    let english = written(
        &app,
        &editor,
        translating(
            &original,
            "en",
            published("Administrative reform conference"),
        ),
    )
    .await;
    for translation in [&english, &french] {
        assert_eq!(
            translation["translation_of"], original["id"],
            "{translation}"
        );
    }

    let read_original = read(&app, &original, None).await;
    assert_eq!(read_original["translation_of"], Value::Null);
    let english_slug = english["slug"].as_str().unwrap();
    let french_slug = french["slug"].as_str().unwrap();
    assert_eq!(
        read_original["translations"],
        json!([
            {"id": english["id"], "lang": "en", "slug": english_slug,
             "url": format!("/api/v1/articles/{english_slug}?lang=en")},
            {"id": french["id"], "lang": "fr", "slug": french_slug,
             "url": format!("/api/v1/articles/{french_slug}?lang=fr")},
        ]),
        "ordered by language"
    );

    let read_english = read(&app, &english, None).await;
    assert_eq!(read_english["translation_of"], original["id"]);
    assert_eq!(
        read_english["translations"],
        json!([entry(&french, "?lang=fr"), entry(&original, "")]),
        "the original in the default language has a bare url"
    );
    // Each url names the article it is given for.
    for listed in read_english["translations"].as_array().unwrap() {
        let (status, target) = get(&app, listed["url"].as_str().unwrap(), None).await;
        assert_eq!((status, &target["id"]), (200, &listed["id"]), "{listed}");
    }

    let list = app.get_json("/api/v1/articles?lang=en").await;
    assert_eq!(list["items"][0]["translation_of"], original["id"], "{list}");
}

#[actix_web::test]
async fn a_translation_of_a_translation_joins_the_original_group() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Tập huấn nghiệp vụ")).await;
    let english = written(
        &app,
        &editor,
        translating(&original, "en", published("Professional training")),
    )
    .await;
    let french = written(
        &app,
        &editor,
        translating(&english, "fr", published("Formation professionnelle")),
    )
    .await;
    assert_eq!(
        french["translation_of"], original["id"],
        "linked to the group's original, not to the translation named"
    );

    // Linked afterwards, the same.
    let german = written(&app, &editor, in_lang(published("Fortbildung"), "de")).await;
    let (status, linked) = change_article(
        &app,
        &editor,
        &german["id"],
        json!({"translation_of": french["id"]}),
    )
    .await;
    assert_eq!(status, 200, "{linked}");
    assert_eq!(linked["translation_of"], original["id"]);

    let read_original = read(&app, &original, None).await;
    assert_eq!(translation_langs(&read_original), ["de", "en", "fr"]);
    let read_french = read(&app, &french, None).await;
    assert_eq!(read_french["translation_of"], original["id"]);
    assert_eq!(
        translation_ids(&read_french),
        [
            german["id"].clone(),
            english["id"].clone(),
            original["id"].clone()
        ],
        "the other three, by language: de, en, vi"
    );
}

#[actix_web::test]
async fn translation_of_naming_no_article_or_a_trashed_one_is_a_404_naming_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let trashed = written(&app, &editor, published("Tin sẽ vào thùng rác")).await;
    let (status, _) = call(
        &app,
        Method::DELETE,
        &path_of(&trashed),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 204);

    let nowhere = json!({"id": 999_999});
    for original in [&nowhere, &trashed] {
        let body = translating(original, "en", published("Orphan translation"));
        let problem = refused(&app, Method::POST, "/api/v1/articles", &editor, body, 404).await;
        assert_eq!(field(&problem), Some("translation_of"), "{problem}");
    }
    let list = app.get_json("/api/v1/articles?lang=en").await;
    assert_eq!(list["total"], 0, "nothing was created: {list}");

    let english = written(&app, &editor, in_lang(published("Standalone news"), "en")).await;
    let before = read(&app, &english, Some(&editor)).await;
    for original in [&nowhere, &trashed] {
        let body = json!({"translation_of": original["id"]});
        let path = path_of(&english);
        let problem = refused(&app, Method::PATCH, &path, &editor, body, 404).await;
        assert_eq!(field(&problem), Some("translation_of"), "{problem}");
    }
    let after = read(&app, &english, Some(&editor)).await;
    assert_eq!(group_state(&after), group_state(&before), "nothing changed");
}

#[actix_web::test]
async fn an_article_cannot_translate_itself() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let article = written(&app, &editor, in_lang(published("Self reference"), "en")).await;
    let body = json!({"translation_of": article["id"]});
    refused(&app, Method::PATCH, &path_of(&article), &editor, body, 422).await;
    let after = read(&app, &article, Some(&editor)).await;
    assert_eq!(
        (
            &after["translation_of"],
            &after["version"],
            &after["translations"]
        ),
        (&Value::Null, &json!(1), &json!([]))
    );

    // A translation naming itself is refused too, not read as its original.
    let original = written(&app, &editor, published("Bản gốc")).await;
    let translation = written(
        &app,
        &editor,
        translating(&original, "en", published("The translation")),
    )
    .await;
    let before = read(&app, &translation, Some(&editor)).await;
    let body = json!({"translation_of": translation["id"]});
    let problem = refused(
        &app,
        Method::PATCH,
        &path_of(&translation),
        &editor,
        body,
        422,
    )
    .await;
    assert_eq!(field(&problem), Some("translation_of"), "{problem}");
    let after = read(&app, &translation, Some(&editor)).await;
    assert_eq!(group_state(&after), group_state(&before), "nothing changed");
}

#[actix_web::test]
async fn a_group_holds_one_article_per_language() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Công tác thi đua")).await;
    let english = written(
        &app,
        &editor,
        translating(&original, "en", published("Emulation work")),
    )
    .await;
    let french = written(
        &app,
        &editor,
        translating(&original, "fr", published("Travail d'émulation")),
    )
    .await;
    let standalone = written(&app, &editor, in_lang(published("Other news"), "en")).await;
    let before = read(&app, &original, Some(&editor)).await;

    let creations = [
        (&original, "en", "a second English translation"),
        (
            &original,
            "vi",
            "a Vietnamese translation of a Vietnamese original",
        ),
        (&english, "vi", "the group holds the Vietnamese original"),
        (&french, "EN", "in any spelling"),
    ];
    for (named, lang, why) in creations {
        let body = translating(named, lang, published("Một bản dịch thừa"));
        let problem = refused(&app, Method::POST, "/api/v1/articles", &editor, body, 409).await;
        assert!(problem["detail"].is_string(), "{why}: {problem}");
    }
    let changes = [
        (
            &french,
            json!({"lang": "en"}),
            "moving into a language the group holds",
        ),
        (
            &standalone,
            json!({"translation_of": original["id"]}),
            "joining with a language it holds",
        ),
        (
            &standalone,
            json!({"translation_of": french["id"]}),
            "the same, through a translation",
        ),
    ];
    for (article, body, why) in changes {
        let problem = refused(&app, Method::PATCH, &path_of(article), &editor, body, 409).await;
        assert!(problem["detail"].is_string(), "{why}: {problem}");
    }

    let after = read(&app, &original, Some(&editor)).await;
    assert_eq!(group_state(&after), group_state(&before), "nothing changed");
    assert_eq!(translation_langs(&after), ["en", "fr"]);
    assert_eq!(read(&app, &french, None).await["lang"], "fr");
    assert_eq!(
        read(&app, &standalone, None).await["translation_of"],
        Value::Null
    );
    let list = app.get_json("/api/v1/articles?lang=en").await;
    assert_eq!(list["total"], 2, "no article was created: {list}");
}

#[actix_web::test]
async fn translation_of_null_unlinks_a_translation_and_other_changes_keep_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Tuyển dụng công chức")).await;
    let english = written(
        &app,
        &editor,
        translating(&original, "en", published("Civil servant recruitment")),
    )
    .await;

    let (status, changed) = change_article(
        &app,
        &editor,
        &english["id"],
        json!({"byline": "Ban biên tập"}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        changed["translation_of"], original["id"],
        "a change that does not name the group keeps it"
    );

    let (status, unlinked) = change_article(
        &app,
        &editor,
        &english["id"],
        json!({"translation_of": null}),
    )
    .await;
    assert_eq!(status, 200, "{unlinked}");
    assert_eq!(unlinked["translation_of"], Value::Null);
    assert_eq!(read(&app, &original, None).await["translations"], json!([]));
    assert_eq!(read(&app, &english, None).await["translations"], json!([]));

    let (status, relinked) = change_article(
        &app,
        &editor,
        &english["id"],
        json!({"translation_of": original["id"]}),
    )
    .await;
    assert_eq!(
        (status, &relinked["translation_of"]),
        (200, &original["id"])
    );
    assert_eq!(
        translation_ids(&read(&app, &original, None).await),
        [english["id"].clone()]
    );
}

#[actix_web::test]
async fn a_slug_is_unique_within_its_language_only() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let vietnamese = written(&app, &editor, published("Hội nghị sơ kết")).await;
    assert_eq!(vietnamese["slug"], "hoi-nghi-so-ket");
    let mut body = in_lang(published("Review conference"), "en");
    body["slug"] = "hoi-nghi-so-ket".into();
    let english = written(&app, &editor, body.clone()).await;
    assert_eq!(
        (&english["slug"], &english["lang"]),
        (&json!("hoi-nghi-so-ket"), &json!("en"))
    );

    for lang in ["en", "EN"] {
        let mut again = body.clone();
        again["lang"] = lang.into();
        refused(&app, Method::POST, "/api/v1/articles", &editor, again, 409).await;
    }
    let mut vietnamese_again = published("Hội nghị sơ kết khác");
    vietnamese_again["slug"] = "hoi-nghi-so-ket".into();
    refused(
        &app,
        Method::POST,
        "/api/v1/articles",
        &editor,
        vietnamese_again,
        409,
    )
    .await;
    let list = app.get_json("/api/v1/articles?lang=en").await;
    assert_eq!(item_ids(&list), [english["id"].as_i64().unwrap()]);

    let mut french = in_lang(published("Conférence de bilan"), "fr");
    french["slug"] = "hoi-nghi-so-ket".into();
    let french = written(&app, &editor, french).await;
    let body = json!({"lang": "en"});
    refused(&app, Method::PATCH, &path_of(&french), &editor, body, 409).await;
    assert_eq!(read(&app, &french, Some(&editor)).await["lang"], "fr");
}

#[actix_web::test]
async fn a_slug_names_the_default_language_article_unless_lang_says_otherwise() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Lễ hội Ghềnh Ráng")).await;
    let slug = original["slug"].as_str().unwrap().to_owned();
    let mut body = translating(&original, "en", published("Ghenh Rang festival"));
    body["slug"] = slug.clone().into();
    let english = written(&app, &editor, body).await;

    let id_at = |read: (u16, Value)| (read.0, read.1["id"].clone());
    let base = format!("/api/v1/articles/{slug}");
    assert_eq!(
        id_at(get(&app, &base, None).await),
        (200, original["id"].clone())
    );
    assert_eq!(
        id_at(get(&app, &format!("{base}?lang=vi"), None).await),
        (200, original["id"].clone())
    );
    for lang in ["en", "EN"] {
        assert_eq!(
            id_at(get(&app, &format!("{base}?lang={lang}"), None).await),
            (200, english["id"].clone()),
            "{lang}"
        );
    }
    refused_read(&app, &format!("{base}?lang=fr"), 404).await;
    let problem = refused_read(&app, &format!("{base}?lang=v"), 422).await;
    assert_eq!(field(&problem), Some("lang"), "{problem}");

    let read_original = read(&app, &original, None).await;
    assert_eq!(
        read_original["translations"],
        json!([entry(&english, "?lang=en")])
    );
}

#[actix_web::test]
async fn authors_editors_and_write_keys_translate_and_guests_may_not() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let write_key = api_key(&app, &admin, "write").await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let demo = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;

    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/articles",
        None,
        Some(translating(&demo, "en", draft("Guest translation"))),
    )
    .await;
    assert_eq!(status, 401, "{problem}");
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/articles",
        None,
        Some(in_lang(draft("Guest article"), "en")),
    )
    .await;
    assert_eq!(status, 401, "{problem}");

    let by_author = written(
        &app,
        &author,
        translating(&demo, "en", draft("Highlights of the reform office")),
    )
    .await;
    assert_eq!(
        (
            &by_author["status"],
            &by_author["lang"],
            &by_author["translation_of"]
        ),
        (&json!("draft"), &json!("en"), &demo["id"])
    );
    let by_editor = written(
        &app,
        &editor,
        translating(&demo, "fr", published("Faits marquants du bureau")),
    )
    .await;
    let by_key = written(
        &app,
        &write_key,
        translating(&demo, "de", published("Höhepunkte des Reformbüros")),
    )
    .await;
    for translation in [&by_editor, &by_key] {
        assert_eq!(
            (&translation["status"], &translation["translation_of"]),
            (&json!("published"), &demo["id"]),
            "{translation}"
        );
    }
    let read_demo = read(&app, &demo, Some(&editor)).await;
    assert_eq!(translation_langs(&read_demo), ["de", "en", "fr"]);
}

#[actix_web::test]
async fn an_author_links_only_their_own_drafts() {
    let app = spawn_admin_app().await;
    let first = app.token_with_role("author").await;
    let second = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let demo = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    let theirs = written(&app, &first, in_lang(draft("My translation"), "en")).await;

    let body = json!({"translation_of": demo["id"]});
    refused(&app, Method::PATCH, &path_of(&theirs), &second, body, 403).await;
    let unchanged = read(&app, &theirs, Some(&editor)).await;
    assert_eq!(
        (&unchanged["translation_of"], &unchanged["version"]),
        (&Value::Null, &json!(1))
    );

    let (status, linked) = change_article(
        &app,
        &first,
        &theirs["id"],
        json!({"translation_of": demo["id"]}),
    )
    .await;
    assert_eq!(
        (status, &linked["translation_of"]),
        (200, &demo["id"]),
        "{linked}"
    );
    assert_eq!(
        translation_ids(&read(&app, &demo, Some(&editor)).await),
        [theirs["id"].clone()]
    );
}

#[actix_web::test]
async fn guests_see_published_translations_only_and_staff_see_drafts_but_not_the_trash() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Chuyển đổi số")).await;
    let draft_translation = written(
        &app,
        &author,
        translating(&original, "en", draft("Digital transformation")),
    )
    .await;
    let published_translation = written(
        &app,
        &editor,
        translating(&original, "fr", published("Transformation numérique")),
    )
    .await;
    let doomed = written(
        &app,
        &editor,
        translating(&original, "de", published("Digitale Transformation")),
    )
    .await;

    let as_guest = read(&app, &original, None).await;
    assert_eq!(translation_langs(&as_guest), ["de", "fr"]);
    let as_editor = read(&app, &original, Some(&editor)).await;
    assert_eq!(translation_langs(&as_editor), ["de", "en", "fr"]);
    assert_eq!(
        as_editor["translations"][1],
        entry(&draft_translation, "?lang=en")
    );
    // A published translation does not show its readers the draft either.
    let from_french = read(&app, &published_translation, None).await;
    assert_eq!(
        translation_ids(&from_french),
        [doomed["id"].clone(), original["id"].clone()]
    );

    let (status, _) = call(&app, Method::DELETE, &path_of(&doomed), Some(&editor), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        translation_langs(&read(&app, &original, Some(&editor)).await),
        ["en", "fr"],
        "the trash is out of sight for staff too"
    );
    assert_eq!(
        translation_langs(&read(&app, &original, None).await),
        ["fr"]
    );
}

#[actix_web::test]
async fn lists_search_and_changes_filter_by_language() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let vietnamese = written(&app, &editor, published("Lễ hội Ghềnh Ráng")).await;
    let english = written(
        &app,
        &editor,
        translating(&vietnamese, "en", published("Ghenh Rang festival")),
    )
    .await;
    let (vi_id, en_id) = (
        vietnamese["id"].as_i64().unwrap(),
        english["id"].as_i64().unwrap(),
    );

    let list = app.get_json("/api/v1/articles?lang=en").await;
    assert_eq!((item_ids(&list), &list["total"]), (vec![en_id], &json!(1)));
    let list = app.get_json("/api/v1/articles?lang=vi").await;
    assert!(item_ids(&list).contains(&vi_id), "{list}");
    assert!(!item_ids(&list).contains(&en_id), "{list}");

    for (lang, expected) in [("en", en_id), ("vi", vi_id)] {
        let found = app
            .get_json(&format!("/api/v1/articles?q=ghenh%20rang&lang={lang}"))
            .await;
        assert_eq!(item_ids(&found), [expected], "{lang}: {found}");
    }

    let changes = app.get_json("/api/v1/articles/changes?lang=en").await;
    assert_eq!(item_ids(&changes), [en_id], "{changes}");
    let changes = app.get_json("/api/v1/articles/changes?lang=vi").await;
    assert!(item_ids(&changes).contains(&vi_id), "{changes}");
    assert!(!item_ids(&changes).contains(&en_id), "{changes}");
}

#[actix_web::test]
async fn feeds_filter_by_language_and_say_which() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let demo = app.get_json(&format!("/api/v1/articles/{DEMO_SLUG}")).await;
    written(
        &app,
        &editor,
        translating(&demo, "en", published("Highlights of the reform office")),
    )
    .await;

    let (status, feed) = get(&app, "/feeds/articles.json?lang=en", None).await;
    assert_eq!(status, 200, "{feed}");
    assert_eq!(titles(&feed), ["Highlights of the reform office"]);
    assert_eq!(feed["language"], "en");
    let (status, feed) = get(&app, "/feeds/articles.json?lang=vi", None).await;
    assert_eq!(status, 200, "{feed}");
    assert_eq!(titles(&feed), ["TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH"]);
    assert_eq!(feed["language"], "vi");
}

#[actix_web::test]
async fn a_site_in_another_language_writes_and_serves_that_one_by_default() {
    let app =
        spawn_admin_app_with(|s| s.site.permalinks.default_lang = Lang::parse("en").unwrap()).await;
    let editor = app.token_with_role("editor").await;
    let original = written(&app, &editor, published("Annual report")).await;
    assert_eq!(original["lang"], "en");
    let slug = original["slug"].as_str().unwrap().to_owned();
    let mut body = translating(&original, "vi", published("Báo cáo thường niên"));
    body["slug"] = slug.clone().into();
    let vietnamese = written(&app, &editor, body).await;

    let (status, bare) = get(&app, &format!("/api/v1/articles/{slug}"), None).await;
    assert_eq!((status, &bare["id"]), (200, &original["id"]), "{bare}");
    assert_eq!(
        bare["translations"],
        json!([entry(&vietnamese, "?lang=vi")]),
        "Vietnamese is another language here"
    );
    let read_vietnamese = read(&app, &vietnamese, None).await;
    assert_eq!(
        read_vietnamese["translations"],
        json!([entry(&original, "")])
    );

    let (status, category) = call(
        &app,
        Method::POST,
        "/api/v1/categories",
        Some(&editor),
        Some(json!({"name": "Reports"})),
    )
    .await;
    assert_eq!(
        (status, &category["lang"]),
        (201, &json!("en")),
        "{category}"
    );
    let (status, report) = register(&app, &editor, document("7/BC-SNV")).await;
    assert_eq!((status, &report["lang"]), (201, &json!("en")), "{report}");
}

// Categories

/// `POST /categories` with `credentials`; answers status and body.
async fn create_category(app: &TestApp, credentials: &str, body: Value) -> (u16, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/categories",
        Some(credentials),
        Some(body),
    )
    .await
}

/// The `items[].name` of a list, in order.
fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_category_slug_is_unique_within_its_language_only() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (status, news) =
        create_category(&app, &editor, json!({"name": "Tin tức", "slug": "tin-tuc"})).await;
    assert_eq!((status, &news["lang"]), (201, &json!("vi")), "{news}");
    let (status, english) = create_category(
        &app,
        &editor,
        json!({"name": "News", "slug": "tin-tuc", "lang": "EN"}),
    )
    .await;
    assert_eq!((status, &english["lang"]), (201, &json!("en")), "{english}");
    let (status, problem) = create_category(
        &app,
        &editor,
        json!({"name": "More news", "slug": "tin-tuc", "lang": "en"}),
    )
    .await;
    assert_eq!(status, 409, "{problem}");

    let (status, by_slug) = get(&app, "/api/v1/categories/tin-tuc", None).await;
    assert_eq!((status, &by_slug["id"]), (200, &news["id"]));
    let (status, by_slug) = get(&app, "/api/v1/categories/tin-tuc?lang=en", None).await;
    assert_eq!((status, &by_slug["id"]), (200, &english["id"]));
    assert_eq!(by_slug["lang"], "en");

    let (status, list) = get(&app, "/api/v1/categories?lang=en", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), ["News"]);
    let (_, list) = get(&app, "/api/v1/categories", None).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["lang"].is_string()),
        "every category says its language: {list}"
    );
}

#[actix_web::test]
async fn a_category_changes_language_where_its_slug_is_free() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, events) =
        create_category(&app, &editor, json!({"name": "Sự kiện", "slug": "su-kien"})).await;
    let (_, english) = create_category(
        &app,
        &editor,
        json!({"name": "Events", "slug": "su-kien", "lang": "en"}),
    )
    .await;
    let (status, _) = create_category(
        &app,
        &editor,
        json!({"name": "Événements", "slug": "su-kien", "lang": "fr"}),
    )
    .await;
    assert_eq!(status, 201);

    let events_path = format!("/api/v1/categories/{}", events["id"]);
    let (status, problem) = call(
        &app,
        Method::PATCH,
        &events_path,
        Some(&editor),
        Some(json!({"lang": "en"})),
    )
    .await;
    assert_eq!(status, 409, "the English slug is taken: {problem}");
    let (_, unmoved) = get(&app, &events_path, None).await;
    assert_eq!(unmoved["lang"], "vi");

    let english_path = format!("/api/v1/categories/{}", english["id"]);
    let (status, moved) = call(
        &app,
        Method::PATCH,
        &english_path,
        Some(&editor),
        Some(json!({"lang": "de", "name": "Veranstaltungen"})),
    )
    .await;
    assert_eq!((status, &moved["lang"]), (200, &json!("de")), "{moved}");
    let (_, list) = get(&app, "/api/v1/categories?lang=de", None).await;
    assert_eq!(names(&list), ["Veranstaltungen"]);
    let (_, list) = get(&app, "/api/v1/categories?lang=en", None).await;
    assert!(names(&list).is_empty(), "none is left in English: {list}");
}

// Documents

/// The numbers of a list of documents, sorted.
fn numbers(list: &Value) -> Vec<String> {
    let mut numbers: Vec<String> = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|item| item["number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    numbers
}

#[actix_web::test]
async fn documents_carry_a_language_and_lists_filter_by_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (status, plan) = register(&app, &editor, document("130/KH-SNV")).await;
    assert_eq!((status, &plan["lang"]), (201, &json!("vi")), "{plan}");
    let mut english = document("131/KH-SNV");
    english["lang"] = "EN".into();
    let (status, english) = register(&app, &editor, english).await;
    assert_eq!((status, &english["lang"]), (201, &json!("en")), "{english}");

    let list = app.get_json("/api/v1/documents?lang=en").await;
    assert_eq!(numbers(&list), ["131/KH-SNV"]);
    assert_eq!(list["total"], 1);
    let list = app.get_json("/api/v1/documents?lang=vi").await;
    assert!(numbers(&list).contains(&"130/KH-SNV".to_owned()), "{list}");
    assert!(!numbers(&list).contains(&"131/KH-SNV".to_owned()), "{list}");

    let (status, moved) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/documents/{}", plan["id"]),
        Some(&editor),
        Some(json!({"lang": "en"})),
    )
    .await;
    assert_eq!((status, &moved["lang"]), (200, &json!("en")), "{moved}");
    let list = app.get_json("/api/v1/documents?lang=en").await;
    assert_eq!(numbers(&list), ["130/KH-SNV", "131/KH-SNV"]);
    let reread = app
        .get_json(&format!("/api/v1/documents/{}", plan["id"]))
        .await;
    assert_eq!(reread["lang"], "en");
}

#[actix_web::test]
async fn a_document_number_is_unique_whatever_its_language() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (status, _) = register(&app, &editor, document("140/KH-SNV")).await;
    assert_eq!(status, 201);
    let mut english = document("140/kh-snv");
    english["lang"] = "en".into();
    refused(
        &app,
        Method::POST,
        "/api/v1/documents",
        &editor,
        english,
        409,
    )
    .await;
    let list = app.get_json("/api/v1/documents?lang=en").await;
    assert_eq!(list["total"], 0, "nothing was registered: {list}");
}

// A database from before languages

/// Content as the service wrote it before languages: a category, a
/// published article in it with a tag and an approved comment.
const CONTENT_BEFORE_LANGUAGES: &str = "
INSERT INTO categories (id, slug, name, created_at, updated_at)
    VALUES (1, 'cai-cach-hanh-chinh', 'Cải cách hành chính', '2026-01-05 01:00:00', '2026-01-05 01:00:00');
INSERT INTO articles (id, slug, title, summary, body_html, body_text, byline, category_id, status,
        published_at, created_at, updated_at, comment_count)
    VALUES (1, 'hoi-nghi-cai-cach', 'Hội nghị cải cách hành chính', 'Sở tổ chức hội nghị.',
        '<p>Sở Nội vụ tổ chức hội nghị tổng kết.</p>', 'Sở Nội vụ tổ chức hội nghị tổng kết.', '', 1,
        'published', '2026-01-05 02:00:00', '2026-01-05 02:00:00', '2026-01-05 02:00:00', 1);
INSERT INTO article_tags (article_id, tag, tag_key) VALUES (1, 'Hội nghị', 'hội nghị');
INSERT INTO comments (id, article_id, depth, body, author_name, status, created_at, updated_at)
    VALUES (1, 1, 0, 'Cảm ơn Sở.', 'Trần Thị B', 'approved', '2026-01-05 03:00:00', '2026-01-05 03:00:00');
";

#[actix_web::test]
async fn content_written_before_languages_keeps_all_it_had_and_is_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let database =
        crate::helpers::written_before_migration(&dir, "translations", CONTENT_BEFORE_LANGUAGES);
    let app = spawn_admin_app_with(move |s| s.database.url = database).await;

    let article = app.get_json("/api/v1/articles/hoi-nghi-cai-cach").await;
    assert_eq!(
        (
            &article["id"],
            &article["lang"],
            &article["translation_of"],
            &article["translations"],
        ),
        (&json!(1), &json!("vi"), &Value::Null, &json!([]))
    );
    assert_eq!(article["tags"], json!(["Hội nghị"]), "{article}");
    assert_eq!(article["category"]["lang"], "vi", "{article}");
    assert_eq!(article["comment_count"], 1, "{article}");
    let comments = app.get_json("/api/v1/articles/1/comments").await;
    assert_eq!(comments["items"][0]["body"], "Cảm ơn Sở.", "{comments}");
    let found = app.get_json("/api/v1/articles?q=tong%20ket").await;
    assert_eq!(
        item_ids(&found),
        [1],
        "the search index still holds it: {found}"
    );

    // The old slug is free in English, and taken again in Vietnamese.
    let editor = app.token_with_role("editor").await;
    let english = written(
        &app,
        &editor,
        translating(
            &article,
            "en",
            json!({"title": "Reform conference", "body_html": "<p>x</p>", "slug": "hoi-nghi-cai-cach"}),
        ),
    )
    .await;
    assert_eq!(english["translation_of"], 1, "{english}");
    let again = json!({"title": "Trùng", "body_html": "<p>x</p>", "slug": "hoi-nghi-cai-cach"});
    refused(&app, Method::POST, "/api/v1/articles", &editor, again, 409).await;
}
