//! Official document numbers as Vietnamese administration writes them:
//! `5359/QĐ-UBND`, `30/2020/NĐ-CP`, `1234/UBND-KT` (an official letter has
//! no type code), `15/QĐ-UBND-KT` (a compound issuer).

use std::fmt;

use super::DocumentKind;

/// A type code of Decree 30/2020/NĐ-CP (Appendix III) or of the law on
/// legal normative documents, with its canonical spelling and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeCode {
    pub code: &'static str,
    /// What Vietnamese calls such a document ("Quyết định").
    pub name: &'static str,
    pub kind: DocumentKind,
}

/// Every type code the parser knows. Spellings are canonical (`QyĐ`, `CTr`,
/// `TTr` keep their lower-case letters); input matches them whatever its case.
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
    TypeCode::new("PG", "Phiếu gửi", DocumentKind::Other),
    TypeCode::new("PC", "Phiếu chuyển", DocumentKind::Other),
    TypeCode::new("PB", "Phiếu báo", DocumentKind::Other),
    // Legal normative documents (Law 80/2015/QH13).
    TypeCode::new("NĐ", "Nghị định", DocumentKind::Decree),
    TypeCode::new("TT", "Thông tư", DocumentKind::Circular),
    TypeCode::new("TTLT", "Thông tư liên tịch", DocumentKind::Circular),
    TypeCode::new("NQLT", "Nghị quyết liên tịch", DocumentKind::Resolution),
    TypeCode::new("L", "Luật", DocumentKind::Law),
    TypeCode::new("PL", "Pháp lệnh", DocumentKind::Law),
];

impl TypeCode {
    const fn new(code: &'static str, name: &'static str, kind: DocumentKind) -> Self {
        Self { code, name, kind }
    }

    /// The type a document kind's Vietnamese name stands for ("Quyết định",
    /// "QUYẾT ĐỊNH", "Quyet dinh"), as other systems label their categories.
    pub fn named(name: &str) -> Option<TypeCode> {
        let key = crate::slug::Slug::from_title(name).ok()?;
        TYPE_CODES
            .iter()
            .find(|known| crate::slug::Slug::from_title(known.name).is_ok_and(|slug| slug == key))
            .copied()
    }

    /// The type code spelled `segment`, whatever its case.
    pub fn find(segment: &str) -> Option<TypeCode> {
        TYPE_CODES
            .iter()
            .find(|known| known.code.to_uppercase() == segment.to_uppercase())
            .copied()
    }
}

/// A document number, checked and in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentNumber {
    serial: String,
    year: Option<u16>,
    type_code: Option<TypeCode>,
    /// Upper case, parts joined by `-` (`UBND`, `UBND-KT`).
    issuer: String,
}

/// Why a text is not a document number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("is empty")]
    Empty,
    #[error("needs `/` between the serial and the codes, as in 5359/QĐ-UBND")]
    NoSlash,
    #[error("must start with the serial number in digits, as in 5359/QĐ-UBND")]
    Serial,
    #[error("has a year `{0}` that is not a year from 1945 to 2100")]
    Year(String),
    #[error("has a code part `{0}` that is not letters and digits (a part must hold a letter)")]
    CodePart(String),
    #[error("names the type {0} but no issuer after it, as in 5359/QĐ-UBND")]
    NoIssuer(&'static str),
    #[error("has more parts than a document number holds")]
    TooManyParts,
}

const MAX_SERIAL_DIGITS: usize = 6;
const MAX_CODE_PARTS: usize = 5;
const MAX_PART_CHARS: usize = 12;

impl DocumentNumber {
    /// Parses a number as people type it: any case, spaces around `/` and `-`.
    pub fn parse(input: &str) -> Result<Self, NumberError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(NumberError::Empty);
        }
        let mut pieces = compact.split('/');
        let serial = pieces.next().unwrap_or_default();
        let rest: Vec<&str> = pieces.collect();
        if rest.is_empty() {
            return Err(NumberError::NoSlash);
        }
        if serial.is_empty()
            || serial.len() > MAX_SERIAL_DIGITS
            || !serial.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(NumberError::Serial);
        }
        let (year, codes) = match rest.as_slice() {
            [codes] => (None, *codes),
            [year, codes] => (Some(parse_year(year)?), *codes),
            _ => return Err(NumberError::TooManyParts),
        };
        let (type_code, issuer) = parse_codes(codes)?;
        Ok(Self {
            serial: serial.to_owned(),
            year,
            type_code,
            issuer,
        })
    }

    /// Assembles a number from parts the extractor has already checked.
    pub(super) fn from_parts(
        serial: &str,
        year: Option<u16>,
        codes: &[&str],
    ) -> Result<Self, NumberError> {
        let (type_code, issuer) = parts_to_codes(codes)?;
        Ok(Self {
            serial: serial.to_owned(),
            year,
            type_code,
            issuer,
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

    /// The kind the type code says; an official letter when it has none and
    /// no year (numbered laws such as 59/2020/QH14 have a year and no type).
    pub fn kind(&self) -> DocumentKind {
        match (self.type_code, self.year) {
            (Some(type_code), _) => type_code.kind,
            (None, None) => DocumentKind::OfficialLetter,
            (None, Some(_)) => DocumentKind::Law,
        }
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

fn parse_year(year: &str) -> Result<u16, NumberError> {
    year.parse::<u16>()
        .ok()
        .filter(|y| year.len() == 4 && (1945..=2100).contains(y))
        .ok_or_else(|| NumberError::Year(year.to_owned()))
}

fn parse_codes(codes: &str) -> Result<(Option<TypeCode>, String), NumberError> {
    let parts: Vec<&str> = codes.split('-').collect();
    parts_to_codes(&parts)
}

/// Whether `part` can be a code part: letters and digits, at least one letter.
pub(super) fn is_code_part(part: &str) -> bool {
    let count = part.chars().count();
    (1..=MAX_PART_CHARS).contains(&count)
        && part.chars().all(char::is_alphanumeric)
        && part.chars().any(char::is_alphabetic)
}

fn parts_to_codes(parts: &[&str]) -> Result<(Option<TypeCode>, String), NumberError> {
    if parts.len() > MAX_CODE_PARTS {
        return Err(NumberError::TooManyParts);
    }
    if let Some(bad) = parts.iter().find(|part| !is_code_part(part)) {
        return Err(NumberError::CodePart((*bad).to_owned()));
    }
    let (type_code, issuer_parts) = match parts.split_first() {
        Some((first, rest)) => match TypeCode::find(first) {
            Some(type_code) if rest.is_empty() => {
                return Err(NumberError::NoIssuer(type_code.code));
            }
            Some(type_code) => (Some(type_code), rest),
            None => (None, parts),
        },
        None => return Err(NumberError::Empty),
    };
    let issuer = issuer_parts
        .iter()
        .map(|part| part.to_uppercase())
        .collect::<Vec<_>>()
        .join("-");
    Ok((type_code, issuer))
}

#[cfg(test)]
mod tests {
    use super::*;

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
