//! Logging in, tokens, refresh rotation, logout, the idle timeout, throttling.

use awc::http::Method;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use diesel::prelude::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_EMAIL, JWT_SECRET, PASSWORD, TestApp, expect_problem, header, json_body, spawn_admin_app,
    spawn_admin_app_with,
};
use bulletin_api::db::StoreError;
use bulletin_api::db::schema::sessions;

async fn me(app: &TestApp, token: &str) -> (u16, Value) {
    let mut response = app
        .get("/api/v1/auth/me")
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, json_body(&mut response).await)
}

async fn refresh(app: &TestApp, refresh_token: &str) -> (u16, Value) {
    let mut response = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send_json(&json!({"refresh_token": refresh_token}))
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, json_body(&mut response).await)
}

async fn try_login(
    app: &TestApp,
    email: &str,
    password: &str,
) -> awc::ClientResponse<
    impl futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
> {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&json!({"email": email, "password": password}))
        .await
        .unwrap()
}

fn token(tokens: &Value, name: &str) -> String {
    tokens[name].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn login_gives_a_bearer_pair_that_reaches_me() {
    let app = spawn_admin_app().await;
    let response = try_login(&app, ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(
        header(&response, "cache-control").as_deref(),
        Some("no-store")
    );
    let tokens = app.login("Admin@SoNoiVu.gov.vn", PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert!(token(&tokens, "refresh_token").starts_with("brt_"));

    let (status, me) = me(&app, &token(&tokens, "access_token")).await;
    assert_eq!(status, 200);
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["role"], "admin");
    let idle =
        chrono::DateTime::parse_from_rfc3339(me["idle_expires_at"].as_str().unwrap()).unwrap();
    let in_thirty_minutes = Utc::now() + chrono::Duration::minutes(30);
    assert!(
        (idle.to_utc() - in_thirty_minutes).num_seconds().abs() < 10,
        "{idle}"
    );
}

#[actix_web::test]
async fn a_wrong_password_and_an_unknown_email_are_answered_alike() {
    let app = spawn_admin_app().await;
    let mut wrong_password = try_login(&app, ADMIN_EMAIL, "not the password at all").await;
    let mut no_account = try_login(&app, "nobody@sonoivu.gov.vn", PASSWORD).await;
    assert!(
        header(&wrong_password, "www-authenticate")
            .unwrap()
            .starts_with("Bearer")
    );
    let first = expect_problem(&mut wrong_password, 401).await;
    let second = expect_problem(&mut no_account, 401).await;
    assert_eq!(
        first, second,
        "the answer must not tell which emails have accounts"
    );
    assert_eq!(first["type"], "/problems/bad-credentials");
}

#[actix_web::test]
async fn requests_without_credentials_get_a_401_challenge() {
    let app = spawn_admin_app().await;
    let mut response = app.get("/api/v1/auth/me").send().await.unwrap();
    assert_eq!(
        header(&response, "www-authenticate").as_deref(),
        Some(r#"Bearer realm="bulletin-api""#)
    );
    let problem = expect_problem(&mut response, 401).await;
    assert_eq!(problem["type"], "/problems/unauthorized");
}

fn forge(claims: Value, key: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(key.as_bytes()),
    )
    .unwrap()
}

#[actix_web::test]
async fn tampered_expired_unsigned_and_foreign_tokens_are_refused() {
    let app = spawn_admin_app().await;
    let good = token(&app.login(ADMIN_EMAIL, PASSWORD).await, "access_token");
    let now = Utc::now().timestamp();
    let claims = |iat: i64, exp: i64, aud: &str| json!({"sub": "1", "sid": 1, "iat": iat, "exp": exp, "iss": "bulletin-api", "aud": aud});
    let [header_part, payload, signature]: [&str; 3] =
        good.split('.').collect::<Vec<_>>().try_into().unwrap();
    let mut tampered_claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    // Extend the expiry: the session stays valid, so only the signature can refuse it.
    tampered_claims["exp"] = (now + 86_400).into();
    let tampered = format!(
        "{header_part}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(tampered_claims.to_string())
    );
    let unsigned = format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
    );

    let refused = [
        (
            "expired",
            forge(claims(now - 3600, now - 1, "bulletin-api"), JWT_SECRET),
        ),
        (
            "signed with another key",
            forge(
                claims(now, now + 600, "bulletin-api"),
                "another-secret-another-secret-1234",
            ),
        ),
        (
            "for another audience",
            forge(claims(now, now + 600, "someone-else"), JWT_SECRET),
        ),
        ("tampered", tampered),
        ("unsigned (alg none)", unsigned),
        ("not a JWT", "garbage".to_owned()),
    ];
    for (what, token) in refused {
        let mut response = app
            .get("/api/v1/auth/me")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let challenge = header(&response, "www-authenticate").unwrap_or_default();
        assert!(
            challenge.contains(r#"error="invalid_token""#),
            "{what}: {challenge}"
        );
        let problem = expect_problem(&mut response, 401).await;
        let expected = match what {
            "expired" => "/problems/expired-token",
            _ => "/problems/invalid-token",
        };
        assert_eq!(
            problem["type"], expected,
            "{what}: a client refreshes only an expired one"
        );
    }
    // A token forged with the right key and a live session is, by design, accepted:
    // the check above is not vacuous.
    let forged = forge(claims(now, now + 600, "bulletin-api"), JWT_SECRET);
    assert_eq!(me(&app, &forged).await.0, 200);
}

#[actix_web::test]
async fn a_non_bearer_authorization_is_refused() {
    let app = spawn_admin_app().await;
    let mut response = app
        .get("/api/v1/auth/me")
        .insert_header(("Authorization", "Basic YWRtaW46cGFzcw=="))
        .send()
        .await
        .unwrap();
    expect_problem(&mut response, 401).await;
}

#[actix_web::test]
async fn refresh_rotates_and_a_token_reused_after_the_grace_ends_the_whole_session() {
    let app = spawn_admin_app_with(|s| {
        s.accounts.sessions.refresh_grace = std::time::Duration::from_secs(1)
    })
    .await;
    let first = app.login(ADMIN_EMAIL, PASSWORD).await;
    let (status, second) = refresh(&app, &token(&first, "refresh_token")).await;
    assert_eq!(status, 200);
    assert_ne!(
        token(&second, "refresh_token"),
        token(&first, "refresh_token")
    );
    assert_eq!(me(&app, &token(&second, "access_token")).await.0, 200);

    // The first refresh token is spent: presenting it again once the grace
    // is over is reuse.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, problem) = refresh(&app, &token(&first, "refresh_token")).await;
    assert_eq!(status, 401);
    assert!(problem["detail"].as_str().unwrap().contains("already used"));
    assert_eq!(problem["type"], "/problems/reused-refresh-token");
    // The whole family is revoked: the newest pair stops working too.
    assert_eq!(refresh(&app, &token(&second, "refresh_token")).await.0, 401);
    assert_eq!(me(&app, &token(&second, "access_token")).await.0, 401);
    // Other sessions of the account are untouched.
    let other = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(me(&app, &token(&other, "access_token")).await.0, 200);
}

#[actix_web::test]
async fn an_unknown_refresh_token_is_a_401() {
    let app = spawn_admin_app().await;
    let (status, problem) = refresh(&app, "brt_made-up").await;
    assert_eq!(
        (status, &problem["type"]),
        (401, &json!("/problems/invalid-token"))
    );
}

#[actix_web::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_admin_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    let access = token(&tokens, "access_token");
    let response = app
        .request(Method::POST, "/api/v1/auth/logout")
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let (status, problem) = me(&app, &access).await;
    assert_eq!(
        (status, &problem["type"]),
        (401, &json!("/problems/revoked-session")),
        "the access token stops before it expires"
    );
    let (status, problem) = refresh(&app, &token(&tokens, "refresh_token")).await;
    assert_eq!(
        (status, &problem["type"]),
        (401, &json!("/problems/revoked-session"))
    );
}

/// Moves every session's last use `minutes` into the past.
async fn idle_for(app: &TestApp, minutes: i64) {
    let then = Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
    app.database()
        .write(move |conn| {
            diesel::update(sessions::table)
                .set(sessions::last_used_at.eq(then))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
}

#[actix_web::test]
async fn a_session_idle_past_the_timeout_ends() {
    let app = spawn_admin_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    idle_for(&app, 31).await;
    let idle = json!("/problems/idle-session");
    let (status, problem) = me(&app, &token(&tokens, "access_token")).await;
    assert_eq!((status, &problem["type"]), (401, &idle));
    let (status, problem) = refresh(&app, &token(&tokens, "refresh_token")).await;
    assert_eq!((status, &problem["type"]), (401, &idle));
}

#[actix_web::test]
async fn refreshing_before_the_timeout_extends_the_session() {
    let app = spawn_admin_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    idle_for(&app, 25).await;
    let (_, before) = me(&app, &token(&tokens, "access_token")).await;
    let (status, renewed) = refresh(&app, &token(&tokens, "refresh_token")).await;
    assert_eq!(status, 200);
    let (_, after) = me(&app, &token(&renewed, "access_token")).await;
    let parse = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["idle_expires_at"].as_str().unwrap()).unwrap()
    };
    assert!(
        parse(&after) - parse(&before) > chrono::Duration::minutes(24),
        "{before} → {after}"
    );
}

#[actix_web::test]
async fn the_idle_timeout_is_a_setting() {
    let app = spawn_admin_app_with(|s| {
        s.accounts.sessions.idle_timeout = std::time::Duration::from_secs(60)
    })
    .await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    let (_, me_now) = me(&app, &token(&tokens, "access_token")).await;
    let idle =
        chrono::DateTime::parse_from_rfc3339(me_now["idle_expires_at"].as_str().unwrap()).unwrap();
    assert!((idle.to_utc() - Utc::now()).num_seconds() <= 60);
    idle_for(&app, 2).await;
    assert_eq!(me(&app, &token(&tokens, "access_token")).await.0, 401);
}

#[actix_web::test]
async fn repeated_failures_lock_the_account_with_retry_after_even_for_the_right_password() {
    let app = spawn_admin_app().await;
    for _ in 0..5 {
        assert_eq!(
            try_login(&app, ADMIN_EMAIL, "wrong password!")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    let mut locked = try_login(&app, ADMIN_EMAIL, PASSWORD).await;
    let retry_after: u64 = header(&locked, "retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    expect_problem(&mut locked, 429).await;
    // Other accounts are not locked: the address has six failures, under its limit.
    let other = try_login(&app, "nobody@sonoivu.gov.vn", PASSWORD).await;
    assert_eq!(other.status().as_u16(), 401);
}

#[actix_web::test]
async fn unknown_accounts_are_throttled_the_same_so_nothing_leaks() {
    let app = spawn_admin_app().await;
    for _ in 0..5 {
        try_login(&app, "nobody@sonoivu.gov.vn", "wrong password!").await;
    }
    let mut response = try_login(&app, "nobody@sonoivu.gov.vn", "wrong password!").await;
    assert!(header(&response, "retry-after").is_some());
    expect_problem(&mut response, 429).await;
}

#[actix_web::test]
async fn one_address_failing_on_many_accounts_is_locked_out() {
    let app = spawn_admin_app().await;
    for n in 0..20 {
        try_login(&app, &format!("guess{n}@sonoivu.gov.vn"), "wrong password!").await;
    }
    let mut response = try_login(&app, ADMIN_EMAIL, PASSWORD).await;
    expect_problem(&mut response, 429).await;
}

/// Sends `POST /api/v1/auth/login` from the loopback address `source` (any
/// of 127.0.0.0/8) to the app, and answers the status.
async fn login_from(app: &TestApp, source: [u8; 4], email: &str, password: &str) -> u16 {
    use std::io::{Read, Write};
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let body = json!({"email": email, "password": password}).to_string();
    actix_web::web::block(move || {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
        let from = std::net::SocketAddr::from((source, 0));
        socket.bind(&from.into())?;
        let to: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        socket.connect(&to.into())?;
        let mut stream: std::net::TcpStream = socket.into();
        write!(
            stream,
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok::<_, std::io::Error>(answer[9..12].parse::<u16>().unwrap())
    })
    .await
    .unwrap()
    .unwrap()
}

#[actix_web::test]
async fn ipv4_clients_of_a_dual_stack_server_are_throttled_each_on_their_own() {
    // On `[::]` every IPv4 client arrives as `::ffff:a.b.c.d`.
    let app = spawn_admin_app_with(|s| s.server.bind = "[::]:0".parse().unwrap()).await;
    let (flooder, neighbour) = ([127, 0, 0, 2], [127, 0, 0, 3]);
    for n in 0..20 {
        let guess = format!("guess{n}@sonoivu.gov.vn");
        assert_eq!(
            login_from(&app, flooder, &guess, "wrong password!").await,
            401
        );
    }
    assert_eq!(
        login_from(&app, flooder, ADMIN_EMAIL, PASSWORD).await,
        429,
        "the flooding address is locked out"
    );
    assert_eq!(
        login_from(&app, neighbour, ADMIN_EMAIL, PASSWORD).await,
        200,
        "another IPv4 client is not in the flooder's bucket"
    );
}

#[actix_web::test]
async fn refreshing_is_limited_per_client() {
    let app = spawn_admin_app().await;
    let limit = bulletin_api::limits::REFRESHES_PER_MINUTE;
    for _ in 0..limit {
        assert_eq!(refresh(&app, "brt_garbage").await.0, 401);
    }
    let mut refused = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .send_json(&json!({"refresh_token": "brt_garbage"}))
        .await
        .unwrap();
    expect_problem(&mut refused, 429).await;
    assert!(header(&refused, "retry-after").is_some());

    let unlimited = spawn_admin_app_with(|s| s.clients.rate_limit = false).await;
    for _ in 0..=limit {
        assert_eq!(refresh(&unlimited, "brt_garbage").await.0, 401);
    }
}

#[actix_web::test]
async fn with_rate_limits_off_logins_are_never_throttled() {
    let app = spawn_admin_app_with(|s| s.clients.rate_limit = false).await;
    for _ in 0..8 {
        assert_eq!(
            try_login(&app, ADMIN_EMAIL, "wrong password!")
                .await
                .status()
                .as_u16(),
            401
        );
    }
    assert_eq!(
        try_login(&app, ADMIN_EMAIL, PASSWORD)
            .await
            .status()
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn a_session_ends_at_its_lifetime_however_active() {
    let app = spawn_admin_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    let now = Utc::now().naive_utc();
    app.database()
        .write(move |conn| {
            diesel::update(sessions::table)
                .set(sessions::expires_at.eq(now))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .unwrap();
    assert_eq!(me(&app, &token(&tokens, "access_token")).await.0, 401);
    assert_eq!(refresh(&app, &token(&tokens, "refresh_token")).await.0, 401);
}

#[actix_web::test]
async fn with_the_grace_off_two_refreshes_racing_with_one_token_end_the_session() {
    let app =
        spawn_admin_app_with(|s| s.accounts.sessions.refresh_grace = std::time::Duration::ZERO)
            .await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    let presented = token(&tokens, "refresh_token");
    let (first, second) =
        futures_util::future::join(refresh(&app, &presented), refresh(&app, &presented)).await;
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [200, 401],
        "one exchange wins, the other is reuse"
    );
    let winner = if first.0 == 200 { first.1 } else { second.1 };
    assert_eq!(
        me(&app, &token(&winner, "access_token")).await.0,
        401,
        "reuse revoked the family"
    );
}

#[actix_web::test]
async fn parallel_guesses_cannot_slip_past_the_limit() {
    let app = spawn_admin_app().await;
    let guesses = (0..12).map(|n| {
        let password = format!("wrong guess number {n}");
        let app = &app;
        async move {
            try_login(app, ADMIN_EMAIL, &password)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 7), "{statuses:?}");
}

/// Two tabs refreshing with one token at the same moment: within the grace
/// both get the very same new pair, and the session goes on.
#[actix_web::test]
async fn two_tabs_refreshing_at_once_get_the_same_pair_and_stay_signed_in() {
    let app = spawn_admin_app().await;
    let tokens = app.login(ADMIN_EMAIL, PASSWORD).await;
    let presented = token(&tokens, "refresh_token");
    let (first, second) =
        futures_util::future::join(refresh(&app, &presented), refresh(&app, &presented)).await;
    assert_eq!((first.0, second.0), (200, 200), "{} {}", first.1, second.1);
    assert_eq!(
        token(&first.1, "refresh_token"),
        token(&second.1, "refresh_token")
    );
    assert_eq!(
        token(&first.1, "access_token"),
        token(&second.1, "access_token")
    );
    assert_ne!(token(&first.1, "refresh_token"), presented);
    assert_eq!(me(&app, &token(&second.1, "access_token")).await.0, 200);
    let (status, next) = refresh(&app, &token(&second.1, "refresh_token")).await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(me(&app, &token(&next, "access_token")).await.0, 200);
}

/// Login and refresh tell when the session idles out, and the server's
/// clock, so a client schedules its warning without another call.
#[actix_web::test]
async fn login_and_refresh_answer_when_the_session_idles_out() {
    let app = spawn_admin_app().await;
    let time = |tokens: &Value, name: &str| {
        chrono::DateTime::parse_from_rfc3339(tokens[name].as_str().unwrap()).unwrap()
    };
    let before = Utc::now();
    let login = app.login(ADMIN_EMAIL, PASSWORD).await;
    let (status, refreshed) = refresh(&app, &token(&login, "refresh_token")).await;
    assert_eq!(status, 200, "{refreshed}");
    for tokens in [&login, &refreshed] {
        let server_time = time(tokens, "server_time");
        assert!(
            server_time >= before - chrono::Duration::seconds(1),
            "{tokens}"
        );
        assert!(server_time <= Utc::now(), "{tokens}");
        assert_eq!(
            time(tokens, "idle_expires_at") - server_time,
            chrono::Duration::minutes(30),
            "BULLETIN_IDLE_TIMEOUT after the answer: {tokens}"
        );
        assert!(
            tokens["server_time"].as_str().unwrap().ends_with("+07:00"),
            "{tokens}"
        );
    }
    let (_, account) = me(&app, &token(&refreshed, "access_token")).await;
    assert_eq!(account["idle_expires_at"], refreshed["idle_expires_at"]);
}

/// A refresh by cookie: `cookie` as the browser would send it, `csrf` as the
/// page would; answers the status, the `Set-Cookie` and the body.
async fn refresh_by_cookie(
    app: &TestApp,
    cookie: Option<&str>,
    csrf: Option<&str>,
) -> (u16, Option<String>, Value) {
    let mut request = app.client.post(app.url("/api/v1/auth/refresh"));
    if let Some(cookie) = cookie {
        request = request.insert_header(("Cookie", format!("bulletin_refresh={cookie}")));
    }
    if let Some(csrf) = csrf {
        request = request.insert_header(("X-CSRF-Token", csrf));
    }
    let mut response = request.send_json(&json!({})).await.unwrap();
    let set_cookie = header(&response, "set-cookie");
    let status = response.status().as_u16();
    (status, set_cookie, json_body(&mut response).await)
}

/// The refresh token a `Set-Cookie` holds.
fn cookie_value(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().unwrap();
    pair.strip_prefix("bulletin_refresh=").unwrap().to_owned()
}

#[actix_web::test]
async fn a_browser_keeps_its_refresh_token_in_a_cookie_and_refreshes_with_its_csrf_token() {
    let app = spawn_admin_app().await;
    let mut response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD, "refresh_cookie": true}))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let set_cookie = header(&response, "set-cookie").expect("a refresh cookie");
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(set_cookie.contains(part), "{part} in {set_cookie}");
    }
    let tokens = json_body(&mut response).await;
    assert_eq!(
        tokens["refresh_token"],
        Value::Null,
        "not where script can read it"
    );
    let (cookie, csrf) = (cookie_value(&set_cookie), token(&tokens, "csrf_token"));

    // A forged refresh carries the cookie but cannot know the CSRF token.
    for forged in [None, Some("0123456789abcdef0123456789abcdef")] {
        let (status, set_cookie, problem) = refresh_by_cookie(&app, Some(&cookie), forged).await;
        assert_eq!((status, set_cookie), (403, None), "{problem}");
    }
    let (status, _, problem) = refresh_by_cookie(&app, None, Some(&csrf)).await;
    assert_eq!(status, 401, "{problem}");

    // The page's refresh rotates the cookie and its CSRF token.
    let (status, set_cookie, renewed) = refresh_by_cookie(&app, Some(&cookie), Some(&csrf)).await;
    assert_eq!(status, 200, "{renewed}");
    assert_eq!(renewed["refresh_token"], Value::Null);
    let next_cookie = cookie_value(&set_cookie.expect("the next refresh token"));
    assert_ne!(next_cookie, cookie);
    assert_ne!(token(&renewed, "csrf_token"), csrf);
    assert_eq!(me(&app, &token(&renewed, "access_token")).await.0, 200);
    let (status, ..) = refresh_by_cookie(&app, Some(&next_cookie), Some(&csrf)).await;
    assert_eq!(status, 403, "the CSRF token goes with one refresh token");

    let mut logged_out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(token(&renewed, "access_token"))
        .send()
        .await
        .unwrap();
    assert_eq!(logged_out.status(), 204);
    let _ = logged_out.body().await;
    let cleared = header(&logged_out, "set-cookie").expect("the cookie removed");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}
