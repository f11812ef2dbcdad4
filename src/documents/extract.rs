//! Finding document references in Vietnamese text: "Quyết định số
//! 5359/QĐ-UBND ngày 31/12/2021", "Kế hoạch số 24/KH-UBND ngày 8 tháng 3 năm
//! 2022". One pass over the characters, looking only where a number starts,
//! and never looking far ahead of it: linear in the length of the text,
//! whatever the text holds.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::number::{DocumentNumber, TypeCode, is_code_part};

/// One document a text cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub number: DocumentNumber,
    /// From "ngày 31/12/2021" or "ngày 31 tháng 12 năm 2021" right after the number.
    pub issued_on: Option<NaiveDate>,
    /// Where the number is, in characters (Unicode scalar values), end exclusive.
    pub span: Range<usize>,
}

const MAX_SERIAL_DIGITS: usize = 6;
const MAX_CODE_PARTS: usize = 5;
const MAX_PART_CHARS: usize = 12;
/// Spaces allowed around `/` and `-` ("5359/QĐ - UBND").
const MAX_GAP: usize = 2;

/// Every document number in `text`, each once (where it first appears, with
/// the first issue date given for it), in the order they first appear.
pub fn extract(text: &str) -> Vec<Reference> {
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<Reference> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut at = 0;
    while at < chars.len() {
        if !starts_number(&chars, at) {
            at += 1;
            continue;
        }
        let Some((number, end)) = number_at(&chars, at) else {
            // Skip the rest of the digits: a run is tried once, from its start.
            at += chars[at..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            continue;
        };
        let issued_on = date_after(&chars, end);
        match seen.get(&number.to_string()) {
            Some(&index) => {
                let earlier = &mut found[index];
                earlier.issued_on = earlier.issued_on.or(issued_on);
            }
            None => {
                seen.insert(number.to_string(), found.len());
                found.push(Reference {
                    number,
                    issued_on,
                    span: at..end,
                });
            }
        }
        at = end;
    }
    found
}

/// A number starts at a digit that does not continue a word or a number
/// (`a5359/…` and the `2020` of `30/2020/NĐ-CP` are not starts).
fn starts_number(chars: &[char], at: usize) -> bool {
    chars[at].is_ascii_digit()
        && at
            .checked_sub(1)
            .is_none_or(|before| !chars[before].is_alphanumeric() && chars[before] != '/')
}

/// The number starting at `at`, and where it ends.
fn number_at(chars: &[char], at: usize) -> Option<(DocumentNumber, usize)> {
    let serial_end = run_end(chars, at, |c| c.is_ascii_digit());
    if serial_end - at > MAX_SERIAL_DIGITS {
        return None;
    }
    let serial: String = chars[at..serial_end].iter().collect();
    let mut cursor = separator(chars, serial_end, '/')?;
    let year = year_at(chars, cursor);
    if let Some((_, after_year)) = year {
        cursor = after_year;
    }
    let mut parts: Vec<String> = Vec::new();
    // Where the last accepted part ends: a `-` with no code part after it
    // (`5359/QĐ-UBND - về việc`) is not part of the number.
    let mut end = cursor;
    loop {
        let part_end = run_end(chars, cursor, char::is_alphanumeric);
        let part: String = chars[cursor..part_end].iter().collect();
        if part_end - cursor > MAX_PART_CHARS || !written_as_code(&part, parts.is_empty()) {
            break;
        }
        parts.push(part);
        end = part_end;
        match separator(chars, part_end, '-') {
            Some(next) if parts.len() < MAX_CODE_PARTS => cursor = next,
            _ => return assemble(&serial, year, &parts, end),
        }
    }
    if parts.is_empty() {
        return None;
    }
    assemble(&serial, year, &parts, end)
}

fn assemble(
    serial: &str,
    year: Option<(u16, usize)>,
    parts: &[String],
    end: usize,
) -> Option<(DocumentNumber, usize)> {
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let number = DocumentNumber::from_parts(serial, year.map(|(y, _)| y), &parts).ok()?;
    Some((number, end))
}

/// Whether a text writes `part` as a code: upper case (documents always
/// print their codes so), or a type code's own spelling (`CTr`, `QyĐ`).
fn written_as_code(part: &str, first: bool) -> bool {
    is_code_part(part)
        && (!part.chars().any(char::is_lowercase)
            || (first && TypeCode::find(part).is_some_and(|t| t.code == part)))
}

/// A four-digit year followed by `/` at `at`: the year and where the codes start.
fn year_at(chars: &[char], at: usize) -> Option<(u16, usize)> {
    let end = run_end(chars, at, |c| c.is_ascii_digit());
    if end - at != 4 {
        return None;
    }
    let year: u16 = chars[at..end].iter().collect::<String>().parse().ok()?;
    if !(1945..=2100).contains(&year) {
        return None;
    }
    Some((year, separator(chars, end, '/')?))
}

/// Past `separator` (with up to `MAX_GAP` spaces around it) at `at`.
fn separator(chars: &[char], at: usize, separator: char) -> Option<usize> {
    let at = skip_spaces(chars, at, MAX_GAP);
    (chars.get(at) == Some(&separator)).then(|| skip_spaces(chars, at + 1, MAX_GAP))
}

fn skip_spaces(chars: &[char], at: usize, most: usize) -> usize {
    at + chars[at.min(chars.len())..]
        .iter()
        .take(most)
        .take_while(|c| **c == ' ' || **c == '\u{a0}')
        .count()
}

fn run_end(chars: &[char], at: usize, class: impl Fn(char) -> bool) -> usize {
    at + chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| class(**c))
        .count()
}

/// The date written right after a number: "ngày 31/12/2021",
/// "ngày 8-3-2022", "ngày 31 tháng 12 năm 2021" (an optional comma before).
fn date_after(chars: &[char], at: usize) -> Option<NaiveDate> {
    let mut cursor = skip_spaces(chars, at, 3);
    if chars.get(cursor) == Some(&',') {
        cursor = skip_spaces(chars, cursor + 1, 3);
    }
    cursor = word(chars, cursor, "ngày")?;
    let (day, after_day) = small_number(chars, skip_spaces(chars, cursor, 3))?;
    let (month, year) = match chars.get(after_day) {
        Some(&sep @ ('/' | '-' | '.')) => {
            let (month, after_month) = small_number(chars, after_day + 1)?;
            (chars.get(after_month) == Some(&sep)).then_some(())?;
            (month, four_digits(chars, after_month + 1)?)
        }
        _ => {
            let cursor = word(chars, skip_spaces(chars, after_day, 3), "tháng")?;
            let (month, after_month) = small_number(chars, skip_spaces(chars, cursor, 3))?;
            let cursor = word(chars, skip_spaces(chars, after_month, 3), "năm")?;
            (month, four_digits(chars, skip_spaces(chars, cursor, 3))?)
        }
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Past `expected` at `at`, whatever its case, when it is a whole word.
fn word(chars: &[char], at: usize, expected: &str) -> Option<usize> {
    let mut cursor = at;
    for letter in expected.chars() {
        let found = chars.get(cursor)?;
        if !found.to_lowercase().eq(letter.to_lowercase()) {
            return None;
        }
        cursor += 1;
    }
    (!chars.get(cursor).is_some_and(|c| c.is_alphanumeric())).then_some(cursor)
}

/// A day or month: one or two digits.
fn small_number(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let end = run_end(chars, at, |c| c.is_ascii_digit());
    if !(1..=2).contains(&(end - at)) {
        return None;
    }
    let value = chars[at..end].iter().collect::<String>().parse().ok()?;
    Some((value, end))
}

fn four_digits(chars: &[char], at: usize) -> Option<i32> {
    let end = run_end(chars, at, |c| c.is_ascii_digit());
    (end - at == 4).then(|| chars[at..end].iter().collect::<String>().parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<String> {
        extract(text)
            .into_iter()
            .map(|r| r.number.to_string())
            .collect()
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_seed_page_cites_exactly_six_documents_with_their_dates() {
        let seed: serde_json::Value =
            serde_json::from_str(include_str!("../demo/seed-article.json")).unwrap();
        let body = crate::text::html_to_text(seed["article"]["body_html"].as_str().unwrap());
        let found: Vec<(String, Option<NaiveDate>)> = extract(&body)
            .into_iter()
            .map(|r| (r.number.to_string(), r.issued_on))
            .collect();
        assert_eq!(
            found,
            [
                ("5359/QĐ-UBND".to_owned(), date(2021, 12, 31)),
                ("130/KH-UBND".to_owned(), date(2022, 9, 23)),
                ("24/KH-UBND".to_owned(), date(2022, 3, 8)),
                ("34/KH-UBND".to_owned(), date(2022, 5, 24)),
                ("135/KH-UBND".to_owned(), date(2022, 10, 5)),
                ("2535/QĐ-UBND".to_owned(), date(2022, 11, 8)),
            ]
        );
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "Căn cứ Quyết định số 5359/QĐ-UBND ngày 31/12/2021 của UBND tỉnh";
        let reference = &extract(text)[0];
        let spanned: String = text
            .chars()
            .skip(reference.span.start)
            .take(reference.span.len())
            .collect();
        assert_eq!(spanned, "5359/QĐ-UBND");
        assert_eq!(reference.span, 21..33);
    }

    #[test]
    fn dates_in_words_and_without_leading_zeros() {
        let text = "Kế hoạch số 24/KH-UBND ngày 8 tháng 3 năm 2022 và Chỉ thị 15/CT-UBND, \
                    ngày 05/7/2023; Nghị định 30/2020/NĐ-CP ngày 5-3-2020.";
        let found = extract(text);
        assert_eq!(found[0].issued_on, date(2022, 3, 8));
        assert_eq!(found[1].issued_on, date(2023, 7, 5));
        assert_eq!(found[2].number.to_string(), "30/2020/NĐ-CP");
        assert_eq!(found[2].issued_on, date(2020, 3, 5));
        let impossible = extract("Quyết định 1/QĐ-UBND ngày 31/2/2021");
        assert_eq!(impossible[0].issued_on, None);
    }

    #[test]
    fn letters_compound_issuers_and_spacing() {
        assert_eq!(
            numbers("Công văn 1234/UBND-KT; Quyết định 7/QĐ - UBND - VX và 9/KH-SNV."),
            ["1234/UBND-KT", "7/QĐ-UBND-VX", "9/KH-SNV"]
        );
        assert_eq!(numbers("Chương trình 3/CTr-UBND"), ["3/CTr-UBND"]);
    }

    #[test]
    fn each_number_once_with_the_first_date_given() {
        let text = "Theo 5359/QĐ-UBND và 5359/QĐ-UBND ngày 31/12/2021, lại 5359/QĐ-UBND.";
        let found = extract(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span, 5..17);
        assert_eq!(found[0].issued_on, date(2021, 12, 31));
    }

    #[test]
    fn prose_dates_fractions_and_words_are_not_references() {
        for text in [
            "",
            "ngày 31/12/2021 và tỉ lệ 3/4, 2020/2021, 100 kg/ha",
            "trang 5/ Tổng số, mục 2/a-b, 12345678/QĐ-UBND",
            "xem 5359/QĐ - Quyết định",
            "a5359/QĐ-UBND",
        ] {
            assert_eq!(numbers(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_hyphen_after_the_number_is_not_part_of_it() {
        let found = extract("5359/QĐ-UBND - về việc ban hành");
        assert_eq!(found[0].number.to_string(), "5359/QĐ-UBND");
        assert_eq!(found[0].span, 0..12);
    }

    #[test]
    fn hostile_text_is_read_in_one_pass() {
        let digits = "9".repeat(200_000);
        let slashes = "1/".repeat(100_000);
        let dashes = format!("1/QĐ{}", "-A".repeat(100_000));
        let binary: String = (0..200_000u32)
            .filter_map(|i| char::from_u32(i % 0xD7FF))
            .collect();
        for text in [digits, slashes, dashes, binary] {
            // Terminates, and finds nothing that is not there.
            let found = extract(&text);
            assert!(found.len() <= 1, "{}", found.len());
        }
    }
}
