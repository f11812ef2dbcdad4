//! The reference extractor under criterion: the function on 1 MB and 8 MB
//! texts and on hostile input, then `POST /documents/extract` end to end
//! (HTTP, JSON, extraction, the registry lookup) with a 1 MB text.
//!
//! `cargo bench --bench extract`; reports land in `target/criterion/`.

use std::hint::black_box;
use std::time::Duration;

use bulletin_api::config::Settings;
use bulletin_api::documents::extract::extract;
use bulletin_api::startup::Application;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SEED: &str = include_str!("../src/demo/seed-article.json");

/// About `bytes` of text: the seed body, then prose with numbers that are
/// not references (dates, fractions), repeated.
fn text_of(bytes: usize) -> String {
    let seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed parses");
    let body = bulletin_api::text::html_to_text(seed["article"]["body_html"].as_str().unwrap());
    let noise = " Ngày 31/12/2021, tỉ lệ 3/4 hộ dân hài lòng; 2020/2021 tăng 12,5%. ";
    let mut text = String::with_capacity(bytes + body.len());
    let mut copy = 0;
    while text.len() < bytes {
        text.push_str(&body);
        text.push_str(noise);
        // A new number in each copy, so deduplication has work to do.
        text.push_str(&format!(" Công văn {copy}/UBND-KT ngày 1/2/2023. "));
        copy += 1;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

fn the_extractor(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract");
    let hostile = format!(
        "{}{}{}",
        "9".repeat(400_000),
        "1/".repeat(200_000),
        "ngày ".repeat(40_000)
    );
    for (label, text) in [
        ("1 MB", text_of(1_000_000)),
        ("8 MB", text_of(8_000_000)),
        ("hostile 1 MB", hostile),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(label, |b| b.iter(|| extract(black_box(&text))));
    }
    group.finish();
}

/// The service on a thread of its own over a fresh database; answers its port.
fn start_service(database: std::path::PathBuf) -> u16 {
    let mut settings = Settings::from_lookup(|_| None).expect("the defaults are valid");
    settings.server.bind = "127.0.0.1:0".parse().unwrap();
    settings.database.url = bulletin_api::db::DatabaseUrl::Sqlite(database);
    settings.clients.rate_limit = false;
    let (port_sender, port) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let application = Application::build(settings)
                .await
                .expect("the service starts");
            port_sender.send(application.port()).unwrap();
            application.run_until_stopped().await.unwrap();
        });
    });
    port.recv().expect("the service reports its port")
}

fn the_endpoint(c: &mut Criterion) {
    let directory = tempfile::tempdir().unwrap();
    let port = start_service(directory.path().join("bench.db"));
    let url = format!("http://127.0.0.1:{port}/api/v1/documents/extract");
    let body = serde_json::to_vec(&serde_json::json!({"text": text_of(1_000_000)})).unwrap();
    let client_side = actix_web::rt::System::new();
    let client = client_side.block_on(async {
        awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish()
    });
    let mut group = c.benchmark_group("POST /documents/extract");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("1 MB text", |b| {
        b.iter(|| {
            client_side.block_on(async {
                let mut response = client
                    .post(&url)
                    .content_type("application/json")
                    .send_body(body.clone())
                    .await
                    .expect("the service answers");
                assert_eq!(response.status().as_u16(), 200);
                response
                    .body()
                    .limit(16 << 20)
                    .await
                    .expect("the references")
            })
        })
    });
    group.finish();
}

criterion_group!(benches, the_extractor, the_endpoint);
criterion_main!(benches);
