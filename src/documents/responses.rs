//! What clients receive for documents.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::DocumentKind;
use super::attachments::AttachmentResponse;
use super::model::{DocumentStatus, ListedDocument, RelationKind};
use super::queries::Relation;
use crate::areas::AreaResponse;
use crate::support::timestamps::SiteOffset;

/// Another document, as a relation names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRef {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = "5359/QĐ-UBND")]
    pub number: String,
    #[schema(example = "Ban hành Đề án đo lường sự hài lòng của người dân…")]
    pub title: String,
}

/// How the document stands to others, both ways.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct RelatedResponse {
    /// Documents it puts into effect.
    pub implements: Vec<DocumentRef>,
    /// Documents that put it into effect.
    pub implemented_by: Vec<DocumentRef>,
    pub amends: Vec<DocumentRef>,
    pub amended_by: Vec<DocumentRef>,
    /// Documents it replaces.
    pub supersedes: Vec<DocumentRef>,
    /// Documents that replace it.
    pub replaced_by: Vec<DocumentRef>,
}

impl RelatedResponse {
    fn new(relations: Vec<Relation>) -> Self {
        let mut related = Self::default();
        for relation in relations {
            let list = match (relation.kind, relation.outgoing) {
                (RelationKind::Implements, true) => &mut related.implements,
                (RelationKind::Implements, false) => &mut related.implemented_by,
                (RelationKind::Amends, true) => &mut related.amends,
                (RelationKind::Amends, false) => &mut related.amended_by,
                (RelationKind::Supersedes, true) => &mut related.supersedes,
                (RelationKind::Supersedes, false) => &mut related.replaced_by,
            };
            list.push(DocumentRef {
                id: relation.other_id,
                number: relation.other_number,
                title: relation.other_title,
            });
        }
        related
    }
}

/// The public consultation window of a draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationResponse {
    #[schema(example = "2026-12-01T00:00:00+07:00")]
    pub from: DateTime<FixedOffset>,
    #[schema(example = "2026-12-31T23:59:59+07:00")]
    pub to: DateTime<FixedOffset>,
    /// Whether readers may comment now.
    #[schema(example = false)]
    pub open: bool,
}

/// A document of the registry.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentResponse {
    #[schema(example = 1)]
    pub id: i32,
    /// Canonical: `number/TYPE-ISSUER`, `number/year/TYPE-ISSUER`, or `number/ISSUER` for letters.
    #[schema(example = "5359/QĐ-UBND")]
    pub number: String,
    pub kind: DocumentKind,
    /// The type code of the number (`QĐ`); null for official letters.
    #[schema(example = "QĐ")]
    pub type_code: Option<String>,
    #[schema(example = "UBND")]
    pub issuer_code: String,
    #[schema(example = "UBND tỉnh Bình Định")]
    pub issuing_body: String,
    #[schema(example = "2021-12-31")]
    pub issued_on: Option<NaiveDate>,
    #[schema(example = "2021-12-31")]
    pub effective_on: Option<NaiveDate>,
    /// The first day it is no longer in force.
    #[schema(example = json!(null))]
    pub expires_on: Option<NaiveDate>,
    /// Null when not recorded.
    #[schema(example = "Nguyễn Tự Công Hoàng")]
    pub signer: Option<String>,
    /// The trích yếu.
    #[schema(
        example = "Ban hành Đề án đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước trên địa bàn tỉnh Bình Định giai đoạn 2022-2025"
    )]
    pub title: String,
    /// The language of its record, a BCP 47 tag.
    #[schema(example = "vi")]
    pub lang: String,
    /// Where it stands on `status_on`, from its dates and relations.
    pub status: DocumentStatus,
    /// The date `status` is for: today at the site, or the `on` asked for.
    #[schema(example = "2026-11-25")]
    pub status_on: NaiveDate,
    /// Whether it is in force on `status_on`.
    #[schema(example = true)]
    pub in_force: bool,
    /// A draft's public consultation window; null when it has none.
    pub consultation: Option<ConsultationResponse>,
    pub related: RelatedResponse,
    pub areas: Vec<AreaResponse>,
    /// The files attached: the signed text, its annexes.
    pub attachments: Vec<AttachmentResponse>,
    #[schema(example = 12)]
    pub view_count: i64,
    #[schema(example = 3)]
    pub download_count: i64,
    /// Published articles that cite it.
    #[schema(example = 1)]
    pub cited_by_count: i64,
    /// Increases with every change; send it back (or the ETag) to update safely.
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-11-25T09:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-11-25T09:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
}

/// When a document is shown, and what it is shown with.
pub struct Showing {
    pub on: NaiveDate,
    pub now: NaiveDateTime,
    pub offset: SiteOffset,
}

impl DocumentResponse {
    pub fn new(
        listed: ListedDocument,
        relations: Vec<Relation>,
        areas: Vec<AreaResponse>,
        attachments: Vec<AttachmentResponse>,
        showing: &Showing,
    ) -> Self {
        let ListedDocument {
            document,
            status,
            cited_by_count,
        } = listed;
        let consultation = match (document.consultation_from, document.consultation_to) {
            (Some(from), Some(to)) => Some(ConsultationResponse {
                from: showing.offset.show(from),
                to: showing.offset.show(to),
                open: document.is_draft && from <= showing.now && showing.now < to,
            }),
            _ => None,
        };
        Self {
            id: document.id,
            number: document.number,
            kind: document.kind,
            type_code: document.type_code,
            issuer_code: document.issuer_code,
            issuing_body: document.issuing_body,
            issued_on: document.issued_on,
            effective_on: document.effective_on,
            expires_on: document.expires_on,
            signer: crate::text::non_empty(document.signer),
            title: document.title,
            lang: document.lang,
            status,
            status_on: showing.on,
            in_force: status == DocumentStatus::InForce,
            consultation,
            related: RelatedResponse::new(relations),
            areas,
            attachments,
            view_count: document.view_count,
            download_count: document.download_count,
            cited_by_count,
            version: document.version,
            created_at: showing.offset.show(document.created_at),
            updated_at: showing.offset.show(document.updated_at),
        }
    }
}

/// One reference found in a text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceResponse {
    /// Canonical.
    #[schema(example = "5359/QĐ-UBND")]
    pub number: String,
    pub kind: DocumentKind,
    #[schema(example = "QĐ")]
    pub type_code: Option<String>,
    #[schema(example = "UBND")]
    pub issuer_code: String,
    /// From "ngày 31/12/2021" or "ngày 31 tháng 12 năm 2021" right after the number.
    #[schema(example = "2021-12-31")]
    pub issued_on: Option<NaiveDate>,
    /// Where the number first appears, in characters (Unicode scalar values).
    pub span: SpanResponse,
    /// The same place in UTF-16 code units, as JavaScript indexes strings.
    pub span_utf16: SpanResponse,
    /// Every place the number appears (the first included), to link each
    /// mention.
    pub occurrences: Vec<OccurrenceResponse>,
    /// The registered document with this number; null when it is not registered.
    #[schema(example = 1)]
    pub document_id: Option<i32>,
}

/// Where a reference is in the text, end exclusive.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct SpanResponse {
    #[schema(example = 254)]
    pub start: usize,
    #[schema(example = 266)]
    pub end: usize,
}

/// One mention of a number: in characters, and in UTF-16 code units.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccurrenceResponse {
    pub span: SpanResponse,
    pub span_utf16: SpanResponse,
}

/// Every reference of the text, each number once, in the order they first appear.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractResponse {
    pub references: Vec<ReferenceResponse>,
}
