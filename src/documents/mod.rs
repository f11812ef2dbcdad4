//! Documents: the registry of plans, decisions and other official texts that
//! articles cite.

pub mod attachments;
pub mod extract;
pub mod model;
pub mod number;
pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use crate::db::DbConnection;
use chrono::NaiveDate;
use diesel::QueryResult;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::text_enum;
pub use model::{DocumentFields, DocumentRow, DocumentStatus, NewDocument};
pub use requests::{CreateDocumentRequest, RelatedRequest, UpdateDocumentRequest};
pub use responses::{DocumentResponse, ExtractResponse, OccurrenceResponse};
pub use routes::{ExtractRequest, configure};
pub use writes::new_fields;

text_enum! {
    /// What kind of text a document is, after the type codes of Decree
    /// 30/2020/NĐ-CP (QĐ decision, KH plan, CT directive, …) and of the law
    /// on legal normative documents (NĐ decree, TT circular).
    pub enum DocumentKind {
        Decision = "decision",
        Plan = "plan",
        Directive = "directive",
        Resolution = "resolution",
        Scheme = "scheme",
        Report = "report",
        Notice = "notice",
        OfficialLetter = "official_letter",
        Decree = "decree",
        Circular = "circular",
        Law = "law",
        Regulation = "regulation",
        Guide = "guide",
        Programme = "programme",
        Project = "project",
        Minutes = "minutes",
        Submission = "submission",
        Contract = "contract",
        Telegram = "telegram",
        Invitation = "invitation",
        /// A Party conclusion (`Kết luận số 35-KL/TW`).
        Conclusion = "conclusion",
        Other = "other",
    }
}

/// Links an article to the documents its text cites: every reference
/// found is kept by number, registered or not (a document registered later
/// is linked by its number). Answers whether it now cites other numbers
/// than it did.
pub fn cite(conn: &mut DbConnection, article_id: i32, text: &str) -> QueryResult<bool> {
    queries::replace_references(conn, article_id, &extract::extract(text))
}

/// A document as embedded in an article (`documents`: the texts it cites).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentSummaryResponse {
    #[schema(example = 1)]
    pub id: i32,
    /// The official number, `number/TYPE-ISSUER` or `number/year/TYPE-ISSUER`.
    #[schema(example = "5359/QĐ-UBND")]
    pub number: String,
    pub kind: DocumentKind,
    /// The trích yếu: what the document is about.
    #[schema(
        example = "Ban hành Đề án đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước trên địa bàn tỉnh Bình Định giai đoạn 2022-2025"
    )]
    pub title: String,
    #[schema(example = "UBND tỉnh Bình Định")]
    pub issuing_body: String,
    #[schema(example = "2021-12-31")]
    pub issued_on: Option<NaiveDate>,
    /// Where it stands today at the site.
    pub status: DocumentStatus,
    /// Its page: `BULLETIN_DOCUMENT_URL` with its id, or this API's
    /// resource when that is unset.
    #[schema(example = "/api/v1/documents/1")]
    pub url: String,
}

impl DocumentSummaryResponse {
    pub fn new(cited: queries::CitedDocument, links: &crate::http::permalinks::Permalinks) -> Self {
        let row = cited.document;
        Self {
            status: cited.status,
            url: links.document(row.id),
            id: row.id,
            number: row.number,
            kind: row.kind,
            title: row.title,
            issuing_body: row.issuing_body,
            issued_on: row.issued_on,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_sent_as_they_are_stored() {
        crate::db::assert_json_matches_storage(DocumentKind::ALL, |k| k.as_str());
        assert_eq!(DocumentKind::OfficialLetter.as_str(), "official_letter");
    }
}
