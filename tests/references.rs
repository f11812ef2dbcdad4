//! The reference extractor on real published Vietnamese text: 97 passages
//! from provincial portals, legal-text sites, news sites and documents
//! turned to text from PDF (`tests/fixtures/references/corpus.json`, each
//! with its source's address), every reference annotated by hand. Prints
//! precision, recall and how many references found have their kind and
//! date right, and holds them to the targets.

use std::collections::BTreeSet;

use bulletin_api::documents::extract::extract;
use serde::Deserialize;

#[derive(Deserialize)]
struct Passage {
    source: String,
    text: String,
    references: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    number: String,
    kind: String,
    issued_on: Option<String>,
}

const CORPUS: &str = include_str!("fixtures/references/corpus.json");

/// What the extractor says of one reference: its number, kind and date.
fn found_in(text: &str) -> Vec<(String, String, Option<String>)> {
    extract(text)
        .into_iter()
        .map(|reference| {
            (
                reference.number.to_string(),
                reference.kind.as_str().to_owned(),
                reference.issued_on.map(|date| date.to_string()),
            )
        })
        .collect()
}

#[test]
fn real_published_text_is_read_with_the_target_precision_recall_and_details() {
    let corpus: Vec<Passage> = serde_json::from_str(CORPUS).expect("the corpus parses");
    let (mut expected_total, mut found_total, mut right, mut detailed) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for passage in &corpus {
        let found = found_in(&passage.text);
        let expected: BTreeSet<&str> = passage
            .references
            .iter()
            .map(|r| r.number.as_str())
            .collect();
        let got: BTreeSet<&str> = found.iter().map(|(number, ..)| number.as_str()).collect();
        expected_total += expected.len();
        found_total += got.len();
        for (number, kind, issued_on) in &found {
            let Some(annotated) = passage.references.iter().find(|r| &r.number == number) else {
                misses.push(format!(
                    "{}: found {number}, which is not there",
                    passage.source
                ));
                continue;
            };
            right += 1;
            if &annotated.kind == kind && &annotated.issued_on == issued_on {
                detailed += 1;
            } else {
                misses.push(format!(
                    "{}: {number} is {kind} of {issued_on:?}, annotated {} of {:?}",
                    passage.source, annotated.kind, annotated.issued_on
                ));
            }
        }
        for number in expected.difference(&got) {
            misses.push(format!("{}: missed {number}", passage.source));
        }
    }
    let precision = right as f64 / found_total as f64;
    let recall = right as f64 / expected_total as f64;
    let details = detailed as f64 / right as f64;
    println!(
        "{} passages, {expected_total} references annotated, {found_total} found, {right} right",
        corpus.len()
    );
    println!("precision {precision:.3}, recall {recall:.3}, kind and date right {details:.3}");
    for miss in &misses {
        println!("  {miss}");
    }
    assert!(corpus.len() >= 30, "at least 30 passages");
    assert!(precision >= 0.99, "precision {precision:.3} under 0.99");
    assert!(recall >= 0.97, "recall {recall:.3} under 0.97");
    assert!(
        details >= 0.97,
        "kind and date right for {details:.3} of the found, under 0.97"
    );
}
