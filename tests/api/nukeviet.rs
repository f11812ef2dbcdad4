//! Moving a NukeViet portal over: the sample dump of a NukeViet 4.5.05 site
//! (`tests/fixtures/nukeviet/`) imported into a fresh database, then read
//! through the API; and the old URLs redirected.

use std::path::Path;
use std::process::Command;

use awc::http::Method;
use bulletin_api::db::Database;
use bulletin_api::db::schema::{article_views, articles, comments, documents, legacy_ids};
use bulletin_api::import::Report;
use bulletin_api::import::nukeviet::{self, ImportError, Options};
use bulletin_api::legacy::LegacyKind;
use chrono::{FixedOffset, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::{TestApp, call, expect_problem, header, spawn_admin_app_with};

const SAMPLE: &str = include_str!("../fixtures/nukeviet/nukeviet-sample.sql");
const SEED_SLUG: &str = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh";

fn options() -> Options {
    Options {
        prefix: "nv4".into(),
        lang: "vi".into(),
        dry_run: false,
        site_url: None,
        offset: FixedOffset::east_opt(7 * 3600).unwrap(),
        now: Utc::now().naive_utc(),
    }
}

async fn import(db: &Database, sql: &str) -> Result<Report, ImportError> {
    nukeviet::import(db, sql.to_owned(), options()).await
}

/// An app on a database with no demo content (the portal's is coming), and
/// an admin; the sample imported into it.
async fn imported_app() -> (TestApp, Report) {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let report = import(&app.database(), SAMPLE)
        .await
        .expect("the sample imports");
    (app, report)
}

/// The sample with each table's rows in one extended INSERT, as mysqldump
/// writes by default.
fn with_extended_inserts(sql: &str) -> String {
    let mut out = String::new();
    let mut open_table: Option<String> = None;
    for line in sql.lines() {
        let insert = line
            .strip_prefix("INSERT INTO `")
            .and_then(|rest| rest.split_once("` VALUES "))
            .map(|(table, values)| (table.to_owned(), values.trim_end_matches(';')));
        match (insert, &open_table) {
            (Some((table, values)), Some(open)) if *open == table => {
                out.push(',');
                out.push_str(values);
            }
            (Some((table, values)), _) => {
                if open_table.is_some() {
                    out.push_str(";\n");
                }
                out.push_str(&format!("INSERT INTO `{table}` VALUES {values}"));
                open_table = Some(table);
            }
            (None, _) => {
                if open_table.take().is_some() {
                    out.push_str(";\n");
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Every row's id and version, and every comment, to compare two states.
async fn snapshot(db: &Database) -> Vec<String> {
    db.read(|conn| {
        let articles: Vec<(i32, i32, NaiveDateTime, i64, i64)> = articles::table
            .inner_join(article_views::table)
            .select((
                articles::id,
                articles::version,
                articles::updated_at,
                article_views::view_count,
                articles::comment_count,
            ))
            .order(articles::id)
            .load(conn)?;
        let documents: Vec<(i32, i32, NaiveDateTime)> = documents::table
            .select((documents::id, documents::version, documents::updated_at))
            .order(documents::id)
            .load(conn)?;
        let comments: Vec<(i32, String, NaiveDateTime)> = comments::table
            .select((comments::id, comments::status, comments::updated_at))
            .order(comments::id)
            .load(conn)?;
        let legacy: i64 = legacy_ids::table.count().get_result(conn)?;
        Ok(vec![
            format!("{articles:?}"),
            format!("{documents:?}"),
            format!("{comments:?}"),
            format!("{legacy}"),
        ])
    })
    .await
    .unwrap()
}

#[actix_web::test]
async fn the_sample_dump_imports_cleanly() {
    let (_app, report) = imported_app().await;
    let expected = [
        (LegacyKind::Category, 9),
        (LegacyKind::Area, 1),
        (LegacyKind::Document, 6),
        (LegacyKind::Article, 11),
        (LegacyKind::Comment, 3),
    ];
    for (kind, found) in expected {
        let counts = report.of(kind);
        assert_eq!((counts.found, counts.created), (found, found), "{kind}");
        assert_eq!(counts.skipped, 0, "{kind}: {:?}", report.skipped);
    }
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
}

/// The slugs of the articles a search for `q` finds.
async fn found_by(app: &TestApp, q: &str) -> Vec<String> {
    let page = app
        .get_json(&format!("/api/v1/articles?q={q}&limit=100"))
        .await;
    let items = page["items"].as_array().expect("a page of articles");
    items
        .iter()
        .map(|item| item["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn imported_articles_are_found_by_search_and_articles_written_after_are_too() {
    let (app, _) = imported_app().await;
    assert!(
        found_by(&app, "noi+bat+phong")
            .await
            .contains(&SEED_SLUG.to_owned())
    );
    // The full-text index was written in bulk for the import: the trigger
    // that indexes each article written is back.
    let written = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    app.publish_article("Hội thảo về đàn chim hồng hạc ở đầm Thị Nại", written)
        .await;
    let found = found_by(&app, "hong+hac").await;
    assert_eq!(found, ["hoi-thao-ve-dan-chim-hong-hac-o-dam-thi-nai"]);
}

#[actix_web::test]
async fn an_import_leaves_the_full_text_index_merged_and_searchable() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let written = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    app.publish_article("Hội thảo về đàn chim hồng hạc ở đầm Thị Nại", written)
        .await;
    import(&app.database(), SAMPLE)
        .await
        .expect("the sample imports");
    assert_eq!(found_by(&app, "hong+hac").await.len(), 1);
    assert!(
        found_by(&app, "noi+bat+phong")
            .await
            .contains(&SEED_SLUG.to_owned())
    );
    // SQLite's FTS5 keeps the index in segments (the top bits of each data
    // row's id); the article written before the import made one of its own.
    // PostgreSQL's GIN index has none.
    if app.on_sqlite() {
        #[derive(QueryableByName)]
        struct Segments {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            segments: i64,
        }
        let found: Segments = app
            .database()
            .read(|conn| {
                diesel::sql_query(
                    "SELECT count(DISTINCT id >> 37) AS segments FROM articles_search_data \
                     WHERE id >= (1 << 37)",
                )
                .get_result(conn)
            })
            .await
            .unwrap();
        assert_eq!(
            found.segments, 1,
            "the import merged the index into one segment"
        );
    }
}

#[actix_web::test]
async fn seed_article_keeps_its_title_time_byline_views_and_votes() {
    let (app, _) = imported_app().await;
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    assert_eq!(
        article["title"],
        "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH"
    );
    assert_eq!(article["published_at"], "2023-01-19T10:03:00+07:00");
    assert_eq!(article["status"], "published");
    assert_eq!(article["byline"], "Phòng CCHC-VTLT");
    assert_eq!(article["view_count"], 268);
    assert_eq!(article["rating"]["total"], 3);
    assert_eq!(article["rating"]["count"], 3);
    assert_eq!(article["rating"]["average"], 1.0);
    assert_eq!(article["category"]["slug"], "cai-cach-hanh-chinh");
    assert_eq!(article["category"]["name"], "Cải cách hành chính");
    let mut tags: Vec<&str> = article["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tag| tag.as_str().unwrap())
        .collect();
    tags.sort_unstable();
    assert_eq!(
        tags,
        ["chỉ số hài lòng", "cải cách hành chính", "văn thư lưu trữ"]
    );
    assert!(
        article["summary"]
            .as_str()
            .unwrap()
            .starts_with("Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo"),
        "{}",
        article["summary"]
    );
    let ratings = app
        .get_json(&format!("/api/v1/articles/{}/ratings", article["id"]))
        .await;
    assert_eq!(ratings["distribution"]["1"], 3, "3 points from 3 votes");
}

#[actix_web::test]
async fn seed_article_links_the_six_documents_it_cites() {
    let (app, _) = imported_app().await;
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    let numbers: Vec<&str> = article["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|document| document["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        [
            "5359/QĐ-UBND",
            "24/KH-UBND",
            "34/KH-UBND",
            "130/KH-UBND",
            "135/KH-UBND",
            "2535/QĐ-UBND"
        ],
        "cited documents, in the order they were issued"
    );
}

#[actix_web::test]
async fn seed_article_keeps_its_comments_with_the_pending_one_still_pending() {
    let (app, _) = imported_app().await;
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    assert_eq!(article["comment_count"], 2, "the two shown comments");
    let id = &article["id"];
    let public = app
        .get_json(&format!("/api/v1/articles/{id}/comments?sort=oldest"))
        .await;
    assert_eq!(public["total"], 1, "one thread: a comment and its reply");
    let first = &public["items"][0];
    assert_eq!(first["author_name"], "Nguyễn Văn An");
    assert_eq!(first["likes"], 2);
    assert_eq!(first["created_at"], "2023-01-19T14:20:00+07:00");
    assert!(
        first["body"]
            .as_str()
            .unwrap()
            .starts_with("Kết quả chỉ số hài lòng năm 2022")
    );
    assert_eq!(first["replies"][0]["author_name"], "Trần Thị Bình");
    let public_text = public.to_string();
    assert!(
        !public_text.contains("example.vn") && !public_text.contains("113.161"),
        "guests' emails and addresses stay private: {public_text}"
    );
    let admin = app.admin_token().await;
    let (status, queue) = call(
        &app,
        Method::GET,
        "/api/v1/comments?status=pending",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(queue["total"], 1);
    let pending = &queue["items"][0];
    assert_eq!(pending["author_name"], "Lê Minh Châu");
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["moderation"]["author_email"], "chau.le@example.vn");
    assert_eq!(pending["moderation"]["client_address"], "27.72.100.5");
}

#[actix_web::test]
async fn the_hidden_and_the_scheduled_article_are_kept_out_of_public_view() {
    let (app, _) = imported_app().await;
    let hidden = "ubnd-huyen-tuy-phuoc-kiem-tra-chuyen-doi-so-trong-co-quan-nha-nuoc";
    let scheduled = "trung-tam-phuc-vu-hanh-chinh-cong-tap-huan-thu-tuc-hanh-chinh-lien-thong";
    for slug in [hidden, scheduled] {
        let mut response = app
            .get(&format!("/api/v1/articles/{slug}"))
            .send()
            .await
            .unwrap();
        expect_problem(&mut response, 404).await;
    }
    let admin = app.admin_token().await;
    let (_, archived) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{hidden}"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(archived["status"], "archived");
    assert_eq!(archived["published_at"], "2022-06-15T16:46:42+07:00");
    let (_, later) = call(
        &app,
        Method::GET,
        &format!("/api/v1/articles/{scheduled}"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(later["status"], "scheduled");
    assert_eq!(later["published_at"], "2030-01-01T08:00:00+07:00");
}

#[actix_web::test]
async fn every_document_keeps_its_number_kind_dates_body_and_area() {
    let (app, _) = imported_app().await;
    let listed = app.get_json("/api/v1/documents?limit=100").await;
    let mut found: Vec<(String, String, String, String, Value)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|document| {
            assert_eq!(document["issuing_body"], "UBND tỉnh Bình Định");
            assert_eq!(document["areas"][0]["name"], "Cải cách hành chính");
            (
                document["number"].as_str().unwrap().to_owned(),
                document["kind"].as_str().unwrap().to_owned(),
                document["issued_on"].as_str().unwrap().to_owned(),
                document["effective_on"].as_str().unwrap().to_owned(),
                document["expires_on"].clone(),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let expected = [
        ("130/KH-UBND", "plan", "2022-09-23"),
        ("135/KH-UBND", "plan", "2022-10-05"),
        ("24/KH-UBND", "plan", "2022-03-08"),
        ("2535/QĐ-UBND", "decision", "2022-11-08"),
        ("34/KH-UBND", "plan", "2022-05-24"),
        ("5359/QĐ-UBND", "decision", "2021-12-31"),
    ]
    .map(|(number, kind, date)| {
        (
            number.to_owned(),
            kind.to_owned(),
            date.to_owned(),
            date.to_owned(),
            Value::Null,
        )
    });
    assert_eq!(found, expected);
}

#[actix_web::test]
async fn importing_the_same_dump_again_changes_nothing() {
    let (app, first) = imported_app().await;
    let db = app.database();
    let before = snapshot(&db).await;
    let second = import(&db, SAMPLE).await.unwrap();
    assert_eq!(second.total_created(), 0);
    for entry in &first.counts {
        let again = second.of(entry.kind);
        assert_eq!(
            again.already_imported, entry.counts.found,
            "{}: every row already imported",
            entry.kind
        );
    }
    assert_eq!(snapshot(&db).await, before);
}

#[actix_web::test]
async fn a_dry_run_reports_what_it_would_import_and_writes_nothing() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let db = app.database();
    let before = snapshot(&db).await;
    let report = nukeviet::import(
        &db,
        SAMPLE.to_owned(),
        Options {
            dry_run: true,
            ..options()
        },
    )
    .await
    .unwrap();
    assert!(report.dry_run);
    assert_eq!(report.of(LegacyKind::Article).created, 11);
    assert_eq!(snapshot(&db).await, before);
}

#[actix_web::test]
async fn a_dump_with_extended_inserts_imports_the_same_content() {
    let extended = with_extended_inserts(SAMPLE);
    assert!(
        extended.matches("INSERT INTO `nv4_vi_news_rows`").count() == 1,
        "one INSERT for the table"
    );
    let (one_row, one_row_report) = imported_app().await;
    let multi = spawn_admin_app_with(|settings| settings.demo = false).await;
    let multi_report = import(&multi.database(), &extended).await.unwrap();
    assert_eq!(multi_report, one_row_report);
    let path = format!("/api/v1/articles/{SEED_SLUG}");
    let (mut a, mut b) = (one_row.get_json(&path).await, multi.get_json(&path).await);
    for article in [&mut a, &mut b] {
        // Only the import's own times differ.
        article["category"]["updated_at"] = Value::Null;
    }
    assert_eq!(a, b);
}

#[actix_web::test]
async fn a_truncated_dump_is_refused_and_nothing_is_written() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let db = app.database();
    let before = snapshot(&db).await;
    let cut = &SAMPLE[..SAMPLE.find("Kiểm tra cải cách hành chính tỉnh").unwrap()];
    let error = import(&db, cut).await.unwrap_err();
    assert!(
        error.to_string().contains("cut short"),
        "a clear error: {error}"
    );
    let at_a_statement = &SAMPLE[..SAMPLE.find("-- Dump completed").unwrap()];
    let error = import(&db, at_a_statement).await.unwrap_err();
    assert!(error.to_string().contains("Dump completed"), "{error}");
    assert_eq!(snapshot(&db).await, before);
}

#[actix_web::test]
async fn an_unknown_prefix_is_refused_naming_the_portals_in_the_dump() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let db = app.database();
    let before = snapshot(&db).await;
    let error = nukeviet::import(
        &db,
        SAMPLE.to_owned(),
        Options {
            prefix: "xx9".into(),
            ..options()
        },
    )
    .await
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("`xx9`") && message.contains("--prefix nv4 --lang vi"),
        "{message}"
    );
    assert_eq!(snapshot(&db).await, before);
}

async fn location_of(app: &TestApp, path: &str) -> (u16, Option<String>) {
    let response = app.get(path).send().await.unwrap();
    (response.status().as_u16(), header(&response, "location"))
}

#[actix_web::test]
async fn old_urls_redirect_permanently_to_the_imported_resources() {
    let (app, _) = imported_app().await;
    let article = Some(format!("/api/v1/articles/{SEED_SLUG}"));
    let page = format!("{SEED_SLUG}-16.html");
    assert_eq!(
        location_of(&app, &format!("/legacy/nukeviet/{page}")).await,
        (301, article.clone())
    );
    assert_eq!(
        location_of(
            &app,
            &format!("/legacy/nukeviet/cai-cach-hanh-chinh/{page}")
        )
        .await,
        (301, article)
    );
    assert_eq!(
        location_of(&app, "/legacy/nukeviet/Tin-tuc/").await,
        (301, Some("/api/v1/categories/tin-tuc".into()))
    );
    let (status, location) = location_of(
        &app,
        "/legacy/nukeviet/laws/detail/kiem-tra-cai-cach-hanh-chinh-tinh-nam-2022-4/",
    )
    .await;
    assert_eq!(status, 301);
    let document = app.get_json(&location.unwrap()).await;
    assert_eq!(document["number"], "34/KH-UBND");
}

#[actix_web::test]
async fn old_urls_of_unknown_or_hidden_articles_are_not_found() {
    let (app, _) = imported_app().await;
    for path in [
        // The hidden one (216) and the scheduled one (215) must not leak.
        "/legacy/nukeviet/ubnd-huyen-tuy-phuoc-kiem-tra-chuyen-doi-so-trong-co-quan-nha-nuoc-216.html",
        "/legacy/nukeviet/trung-tam-phuc-vu-hanh-chinh-cong-tap-huan-thu-tuc-hanh-chinh-lien-thong-215.html",
        "/legacy/nukeviet/tin-999.html",
        "/legacy/nukeviet/not-an-article",
        "/legacy/nukeviet/khong-co/",
        "/legacy/nukeviet/laws/detail/khong-co-99/",
    ] {
        let mut response = app.get(path).send().await.unwrap();
        expect_problem(&mut response, 404).await;
    }
}

#[actix_web::test]
async fn old_urls_can_redirect_to_a_frontend() {
    let app = spawn_admin_app_with(|settings| {
        settings.demo = false;
        settings.site.legacy_redirects.0.article = Some("https://sonoivu.gov.vn/tin/{slug}".into());
        settings.site.legacy_redirects.0.document =
            Some("https://sonoivu.gov.vn/van-ban/{id}".into());
    })
    .await;
    import(&app.database(), SAMPLE).await.unwrap();
    assert_eq!(
        location_of(&app, &format!("/legacy/nukeviet/{SEED_SLUG}-16.html")).await,
        (301, Some(format!("https://sonoivu.gov.vn/tin/{SEED_SLUG}")))
    );
    let (status, location) =
        location_of(&app, "/legacy/nukeviet/laws/detail/ban-hanh-5359-1/").await;
    assert_eq!(status, 301);
    assert!(
        location
            .unwrap()
            .starts_with("https://sonoivu.gov.vn/van-ban/")
    );
}

/// The binary with a clean environment and the database at `database`.
fn bulletin_api(database: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bulletin-api"));
    command
        .env_clear()
        .env("BULLETIN_DATABASE_URL", database)
        .env("RUST_LOG", "warn");
    command
}

fn sample_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nukeviet/nukeviet-sample.sql")
}

#[test]
fn the_import_command_prints_its_report_and_writes_it_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let report_path = dir.path().join("report.json");
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--from"])
        .arg(sample_path())
        .arg("--report")
        .arg(&report_path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("Imported: NukeViet tables nv4_vi_*"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["article", "11", "11", "0", "0", "0"]),
        "{stdout}"
    );
    // Progress goes to standard error, a line a stage in a log, not one a row.
    let progress = String::from_utf8_lossy(&output.stderr);
    let size = std::fs::metadata(sample_path()).unwrap().len();
    let stages: Vec<&str> = progress
        .lines()
        .filter(|line| line.ends_with(" of 11"))
        .collect();
    assert_eq!(stages.first(), Some(&"articles: 1 of 11"), "{progress}");
    assert_eq!(stages.last(), Some(&"articles: 11 of 11"), "{progress}");
    assert!(stages.len() <= 11, "{progress}");
    assert!(
        progress.contains(&format!("dump bytes: {size} of {size}")),
        "{progress}"
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["prefix"], "nv4");
    assert_eq!(report["counts"][3]["kind"], "article");
    assert_eq!(report["counts"][3]["created"], 11);
    assert_eq!(report["dry_run"], false);

    let again = bulletin_api(&database)
        .args(["import", "nukeviet", "--from"])
        .arg(sample_path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["article", "11", "0", "0", "11", "0"]),
        "all already imported: {stdout}"
    );
}

#[test]
fn the_import_command_fails_clearly_on_a_truncated_dump_or_an_unknown_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let truncated = dir.path().join("cut.sql");
    // Cut inside a character, as a copy stopped at any byte would be.
    let middle = SAMPLE.find("Kiểm tra cải cách").unwrap() + "Kiể".len() - 1;
    std::fs::write(&truncated, &SAMPLE.as_bytes()[..middle]).unwrap();
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--from"])
        .arg(&truncated)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cut short"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--prefix", "xx9", "--from"])
        .arg(sample_path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("--prefix nv4 --lang vi"), "{message}");
    assert!(!database.exists(), "nothing written, not even a database");
}

#[actix_web::test]
async fn rows_that_cannot_be_imported_are_reported_with_their_reason_and_the_rest_imports() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let unparseable = SAMPLE.replace("'2535/QĐ-UBND'", "'Bộ chỉ số 2535'");
    let report = import(&app.database(), &unparseable).await.unwrap();
    let documents = report.of(LegacyKind::Document);
    assert_eq!((documents.created, documents.skipped), (5, 1));
    let skipped = &report.skipped[0];
    assert_eq!((skipped.kind, skipped.legacy_id), (LegacyKind::Document, 6));
    assert!(
        skipped.reason.contains("its number `Bộ chỉ số 2535`"),
        "{}",
        skipped.reason
    );
    assert_eq!(report.of(LegacyKind::Article).created, 11);
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    assert_eq!(article["documents"].as_array().unwrap().len(), 5);
}

#[actix_web::test]
async fn replies_deeper_than_threads_go_are_placed_beside_their_parent_and_reported() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let row = |id: u32, parent: u32| {
        format!(
            "INSERT INTO `nv4_vi_comment` VALUES ({id},'news',8,16,{parent},'Trả lời {id}.','',{},0,'Bạn đọc {id}','','',1,0,0);\n",
            1_674_300_000 + id
        )
    };
    let anchor = "INSERT INTO `nv4_vi_comment` VALUES (1003";
    let deeper = SAMPLE.replacen(
        anchor,
        &format!("{}{}{anchor}", row(1004, 1002), row(1005, 1004)),
        1,
    );
    let report = import(&app.database(), &deeper).await.unwrap();
    assert_eq!(report.of(LegacyKind::Comment).created, 5);
    assert!(
        report
            .warnings
            .iter()
            .any(|note| note.legacy_id == 1005 && note.reason.contains("placed beside")),
        "{:?}",
        report.warnings
    );
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    assert_eq!(article["comment_count"], 4);
    let thread = app
        .get_json(&format!(
            "/api/v1/articles/{}/comments?sort=oldest",
            article["id"]
        ))
        .await;
    let deepest: Vec<&str> = thread["items"][0]["replies"][0]["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reply| reply["body"].as_str().unwrap())
        .collect();
    assert_eq!(deepest, ["Trả lời 1004.", "Trả lời 1005."]);
}

#[test]
fn a_dry_run_of_the_command_creates_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--dry-run", "--from"])
        .arg(sample_path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.starts_with("Dry run (nothing written)"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["comment", "3", "3", "0", "0", "0"]),
        "{stdout}"
    );
    assert!(!database.exists(), "nothing written");
}

/// Our id of each imported document, by number.
async fn document_ids(app: &TestApp) -> std::collections::HashMap<String, i64> {
    let listed = app.get_json("/api/v1/documents?limit=100").await;
    listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["number"].as_str().unwrap().to_owned(),
                d["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The numbers a document's `related` lists under `how`.
async fn related(app: &TestApp, id: i64, how: &str) -> Vec<String> {
    let document = app.get_json(&format!("/api/v1/documents/{id}")).await;
    document["related"][how]
        .as_array()
        .unwrap_or_else(|| panic!("{document}"))
        .iter()
        .map(|d| d["number"].as_str().unwrap().to_owned())
        .collect()
}

/// The sample where laws row `replaced` lists `replacing` in `replacement`,
/// and a `_set_replace` row says the same.
fn with_replacement(replaced: u32, replacing: u32) -> String {
    let anchor = "/*!40000 ALTER TABLE `nv4_vi_laws_set_replace` DISABLE KEYS */;\n";
    SAMPLE
        .replacen(
            &format!("INSERT INTO `nv4_vi_laws_row` VALUES ({replaced},'',"),
            &format!("INSERT INTO `nv4_vi_laws_row` VALUES ({replaced},'{replacing}',"),
            1,
        )
        .replacen(
            anchor,
            &format!(
                "{anchor}INSERT INTO `nv4_vi_laws_set_replace` VALUES (1,{replaced},{replacing});\n"
            ),
            1,
        )
}

#[actix_web::test]
async fn a_replacement_is_one_supersession_of_the_listed_document_over_the_row_either_way_round() {
    // Row 1 (5359/QĐ-UBND) is replaced by row 6 (2535/QĐ-UBND), then the
    // other way round, so the earlier or the later id does the replacing.
    let cases = [
        (1, 6, "2535/QĐ-UBND", "5359/QĐ-UBND"),
        (6, 1, "5359/QĐ-UBND", "2535/QĐ-UBND"),
    ];
    for (replaced, replacing, new, old) in cases {
        let sql = with_replacement(replaced, replacing);
        let app = spawn_admin_app_with(|settings| settings.demo = false).await;
        let report = import(&app.database(), &sql).await.unwrap();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        let ids = document_ids(&app).await;
        let (new_id, old_id) = (ids[new], ids[old]);
        for _ in 0..2 {
            assert_eq!(related(&app, new_id, "supersedes").await, [old]);
            assert_eq!(
                related(&app, new_id, "replaced_by").await,
                Vec::<String>::new()
            );
            assert_eq!(related(&app, old_id, "replaced_by").await, [new]);
            assert_eq!(
                related(&app, old_id, "supersedes").await,
                Vec::<String>::new()
            );
            // Again: already imported, nothing changes.
            import(&app.database(), &sql).await.unwrap();
        }
    }
}

#[actix_web::test]
async fn a_replacement_by_a_document_not_imported_is_reported() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let sql = with_replacement(1, 6).replace("'2535/QĐ-UBND'", "'Bộ chỉ số 2535'");
    let report = import(&app.database(), &sql).await.unwrap();
    assert!(
        report.warnings.iter().any(|note| note.legacy_id == 1
            && note
                .reason
                .contains("document 6 replaces it, but was not imported")),
        "{:?}",
        report.warnings
    );
}

#[actix_web::test]
async fn a_number_already_registered_for_another_day_is_skipped_and_the_same_day_matched() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    // Row 6 takes row 1's number (5359/QĐ-UBND, 2021-12-31) but keeps its day.
    let sql = SAMPLE.replace("'2535/QĐ-UBND'", "'5359/QĐ-UBND'");
    let report = import(&app.database(), &sql).await.unwrap();
    let documents = report.of(LegacyKind::Document);
    assert_eq!(
        (documents.created, documents.skipped, documents.matched),
        (5, 1, 0)
    );
    let skipped = &report.skipped[0];
    assert_eq!(skipped.legacy_id, 6);
    assert!(
        skipped.reason.contains("issued on 2021-12-31")
            && skipped.reason.contains("issued on 2022-11-08"),
        "{}",
        skipped.reason
    );
    let listed = app.get_json("/api/v1/documents?limit=100").await;
    let one = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] == "5359/QĐ-UBND")
        .unwrap();
    assert_eq!(one["issued_on"], "2021-12-31");

    // The same number on the same day is the same document.
    let same_day = SAMPLE
        .replace("'2535/QĐ-UBND'", "'5359/QĐ-UBND'")
        .replace(",1667840400,0,0,1667840400,", ",1640883600,0,0,1640883600,");
    let other = spawn_admin_app_with(|settings| settings.demo = false).await;
    let report = import(&other.database(), &same_day).await.unwrap();
    let documents = report.of(LegacyKind::Document);
    assert_eq!(
        (documents.created, documents.skipped, documents.matched),
        (5, 0, 1)
    );
}

#[actix_web::test]
async fn a_rating_beyond_five_stars_a_vote_or_too_large_to_hold_is_reported_and_kept_consistent() {
    let seed = "268,2,3,3,0,'',0);";
    let cases = [
        (
            "268,2,99,3,0,'',0);",
            (15, 3),
            [0, 0, 0, 0, 3],
            "kept as 15 points",
        ),
        (
            "268,2,5,9223372036854775807,0,'',0);",
            (0, 0),
            [0; 5],
            "too large to hold",
        ),
        ("268,2,-4,3,0,'',0);", (0, 0), [0; 5], "is negative"),
    ];
    for (row, (total, count), distribution, reason) in cases {
        let app = spawn_admin_app_with(|settings| settings.demo = false).await;
        let report = import(&app.database(), &SAMPLE.replace(seed, row))
            .await
            .unwrap();
        assert!(
            report
                .warnings
                .iter()
                .any(|note| note.legacy_id == 16 && note.reason.contains(reason)),
            "{:?}",
            report.warnings
        );
        let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
        assert_eq!(article["rating"]["total"], total);
        assert_eq!(article["rating"]["count"], count);
        let ratings = app
            .get_json(&format!("/api/v1/articles/{}/ratings", article["id"]))
            .await;
        let spread: Vec<i64> = (1..=5)
            .map(|star| ratings["distribution"][star.to_string()].as_i64().unwrap())
            .collect();
        assert_eq!(spread, distribution);
    }
}

/// The bytes of the database file and of its write-ahead log, or `None`
/// when there is no database.
fn contents(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    Some(bytes)
}

#[test]
fn bad_input_to_the_command_creates_no_database_and_leaves_an_existing_one_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("cut.sql");
    std::fs::write(
        &truncated,
        &SAMPLE[..SAMPLE.find("-- Dump completed").unwrap()],
    )
    .unwrap();
    let attempts: [&[&str]; 4] = [
        &[],
        &["--prefix", "xx9"],
        &["--dry-run"],
        &["--dry-run", "--prefix", "xx9"],
    ];
    let run = |database: &Path, extra: &[&str], from: &Path| {
        let output = bulletin_api(database)
            .args(["import", "nukeviet"])
            .args(extra)
            .arg("--from")
            .arg(from)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{extra:?} fails");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    // (a) no database yet: none is created.
    let absent = dir.path().join("none.db");
    for extra in attempts {
        let from = if extra.contains(&"xx9") {
            sample_path()
        } else {
            truncated.clone()
        };
        let message = run(&absent, extra, &from);
        assert!(
            message.contains("cut short") || message.contains("--prefix nv4"),
            "{message}"
        );
        assert!(!absent.exists(), "{extra:?}: no database created");
    }
    // (b) an existing database: its bytes stay the same.
    let database = dir.path().join("b.db");
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--from"])
        .arg(sample_path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let before = contents(&database).unwrap();
    for extra in attempts {
        let from = if extra.contains(&"xx9") {
            sample_path()
        } else {
            truncated.clone()
        };
        run(&database, extra, &from);
        assert!(
            contents(&database).unwrap() == before,
            "{extra:?}: unchanged"
        );
    }
    // A dry run of a good dump leaves it as it was too, and no scratch copy.
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--dry-run", "--from"])
        .arg(sample_path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(contents(&database).unwrap() == before, "dry run: unchanged");
}

#[test]
fn a_report_path_that_cannot_be_written_fails_before_anything_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("b.db");
    let output = bulletin_api(&database)
        .args(["import", "nukeviet", "--from"])
        .arg(sample_path())
        .arg("--report")
        .arg(dir.path().join("no/such/dir/report.json"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("cannot write the report"), "{message}");
    assert!(!database.exists(), "nothing imported");
}

#[actix_web::test]
async fn hidden_or_restricted_categories_and_laws_rows_and_their_articles_are_skipped_and_reported()
{
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let restricted = SAMPLE
        // Category 1 hidden, category 9 for members (group 4) only.
        .replace("1274986690,1274986690,'6',1);", "1274986690,1274986690,'6',0);")
        .replace(
            "'Tin văn thư - lưu trữ','','',0,6,9,0,'viewcat_page_new',0,'',3,2,0,'','','','',1672534800,1672534800,'6',1);",
            "'Tin văn thư - lưu trữ','','',0,6,9,0,'viewcat_page_new',0,'',3,2,0,'','','','',1672534800,1672534800,'4',1);",
        )
        // Laws row 3 (24/KH-UBND) for members only.
        .replace(
            "'cải cách hành chính','6','6','',1,1,1674061200,0,1646672400",
            "'cải cách hành chính','4','4','',1,1,1674061200,0,1646672400",
        );
    let report = import(&app.database(), &restricted).await.unwrap();
    let skipped = |kind: LegacyKind| -> Vec<(i64, String)> {
        let mut found: Vec<(i64, String)> = report
            .skipped
            .iter()
            .filter(|note| note.kind == kind)
            .map(|note| (note.legacy_id, note.reason.clone()))
            .collect();
        found.sort();
        found
    };
    let categories = skipped(LegacyKind::Category);
    assert_eq!(categories.iter().map(|c| c.0).collect::<Vec<_>>(), [1, 9]);
    assert!(
        categories[0].1.contains("hidden in NukeViet (status 0)"),
        "{categories:?}"
    );
    assert!(
        categories[1].1.contains("open only to the user groups [4]"),
        "{categories:?}"
    );
    let articles = skipped(LegacyKind::Article);
    assert_eq!(
        articles.iter().map(|a| a.0).collect::<Vec<_>>(),
        [20, 167, 196, 216]
    );
    assert!(
        articles[0].1.starts_with("its category 9 is open only to"),
        "{articles:?}"
    );
    assert!(
        articles[2].1.starts_with("its category 1 is hidden"),
        "{articles:?}"
    );
    let documents = skipped(LegacyKind::Document);
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].0, 3);
    assert!(
        documents[0].1.contains("registry here is public"),
        "{documents:?}"
    );
    assert_eq!(report.of(LegacyKind::Article).created, 7);
    let admin = app.admin_token().await;
    let (_, all) = call(
        &app,
        Method::GET,
        "/api/v1/articles?limit=100&status=archived",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(all["total"], 0, "none archived in their place: {all}");
    let numbers: Vec<String> = document_ids(&app).await.into_keys().collect();
    assert!(!numbers.contains(&"24/KH-UBND".to_owned()), "{numbers:?}");
    assert_eq!(numbers.len(), 5);
}

#[actix_web::test]
async fn a_dump_of_replace_statements_imports_as_one_of_inserts() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let replaced = SAMPLE.replace("INSERT INTO `", "REPLACE INTO `");
    assert!(!replaced.contains("INSERT INTO"));
    let report = import(&app.database(), &replaced).await.unwrap();
    let (_, expected) = imported_app().await;
    assert_eq!(report, expected);
}

#[actix_web::test]
async fn unreadable_rows_of_the_completing_tables_and_a_missing_body_are_reported() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let detail_20 = SAMPLE
        .lines()
        .find(|line| line.starts_with("INSERT INTO `nv4_vi_news_detail` VALUES (20,"))
        .unwrap();
    let anchor = "/*!40000 ALTER TABLE `nv4_vi_laws_set_replace` DISABLE KEYS */;\n";
    let damaged = SAMPLE
        .replace(&format!("{detail_20}\n"), "")
        .replace(
            "INSERT INTO `nv4_vi_news_tags_id` VALUES (16,103,",
            "INSERT INTO `nv4_vi_news_tags_id` VALUES ('mười sáu',103,",
        )
        .replace(
            anchor,
            &format!("{anchor}INSERT INTO `nv4_vi_laws_set_replace` VALUES (7,'một',6);\n"),
        );
    let report = import(&app.database(), &damaged).await.unwrap();
    let warned = |kind: LegacyKind, id: i64, text: &str| {
        assert!(
            report.warnings.iter().any(|note| note.kind == kind
                && note.legacy_id == id
                && note.reason.contains(text)),
            "{kind} {id} {text}: {:?}",
            report.warnings
        );
    };
    warned(LegacyKind::Article, 20, "no row in `_news_detail`");
    warned(
        LegacyKind::Article,
        0,
        "a row of `nv4_vi_news_tags_id` cannot be read, and is left out: `id` is `mười sáu`",
    );
    warned(
        LegacyKind::Document,
        7,
        "a row of `nv4_vi_laws_set_replace` cannot be read, and is left out: `oid` is `một`",
    );
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    assert_eq!(article["tags"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn html_entities_in_titles_bylines_and_category_names_are_decoded_once() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let escaped = SAMPLE
        .replacen(
            "'TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH'",
            "'TIN &quot;NỔI BẬT&quot; CỦA PHÒNG CẢI CÁCH &amp; HÀNH CHÍNH'",
            1,
        )
        .replacen(
            "'Phòng CCHC-VTLT'",
            "'Phòng CCHC &amp; VTLT &#039;23 &amp;lt;'",
            1,
        )
        .replacen(
            "(8,0,'Cải cách hành chính'",
            "(8,0,'Cải cách &amp; hành chính'",
            1,
        );
    import(&app.database(), &escaped).await.unwrap();
    let article = app.get_json(&format!("/api/v1/articles/{SEED_SLUG}")).await;
    assert_eq!(
        article["title"],
        "TIN \"NỔI BẬT\" CỦA PHÒNG CẢI CÁCH & HÀNH CHÍNH"
    );
    assert_eq!(article["byline"], "Phòng CCHC & VTLT '23 &lt;");
    assert_eq!(article["category"]["name"], "Cải cách & hành chính");
}

#[actix_web::test]
async fn tables_the_import_does_not_read_cannot_stop_it() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let other = "CREATE TABLE `nv4_banners_rows` (`id` int, `img` blob) ENGINE=InnoDB PAGE_COMPRESSED=1 WITH SYSTEM VERSIONING PARTITION BY SYSTEM_TIME INTERVAL 1 MONTH;\nINSERT INTO `nv4_banners_rows` VALUES (1,0x89504E470D0A1A0A),(2,_binary 'GIF89a');\n";
    let trailer = "-- Dump completed";
    let with_other = SAMPLE.replacen(trailer, &format!("{other}{trailer}"), 1);
    let report = import(&app.database(), &with_other).await.unwrap();
    let (_, expected) = imported_app().await;
    assert_eq!(report, expected);
    // Cut short in that table, it is still refused.
    let cut = &with_other[..with_other.find("GIF89a").unwrap()];
    let error = import(&app.database(), cut).await.unwrap_err();
    assert!(error.to_string().contains("cut short"), "{error}");
}

#[actix_web::test]
async fn addresses_and_descriptions_follow_the_rules_of_the_api() {
    let app = spawn_admin_app_with(|settings| settings.demo = false).await;
    let long = "x".repeat(1001);
    let odd = SAMPLE
        .replacen("'27.72.100.5'", "'khong-phai-dia-chi'", 1)
        .replacen("'Tin cải cách hành chính'", &format!("'{long}'"), 1);
    let report = import(&app.database(), &odd).await.unwrap();
    let warned = |kind: LegacyKind, id: i64, text: &str| {
        assert!(
            report.warnings.iter().any(|note| note.kind == kind
                && note.legacy_id == id
                && note.reason.contains(text)),
            "{kind} {id} {text}: {:?}",
            report.warnings
        );
    };
    warned(
        LegacyKind::Comment,
        1003,
        "`khong-phai-dia-chi` is not an IP address",
    );
    warned(
        LegacyKind::Category,
        8,
        "its description must be at most 1000 characters",
    );
    let admin = app.admin_token().await;
    let (_, queue) = call(
        &app,
        Method::GET,
        "/api/v1/comments?status=pending",
        Some(&admin),
        None,
    )
    .await;
    let moderation = &queue["items"][0]["moderation"];
    assert_eq!(
        moderation.get("client_address"),
        Some(&Value::Null),
        "{moderation}"
    );
    let category = app.get_json("/api/v1/categories/cai-cach-hanh-chinh").await;
    assert_eq!(category["name"], "Cải cách hành chính");
    assert_eq!(
        category["description"],
        Value::Null,
        "an empty value is null"
    );
}
