//! Accounts, API keys and the audit log: who may do what, and what is recorded.

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_EMAIL, PASSWORD, call, expect_problem, header, json_body, spawn_admin_app,
    spawn_admin_app_with,
};

fn new_user(email: &str, role: &str) -> Value {
    json!({"email": email, "password": PASSWORD, "role": role, "display_name": "Người dùng"})
}

/// Every admin-only operation, with a body where it takes one.
fn admin_operations(user_id: i64, key_id: i64) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/users".into(), None),
        (
            Method::POST,
            "/api/v1/users".into(),
            Some(new_user("moi@sonoivu.gov.vn", "author")),
        ),
        (Method::GET, format!("/api/v1/users/{user_id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/users/{user_id}"),
            Some(json!({"display_name": "Tên mới"})),
        ),
        (Method::DELETE, format!("/api/v1/users/{user_id}"), None),
        (Method::GET, "/api/v1/api-keys".into(), None),
        (
            Method::POST,
            "/api/v1/api-keys".into(),
            Some(json!({"name": "khóa", "scope": "write"})),
        ),
        (Method::DELETE, format!("/api/v1/api-keys/{key_id}"), None),
        (Method::GET, "/api/v1/audit".into(), None),
    ]
}

#[actix_web::test]
async fn each_role_against_each_admin_operation() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (_, key) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "k", "scope": "write"})),
    )
    .await;
    let write_key = key["key"].as_str().unwrap().to_owned();

    let mut callers: Vec<(String, Option<String>, u16)> = vec![("guest".into(), None, 401)];
    for role in ["member", "author", "editor"] {
        callers.push((role.into(), Some(app.token_with_role(role).await), 403));
    }
    callers.push(("write API key".into(), Some(write_key), 403));
    for (who, credentials, expected) in &callers {
        let (target, _) = app.create_user(&admin, "member").await;
        for (method, path, body) in admin_operations(target, key["id"].as_i64().unwrap()) {
            let (status, problem) =
                call(&app, method.clone(), &path, credentials.as_deref(), body).await;
            assert_eq!(status, *expected, "{who}: {method} {path} → {problem}");
        }
    }

    // The admin may do all of it (the last two on fresh targets).
    let (target, _) = app.create_user(&admin, "member").await;
    let (_, key) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "k2", "scope": "read"})),
    )
    .await;
    for (method, path, body) in admin_operations(target, key["id"].as_i64().unwrap()) {
        let (status, problem) = call(&app, method.clone(), &path, Some(&admin), body).await;
        assert!(
            (200..300).contains(&status),
            "admin: {method} {path} → {status} {problem}"
        );
    }
}

#[actix_web::test]
async fn an_admin_creates_reads_changes_and_deletes_an_account() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let mut created = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .send_json(&new_user("BienTap@SoNoiVu.gov.vn", "editor"))
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let location = header(&created, "location").unwrap();
    let etag = header(&created, "etag").unwrap();
    let user = json_body(&mut created).await;
    assert_eq!(user["email"], "bientap@sonoivu.gov.vn");
    assert_eq!(user["role"], "editor");
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    assert_eq!(location, format!("/api/v1/users/{}", user["id"]));

    let read = app.get(&location).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(header(&read, "etag").as_deref(), Some(etag.as_str()));
    let not_modified = app
        .get(&location)
        .bearer_auth(&admin)
        .insert_header(("If-None-Match", etag.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status().as_u16(), 304);

    let mut changed = app
        .request(Method::PATCH, &location)
        .bearer_auth(&admin)
        .insert_header(("If-Match", etag.as_str()))
        .send_json(&json!({"role": "author", "display_name": "Lan"}))
        .await
        .unwrap();
    assert_eq!(changed.status().as_u16(), 200);
    assert_ne!(header(&changed, "etag").unwrap(), etag);
    let changed = json_body(&mut changed).await;
    assert_eq!(
        (changed["role"].as_str(), changed["version"].as_i64()),
        (Some("author"), Some(2))
    );

    let (status, _) = call(&app, Method::DELETE, &location, Some(&admin), None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&app, Method::GET, &location, Some(&admin), None).await;
    assert_eq!(status, 404);
}

#[actix_web::test]
async fn a_stale_if_match_is_a_412_and_changes_nothing() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (id, _) = app.create_user(&admin, "author").await;
    let path = format!("/api/v1/users/{id}");
    let stale = header(
        &app.get(&path).bearer_auth(&admin).send().await.unwrap(),
        "etag",
    )
    .unwrap();
    call(
        &app,
        Method::PATCH,
        &path,
        Some(&admin),
        Some(json!({"display_name": "Đổi lần một"})),
    )
    .await;

    for method in [Method::PATCH, Method::DELETE] {
        let mut response = app
            .request(method.clone(), &path)
            .bearer_auth(&admin)
            .insert_header(("If-Match", stale.as_str()))
            .send_json(&json!({"display_name": "Đổi lần hai"}))
            .await
            .unwrap();
        expect_problem(&mut response, 412).await;
    }
    let (_, user) = call(&app, Method::GET, &path, Some(&admin), None).await;
    assert_eq!(user["display_name"], "Đổi lần một");
}

#[actix_web::test]
async fn emails_are_unique_whatever_their_case() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/users",
        Some(&admin),
        Some(new_user("ADMIN@sonoivu.gov.vn", "author")),
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "/problems/conflict");
}

#[actix_web::test]
async fn invalid_fields_are_a_422_naming_each_one_and_create_nothing() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let body = json!({"email": "not-an-email", "password": "short", "role": "author", "display_name": " "});
    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/users",
        Some(&admin),
        Some(body),
    )
    .await;
    assert_eq!(status, 422);
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort();
    assert_eq!(fields, ["display_name", "email", "password"]);

    let (status, problem) = call(
        &app,
        Method::POST,
        "/api/v1/users",
        Some(&admin),
        Some(new_user("a@b.vn", "root")),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("role"))
    );
    let (status, problem) = call(
        &app,
        Method::PATCH,
        "/api/v1/users/1",
        Some(&admin),
        Some(json!({"nickname": "x"})),
    )
    .await;
    assert_eq!(status, 422, "unknown fields are refused: {problem}");

    let (_, list) = call(&app, Method::GET, "/api/v1/users", Some(&admin), None).await;
    assert_eq!(list["total"], 1, "only the admin exists");
}

#[actix_web::test]
async fn the_only_admin_can_be_neither_demoted_nor_deleted() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (status, _) = call(
        &app,
        Method::PATCH,
        "/api/v1/users/1",
        Some(&admin),
        Some(json!({"role": "editor"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call(&app, Method::DELETE, "/api/v1/users/1", Some(&admin), None).await;
    assert_eq!(status, 409);
    // With a second admin, the first may step down.
    let (second, _) = app.create_user(&admin, "admin").await;
    assert!(second > 1);
    let (status, _) = call(
        &app,
        Method::PATCH,
        "/api/v1/users/1",
        Some(&admin),
        Some(json!({"role": "editor"})),
    )
    .await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (id, email) = app.create_user(&admin, "admin").await;
    let their_token = app.login(&email, PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        call(&app, Method::GET, "/api/v1/users", Some(&their_token), None)
            .await
            .0,
        200
    );
    call(
        &app,
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        Some(json!({"role": "member"})),
    )
    .await;
    assert_eq!(
        call(&app, Method::GET, "/api/v1/users", Some(&their_token), None)
            .await
            .0,
        403
    );
}

#[actix_web::test]
async fn a_new_password_or_a_deletion_ends_the_accounts_sessions() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    for change in ["password", "delete"] {
        let (id, email) = app.create_user(&admin, "author").await;
        let token = app.login(&email, PASSWORD).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            call(&app, Method::GET, "/api/v1/auth/me", Some(&token), None)
                .await
                .0,
            200
        );
        let path = format!("/api/v1/users/{id}");
        if change == "password" {
            call(
                &app,
                Method::PATCH,
                &path,
                Some(&admin),
                Some(json!({"password": "một mật khẩu mới"})),
            )
            .await;
            app.login(&email, "một mật khẩu mới").await;
        } else {
            call(&app, Method::DELETE, &path, Some(&admin), None).await;
        }
        assert_eq!(
            call(&app, Method::GET, "/api/v1/auth/me", Some(&token), None)
                .await
                .0,
            401,
            "{change}"
        );
    }
}

#[actix_web::test]
async fn readers_register_only_when_the_portal_allows_it() {
    let closed = spawn_admin_app().await;
    let body =
        json!({"email": "bandoc@example.vn", "password": PASSWORD, "display_name": "Bạn đọc"});
    let (status, _) = call(
        &closed,
        Method::POST,
        "/api/v1/users/register",
        None,
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 403);

    let open = spawn_admin_app_with(|s| s.accounts.registration = true).await;
    let (status, user) = call(
        &open,
        Method::POST,
        "/api/v1/users/register",
        None,
        Some(body.clone()),
    )
    .await;
    assert_eq!((status, user["role"].as_str()), (201, Some("member")));
    let (status, _) = call(
        &open,
        Method::POST,
        "/api/v1/users/register",
        None,
        Some(body),
    )
    .await;
    assert_eq!(status, 409);
    let sneaky = json!({"email": "x@example.vn", "password": PASSWORD, "display_name": "X", "role": "admin"});
    let (status, _) = call(
        &open,
        Method::POST,
        "/api/v1/users/register",
        None,
        Some(sneaky),
    )
    .await;
    assert_eq!(status, 422, "a reader cannot pick a role");
}

#[actix_web::test]
async fn an_api_key_is_shown_once_and_works_until_revoked() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (status, created) = call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "Cổng tỉnh", "scope": "read"})),
    )
    .await;
    assert_eq!(status, 201);
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with(created["prefix"].as_str().unwrap()));

    let (_, list) = call(&app, Method::GET, "/api/v1/api-keys", Some(&admin), None).await;
    assert_eq!(list["items"][0]["name"], "Cổng tỉnh");
    assert!(
        !list.to_string().contains(&key),
        "the secret is never listed"
    );

    // A key reaches the API, but not what only admins (people) may do.
    assert_eq!(
        call(&app, Method::GET, "/api/v1/articles", Some(&key), None)
            .await
            .0,
        200
    );
    let (status, problem) = call(&app, Method::GET, "/api/v1/users", Some(&key), None).await;
    assert_eq!(status, 403, "{problem}");
    assert_eq!(
        call(&app, Method::GET, "/api/v1/auth/me", Some(&key), None)
            .await
            .0,
        403
    );

    let path = format!("/api/v1/api-keys/{}", created["id"]);
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&admin), None)
            .await
            .0,
        204
    );
    assert_eq!(
        call(&app, Method::GET, "/api/v1/users", Some(&key), None)
            .await
            .0,
        401
    );
    assert_eq!(
        call(&app, Method::DELETE, &path, Some(&admin), None)
            .await
            .0,
        404
    );
    assert_eq!(
        call(
            &app,
            Method::GET,
            "/api/v1/users",
            Some("bak_made-up"),
            None
        )
        .await
        .0,
        401
    );
}

#[actix_web::test]
async fn staff_writes_are_audited_with_actor_target_and_request_id() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let created = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .insert_header(("X-Request-Id", "portal-req-7"))
        .send_json(&new_user("tacgia@sonoivu.gov.vn", "author"))
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let (id, _) = app.create_user(&admin, "editor").await;
    call(
        &app,
        Method::PATCH,
        &format!("/api/v1/users/{id}"),
        Some(&admin),
        Some(json!({"role": "author"})),
    )
    .await;
    call(
        &app,
        Method::POST,
        "/api/v1/api-keys",
        Some(&admin),
        Some(json!({"name": "k", "scope": "read"})),
    )
    .await;
    // Refused writes leave no trace: invalid (422), last admin (409), stale (412).
    call(
        &app,
        Method::POST,
        "/api/v1/users",
        Some(&admin),
        Some(new_user("bad", "author")),
    )
    .await;
    let (status, _) = call(&app, Method::DELETE, "/api/v1/users/1", Some(&admin), None).await;
    assert_eq!(status, 409);
    let stale = app
        .request(Method::DELETE, &format!("/api/v1/users/{id}"))
        .bearer_auth(&admin)
        .insert_header(("If-Match", "\"user-0-v0\""))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 412);

    let (_, log) = call(&app, Method::GET, "/api/v1/audit", Some(&admin), None).await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "api_key.create",
            "user.update",
            "user.create",
            "user.create",
            "user.create"
        ]
    );
    let bootstrap = &log["items"][4];
    assert_eq!(
        bootstrap["actor"]["kind"], "system",
        "the first admin came from the environment"
    );
    assert_eq!(bootstrap["actor"]["label"], "BULLETIN_ADMIN_EMAIL");
    let first = &log["items"][3];
    assert_eq!(first["actor"]["label"], ADMIN_EMAIL);
    assert_eq!(first["actor"]["kind"], "user");
    assert_eq!(first["target"]["type"], "user");
    assert_eq!(first["request_id"], "portal-req-7");
    assert_eq!(
        log["items"][1]["details"]["role"],
        json!({"from": "editor", "to": "author"})
    );

    let by_staff = "/api/v1/audit?action=user.create&actor_kind=user&limit=1";
    let (_, filtered) = call(&app, Method::GET, by_staff, Some(&admin), None).await;
    assert_eq!(
        filtered["total"], 2,
        "the bootstrap admin was created by the system"
    );
    let cursor = filtered["next_cursor"].as_str().unwrap();
    let path = format!("{by_staff}&cursor={cursor}");
    let (_, next) = call(&app, Method::GET, &path, Some(&admin), None).await;
    assert_eq!(next["items"][0]["request_id"], "portal-req-7");
    assert!(next["next_cursor"].is_null());
}

#[actix_web::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_admin_app().await;
    let first = app.admin_token().await;
    let (second_id, second_email) = app.create_user(&first, "admin").await;
    let second = app.login(&second_email, PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let demote = |token: String, id: i64| {
        let app = &app;
        async move {
            let path = format!("/api/v1/users/{id}");
            call(
                app,
                Method::PATCH,
                &path,
                Some(&token),
                Some(json!({"role": "editor"})),
            )
            .await
            .0
        }
    };
    let (a, b) = futures_util::future::join(demote(first, second_id), demote(second, 1)).await;
    let mut statuses = [a, b];
    statuses.sort();
    // The loser is refused either in the write (409, no admin would be left) or,
    // when it comes second, already at the door (403, it is no longer an admin).
    assert_eq!(statuses[0], 200);
    assert!(statuses[1] == 403 || statuses[1] == 409, "{statuses:?}");
    let admins = app
        .database()
        .read(|conn| {
            use bulletin_api::db::schema::users;
            use diesel::prelude::*;
            users::table
                .filter(users::role.eq("admin"))
                .count()
                .get_result::<i64>(conn)
        })
        .await
        .unwrap();
    assert_eq!(admins, 1);
}

#[actix_web::test]
async fn an_empty_change_answers_the_account_as_it_stands_and_bumps_nothing() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (id, _) = app.create_user(&admin, "author").await;
    let path = format!("/api/v1/users/{id}");
    for nothing in [json!({}), json!({"email": null, "role": null})] {
        let (status, answer) = call(&app, Method::PATCH, &path, Some(&admin), Some(nothing)).await;
        assert_eq!((status, &answer["version"]), (200, &json!(1)), "{answer}");
    }
    let (_, user) = call(&app, Method::GET, &path, Some(&admin), None).await;
    assert_eq!(user["version"], 1);
}

#[actix_web::test]
async fn each_content_coding_has_its_tag_and_if_match_takes_any_of_them() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (id, _) = app.create_user(&admin, "author").await;
    let path = format!("/api/v1/users/{id}");
    let gzip = app
        .get(&path)
        .bearer_auth(&admin)
        .insert_header(("Accept-Encoding", "gzip"))
        .send()
        .await
        .unwrap();
    let plain = app.get(&path).bearer_auth(&admin).send().await.unwrap();
    let (gzip_tag, plain_tag) = (
        header(&gzip, "etag").unwrap(),
        header(&plain, "etag").unwrap(),
    );
    assert_eq!(
        gzip_tag,
        format!("{}-gzip\"", plain_tag.trim_end_matches('"'))
    );

    let revalidated = app
        .get(&path)
        .bearer_auth(&admin)
        .insert_header(("If-None-Match", gzip_tag.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        revalidated.status().as_u16(),
        304,
        "the same version, read another way"
    );
    let changed = app
        .request(Method::PATCH, &path)
        .bearer_auth(&admin)
        .insert_header(("If-Match", gzip_tag.as_str()))
        .send_json(&json!({"display_name": "Đã đổi"}))
        .await
        .unwrap();
    assert_eq!(changed.status().as_u16(), 200);
}

#[actix_web::test]
async fn registrations_from_one_address_are_throttled() {
    let app = spawn_admin_app_with(|s| s.accounts.registration = true).await;
    let mut statuses = Vec::new();
    for n in 0..21 {
        let body = json!({"email": format!("reader{n}@example.vn"), "password": PASSWORD, "display_name": "Bạn đọc"});
        statuses.push(
            call(
                &app,
                Method::POST,
                "/api/v1/users/register",
                None,
                Some(body),
            )
            .await
            .0,
        );
    }
    assert!(statuses[..20].iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(statuses[20], 429);
}

#[actix_web::test]
async fn staff_are_found_by_part_of_their_email_or_name_whatever_its_case() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let (_, email) = app.create_user(&admin, "editor").await;
    for q in ["EDITOR", "T%C3%A0i+kho%E1%BA%A3n+Editor", "SONOIVU.GOV"] {
        let (status, page) = call(
            &app,
            Method::GET,
            &format!("/api/v1/users?q={q}"),
            Some(&admin),
            None,
        )
        .await;
        assert_eq!(status, 200, "{page}");
        let emails: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        assert!(emails.contains(&email.as_str()), "{q}: {emails:?}");
    }
    let (_, none) = call(&app, Method::GET, "/api/v1/users?q=%25", Some(&admin), None).await;
    assert_eq!(
        none["items"],
        serde_json::json!([]),
        "`%` is a letter, not a wildcard"
    );
}
