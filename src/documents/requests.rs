//! What clients send to write documents.

use crate::text::lang::Lang;
use serde::Deserialize;
use utoipa::ToSchema;

use super::DocumentKind;
use super::number::DocumentNumber;
use crate::support::timestamps::{CalendarDate, Timestamp};
use crate::text::line_schema;

/// A document's trích yếu as sent: a line of 1 to 1000 characters.
pub struct DocumentTitle;

impl DocumentTitle {
    pub const MAX_CHARS: usize = 1000;
}

crate::schema_of!(
    DocumentTitle,
    line_schema(1, DocumentTitle::MAX_CHARS),
    "Ban hành Bộ chỉ số đo lường sự hài lòng của người dân"
);

/// The body that issued a document, as sent: a line of 1 to 200 characters.
pub struct IssuingBody;

impl IssuingBody {
    pub const MAX_CHARS: usize = 200;
}

crate::schema_of!(
    IssuingBody,
    line_schema(1, IssuingBody::MAX_CHARS),
    "UBND tỉnh Bình Định"
);

/// Who signed a document, as sent: a line of at most 200 characters.
pub struct Signer;

impl Signer {
    pub const MAX_CHARS: usize = 200;
}

crate::schema_of!(
    Signer,
    line_schema(0, Signer::MAX_CHARS),
    "Nguyễn Tự Công Hoàng"
);

/// How a document stands to others, by their ids. Kept symmetric: a
/// document's `replaced_by` is the other's `supersedes`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelatedRequest {
    /// Documents this one puts into effect (a plan implementing a decision).
    #[serde(default)]
    #[schema(example = json!([1]))]
    pub implements: Vec<i32>,
    /// Documents this one amends.
    #[serde(default)]
    pub amends: Vec<i32>,
    /// Documents this one replaces: they are no longer in force once it is.
    #[serde(default)]
    pub supersedes: Vec<i32>,
    /// Documents that replace this one.
    #[serde(default)]
    pub replaced_by: Vec<i32>,
}

/// A new document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDocumentRequest {
    /// The official number, in any case and spacing: `5359/QĐ-UBND`,
    /// `30/2020/NĐ-CP`, `1234/UBND-KT`. Stored in canonical form.
    #[schema(value_type = DocumentNumber)]
    pub number: String,
    /// The trích yếu: what the document is about.
    #[schema(value_type = DocumentTitle)]
    pub title: String,
    #[schema(value_type = IssuingBody)]
    pub issuing_body: String,
    /// Defaults to the kind the number's type code says.
    pub kind: Option<DocumentKind>,
    #[schema(value_type = Option<NaiveDate>)]
    pub issued_on: Option<CalendarDate>,
    /// On or after `issued_on`.
    #[schema(value_type = Option<NaiveDate>)]
    pub effective_on: Option<CalendarDate>,
    /// After `issued_on` and `effective_on`: the first day it is no longer in force.
    #[schema(value_type = Option<NaiveDate>)]
    pub expires_on: Option<CalendarDate>,
    #[schema(value_type = Option<Signer>)]
    pub signer: Option<String>,
    /// A draft, not issued yet: it may be opened for public consultation.
    #[serde(default)]
    pub draft: bool,
    /// The public consultation window of a draft (both or neither).
    #[schema(value_type = Option<Timestamp>)]
    pub consultation_from: Option<Timestamp>,
    #[schema(value_type = Option<Timestamp>)]
    pub consultation_to: Option<Timestamp>,
    pub related: Option<RelatedRequest>,
    /// The areas (fields) it belongs to, by id.
    pub area_ids: Option<Vec<i32>>,
    /// The language of its record (title, issuing body), a BCP 47 tag; the site's
    /// (`BULLETIN_DEFAULT_LANG`, `vi` unless set) when left out. Numbers stay unique whatever
    /// the language.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
}

/// Only the fields sent change; `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDocumentRequest {
    #[schema(value_type = Option<DocumentNumber>)]
    pub number: Option<String>,
    #[schema(value_type = Option<DocumentTitle>)]
    pub title: Option<String>,
    #[schema(value_type = Option<IssuingBody>)]
    pub issuing_body: Option<String>,
    pub kind: Option<DocumentKind>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub issued_on: Option<Option<CalendarDate>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub effective_on: Option<Option<CalendarDate>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub expires_on: Option<Option<CalendarDate>>,
    #[schema(value_type = Option<Signer>)]
    pub signer: Option<String>,
    /// `false` issues a draft.
    pub draft: Option<bool>,
    /// The language of its record, a BCP 47 tag.
    #[schema(value_type = Option<Lang>)]
    pub lang: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<Timestamp>)]
    pub consultation_from: Option<Option<Timestamp>>,
    #[serde(default, deserialize_with = "crate::http::json::present")]
    #[schema(value_type = Option<Timestamp>)]
    pub consultation_to: Option<Option<Timestamp>>,
    /// Replaces every relation this document states, and its `replaced_by`.
    pub related: Option<RelatedRequest>,
    pub area_ids: Option<Vec<i32>>,
    /// The `version` you read; 412 if the document changed since (or send `If-Match`).
    #[schema(example = 1)]
    pub version: Option<i32>,
}
