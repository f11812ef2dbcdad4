//! The media library: images editors and authors upload for articles (a
//! cover, a photo in a body). Each is kept re-encoded, never as sent, so
//! its metadata (a phone photo's EXIF, its GPS position among it) never
//! reaches the public; it is turned upright by its EXIF orientation first.
//! Narrower variants are made at fixed widths, in its own type and in WebP.
//! Their bytes go to the attachments' store (`documents::attachments`:
//! files beside a SQLite database, rows of the database on PostgreSQL)
//! under their SHA-256, and are served as immutable: an image's bytes never
//! change under its URLs, only its alt text, caption and credit do.

mod form;
mod images;
pub mod queries;
mod routes;
mod writes;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::{media, media_variants};
use crate::error::{ApiError, FieldErrors};
use crate::support::timestamps::SiteOffset;
pub use images::{ImageType, MAX_DECODED_BYTES, MAX_SIDE};
pub use routes::configure;

/// The widths variants are made at, narrowest first: those narrower than
/// the image (none is ever wider than what was sent).
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct ImageRow {
    pub id: i32,
    /// Of the stored (re-encoded) image.
    pub sha256: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = media)]
pub struct NewImage<'a> {
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub alt: &'a str,
    pub caption: &'a str,
    pub credit: &'a str,
    /// Who uploaded it, as the audit log names them (never shown publicly:
    /// it is an email).
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media_variants)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct VariantRow {
    pub media_id: i32,
    pub width: i32,
    pub height: i32,
    pub content_type: String,
    pub sha256: String,
    pub byte_size: i64,
}

#[derive(Insertable)]
#[diesel(table_name = media_variants)]
pub struct NewVariant<'a> {
    pub media_id: i32,
    pub width: i32,
    pub height: i32,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub byte_size: i64,
}

/// An image as stored: its row and its variants, narrowest first (each
/// width in the image's own type, then in WebP).
#[derive(Debug, Clone)]
pub struct StoredImage {
    pub row: ImageRow,
    pub variants: Vec<VariantRow>,
}

impl StoredImage {
    /// The digests of every file it has, each once.
    pub fn digests(&self) -> Vec<String> {
        let mut digests = vec![self.row.sha256.clone()];
        for variant in &self.variants {
            if !digests.contains(&variant.sha256) {
                digests.push(variant.sha256.clone());
            }
        }
        digests
    }
}

/// The strong tag of an image's editable state: what `If-Match` compares.
pub fn tag(row: &ImageRow) -> actix_web::http::header::EntityTag {
    crate::http::version_tag("image", row.id, row.version)
}

/// Where bytes of the library are served, in `content_type`: named by their
/// digest, so only who was shown the image knows the URL, and what it names
/// never changes.
pub fn file_url(sha256: &str, content_type: &str) -> String {
    let extension = ImageType::from_content_type(content_type).map_or("bin", ImageType::extension);
    format!("{FILES}{sha256}.{extension}")
}

const FILES: &str = "/api/v1/media/files/";

/// Whether `path` serves an image's bytes (its file or a variant): large,
/// immutable, cached downstream by their own headers, so the response
/// cache keeps none of them in memory.
pub fn is_file_path(path: &str) -> bool {
    path.starts_with(FILES)
}

/// An image of the library, with the narrower variants made of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageResponse {
    #[schema(example = 12)]
    pub id: i32,
    /// The image itself, as kept: re-encoded, upright, without metadata
    /// (EXIF, GPS). Cached for a year: its bytes never change.
    #[schema(
        example = "/api/v1/media/files/677ee6203b31e15e3e7f45fd64a84cf2a2eeddebbe119a66c9d931395af821cb.jpg"
    )]
    pub url: String,
    /// Told from the bytes sent: `image/jpeg`, `image/png` or `image/webp`.
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    /// In pixels, upright (after its EXIF orientation was applied).
    #[schema(example = 1920)]
    pub width: i32,
    #[schema(example = 1080)]
    pub height: i32,
    /// Of the file at `url`, in bytes.
    #[schema(example = 412360)]
    pub byte_size: i64,
    /// What the image shows, for screen readers and when it does not load;
    /// null for none.
    #[schema(example = "Đại biểu dự hội nghị cải cách hành chính")]
    pub alt: Option<String>,
    /// Shown under the image; null for none.
    #[schema(example = "Toàn cảnh hội nghị sáng 5/3/2024")]
    pub caption: Option<String>,
    /// Who took or owns it; null for none.
    #[schema(example = "Ảnh: Văn phòng Sở")]
    pub credit: Option<String>,
    /// Narrower copies for `srcset`, narrowest first: at 320, 640, 1024 and
    /// 1600 pixels wide where the image is wider, each in its own type and
    /// in WebP (lossless, so a photo's WebP may be larger than its JPEG:
    /// compare `byte_size`). None for an image 320 pixels wide or less.
    pub variants: Vec<VariantResponse>,
    /// Increases with every change; the `ETag` is built from it.
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-12-02T09:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-12-02T09:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
}

/// A narrower copy of an image.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantResponse {
    #[schema(example = 640)]
    pub width: i32,
    #[schema(example = 360)]
    pub height: i32,
    #[schema(example = "image/webp")]
    pub content_type: String,
    #[schema(example = 48210)]
    pub byte_size: i64,
    /// Cached for a year: its bytes never change.
    #[schema(
        example = "/api/v1/media/files/7da769d4900f1ad498cef0812bc7a8b1957735b3ae695a3791f73f24866437eb.webp"
    )]
    pub url: String,
}

impl ImageResponse {
    pub fn new(image: StoredImage, offset: SiteOffset) -> Self {
        let StoredImage { row, variants } = image;
        Self {
            url: file_url(&row.sha256, &row.content_type),
            id: row.id,
            content_type: row.content_type,
            width: row.width,
            height: row.height,
            byte_size: row.byte_size,
            alt: crate::text::non_empty(row.alt),
            caption: crate::text::non_empty(row.caption),
            credit: crate::text::non_empty(row.credit),
            variants: variants.into_iter().map(VariantResponse::from).collect(),
            version: row.version,
            created_at: offset.show(row.created_at),
            updated_at: offset.show(row.updated_at),
        }
    }
}

impl From<VariantRow> for VariantResponse {
    fn from(row: VariantRow) -> Self {
        Self {
            url: file_url(&row.sha256, &row.content_type),
            width: row.width,
            height: row.height,
            content_type: row.content_type,
            byte_size: row.byte_size,
        }
    }
}

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
        let (Some(alt), Some(caption), Some(credit)) = (alt, caption, credit) else {
            return Err(errors.into_error());
        };
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
        let (Some(alt), Some(caption), Some(credit)) = (alt, caption, credit) else {
            return Err(errors.into_error());
        };
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

    #[test]
    fn only_an_images_files_are_file_paths() {
        let digest = "7da769d4900f1ad498cef0812bc7a8b1957735b3ae695a3791f73f24866437eb";
        assert_eq!(
            file_url(digest, "image/webp"),
            format!("/api/v1/media/files/{digest}.webp")
        );
        assert!(is_file_path(&file_url(digest, "image/jpeg")));
        assert!(!is_file_path("/api/v1/media/3"));
        assert!(!is_file_path("/api/v1/media"));
        assert!(!is_file_path("/api/v1/documents/1/attachments/1"));
    }
}
