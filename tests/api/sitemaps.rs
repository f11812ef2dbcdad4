//! Sitemaps: the index at `/sitemap.xml`, pages of 50,000 articles and of
//! documents, and the Google News sitemap of the last 48 hours.

use awc::http::Method;
use bulletin_api::articles::ArticleStatus;
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::articles;
use bulletin_api::support::timestamps::utc_rfc3339;
use chrono::{Duration, NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;

use crate::helpers::{
    DEMO_SLUG, TestApp, expect_problem, header, spawn_admin_app, spawn_app, spawn_app_with,
};

const XML: &str = "application/xml; charset=utf-8";
/// `BULLETIN_PUBLIC_URL` as tests leave it.
const SITE: &str = "http://127.0.0.1:8080";

/// GETs `path`, which must answer 200 as XML; answers the body.
async fn sitemap(app: &TestApp, path: &str) -> String {
    let mut response = app.get(path).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some(XML),
        "{path}"
    );
    let body = response.body().limit(64 * 1024 * 1024).await.unwrap();
    String::from_utf8(body.to_vec()).unwrap()
}

/// The text of each `<tag>` element, in order, as written (escaped).
fn texts<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(open.as_str())
        .skip(1)
        .map(|rest| rest.split_once(close.as_str()).expect("a closed element").0)
        .collect()
}

/// The current time, to the second (what sitemaps show of it).
fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}

/// Moves an article to the trash, as another process would.
async fn trash(app: &TestApp, id: i32) {
    let at = Utc::now().naive_utc();
    app.database()
        .write(move |conn| {
            diesel::update(articles::table.find(id))
                .set(articles::deleted_at.eq(Some(at)))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .expect("the article is trashed");
}

/// The one test with a full page: the demo article and 50,000 more fill a
/// page and start a second, which the index lists; the third is a 404.
#[actix_web::test]
async fn the_index_lists_a_sitemap_for_each_fifty_thousand_articles() {
    let app = spawn_app().await;
    let index = sitemap(&app, "/sitemap.xml").await;
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert_eq!(
        texts(&index, "loc"),
        [
            format!("{SITE}/sitemaps/articles-1.xml"),
            format!("{SITE}/sitemaps/documents-1.xml"),
            format!("{SITE}/sitemaps/news.xml"),
        ]
    );

    let per_page = usize::try_from(bulletin_api::sitemaps::PER_PAGE).unwrap();
    let titles = (1..=per_page).map(|n| format!("Bài {n}")).collect();
    app.publish_articles(titles, now() - Duration::hours(72))
        .await;
    let index = sitemap(&app, "/sitemap.xml").await;
    assert_eq!(
        texts(&index, "loc"),
        [
            format!("{SITE}/sitemaps/articles-1.xml"),
            format!("{SITE}/sitemaps/articles-2.xml"),
            format!("{SITE}/sitemaps/documents-1.xml"),
            format!("{SITE}/sitemaps/news.xml"),
        ]
    );
    let first = sitemap(&app, "/sitemaps/articles-1.xml").await;
    let first_locs = texts(&first, "loc");
    assert_eq!(first_locs.len(), per_page);
    assert_eq!(first_locs[0], format!("{SITE}/api/v1/articles/{DEMO_SLUG}"));
    let second = sitemap(&app, "/sitemaps/articles-2.xml").await;
    assert_eq!(
        texts(&second, "loc"),
        [format!("{SITE}/api/v1/articles/bai-{per_page}")]
    );
    let mut past = app.get("/sitemaps/articles-3.xml").send().await.unwrap();
    expect_problem(&mut past, 404).await;
}

#[actix_web::test]
async fn only_visible_articles_are_listed_at_their_frontend_pages() {
    let app = spawn_app_with(|settings| {
        settings.site.permalinks.article = Some("https://sonoivu.gov.vn/tin/{slug}-{id}".into());
    })
    .await;
    let hour_ago = now() - Duration::hours(1);
    let published = app.publish_article("Tin đã đăng", hour_ago).await;
    let draft = app
        .insert_article("Bản nháp", ArticleStatus::Draft, hour_ago)
        .await;
    let scheduled = app
        .publish_article("Tin hẹn giờ", now() + Duration::days(1))
        .await;
    let trashed = app.publish_article("Tin trong thùng rác", hour_ago).await;
    trash(&app, trashed).await;

    let page = sitemap(&app, "/sitemaps/articles-1.xml").await;
    assert_eq!(
        texts(&page, "loc"),
        [
            format!("https://sonoivu.gov.vn/tin/{DEMO_SLUG}-1"),
            format!("https://sonoivu.gov.vn/tin/tin-da-dang-{published}"),
        ],
        "the draft ({draft}), the scheduled ({scheduled}) and the trashed ({trashed}) are left out"
    );
    let lastmods = texts(&page, "lastmod");
    assert_eq!(lastmods[0], "2023-01-19T03:03:00Z", "the demo article's");
    assert!(
        chrono::DateTime::parse_from_rfc3339(lastmods[1]).is_ok() && lastmods[1].ends_with('Z'),
        "a W3C datetime in UTC: {}",
        lastmods[1]
    );

    let index = sitemap(&app, "/sitemap.xml").await;
    assert_eq!(
        texts(&index, "lastmod")[0],
        lastmods[1],
        "the article pages' newest change"
    );
}

#[actix_web::test]
async fn documents_are_listed_at_their_pages_and_a_page_past_the_last_is_a_404() {
    let app = spawn_app_with(|settings| {
        settings.site.permalinks.document = Some("https://sonoivu.gov.vn/van-ban/{id}".into());
    })
    .await;
    let page = sitemap(&app, "/sitemaps/documents-1.xml").await;
    let locs = texts(&page, "loc");
    assert_eq!(locs.len(), 6, "the demo's documents: {locs:?}");
    assert!(
        locs.iter()
            .all(|loc| loc.starts_with("https://sonoivu.gov.vn/van-ban/")),
        "{locs:?}"
    );
    for (path, detail) in [
        (
            "/sitemaps/documents-2.xml",
            "no sitemap of documents is numbered 2; /sitemap.xml lists those there are",
        ),
        (
            "/sitemaps/articles-2.xml",
            "no sitemap of articles is numbered 2; /sitemap.xml lists those there are",
        ),
        (
            "/sitemaps/articles-0.xml",
            "no sitemap of articles is numbered 0; /sitemap.xml lists those there are",
        ),
        (
            "/sitemaps/articles-mot.xml",
            "no resource at /sitemaps/articles-mot.xml",
        ),
    ] {
        let mut response = app.get(path).send().await.unwrap();
        let problem = expect_problem(&mut response, 404).await;
        assert_eq!(problem["detail"], detail, "{path}");
        assert!(
            header(&response, "etag").is_none(),
            "{path}: a problem is no sitemap"
        );
    }
    let mut response = app
        .get("/sitemaps/articles-2.xml")
        .insert_header(("Accept-Language", "vi"))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 404).await;
    assert_eq!(
        problem["detail"],
        "không có sitemap bài viết số 2; /sitemap.xml liệt kê các sitemap hiện có"
    );
}

#[actix_web::test]
async fn the_news_sitemap_holds_the_last_48_hours_newest_first() {
    let app = spawn_app().await;
    let published = now() - Duration::hours(2);
    app.publish_article("Tin hôm nay", published).await;
    app.publish_article("Tin hôm qua", now() - Duration::hours(47))
        .await;
    app.publish_article("Tin ba ngày trước", now() - Duration::hours(49))
        .await;
    app.publish_article("Tin ngày mai", now() + Duration::hours(24))
        .await;
    let draft = app
        .insert_article("Bản nháp mới", ArticleStatus::Draft, published)
        .await;

    let news = sitemap(&app, "/sitemaps/news.xml").await;
    assert!(news.contains(
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
    ));
    assert_eq!(
        texts(&news, "news:title"),
        ["Tin hôm nay", "Tin hôm qua"],
        "not the older, the scheduled, the draft ({draft}), nor the demo article of 2023"
    );
    assert_eq!(
        texts(&news, "loc"),
        [
            format!("{SITE}/api/v1/articles/tin-hom-nay"),
            format!("{SITE}/api/v1/articles/tin-hom-qua"),
        ]
    );
    assert_eq!(texts(&news, "news:name"), ["Bản tin", "Bản tin"]);
    assert_eq!(texts(&news, "news:language"), ["vi", "vi"]);
    assert_eq!(
        texts(&news, "news:publication_date")[0],
        utc_rfc3339(published)
    );
}

#[actix_web::test]
async fn markup_characters_in_titles_names_and_links_are_escaped() {
    let app = spawn_app_with(|settings| {
        settings.site.name = "Sở Nội vụ & <Bình Định>".into();
        settings.site.permalinks.article = Some("https://sonoivu.gov.vn/?p={id}&s={slug}".into());
    })
    .await;
    let id = app
        .publish_article("Lúa & gạo <2026>", now() - Duration::hours(1))
        .await;
    let news = sitemap(&app, "/sitemaps/news.xml").await;
    assert_eq!(texts(&news, "news:title"), ["Lúa &amp; gạo &lt;2026&gt;"]);
    assert_eq!(
        texts(&news, "news:name"),
        ["Sở Nội vụ &amp; &lt;Bình Định&gt;"]
    );
    let link = format!("https://sonoivu.gov.vn/?p={id}&amp;s=lua-gao-2026");
    assert_eq!(texts(&news, "loc"), [link.as_str()]);
    let page = sitemap(&app, "/sitemaps/articles-1.xml").await;
    assert!(page.contains(&format!("<loc>{link}</loc>")), "{page}");
    assert!(!page.contains("&s="), "no bare ampersand: {page}");
}

#[actix_web::test]
async fn sitemaps_are_public_xml_with_an_etag_and_refuse_unknown_parameters() {
    let app = spawn_admin_app().await;
    for path in [
        "/sitemap.xml",
        "/sitemaps/articles-1.xml",
        "/sitemaps/documents-1.xml",
        "/sitemaps/news.xml",
    ] {
        let response = app.get(path).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(header(&response, "content-type").as_deref(), Some(XML));
        assert_eq!(
            header(&response, "cache-control").as_deref(),
            Some("public, max-age=10, stale-while-revalidate=30"),
            "{path}"
        );
        let etag = header(&response, "etag").expect("an ETag");
        let unchanged = app
            .get(path)
            .insert_header(("If-None-Match", etag))
            .send()
            .await
            .unwrap();
        assert_eq!(unchanged.status().as_u16(), 304, "{path}");

        let mut refused = app.get(&format!("{path}?bust=1")).send().await.unwrap();
        let problem = expect_problem(&mut refused, 422).await;
        assert_eq!(problem["errors"][0]["field"], "bust", "{path}");
    }

    let token = app.admin_token().await;
    let personal = app
        .get("/sitemap.xml")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&personal, "cache-control").as_deref(),
        Some("private, no-store")
    );

    for path in ["/sitemaps/news.xml", "/sitemaps/articles-1.xml"] {
        let mut response = app.request(Method::POST, path).send().await.unwrap();
        assert_eq!(
            header(&response, "allow").as_deref(),
            Some("GET, HEAD"),
            "{path}"
        );
        expect_problem(&mut response, 405).await;
    }
}

#[actix_web::test]
async fn publishing_an_article_changes_the_index_and_the_news_sitemap() {
    let app = spawn_admin_app().await;
    let before = app.get("/sitemaps/news.xml").send().await.unwrap();
    let etag = header(&before, "etag").expect("an ETag");
    let index = sitemap(&app, "/sitemap.xml").await;
    assert_eq!(
        texts(&index, "lastmod").len(),
        2,
        "the empty news sitemap has none: {index}"
    );

    let editor = app.token_with_role("editor").await;
    let mut article = crate::helpers::draft("Hội nghị cải cách hành chính");
    article["status"] = "published".into();
    let (status, created) = crate::helpers::create_article(&app, &editor, article).await;
    assert_eq!(status, 201, "{created}");

    let after = app
        .get("/sitemaps/news.xml")
        .insert_header(("If-None-Match", etag))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status().as_u16(), 200);
    let index = sitemap(&app, "/sitemap.xml").await;
    let lastmods = texts(&index, "lastmod");
    assert_eq!(lastmods.len(), 3, "{index}");
    assert_eq!(
        lastmods[0], lastmods[2],
        "the article is the newest change of both"
    );
}

/// An article row keeps whether guests see it, its slug and last write
/// after its body: the index and a page of a sitemap read those of tens of
/// thousands of articles from the index that holds them, never the rows.
#[actix_web::test]
async fn sitemaps_read_what_they_list_from_an_index_not_from_article_rows() {
    use bulletin_api::sitemaps::queries::{Page, contents, each_article_on_page};
    let app = spawn_app().await;
    crate::lists::more_articles(&app, 1, 3000).await;
    crate::lists::execute(&app, "ANALYZE;".to_owned()).await;
    if app.on_sqlite() {
        // Statistics of an archive of 100,000, where reading the wrong
        // index or the table costs most.
        crate::lists::execute(
            &app,
            "UPDATE sqlite_stat1 SET stat = '100000' || substr(stat, instr(stat, ' '))
             WHERE tbl = 'articles' AND stat LIKE '3001 %';
             ANALYZE sqlite_schema;"
                .to_owned(),
        )
        .await;
    }
    let plans = crate::lists::plans_of(&app, |conn| {
        let now = Utc::now().naive_utc();
        contents(conn, now)?;
        each_article_on_page(conn, now, Page::new(1).unwrap(), |_| {})
    })
    .await;
    // The index's one page of articles and the page itself; the news
    // sitemap reads the newest on the visible articles' index.
    let by_id: Vec<_> = plans
        .iter()
        .filter(|(sql, _)| {
            let sql = sql.replace(['"', '`'], "");
            sql.contains("ORDER BY id") || sql.contains("ORDER BY articles.id")
        })
        .collect();
    assert_eq!(by_id.len(), 2, "{plans:?}");
    for (sql, steps) in by_id {
        // PostgreSQL's rows keep their bodies apart (TOAST): it may read
        // them in id order through its key as well.
        let in_id_order = if app.on_sqlite() {
            steps
                .iter()
                .any(|step| step.contains("COVERING INDEX articles_shown_by_id"))
        } else {
            !crate::lists::scans_articles(steps) && !crate::lists::sorts(steps)
        };
        assert!(in_id_order, "`{sql}` reads {steps:?}");
    }
}
