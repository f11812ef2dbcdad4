//! Article lists beyond the public default: staff lists by status, tags,
//! `fields` and `include`.

use std::collections::BTreeSet;

use awc::http::Method;
use bulletin_api::articles::ArticleStatus;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{
    PASSWORD, TestApp, api_key, call, change_article, create_article, draft, item_ids,
    spawn_admin_app, spawn_admin_app_with, spawn_app, spawn_app_with,
};

fn titles(list: &Value) -> Vec<String> {
    let mut titles: Vec<String> = list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    titles
}

/// A query parameter's value, percent-encoded.
fn encoded(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

const DEMO_TITLE: &str = "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH";

async fn list_as(app: &TestApp, path: &str, credentials: Option<&str>) -> (u16, Value) {
    call(app, Method::GET, path, credentials, None).await
}

#[actix_web::test]
async fn unpublished_articles_are_listed_for_staff_by_role() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (_, author_email) = app.create_user(&admin, "author").await;
    let author = app.login(&author_email, PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let member = app.token_with_role("member").await;
    let read_key = api_key(&app, &admin, "read").await;

    create_article(&app, &author, draft("Nháp của tôi")).await;
    let (_, submitted) = create_article(&app, &author, draft("Bài chờ duyệt")).await;
    let pending = json!({"status": "pending_review"});
    assert_eq!(
        change_article(&app, &author, &submitted["id"], pending)
            .await
            .0,
        200
    );
    let (_, theirs) = create_article(&app, &other_author, draft("Nháp của người khác")).await;

    let path = "/api/v1/articles?status=draft,pending_review";
    assert_eq!(list_as(&app, path, None).await.0, 401);
    assert_eq!(list_as(&app, path, Some(&member)).await.0, 403);
    let (status, own) = list_as(&app, path, Some(&author)).await;
    assert_eq!(status, 200);
    assert_eq!(titles(&own), ["Bài chờ duyệt", "Nháp của tôi"]);
    for staff in [&editor, &read_key] {
        let (_, all) = list_as(&app, path, Some(staff)).await;
        assert_eq!(
            titles(&all),
            ["Bài chờ duyệt", "Nháp của người khác", "Nháp của tôi"]
        );
    }
    let (_, with_published) = list_as(
        &app,
        "/api/v1/articles?status=published,draft",
        Some(&author),
    )
    .await;
    assert_eq!(titles(&with_published), ["Nháp của tôi", DEMO_TITLE]);
    let (_, only_published) = list_as(&app, "/api/v1/articles?status=published", None).await;
    assert_eq!(titles(&only_published), [DEMO_TITLE]);

    let trash = "/api/v1/articles?status=trashed";
    let path = format!("/api/v1/articles/{}", theirs["id"]);
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&editor), None)
            .await
            .0,
        204
    );
    assert_eq!(list_as(&app, trash, Some(&author)).await.0, 403);
    let (status, trashed) = list_as(&app, trash, Some(&editor)).await;
    assert_eq!(status, 200);
    assert_eq!(titles(&trashed), ["Nháp của người khác"]);
    let (_, drafts) = list_as(&app, "/api/v1/articles?status=draft", Some(&editor)).await;
    assert_eq!(titles(&drafts), ["Nháp của tôi"], "the trash is not listed");

    let (status, searched) =
        list_as(&app, "/api/v1/articles?status=draft&q=nhap", Some(&editor)).await;
    assert_eq!(
        (status, titles(&searched).len()),
        (200, 0),
        "searches cover published articles: none of them is a draft"
    );
    for (query, field) in [
        ("status=deleted", "status"),
        ("status=trashed,draft", "status"),
    ] {
        let (status, problem) =
            list_as(&app, &format!("/api/v1/articles?{query}"), Some(&editor)).await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
}

#[actix_web::test]
async fn staff_see_a_scheduled_article_as_scheduled_until_its_time_comes() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let now = Utc::now().naive_utc();
    let scheduled = ArticleStatus::Scheduled;
    app.insert_article("Tin hẹn giờ", scheduled, now + Duration::hours(1))
        .await;
    app.insert_article("Tin đã đến giờ", scheduled, now - Duration::minutes(1))
        .await;
    let (_, waiting) = list_as(&app, "/api/v1/articles?status=scheduled", Some(&editor)).await;
    assert_eq!(titles(&waiting), ["Tin hẹn giờ"]);
    assert_eq!(waiting["items"][0]["status"], "scheduled");
    let (_, public) = list_as(&app, "/api/v1/articles?status=published", Some(&editor)).await;
    assert_eq!(titles(&public), [DEMO_TITLE, "Tin đã đến giờ"]);
}

#[actix_web::test]
async fn staff_lists_page_through_drafts_in_every_sort() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut drafts = Vec::new();
    for title in ["Nháp một", "Nháp hai", "Nháp ba"] {
        let (_, article) = create_article(&app, &editor, draft(title)).await;
        assert!(article["published_at"].is_null());
        drafts.push(article["id"].clone());
    }
    for sort in ["-published_at", "published_at", "-updated_at"] {
        let mut seen = Vec::new();
        let mut path = format!("/api/v1/articles?status=draft,published&limit=1&sort={sort}");
        loop {
            let (status, page) = list_as(&app, &path, Some(&editor)).await;
            assert_eq!((status, &page["total"]), (200, &json!(4)), "{page}");
            seen.extend(item_ids(&page));
            let Some(cursor) = page["next_cursor"].as_str() else {
                break;
            };
            path = format!(
                "/api/v1/articles?status=draft,published&limit=1&sort={sort}&cursor={cursor}"
            );
        }
        assert_eq!(seen.len(), 4, "{sort}: {seen:?}");
        assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 4, "{sort}");
        if sort == "-updated_at" {
            assert_eq!(json!(seen[0]), drafts[2], "the last written comes first");
        }
    }
}

#[actix_web::test]
async fn tags_filter_lists_and_searches_whatever_their_case() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut tagged = draft("Hội nghị chuyển đổi số");
    tagged["status"] = "published".into();
    tagged["tags"] = json!(["Chuyển Đổi Số"]);
    assert_eq!(create_article(&app, &editor, tagged).await.0, 201);
    let mut other = draft("Tin khác");
    other["status"] = "published".into();
    other["tags"] = json!(["thể thao"]);
    assert_eq!(create_article(&app, &editor, other).await.0, 201);

    for spelling in ["chuyển đổi số", "CHUYỂN ĐỔI SỐ"] {
        let list = app
            .get_json(&format!("/api/v1/articles?tag={}", encoded(spelling)))
            .await;
        assert_eq!(titles(&list), ["Hội nghị chuyển đổi số"], "{spelling}");
        assert_eq!(list["items"][0]["tags"], json!(["Chuyển Đổi Số"]));
    }
    let searched = app
        .get_json(&format!(
            "/api/v1/articles?q=cai%20cach&tag={}",
            encoded("thể thao")
        ))
        .await;
    assert_eq!(titles(&searched), ["Tin khác"]);
    let unfolded = app
        .get_json(&format!(
            "/api/v1/articles?tag={}",
            encoded("chuyen doi so")
        ))
        .await;
    assert_eq!(unfolded["total"], 0, "a tag is a word, not a search");
}

#[actix_web::test]
async fn fields_keep_only_what_a_list_asks_for() {
    let app = spawn_app().await;
    let list = app
        .get_json("/api/v1/articles?fields=title,published_at")
        .await;
    let item = list["items"][0].as_object().unwrap();
    let keys: Vec<&str> = item.keys().map(String::as_str).collect();
    assert_eq!(
        keys.into_iter().collect::<BTreeSet<_>>(),
        BTreeSet::from(["id", "published_at", "title"])
    );
    assert_eq!(list["total"], 1);

    let (status, problem) = list_as(&app, "/api/v1/articles?fields=title,body_html", None).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "fields");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`body_html`")
    );
}

#[actix_web::test]
async fn include_documents_embeds_what_each_article_cites() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/articles?include=documents").await;
    let documents = list["items"][0]["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 6, "the seed article cites six documents");
    assert!(documents.iter().any(|d| d["number"] == "5359/QĐ-UBND"));

    let plain = app.get_json("/api/v1/articles").await;
    assert!(plain["items"][0].get("documents").is_none());
    let trimmed = app
        .get_json("/api/v1/articles?include=documents,category&fields=title")
        .await;
    assert!(trimmed["items"][0].get("documents").is_none());
    let both = app
        .get_json("/api/v1/articles?include=documents&fields=title,documents")
        .await;
    assert_eq!(both["items"][0]["documents"].as_array().unwrap().len(), 6);

    let (status, problem) = list_as(&app, "/api/v1/articles?include=comments", None).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "include");
}

/// SQL statements the server has run so far, from `/metrics`.
async fn statements_run(app: &TestApp) -> u64 {
    crate::helpers::metric(app, "bulletin_db_statements_total").await
}

/// The statements one GET costs, and its body.
async fn statements_for(app: &TestApp, path: &str) -> (u64, Value) {
    let before = statements_run(app).await;
    let (status, body) = list_as(app, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    (statements_run(app).await - before, body)
}

#[actix_web::test]
async fn a_page_costs_the_same_few_statements_whatever_its_length() {
    // Nothing polls the database in the background while statements are counted.
    let app = spawn_admin_app_with(|settings| {
        settings.webhooks.poll = std::time::Duration::from_secs(3600);
    })
    .await;
    let editor = app.token_with_role("editor").await;
    for n in 0..20 {
        let number = format!("{}/KH-UBND", 100 + n);
        let document = json!({"number": number, "title": format!("Kế hoạch {n}"), "issuing_body": "UBND tỉnh"});
        let (status, created) = call(
            &app,
            Method::POST,
            "/api/v1/documents",
            Some(&editor),
            Some(document),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let mut article = draft(&format!("Triển khai kế hoạch số {n}"));
        article["status"] = "published".into();
        article["category_id"] = 1.into();
        article["tags"] = json!([format!("nhãn {n}"), "cải cách"]);
        article["body_html"] =
            format!("<p>Thực hiện Kế hoạch số {number} ngày 1/2/2024.</p>").into();
        let (status, created) = create_article(&app, &editor, article).await;
        assert_eq!(status, 201, "{created}");
    }

    for (one, twenty) in [
        (
            "/api/v1/articles?limit=1&include=documents",
            "/api/v1/articles?limit=20&include=documents",
        ),
        ("/api/v1/documents?limit=1", "/api/v1/documents?limit=20"),
        (
            "/api/v1/articles?limit=1&q=ke+hoach",
            "/api/v1/articles?limit=20&q=ke+hoach",
        ),
    ] {
        let (for_one, page) = statements_for(&app, one).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{one}");
        let (for_twenty, page) = statements_for(&app, twenty).await;
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 20, "{twenty}");
        // What the extra statements would be for, had they been per item.
        if twenty.starts_with("/api/v1/articles") {
            assert!(
                items
                    .iter()
                    .all(|item| item["tags"].as_array().unwrap().len() == 2)
            );
        }
        if twenty.contains("include=documents") {
            assert!(
                items
                    .iter()
                    .all(|item| item["documents"].as_array().unwrap().len() == 1)
            );
        }
        assert!(for_one > 0, "{one} ran no statement: is the counter alive?");
        assert_eq!(for_one, for_twenty, "{one} vs {twenty}");
    }
}

/// Whether a plan reads the articles table row by row rather than through
/// an index: on SQLite every row read in full is a body read through its
/// overflow pages, on PostgreSQL a table growing with the archive.
pub(crate) fn scans_articles(steps: &[String]) -> bool {
    steps.iter().any(|step| {
        (step.starts_with("SCAN articles") && !step.contains("INDEX"))
            || step.contains("Seq Scan on articles ")
    })
}

/// Whether a plan sorts the rows it found rather than reading them in an
/// index's order.
pub(crate) fn sorts(steps: &[String]) -> bool {
    steps.iter().any(|step| {
        let node = step.trim_start().trim_start_matches("->").trim_start();
        step.contains("TEMP B-TREE FOR ORDER BY") || node.starts_with("Sort ")
    })
}

/// What the engine plans for each statement `read` runs: the statements are
/// caught as they run, then explained.
pub(crate) async fn plans_of<F>(app: &TestApp, read: F) -> Vec<(String, Vec<String>)>
where
    F: FnOnce(&mut bulletin_api::db::DbConnection) -> diesel::QueryResult<()> + Send + 'static,
{
    use diesel::connection::{Connection, InstrumentationEvent};
    let on_sqlite = app.on_sqlite();
    app.database()
        .read(move |conn| {
            let run = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
            let caught = std::sync::Arc::clone(&run);
            conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
                if let InstrumentationEvent::StartQuery { query, .. } = event {
                    let text = query.to_string();
                    let sql = text.split(" -- binds:").next().unwrap_or_default();
                    caught.lock().unwrap().push(sql.to_owned());
                }
            });
            read(conn)?;
            conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
            let statements = run.lock().unwrap().clone();
            statements
                .into_iter()
                .map(|sql| {
                    let steps = if on_sqlite {
                        sqlite_plan(conn, &sql)?
                    } else {
                        postgres_plan(conn, &sql)?
                    };
                    Ok((sql, steps))
                })
                .collect()
        })
        .await
        .unwrap()
}

/// SQLite's plan of `sql`. Unbound parameters are NULL: the plan does not
/// depend on them.
fn sqlite_plan(
    conn: &mut bulletin_api::db::DbConnection,
    sql: &str,
) -> diesel::QueryResult<Vec<String>> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Step {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    let steps: Vec<Step> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(conn)?;
    Ok(steps.into_iter().map(|step| step.detail).collect())
}

/// PostgreSQL's generic plan of `sql` (`$1`, `$2`, …): the one made for
/// any values, as the service's prepared statements come to use.
fn postgres_plan(
    conn: &mut bulletin_api::db::DbConnection,
    sql: &str,
) -> diesel::QueryResult<Vec<String>> {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
        line: String,
    }
    let parameters = (1..).take_while(|n| sql.contains(&format!("${n}"))).count();
    let nulls = vec!["NULL"; parameters].join(", ");
    conn.batch_execute(&format!(
        "SET plan_cache_mode = force_generic_plan; PREPARE explained AS {sql}"
    ))?;
    let lines: Vec<Line> = diesel::sql_query(if parameters == 0 {
        "EXPLAIN EXECUTE explained".to_owned()
    } else {
        format!("EXPLAIN EXECUTE explained({nulls})")
    })
    .load(conn)?;
    conn.batch_execute("DEALLOCATE explained; RESET plan_cache_mode")?;
    Ok(lines.into_iter().map(|line| line.line).collect())
}

/// Writes `count` published articles straight into the database, an hour
/// apart, without measuring them for the planner.
async fn years_of_articles(app: &TestApp, count: u32) {
    more_articles(app, 1, count).await;
}

/// Writes published articles `bai-{first}` to `bai-{last}` straight into
/// the database, `bai-{i}` published `i` hours ago.
pub(crate) async fn more_articles(app: &TestApp, first: u32, last: u32) {
    // The current time, and `i` hours before it, in each engine's words.
    let (now, hours_ago) = if app.on_sqlite() {
        ("datetime('now')", "datetime('now', '-' || i || ' hours')")
    } else {
        (
            "(now() AT TIME ZONE 'UTC')",
            "(now() AT TIME ZONE 'UTC') - i * interval '1 hour'",
        )
    };
    execute(
        app,
        format!(
            "WITH RECURSIVE n(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM n WHERE i < {last})
             INSERT INTO articles (slug, title, summary, body_html, body_text, byline, status,
                 published_at, comment_count, rating_total, rating_count, version,
                 created_at, updated_at)
             SELECT 'bai-' || i, 'Bài ' || i, '', '<p>Nội dung</p>', 'Nội dung', '', 'published',
                 {hours_ago}, 0, 0, 0, 1, {now}, {now}
             FROM n;
             INSERT INTO article_views (article_id, view_count)
             SELECT id, CAST(substr(slug, 5) AS integer) * 37 % 1000 FROM articles
             WHERE slug LIKE 'bai-%' AND id NOT IN (SELECT article_id FROM article_views);"
        ),
    )
    .await;
}

/// Runs `sql` through the database's writer.
pub(crate) async fn execute(app: &TestApp, sql: String) {
    use diesel::connection::SimpleConnection;
    app.database()
        .write(move |conn| {
            conn.batch_execute(&sql)
                .map_err(bulletin_api::db::StoreError::from)
        })
        .await
        .unwrap();
}

#[actix_web::test]
async fn public_lists_read_indexes_not_the_whole_table() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::{self, ArticleFilter, ListOrder, Scope};
    let app = spawn_app().await;
    // A newsroom with years of history, and the statistics the engine plans
    // with: which index serves best depends on how many rows there are.
    years_of_articles(&app, 5000).await;
    execute(&app, "ANALYZE;".to_owned()).await;
    for sort in [
        ArticleSort::NewestFirst,
        ArticleSort::OldestFirst,
        ArticleSort::MostViewed,
        ArticleSort::BestRated,
    ] {
        let plans = plans_of(&app, move |conn| {
            let now = Utc::now().naive_utc();
            let filter = ArticleFilter::default();
            let order = ListOrder::Sorted(sort);
            queries::count(conn, &Scope::Public, &filter, now)?;
            queries::list(conn, &Scope::Public, &filter, order, now, 20, 0, None).map(drop)
        })
        .await;
        assert_eq!(
            plans.len(),
            3,
            "a count, a page's ids, their rows: {plans:?}"
        );
        for (sql, steps) in &plans {
            let page = sql.contains("ORDER BY");
            // To count every visible article PostgreSQL may read its table,
            // whose rows keep their long bodies apart (TOAST); SQLite's rows
            // hold them.
            if page || app.on_sqlite() {
                assert!(
                    !scans_articles(steps),
                    "{sort:?}: `{sql}` scans articles: {steps:?}"
                );
            }
            // Each order is an index's: by publication time and by rating
            // the articles', by views the views table's.
            if page {
                assert!(
                    !sorts(steps),
                    "{sort:?}: `{sql}` sorts every visible article: {steps:?}"
                );
            }
        }
    }
}

#[actix_web::test]
async fn sync_pages_walk_the_change_order_not_every_article() {
    use bulletin_api::articles::queries::{self, ArticleFilter, ListOrder, ListPosition, Scope};
    let app = spawn_app().await;
    years_of_articles(&app, 5000).await;
    execute(&app, "ANALYZE;".to_owned()).await;
    let now = Utc::now().naive_utc();
    let midway = ListPosition::Changed {
        c: now - chrono::Duration::hours(2500),
        i: 2500,
    };
    for after in [None, Some(midway)] {
        let plans = plans_of(&app, move |conn| {
            let filter = ArticleFilter::default();
            queries::list(
                conn,
                &Scope::Changes,
                &filter,
                ListOrder::Changes,
                now,
                20,
                0,
                after,
            )
            .map(drop)
        })
        .await;
        let (sql, steps) = plans
            .iter()
            .find(|(sql, _)| sql.contains("ORDER BY"))
            .unwrap_or_else(|| panic!("a page's ids: {plans:?}"));
        assert!(
            !sorts(steps) && !scans_articles(steps),
            "{after:?}: `{sql}` sorts every article once public: {steps:?}"
        );
    }
}

#[actix_web::test]
async fn a_category_page_is_counted_and_paged_on_an_index() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::{self, ArticleFilter, ListOrder, Scope};
    let app = spawn_app().await;
    if !app.on_sqlite() {
        return;
    }
    years_of_articles(&app, 5000).await;
    let category = crate::helpers::insert_category(&app.database(), "tin-tuc")
        .await
        .unwrap();
    let sql = format!("UPDATE articles SET category_id = {category} WHERE id % 10 = 0; ANALYZE;");
    execute(&app, sql).await;
    let plans = plans_of(&app, move |conn| {
        let now = Utc::now().naive_utc();
        let filter = ArticleFilter {
            category_ids: Some(vec![category]),
            ..ArticleFilter::default()
        };
        let order = ListOrder::Sorted(ArticleSort::NewestFirst);
        queries::count(conn, &Scope::Public, &filter, now)?;
        queries::list(conn, &Scope::Public, &filter, order, now, 20, 100, None).map(drop)
    })
    .await;
    let [count, page, rows] = &plans[..] else {
        panic!("a count, a page's ids, their rows: {plans:?}");
    };
    for (sql, steps) in [count, page] {
        // The index holds the category, the visibility and the order: no
        // article's row is read to tell whether it is on the page.
        assert_read_in_order_on(sql, steps, "articles_visible_by_category");
    }
    // Nothing but the views is joined to the rows the page skips.
    let (sql, steps) = page;
    assert!(
        !steps
            .iter()
            .any(|step| step.contains("users") || step.contains("categories")),
        "`{sql}` joins more than it orders by: {steps:?}"
    );
    // Then only the page's own rows are read, by their keys.
    let (sql, steps) = rows;
    assert!(
        steps
            .iter()
            .any(|step| step.starts_with("SEARCH articles USING INTEGER PRIMARY KEY")),
        "`{sql}` does not read the page's articles by key: {steps:?}"
    );
    assert!(!scans_articles(steps), "`{sql}` scans articles: {steps:?}");
}

/// That a plan reads its rows through `index` and in that index's order,
/// sorting nothing.
fn assert_read_in_order_on(sql: &str, steps: &[String], index: &str) {
    assert!(
        steps
            .iter()
            .any(|step| step.contains(&format!("INDEX {index} "))),
        "`{sql}` does not read {index}: {steps:?}"
    );
    assert!(
        !steps.iter().any(|step| step.contains("TEMP B-TREE")),
        "`{sql}` sorts: {steps:?}"
    );
}

#[actix_web::test]
async fn searches_read_indexes_not_the_whole_table() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::{self, ArticleFilter};
    let app = spawn_app().await;
    if !app.on_sqlite() {
        return;
    }
    years_of_articles(&app, 5000).await;
    execute(&app, "ANALYZE;".to_owned()).await;
    for sort in [ArticleSort::Relevance, ArticleSort::NewestFirst] {
        let plans = plans_of(&app, move |conn| {
            let now = Utc::now().naive_utc();
            let filter = ArticleFilter::default();
            let query = bulletin_api::text::search::SearchQuery::parse("bai").unwrap();
            queries::search_visible(conn, &query, &filter, sort, now, 20, 0).map(drop)
        })
        .await;
        assert!(plans.len() >= 2, "the matches and their texts: {plans:?}");
        for (sql, steps) in &plans {
            assert!(
                !scans_articles(steps),
                "{sort:?}: `{sql}` scans articles: {steps:?}"
            );
        }
    }
}

#[actix_web::test]
async fn lookups_by_key_use_their_key_once_the_statistics_describe_the_data() {
    use bulletin_api::articles::queries;
    use bulletin_api::text::slug::{IdOrSlug, Slug};
    // Statistics taken while the tables were empty (as migrations take
    // them), then years of articles written without a new measure.
    let mut app = spawn_app().await;
    if !app.on_sqlite() {
        return;
    }
    years_of_articles(&app, 4000).await;
    // A restart: the service measures again what changed.
    app.stop().await;
    let database = app.settings.database.url.clone();
    let restarted = spawn_app_with(move |s| s.database.url = database).await;
    let plans = plans_of(&restarted, |conn| {
        let now = Utc::now().naive_utc();
        let slug = named(IdOrSlug::Slug(Slug::parse("bai-3999").unwrap()));
        queries::find_visible(conn, &slug, now)?;
        queries::find_for_staff(conn, &slug, None)?;
        queries::find_visible(conn, &named(IdOrSlug::Id(3999)), now)?;
        bulletin_api::documents::queries::ids_by_number(conn, &["5359/QĐ-UBND".to_owned()])?;
        Ok(())
    })
    .await;
    assert_eq!(plans.len(), 4, "{plans:?}");
    for (sql, steps) in &plans {
        let by_key = steps.iter().any(|step| {
            step.contains("USING INDEX sqlite_autoindex")
                || step.contains("USING INTEGER PRIMARY KEY")
                || step.contains("USING COVERING INDEX sqlite_autoindex")
        });
        assert!(by_key, "`{sql}` does not look its key up: {steps:?}");
        assert!(
            !steps.iter().any(|step| step.contains("articles_visible")),
            "`{sql}` walks the visible articles instead: {steps:?}"
        );
    }
}

#[actix_web::test]
async fn public_list_totals_follow_every_write_that_moves_an_article() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let news = crate::helpers::insert_category(&app.database(), "tin-tuc")
        .await
        .unwrap();
    let events = crate::helpers::insert_category(&app.database(), "su-kien")
        .await
        .unwrap();
    let totals = || async {
        let mut totals = Vec::new();
        for path in [
            "/api/v1/articles",
            "/api/v1/articles?category=tin-tuc",
            "/api/v1/articles?category=su-kien",
        ] {
            let (status, page) = list_as(&app, path, None).await;
            assert_eq!(status, 200, "{path}: {page}");
            totals.push(page["total"].as_i64().unwrap());
        }
        totals
    };
    let before = totals().await;
    let mut ids = Vec::new();
    for title in ["Tin một", "Tin hai", "Tin ba"] {
        let body = json!({"title": title, "body_html": "<p>Nội dung</p>",
            "category_id": news, "status": "published"});
        let (status, created) = create_article(&app, &editor, body).await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].clone());
    }
    let counted = |all: i64, news: i64, events: i64| vec![before[0] + all, news, events];
    assert_eq!(totals().await, counted(3, 3, 0));

    // A new byline shows at once; the totals it leaves alone stay right.
    let byline = json!({"byline": "Ban biên tập"});
    assert_eq!(change_article(&app, &editor, &ids[0], byline).await.0, 200);
    assert_eq!(totals().await, counted(3, 3, 0));
    let (_, page) = list_as(&app, "/api/v1/articles?category=tin-tuc", None).await;
    let moved = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == ids[0])
        .unwrap();
    assert_eq!(moved["byline"], "Ban biên tập");

    let to_events = json!({"category_id": events});
    assert_eq!(
        change_article(&app, &editor, &ids[0], to_events).await.0,
        200
    );
    assert_eq!(totals().await, counted(3, 2, 1));

    let trash = format!("/api/v1/articles/{}", ids[1]);
    let (status, _) = call(&app, Method::DELETE, &trash, Some(&editor), None).await;
    assert_eq!(status, 204);
    assert_eq!(totals().await, counted(2, 1, 1));
    let restore = format!("/api/v1/articles/{}/restore", ids[1]);
    let (status, restored) = call(&app, Method::POST, &restore, Some(&editor), None).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(totals().await, counted(3, 2, 1));

    let unpublish = json!({"status": "draft"});
    assert_eq!(
        change_article(&app, &editor, &ids[2], unpublish).await.0,
        200
    );
    assert_eq!(totals().await, counted(2, 1, 1));

    // A title is text citations are found in: a new one moves the article
    // into the list of what cites a document.
    let plan = json!({"number": "5359/KH-UBND", "title": "Kế hoạch cải cách hành chính",
        "issuing_body": "UBND tỉnh"});
    let (status, document) = call(
        &app,
        Method::POST,
        "/api/v1/documents",
        Some(&editor),
        Some(plan),
    )
    .await;
    assert_eq!(status, 201, "{document}");
    let citing = format!("/api/v1/documents/{}/articles", document["id"]);
    let citing_total = || async { list_as(&app, &citing, None).await.1["total"].clone() };
    assert_eq!(citing_total().await, 0);
    let title = json!({"title": "Triển khai Kế hoạch số 5359/KH-UBND"});
    assert_eq!(change_article(&app, &editor, &ids[1], title).await.0, 200);
    assert_eq!(citing_total().await, 1);
}

#[actix_web::test]
async fn a_scheduled_article_counts_in_list_totals_once_its_time_comes() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let total = || async {
        let (status, page) = list_as(&app, "/api/v1/articles", None).await;
        assert_eq!(status, 200, "{page}");
        (
            page["total"].as_i64().unwrap(),
            page["items"].as_array().unwrap().len(),
        )
    };
    let (before, shown) = total().await;
    let due = Utc::now() + Duration::milliseconds(1500);
    let body = json!({"title": "Thông báo sắp đăng", "body_html": "<p>Nội dung</p>",
        "status": "published", "published_at": due.to_rfc3339()});
    let (status, created) = create_article(&app, &editor, body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "scheduled");
    assert_eq!(total().await, (before, shown));
    // Asked again while the total counted before is still kept.
    actix_web::rt::time::sleep((due - Utc::now()).to_std().unwrap_or_default()).await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(total().await, (before + 1, shown + 1));
}

#[actix_web::test]
async fn a_parent_category_page_walks_the_newest_articles_instead_of_sorting_them() {
    let app = spawn_app().await;
    if !app.on_sqlite() {
        return;
    }
    // Categories of thousands of articles each: more than a sample of an
    // index's start would tell.
    years_of_articles(&app, 24000).await;
    let mut categories = Vec::new();
    for slug in [
        "tin-tuc",
        "thong-cao",
        "ban-tin",
        "tuyen-dung",
        "doi-tac",
        "san-pham",
    ] {
        let id = crate::helpers::insert_category(&app.database(), slug)
            .await
            .unwrap();
        categories.push(id);
    }
    let spread = format!(
        "UPDATE articles SET category_id = {} + id % 6;",
        categories[0]
    );
    execute(&app, spread).await;
    // Measured as the service measures (at start, after imports, periodically).
    app.database().refresh_statistics().await.unwrap();
    let (sql, steps) = parent_page_plan(&app, categories[..3].to_vec()).await;
    assert_read_in_order_on(&sql, &steps, "articles_visible");
}

#[actix_web::test]
async fn statistics_measured_while_serving_reach_the_reading_connections() {
    // One reading connection, which plans with the statistics it read first.
    let app = spawn_app_with(|s| s.database.read_pool_size = 1).await;
    if !app.on_sqlite() {
        return;
    }
    // First a newsroom of many small categories: a parent category's few
    // articles are cheapest sorted.
    years_of_articles(&app, 1000).await;
    execute(
        &app,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO categories (slug, name, description, created_at, updated_at)
         SELECT 'muc-' || i, 'Mục ' || i, '', datetime('now'), datetime('now') FROM n;
         UPDATE articles SET category_id = 1 + id % 300;"
            .to_owned(),
    )
    .await;
    app.database().refresh_statistics().await.unwrap();
    let (sql, steps) = parent_page_plan(&app, vec![1, 2, 3]).await;
    assert!(
        steps.iter().any(|step| step.contains("TEMP B-TREE")),
        "a few articles each: `{sql}`: {steps:?}"
    );
    // Then it grows fortyfold (the measure looks again at a table whose
    // size changed tenfold, as estimated from its pages), into six large
    // categories, and the hourly measure runs with no restart.
    more_articles(&app, 1001, 40000).await;
    execute(
        &app,
        "UPDATE articles SET category_id = 1 + id % 6;".to_owned(),
    )
    .await;
    app.database().refresh_statistics().await.unwrap();
    let (sql, steps) = parent_page_plan(&app, vec![1, 2, 3]).await;
    assert_read_in_order_on(&sql, &steps, "articles_visible");
}

/// What SQLite plans for a parent category's page (deep in it, newest first).
async fn parent_page_plan(app: &TestApp, parent: Vec<i32>) -> (String, Vec<String>) {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::{self, ArticleFilter, ListOrder, Scope};
    let mut plans = plans_of(app, move |conn| {
        let now = Utc::now().naive_utc();
        let filter = ArticleFilter {
            category_ids: Some(parent),
            ..ArticleFilter::default()
        };
        let order = ListOrder::Sorted(ArticleSort::NewestFirst);
        queries::list(conn, &Scope::Public, &filter, order, now, 20, 200, None).map(drop)
    })
    .await;
    plans.remove(0)
}

#[actix_web::test]
async fn reads_keep_their_statements_prepared_whatever_the_article() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::{self, ArticleFilter, ListOrder, Scope};
    use bulletin_api::text::slug::{IdOrSlug, Slug};
    use diesel::connection::{Connection, InstrumentationEvent};
    let app = spawn_app().await;
    years_of_articles(&app, 50).await;
    let (run, cached) = app
        .database()
        .read(move |conn| {
            let events = std::sync::Arc::new(std::sync::Mutex::new((0, 0)));
            let seen = std::sync::Arc::clone(&events);
            conn.set_instrumentation(move |event: InstrumentationEvent<'_>| match event {
                InstrumentationEvent::StartQuery { .. } => seen.lock().unwrap().0 += 1,
                InstrumentationEvent::CacheQuery { .. } => seen.lock().unwrap().1 += 1,
                _ => {}
            });
            let now = Utc::now().naive_utc();
            // What an article's page and a list's page read, for one
            // article and page, then for others: the second round prepares nothing.
            let mut rounds = Vec::new();
            for (n, ids) in [(7, vec![1, 2, 3]), (31, vec![4, 5])] {
                let slug = named(IdOrSlug::Slug(Slug::parse(&format!("bai-{n}")).unwrap()));
                let found = queries::find_visible(conn, &slug, now)?.expect("published");
                let today = now.date();
                bulletin_api::documents::queries::cited_by_articles(
                    conn,
                    &[found.article.id],
                    today,
                )?;
                queries::neighbours(conn, &found.article, now)?;
                if let Some(category) = found.article.category_id {
                    bulletin_api::categories::queries::ancestry(conn, category)?;
                }
                queries::tags_of(conn, &ids)?;
                queries::listed_with_context(conn, &ids)?;
                let filter = ArticleFilter::default();
                let order = ListOrder::Sorted(ArticleSort::NewestFirst);
                queries::list(conn, &Scope::Public, &filter, order, now, 20, n, None)?;
                let (run, cached) = std::mem::take(&mut *events.lock().unwrap());
                rounds.push((run, cached));
            }
            conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
            Ok(rounds)
        })
        .await
        .unwrap()
        .into_iter()
        .unzip::<_, _, Vec<i32>, Vec<i32>>();
    // A list's page is two of them: its ids, then their rows (the
    // statement `listed_with_context` ran already).
    assert_eq!(run, [6, 6]);
    assert_eq!(cached, [5, 0], "prepared and kept, then reused");
}

/// An article as a path names it, with no language asked for.
fn named(key: bulletin_api::text::slug::IdOrSlug) -> bulletin_api::articles::ArticleName {
    bulletin_api::articles::ArticleName {
        key,
        lang: None,
        site_lang: bulletin_api::text::lang::Lang::default(),
    }
}

#[actix_web::test]
async fn a_common_tags_page_walks_the_newest_articles_and_a_rare_tags_lists_its_own() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::{self, ArticleFilter, ListOrder, Scope};
    let app = spawn_app().await;
    years_of_articles(&app, 5000).await;
    // Half the archive carries one tag; fifty others, five articles each.
    execute(
        &app,
        "INSERT INTO article_tags (article_id, tag, tag_key)
             SELECT id, 'Nông thôn', 'nông thôn' FROM articles WHERE id % 2 = 0;
         INSERT INTO article_tags (article_id, tag, tag_key)
             SELECT id, 'Chủ đề ' || (id % 50), 'chủ đề ' || (id % 50) FROM articles
             WHERE id % 1000 < 50;
         ANALYZE;"
            .to_owned(),
    )
    .await;
    for (tag, common) in [("nông thôn", true), ("chủ đề 7", false)] {
        let plans = plans_of(&app, move |conn| {
            let now = Utc::now().naive_utc();
            let filter = ArticleFilter {
                tag_key: Some(tag.to_owned()),
                ..ArticleFilter::default()
            };
            let order = ListOrder::Sorted(ArticleSort::NewestFirst);
            queries::count(conn, &Scope::Public, &filter, now)?;
            queries::list(conn, &Scope::Public, &filter, order, now, 20, 0, None).map(drop)
        })
        .await;
        let (sql, steps) = plans
            .iter()
            .find(|(sql, _)| sql.contains("ORDER BY"))
            .unwrap_or_else(|| panic!("a page's ids: {plans:?}"));
        let walks = steps.iter().any(|step| step.contains("articles_visible "));
        if common {
            // Its page is among the newest articles: found by walking them,
            // not by reading and sorting 2,500 tagged ones.
            assert!(
                walks && !sorts(steps),
                "{tag}: `{sql}` does not walk the newest articles: {steps:?}"
            );
        } else {
            // Walking would pass every article for five: they are read by key.
            assert!(
                !walks,
                "{tag}: `{sql}` walks every visible article: {steps:?}"
            );
        }
        // Counted on the tag's index, less the hidden articles: no tagged
        // article's row is read.
        let counts: Vec<_> = plans
            .iter()
            .filter(|(sql, _)| sql.to_lowercase().contains("count("))
            .collect();
        assert!(!counts.is_empty(), "{tag}: no count among {plans:?}");
        for (sql, steps) in counts {
            assert!(
                !steps.iter().any(|step| {
                    step.contains("articles USING INTEGER PRIMARY KEY")
                        || step.contains("using articles_pkey on articles")
                }),
                "{tag}: `{sql}` reads each tagged article: {steps:?}"
            );
        }
    }
}

#[actix_web::test]
async fn a_tag_list_pages_and_counts_what_guests_see_however_many_articles_carry_it() {
    let app = spawn_app().await;
    more_articles(&app, 1, 60).await;
    // Every article carries one tag, three the other; of them a draft, a
    // trashed article and one scheduled for later are hidden from guests.
    execute(
        &app,
        "INSERT INTO article_tags (article_id, tag, tag_key)
             SELECT id, 'Nông thôn', 'nông thôn' FROM articles WHERE slug LIKE 'bai-%';
         INSERT INTO article_tags (article_id, tag, tag_key)
             SELECT id, 'Biển đảo', 'biển đảo' FROM articles
             WHERE slug IN ('bai-1', 'bai-2', 'bai-3');
         UPDATE articles SET status = 'draft', published_at = NULL WHERE slug = 'bai-2';
         UPDATE articles SET deleted_at = '2026-01-01 00:00:00' WHERE slug = 'bai-4';
         UPDATE articles SET status = 'scheduled', published_at = '2999-01-01 00:00:00'
             WHERE slug = 'bai-6';"
            .to_owned(),
    )
    .await;
    let slugs = |page: &Value| crate::helpers::item_texts(page, "slug");
    // Newest first: `bai-1` was published an hour ago, `bai-60` sixty.
    let hidden = ["bai-2", "bai-4", "bai-6"];
    let common: Vec<String> = (1..=60)
        .map(|i| format!("bai-{i}"))
        .filter(|slug| !hidden.contains(&slug.as_str()))
        .collect();
    let mut listed = Vec::new();
    for number in 1..=6 {
        let path = format!(
            "/api/v1/articles?tag={}&limit=10&page={number}",
            encoded("Nông thôn")
        );
        let (status, page) = list_as(&app, &path, None).await;
        assert_eq!(
            (status, &page["total"]),
            (200, &json!(57)),
            "{path}: {page}"
        );
        listed.extend(slugs(&page));
    }
    assert_eq!(listed, common);
    let path = format!("/api/v1/articles?tag={}", encoded("biển đảo"));
    let (status, page) = list_as(&app, &path, None).await;
    assert_eq!((status, &page["total"]), (200, &json!(2)), "{page}");
    assert_eq!(slugs(&page), ["bai-1", "bai-3"]);
}
