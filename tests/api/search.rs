//! Vietnamese search: diacritic-insensitive, đ included, ranked, with snippets.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use serde_json::Value;

use crate::helpers::{
    TestApp, assert_prepared_once_but, expect_problem, insert_category, item_ids, spawn_app,
    statements_of_rounds,
};
use bulletin_api::articles::ArticleStatus;
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::{article_views, articles};

async fn search(app: &TestApp, q: &str) -> Value {
    let path = format!("/api/v1/articles?q={}", urlencode(q));
    app.get_json(&path).await
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn titles(results: &Value) -> Vec<String> {
    results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

const DEMO_TITLE: &str = "TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH";

#[actix_web::test]
async fn the_seed_article_is_found_with_or_without_diacritics_and_d_stroke() {
    let app = spawn_app().await;
    for q in [
        "cai cach hanh chinh",
        "Binh Dinh",
        "DINH",
        "quyet dinh",
        "Quyết định",
        "cải cách",
        "5359/QĐ-UBND",
        "phong cchc vtlt",
    ] {
        let results = search(&app, q).await;
        assert_eq!(titles(&results), [DEMO_TITLE], "{q}");
        assert_eq!(results["total"], 1, "{q}");
    }
}

#[actix_web::test]
async fn searches_asked_at_once_beyond_the_ranking_slots_all_get_their_results() {
    let app = spawn_app().await;
    // Forty distinct searches: more than rank at once (two for each core),
    // so most wait for a slot, and none is another's kept answer.
    let app = &app;
    let searches = (1..=40).map(|limit| async move {
        let path = format!("/api/v1/articles?q=cai+cach&limit={limit}");
        let mut response = app.get(&path).send().await.expect("the server answers");
        let body: Value = response.json().await.expect("a JSON body");
        (response.status().as_u16(), body)
    });
    for (status, results) in futures_util::future::join_all(searches).await {
        assert_eq!(status, 200, "{results}");
        assert_eq!(titles(&results), [DEMO_TITLE]);
        assert_eq!(results["total"], 1);
    }
}

#[actix_web::test]
async fn snippets_mark_the_match_in_the_original_letters() {
    let app = spawn_app().await;
    let results = search(&app, "binh dinh").await;
    let snippet = results["items"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>Bình</mark> <mark>Định</mark>"),
        "{snippet}"
    );
    assert!(
        snippet.split_whitespace().count() <= 32,
        "a snippet, not the body: {snippet}"
    );
    let plain = app.get_json("/api/v1/articles").await;
    assert!(
        plain["items"][0].get("snippet").is_none(),
        "no snippet without q"
    );
}

#[actix_web::test]
async fn the_last_word_of_a_search_also_matches_as_the_start_of_a_word() {
    let app = spawn_app().await;
    let typed = search(&app, "cai cach hanh chin").await;
    assert_eq!(titles(&typed), [DEMO_TITLE]);
    let snippet = typed["items"][0]["snippet"]
        .as_str()
        .unwrap()
        .to_lowercase();
    assert!(
        snippet.contains("<mark>hành</mark> <mark>chính</mark>"),
        "the whole word is marked: {snippet}"
    );
    assert_eq!(search(&app, "vtlt cai cach").await["total"], 1);
    assert_eq!(
        search(&app, "vtl cai cach").await["total"],
        0,
        "only the last word is a prefix"
    );
    let documents = |q: &'static str| {
        let app = &app;
        async move {
            app.get_json(&format!("/api/v1/documents?q={q}")).await["total"]
                .as_u64()
                .unwrap()
        }
    };
    let plans = documents("ke%20hoach").await;
    assert!(plans > 0);
    assert!(
        documents("ke%20hoa").await >= plans,
        "documents are searched as typed too"
    );
}

#[actix_web::test]
async fn nothing_matching_is_an_empty_page() {
    let app = spawn_app().await;
    let results = search(&app, "bóng đá").await;
    assert_eq!(results["total"], 0);
    assert!(results["items"].as_array().unwrap().is_empty());
}

#[actix_web::test]
async fn a_match_in_the_title_ranks_above_one_in_the_body() {
    let app = spawn_app().await;
    let yesterday = Utc::now().naive_utc() - Duration::days(1);
    app.insert_article_with_body(
        "Tin khác",
        "<p>Bàn về quy hoạch đô thị của tỉnh.</p>",
        ArticleStatus::Published,
        yesterday,
    )
    .await;
    app.insert_article_with_body(
        "Quy hoạch đô thị",
        "<p>Nội dung khác.</p>",
        ArticleStatus::Published,
        yesterday - Duration::days(1),
    )
    .await;
    let results = search(&app, "quy hoach do thi").await;
    let found = titles(&results);
    let position = |title: &str| found.iter().position(|t| t == title).unwrap();
    assert!(
        position("Quy hoạch đô thị") < position("Tin khác"),
        "{found:?}"
    );
}

#[actix_web::test]
async fn only_what_guests_may_see_is_found() {
    let app = spawn_app().await;
    let tomorrow = Utc::now().naive_utc() + Duration::days(1);
    app.insert_article_with_body(
        "Tin sắp đăng về đê điều",
        "<p>đê điều</p>",
        ArticleStatus::Scheduled,
        tomorrow,
    )
    .await;
    app.insert_article_with_body(
        "Bản nháp về đê điều",
        "<p>đê điều</p>",
        ArticleStatus::Draft,
        Utc::now().naive_utc(),
    )
    .await;
    // Published, but dated later (written straight into the database), and
    // published then trashed: hidden too.
    app.insert_article_with_body(
        "Tin ghi ngày sau về đê điều",
        "<p>đê điều</p>",
        ArticleStatus::Published,
        tomorrow,
    )
    .await;
    let trashed = app
        .insert_article_with_body(
            "Tin đã xóa về đê điều",
            "<p>đê điều</p>",
            ArticleStatus::Published,
            Utc::now().naive_utc(),
        )
        .await;
    app.database()
        .write(move |conn| {
            diesel::update(articles::table.find(trashed))
                .set(articles::deleted_at.eq(Some(Utc::now().naive_utc())))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
    assert_eq!(search(&app, "de dieu").await["total"], 0);
    let visible = app
        .insert_article_with_body(
            "Tin đã đăng về đê điều",
            "<p>đê điều</p>",
            ArticleStatus::Published,
            Utc::now().naive_utc(),
        )
        .await;
    let found = search(&app, "de dieu").await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["id"], visible);
    for sorted in [
        "de+dieu&sort=-published_at",
        "de+dieu&author=1",
        "de+dieu&tag=x",
    ] {
        let other = app.get_json(&format!("/api/v1/articles?q={sorted}")).await;
        let expected = if sorted.ends_with("published_at") {
            1
        } else {
            0
        };
        assert_eq!(other["total"], expected, "{sorted}: {other}");
    }
}

#[actix_web::test]
async fn the_index_follows_every_update_and_delete() {
    let app = spawn_app().await;
    // Words the seed article does not hold, folded or not.
    let id = app
        .insert_article_with_body(
            "Bóng chuyền",
            "<p>thể thao</p>",
            ArticleStatus::Published,
            Utc::now().naive_utc(),
        )
        .await;
    assert_eq!(search(&app, "bong chuyen").await["total"], 1);

    let db = app.database();
    db.write(move |conn| {
        diesel::update(articles::table.find(id))
            .set(articles::title.eq("Bóng rổ"))
            .execute(conn)
            .map_err(StoreError::from)
    })
    .await
    .unwrap();
    assert_eq!(
        search(&app, "bong chuyen").await["total"],
        0,
        "the old title is gone from the index"
    );
    assert_eq!(search(&app, "bong ro").await["total"], 1);

    // A view count changes no searchable text: the index stays as it is.
    db.write(move |conn| {
        diesel::update(article_views::table.find(id))
            .set(article_views::view_count.eq(article_views::view_count + 1))
            .execute(conn)
            .map_err(StoreError::from)
    })
    .await
    .unwrap();
    assert_eq!(search(&app, "bong ro").await["total"], 1);

    db.write(move |conn| {
        diesel::delete(articles::table.find(id))
            .execute(conn)
            .map_err(StoreError::from)
    })
    .await
    .unwrap();
    assert_eq!(search(&app, "bong ro").await["total"], 0);
}

#[actix_web::test]
async fn search_results_page_by_cursor() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    for n in 1..=3 {
        app.insert_article_with_body(
            &format!("Lúa gạo {n}"),
            "<p>lúa gạo</p>",
            ArticleStatus::Published,
            now,
        )
        .await;
    }
    let first = app.get_json("/api/v1/articles?q=lua%20gao&limit=2").await;
    assert_eq!(
        (
            first["total"].as_i64(),
            first["total_is_exact"].as_bool(),
            first["items"].as_array().unwrap().len()
        ),
        (Some(3), Some(true), 2)
    );
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get_json(&format!(
            "/api/v1/articles?q=lua%20gao&limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second["next_cursor"].is_null());
    let mut all = titles(&first);
    all.extend(titles(&second));
    all.sort();
    assert_eq!(all, ["Lúa gạo 1", "Lúa gạo 2", "Lúa gạo 3"]);
}

/// The ids of every page of the search `path` (a query string without a
/// cursor), following `next_cursor`, in order.
async fn ids_of_every_page(app: &TestApp, path: &str) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut page = app.get_json(path).await;
    loop {
        seen.extend(item_ids(&page));
        let Some(cursor) = page["next_cursor"].as_str() else {
            return seen;
        };
        page = app.get_json(&format!("{path}&cursor={cursor}")).await;
    }
}

/// Asserts that `seen`, the ids of a search's every page, holds each of
/// `matches` once, the oldest of them (the first written) last: past the
/// ranked thousand the rest come newest first. None of `left_out` comes.
fn assert_each_match_once_oldest_last(seen: &[i64], matches: &[i32], left_out: &[i32]) {
    assert_eq!(seen.last().copied(), Some(i64::from(matches[0])));
    assert!(left_out.iter().all(|id| !seen.contains(&i64::from(*id))));
    let mut seen = seen.to_vec();
    seen.sort_unstable();
    let mut expected: Vec<i64> = matches.iter().map(|&id| i64::from(id)).collect();
    expected.sort_unstable();
    assert_eq!(seen, expected, "every match once");
}

/// Titles matching "lúa gạo" as a newsroom's archive would: the oldest
/// and the newest match best, and 1,009 between match as well.
fn more_matches_than_are_ranked() -> Vec<String> {
    let mut titles = vec!["Lúa gạo lúa gạo lúa gạo cũ".to_owned()];
    titles.extend((1..=1_009).map(|n| format!("Lúa gạo số {n}")));
    titles.push("Lúa gạo lúa gạo lúa gạo mới".to_owned());
    titles
}

/// Asserts that `first`, a search's first page over more matches than are
/// ranked, says its total is an estimate near the 1,011 there are and
/// starts with the newest of the two best.
fn assert_ranked_newest_and_estimated(first: &Value) {
    assert_eq!(first["total_is_exact"], false);
    let total = first["total"].as_i64().unwrap();
    assert!(
        (1_001..=1_100).contains(&total),
        "estimated {total} of 1,011"
    );
    assert_eq!(first["items"][0]["title"], "Lúa gạo lúa gạo lúa gạo mới");
}

/// Past `RANKED_MATCHES` (1,000) matches, relevance ranks the newest ones,
/// the older follow newest first, and the total is an estimate.
#[actix_web::test]
async fn a_search_matching_more_than_it_ranks_pages_through_every_match_once() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    // The oldest matches best of all, but only the newest 1,000 are ranked.
    let ids = app
        .publish_articles(more_matches_than_are_ranked(), now)
        .await;
    let hidden = app
        .insert_article("Lúa gạo lúa gạo bản nháp", ArticleStatus::Draft, now)
        .await;

    let path = "/api/v1/articles?q=lua%20gao&limit=100";
    assert_ranked_newest_and_estimated(&app.get_json(path).await);
    let seen = ids_of_every_page(&app, path).await;
    assert_each_match_once_oldest_last(&seen, &ids, &[hidden]);
}

/// A search narrowed by a filter ranks the newest 1,000 matches the filter
/// keeps, as one over everything does, rather than weigh and count every
/// match in a large category: the matches outside it, however good and
/// new, never come. The same whether the articles the filter keeps are
/// listed first or each match is tested (when the filter keeps most of a
/// large archive's matches: here the archive's ids are made to span a
/// million).
#[actix_web::test]
async fn a_filtered_search_ranks_the_newest_matches_it_keeps_and_pages_through_each_once() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    let category = insert_category(&app.database(), "nong-nghiep")
        .await
        .unwrap();
    let kept = app
        .publish_articles(more_matches_than_are_ranked(), now)
        .await;
    let outside = app
        .publish_articles(
            (1..=30)
                .map(|n| format!("Lúa gạo lúa gạo lúa gạo lúa gạo ngoài {n}"))
                .collect(),
            now,
        )
        .await;
    crate::lists::execute(
        &app,
        format!(
            "UPDATE articles SET category_id = {category} WHERE id BETWEEN {first} AND {last};
             INSERT INTO article_tags (article_id, tag, tag_key)
                 SELECT id, 'lua', 'lua' FROM articles WHERE id BETWEEN {first} AND {last};",
            first = kept[0],
            last = kept[kept.len() - 1]
        ),
    )
    .await;

    let path = "/api/v1/articles?q=lua%20gao&category=nong-nghiep&limit=100";
    let in_order = "/api/v1/articles?q=lua%20gao&category=nong-nghiep&sort=-published_at&limit=100";
    let listed = ids_of_every_page(
        &app,
        "/api/v1/articles?category=nong-nghiep&sort=-published_at&limit=100",
    )
    .await;
    assert_eq!(listed.len(), kept.len());
    for far_apart in [false, true] {
        if far_apart {
            crate::lists::execute(
                &app,
                "INSERT INTO articles (id, slug, title, summary, body_html, body_text, byline,
                     status, comment_count, rating_total, rating_count, version, created_at,
                     updated_at)
                 VALUES (1000000, 'ban-nhap-xa', 'Bản nháp', '', '<p>Nháp</p>', 'Nháp', '',
                     'draft', 0, 0, 0, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00');"
                    .to_owned(),
            )
            .await;
        }
        assert_ranked_newest_and_estimated(&app.get_json(path).await);
        let seen = ids_of_every_page(&app, path).await;
        assert_each_match_once_oldest_last(&seen, &kept, &outside);
        assert_eq!(
            ids_of_every_page(&app, in_order).await,
            listed,
            "far apart: {far_apart}"
        );
        // A tag: its articles' list is read from its index.
        let tagged = "/api/v1/articles?q=lua%20gao&tag=lua&limit=100";
        assert_ranked_newest_and_estimated(&app.get_json(tagged).await);
        let seen = ids_of_every_page(&app, tagged).await;
        assert_each_match_once_oldest_last(&seen, &kept, &outside);
        let tagged_in_order = format!("{tagged}&sort=-published_at");
        assert_eq!(ids_of_every_page(&app, &tagged_in_order).await, listed);
        // A filter the table's row answers (none of them is featured).
        let every: Vec<i32> = kept.iter().chain(&outside).copied().collect();
        let not_featured = "/api/v1/articles?q=lua%20gao&featured=false&limit=100";
        let seen = ids_of_every_page(&app, not_featured).await;
        assert_each_match_once_oldest_last(&seen, &every, &[]);
    }
}

/// A search within dates finds the matches published then and no others:
/// the newest 1,000 of them ranked, the older after, each once, and in
/// order of time the page the list within the dates gives. The same when
/// newer matches outnumber those ranked, whether the dates are closed (the
/// total estimated over the ids they span, not the archive's) or open at
/// one end, and whether the articles within them are listed first
/// or each match is tested (when one of them lies far from the others:
/// its id a million). Dates within which nothing was published find
/// nothing.
#[actix_web::test]
async fn a_search_within_dates_finds_the_matches_published_then_and_no_others() {
    let app = spawn_app().await;
    let now = Utc::now().naive_utc();
    let a_year_ago = now - Duration::days(365);
    // Older articles, none matching: the total is estimated over the ids
    // the dates span, not from the archive's first.
    app.publish_articles(
        (1..=2_000).map(|n| format!("Thời tiết {n}")).collect(),
        now - Duration::days(730),
    )
    .await;
    let within = app
        .publish_articles(more_matches_than_are_ranked(), a_year_ago)
        .await;
    // Newer and as good, more than are ranked: a search's newest matches
    // hold none of those within the dates.
    let newer = app
        .publish_articles(
            (1..=1_100)
                .map(|n| format!("Lúa gạo lúa gạo lúa gạo mới hơn {n}"))
                .collect(),
            now - Duration::days(1),
        )
        .await;
    let day = |at: chrono::NaiveDateTime| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let until = format!("published_to={}", day(a_year_ago + Duration::days(1)));
    let closed = format!(
        "published_from={}&{until}",
        day(a_year_ago - Duration::days(1))
    );
    let closed_first = app
        .get_json(&format!("/api/v1/articles?q=lua%20gao&{closed}&limit=100"))
        .await;
    for far_apart in [false, true] {
        if far_apart {
            crate::lists::execute(
                &app,
                format!(
                    "INSERT INTO articles (id, slug, title, summary, body_html, body_text, byline,
                         status, published_at, comment_count, rating_total, rating_count,
                         version, created_at, updated_at)
                     VALUES (1000000, 'thoi-tiet-xa', 'Thời tiết', '', '<p>Nắng</p>', 'Nắng',
                         '', 'published', '{at}', 0, 0, 0, 1, '{at}', '{at}');",
                    at = a_year_ago.format("%Y-%m-%d %H:%M:%S")
                ),
            )
            .await;
        }
        for dates in [&closed, &until] {
            let path = format!("/api/v1/articles?q=lua%20gao&{dates}&limit=100");
            let first = app.get_json(&path).await;
            match dates == &closed {
                true => assert_ranked_newest_and_estimated(&first),
                // Open at its start, the dates span the older articles too.
                false => assert_eq!(first["items"][0], closed_first["items"][0]),
            }
            let seen = ids_of_every_page(&app, &path).await;
            assert_each_match_once_oldest_last(&seen, &within, &newer);
            let in_order = format!("q=lua%20gao&{dates}&sort=-published_at&limit=100");
            let listed: Vec<i64> = within.iter().rev().map(|&id| i64::from(id)).collect();
            assert_eq!(
                ids_of_every_page(&app, &format!("/api/v1/articles?{in_order}")).await,
                listed,
                "far apart: {far_apart}, {dates}"
            );
        }
    }
    // Open at its start: the newer matches alone.
    let since = format!(
        "/api/v1/articles?q=lua%20gao&published_from={}&limit=100",
        day(now - Duration::days(2))
    );
    let seen = ids_of_every_page(&app, &since).await;
    assert_each_match_once_oldest_last(&seen, &newer, &within);

    let between = format!(
        "/api/v1/articles?q=lua%20gao&published_from={}&published_to={}",
        day(now - Duration::days(30)),
        day(now - Duration::days(7))
    );
    for sort in ["relevance", "-published_at"] {
        let none = app.get_json(&format!("{between}&sort={sort}")).await;
        assert_eq!(none["items"], serde_json::json!([]), "{sort}");
        assert_eq!(none["total"], 0, "{sort}");
        assert_eq!(none["total_is_exact"], true, "{sort}");
    }
}

/// In an order an index holds (newest first, say), a word most articles
/// hold is found by walking the articles in that order and testing each (a
/// page stops after its rows), and a rare one by sorting its few matches:
/// either way the page holds the first matches in that order.
#[actix_web::test]
async fn a_search_in_an_indexed_order_walks_the_articles_when_most_match_and_sorts_few() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::ArticleFilter;
    use bulletin_api::db::search_articles;
    use bulletin_api::text::search::SearchQuery;
    let app = spawn_app().await;
    // `bai-{i}`, published `i` hours ago, each holding "nội dung".
    crate::lists::more_articles(&app, 1, 3000).await;
    crate::lists::execute(
        &app,
        "UPDATE articles SET title = 'Bài zzqq' WHERE slug = 'bai-7';".to_owned(),
    )
    .await;
    crate::lists::execute(&app, "ANALYZE;".to_owned()).await;

    let common = app
        .get_json("/api/v1/articles?q=noi%20dung&sort=-published_at&limit=5")
        .await;
    assert_eq!(
        crate::helpers::item_texts(&common, "slug"),
        ["bai-1", "bai-2", "bai-3", "bai-4", "bai-5"]
    );
    assert!(common["total"].as_i64().unwrap() >= 3000, "{common}");
    let rare = app
        .get_json("/api/v1/articles?q=zzqq&sort=-published_at")
        .await;
    assert_eq!(crate::helpers::item_texts(&rare, "slug"), ["bai-7"]);
    assert_eq!(rare["total"], 1);
    assert_eq!(rare["total_is_exact"], true);

    // Each order an index holds: by time, by last change, by rating, by views.
    let sorts = [
        ArticleSort::NewestFirst,
        ArticleSort::OldestFirst,
        ArticleSort::RecentlyChanged,
        ArticleSort::BestRated,
        ArticleSort::MostViewed,
    ];
    for (sort, words, walks) in sorts
        .into_iter()
        .map(|sort| (sort, "nội dung", true))
        .chain([(ArticleSort::NewestFirst, "zzqq", false)])
    {
        let plans = crate::lists::plans_of(&app, move |conn| {
            let query = SearchQuery::parse(words).expect("words");
            let now = Utc::now().naive_utc();
            search_articles(conn, &query, &ArticleFilter::default(), sort, now, 20, 0).map(drop)
        })
        .await;
        // The page is read last, after its matches are counted.
        let (sql, steps) = plans
            .iter()
            .rfind(|(sql, _)| sql.contains("ORDER BY"))
            .unwrap_or_else(|| panic!("a page: {plans:?}"));
        assert_eq!(sql.contains("EXISTS"), walks, "{sort:?} `{words}`: {sql}");
        assert_eq!(
            crate::lists::sorts(steps),
            !walks,
            "{sort:?} `{words}`: {steps:?}"
        );
    }
}

#[actix_web::test]
async fn a_search_every_article_matches_estimates_its_total_and_pages_as_the_list_in_each_order() {
    let app = spawn_app().await;
    // 3,000 articles all holding "nội dung": a search's first pages walk
    // the articles in its order (where an index holds it), its later ones
    // sort the matches.
    crate::lists::more_articles(&app, 1, 3000).await;
    // Last changes and ratings in other orders than publication's.
    crate::lists::execute(
        &app,
        "UPDATE articles SET updated_at = published_at WHERE id % 3 = 0;
         UPDATE articles SET rating_count = id % 4, rating_total = (id % 4) * (1 + id % 5);"
            .to_owned(),
    )
    .await;
    crate::lists::execute(&app, "ANALYZE;".to_owned()).await;
    for sort in [
        "-published_at",
        "published_at",
        "-updated_at",
        "-rating",
        "-view_count",
    ] {
        // Past 1,000 matches, estimated from the newest thousand's density:
        // every article matches here, so the estimate is right.
        let first = app
            .get_json(&format!("/api/v1/articles?q=noi%20dung&sort={sort}"))
            .await;
        assert_eq!(first["total"], 3001, "{sort}");
        assert_eq!(first["total_is_exact"], false, "{sort}");
        let listed =
            ids_of_every_page(&app, &format!("/api/v1/articles?sort={sort}&limit=50")).await;
        let found = ids_of_every_page(
            &app,
            &format!("/api/v1/articles?q=noi%20dung&sort={sort}&limit=50"),
        )
        .await;
        // The seed article holds the words as well.
        assert_eq!(listed.len(), 3001, "{sort}");
        assert_eq!(found, listed, "{sort}");

        // Narrowed by a filter, the first page walks too, and passes over
        // what the filter leaves out: here the articles 2,401 hours old
        // and older, and the seed article.
        let since = (Utc::now() - Duration::minutes(2400 * 60 + 30)).format("%Y-%m-%dT%H:%M:%SZ");
        let narrowed = format!("sort={sort}&published_from={since}&limit=100");
        let listed = ids_of_every_page(&app, &format!("/api/v1/articles?{narrowed}")).await;
        let found =
            ids_of_every_page(&app, &format!("/api/v1/articles?q=noi%20dung&{narrowed}")).await;
        assert_eq!(listed.len(), 2400, "{sort}");
        assert_eq!(found, listed, "{sort}, published from {since}");
    }
}

#[actix_web::test]
async fn hostile_queries_are_words_or_a_422_never_a_500() {
    let app = spawn_app().await;
    for q in [r#"""#, "*", "NEAR(", "a OR", "title:x", ")(", "\u{0}"] {
        let path = format!("/api/v1/articles?q={}", urlencode(q));
        let mut response = app.get(&path).send().await.unwrap();
        let status = response.status().as_u16();
        assert!(status == 200 || status == 422, "{q:?} → {status}");
        if status == 422 {
            expect_problem(&mut response, 422).await;
        }
    }
}

#[actix_web::test]
async fn a_tampered_search_cursor_is_a_404() {
    use base64::Engine;
    let app = spawn_app().await;
    for offset in [i64::MAX, -1, 10_001] {
        let json = format!("{{\"o\":{offset}}}");
        let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let mut response = app
            .get(&format!("/api/v1/articles?q=dinh&cursor={cursor}"))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 404).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("cursor"),
            "{offset}"
        );
    }
}

#[actix_web::test]
async fn a_scheduled_article_whose_time_has_come_is_found() {
    let app = spawn_app().await;
    let an_hour_ago = Utc::now().naive_utc() - Duration::hours(1);
    app.insert_article_with_body(
        "Lễ hội pháo hoa",
        "<p>pháo hoa</p>",
        ArticleStatus::Scheduled,
        an_hour_ago,
    )
    .await;
    assert_eq!(titles(&search(&app, "phao hoa").await), ["Lễ hội pháo hoa"]);
}

#[actix_web::test]
async fn a_match_in_the_title_alone_still_gets_a_snippet() {
    let app = spawn_app().await;
    app.insert_article_with_body(
        "Hội nghị trực tuyến",
        "<p>Nội dung khác.</p>",
        ArticleStatus::Published,
        Utc::now().naive_utc(),
    )
    .await;
    let results = search(&app, "truc tuyen").await;
    assert_eq!(
        results["items"][0]["snippet"],
        "Hội nghị <mark>trực</mark> <mark>tuyến</mark>"
    );
}

#[actix_web::test]
async fn private_use_and_control_characters_in_a_body_do_not_shift_the_marks() {
    let app = spawn_app().await;
    let body = "<p>A\u{E000}B \u{1}chữ ký số\u{E001} điện tử</p>";
    app.insert_article_with_body(
        "Tin kỹ thuật",
        body,
        ArticleStatus::Published,
        Utc::now().naive_utc(),
    )
    .await;
    let results = search(&app, "ky so").await;
    assert_eq!(
        results["items"][0]["snippet"],
        "AB chữ <mark>ký</mark> <mark>số</mark> điện tử"
    );
}

#[actix_web::test]
async fn searches_keep_their_statements_prepared_whatever_the_words() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::ArticleFilter;
    use bulletin_api::db::search_articles;
    use bulletin_api::text::search::SearchQuery;
    let app = spawn_app().await;
    crate::lists::more_articles(&app, 1, 30).await;
    // Each kind of search, with some words and then with others.
    let rounds = statements_of_rounds(&app, 2, |conn, round| {
        let words = ["bài", "nội dung"][round];
        let query = SearchQuery::parse(words).expect("words");
        let now = Utc::now().naive_utc();
        let not_featured = ArticleFilter {
            featured: Some(false),
            ..ArticleFilter::default()
        };
        for (filter, sort) in [
            (&ArticleFilter::default(), ArticleSort::Relevance),
            (&ArticleFilter::default(), ArticleSort::NewestFirst),
            (&ArticleFilter::default(), ArticleSort::BestRated),
            (&not_featured, ArticleSort::Relevance),
        ] {
            let found = search_articles(conn, &query, filter, sort, now, 20, 0)?;
            // The thirty, and the demo's article where it holds the words.
            assert!(found.total >= 30, "`{words}` finds {}", found.total);
        }
        Ok(())
    })
    .await;
    // On PostgreSQL the statements matching the words are planned for them
    // on every run instead (`planned_sql`).
    let on_postgres = !app.on_sqlite();
    assert_prepared_once_but(&rounds, |sql| on_postgres && sql.contains("to_tsquery"));
}

/// A search narrowed by a filter, in an order an index holds, walks the
/// articles in that order when most of them match, and its pages are the
/// filtered list's, in every such order. On SQLite the walk reads that
/// order's index, testing the filter on each article it passes (seeking
/// its dates, by time), and never sorts every article the filter keeps.
/// By last change within dates that end, it sorts its matches instead: a
/// walk would first pass every article changed since the dates end.
#[actix_web::test]
async fn a_filtered_search_in_an_indexed_order_walks_that_order_and_pages_as_the_list_does() {
    use bulletin_api::articles::ArticleSort;
    use bulletin_api::articles::queries::ArticleFilter;
    use bulletin_api::db::search_articles;
    use bulletin_api::text::search::SearchQuery;
    let app = spawn_app().await;
    // `bai-{i}`, published `i` hours ago, each holding "nội dung", two in
    // three of them in the category, each rated and changed as it was.
    crate::lists::more_articles(&app, 1, 3000).await;
    let category = insert_category(&app.database(), "tin-tuc").await.unwrap();
    crate::lists::execute(
        &app,
        format!(
            "UPDATE articles SET category_id = {category} WHERE id % 3 <> 0;
             UPDATE articles SET rating_count = 1 + id % 5, rating_total = 1 + id % 5 + id % 7,
                 updated_at = published_at;
             ANALYZE;"
        ),
    )
    .await;
    let now = Utc::now().naive_utc();
    let (from, to) = (now - Duration::hours(2990), now - Duration::hours(2));
    let day = |at: chrono::NaiveDateTime| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let closed = format!("published_from={}&published_to={}", day(from), day(to));
    let opened = format!("published_from={}", day(from));

    let sorts = [
        (ArticleSort::NewestFirst, "-published_at"),
        (ArticleSort::OldestFirst, "published_at"),
        (ArticleSort::RecentlyChanged, "-updated_at"),
        (ArticleSort::BestRated, "-rating"),
        (ArticleSort::MostViewed, "-view_count"),
    ];
    for (sort, name) in sorts {
        for (dates, published_to) in [(&closed, Some(to)), (&opened, None)] {
            let filter = ArticleFilter {
                category_ids: Some(vec![category]),
                published_from: Some(from),
                published_to,
                ..ArticleFilter::default()
            };
            let plans = crate::lists::plans_of(&app, move |conn| {
                let query = SearchQuery::parse("nội dung").expect("words");
                search_articles(conn, &query, &filter, sort, now, 20, 0).map(drop)
            })
            .await;
            let (sql, steps) = plans
                .iter()
                .rfind(|(sql, _)| sql.contains("ORDER BY"))
                .unwrap_or_else(|| panic!("a page: {plans:?}"));
            // By last change within dates that end, SQLite sorts the
            // matches within the dates; PostgreSQL's sorted form reads
            // every match in the archive, and it walks (`Walking`).
            let walks = !(sort == ArticleSort::RecentlyChanged
                && published_to.is_some()
                && app.on_sqlite());
            assert_eq!(sql.contains("EXISTS"), walks, "{name} {dates}: {sql}");
            // PostgreSQL plans a search's statements for their values as
            // they run (`planned_sql`), not as explained here for any.
            if app.on_sqlite() {
                assert_eq!(
                    crate::lists::sorts(steps),
                    !walks,
                    "{name} {dates}: {steps:?}"
                );
                // By time, the walk seeks the articles between the dates.
                let seeks = "USING INDEX articles_visible (published_at>? AND published_at<?)";
                let by_time = matches!(sort, ArticleSort::NewestFirst | ArticleSort::OldestFirst);
                let seeking = steps.iter().any(|step| step.contains(seeks));
                assert!(!walks || seeking == by_time, "{name} {dates}: {steps:?}");
            }

            let kept = format!("category=tin-tuc&{dates}&sort={name}&limit=100");
            let listed = ids_of_every_page(&app, &format!("/api/v1/articles?{kept}")).await;
            assert!(listed.len() > 1_900, "{name} {dates}: {}", listed.len());
            let searched =
                ids_of_every_page(&app, &format!("/api/v1/articles?q=noi%20dung&{kept}")).await;
            assert_eq!(searched, listed, "{name} {dates}");
        }
    }
}
