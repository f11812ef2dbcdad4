//! Documents: the registry of plans, decisions and other official texts that
//! articles cite.

pub mod queries;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::documents;
use crate::db::text_enum;

text_enum! {
    /// What kind of text a document is, after the type codes of Decree
    /// 30/2020/NĐ-CP (QĐ decision, KH plan, CT directive, …).
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
        Other = "other",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite))]
pub struct DocumentRow {
    pub id: i32,
    pub number: String,
    pub kind: DocumentKind,
    pub issuing_body: String,
    pub issued_on: Option<NaiveDate>,
    pub title: String,
}

#[derive(Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument<'a> {
    pub number: &'a str,
    pub kind: DocumentKind,
    pub issuing_body: &'a str,
    pub issued_on: Option<NaiveDate>,
    pub title: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
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
}

impl From<DocumentRow> for DocumentSummaryResponse {
    fn from(row: DocumentRow) -> Self {
        Self {
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
