//! Ratings: one vote per voter, exact aggregates, guests by voter token.

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, api_key, call, header, json_body, spawn_admin_app, spawn_admin_app_with, spawn_app,
};
use bulletin_api::articles::ArticleStatus;

/// Votes `stars` on the demo article, with `token` as a guest's voter token;
/// answers status, body and the token handed back.
async fn vote(app: &TestApp, token: Option<&str>, stars: Value) -> (u16, Value, Option<String>) {
    let mut request = app.request(Method::POST, "/api/v1/articles/1/ratings");
    if let Some(token) = token {
        request = request.insert_header(("X-Voter-Token", token));
    }
    let mut response = request.send_json(&json!({"stars": stars})).await.unwrap();
    let handed_back = header(&response, "x-voter-token");
    (
        response.status().as_u16(),
        json_body(&mut response).await,
        handed_back,
    )
}

#[actix_web::test]
async fn the_seed_article_starts_from_three_points_in_three_votes() {
    let app = spawn_app().await;
    let ratings = app.get_json("/api/v1/articles/1/ratings").await;
    assert_eq!(
        ratings,
        json!({"total": 3, "count": 3, "average": 1.0,
            "distribution": {"1": 3, "2": 0, "3": 0, "4": 0, "5": 0}, "your_rating": null})
    );
}

#[actix_web::test]
async fn a_guest_votes_by_token_and_voting_again_replaces_the_vote() {
    let app = spawn_app().await;
    let (status, first, token) = vote(&app, None, json!(5)).await;
    assert_eq!(status, 200, "{first}");
    let token = token.expect("a guest without a token is given one");
    assert_eq!((&first["total"], &first["count"]), (&json!(8), &json!(4)));
    assert_eq!(first["your_rating"], 5);

    let (_, again, same) = vote(&app, Some(&token), json!(2)).await;
    assert_eq!(same.as_deref(), Some(token.as_str()));
    assert_eq!((&again["total"], &again["count"]), (&json!(5), &json!(4)));
    assert_eq!(
        again["distribution"],
        json!({"1": 3, "2": 1, "3": 0, "4": 0, "5": 0})
    );
    assert_eq!(again["average"], 1.25);

    let mut mine = app
        .get("/api/v1/articles/1/ratings")
        .insert_header(("X-Voter-Token", token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body(&mut mine).await["your_rating"], 2);
    let mut by_cookie = app
        .get("/api/v1/articles/1/ratings")
        .insert_header(("Cookie", format!("bulletin_voter={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_body(&mut by_cookie).await["your_rating"],
        2,
        "browsers send the cookie"
    );
    assert_eq!(
        app.get_json("/api/v1/articles/1/ratings").await["your_rating"],
        Value::Null
    );

    let article = app.get_json("/api/v1/articles/1").await;
    assert_eq!(
        article["rating"],
        json!({"total": 5, "count": 4, "average": 1.25})
    );
}

#[actix_web::test]
async fn members_vote_by_account_and_programs_and_forged_tokens_are_refused() {
    let app = spawn_admin_app().await;
    let member = app.token_with_role("member").await;
    for stars in [4, 3] {
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/articles/1/ratings",
            Some(&member),
            Some(json!({"stars": stars})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["count"], 4, "one account, one vote");
    }
    let admin = app.admin_token().await;
    let key = api_key(&app, &admin, "write").await;
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/articles/1/ratings",
        Some(&key),
        Some(json!({"stars": 5})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = vote(&app, Some("bvt_made-up"), json!(5)).await;
    assert_eq!(status, 400);
    assert_eq!(app.get_json("/api/v1/articles/1/ratings").await["count"], 4);
}

#[actix_web::test]
async fn many_voters_at_once_lose_no_vote() {
    let app = spawn_admin_app_with(|s| s.clients.rate_limit = false).await;
    let votes = (0..40).map(|_| vote(&app, None, json!(5)));
    let answers = futures_util::future::join_all(votes).await;
    assert!(answers.iter().all(|(status, _, _)| *status == 200));
    let tokens: std::collections::HashSet<_> =
        answers.into_iter().filter_map(|(_, _, t)| t).collect();
    assert_eq!(tokens.len(), 40, "each token-less guest is a new voter");
    let ratings = app.get_json("/api/v1/articles/1/ratings").await;
    assert_eq!(
        (&ratings["total"], &ratings["count"]),
        (&json!(203), &json!(43))
    );
    assert_eq!(ratings["distribution"]["5"], 40);
}

#[actix_web::test]
async fn guest_voting_can_be_switched_off() {
    let app = spawn_admin_app_with(|s| s.guest_ratings = false).await;
    let (status, _, token) = vote(&app, None, json!(5)).await;
    assert_eq!((status, token), (401, None));
    let member = app.token_with_role("member").await;
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/articles/1/ratings",
        Some(&member),
        Some(json!({"stars": 5})),
    )
    .await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn bad_stars_and_unpublished_articles_change_nothing() {
    let app = spawn_app().await;
    for stars in [json!(0), json!(6), json!(2.5), json!("5")] {
        assert_eq!(vote(&app, None, stars.clone()).await.0, 422, "{stars}");
    }
    let now = chrono::Utc::now().naive_utc();
    let draft = app
        .insert_article("Bản nháp", ArticleStatus::Draft, now)
        .await;
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/articles/{draft}/ratings"),
        None,
        Some(json!({"stars": 5})),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(app.get_json("/api/v1/articles/1/ratings").await["count"], 3);
}

#[actix_web::test]
async fn a_flood_of_votes_from_one_client_is_a_429() {
    let app = spawn_app().await;
    for _ in 0..bulletin_api::limits::VOTES_PER_MINUTE {
        assert_eq!(vote(&app, None, json!(4)).await.0, 200);
    }
    let mut refused = app
        .request(Method::POST, "/api/v1/articles/1/ratings")
        .send_json(&json!({"stars": 4}))
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 429);
    let wait: u64 = header(&refused, "retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let _ = refused.body().await;
    let counted = app.get_json("/api/v1/articles/1/ratings").await["count"].clone();
    assert_eq!(counted, 3 + bulletin_api::limits::VOTES_PER_MINUTE);
}

#[actix_web::test]
async fn votes_committed_together_fail_alone() {
    let app = spawn_admin_app_with(|s| s.clients.rate_limit = false).await;
    let now = chrono::Utc::now().naive_utc();
    let draft = app
        .insert_article("Bản nháp", ArticleStatus::Draft, now)
        .await;
    // Votes on a public article and on a draft arrive together, so they
    // share commits: each refused one is rolled back alone.
    let votes = (0..40).map(|n| {
        let path = if n % 2 == 0 {
            "/api/v1/articles/1/ratings".to_owned()
        } else {
            format!("/api/v1/articles/{draft}/ratings")
        };
        let request = app.request(Method::POST, &path);
        async move {
            request
                .send_json(&json!({"stars": 4}))
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(votes).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 404).count(),
        20,
        "{statuses:?}"
    );
    let ratings = app.get_json("/api/v1/articles/1/ratings").await;
    assert_eq!(
        (&ratings["total"], &ratings["count"]),
        (&json!(83), &json!(23))
    );
    let draft_votes = app
        .database()
        .read(move |conn| {
            use bulletin_api::db::schema::ratings;
            use diesel::prelude::*;
            ratings::table
                .filter(ratings::article_id.eq(draft))
                .count()
                .get_result::<i64>(conn)
        })
        .await
        .unwrap();
    assert_eq!(draft_votes, 0);
}

/// The writer keeps a vote's statements and the view flush's prepared:
/// diesel prepares every `UPDATE` and upsert anew unless written out, which
/// took a fifth of the writer's time under a stream of votes.
#[actix_web::test]
async fn votes_and_view_flushes_keep_their_statements_prepared() {
    use bulletin_api::db::StoreError;
    use bulletin_api::ratings::Stars;
    use diesel::connection::{Connection, InstrumentationEvent};
    use std::sync::{Arc, Mutex};
    let app = spawn_app().await;
    let rounds = app
        .database()
        .write(move |conn| -> Result<Vec<(i32, i32)>, StoreError> {
            let events = Arc::new(Mutex::new((0, 0)));
            let seen = Arc::clone(&events);
            conn.set_instrumentation(move |event: InstrumentationEvent<'_>| match event {
                InstrumentationEvent::StartQuery { .. } => seen.lock().unwrap().0 += 1,
                InstrumentationEvent::CacheQuery { .. } => seen.lock().unwrap().1 += 1,
                _ => {}
            });
            let now = chrono::Utc::now().naive_utc();
            let mut rounds = Vec::new();
            for (voter, stars) in [("first-voter", 4), ("second-voter", 2)] {
                let stars = Stars::parse(stars).expect("1 to 5");
                bulletin_api::ratings::queries::vote(conn, 1, voter, stars, now)?;
                bulletin_api::articles::queries::add_views(conn, &[(1, 3)])?;
                rounds.push(std::mem::take(&mut *events.lock().unwrap()));
            }
            conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
            Ok(rounds)
        })
        .await
        .unwrap();
    let (run, cached): (Vec<i32>, Vec<i32>) = rounds.into_iter().unzip();
    assert_eq!(run[0], run[1], "the same statements each round: {run:?}");
    assert_eq!(cached, [run[0], 0], "each prepared once, then reused");
}
