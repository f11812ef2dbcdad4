//! How fast references are found in a large text: the seed page's body
//! repeated, with noise between copies, to a megabyte and more.
//!
//! `cargo bench --bench extract` prints the time per text and the rate.

use std::time::{Duration, Instant};

use bulletin_api::documents::extract::extract;

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
    text
}

fn measure(label: &str, text: &str, rounds: u32) {
    let mut found = 0;
    let start = Instant::now();
    for _ in 0..rounds {
        found = std::hint::black_box(extract(std::hint::black_box(text))).len();
    }
    let each = start.elapsed() / rounds;
    let megabytes = text.len() as f64 / 1_000_000.0;
    println!(
        "{label}: {:.2} MB, {found} references, {:.1} ms per text, {:.0} MB/s",
        megabytes,
        each.as_secs_f64() * 1000.0,
        megabytes / each.as_secs_f64().max(f64::EPSILON),
    );
}

fn main() {
    for (label, bytes) in [("1 MB", 1_000_000), ("8 MB", 8_000_000)] {
        let text = text_of(bytes);
        // Warm up, then measure for about two seconds.
        let warm = Instant::now();
        extract(&text);
        let once = warm.elapsed().max(Duration::from_micros(1));
        let rounds = (Duration::from_secs(2).as_nanos() / once.as_nanos()).clamp(3, 200) as u32;
        measure(label, &text, rounds);
    }
    let hostile = format!(
        "{}{}{}",
        "9".repeat(400_000),
        "1/".repeat(200_000),
        "ngày ".repeat(40_000)
    );
    measure("hostile", &hostile, 10);
}
