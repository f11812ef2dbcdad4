//! Property tests: the parsers that read what people type never panic, and
//! what they produce reads back as itself.

use bulletin_api::documents::extract::extract;
use bulletin_api::documents::number::{DocumentNumber, TYPE_CODES};
use bulletin_api::text::slug::Slug;
use proptest::prelude::*;

/// A number as the administration writes it: serial, maybe a year, maybe a
/// type code, an issuer of one to three parts.
fn document_number() -> impl Strategy<Value = String> {
    (
        1u32..999_999,
        proptest::option::of(1945u16..=2100),
        proptest::option::of(proptest::sample::select(TYPE_CODES.to_vec())),
        proptest::collection::vec("[A-ZĐ]{1,6}", 1..=3),
    )
        .prop_map(|(serial, year, type_code, issuer)| {
            let mut number = format!("{serial}/");
            if let Some(year) = year {
                number.push_str(&format!("{year}/"));
            }
            if let Some(type_code) = type_code {
                number.push_str(type_code.code);
                number.push('-');
            }
            number.push_str(&issuer.join("-"));
            number
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_number_parser_takes_any_text_without_panicking(text in "\\PC{0,40}") {
        let _ = DocumentNumber::parse(&text);
    }

    #[test]
    fn a_written_number_reads_back_as_itself_whatever_its_case_and_spacing(number in document_number()) {
        let parsed = DocumentNumber::parse(&number);
        // A type code alone after the serial names no issuer: refused, as it should be.
        if let Ok(parsed) = parsed {
            let canonical = parsed.to_string();
            prop_assert_eq!(DocumentNumber::parse(&canonical), Ok(parsed.clone()));
            prop_assert_eq!(DocumentNumber::parse(&canonical.to_lowercase()), Ok(parsed.clone()));
            let spaced = canonical.replace('/', " / ").replace('-', " - ");
            prop_assert_eq!(DocumentNumber::parse(&spaced), Ok(parsed));
        }
    }

    #[test]
    fn the_extractor_takes_any_text_and_its_spans_hold_its_numbers(
        prefix in "\\PC{0,60}",
        number in document_number(),
        suffix in "\\PC{0,60}",
    ) {
        let text = format!("{prefix} số {number} ngày 1/2/2023 {suffix}");
        let chars: Vec<char> = text.chars().collect();
        let found = extract(&text);
        let mut seen = std::collections::HashSet::new();
        for reference in &found {
            let spanned: String = chars[reference.span.clone()].iter().collect();
            prop_assert_eq!(DocumentNumber::parse(&spanned), Ok(reference.number.clone()));
            prop_assert!(seen.insert(reference.number.to_string()), "each number once");
        }
    }

    #[test]
    fn a_slug_from_any_title_is_a_valid_slug(title in "\\PC{0,80}") {
        if let Ok(slug) = Slug::from_title(&title) {
            let text = slug.to_string();
            prop_assert!(
                text.split('-').all(|part| !part.is_empty()
                    && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{}", text
            );
            prop_assert_eq!(Slug::parse(&text).map(|slug| slug.to_string()), Ok(text));
        }
    }
}
