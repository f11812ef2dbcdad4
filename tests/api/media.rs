//! The media library: images kept encoded again (no EXIF, no GPS), turned
//! upright, with narrower variants in their own type and in WebP, served as
//! bytes that never change; uploads that cannot be taken are refused whole
//! and leave nothing stored.

use std::io::Cursor;

use awc::ClientRequest;
use awc::http::Method;
use chrono::Utc;
use diesel::prelude::*;
use image::{DynamicImage, ImageDecoder, ImageFormat, RgbImage};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use bulletin_api::db::StoreError;
use bulletin_api::db::schema::articles;
use bulletin_api::startup::{AttachmentPlace, attachment_place};

use crate::helpers::{
    TestApp, api_key, call, expect_problem, header, json_body, spawn_admin_app,
    spawn_admin_app_with,
};

const BOUNDARY: &str = "bulletin-media-boundary";

/// One part of a multipart form.
enum Part<'a> {
    File {
        name: &'a str,
        filename: &'a str,
        bytes: &'a [u8],
    },
    Text {
        name: &'a str,
        value: &'a str,
    },
}

/// A multipart/form-data body of `parts`, in order.
fn form(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::File {
                name,
                filename,
                bytes,
            } => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
            Part::Text { name, value } => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
                        .as_bytes(),
                );
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A form with nothing but `bytes` in `file`.
fn image_form(bytes: &[u8]) -> Vec<u8> {
    form(&[Part::File {
        name: "file",
        filename: "anh.png",
        bytes,
    }])
}

/// `POST /media` as `credentials` (a token, or a `bak_` key), for a form.
fn post(app: &TestApp, credentials: Option<&str>) -> ClientRequest {
    let request = app.request(Method::POST, "/api/v1/media").insert_header((
        "Content-Type",
        format!("multipart/form-data; boundary={BOUNDARY}"),
    ));
    match credentials {
        Some(key) if key.starts_with("bak_") => request.insert_header(("X-Api-Key", key)),
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}

/// An upload's status, body and `Location`.
async fn upload(
    app: &TestApp,
    credentials: Option<&str>,
    body: Vec<u8>,
) -> (u16, Value, Option<String>) {
    let mut response = post(app, credentials).send_body(body).await.unwrap();
    let location = header(&response, "location");
    (
        response.status().as_u16(),
        json_body(&mut response).await,
        location,
    )
}

/// An upload refused with `status`, as problem+json; answers the problem.
async fn refused(app: &TestApp, token: &str, body: Vec<u8>, status: u16) -> Value {
    let mut response = post(app, Some(token)).send_body(body).await.unwrap();
    expect_problem(&mut response, status).await
}

/// The bytes at `url` and the headers they are served with.
struct Served {
    status: u16,
    content_type: Option<String>,
    etag: Option<String>,
    cache_control: Option<String>,
    nosniff: Option<String>,
    body: Vec<u8>,
}

async fn fetch(app: &TestApp, url: &str, if_none_match: Option<&str>) -> Served {
    let mut request = app.get(url);
    if let Some(etag) = if_none_match {
        request = request.insert_header(("If-None-Match", etag));
    }
    let mut response = request.send().await.unwrap();
    let body = response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .unwrap()
        .to_vec();
    Served {
        status: response.status().as_u16(),
        content_type: header(&response, "content-type"),
        etag: header(&response, "etag"),
        cache_control: header(&response, "cache-control"),
        nosniff: header(&response, "x-content-type-options"),
        body,
    }
}

/// A `width` × `height` picture with some detail in it.
fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
    }))
}

fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(&picture(width, height), ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(&picture(width, height), ImageFormat::Jpeg)
}

/// An image's variants as (width, height, content type).
fn variants(image: &Value) -> Vec<(i64, i64, String)> {
    image["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variant| {
            (
                variant["width"].as_i64().unwrap(),
                variant["height"].as_i64().unwrap(),
                variant["content_type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn variant(width: i64, height: i64, content_type: &str) -> (i64, i64, String) {
    (width, height, content_type.to_owned())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// How many contents the store keeps, wherever the settings keep them:
/// files on disk (a SQLite node), or rows of the database (PostgreSQL's
/// default). Images share the attachments' store.
async fn stored_contents(app: &TestApp) -> usize {
    let settings = &app.settings;
    match attachment_place(settings.attachments.dir.as_deref(), &settings.database.url) {
        AttachmentPlace::Files(files) => files.contents().unwrap().count(),
        AttachmentPlace::Database => {
            let rows = app
                .database()
                .read(|conn| {
                    use bulletin_api::db::schema::attachment_contents;
                    attachment_contents::table.count().get_result::<i64>(conn)
                })
                .await
                .unwrap();
            usize::try_from(rows).unwrap()
        }
    }
}

/// Sets (or clears) an article's cover straight in the database.
async fn set_cover(app: &TestApp, article: i32, image: Option<i32>) {
    app.database()
        .write(move |conn| {
            diesel::update(articles::table.find(article))
                .set(articles::cover_media_id.eq(image))
                .execute(conn)
                .map_err(StoreError::from)
        })
        .await
        .expect("the cover is set");
}

fn id_of(image: &Value) -> i32 {
    i32::try_from(image["id"].as_i64().unwrap()).unwrap()
}

#[actix_web::test]
async fn an_uploaded_png_gets_narrower_variants_in_png_and_webp_each_served() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let body = form(&[
        Part::Text {
            name: "alt",
            value: " Đại biểu dự hội nghị ",
        },
        Part::File {
            name: "file",
            filename: "hội nghị.png",
            bytes: &png(700, 350),
        },
        Part::Text {
            name: "caption",
            value: "Toàn cảnh hội nghị\r\nsáng 5/3",
        },
        Part::Text {
            name: "credit",
            value: "Ảnh: Văn phòng Sở",
        },
    ]);
    let (status, uploaded, location) = upload(&app, Some(&editor), body).await;
    assert_eq!(status, 201, "{uploaded}");
    let id = id_of(&uploaded);
    assert_eq!(location, Some(format!("/api/v1/media/{id}")));
    let url = uploaded["url"].as_str().unwrap();
    assert!(
        url.starts_with("/api/v1/media/files/")
            && url.ends_with(".png")
            && url.len() == 20 + 64 + 4,
        "named by its digest: {url}"
    );
    assert_eq!(uploaded["content_type"], "image/png");
    assert_eq!(
        (&uploaded["width"], &uploaded["height"]),
        (&json!(700), &json!(350))
    );
    assert_eq!(uploaded["alt"], "Đại biểu dự hội nghị");
    assert_eq!(uploaded["caption"], "Toàn cảnh hội nghị\nsáng 5/3");
    assert_eq!(uploaded["credit"], "Ảnh: Văn phòng Sở");
    assert_eq!(uploaded["version"], 1);
    assert_eq!(
        variants(&uploaded),
        [
            variant(320, 160, "image/png"),
            variant(320, 160, "image/webp"),
            variant(640, 320, "image/png"),
            variant(640, 320, "image/webp"),
        ]
    );
    for listed in uploaded["variants"].as_array().unwrap() {
        let url = listed["url"].as_str().unwrap();
        let served = fetch(&app, url, None).await;
        assert_eq!(served.status, 200, "{url}");
        assert_eq!(
            served.content_type.as_deref(),
            listed["content_type"].as_str()
        );
        assert_eq!(
            i64::try_from(served.body.len()).unwrap(),
            listed["byte_size"].as_i64().unwrap()
        );
        let decoded = image::load_from_memory(&served.body).unwrap();
        assert_eq!(
            (i64::from(decoded.width()), i64::from(decoded.height())),
            (
                listed["width"].as_i64().unwrap(),
                listed["height"].as_i64().unwrap()
            ),
            "{url}"
        );
    }

    let path = format!("/api/v1/media/{id}");
    let (status, read) = call(&app, Method::GET, &path, Some(&editor), None).await;
    assert_eq!((status, &read), (200, &uploaded));
    let (_, listed) = call(&app, Method::GET, "/api/v1/media", Some(&editor), None).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0], uploaded);
    let stem = url.trim_end_matches(".png");
    for missing in [
        format!("{stem}.webp"),
        format!("{stem}.gif"),
        format!("{stem}.jpg"),
        format!("/api/v1/media/files/{}.png", "0".repeat(64)),
    ] {
        let mut response = app.get(&missing).send().await.unwrap();
        expect_problem(&mut response, 404).await;
    }
}

#[actix_web::test]
async fn an_image_is_served_encoded_again_as_bytes_that_never_change_and_304() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let sent = jpeg(400, 300);
    let (status, uploaded, _) = upload(&app, Some(&author), image_form(&sent)).await;
    assert_eq!(status, 201, "{uploaded}");
    assert_eq!(uploaded["content_type"], "image/jpeg");
    assert_eq!(
        variants(&uploaded),
        [
            variant(320, 240, "image/jpeg"),
            variant(320, 240, "image/webp")
        ]
    );

    let url = uploaded["url"].as_str().unwrap();
    let served = fetch(&app, url, None).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(
        served.cache_control.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(served.nosniff.as_deref(), Some("nosniff"));
    let digest = hex::encode(Sha256::digest(&served.body));
    assert_eq!(served.etag, Some(format!("\"{digest}\"")));
    assert_ne!(
        served.body, sent,
        "what is kept is encoded again, never what was sent"
    );
    assert_eq!(
        i64::try_from(served.body.len()).unwrap(),
        uploaded["byte_size"].as_i64().unwrap()
    );
    let decoded = image::load_from_memory(&served.body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 300));

    let again = fetch(&app, url, served.etag.as_deref()).await;
    assert_eq!(again.status, 304);
    assert_eq!(again.etag, served.etag);
    assert_eq!(again.cache_control, served.cache_control);
    assert!(again.body.is_empty());
    let other = fetch(&app, url, Some("\"not-these-bytes\"")).await;
    assert_eq!(other.status, 200);

    let webp = uploaded["variants"][1]["url"].as_str().unwrap();
    let served = fetch(&app, webp, None).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.content_type.as_deref(), Some("image/webp"));
    assert_eq!(
        served.cache_control.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(fetch(&app, webp, served.etag.as_deref()).await.status, 304);
}

#[actix_web::test]
async fn a_small_image_is_never_scaled_up_and_lists_are_newest_first() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let mut ids = Vec::new();
    for width in [200, 320, 120] {
        let (status, uploaded, _) = upload(&app, Some(&editor), image_form(&png(width, 100))).await;
        assert_eq!(status, 201, "{uploaded}");
        assert_eq!(uploaded["width"], width);
        assert_eq!(
            uploaded["variants"],
            json!([]),
            "nothing at or above {width}"
        );
        ids.push(id_of(&uploaded));
    }

    let (_, first) = call(
        &app,
        Method::GET,
        "/api/v1/media?limit=2",
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(first["total"], 3);
    let listed: Vec<i32> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(listed, [ids[2], ids[1]]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let next = format!("/api/v1/media?limit=2&cursor={cursor}");
    let (_, rest) = call(&app, Method::GET, &next, Some(&editor), None).await;
    let listed: Vec<i32> = rest["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(listed, [ids[0]]);
    assert_eq!(rest["next_cursor"], Value::Null);
}

/// Where a phone says which way is up, and where the photo was taken.
const GPS_MARKER: &[u8] = b"WGS-84 Quy Nhon 13.77N";

/// A JPEG of 4 × 2 pixels as a phone writes one: an EXIF block right after
/// the start of the image, saying to turn it a quarter clockwise to show it
/// (orientation 6), and where it was taken (a GPS block with a latitude and
/// `GPS_MARKER` as its datum).
fn phone_photo() -> Vec<u8> {
    let plain = jpeg(4, 2);
    let exif = exif_block();
    let mut photo = plain[..2].to_vec();
    photo.extend_from_slice(&[0xFF, 0xE1]);
    photo.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    photo.extend_from_slice(&exif);
    photo.extend_from_slice(&plain[2..]);
    photo
}

/// `Exif\0\0`, then a little-endian TIFF structure: IFD0 with the
/// orientation and a pointer to the GPS IFD, which holds its version, a
/// latitude and a map datum.
fn exif_block() -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let gps_at: u32 = 8 + 2 + 2 * 12 + 4;
    push_ifd(&mut tiff, &[(0x0112, 3, 1, 6), (0x8825, 4, 1, gps_at)]);
    let latitude_at = gps_at + 2 + 3 * 12 + 4;
    let datum_at = latitude_at + 3 * 8;
    let datum_length = u32::try_from(GPS_MARKER.len()).unwrap() + 1;
    push_ifd(
        &mut tiff,
        &[
            (0x0000, 1, 4, u32::from_le_bytes([2, 3, 0, 0])),
            (0x0002, 5, 3, latitude_at),
            (0x0012, 2, datum_length, datum_at),
        ],
    );
    for (numerator, denominator) in [(13u32, 1u32), (46, 1), (1234, 100)] {
        tiff.extend_from_slice(&numerator.to_le_bytes());
        tiff.extend_from_slice(&denominator.to_le_bytes());
    }
    tiff.extend_from_slice(GPS_MARKER);
    tiff.push(0);
    let mut block = b"Exif\0\0".to_vec();
    block.extend_from_slice(&tiff);
    block
}

/// An IFD of `entries` (tag, type, count, value or offset), the last one.
fn push_ifd(tiff: &mut Vec<u8>, entries: &[(u16, u16, u32, u32)]) {
    tiff.extend_from_slice(&u16::try_from(entries.len()).unwrap().to_le_bytes());
    for (tag, kind, count, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
}

#[actix_web::test]
async fn a_phone_photo_loses_its_exif_and_gps_and_stands_upright() {
    let app = spawn_admin_app().await;
    let author = app.token_with_role("author").await;
    let photo = phone_photo();
    let mut sent = image::ImageReader::new(Cursor::new(&photo))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(
        sent.orientation().unwrap(),
        image::metadata::Orientation::Rotate90,
        "the photo sent says to turn it"
    );
    assert!(contains(&photo, GPS_MARKER), "the photo sent says where");

    let (status, uploaded, _) = upload(&app, Some(&author), image_form(&photo)).await;
    assert_eq!(status, 201, "{uploaded}");
    assert_eq!(
        (&uploaded["width"], &uploaded["height"]),
        (&json!(2), &json!(4)),
        "4 × 2 turned a quarter is 2 × 4"
    );
    let served = fetch(&app, uploaded["url"].as_str().unwrap(), None).await;
    assert_eq!(served.status, 200);
    for (what, marker) in [
        ("an EXIF block", b"Exif".as_slice()),
        ("a TIFF structure", b"II*\0".as_slice()),
        ("the GPS datum", GPS_MARKER),
    ] {
        assert!(
            !contains(&served.body, marker),
            "the public image keeps {what}"
        );
    }
    let mut kept = image::ImageReader::new(Cursor::new(&served.body))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    assert_eq!(kept.dimensions(), (2, 4));
    assert_eq!(
        kept.orientation().unwrap(),
        image::metadata::Orientation::NoTransforms,
        "nothing is left to turn it again"
    );
}

#[actix_web::test]
async fn each_role_writes_what_its_role_allows_and_staff_read_the_library() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let member = app.token_with_role("member").await;
    let author = app.token_with_role("author").await;
    let editor = app.token_with_role("editor").await;
    let read_key = api_key(&app, &admin, "read").await;
    let write_key = api_key(&app, &admin, "write").await;
    let small = png(40, 30);

    for (who, credentials, expected) in [
        ("a guest", None, 401),
        ("a member", Some(member.as_str()), 403),
        ("a read key", Some(read_key.as_str()), 403),
    ] {
        let (status, problem, _) = upload(&app, credentials, image_form(&small)).await;
        assert_eq!(status, expected, "{who} uploads: {problem}");
    }
    let mut uploaded = Vec::new();
    for (who, credentials) in [
        ("an author", author.as_str()),
        ("an editor", editor.as_str()),
        ("a write key", write_key.as_str()),
    ] {
        let (status, image, _) = upload(&app, Some(credentials), image_form(&small)).await;
        assert_eq!(status, 201, "{who} uploads: {image}");
        uploaded.push(image);
    }

    let path = |image: &Value| format!("/api/v1/media/{}", image["id"]);
    let change = json!({"alt": "Ảnh minh họa"});
    for (who, credentials, expected) in [
        ("a guest", None, 401),
        ("a member", Some(member.as_str()), 403),
        ("an author", Some(author.as_str()), 403),
        ("a read key", Some(read_key.as_str()), 403),
    ] {
        let (status, _) = call(
            &app,
            Method::PATCH,
            &path(&uploaded[0]),
            credentials,
            Some(change.clone()),
        )
        .await;
        assert_eq!(status, expected, "{who} changes");
        let (status, _) = call(&app, Method::DELETE, &path(&uploaded[0]), credentials, None).await;
        assert_eq!(status, expected, "{who} deletes");
    }
    for credentials in [editor.as_str(), write_key.as_str()] {
        let (status, changed) = call(
            &app,
            Method::PATCH,
            &path(&uploaded[0]),
            Some(credentials),
            Some(change.clone()),
        )
        .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["alt"], "Ảnh minh họa");
    }

    for (who, credentials, expected) in [
        ("a guest", None, 401),
        ("a member", Some(member.as_str()), 403),
        ("an author", Some(author.as_str()), 200),
        ("a read key", Some(read_key.as_str()), 200),
    ] {
        let (status, _) = call(&app, Method::GET, &path(&uploaded[0]), credentials, None).await;
        assert_eq!(status, expected, "{who} reads the image's record");
        let (status, _) = call(&app, Method::GET, "/api/v1/media", credentials, None).await;
        assert_eq!(status, expected, "{who} lists the library");
    }
    let (status, read) = call(&app, Method::GET, &path(&uploaded[0]), Some(&editor), None).await;
    assert_eq!((status, &read["version"]), (200, &json!(3)));
    let file = fetch(&app, read["url"].as_str().unwrap(), None).await;
    assert_eq!(
        file.status, 200,
        "a guest reads the bytes through their URL"
    );

    for (image, credentials) in
        uploaded
            .iter()
            .zip([editor.as_str(), write_key.as_str(), admin.as_str()])
    {
        let (status, problem) =
            call(&app, Method::DELETE, &path(image), Some(credentials), None).await;
        assert_eq!(status, 204, "{problem}");
    }
    let (_, library) = call(&app, Method::GET, "/api/v1/media", Some(&editor), None).await;
    assert_eq!(library["total"], 0);
}

/// The smallest crc32 there is (PNG's chunks carry one).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    let mut chunk = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    chunk
}

/// A valid PNG of a few dozen bytes declaring 50,000 × 50,000 pixels (7.5
/// GB once decoded): a decompression bomb.
fn bomb() -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&50_000u32.to_be_bytes());
    header.extend_from_slice(&50_000u32.to_be_bytes());
    // 8 bits, RGB, deflate, adaptive filters, not interlaced.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &header));
    // An empty zlib stream: the image data, were it ever read.
    png.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

#[actix_web::test]
async fn uploads_that_cannot_be_taken_are_refused_and_nothing_is_stored() {
    let app = spawn_admin_app_with(|s| s.attachments.limit = 16 * 1024).await;
    let editor = app.token_with_role("editor").await;
    let small = png(40, 30);

    let problem = refused(
        &app,
        &editor,
        form(&[Part::Text {
            name: "alt",
            value: "Không có ảnh",
        }]),
        422,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "file", "no file: {problem}");

    let text = form(&[Part::File {
        name: "file",
        filename: "anh.jpg",
        bytes: "chỉ là văn bản, không phải ảnh".as_bytes(),
    }]);
    let problem = refused(&app, &editor, text, 415).await;
    assert_eq!(problem["type"], "/problems/unsupported-media-type");

    let gif = image_form(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;");
    let problem = refused(&app, &editor, gif, 415).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("GIF"),
        "{problem}"
    );

    let whole = png(64, 64);
    let cut = &whole[..whole.len() * 6 / 10];
    let problem = refused(&app, &editor, image_form(cut), 422).await;
    assert_eq!(
        problem["errors"][0]["field"], "file",
        "cut short: {problem}"
    );
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("PNG"),
        "{problem}"
    );

    let bomb = bomb();
    assert_eq!(
        crc32(b"IEND"),
        0xAE42_6082,
        "the chunks' checksums are right"
    );
    let mut header_only = image::ImageReader::with_format(Cursor::new(&bomb), ImageFormat::Png);
    header_only.no_limits();
    assert_eq!(
        header_only.into_dimensions().unwrap(),
        (50_000, 50_000),
        "a PNG whose header reads"
    );
    let problem = refused(&app, &editor, image_form(&bomb), 422).await;
    assert_eq!(problem["errors"][0]["field"], "file", "a bomb: {problem}");
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("50000 × 50000") || message.contains("MiB"),
        "it names the limit: {message}"
    );

    let mut over = b"\x89PNG\r\n\x1a\n".to_vec();
    over.resize(20 * 1024, 0);
    let problem = refused(&app, &editor, image_form(&over), 413).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("16384"),
        "{problem}"
    );

    let long_alt = "x".repeat(301);
    let problem = refused(
        &app,
        &editor,
        form(&[
            Part::File {
                name: "file",
                filename: "a.png",
                bytes: &small,
            },
            Part::Text {
                name: "alt",
                value: &long_alt,
            },
            Part::Text {
                name: "credit",
                value: "Ảnh:\u{7}",
            },
        ]),
        422,
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["alt", "credit"], "every text at once: {problem}");

    let problem = refused(
        &app,
        &editor,
        form(&[
            Part::File {
                name: "file",
                filename: "a.png",
                bytes: &small,
            },
            Part::Text {
                name: "note",
                value: "ghi chú",
            },
        ]),
        422,
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "note", "{problem}");

    let twice = form(&[
        Part::File {
            name: "file",
            filename: "a.png",
            bytes: &small,
        },
        Part::File {
            name: "file",
            filename: "b.png",
            bytes: &small,
        },
    ]);
    let problem = refused(&app, &editor, twice, 422).await;
    assert_eq!(problem["errors"][0]["field"], "file", "{problem}");

    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/media",
        Some(&editor),
        Some(json!({"file": "not multipart"})),
    )
    .await;
    assert_eq!(status, 400);

    let (_, library) = call(&app, Method::GET, "/api/v1/media", Some(&editor), None).await;
    assert_eq!(library["total"], 0);
    assert_eq!(stored_contents(&app).await, 0, "nothing refused is stored");
    let (status, uploaded, _) = upload(&app, Some(&editor), image_form(&small)).await;
    assert_eq!(status, 201, "the same app takes a good image: {uploaded}");
}

#[actix_web::test]
async fn an_image_that_is_a_cover_is_not_deleted_until_no_article_has_it() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, uploaded, _) = upload(&app, Some(&editor), image_form(&png(400, 200))).await;
    let id = id_of(&uploaded);
    let article = app
        .publish_article("Ảnh bìa của bài viết", Utc::now().naive_utc())
        .await;
    set_cover(&app, article, Some(id)).await;

    let path = format!("/api/v1/media/{id}");
    let mut response = app
        .request(Method::DELETE, &path)
        .bearer_auth(&editor)
        .send()
        .await
        .unwrap();
    let problem = expect_problem(&mut response, 409).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("articles {article} show")),
        "it names the article: {problem}"
    );
    assert_eq!(
        call(&app, Method::GET, &path, Some(&editor), None).await.0,
        200
    );
    let url = uploaded["url"].as_str().unwrap();
    assert_eq!(fetch(&app, url, None).await.status, 200, "the bytes stay");

    set_cover(&app, article, None).await;
    let (status, _) = call(&app, Method::DELETE, &path, Some(&editor), None).await;
    assert_eq!(status, 204);
    assert_eq!(
        call(&app, Method::GET, &path, Some(&editor), None).await.0,
        404
    );
    assert_eq!(fetch(&app, url, None).await.status, 404);
    assert_eq!(stored_contents(&app).await, 0, "its bytes are gone");
}

#[actix_web::test]
async fn texts_change_under_if_match_and_every_write_is_audited() {
    let app = spawn_admin_app().await;
    let admin = app.admin_token().await;
    let editor = app.token_with_role("editor").await;
    let body = form(&[
        Part::File {
            name: "file",
            filename: "a.png",
            bytes: &png(40, 30),
        },
        Part::Text {
            name: "caption",
            value: "Chú thích cũ",
        },
        Part::Text {
            name: "credit",
            value: "Ảnh: Sở Nội vụ",
        },
    ]);
    let (_, uploaded, _) = upload(&app, Some(&editor), body).await;
    let path = format!("/api/v1/media/{}", uploaded["id"]);
    let read = app.get(&path).bearer_auth(&editor).send().await.unwrap();
    let etag = header(&read, "etag").expect("an ETag");

    let patch = |if_match: &str, body: Value| {
        app.request(Method::PATCH, &path)
            .bearer_auth(&editor)
            .insert_header(("If-Match", if_match.to_owned()))
            .send_json(&body)
    };
    let mut stale = patch(
        &format!("\"image-{}-v0\"", uploaded["id"]),
        json!({"alt": "Cũ"}),
    )
    .await
    .unwrap();
    expect_problem(&mut stale, 412).await;
    let mut changed = patch(&etag, json!({"alt": "Ảnh mới", "caption": null}))
        .await
        .unwrap();
    assert_eq!(changed.status().as_u16(), 200);
    let changed = json_body(&mut changed).await;
    assert_eq!(changed["alt"], "Ảnh mới");
    assert_eq!(changed["caption"], Value::Null);
    assert_eq!(changed["credit"], "Ảnh: Sở Nội vụ");
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["variants"], uploaded["variants"]);
    assert_eq!(changed["url"], uploaded["url"], "its bytes never change");

    for (body, field) in [
        (json!({"alt": "a\u{7}b"}), "alt"),
        (json!({"credit": "x".repeat(201)}), "credit"),
        (json!({"colour": "đỏ"}), "colour"),
    ] {
        let (status, problem) = call(&app, Method::PATCH, &path, Some(&editor), Some(body)).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let (status, _) = call(
        &app,
        Method::PATCH,
        "/api/v1/media/999999",
        Some(&editor),
        Some(json!({"alt": "?"})),
    )
    .await;
    assert_eq!(status, 404);
    let mut stale = app
        .request(Method::DELETE, &path)
        .bearer_auth(&editor)
        .insert_header(("If-Match", etag))
        .send()
        .await
        .unwrap();
    expect_problem(&mut stale, 412).await;
    let (status, _) = call(&app, Method::DELETE, &path, Some(&editor), None).await;
    assert_eq!(status, 204);

    let (_, log) = call(
        &app,
        Method::GET,
        "/api/v1/audit?target_type=media",
        Some(&admin),
        None,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["media.delete", "media.update", "media.create"]);
}

#[actix_web::test]
async fn the_same_bytes_are_kept_once_and_stay_while_anything_holds_them() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let bytes = png(400, 200);
    let (_, first, _) = upload(&app, Some(&editor), image_form(&bytes)).await;
    let (_, second, _) = upload(&app, Some(&editor), image_form(&bytes)).await;
    let first_url = first["url"].as_str().unwrap();
    let second_url = second["url"].as_str().unwrap();
    let served = fetch(&app, first_url, None).await;
    assert_eq!(fetch(&app, second_url, None).await.etag, served.etag);
    assert_eq!(
        stored_contents(&app).await,
        3,
        "the image, and its PNG and WebP 320 pixels wide, once each"
    );

    // The image's bytes attached to a document too: removing that
    // attachment leaves the image whole.
    let (status, attachment) = crate::attachments::upload(
        &app,
        &editor,
        crate::attachments::form("file", "anh.png", &served.body),
    )
    .await;
    assert_eq!(status, 201, "{attachment}");
    assert_eq!(
        Some(format!("\"{}\"", attachment["sha256"].as_str().unwrap())),
        served.etag
    );
    let (status, _) = call(
        &app,
        Method::DELETE,
        attachment["url"].as_str().unwrap(),
        Some(&editor),
        None,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(fetch(&app, first_url, None).await.status, 200);
    assert_eq!(stored_contents(&app).await, 3);

    let delete = |image: &Value| format!("/api/v1/media/{}", image["id"]);
    let (status, _) = call(&app, Method::DELETE, &delete(&first), Some(&editor), None).await;
    assert_eq!(status, 204);
    let kept = fetch(&app, second_url, None).await;
    assert_eq!((kept.status, kept.body), (200, served.body));
    assert_eq!(stored_contents(&app).await, 3, "the other image holds them");
    let (status, _) = call(&app, Method::DELETE, &delete(&second), Some(&editor), None).await;
    assert_eq!(status, 204);
    assert_eq!(stored_contents(&app).await, 0);
}

#[actix_web::test]
async fn an_article_shows_its_library_cover_with_variants_alone_in_lists_and_in_previews() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, cover, _) = upload(&app, Some(&editor), image_form(&png(800, 450))).await;
    let (_, social, _) = upload(&app, Some(&editor), image_form(&png(1200, 630))).await;
    let mut body = crate::helpers::draft("Hội nghị có ảnh bìa");
    body["status"] = json!("published");
    body["cover_media_id"] = json!(id_of(&cover));
    let (status, article) = crate::helpers::create_article(&app, &editor, body).await;
    assert_eq!(status, 201, "{article}");
    assert_eq!(article["cover_image"]["id"], cover["id"]);
    assert_eq!(article["cover_image"]["url"], cover["url"]);
    assert_eq!(article["cover_image"]["variants"], cover["variants"]);
    assert_eq!(
        article["og_image"]["id"], cover["id"],
        "the cover stands in"
    );

    let (_, listed) = call(&app, Method::GET, "/api/v1/articles", None, None).await;
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == article["id"])
        .unwrap();
    assert_eq!(item["cover_image"]["width"], 800);
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["id"] != article["id"] && item["cover_image"].is_null())
    );

    let chosen = json!({"og_media_id": id_of(&social)});
    let (status, changed) =
        crate::helpers::change_article(&app, &editor, &article["id"], chosen).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["og_image"]["width"], 1200);
    assert_eq!(changed["cover_image"]["id"], cover["id"]);
    let social_path = format!("/api/v1/media/{}", social["id"]);
    let (status, _) = call(&app, Method::DELETE, &social_path, Some(&editor), None).await;
    assert_eq!(status, 409, "a preview image is in use as a cover is");

    for (field, value) in [
        ("cover_media_id", json!(99999)),
        ("og_media_id", json!(99999)),
    ] {
        let mut response = app
            .request(
                Method::PATCH,
                &format!("/api/v1/articles/{}", article["id"]),
            )
            .bearer_auth(&editor)
            .send_json(&json!({ field: value }))
            .await
            .unwrap();
        let problem = expect_problem(&mut response, 404).await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let cleared = json!({"cover_media_id": null, "og_media_id": null});
    let (_, plain) = crate::helpers::change_article(&app, &editor, &article["id"], cleared).await;
    assert!(
        plain["cover_image"].is_null() && plain["og_image"].is_null(),
        "{plain}"
    );
    let (status, _) = call(&app, Method::DELETE, &social_path, Some(&editor), None).await;
    assert_eq!(status, 204);
}

#[actix_web::test]
async fn feeds_carry_each_articles_cover() {
    let app = spawn_admin_app().await;
    let editor = app.token_with_role("editor").await;
    let (_, cover, _) = upload(&app, Some(&editor), image_form(&png(800, 450))).await;
    let mut body = crate::helpers::draft("Tin có ảnh bìa trong thư viện");
    body["status"] = json!("published");
    body["cover_media_id"] = json!(id_of(&cover));
    let (status, _) = crate::helpers::create_article(&app, &editor, body).await;
    assert_eq!(status, 201);
    let mut body = crate::helpers::draft("Tin có ảnh bìa ở nơi khác");
    body["status"] = json!("published");
    body["cover_image_url"] = json!("https://sonoivu.binhdinh.gov.vn/uploads/hoi-nghi.jpg");
    let (status, _) = crate::helpers::create_article(&app, &editor, body).await;
    assert_eq!(status, 201);

    let text = |path: &'static str| {
        let app = &app;
        async move {
            let mut response = app.get(path).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200);
            String::from_utf8(response.body().await.unwrap().to_vec()).unwrap()
        }
    };
    let file = format!(
        "{}\" length=\"{}\" type=\"image/png\"",
        cover["url"].as_str().unwrap(),
        cover["byte_size"]
    );
    let rss = text("/feeds/articles.rss").await;
    assert!(
        rss.contains(&file),
        "a library cover is an enclosure: {rss}"
    );
    assert_eq!(
        rss.matches("<enclosure").count(),
        1,
        "an image elsewhere, of unknown size, is none"
    );
    let atom = text("/feeds/articles.atom").await;
    assert!(
        atom.contains("rel=\"enclosure\"") && atom.contains("uploads/hoi-nghi.jpg"),
        "{atom}"
    );
    let json: Value = serde_json::from_str(&text("/feeds/articles.json").await).unwrap();
    let images: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["image"].as_str())
        .collect();
    assert_eq!(images.len(), 2, "{json}");
    assert!(
        images
            .iter()
            .any(|url| url.ends_with(cover["url"].as_str().unwrap()))
    );
}
