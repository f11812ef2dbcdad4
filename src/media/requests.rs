//! What an upload and a change send of an image's texts (its alt text,
//! caption and credit), and their parsing.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, FieldErrors, all_parsed};

const MAX_ALT_CHARS: usize = 300;
const MAX_CAPTION_CHARS: usize = 1000;
const MAX_CREDIT_CHARS: usize = 200;

/// What an image's alt text may be: a line of at most 300 characters.
pub struct ImageAlt;

crate::schema_of!(
    ImageAlt,
    crate::text::line_schema(0, MAX_ALT_CHARS),
    "Đại biểu dự hội nghị cải cách hành chính"
);

/// What an image's caption may be: at most 1000 characters, no control
/// characters but line breaks (a form's CR LF is kept as one).
pub struct ImageCaption;

crate::schema_of!(
    ImageCaption,
    crate::text::text_schema(
        0,
        MAX_CAPTION_CHARS,
        r"\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F"
    ),
    "Toàn cảnh hội nghị sáng 5/3/2024"
);

/// What an image's credit may be: a line of at most 200 characters.
pub struct ImageCredit;

crate::schema_of!(
    ImageCredit,
    crate::text::line_schema(0, MAX_CREDIT_CHARS),
    "Ảnh: Văn phòng Sở"
);

/// The texts an image carries, each with its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Alt,
    Caption,
    Credit,
}

impl TextField {
    /// The field a form or a body sends it in.
    pub fn name(self) -> &'static str {
        match self {
            TextField::Alt => "alt",
            TextField::Caption => "caption",
            TextField::Credit => "credit",
        }
    }

    pub fn named(name: &str) -> Option<Self> {
        [TextField::Alt, TextField::Caption, TextField::Credit]
            .into_iter()
            .find(|field| field.name() == name)
    }

    pub fn max_chars(self) -> usize {
        match self {
            TextField::Alt => MAX_ALT_CHARS,
            TextField::Caption => MAX_CAPTION_CHARS,
            TextField::Credit => MAX_CREDIT_CHARS,
        }
    }

    /// What `parse` says of a text that breaks the rule.
    pub fn rule(self) -> String {
        match self {
            TextField::Caption => format!(
                "must be at most {MAX_CAPTION_CHARS} characters, without control characters"
            ),
            line => format!(
                "must be 0 to {} characters, without control characters",
                line.max_chars()
            ),
        }
    }

    /// The text as kept, trimmed; empty means none.
    pub fn parse(self, text: &str) -> Result<String, String> {
        match self {
            TextField::Caption => caption(text).ok_or_else(|| self.rule()),
            line => crate::text::bounded_line(text, 0, line.max_chars()),
        }
    }
}

/// A caption as [`ImageCaption`] says, trimmed, with CR LF and lone CRs
/// as line feeds.
fn caption(text: &str) -> Option<String> {
    let fits = text.chars().count() <= MAX_CAPTION_CHARS;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let clean = text.chars().all(|c| !c.is_control() || c == '\n');
    (fits && clean).then(|| text.trim().to_owned())
}

/// An image's texts as kept: empty for none.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// An image's texts as an upload sent them: `None` for each left out.
#[derive(Debug, Default)]
pub struct SentTexts {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

impl SentTexts {
    pub fn slot(&mut self, field: TextField) -> &mut Option<String> {
        match field {
            TextField::Alt => &mut self.alt,
            TextField::Caption => &mut self.caption,
            TextField::Credit => &mut self.credit,
        }
    }

    /// Each text checked against its rule, every one broken named at once.
    pub fn parse(&self) -> Result<Texts, ApiError> {
        let mut errors = FieldErrors::default();
        let alt = check(&mut errors, TextField::Alt, self.alt.as_deref());
        let caption = check(&mut errors, TextField::Caption, self.caption.as_deref());
        let credit = check(&mut errors, TextField::Credit, self.credit.as_deref());
        all_parsed!(errors; alt, caption, credit);
        Ok(Texts {
            alt: alt.unwrap_or_default(),
            caption: caption.unwrap_or_default(),
            credit: credit.unwrap_or_default(),
        })
    }
}

/// `text` by `field`'s rule when sent, or the error noted.
fn check(errors: &mut FieldErrors, field: TextField, text: Option<&str>) -> Option<Option<String>> {
    errors.check(field.name(), text.map(|text| field.parse(text)).transpose())
}

/// Only the fields sent change; `null` or `""` clears one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateImageRequest {
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<ImageAlt>)]
    pub alt: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<ImageCaption>)]
    pub caption: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<ImageCredit>)]
    pub credit: Option<Option<String>>,
}

/// The texts a change sets: `None` leaves one as it is, `Some("")` clears it.
#[derive(Debug, Clone, Default)]
pub struct TextChanges {
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

impl TextChanges {
    pub fn is_empty(&self) -> bool {
        self.alt.is_none() && self.caption.is_none() && self.credit.is_none()
    }
}

impl UpdateImageRequest {
    /// The changes asked for, each checked against its rule.
    pub fn changes(&self) -> Result<TextChanges, ApiError> {
        let mut errors = FieldErrors::default();
        let mut change = |field: TextField, sent: &Option<Option<String>>| match sent {
            None => Some(None),
            Some(None) => Some(Some(String::new())),
            Some(Some(text)) => check(&mut errors, field, Some(text.as_str())),
        };
        let alt = change(TextField::Alt, &self.alt);
        let caption = change(TextField::Caption, &self.caption);
        let credit = change(TextField::Credit, &self.credit);
        all_parsed!(errors; alt, caption, credit);
        Ok(TextChanges {
            alt,
            caption,
            credit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_held_to_their_rules() {
        assert_eq!(TextField::Alt.parse("  Hội nghị  ").unwrap(), "Hội nghị");
        assert_eq!(TextField::Alt.parse("").unwrap(), "");
        assert_eq!(
            TextField::Alt.parse(&"a".repeat(301)).unwrap_err(),
            TextField::Alt.rule()
        );
        assert!(TextField::Credit.parse("Ảnh:\tVăn phòng").is_err());
        assert_eq!(
            TextField::Caption.parse("Dòng một\r\nDòng hai\r").unwrap(),
            "Dòng một\nDòng hai"
        );
        assert_eq!(
            TextField::Caption.parse("a\u{7}b").unwrap_err(),
            TextField::Caption.rule()
        );
        assert!(TextField::Caption.parse(&"ă".repeat(1000)).is_ok());
        assert!(TextField::Caption.parse(&"ă".repeat(1001)).is_err());
    }

    #[test]
    fn the_rule_of_a_line_is_what_its_parser_says() {
        for field in [TextField::Alt, TextField::Credit] {
            let too_long = "x".repeat(field.max_chars() + 1);
            assert_eq!(field.parse(&too_long).unwrap_err(), field.rule());
        }
    }

    #[test]
    fn a_change_clears_with_null_and_leaves_what_is_not_sent() {
        let request: UpdateImageRequest =
            serde_json::from_value(serde_json::json!({"alt": null, "credit": " Ảnh: Sở "}))
                .unwrap();
        let changes = request.changes().unwrap();
        assert_eq!(changes.alt.as_deref(), Some(""));
        assert_eq!(changes.caption, None);
        assert_eq!(changes.credit.as_deref(), Some("Ảnh: Sở"));
        let nothing: UpdateImageRequest = serde_json::from_value(serde_json::json!({})).unwrap();
        assert!(nothing.changes().unwrap().is_empty());
    }
}
