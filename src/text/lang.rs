//! Languages, as BCP 47 tags (`vi`, `en`, `vi-VN`): what a piece of
//! content is written in. Parsed once where a tag comes in and kept in one
//! spelling, so that `VI-vn` and `vi-VN` are one language to every
//! comparison, every filter and every unique index.

use std::fmt;

/// A language tag: a primary language subtag of 2 or 3 letters, then any
/// number of subtags of 1 to 8 letters or digits, each after a hyphen; at
/// most [`Lang::MAX_LEN`] characters in all. Spelt as RFC 5646 §2.1.1
/// recommends: the language in lower case, a region (2 letters) in upper
/// case, a script (4 letters) in title case, the rest in lower case.
///
/// Which languages exist is not checked: a portal writes in a few, chosen by
/// its editors, and a registry of them would only turn away a new one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lang(String);

/// Why a text is no language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "must be a language tag such as vi, en or vi-VN: 2 or 3 letters, then subtags of 1 to 8 \
     letters or digits, each after a hyphen, at most {} characters in all",
    Lang::MAX_LEN
)]
pub struct LangError;

crate::schema_of!(
    Lang,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(Lang::MAX_LEN))
        // What `Lang::parse` takes, whatever its case.
        .pattern(Some(Lang::PATTERN))
        .build(),
    "vi"
);

impl Lang {
    /// RFC 5646 §4.4.1 asks implementations to keep at least 35 characters.
    pub const MAX_LEN: usize = 35;
    /// What content is written in when nobody says: the portal's own language.
    pub const DEFAULT: &'static str = "vi";
    /// [`Lang::parse`]'s rule as a JSON Schema pattern (query parameters
    /// that take a tag repeat it: their attributes want a literal).
    pub const PATTERN: &'static str = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

    pub fn parse(input: &str) -> Result<Self, LangError> {
        if input.len() > Self::MAX_LEN {
            return Err(LangError);
        }
        let mut subtags = input.split('-');
        let primary = subtags.next().unwrap_or_default();
        let is_language =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
        if !is_language {
            return Err(LangError);
        }
        let mut tag = primary.to_ascii_lowercase();
        // Past a singleton (`x-…` private use, `u-…` an extension) subtags
        // are no regions or scripts, whatever their length: lower case.
        let mut extended = false;
        for subtag in subtags {
            let fits = (1..=8).contains(&subtag.len())
                && subtag.bytes().all(|b| b.is_ascii_alphanumeric());
            if !fits {
                return Err(LangError);
            }
            extended |= subtag.len() == 1;
            tag.push('-');
            tag.push_str(&spelt(subtag, extended));
        }
        Ok(Self(tag))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_default(&self) -> bool {
        self.0 == Self::DEFAULT
    }
}

/// A subtag after the language as RFC 5646 spells it: a region (`VN`) in
/// upper case, a script (`Latn`) in title case, anything else in lower case.
fn spelt(subtag: &str, extended: bool) -> String {
    let letters = subtag.bytes().all(|b| b.is_ascii_alphabetic());
    match subtag.len() {
        2 if letters && !extended => subtag.to_ascii_uppercase(),
        4 if letters && !extended => {
            let (first, rest) = subtag.split_at(1);
            format!(
                "{}{}",
                first.to_ascii_uppercase(),
                rest.to_ascii_lowercase()
            )
        }
        _ => subtag.to_ascii_lowercase(),
    }
}

/// Of the resources a slug names (one a language, oldest first), the one in
/// `default`, else the oldest: what a link without `lang` means.
pub fn preferred<T>(
    mut candidates: Vec<T>,
    default: &Lang,
    lang_of: impl Fn(&T) -> &str,
) -> Option<T> {
    let at = candidates
        .iter()
        .position(|candidate| lang_of(candidate) == default.as_str())
        .unwrap_or(0);
    (at < candidates.len()).then(|| candidates.swap_remove(at))
}

/// `?lang=`: the language a read asks for.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangParams {
    /// A BCP 47 tag (`vi`, `en`, `vi-VN`, in any case): a list holds only what is written in this
    /// language, and a slug names what has it in this language. Without it a slug names the site's
    /// language first (`BULLETIN_DEFAULT_LANG`, `vi` unless set), else the oldest.
    // The pattern and length of `Lang`'s schema.
    #[param(
        max_length = 35,
        pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        example = "en"
    )]
    pub lang: Option<String>,
}

impl LangParams {
    pub fn parse(&self) -> Result<Option<Lang>, crate::error::ApiError> {
        parse_field("lang", self.lang.as_deref())
    }
}

/// An optional tag sent as `field`, parsed: a 422 naming the field if it is
/// no tag.
pub fn parse_field(field: &str, tag: Option<&str>) -> Result<Option<Lang>, crate::error::ApiError> {
    tag.map(Lang::parse)
        .transpose()
        .map_err(|e| crate::error::ApiError::validation(field, e.to_string()))
}

impl Default for Lang {
    fn default() -> Self {
        Self(Self::DEFAULT.to_owned())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelling(input: &str) -> String {
        Lang::parse(input)
            .unwrap_or_else(|_| panic!("{input:?} was refused"))
            .to_string()
    }

    #[test]
    fn tags_are_kept_in_one_spelling() {
        assert_eq!(spelling("vi"), "vi");
        assert_eq!(spelling("VI"), "vi");
        assert_eq!(spelling("vi-vn"), "vi-VN");
        assert_eq!(spelling("VI-VN"), "vi-VN");
        assert_eq!(spelling("zh-hant-tw"), "zh-Hant-TW");
        assert_eq!(spelling("SR-LATN"), "sr-Latn");
        assert_eq!(spelling("de-ch-1996"), "de-CH-1996");
        assert_eq!(spelling("yue"), "yue");
        assert_eq!(spelling("es-419"), "es-419");
    }

    #[test]
    fn subtags_after_a_singleton_are_lower_case_whatever_their_length() {
        assert_eq!(spelling("en-x-US"), "en-x-us");
        assert_eq!(spelling("en-US-u-CA-BUDDHIST"), "en-US-u-ca-buddhist");
    }

    #[test]
    fn what_is_no_tag_is_refused() {
        for bad in [
            "",
            "v",
            "viet",
            "vi-",
            "-vi",
            "vi--VN",
            "vi_VN",
            "vi VN",
            "tiếng",
            "vi-abcdefghi",
            "1a",
            "v1",
            "vi-Việt",
        ] {
            assert_eq!(Lang::parse(bad), Err(LangError), "{bad:?} was accepted");
        }
        let longest = format!("vi{}", "-abcdefgh".repeat(3));
        assert!(longest.len() <= Lang::MAX_LEN && Lang::parse(&longest).is_ok());
        let too_long = format!("vi{}", "-abcdefgh".repeat(4));
        assert_eq!(Lang::parse(&too_long), Err(LangError));
    }

    #[test]
    fn content_is_in_vietnamese_unless_said_otherwise() {
        assert_eq!(Lang::default().as_str(), "vi");
        assert!(Lang::default().is_default());
        assert!(!Lang::parse("en").unwrap().is_default());
        assert!(Lang::parse("VI").unwrap().is_default());
    }

    #[test]
    fn a_bare_slug_names_the_site_language_first_else_the_oldest() {
        let vi = Lang::default();
        let both = vec![(1, "en"), (2, "vi"), (3, "fr")];
        assert_eq!(preferred(both, &vi, |c| c.1).map(|c| c.0), Some(2));
        let foreign = vec![(4, "en"), (5, "fr")];
        assert_eq!(preferred(foreign, &vi, |c| c.1).map(|c| c.0), Some(4));
        let english = Lang::parse("en").unwrap();
        let both = vec![(1, "vi"), (2, "en")];
        assert_eq!(preferred(both, &english, |c| c.1).map(|c| c.0), Some(2));
        assert!(preferred(Vec::<(i32, &str)>::new(), &vi, |c| c.1).is_none());
    }

    #[test]
    fn the_message_names_the_limit() {
        assert!(LangError.to_string().contains("at most 35 characters"));
    }
}
