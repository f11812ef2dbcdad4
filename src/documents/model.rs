//! Diesel models of documents (never serialised: see `responses`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DocumentKind;
use crate::db::schema::documents;
use crate::db::text_enum;

text_enum! {
    /// Where a document stands on a date. It follows from the dates and the
    /// relations, not from a stored flag: a document superseded by one in
    /// effect is not in force, whatever its own dates say.
    pub enum DocumentStatus {
        /// Issued, effective, not expired, not superseded.
        InForce = "in_force",
        /// Issued, but its `effective_on` has not come.
        NotYetInForce = "not_yet_in_force",
        /// Its `expires_on` has come.
        Expired = "expired",
        /// A document in effect supersedes it.
        Superseded = "superseded",
        /// Not issued yet (it may be open for public consultation).
        Draft = "draft",
    }
}

text_enum! {
    /// How one document stands to another, stored once per pair and read
    /// both ways (`supersedes` one way is `replaced_by` the other).
    pub enum RelationKind {
        Implements = "implements",
        Amends = "amends",
        Supersedes = "supersedes",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = documents)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct DocumentRow {
    pub id: i32,
    pub number: String,
    pub kind: DocumentKind,
    pub type_code: Option<String>,
    pub issuer_code: String,
    pub year: Option<i32>,
    pub issuing_body: String,
    pub issued_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub signer: String,
    pub title: String,
    pub is_draft: bool,
    pub consultation_from: Option<NaiveDateTime>,
    pub consultation_to: Option<NaiveDateTime>,
    pub view_count: i64,
    pub download_count: i64,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A [`crate::text::lang::Lang`] as it spells itself.
    pub lang: String,
}

crate::http::versioned!(DocumentRow, "document");

/// What an article shows of a document it cites: a read of an article
/// loads these few columns of each, not the whole row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = documents)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct CitedDocumentRow {
    pub id: i32,
    pub number: String,
    pub kind: DocumentKind,
    pub title: String,
    pub issuing_body: String,
    pub issued_on: Option<NaiveDate>,
}

/// A document with what follows from the rest of the registry on a date.
#[derive(Debug, Clone, QueryableByName)]
pub struct ListedDocument {
    #[diesel(embed)]
    pub document: DocumentRow,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub status: DocumentStatus,
    /// Published articles that cite it.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub cited_by_count: i64,
}

/// Every stored field of a document but its id and counters: what a create
/// inserts and an update sets.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = documents)]
#[diesel(treat_none_as_null = true)]
pub struct DocumentFields {
    pub number: String,
    pub kind: DocumentKind,
    pub type_code: Option<String>,
    pub issuer_code: String,
    pub year: Option<i32>,
    pub issuing_body: String,
    pub issued_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub signer: String,
    pub title: String,
    pub is_draft: bool,
    pub consultation_from: Option<NaiveDateTime>,
    pub consultation_to: Option<NaiveDateTime>,
    pub lang: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = documents)]
pub struct NewDocument {
    #[diesel(embed)]
    pub fields: DocumentFields,
    pub created_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_relations_are_sent_as_they_are_stored() {
        crate::db::assert_json_matches_storage(DocumentStatus::ALL, |s| s.as_str());
        crate::db::assert_json_matches_storage(RelationKind::ALL, |s| s.as_str());
    }
}
