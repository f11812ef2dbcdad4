//! Document attachments: typed from their bytes, stored once, downloaded by
//! range with the right headers.

use std::time::{Duration, Instant};

use awc::http::Method;
use serde_json::Value;
use sha2::{Digest, Sha256};

use bulletin_api::startup::{AttachmentPlace, attachment_place};

use crate::helpers::{
    TestApp, api_key, call, expect_problem, header, json_body, spawn_admin_app,
    spawn_admin_app_with,
};

pub(crate) const BOUNDARY: &str = "bulletin-test-boundary";

/// A multipart/form-data body with one file field.
pub(crate) fn form(field: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nghi chú\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub(crate) async fn upload(app: &TestApp, token: &str, body: Vec<u8>) -> (u16, Value) {
    let request = app
        .request(Method::POST, "/api/v1/documents/1/attachments")
        .insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ));
    let request = if token.starts_with("bak_") {
        request.insert_header(("X-Api-Key", token))
    } else {
        request.bearer_auth(token)
    };
    let mut response = request.send_body(body).await.unwrap();
    (response.status().as_u16(), json_body(&mut response).await)
}

fn pdf() -> Vec<u8> {
    pdf_of(4000)
}

/// A PDF of about `size` bytes.
pub(crate) fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..size).map(|i| (i % 251) as u8));
    bytes
}

/// How many contents the app keeps, wherever its settings keep them: files
/// on disk (a SQLite node), or rows of the database (PostgreSQL's default).
async fn stored_contents(app: &TestApp) -> usize {
    let settings = &app.settings;
    match attachment_place(settings.attachments.dir.as_deref(), &settings.database.url) {
        AttachmentPlace::Files(files) => files.contents().unwrap().count(),
        AttachmentPlace::Database => {
            let rows = app
                .database()
                .read(|conn| {
                    use bulletin_api::db::schema::attachment_contents;
                    use diesel::prelude::*;
                    attachment_contents::table.count().get_result::<i64>(conn)
                })
                .await
                .unwrap();
            usize::try_from(rows).unwrap()
        }
    }
}

#[actix_web::test]
async fn an_attachment_is_typed_from_its_bytes_and_downloaded_whole_or_by_range() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let bytes = pdf();
    let (status, attachment) =
        upload(&app, &editor, form("file", "Quyết định 5359.pdf", &bytes)).await;
    assert_eq!(status, 201, "{attachment}");
    assert_eq!(attachment["filename"], "Quyết định 5359.pdf");
    assert_eq!(attachment["content_type"], "application/pdf");
    assert_eq!(attachment["size"], bytes.len());
    assert_eq!(attachment["sha256"], hex::encode(Sha256::digest(&bytes)));
    let document = app.get_json("/api/v1/documents/1").await;
    assert_eq!(document["attachments"][0], attachment);

    let url = attachment["url"].as_str().unwrap();
    let mut whole = app.get(url).send().await.unwrap();
    assert_eq!(whole.status().as_u16(), 200);
    assert_eq!(
        header(&whole, "content-type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(header(&whole, "accept-ranges").as_deref(), Some("bytes"));
    let disposition = header(&whole, "content-disposition").unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%205359.pdf"),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename=\"Quyet dinh 5359.pdf\""),
        "{disposition}"
    );
    let etag = header(&whole, "etag").expect("an ETag");
    assert_eq!(whole.body().await.unwrap(), bytes);

    let mut part = app
        .get(url)
        .insert_header(("Range", "bytes=0-3"))
        .send()
        .await
        .unwrap();
    assert_eq!(part.status().as_u16(), 206);
    assert_eq!(
        header(&part, "content-range").as_deref(),
        Some(format!("bytes 0-3/{}", bytes.len()).as_str())
    );
    assert_eq!(part.body().await.unwrap(), &b"%PDF"[..]);
    let mut tail = app
        .get(url)
        .insert_header(("Range", "bytes=-5"))
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status().as_u16(), 206);
    assert_eq!(tail.body().await.unwrap(), &bytes[bytes.len() - 5..]);

    let unchanged = app
        .get(url)
        .insert_header(("If-None-Match", etag))
        .send()
        .await
        .unwrap();
    assert_eq!(unchanged.status().as_u16(), 304);
    let mut outside = app
        .get(url)
        .insert_header(("Range", "bytes=999999-"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status().as_u16(), 416);
    let _ = outside.body().await;
    let (status, _) = call(
        &app,
        Method::GET,
        "/api/v1/documents/2/attachments/1",
        None,
        None,
    )
    .await;
    assert_eq!(
        status, 404,
        "an attachment is reached through its own document"
    );
}

#[actix_web::test]
async fn the_same_bytes_are_stored_once_and_removed_with_their_last_attachment() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, first) = upload(&app, &editor, form("file", "a.pdf", &pdf())).await;
    let (_, second) = upload(&app, &editor, form("file", "bản sao.pdf", &pdf())).await;
    assert_eq!(first["sha256"], second["sha256"]);
    assert_eq!(stored_contents(&app).await, 1);

    let path = |attachment: &Value| attachment["url"].as_str().unwrap().to_owned();
    let reader = app.token_with_role("author").await;
    let (status, _) = call(&app, Method::DELETE, &path(&first), Some(&reader), None).await;
    assert_eq!(status, 403);
    let (status, _) = call(&app, Method::DELETE, &path(&first), Some(&editor), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        stored_contents(&app).await,
        1,
        "the other attachment still holds the bytes"
    );
    assert_eq!(
        call(&app, Method::GET, &path(&first), None, None).await.0,
        404
    );
    let (status, _) = call(&app, Method::DELETE, &path(&second), Some(&editor), None).await;
    assert_eq!(status, 204);
    assert_eq!(stored_contents(&app).await, 0);
}

#[actix_web::test]
async fn uploads_are_refused_by_role_type_size_and_shape() {
    let app = spawn_admin_app_with(|s| s.attachments.limit = 2048).await;
    let admin = app.admin_token().await;
    let read_key = api_key(&app, &admin, "read").await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let small_pdf = "%PDF-1.4\nnhỏ".as_bytes().to_vec();

    for token in [author.as_str(), read_key.as_str()] {
        assert_eq!(
            upload(&app, token, form("file", "a.pdf", &small_pdf))
                .await
                .0,
            403
        );
    }
    let (status, problem) = upload(
        &app,
        &editor,
        form("file", "hoa-don.pdf", b"MZ\x90\0\x03 an executable"),
    )
    .await;
    assert_eq!(status, 415, "{problem}");
    let (status, _) = upload(&app, &editor, form("file", "lớn.pdf", &pdf())).await;
    assert_eq!(status, 413);
    let (status, problem) = upload(&app, &editor, form("tep", "a.pdf", &small_pdf)).await;
    assert_eq!(
        (status, &problem["errors"][0]["field"]),
        (422, &Value::from("file"))
    );
    let mut guest = app
        .request(Method::POST, "/api/v1/documents/1/attachments")
        .insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .send_body(form("file", "a.pdf", &small_pdf))
        .await
        .unwrap();
    expect_problem(&mut guest, 401).await;
    let document = app.get_json("/api/v1/documents/1").await;
    assert_eq!(document["attachments"].as_array().unwrap().len(), 0);
    assert_eq!(
        stored_contents(&app).await,
        0,
        "nothing refused reaches the disk"
    );

    let (status, _) = upload(&app, &editor, form("file", "nhỏ.pdf", &small_pdf)).await;
    assert_eq!(status, 201);
}

#[actix_web::test]
async fn downloads_from_the_start_count_on_the_document() {
    let app =
        spawn_admin_app_with(|s| s.caching.view_flush_interval = Duration::from_millis(100)).await;
    let editor = app.token_with_role("editor").await;
    let (_, attachment) = upload(&app, &editor, form("file", "a.pdf", &pdf())).await;
    let url = attachment["url"].as_str().unwrap();
    for range in [None, Some("bytes=0-99"), Some("bytes=100-199")] {
        let mut request = app.get(url);
        if let Some(range) = range {
            request = request.insert_header(("Range", range));
        }
        let mut response = request.send().await.unwrap();
        let _ = response.body().await;
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, document) = call(
            &app,
            Method::GET,
            "/api/v1/documents/1",
            Some(&editor),
            None,
        )
        .await;
        if document["download_count"] == 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "downloads: {}",
            document["download_count"]
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn a_download_never_runs_as_a_page_and_a_stale_if_match_is_a_412() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (status, attachment) = upload(&app, &editor, form("file", "Kế hoạch.pdf", &pdf())).await;
    assert_eq!(status, 201, "{attachment}");
    let url = attachment["url"].as_str().unwrap().to_owned();
    let mut response = app.get(&url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        header(&response, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(
        header(&response, "content-security-policy")
            .unwrap()
            .starts_with("sandbox"),
        "opened in place, it runs nothing"
    );
    let _ = response.body().await;
    let mut stale = app
        .get(&url)
        .insert_header(("If-Match", "\"not-this-version\""))
        .send()
        .await
        .unwrap();
    expect_problem(&mut stale, 412).await;
}

#[actix_web::test]
async fn file_names_that_hide_what_they_are_are_refused_and_nothing_is_stored() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    for name in [
        ".",
        "..",
        "hồ sơ/..",
        "bao-cao\u{202E}fdp.exe",
        "a\u{2066}b.pdf",
    ] {
        let (status, problem) = upload(&app, &editor, form("file", name, &pdf())).await;
        assert_eq!(status, 422, "{name:?}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "file");
    }
    assert_eq!(stored_contents(&app).await, 0);
    let document = app.get_json("/api/v1/documents/1").await;
    assert_eq!(document["attachments"], serde_json::json!([]));
}
