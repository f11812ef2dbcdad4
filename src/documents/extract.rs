//! Finding document references in Vietnamese text as it is really
//! published: "Quyết định số 5359/QĐ-UBND ngày 31/12/2021", "Kế hoạch số
//! 24/KH-UBND ngày 8 tháng 3 năm 2022", the Prime Minister's `1280/QĐ-TTg`,
//! the Party's `19-NQ/TW`, the National Assembly's `36/2024/QH15`, and the
//! same hard-wrapped by legal-text sites and PDF extractions (a line break,
//! a run of spaces or a no-break space wherever a space may stand, even
//! inside a number), glued (`số34/2016/NĐ-CP`, `ngày05 tháng 8`), with
//! hyphens lost (`45/2019/NĐCP`), in lower case, or with look-alike letters.
//!
//! One pass over the characters, looking only where a number starts, and
//! never looking further than a bounded distance around it: linear in the
//! length of the text, whatever the text holds.

use std::collections::HashMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::DocumentKind;
use super::number::{DocumentNumber, TypeCode, is_code_part, tidy};

/// One document a text cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub number: DocumentNumber,
    /// The number's kind, or when it has no type code, what the word before
    /// it says (`Nghị quyết số 102/2023/QH15` is a resolution).
    pub kind: DocumentKind,
    /// From "ngày 31/12/2021" or "ngày 31 tháng 12 năm 2021" right after the number.
    pub issued_on: Option<NaiveDate>,
    /// Where the number first is, in characters (Unicode scalar values),
    /// end exclusive.
    pub span: Range<usize>,
    /// Where each mention of it is, the first included.
    pub occurrences: Vec<Range<usize>>,
}

const MAX_SERIAL_DIGITS: usize = 6;
const MAX_CODE_PARTS: usize = 5;
const MAX_PART_CHARS: usize = 12;
/// White space allowed where a space may stand: a hard-wrapped line, a run
/// of spaces typed into a form's blank (`Số: 07      /2024/QĐ-UBND`).
const MAX_GAP: usize = 16;
/// How far before a number the word naming its kind is looked for.
const LOOKBACK: usize = 40;

/// Every document number in `text`, each once (where it first appears,
/// with the first issue date given for it, and every other place it is
/// mentioned), in the order they first appear.
pub fn extract(text: &str) -> Vec<Reference> {
    let chars: Vec<char> = text.chars().map(look_alike).collect();
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
            at += run_end(&chars, at, |c| c.is_ascii_digit()) - at;
            continue;
        };
        let issued_on = date_after(&chars, end);
        match seen.get(&number.to_string()) {
            Some(&index) => {
                let earlier = &mut found[index];
                earlier.issued_on = earlier.issued_on.or(issued_on);
                earlier.occurrences.push(at..end);
            }
            None => {
                seen.insert(number.to_string(), found.len());
                found.push(Reference {
                    kind: kind_of(&chars, at, &number),
                    number,
                    issued_on,
                    span: at..end,
                    occurrences: std::iter::once(at..end).collect(),
                });
            }
        }
        at = end;
    }
    found
}

/// A character as the extractor reads it: the look-alikes texts use for
/// `Đ`/`đ` and `/` read as them (one character for one, so spans stay).
fn look_alike(c: char) -> char {
    match c {
        'Ð' | 'Ɖ' => 'Đ',
        'ð' | 'ɖ' => 'đ',
        '⁄' | '∕' => '/',
        other => other,
    }
}

/// A number starts at a digit that does not continue a word or a number
/// (`a5359/…` and the `2020` of `30/2020/NĐ-CP` are not starts), except
/// the word `số` glued to it (`số34/2016/NĐ-CP`).
fn starts_number(chars: &[char], at: usize) -> bool {
    if !chars[at].is_ascii_digit() {
        return false;
    }
    let Some(before) = at.checked_sub(1) else {
        return true;
    };
    let previous = chars[before];
    if !previous.is_alphanumeric() && !matches!(previous, '/' | '-' | '.' | ',') {
        return true;
    }
    // `số` right before, itself a whole word.
    before >= 1
        && folded_equals(&chars[before - 1..=before], "so")
        && before
            .checked_sub(2)
            .is_none_or(|word_start| !chars[word_start].is_alphanumeric())
}

/// The number starting at `at`, and where it ends.
fn number_at(chars: &[char], at: usize) -> Option<(DocumentNumber, usize)> {
    let digits_end = run_end(chars, at, |c| c.is_ascii_digit());
    if digits_end - at > MAX_SERIAL_DIGITS {
        return None;
    }
    // A serial may end in one letter (`27a/NQ-CP`), right before the slash.
    let serial_end = match chars.get(digits_end) {
        Some(letter)
            if letter.is_ascii_alphabetic() && separator(chars, digits_end + 1, '/').is_some() =>
        {
            digits_end + 1
        }
        _ => digits_end,
    };
    let serial: String = chars[at..serial_end].iter().collect();
    if let Some(cursor) = separator(chars, serial_end, '/') {
        return administrative(chars, &serial, cursor);
    }
    party(chars, &serial, serial_end)
}

/// `serial/[year/]TYPE-ISSUER…` from just after the first slash.
fn administrative(
    chars: &[char],
    serial: &str,
    mut cursor: usize,
) -> Option<(DocumentNumber, usize)> {
    let year = year_at(chars, cursor);
    if let Some((_, after_year)) = year {
        cursor = after_year;
    }
    let mut parts: Vec<String> = Vec::new();
    // Where the last accepted part ends: a `-` with no code part after it
    // (`5359/QĐ-UBND - về việc`) is not part of the number.
    let mut end = cursor;
    while let Some((part, part_end)) = code_part(chars, cursor) {
        if !written_as_code(&part, &parts) {
            break;
        }
        parts.push(part);
        end = part_end;
        if parts.len() == MAX_CODE_PARTS {
            break;
        }
        // `-` between parts; `/` too after a type code (`TTLT/BTC-BNN`).
        let next = separator(chars, part_end, '-').or_else(|| {
            (parts.len() == 1 && TypeCode::find(&parts[0]).is_some())
                .then(|| separator(chars, part_end, '/'))
                .flatten()
        });
        match next {
            Some(next) => cursor = next,
            None => break,
        }
    }
    // A lone letter that is no type code is what is left of one whose
    // other letter was lost (`3134/2008/Q -UBND` for QĐ): no guess is made.
    let first_is_a_stub = parts
        .first()
        .is_some_and(|first| first.chars().count() == 1 && TypeCode::find(first).is_none());
    if first_is_a_stub {
        return None;
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let number = DocumentNumber::from_parts(serial, year.map(|(y, _)| y), &parts).ok()?;
    Some((number, end))
}

/// The Party's `serial-TYPE/ISSUER` (`19-NQ/TW`, `1502 -TB/TU`), or with
/// its hyphen lost (`36NQ/TW`), from the end of the serial.
fn party(chars: &[char], serial: &str, serial_end: usize) -> Option<(DocumentNumber, usize)> {
    let type_start = separator(chars, serial_end, '-').unwrap_or(serial_end);
    let (type_part, type_end) = code_part(chars, type_start)?;
    let type_code = TypeCode::find(&type_part)?;
    if !written_as_code(&type_part, &[]) {
        return None;
    }
    let issuer_start = separator(chars, type_end, '/')?;
    let (issuer, end) = code_part(chars, issuer_start)?;
    if !written_as_code(&issuer, &[type_part]) {
        return None;
    }
    let number = DocumentNumber::party(serial, type_code, &[issuer.as_str()]).ok()?;
    Some((number, end))
}

/// A code part at `at` (letters, digits, marks, and `&` inside) composed
/// (NFC), and where it ends.
fn code_part(chars: &[char], at: usize) -> Option<(String, usize)> {
    let end = run_end(chars, at, |c| c.is_alphanumeric() || is_mark(c) || c == '&');
    if end == at || end - at > MAX_PART_CHARS * 2 {
        return None;
    }
    let raw: String = chars[at..end].iter().collect();
    let part = tidy(raw.trim_end_matches('&'));
    let end = end - (raw.chars().count() - raw.trim_end_matches('&').chars().count());
    (part.chars().count() <= MAX_PART_CHARS && is_code_part(&part)).then_some((part, end))
}

/// Whether a text writes `part` as a code, after the parts before it:
/// capitals (documents print codes so); a type code or a mixed-case
/// issuer in its own spelling (`CTr`, `TTg`); or, after a type code typed
/// in lower case, lower case throughout (`2718/qđ-ubnd`).
fn written_as_code(part: &str, before: &[String]) -> bool {
    let lower_case = |text: &str| !text.chars().any(char::is_uppercase);
    let capitals = !part.chars().any(char::is_lowercase);
    let type_spelling = before.is_empty()
        && TypeCode::find(part).is_some_and(|t| t.code == part || lower_case(part));
    let mixed_issuer = part == "TTg";
    let typed_lower = before
        .first()
        .is_some_and(|first| TypeCode::find(first).is_some() && lower_case(first))
        && lower_case(part);
    capitals || type_spelling || mixed_issuer || typed_lower
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

/// Past `separator` (with white space around it, a line break included) at `at`.
fn separator(chars: &[char], at: usize, separator: char) -> Option<usize> {
    let at = skip_space(chars, at);
    (chars.get(at) == Some(&separator)).then(|| skip_space(chars, at + 1))
}

/// Past the white space at `at`, up to `MAX_GAP` characters of it.
fn skip_space(chars: &[char], at: usize) -> usize {
    at + chars[at.min(chars.len())..]
        .iter()
        .take(MAX_GAP)
        .take_while(|c| c.is_whitespace())
        .count()
}

fn run_end(chars: &[char], at: usize, class: impl Fn(char) -> bool) -> usize {
    at + chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| class(**c))
        .count()
}

/// Marks typed apart from their letters (text in NFD, as Word pastes it).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// `c` as words are compared: lower case, without marks, đ as d.
fn fold(c: char) -> Option<char> {
    if is_mark(c) {
        return None;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'đ' => Some('d'),
        letter if !letter.is_ascii() => deunicode::deunicode_char(letter)
            .and_then(|ascii| ascii.chars().next())
            .or(Some(letter)),
        letter => Some(letter),
    }
}

/// Whether `chars` spell `expected` (folded, lower-case ASCII) once folded.
fn folded_equals(chars: &[char], expected: &str) -> bool {
    chars.iter().filter_map(|c| fold(*c)).eq(expected.chars())
}

/// Past the word `expected` (folded) at `at`, when it is a whole word; its
/// marks may be typed apart (NFD) or lost.
fn word(chars: &[char], at: usize, expected: &str) -> Option<usize> {
    let mut cursor = at;
    let mut letters = expected.chars().peekable();
    while let Some(&c) = chars.get(cursor) {
        match fold(c) {
            None => cursor += 1,
            Some(letter) if letters.peek() == Some(&letter) => {
                letters.next();
                cursor += 1;
            }
            Some(_) => break,
        }
        if cursor - at > expected.len() * 3 {
            return None;
        }
    }
    let whole = letters.peek().is_none() && !chars.get(cursor).is_some_and(|c| c.is_alphabetic());
    whole.then_some(cursor)
}

/// The kind a reference is: its type code's; without one, what the word
/// right before it says (`Nghị quyết số 102/2023/QH15`, `Tờ trình số
/// 126/SKHĐT`), else what the number says.
fn kind_of(chars: &[char], at: usize, number: &DocumentNumber) -> DocumentKind {
    if number.type_code().is_some() {
        return number.kind();
    }
    let said = word_before(chars, at);
    let by_word = said.as_deref().and_then(|words| {
        KIND_WORDS
            .iter()
            .find(|(word, _)| words == *word || words.ends_with(&format!(" {word}")))
            .map(|(_, kind)| *kind)
    });
    match by_word {
        // The Standing Committee passes no laws; its ordinances are laws.
        Some(DocumentKind::Law) if number.issuer_code().starts_with("UBTVQH") => {
            if said.is_some_and(|words| words.ends_with("phap lenh")) {
                DocumentKind::Law
            } else {
                DocumentKind::Resolution
            }
        }
        Some(kind) => kind,
        None => number.kind(),
    }
}

/// What a number's kind is called in a text, folded.
const KIND_WORDS: &[(&str, DocumentKind)] = &[
    ("nghi quyet lien tich", DocumentKind::Resolution),
    ("nghi quyet", DocumentKind::Resolution),
    ("phap lenh", DocumentKind::Law),
    ("luat", DocumentKind::Law),
    ("bao cao", DocumentKind::Report),
    ("to trinh", DocumentKind::Submission),
    ("cong van", DocumentKind::OfficialLetter),
    ("van ban", DocumentKind::OfficialLetter),
    ("thong bao", DocumentKind::Notice),
    ("quyet dinh", DocumentKind::Decision),
    ("ke hoach", DocumentKind::Plan),
    ("chi thi", DocumentKind::Directive),
    ("thong tu", DocumentKind::Circular),
    ("nghi dinh", DocumentKind::Decree),
    ("ket luan", DocumentKind::Conclusion),
    ("cong dien", DocumentKind::Telegram),
    ("huong dan", DocumentKind::Guide),
    ("chuong trinh", DocumentKind::Programme),
    ("de an", DocumentKind::Scheme),
];

/// The words right before `at`, folded, white space as one space, with a
/// `số` (or `số:`) between them and the number left out.
fn word_before(chars: &[char], at: usize) -> Option<String> {
    let from = at.saturating_sub(LOOKBACK);
    let mut folded = String::new();
    for c in &chars[from..at] {
        match c {
            c if c.is_whitespace() => {
                if !folded.ends_with(' ') {
                    folded.push(' ');
                }
            }
            c => folded.extend(fold(*c)),
        }
    }
    let folded = folded.trim_end();
    let folded = folded
        .strip_suffix(':')
        .map(str::trim_end)
        .unwrap_or(folded);
    let folded = match folded.strip_suffix(" so") {
        Some(rest) => rest.trim_end(),
        None if folded == "so" => "",
        None => folded,
    };
    (!folded.is_empty()).then(|| folded.to_owned())
}

/// The date written right after a number: "ngày 31/12/2021",
/// "ngày 8-3-2022", "ngày 31 tháng 12 năm 2021" (a comma before, white
/// space anywhere a space may stand, or none: `ngày05 tháng 8`), "cấp
/// ngày …", "ban hành ngày …"; or in a list of documents, the date
/// standing right after the number with no word (`70/2016/QĐ-UBND
/// 14/10/2016`).
fn date_after(chars: &[char], at: usize) -> Option<NaiveDate> {
    let mut cursor = skip_space(chars, at);
    if matches!(chars.get(cursor), Some(',' | '|')) {
        cursor = skip_space(chars, cursor + 1);
    }
    let issued = ["cap", "ban hanh", "ky"]
        .iter()
        .find_map(|verb| words(chars, cursor, verb))
        .map(|after| skip_space(chars, after));
    match word(chars, issued.unwrap_or(cursor), "ngay") {
        Some(after) => date_at(chars, skip_space(chars, after)),
        None if issued.is_none() => numeric_date(chars, cursor),
        None => None,
    }
}

/// "31/12/2021", "8-3-2022", "04 /01/2012", or "31 tháng 12 năm 2021" at `at`.
fn date_at(chars: &[char], at: usize) -> Option<NaiveDate> {
    numeric_date(chars, at).or_else(|| {
        let (day, after_day) = small_number(chars, at)?;
        let cursor = word(chars, skip_space(chars, after_day), "thang")?;
        let (month, after_month) = small_number(chars, skip_space(chars, cursor))?;
        let cursor = word(chars, skip_space(chars, after_month), "nam")?;
        let year = four_digits(chars, skip_space(chars, cursor))?;
        NaiveDate::from_ymd_opt(year, month, day)
    })
}

/// "31/12/2021", "8-3-2022", "04 /01/2012" at `at`: one separator throughout.
fn numeric_date(chars: &[char], at: usize) -> Option<NaiveDate> {
    let (day, after_day) = small_number(chars, at)?;
    let at_separator = skip_space(chars, after_day);
    let sep = *chars
        .get(at_separator)
        .filter(|c| matches!(c, '/' | '-' | '.'))?;
    let (month, after_month) = small_number(chars, skip_space(chars, at_separator + 1))?;
    let year_at = separator(chars, after_month, sep)?;
    NaiveDate::from_ymd_opt(four_digits(chars, year_at)?, month, day)
}

/// Past the words `expected` (folded, one space between them) at `at`,
/// white space of any kind between them in the text.
fn words(chars: &[char], at: usize, expected: &str) -> Option<usize> {
    let mut cursor = at;
    for (index, one) in expected.split(' ').enumerate() {
        if index > 0 {
            let spaced = skip_space(chars, cursor);
            if spaced == cursor {
                return None;
            }
            cursor = spaced;
        }
        cursor = word(chars, cursor, one)?;
    }
    Some(cursor)
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

    fn found(text: &str) -> Vec<(String, DocumentKind, Option<NaiveDate>)> {
        extract(text)
            .into_iter()
            .map(|r| (r.number.to_string(), r.kind, r.issued_on))
            .collect()
    }

    #[test]
    fn the_prime_ministers_codes_and_lower_case_references_keep_the_official_spelling() {
        assert_eq!(
            numbers(
                "Quyết định số 1280/QĐ-TTg; Chỉ thị số 08/CT-TTG; Công văn 1234/TTg-KTTH; 2718/qđ-ubnd"
            ),
            ["1280/QĐ-TTg", "08/CT-TTg", "1234/TTg-KTTH", "2718/QĐ-UBND"]
        );
        assert_eq!(
            numbers("Quyết định 45/QĐ-BCĐ và Nghị quyết 27/2022/UBTVQH15"),
            ["45/QĐ-BCĐ", "27/2022/UBTVQH15"]
        );
    }

    #[test]
    fn serials_with_a_letter_and_issuers_with_an_ampersand() {
        assert_eq!(
            numbers("Nghị quyết 27a/NQ-CP, Kế hoạch 12b/KH-UBND, văn bản 4512/SNV-TCBC&VTLT"),
            ["27a/NQ-CP", "12b/KH-UBND", "4512/SNV-TCBC&VTLT"]
        );
        assert_eq!(
            numbers("Nghị quyết 36a về Chính phủ điện tử"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn party_documents_are_numbers_of_their_own_shape() {
        let text = "Nghị quyết số 19-NQ/TW, Kết luận số 35-KL/TW ngày 05/5/2022, Chỉ thị số \
                    05-CT/TW, 21-NQ/TU, Thông báo số 1502 -TB/TU, Nghị quyết 03-NQ/HU, 12-NQ/ĐU \
                    và Quy định 08- QĐi/TW";
        assert_eq!(
            found(text),
            [
                ("19-NQ/TW".into(), DocumentKind::Resolution, None),
                (
                    "35-KL/TW".into(),
                    DocumentKind::Conclusion,
                    date(2022, 5, 5)
                ),
                ("05-CT/TW".into(), DocumentKind::Directive, None),
                ("21-NQ/TU".into(), DocumentKind::Resolution, None),
                ("1502-TB/TU".into(), DocumentKind::Notice, None),
                ("03-NQ/HU".into(), DocumentKind::Resolution, None),
                ("12-NQ/ĐU".into(), DocumentKind::Resolution, None),
                ("08-QĐi/TW".into(), DocumentKind::Regulation, None),
            ]
        );
    }

    #[test]
    fn the_word_before_a_number_without_a_type_code_says_its_kind() {
        let kinds: Vec<DocumentKind> = found(
            "Luật số 36/2024/QH15; Nghị quyết số 102/2023/QH15; Nghị quyết 27/2022/UBTVQH15; \
             Luật 59/2020/QH14; Pháp lệnh số 02/2022/UBTVQH15; Tờ trình số 126/SKHĐT; Báo cáo \
             số 45/UBND; Thông báo số 7/VPUB; Công văn 1234/UBND-KT; 9/2019/UBTVQH14",
        )
        .into_iter()
        .map(|(_, kind, _)| kind)
        .collect();
        use DocumentKind::*;
        assert_eq!(
            kinds,
            [
                Law,
                Resolution,
                Resolution,
                Law,
                Law,
                Submission,
                Report,
                Notice,
                OfficialLetter,
                Resolution
            ]
        );
    }

    #[test]
    fn line_breaks_runs_of_spaces_and_no_break_spaces_stand_for_a_space() {
        let text = "ngày 17\ntháng 3 năm 2020 theo Nghị định 45/2019/NĐ-CP\nngày 21/5/2019 và \
                    Nghị định 34/2016/NĐ-\nCP ngày\n02/6/2016; Số: 07      /2024/QĐ-UBND; \
                    Tờ trình 4120/TTr -SYT ngày\u{a0}05\u{a0}tháng 8 năm 2019";
        assert_eq!(
            found(text),
            [
                (
                    "45/2019/NĐ-CP".into(),
                    DocumentKind::Decree,
                    date(2019, 5, 21)
                ),
                (
                    "34/2016/NĐ-CP".into(),
                    DocumentKind::Decree,
                    date(2016, 6, 2)
                ),
                ("07/2024/QĐ-UBND".into(), DocumentKind::Decision, None),
                (
                    "4120/TTr-SYT".into(),
                    DocumentKind::Submission,
                    date(2019, 8, 5)
                ),
            ]
        );
    }

    #[test]
    fn glued_words_and_lost_hyphens_are_read_when_the_codes_are_known() {
        assert_eq!(
            found(
                "Nghị định số34/2016/NĐ-CP ngày05 tháng 8 năm 2019; Quyết định 2045/QĐUBND; \
                   Nghị định 45/2019/NĐCP, Thông tư 02/2021/TTBNV, Nghị quyết 36NQ/TW"
            ),
            [
                (
                    "34/2016/NĐ-CP".into(),
                    DocumentKind::Decree,
                    date(2019, 8, 5)
                ),
                ("2045/QĐ-UBND".into(), DocumentKind::Decision, None),
                ("45/2019/NĐ-CP".into(), DocumentKind::Decree, None),
                ("02/2021/TT-BNV".into(), DocumentKind::Circular, None),
                ("36-NQ/TW".into(), DocumentKind::Resolution, None),
            ]
        );
        // Not recognisable: nothing is guessed.
        assert_eq!(
            numbers("3134/2008/Q -UBND, 170/2003/N -CP"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn look_alike_letters_and_decomposed_marks_read_as_the_letters_they_show() {
        let text = "Quyết định 12/QÐ-UBND ngày 3/4/2021, Nghị định 5/2020/NƉ-CP, Công điện \
                    1478\u{2044}CĐ-TTg, Quye\u{0302}\u{0301}t đi\u{0323}nh 7/QĐ-UBND nga\u{0300}y 1 tha\u{0301}ng 2 na\u{0306}m 2020";
        assert_eq!(
            found(text),
            [
                (
                    "12/QĐ-UBND".into(),
                    DocumentKind::Decision,
                    date(2021, 4, 3)
                ),
                ("5/2020/NĐ-CP".into(), DocumentKind::Decree, None),
                ("1478/CĐ-TTg".into(), DocumentKind::Telegram, None),
                ("7/QĐ-UBND".into(), DocumentKind::Decision, date(2020, 2, 1)),
            ]
        );
    }

    #[test]
    fn numbers_that_are_no_references_are_left_alone() {
        for text in [
            "tháng 12/2022, ngày 16/9/2021, đạt 1/3 chỉ tiêu, điểm 3/5, tăng 12,5%",
            "Tạp chí 12(4):301-310, doi:10.1016/j.vaccine.2020.01.001, ĐT: 0256.3822.123",
            "cúm A/H1N1/2009, số 1.250 hồ sơ, Quyết định số 12 của tỉnh",
            "Tờ trình TTr HĐND về KT-XH, trang 5/ Tổng số",
        ] {
            assert_eq!(numbers(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_date_written_before_a_reference_is_not_its_issue_date() {
        let found =
            found("Ngày 20/4/2021, UBND tỉnh ban hành Kế hoạch số 982/KH-UBND để triển khai.");
        assert_eq!(found, [("982/KH-UBND".into(), DocumentKind::Plan, None)]);
    }

    #[test]
    fn every_mention_is_listed_and_every_number_found_can_be_registered() {
        let text = "Kết luận 35-KL/TW, rồi 1280/QĐ-TTg, lại 35-KL/TW và 35 - KL/TW.";
        let references = extract(text);
        assert_eq!(references[0].occurrences, [9..17, 40..48, 52..62]);
        for reference in references {
            let written = reference.number.to_string();
            assert_eq!(
                DocumentNumber::parse(&written),
                Ok(reference.number),
                "{written}"
            );
        }
    }
}
