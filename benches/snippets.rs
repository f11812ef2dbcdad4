//! Search snippets under criterion: cutting one from an article's text as a
//! search reads it (its first `SNIPPET_SCAN_CHARS` characters), for a query
//! whose terms show together early (the scan stops there) and for one
//! whose terms never all show together (the scan reads to its end).
//!
//! `cargo bench --bench snippets`; reports land in `target/criterion/`.

use std::hint::black_box;

use bulletin_api::text::search::{SNIPPET_SCAN_CHARS, SearchQuery, snippet};
use criterion::{Criterion, criterion_group, criterion_main};

const SEED: &str = include_str!("../src/demo/seed-article.json");

/// The seed article's text repeated to the length a search reads.
fn article_text() -> String {
    let seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed parses");
    let body = bulletin_api::text::html_to_text(seed["article"]["body_html"].as_str().unwrap());
    body.repeat(SNIPPET_SCAN_CHARS / body.chars().count() + 1)
        .chars()
        .take(SNIPPET_SCAN_CHARS)
        .collect()
}

fn snippets(c: &mut Criterion) {
    let text = article_text();
    let mut group = c.benchmark_group("snippet");
    for (label, words) in [
        ("terms together early", "cải cách hành chính"),
        ("terms never together", "cải cách đại hội thể thao"),
    ] {
        let query = SearchQuery::parse(words).expect("a query");
        assert!(snippet(&text, &query).is_some(), "{label}: a term shows");
        group.bench_function(label, |b| {
            b.iter(|| snippet(black_box(&text), black_box(&query)))
        });
    }
    group.finish();
}

criterion_group!(benches, snippets);
criterion_main!(benches);
