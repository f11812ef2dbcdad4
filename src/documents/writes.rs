//! The rules of the registry, whoever writes: a canonical number that is
//! unique, dates in order, a consultation window only on drafts, relations
//! to documents that exist and never both ways.

use crate::db::DbConnection;
use crate::text::lang::Lang;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::json;

use super::model::{DocumentFields, DocumentRow, NewDocument, RelationKind};
use super::number::DocumentNumber;
use super::requests::{
    CreateDocumentRequest, DocumentTitle, IssuingBody, RelatedRequest, Signer,
    UpdateDocumentRequest,
};
use super::{DocumentKind, attachments, queries};
use crate::audit::{self, Actor, AuditEvent};
use crate::db::Database;
use crate::error::{ApiError, FieldErrors, all_parsed};
use crate::http::Precondition;
use crate::support::timestamps::{CalendarDate, Timestamp};
use crate::text::bounded_line;
use crate::webhooks::{self, EventKind};
use crate::{areas, http};

/// The target type of the audit log's entries these writes make.
const AUDITED: &str = "document";

fn number_taken(number: &str) -> ApiError {
    ApiError::Conflict(format!("the registry already holds {number}"))
}

/// An optional field of an update over its stored value: sent (a value, or
/// null to clear it) or left as it is.
fn laid_over<T, S>(sent: Option<Option<T>>, stored: Option<S>, into: impl Fn(T) -> S) -> Option<S> {
    match sent {
        Some(value) => value.map(into),
        None => stored,
    }
}

/// A document as proposed by a write, before its checks: a create's fields,
/// or the stored ones with an update's laid over them.
struct Proposal {
    number: String,
    title: String,
    issuing_body: String,
    kind: Option<DocumentKind>,
    issued_on: Option<NaiveDate>,
    effective_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
    signer: String,
    draft: bool,
    /// In UTC, as stored.
    consultation_from: Option<NaiveDateTime>,
    consultation_to: Option<NaiveDateTime>,
    /// As sent (or stored), a tag to parse.
    lang: String,
}

impl Proposal {
    /// The request's fields, in `site_lang` unless it names a language.
    fn from_create(request: &CreateDocumentRequest, site_lang: &Lang) -> Self {
        Self {
            lang: request
                .lang
                .clone()
                .unwrap_or_else(|| site_lang.to_string()),
            number: request.number.clone(),
            title: request.title.clone(),
            issuing_body: request.issuing_body.clone(),
            kind: request.kind,
            issued_on: request.issued_on.map(CalendarDate::date),
            effective_on: request.effective_on.map(CalendarDate::date),
            expires_on: request.expires_on.map(CalendarDate::date),
            signer: request.signer.clone().unwrap_or_default(),
            draft: request.draft,
            consultation_from: request.consultation_from.map(Timestamp::naive_utc),
            consultation_to: request.consultation_to.map(Timestamp::naive_utc),
        }
    }

    /// The stored document with the update's fields laid over it. A new
    /// number without a kind takes the kind the number says.
    fn from_update(current: &DocumentRow, update: &UpdateDocumentRequest) -> Self {
        let derived_kind = update.number.as_ref().map(|_| None);
        Self {
            lang: update.lang.clone().unwrap_or_else(|| current.lang.clone()),
            number: update
                .number
                .clone()
                .unwrap_or_else(|| current.number.clone()),
            title: update
                .title
                .clone()
                .unwrap_or_else(|| current.title.clone()),
            issuing_body: update
                .issuing_body
                .clone()
                .unwrap_or_else(|| current.issuing_body.clone()),
            kind: update
                .kind
                .map(Some)
                .or(derived_kind)
                .unwrap_or(Some(current.kind)),
            issued_on: laid_over(update.issued_on, current.issued_on, CalendarDate::date),
            effective_on: laid_over(
                update.effective_on,
                current.effective_on,
                CalendarDate::date,
            ),
            expires_on: laid_over(update.expires_on, current.expires_on, CalendarDate::date),
            signer: update
                .signer
                .clone()
                .unwrap_or_else(|| current.signer.clone()),
            draft: update.draft.unwrap_or(current.is_draft),
            consultation_from: laid_over(
                update.consultation_from,
                current.consultation_from,
                Timestamp::naive_utc,
            ),
            consultation_to: laid_over(
                update.consultation_to,
                current.consultation_to,
                Timestamp::naive_utc,
            ),
        }
    }

    /// The fields to store, or every field that is wrong.
    fn check(self, version: i32, now: NaiveDateTime) -> Result<DocumentFields, ApiError> {
        let mut errors = FieldErrors::default();
        let number = errors.check("number", DocumentNumber::parse(&self.number));
        let title = errors.check(
            "title",
            bounded_line(&self.title, 1, DocumentTitle::MAX_CHARS),
        );
        let issuing_body = errors.check(
            "issuing_body",
            bounded_line(&self.issuing_body, 1, IssuingBody::MAX_CHARS),
        );
        let signer = errors.check("signer", bounded_line(&self.signer, 0, Signer::MAX_CHARS));
        let lang = errors.check("lang", Lang::parse(&self.lang));
        check_dates(&mut errors, &self);
        let window = consultation_window(&self)
            .map_err(|message| errors.contradicts("consultation_to", message))
            .ok();
        all_parsed!(errors; number, title, issuing_body, signer, window, lang);
        let (from, to) = window;
        if !errors.is_empty() {
            return Err(errors.into_error());
        }
        let year = self
            .issued_on
            .map(|date| date.year())
            .or(number.year().map(i32::from));
        Ok(DocumentFields {
            kind: self.kind.unwrap_or_else(|| number.kind()),
            type_code: number.type_code().map(str::to_owned),
            issuer_code: number.issuer_code().to_owned(),
            number: number.to_string(),
            year,
            issuing_body,
            issued_on: self.issued_on,
            effective_on: self.effective_on,
            expires_on: self.expires_on,
            signer,
            title,
            is_draft: self.draft,
            consultation_from: from,
            consultation_to: to,
            lang: lang.to_string(),
            version,
            updated_at: now,
        })
    }
}

/// A document takes effect on or after its issue, and expires after both.
fn check_dates(errors: &mut FieldErrors, proposal: &Proposal) {
    if let (Some(issued), Some(effective)) = (proposal.issued_on, proposal.effective_on)
        && effective < issued
    {
        errors.contradicts("effective_on", "must be on or after issued_on");
    }
    if let Some(expires) = proposal.expires_on {
        let earlier = [proposal.issued_on, proposal.effective_on];
        if earlier.into_iter().flatten().any(|date| expires <= date) {
            errors.contradicts("expires_on", "must be after issued_on and effective_on");
        }
    }
}

type Window = (Option<NaiveDateTime>, Option<NaiveDateTime>);

/// Only a draft is consulted on, during a window with both ends, in order.
fn consultation_window(proposal: &Proposal) -> Result<Window, String> {
    match (proposal.consultation_from, proposal.consultation_to) {
        (None, None) => Ok((None, None)),
        _ if !proposal.draft => Err("only a draft is opened for consultation".into()),
        (Some(from), Some(to)) if from < to => Ok((Some(from), Some(to))),
        (Some(_), Some(_)) => Err("must be after consultation_from".into()),
        _ => Err("a consultation window needs both consultation_from and consultation_to".into()),
    }
}

/// The relations a document states, checked against the registry.
fn check_related(
    conn: &mut DbConnection,
    id: Option<i32>,
    related: &RelatedRequest,
) -> Result<Vec<(RelationKind, i32)>, ApiError> {
    let mut errors = FieldErrors::default();
    let lists = [
        ("related.implements", &related.implements),
        ("related.amends", &related.amends),
        ("related.supersedes", &related.supersedes),
        ("related.replaced_by", &related.replaced_by),
    ];
    for (field, ids) in lists {
        let found = queries::existing(conn, ids)?;
        if let Some(message) = ApiError::none_among("document", ids, &found) {
            errors.missing(field, message);
        }
        if id.is_some_and(|id| ids.contains(&id)) {
            errors.push(field, "a document cannot relate to itself");
        }
    }
    if related
        .supersedes
        .iter()
        .any(|id| related.replaced_by.contains(id))
    {
        errors.push(
            "related.replaced_by",
            "a document cannot both supersede and be replaced by the same one",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into_error());
    }
    let stated = [
        (RelationKind::Implements, &related.implements),
        (RelationKind::Amends, &related.amends),
        (RelationKind::Supersedes, &related.supersedes),
    ];
    Ok(stated
        .into_iter()
        .flat_map(|(kind, ids)| ids.iter().map(move |id| (kind, *id)))
        .collect())
}

fn store_relations(
    conn: &mut DbConnection,
    id: i32,
    related: &RelatedRequest,
) -> Result<(), ApiError> {
    let stated = check_related(conn, Some(id), related)?;
    queries::replace_relations(conn, id, &stated, &related.replaced_by)?;
    Ok(())
}

/// Tells webhook subscribers of a write to document `id`.
fn announce(
    conn: &mut DbConnection,
    kind: EventKind,
    id: i32,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if let Some(document) = queries::find_row(conn, id)? {
        let data = json!({"id": id, "number": document.number, "title": document.title,
            "path": format!("/api/v1/documents/{id}")});
        webhooks::emit(conn, kind, data, now)?;
    }
    Ok(())
}

/// The fields a new document stores, or every field that is wrong.
/// The fields of a new document, in `site_lang` unless the request names a
/// language.
pub fn new_fields(
    request: &CreateDocumentRequest,
    site_lang: &Lang,
    now: NaiveDateTime,
) -> Result<DocumentFields, ApiError> {
    Proposal::from_create(request, site_lang).check(1, now)
}

pub async fn create(
    db: &Database,
    request: CreateDocumentRequest,
    site_lang: &Lang,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<i32, ApiError> {
    let fields = new_fields(&request, site_lang, now)?;
    db.write(move |conn| {
        if queries::id_of_number(conn, &fields.number)?.is_some() {
            return Err(number_taken(&fields.number));
        }
        let related = request.related.clone().unwrap_or_default();
        check_related(conn, None, &related)?;
        if let Some(area_ids) = &request.area_ids {
            areas::check_exist(conn, area_ids)?;
        }
        let number = fields.number.clone();
        let id = queries::insert(
            conn,
            &NewDocument {
                fields: fields.clone(),
                created_at: now,
            },
        )?;
        store_relations(conn, id, &related)?;
        if let Some(area_ids) = &request.area_ids {
            areas::queries::replace_document_areas(conn, id, area_ids)?;
        }
        audit::record(
            conn,
            &actor,
            AuditEvent::on("document.create", AUDITED, id, json!({"number": number})),
            now,
        )?;
        announce(conn, EventKind::DocumentCreated, id, now)?;
        Ok(id)
    })
    .await
}

pub async fn update(
    db: &Database,
    id: i32,
    request: UpdateDocumentRequest,
    precondition: Precondition,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find_row(conn, id)?, id)?;
        http::check_version(request.version, current.version)?;
        let fields = Proposal::from_update(&current, &request).check(current.version + 1, now)?;
        if fields.number != current.number && queries::id_of_number(conn, &fields.number)?.is_some()
        {
            return Err(number_taken(&fields.number));
        }
        if let Some(area_ids) = &request.area_ids {
            areas::check_exist(conn, area_ids)?;
        }
        queries::update(conn, id, &fields)?;
        if let Some(related) = &request.related {
            store_relations(conn, id, related)?;
        }
        if let Some(area_ids) = &request.area_ids {
            areas::queries::replace_document_areas(conn, id, area_ids)?;
        }
        let details = json!({"from": {"number": current.number}, "to": {"number": fields.number}});
        audit::record(
            conn,
            &actor,
            AuditEvent::on("document.update", AUDITED, id, details),
            now,
        )?;
        announce(conn, EventKind::DocumentUpdated, id, now)
    })
    .await
}

/// Deletes a document with its attachments; answers the digests of the
/// files no attachment holds any more, for the caller to remove.
pub async fn delete(
    db: &Database,
    id: i32,
    precondition: Precondition,
    actor: Actor,
    now: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find_row(conn, id)?, id)?;
        let files = attachments::queries::of_documents(conn, &[id])?;
        announce(conn, EventKind::DocumentDeleted, id, now)?;
        queries::delete(conn, id)?;
        let details = json!({"number": current.number, "title": current.title});
        audit::record(
            conn,
            &actor,
            AuditEvent::on("document.delete", AUDITED, id, details),
            now,
        )?;
        let mut unused = Vec::new();
        for file in files {
            if !attachments::queries::content_in_use(conn, &file.sha256)?
                && !unused.contains(&file.sha256)
            {
                unused.push(file.sha256);
            }
        }
        Ok(unused)
    })
    .await
}
