//! The document registry: canonical numbers, dates, status from dates and
//! relations, areas, filters, and the links between articles and the
//! documents their text cites.

use std::collections::BTreeSet;

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, api_key, assert_prepared_once, call, change_article, create_article, document, draft,
    header, register, spawn_admin_app, spawn_app, statements_of_rounds,
};

async fn registered(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, created) = register(app, token, body).await;
    assert_eq!(status, 201, "{created}");
    created
}

async fn read(app: &TestApp, id: &Value, on: &str) -> Value {
    let (status, document) = call(
        app,
        Method::GET,
        &format!("/api/v1/documents/{id}?on={on}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{document}");
    document
}

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

fn first_error(problem: &Value) -> (&str, &str) {
    (
        problem["errors"][0]["field"].as_str().unwrap_or_default(),
        problem["errors"][0]["message"].as_str().unwrap_or_default(),
    )
}

#[actix_web::test]
async fn editors_register_documents_in_canonical_form_and_no_one_else_may() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;
    let member = app.token_with_role("member").await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;

    let refused = [
        (None, 401),
        (Some(member.as_str()), 403),
        (Some(author.as_str()), 403),
        (Some(read_key.as_str()), 403),
    ];
    for (credentials, status) in refused {
        let answer = call(
            &app,
            Method::POST,
            "/api/v1/documents",
            credentials,
            Some(document("1/KH-SNV")),
        )
        .await;
        assert_eq!(answer.0, status, "{credentials:?}");
    }

    let created = registered(&app, &editor, document("130 / kh - snv")).await;
    assert_eq!(created["number"], "130/KH-SNV");
    assert_eq!(created["kind"], "plan");
    assert_eq!(created["type_code"], "KH");
    assert_eq!(created["issuer_code"], "SNV");
    assert_eq!(created["status"], "in_force");
    let letter = registered(&app, &write_key, document("1234/ubnd-kt")).await;
    assert_eq!(
        (&letter["number"], &letter["kind"], &letter["type_code"]),
        (
            &json!("1234/UBND-KT"),
            &json!("official_letter"),
            &Value::Null
        )
    );

    let (status, _) = register(&app, &editor, document("130/KH-SNV")).await;
    assert_eq!(
        status, 409,
        "one number, one document, whatever its spelling"
    );
    let (status, problem) = register(&app, &editor, document("130/KH")).await;
    assert_eq!(status, 422);
    assert_eq!(first_error(&problem).0, "number");
    assert!(first_error(&problem).1.contains("issuer"), "{problem}");

    let (_, audit) = call(
        &app,
        Method::GET,
        "/api/v1/audit?target_type=document",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(audit["total"], 2, "{audit}");
}

#[actix_web::test]
async fn dates_out_of_order_are_a_409_naming_them_and_change_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut early = document("5/QĐ-UBND");
    early["issued_on"] = json!("2022-03-01");
    early["effective_on"] = json!("2022-02-01");
    let (status, problem) = register(&app, &editor, early).await;
    assert_eq!((status, first_error(&problem).0), (409, "effective_on"));
    let mut expired = document("5/QĐ-UBND");
    expired["issued_on"] = json!("2022-03-01");
    expired["expires_on"] = json!("2022-03-01");
    let (status, problem) = register(&app, &editor, expired).await;
    assert_eq!((status, first_error(&problem).0), (409, "expires_on"));
    let mut window = document("5/QĐ-UBND");
    window["consultation_from"] = json!("2026-01-01T00:00:00+07:00");
    window["consultation_to"] = json!("2026-02-01T00:00:00+07:00");
    let (status, problem) = register(&app, &editor, window).await;
    assert_eq!(
        (status, first_error(&problem).0),
        (409, "consultation_to"),
        "only drafts are consulted on"
    );
    let list = app
        .get_json("/api/v1/documents?number=5%2FQ%C4%90-UBND")
        .await;
    assert_eq!(list["total"], 0);
}

#[actix_web::test]
async fn dates_beyond_four_digit_years_are_refused_and_change_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    for (field, value) in [
        ("expires_on", "+10000-01-01"),
        ("issued_on", "+99999-01-01"),
        ("effective_on", "0000-12-31"),
        ("issued_on", "2021-1-1"),
        ("consultation_from", "9999-12-31T23:59:59Z"),
    ] {
        let mut body = document("6/QĐ-UBND");
        body[field] = json!(value);
        let (status, problem) = register(&app, &editor, body).await;
        assert_eq!(
            (status, first_error(&problem).0),
            (422, field),
            "{field}: {value}: {problem}"
        );
    }
    let (status, problem) = call(
        &app,
        Method::GET,
        "/api/v1/documents/1?on=%2B10000-01-01",
        None,
        None,
    )
    .await;
    assert_eq!((status, first_error(&problem).0), (422, "on"), "{problem}");
    let list = app
        .get_json("/api/v1/documents?number=6%2FQ%C4%90-UBND")
        .await;
    assert_eq!(list["total"], 0);
}

#[actix_web::test]
async fn whether_a_document_is_in_force_follows_its_dates_and_what_supersedes_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut old = document("10/QĐ-UBND");
    old["issued_on"] = json!("2020-01-01");
    old["effective_on"] = json!("2020-01-15");
    old["expires_on"] = json!("2025-01-01");
    let old = registered(&app, &editor, old).await;
    let id = &old["id"];
    for (on, status, in_force) in [
        ("2020-01-10", "not_yet_in_force", false),
        ("2021-06-01", "in_force", true),
        ("2025-01-01", "expired", false),
    ] {
        let read = read(&app, id, on).await;
        assert_eq!(
            (read["status"].as_str(), read["in_force"].as_bool()),
            (Some(status), Some(in_force)),
            "{on}"
        );
        assert_eq!(read["status_on"], on);
    }

    let mut new = document("20/QĐ-UBND");
    new["issued_on"] = json!("2021-12-20");
    new["effective_on"] = json!("2022-01-01");
    new["related"] = json!({"supersedes": [id]});
    let new = registered(&app, &editor, new).await;
    assert_eq!(new["related"]["supersedes"][0]["number"], "10/QĐ-UBND");
    assert_eq!(read(&app, id, "2021-06-01").await["status"], "in_force");
    let superseded = read(&app, id, "2023-01-01").await;
    assert_eq!(superseded["status"], "superseded");
    assert_eq!(superseded["in_force"], false);
    assert_eq!(superseded["related"]["replaced_by"][0]["id"], new["id"]);
    let listed = app
        .get_json("/api/v1/documents?status=superseded&on=2023-01-01")
        .await;
    assert_eq!(numbers(&listed), ["10/QĐ-UBND"]);

    // An article citing it shows where it stands today.
    let citing = article_citing(&app, &editor, "10/QĐ-UBND").await;
    assert_eq!(citing["documents"][0]["status"], "superseded", "{citing}");
    let listed = app
        .get_json("/api/v1/articles?include=documents&fields=id,documents")
        .await;
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == citing["id"])
        .expect("the citing article is listed");
    assert_eq!(item["documents"][0]["status"], "superseded");

    // The relation is one fact: clearing it from the other side clears both.
    let (status, cleared) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/documents/{id}"),
        Some(&editor),
        Some(json!({"related": {"replaced_by": []}})),
    )
    .await;
    assert_eq!(status, 200, "{cleared}");
    let new = read(&app, &new["id"], "2023-01-01").await;
    assert_eq!(new["related"]["supersedes"], json!([]));
}

#[actix_web::test]
async fn relations_must_name_other_documents_that_exist() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let plan = registered(&app, &editor, document("3/KH-UBND")).await;
    let mut missing = document("4/KH-UBND");
    missing["related"] = json!({"implements": [999]});
    let (status, problem) = register(&app, &editor, missing).await;
    assert_eq!(
        (status, first_error(&problem).0),
        (404, "related.implements")
    );
    let mut both_ways = document("4/KH-UBND");
    both_ways["related"] = json!({"supersedes": [plan["id"]], "replaced_by": [plan["id"]]});
    let (status, problem) = register(&app, &editor, both_ways).await;
    assert_eq!(
        (status, first_error(&problem).0),
        (422, "related.replaced_by")
    );
    let (status, problem) = call(
        &app,
        Method::PATCH,
        &format!("/api/v1/documents/{}", plan["id"]),
        Some(&editor),
        Some(json!({"related": {"amends": [plan["id"]]}})),
    )
    .await;
    assert_eq!((status, first_error(&problem).0), (422, "related.amends"));
}

#[actix_web::test]
async fn a_stale_version_is_a_412_and_changes_nothing() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let created = registered(&app, &editor, document("8/TB-UBND")).await;
    let path = format!("/api/v1/documents/{}", created["id"]);
    let change = json!({"signer": "Nguyễn Văn A", "version": 1});
    let (status, changed) = call(&app, Method::PATCH, &path, Some(&editor), Some(change)).await;
    assert_eq!((status, &changed["version"]), (200, &json!(2)));
    let stale = json!({"signer": "Trần Văn B", "version": 1});
    let (status, _) = call(&app, Method::PATCH, &path, Some(&editor), Some(stale)).await;
    assert_eq!(status, 412);
    let mut response = app
        .request(Method::PATCH, &path)
        .bearer_auth(&editor)
        .insert_header(("If-Match", "\"document-1-v1\""))
        .send_json(&json!({"signer": "Trần Văn B"}))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 412);
    let _ = response.body().await;
    assert_eq!(
        read(&app, &created["id"], "2026-01-01").await["signer"],
        "Nguyễn Văn A"
    );
}

#[actix_web::test]
async fn the_seed_article_links_all_six_documents_it_cites() {
    let app = spawn_app().await;
    let article = app.get_json("/api/v1/articles/1").await;
    let cited: BTreeSet<&str> = article["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        cited,
        BTreeSet::from([
            "5359/QĐ-UBND",
            "130/KH-UBND",
            "24/KH-UBND",
            "34/KH-UBND",
            "135/KH-UBND",
            "2535/QĐ-UBND"
        ])
    );
    let registry = app.get_json("/api/v1/documents").await;
    assert_eq!(registry["total"], 6);
    assert!(
        registry["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["cited_by_count"] == 1)
    );
}

/// An article citing `number`, published by `editor`.
async fn article_citing(app: &TestApp, editor: &str, number: &str) -> Value {
    let mut body = draft("Triển khai kế hoạch mới");
    body["status"] = "published".into();
    body["body_html"] =
        format!("<p>Thực hiện Kế hoạch số {number} ngày 1/2/2024 của UBND tỉnh.</p>").into();
    let (status, article) = create_article(app, editor, body).await;
    assert_eq!(status, 201, "{article}");
    article
}

fn cited_numbers(article: &Value) -> Vec<&str> {
    article["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn articles_link_to_the_documents_they_cite_whichever_comes_first() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;

    // The article first: its reference waits for the document.
    let article = article_citing(&app, &editor, "77/KH-UBND").await;
    assert_eq!(cited_numbers(&article), Vec::<&str>::new());
    let plan = registered(&app, &editor, document("77/kh-ubnd")).await;
    assert_eq!(plan["cited_by_count"], 1);
    let path = format!("/api/v1/articles/{}", article["id"]);
    assert_eq!(cited_numbers(&app.get_json(&path).await), ["77/KH-UBND"]);
    let citing = app
        .get_json(&format!("/api/v1/documents/{}/articles", plan["id"]))
        .await;
    assert_eq!(citing["items"][0]["id"], article["id"]);

    // The document first: the article links as it is saved.
    let decision = registered(&app, &editor, document("78/QĐ-UBND")).await;
    let second = article_citing(&app, &editor, "78/QĐ-UBND").await;
    assert_eq!(cited_numbers(&second), ["78/QĐ-UBND"]);

    // A changed body cites what it now says.
    let body = json!({"body_html": "<p>Không còn trích dẫn.</p>"});
    let (status, changed) = change_article(&app, &editor, &second["id"], body).await;
    assert_eq!(status, 200);
    assert_eq!(cited_numbers(&changed), Vec::<&str>::new());
    let citing = app
        .get_json(&format!("/api/v1/documents/{}/articles", decision["id"]))
        .await;
    assert_eq!(citing["total"], 0);

    // A deleted document unlinks; registered again, it links again.
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/documents/{}", plan["id"]),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        cited_numbers(&app.get_json(&path).await),
        Vec::<&str>::new()
    );
    registered(&app, &editor, document("77/KH-UBND")).await;
    assert_eq!(cited_numbers(&app.get_json(&path).await), ["77/KH-UBND"]);
    let (status, _) = call(
        &app,
        Method::GET,
        "/api/v1/documents/999/articles",
        None,
        None,
    )
    .await;
    assert_eq!(status, 404);
}

/// A document's `cited_by_count` as its page and the registry give it, and
/// the total of its citing articles' list.
async fn citing_counts(app: &TestApp, id: &Value) -> (Value, Value, Value) {
    let one = app.get_json(&format!("/api/v1/documents/{id}")).await;
    let number = one["number"].as_str().unwrap().to_owned();
    let listed = app
        .get_json(&format!("/api/v1/documents?number={number}"))
        .await;
    let citing = app
        .get_json(&format!("/api/v1/documents/{id}/articles"))
        .await;
    (
        one["cited_by_count"].clone(),
        listed["items"][0]["cited_by_count"].clone(),
        citing["total"].clone(),
    )
}

#[actix_web::test]
async fn a_document_counts_only_the_articles_guests_can_read_citing_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let plan = registered(&app, &editor, document("91/KH-UBND")).await;
    let published = article_citing(&app, &editor, "91/KH-UBND").await;
    // A draft, an article scheduled for later and a trashed one cite it too.
    let mut draft_body = draft("Dự thảo trích dẫn kế hoạch");
    draft_body["body_html"] = "<p>Theo Kế hoạch số 91/KH-UBND của UBND tỉnh.</p>".into();
    let (status, unpublished) = create_article(&app, &editor, draft_body.clone()).await;
    assert_eq!(status, 201, "{unpublished}");
    let mut scheduled = draft_body.clone();
    scheduled["status"] = "published".into();
    scheduled["published_at"] = "2099-01-01T08:00:00+07:00".into();
    assert_eq!(create_article(&app, &editor, scheduled).await.0, 201);
    let trashed = article_citing(&app, &editor, "91/KH-UBND").await;
    let path = format!("/api/v1/articles/{}", trashed["id"]);
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&editor), None)
            .await
            .0,
        204
    );

    assert_eq!(
        citing_counts(&app, &plan["id"]).await,
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(
        cited_numbers(
            &app.get_json(&format!("/api/v1/articles/{}", published["id"]))
                .await
        ),
        ["91/KH-UBND"]
    );

    // Published, the draft counts too.
    let body = json!({"status": "published"});
    let (status, changed) = change_article(&app, &editor, &unpublished["id"], body).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        citing_counts(&app, &plan["id"]).await,
        (json!(2), json!(2), json!(2))
    );
}

async fn extract(app: &TestApp, text: &str) -> (u16, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/documents/extract",
        None,
        Some(json!({"text": text})),
    )
    .await
}

#[actix_web::test]
async fn extraction_finds_each_reference_once_with_its_date_span_and_document() {
    let app = spawn_app().await;
    let article = app.get_json("/api/v1/articles/1").await;
    let body = article["body_html"].as_str().unwrap();
    let (status, found) = extract(&app, body).await;
    assert_eq!(status, 200, "{found}");
    let references = found["references"].as_array().unwrap();
    let summary: Vec<(&str, &str)> = references
        .iter()
        .map(|r| {
            (
                r["number"].as_str().unwrap(),
                r["issued_on"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("5359/QĐ-UBND", "2021-12-31"),
            ("130/KH-UBND", "2022-09-23"),
            ("24/KH-UBND", "2022-03-08"),
            ("34/KH-UBND", "2022-05-24"),
            ("135/KH-UBND", "2022-10-05"),
            ("2535/QĐ-UBND", "2022-11-08"),
        ]
    );
    let chars: Vec<char> = body.chars().collect();
    for reference in references {
        let (start, end) = (
            reference["span"]["start"].as_u64().unwrap() as usize,
            reference["span"]["end"].as_u64().unwrap() as usize,
        );
        let spanned: String = chars[start..end].iter().collect();
        assert_eq!(spanned, reference["number"].as_str().unwrap());
        assert!(reference["document_id"].is_i64(), "registered: {reference}");
    }

    let (_, words) = extract(
        &app,
        "Căn cứ Chỉ thị số 05/CT-UBND ngày 9 tháng 6 năm 2023 của Chủ tịch UBND tỉnh",
    )
    .await;
    assert_eq!(
        words["references"],
        json!([{"number": "05/CT-UBND", "kind": "directive", "type_code": "CT", "issuer_code": "UBND",
            "issued_on": "2023-06-09", "span": {"start": 18, "end": 28},
            "span_utf16": {"start": 18, "end": 28},
            "occurrences": [{"span": {"start": 18, "end": 28}, "span_utf16": {"start": 18, "end": 28}}],
            "document_id": null}])
    );
    // JavaScript counts a character outside the BMP (an emoji) as two units.
    let text = "😀 Kết luận 35-KL/TW, nhắc lại: 35 - KL/TW.";
    let (_, party) = extract(&app, text).await;
    assert_eq!(
        party["references"][0],
        json!({"number": "35-KL/TW", "kind": "conclusion", "type_code": "KL", "issuer_code": "TW",
            "issued_on": null, "span": {"start": 11, "end": 19}, "span_utf16": {"start": 12, "end": 20},
            "occurrences": [
                {"span": {"start": 11, "end": 19}, "span_utf16": {"start": 12, "end": 20}},
                {"span": {"start": 31, "end": 41}, "span_utf16": {"start": 32, "end": 42}}],
            "document_id": null})
    );
    let (_, none) = extract(&app, "Ngày 31/12/2021, tỉ lệ 3/4 hộ dân hài lòng.").await;
    assert_eq!(none["references"], json!([]));
}

#[actix_web::test]
async fn extraction_survives_hostile_text_and_refuses_bad_requests() {
    let app = spawn_app().await;
    let hostile = format!(
        "{}{}{}\u{0}\u{1}5359/QĐ-UBND",
        "9".repeat(100_000),
        "1/".repeat(100_000),
        "(((ngày ".repeat(20_000)
    );
    let (status, found) = extract(&app, &hostile).await;
    assert_eq!(status, 200);
    assert_eq!(found["references"][0]["number"], "5359/QĐ-UBND");

    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/documents/extract",
        None,
        Some(json!({"texts": "x"})),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let oversized = "a".repeat(2 * 1024 * 1024);
    let (status, _) = extract(&app, &oversized).await;
    assert_eq!(status, 413);
}

#[actix_web::test]
async fn the_registry_filters_by_text_number_kind_issuer_year_and_area() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    for (query, expected) in [
        (
            "q=do%20luong%20su%20hai%20long",
            vec!["130/KH-UBND", "5359/QĐ-UBND"],
        ),
        ("q=de%20an%20do%20luong", vec!["5359/QĐ-UBND"]),
        ("q=5359", vec!["5359/QĐ-UBND"]),
        ("q=5359%2FQ%C4%90-UBND", vec!["5359/QĐ-UBND"]),
        ("number=5359%2Fq%C4%91%20-%20ubnd", vec!["5359/QĐ-UBND"]),
        ("kind=decision", vec!["2535/QĐ-UBND", "5359/QĐ-UBND"]),
        ("year=2021", vec!["5359/QĐ-UBND"]),
        ("issuer_code=snv", vec![]),
    ] {
        let list = app.get_json(&format!("/api/v1/documents?{query}")).await;
        assert_eq!(numbers(&list), expected, "{query}");
    }
    let all = app.get_json("/api/v1/documents?issuer_code=ubnd").await;
    assert_eq!(all["total"], 6);

    let (status, area) = call(
        &app,
        Method::POST,
        "/api/v1/areas",
        Some(&editor),
        Some(json!({"name": "Cải cách hành chính"})),
    )
    .await;
    assert_eq!(
        (status, &area["slug"]),
        (201, &json!("cai-cach-hanh-chinh"))
    );
    let (_, sub) = call(
        &app,
        Method::POST,
        "/api/v1/areas",
        Some(&editor),
        Some(json!({"name": "Thủ tục hành chính", "parent_id": area["id"]})),
    )
    .await;
    let mut filed = document("9/HD-SNV");
    filed["area_ids"] = json!([sub["id"]]);
    let filed = registered(&app, &editor, filed).await;
    assert_eq!(filed["areas"][0]["name"], "Thủ tục hành chính");
    assert_eq!(filed["kind"], "guide");
    let in_area = app
        .get_json("/api/v1/documents?area=cai-cach-hanh-chinh")
        .await;
    assert_eq!(numbers(&in_area), ["9/HD-SNV"]);
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/areas/{}", sub["id"]),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 409, "a document uses the area");

    let (status, problem) = call(
        &app,
        Method::GET,
        "/api/v1/documents?area=khong-co",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, first_error(&problem).0),
        (404, "area"),
        "{problem}"
    );
    let (status, none) = call(
        &app,
        Method::GET,
        "/api/v1/documents?number=5359",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, numbers(&none).len()),
        (200, 0),
        "what is not a whole number is no document's"
    );
}

#[actix_web::test]
async fn the_registry_pages_by_cursor_without_repeats() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/documents?limit=4".to_owned();
    loop {
        let page = app.get_json(&path).await;
        seen.extend(numbers(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/documents?limit=4&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 6);
}

#[actix_web::test]
async fn a_draft_is_open_for_consultation_during_its_window() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut open = document("12/ĐA-UBND");
    open["draft"] = json!(true);
    open["consultation_from"] = json!("2020-01-01T00:00:00+07:00");
    open["consultation_to"] = json!("2099-01-01T00:00:00+07:00");
    let open = registered(&app, &editor, open).await;
    assert_eq!(open["status"], "draft");
    assert_eq!(open["kind"], "scheme");
    assert_eq!(open["consultation"]["open"], true);
    let mut closed = document("13/ĐA-UBND");
    closed["draft"] = json!(true);
    closed["consultation_from"] = json!("2020-01-01T00:00:00+07:00");
    closed["consultation_to"] = json!("2020-02-01T00:00:00+07:00");
    let closed = registered(&app, &editor, closed).await;
    assert_eq!(closed["consultation"]["open"], false);
    let drafts = app.get_json("/api/v1/documents?status=draft").await;
    assert_eq!(numbers(&drafts), ["12/ĐA-UBND", "13/ĐA-UBND"]);
}

#[actix_web::test]
async fn a_cached_article_goes_stale_when_a_document_it_cites_is_registered() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let article = article_citing(&app, &editor, "90/KH-UBND").await;
    let path = format!("/api/v1/articles/{}", article["id"]);
    let mut first = app.get(&path).send().await.unwrap();
    let before = header(&first, "etag").expect("an ETag");
    let _ = first.body().await;
    registered(&app, &editor, document("90/KH-UBND")).await;
    let mut again = app
        .get(&path)
        .insert_header(("If-None-Match", before.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status().as_u16(),
        200,
        "the answer now shows the document"
    );
    assert_ne!(header(&again, "etag"), Some(before));
    let body: Value = serde_json::from_slice(&again.body().await.unwrap()).unwrap();
    assert_eq!(cited_numbers(&body), ["90/KH-UBND"]);
}

#[actix_web::test]
async fn a_document_and_the_registry_keep_their_statements_prepared() {
    use bulletin_api::db::{find_document, list_documents};
    use bulletin_api::documents::queries::DocumentFilter;
    use bulletin_api::text::search::SearchQuery;
    let app = spawn_app().await;
    // A document of the demo's and the registry's pages, then others.
    let rounds = statements_of_rounds(&app, 2, |conn, round| {
        let now = chrono::Utc::now().naive_utc();
        let today = now.date();
        let document = find_document(conn, [1, 2][round], today, now)?;
        assert!(document.is_some(), "the demo registers six documents");
        let searched = DocumentFilter {
            matching: SearchQuery::parse(["kế hoạch", "hành chính"][round]),
            ..DocumentFilter::default()
        };
        for filter in [DocumentFilter::default(), searched] {
            let (_, total) = list_documents(conn, &filter, today, now, 20, 0, None)?;
            assert!(total > 0, "the registry lists {total} for {filter:?}");
        }
        Ok(())
    })
    .await;
    assert_prepared_once(&rounds);
}
