//! Official document numbers as Vietnamese administration writes them:
//! `5359/QĐ-UBND`, `30/2020/NĐ-CP`, `1234/UBND-KT` (an official letter has
//! no type code), `15/QĐ-UBND-KT` (a compound issuer), `1280/QĐ-TTg` (the
//! Prime Minister's code keeps its lower-case `g`), `27a/NQ-CP` (a serial
//! with a letter), `4512/SNV-TCBC&VTLT`; and the Party's, serial and type
//! joined by a hyphen, the issuer after the slash: `19-NQ/TW`, `1502-TB/TU`.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use super::DocumentKind;

/// A type code of Decree 30/2020/NĐ-CP (Appendix III), of the law on legal
/// normative documents, or of the Party's rules on its documents, with its
/// canonical spelling and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeCode {
    pub code: &'static str,
    /// What Vietnamese calls such a document ("Quyết định").
    pub name: &'static str,
    pub kind: DocumentKind,
}

/// Every type code the parser knows. Spellings are canonical (`QyĐ`, `CTr`,
/// `TTr`, `QĐi` keep their lower-case letters); input matches them whatever
/// its case.
pub const TYPE_CODES: &[TypeCode] = &[
    TypeCode::new("NQ", "Nghị quyết", DocumentKind::Resolution),
    TypeCode::new("QĐ", "Quyết định", DocumentKind::Decision),
    TypeCode::new("CT", "Chỉ thị", DocumentKind::Directive),
    TypeCode::new("QC", "Quy chế", DocumentKind::Regulation),
    TypeCode::new("QyĐ", "Quy định", DocumentKind::Regulation),
    TypeCode::new("TC", "Thông cáo", DocumentKind::Notice),
    TypeCode::new("TB", "Thông báo", DocumentKind::Notice),
    TypeCode::new("HD", "Hướng dẫn", DocumentKind::Guide),
    TypeCode::new("CTr", "Chương trình", DocumentKind::Programme),
    TypeCode::new("KH", "Kế hoạch", DocumentKind::Plan),
    TypeCode::new("PA", "Phương án", DocumentKind::Plan),
    TypeCode::new("ĐA", "Đề án", DocumentKind::Scheme),
    TypeCode::new("DA", "Dự án", DocumentKind::Project),
    TypeCode::new("BC", "Báo cáo", DocumentKind::Report),
    TypeCode::new("BB", "Biên bản", DocumentKind::Minutes),
    TypeCode::new("TTr", "Tờ trình", DocumentKind::Submission),
    TypeCode::new("HĐ", "Hợp đồng", DocumentKind::Contract),
    TypeCode::new("CĐ", "Công điện", DocumentKind::Telegram),
    TypeCode::new("BGN", "Bản ghi nhớ", DocumentKind::Other),
    TypeCode::new("BTT", "Bản thỏa thuận", DocumentKind::Other),
    TypeCode::new("GUQ", "Giấy ủy quyền", DocumentKind::Other),
    TypeCode::new("GM", "Giấy mời", DocumentKind::Invitation),
    TypeCode::new("GGT", "Giấy giới thiệu", DocumentKind::Other),
    TypeCode::new("GNP", "Giấy nghỉ phép", DocumentKind::Other),
    TypeCode::new("GP", "Giấy phép", DocumentKind::Other),
    TypeCode::new("PG", "Phiếu gửi", DocumentKind::Other),
    TypeCode::new("PC", "Phiếu chuyển", DocumentKind::Other),
    TypeCode::new("PB", "Phiếu báo", DocumentKind::Other),
    // Codes in common use beside the decree's: an appraisal or a review
    // report, an action programme, a consolidated text.
    TypeCode::new("BCTĐ", "Báo cáo thẩm định", DocumentKind::Report),
    TypeCode::new("BCTT", "Báo cáo thẩm tra", DocumentKind::Report),
    TypeCode::new("CTHĐ", "Chương trình hành động", DocumentKind::Programme),
    TypeCode::new("VBHN", "Văn bản hợp nhất", DocumentKind::Other),
    // Legal normative documents (Law 80/2015/QH13).
    TypeCode::new("NĐ", "Nghị định", DocumentKind::Decree),
    TypeCode::new("TT", "Thông tư", DocumentKind::Circular),
    TypeCode::new("TTLT", "Thông tư liên tịch", DocumentKind::Circular),
    TypeCode::new("NQLT", "Nghị quyết liên tịch", DocumentKind::Resolution),
    TypeCode::new("L", "Luật", DocumentKind::Law),
    TypeCode::new("PL", "Pháp lệnh", DocumentKind::Law),
    // The Party's (Regulation 66-QĐ/TW): conclusions, its rules, its letters.
    TypeCode::new("KL", "Kết luận", DocumentKind::Conclusion),
    TypeCode::new("QĐi", "Quy định của Đảng", DocumentKind::Regulation),
    TypeCode::new("CV", "Công văn", DocumentKind::OfficialLetter),
];

/// Issuers whose official code has lower-case letters: kept as written
/// (`QĐ-TTg`, not `QĐ-TTG`). Every other issuer is written in capitals.
const MIXED_CASE_ISSUERS: &[&str] = &["TTg"];

/// Issuers common enough that a type code glued to one (a hyphen lost in a
/// PDF: `QĐUBND`, `NĐCP`, `TTBNV`) can be told apart with confidence.
const KNOWN_ISSUERS: &[&str] = &[
    "CP", "TTg", "UBND", "HĐND", "VPCP", "BNV", "BTC", "BYT", "BCA", "BQP", "BTP", "BCT", "BXD",
    "BGTVT", "BGDĐT", "BKHĐT", "BKHCN", "BTNMT", "BTTTT", "BNNPTNT", "BLĐTBXH", "BVHTTDL", "BNG",
    "NHNN", "TANDTC", "VKSNDTC", "KTNN", "UBTVQH", "QH", "SNV", "STC", "SYT", "STP", "SXD",
    "SGDĐT", "SKHĐT", "STNMT", "STTTT", "SNN", "SLĐTBXH", "SVHTTDL", "SCT", "SGTVT", "TW", "TU",
    "HU", "ĐU",
];

/// The form of a number the document states: a serial, a type code and an
/// issuer of the lists above (`5359/QĐ-UBND`). The parser takes more (a
/// year, several issuers, any case and spacing, the Party's `19-NQ/TW`);
/// every string of this form is one it takes.
impl utoipa::PartialSchema for DocumentNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes: Vec<&str> = TYPE_CODES.iter().map(|known| known.code).collect();
        let pattern = format!(
            "^[1-9][0-9]{{0,5}}/({})-({})$",
            codes.join("|"),
            KNOWN_ISSUERS.join("|")
        );
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .pattern(Some(pattern))
            .description(Some(
                "An official number: the serial, the type code, the issuer (`5359/QĐ-UBND`). \
                 Also taken in any case and spacing, with a year (`30/2020/NĐ-CP`), several \
                 issuers (`1234/UBND-KT`) or the Party's form (`19-NQ/TW`); stored in canonical \
                 form.",
            ))
            .examples([serde_json::json!("5359/QĐ-UBND")])
            .into()
    }
}

impl utoipa::ToSchema for DocumentNumber {}

impl TypeCode {
    const fn new(code: &'static str, name: &'static str, kind: DocumentKind) -> Self {
        Self { code, name, kind }
    }

    /// The type a document kind's Vietnamese name stands for ("Quyết định",
    /// "QUYẾT ĐỊNH", "Quyet dinh"), as other systems label their categories.
    pub fn named(name: &str) -> Option<TypeCode> {
        let key = crate::text::slug::Slug::from_title(name).ok()?;
        TYPE_CODES
            .iter()
            .find(|known| {
                crate::text::slug::Slug::from_title(known.name).is_ok_and(|slug| slug == key)
            })
            .copied()
    }

    /// The type code spelled `segment`, whatever its case.
    pub fn find(segment: &str) -> Option<TypeCode> {
        let wanted = segment.to_uppercase();
        TYPE_CODES
            .iter()
            .find(|known| known.code.to_uppercase() == wanted)
            .copied()
    }
}

/// How a number is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `serial[/year]/[TYPE-]ISSUER`: the State's.
    Administrative,
    /// `serial-TYPE/ISSUER`: the Party's.
    Party,
}

/// A document number, checked and in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentNumber {
    /// Digits, and a lower-case letter when it has one (`27a`).
    serial: String,
    year: Option<u16>,
    type_code: Option<TypeCode>,
    /// Upper case but for the mixed-case issuers, parts joined by `-`
    /// (`UBND`, `UBND-KT`, `TTg`).
    issuer: String,
    shape: Shape,
}

/// Why a text is not a document number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("is empty")]
    Empty,
    #[error("needs `/` between the serial and the codes, as in 5359/QĐ-UBND")]
    NoSlash,
    #[error(
        "must start with the serial number in digits (a letter may follow), as in 5359/QĐ-UBND"
    )]
    Serial,
    #[error("has a year `{0}` that is not a year from 1945 to 2100")]
    Year(String),
    #[error("has a code part `{0}` that is not letters and digits (a part must hold a letter)")]
    CodePart(String),
    #[error("names the type {0} but no issuer after it, as in 5359/QĐ-UBND")]
    NoIssuer(&'static str),
    #[error("has more parts than a document number holds")]
    TooManyParts,
    #[error("has `{0}` between the serial and the slash, which is no type code (as in 19-NQ/TW)")]
    PartyType(String),
}

const MAX_SERIAL_DIGITS: usize = 6;
const MAX_CODE_PARTS: usize = 5;
const MAX_PART_CHARS: usize = 12;

impl DocumentNumber {
    /// Parses a number as people type it: any case, spaces around `/` and
    /// `-`, decomposed marks, `Ð` or `Ɖ` for `Đ`, a fraction slash for `/`.
    pub fn parse(input: &str) -> Result<Self, NumberError> {
        let compact: String = tidy(input).chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(NumberError::Empty);
        }
        let (head, rest) = compact.split_once('/').ok_or(NumberError::NoSlash)?;
        // The Party's `19-NQ/TW`, or with its hyphen lost, `36NQ/TW`.
        if let Some((serial, type_part)) = party_head(head) {
            let type_code = TypeCode::find(type_part)
                .ok_or_else(|| NumberError::PartyType(type_part.into()))?;
            let issuer: Vec<&str> = rest.split(['-', '/']).collect();
            return Self::party(serial, type_code, &issuer);
        }
        let serial = parse_serial(head)?;
        let segments: Vec<&str> = rest.split('/').collect();
        let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        let is_type = |text: &str| TypeCode::find(text).is_some();
        // `TTLT/BTC-BNN`, `QĐ/QUTW`: a slash after a type code stands for
        // the hyphen.
        let type_then = |type_part: &'_ str, issuer: &'_ str| -> Vec<String> {
            std::iter::once(type_part)
                .chain(issuer.split('-'))
                .map(str::to_owned)
                .collect()
        };
        let (year, parts): (Option<u16>, Vec<String>) = match segments.as_slice() {
            [codes] => (None, codes.split('-').map(str::to_owned).collect()),
            [year, codes] if digits(year) => (
                Some(parse_year(year)?),
                codes.split('-').map(str::to_owned).collect(),
            ),
            [type_part, issuer] if is_type(type_part) => (None, type_then(type_part, issuer)),
            [year, type_part, issuer] if digits(year) && is_type(type_part) => {
                (Some(parse_year(year)?), type_then(type_part, issuer))
            }
            _ => return Err(NumberError::TooManyParts),
        };
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let (type_code, issuer) = parts_to_codes(&parts)?;
        Ok(Self {
            serial,
            year,
            type_code,
            issuer,
            shape: Shape::Administrative,
        })
    }

    /// Assembles an administrative number from parts the extractor found.
    pub(super) fn from_parts(
        serial: &str,
        year: Option<u16>,
        codes: &[&str],
    ) -> Result<Self, NumberError> {
        let (type_code, issuer) = parts_to_codes(codes)?;
        Ok(Self {
            serial: parse_serial(serial)?,
            year,
            type_code,
            issuer,
            shape: Shape::Administrative,
        })
    }

    /// A Party number: `serial-TYPE/ISSUER`.
    pub(super) fn party(
        serial: &str,
        type_code: TypeCode,
        issuer: &[&str],
    ) -> Result<Self, NumberError> {
        let serial = parse_serial(serial)?;
        if issuer.is_empty() || issuer.len() > MAX_CODE_PARTS {
            return Err(NumberError::TooManyParts);
        }
        if let Some(bad) = issuer.iter().find(|part| !is_code_part(part)) {
            return Err(NumberError::CodePart((*bad).to_owned()));
        }
        Ok(Self {
            serial,
            year: None,
            type_code: Some(type_code),
            issuer: canonical_issuer(issuer),
            shape: Shape::Party,
        })
    }

    pub fn serial(&self) -> &str {
        &self.serial
    }

    pub fn year(&self) -> Option<u16> {
        self.year
    }

    /// The type code (`QĐ`), absent for official letters.
    pub fn type_code(&self) -> Option<&'static str> {
        self.type_code.map(|t| t.code)
    }

    pub fn issuer_code(&self) -> &str {
        &self.issuer
    }

    /// The kind the number itself says: its type code's; without one, an
    /// official letter, or with a year a law of the National Assembly
    /// (59/2020/QH14) — but a resolution of its Standing Committee, which
    /// passes no laws (27/2022/UBTVQH15). The words before a number in a
    /// text can say more (`Nghị quyết số 102/2023/QH15`): see `extract`.
    pub fn kind(&self) -> DocumentKind {
        match (self.type_code, self.year) {
            (Some(type_code), _) => type_code.kind,
            (None, None) => DocumentKind::OfficialLetter,
            (None, Some(_)) if self.issuer.starts_with("UBTVQH") => DocumentKind::Resolution,
            (None, Some(_)) => DocumentKind::Law,
        }
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Shape::Party, Some(type_code)) = (self.shape, self.type_code) {
            return write!(f, "{}-{}/{}", self.serial, type_code.code, self.issuer);
        }
        write!(f, "{}/", self.serial)?;
        if let Some(year) = self.year {
            write!(f, "{year}/")?;
        }
        if let Some(type_code) = self.type_code {
            write!(f, "{}-", type_code.code)?;
        }
        f.write_str(&self.issuer)
    }
}

impl std::str::FromStr for DocumentNumber {
    type Err = NumberError;

    fn from_str(input: &str) -> Result<Self, NumberError> {
        Self::parse(input)
    }
}

/// `input` composed (NFC), with the look-alikes texts use for `Đ`/`đ` and
/// `/` replaced by them.
pub(super) fn tidy(input: &str) -> String {
    input
        .nfc()
        .map(|c| match c {
            'Ð' | 'Ɖ' => 'Đ',
            'ð' | 'ɖ' => 'đ',
            '⁄' | '∕' => '/',
            other => other,
        })
        .collect()
}

/// `19-NQ` (the Party's serial and type) or `36NQ` (its hyphen lost): the
/// serial and the type part.
fn party_head(head: &str) -> Option<(&str, &str)> {
    if let Some((serial, type_part)) = head.split_once('-') {
        return Some((serial, type_part));
    }
    let digits = head.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &head[digits..];
    // `27a` is a serial with a letter, not a type.
    (digits > 0 && TypeCode::find(rest).is_some()).then(|| (&head[..digits], rest))
}

/// Digits, and one letter after them (`27a`), kept in lower case.
fn parse_serial(serial: &str) -> Result<String, NumberError> {
    let digits = serial.bytes().take_while(u8::is_ascii_digit).count();
    let letter = &serial[digits..];
    let letter_ok =
        letter.is_empty() || (letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_alphabetic()));
    if digits == 0 || digits > MAX_SERIAL_DIGITS || !letter_ok {
        return Err(NumberError::Serial);
    }
    Ok(serial.to_lowercase())
}

fn parse_year(year: &str) -> Result<u16, NumberError> {
    year.parse::<u16>()
        .ok()
        .filter(|y| year.len() == 4 && (1945..=2100).contains(y))
        .ok_or_else(|| NumberError::Year(year.to_owned()))
}

/// Whether `part` can be a code part: letters and digits (and `&` between
/// them, as in `TCBC&VTLT`), at least one letter.
pub(super) fn is_code_part(part: &str) -> bool {
    let count = part.chars().count();
    (1..=MAX_PART_CHARS).contains(&count)
        && part.chars().all(|c| c.is_alphanumeric() || c == '&')
        && part.chars().any(char::is_alphabetic)
        && !part.starts_with('&')
        && !part.ends_with('&')
}

/// The issuer parts in canonical spelling: capitals, but the mixed-case
/// issuers as they are officially written.
fn canonical_issuer(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|part| {
            let upper = part.to_uppercase();
            MIXED_CASE_ISSUERS
                .iter()
                .find(|known| known.to_uppercase() == upper)
                .map_or(upper, |known| (*known).to_owned())
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A type code glued to a known issuer by a lost hyphen (`QĐUBND`,
/// `NĐCP`, `TTBNNPTNT`): the two, when both are known; nothing is guessed.
pub(super) fn split_glued(part: &str) -> Option<(TypeCode, &str)> {
    let upper = part.to_uppercase();
    TYPE_CODES.iter().find_map(|type_code| {
        let code = type_code.code.to_uppercase();
        let issuer_start = upper
            .strip_prefix(&code)
            .map(|rest| part.len() - rest.len())?;
        let issuer = &part[issuer_start..];
        KNOWN_ISSUERS
            .iter()
            .any(|known| known.to_uppercase() == issuer.to_uppercase())
            .then_some((*type_code, issuer))
    })
}

fn parts_to_codes(parts: &[&str]) -> Result<(Option<TypeCode>, String), NumberError> {
    if parts.len() > MAX_CODE_PARTS {
        return Err(NumberError::TooManyParts);
    }
    if let Some(bad) = parts.iter().find(|part| !is_code_part(part)) {
        return Err(NumberError::CodePart((*bad).to_owned()));
    }
    let Some((first, rest)) = parts.split_first() else {
        return Err(NumberError::Empty);
    };
    match TypeCode::find(first) {
        Some(type_code) if rest.is_empty() => Err(NumberError::NoIssuer(type_code.code)),
        Some(type_code) => Ok((Some(type_code), canonical_issuer(rest))),
        None => match split_glued(first) {
            Some((type_code, issuer)) => {
                let issuer: Vec<&str> = std::iter::once(issuer)
                    .chain(rest.iter().copied())
                    .collect();
                Ok((Some(type_code), canonical_issuer(&issuer)))
            }
            None => Ok((None, canonical_issuer(parts))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_of_the_documented_form_parses() {
        for code in TYPE_CODES.iter().map(|known| known.code) {
            for issuer in KNOWN_ISSUERS {
                let number = format!("5359/{code}-{issuer}");
                assert!(DocumentNumber::parse(&number).is_ok(), "{number}");
            }
        }
    }

    #[test]
    fn a_type_is_found_by_its_vietnamese_name_whatever_its_marks_and_case() {
        let kind = |name| TypeCode::named(name).map(|t| t.kind);
        assert_eq!(kind("Quyết định"), Some(DocumentKind::Decision));
        assert_eq!(kind("KẾ HOẠCH"), Some(DocumentKind::Plan));
        assert_eq!(kind("de an"), Some(DocumentKind::Scheme));
        assert_eq!(kind("Văn bản khác"), None);
    }

    fn canonical(input: &str) -> String {
        DocumentNumber::parse(input)
            .unwrap_or_else(|e| panic!("{input}: {e}"))
            .to_string()
    }

    #[test]
    fn the_forms_of_the_administration_parse() {
        let decision = DocumentNumber::parse("5359/QĐ-UBND").unwrap();
        assert_eq!(
            (
                decision.serial(),
                decision.type_code(),
                decision.issuer_code()
            ),
            ("5359", Some("QĐ"), "UBND")
        );
        assert_eq!(decision.kind(), DocumentKind::Decision);

        let decree = DocumentNumber::parse("30/2020/NĐ-CP").unwrap();
        assert_eq!(decree.year(), Some(2020));
        assert_eq!(decree.kind(), DocumentKind::Decree);

        let letter = DocumentNumber::parse("1234/UBND-KT").unwrap();
        assert_eq!(letter.type_code(), None);
        assert_eq!(letter.issuer_code(), "UBND-KT");
        assert_eq!(letter.kind(), DocumentKind::OfficialLetter);

        let compound = DocumentNumber::parse("15/QĐ-UBND-KT").unwrap();
        assert_eq!(compound.issuer_code(), "UBND-KT");
        let department = DocumentNumber::parse("130/KH-SNV").unwrap();
        assert_eq!(department.kind(), DocumentKind::Plan);
        assert_eq!(
            DocumentNumber::parse("59/2020/QH14").unwrap().kind(),
            DocumentKind::Law
        );
    }

    #[test]
    fn case_and_spacing_variants_are_one_number() {
        for variant in [
            "5359/QĐ-UBND",
            "5359/QĐ - UBND",
            "5359/qđ-ubnd",
            " 5359 / Qđ-Ubnd ",
        ] {
            assert_eq!(canonical(variant), "5359/QĐ-UBND", "{variant}");
        }
        assert_eq!(canonical("12/ctr-ubnd"), "12/CTr-UBND");
        assert_eq!(canonical("3/QYĐ-UBND"), "3/QyĐ-UBND");
        assert_eq!(canonical("30/2020/nđ-cp"), "30/2020/NĐ-CP");
    }

    #[test]
    fn every_type_code_of_decree_30_names_a_kind() {
        for expected in [
            ("NQ", DocumentKind::Resolution),
            ("QĐ", DocumentKind::Decision),
            ("CT", DocumentKind::Directive),
            ("TB", DocumentKind::Notice),
            ("HD", DocumentKind::Guide),
            ("CTr", DocumentKind::Programme),
            ("KH", DocumentKind::Plan),
            ("ĐA", DocumentKind::Scheme),
            ("BC", DocumentKind::Report),
            ("TTr", DocumentKind::Submission),
        ] {
            let number = DocumentNumber::parse(&format!("1/{}-UBND", expected.0)).unwrap();
            assert_eq!(
                (number.type_code(), number.kind()),
                (Some(expected.0), expected.1)
            );
        }
        let codes: Vec<String> = TYPE_CODES.iter().map(|t| t.code.to_uppercase()).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len(), "no code is listed twice");
    }

    #[test]
    fn what_is_not_a_number_says_why() {
        let cases = [
            ("", NumberError::Empty),
            ("5359", NumberError::NoSlash),
            ("QĐ/5359", NumberError::Serial),
            ("12345678/QĐ-UBND", NumberError::Serial),
            ("5359/QĐ", NumberError::NoIssuer("QĐ")),
            ("30/20/NĐ-CP", NumberError::Year("20".into())),
            ("30/1800/NĐ-CP", NumberError::Year("1800".into())),
            ("5359/QĐ--UBND", NumberError::CodePart(String::new())),
            ("5359/QĐ-UB.ND", NumberError::CodePart("UB.ND".into())),
            ("5359/QĐ-2021", NumberError::CodePart("2021".into())),
            ("1/2/3/QĐ-UBND", NumberError::TooManyParts),
        ];
        for (input, expected) in cases {
            assert_eq!(DocumentNumber::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn a_canonical_number_parses_to_itself() {
        // A small exhaustive property: every code, with and without a year,
        // with simple and compound issuers, round-trips through its text.
        for type_code in TYPE_CODES {
            for year in [None, Some(2021)] {
                for issuer in ["UBND", "UBND-KT", "SNV"] {
                    let text = match year {
                        Some(year) => format!("7/{year}/{}-{issuer}", type_code.code),
                        None => format!("7/{}-{issuer}", type_code.code),
                    };
                    let parsed = DocumentNumber::parse(&text).unwrap();
                    assert_eq!(parsed.to_string(), text);
                    assert_eq!(DocumentNumber::parse(&text.to_lowercase()), Ok(parsed));
                }
            }
        }
    }
}
