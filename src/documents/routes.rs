//! HTTP handlers for documents: public reads and extraction, editor writes.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::attachments::{self, AttachmentResponse, AttachmentStore};
use super::model::{DocumentRow, DocumentStatus, ListedDocument};
use super::number::DocumentNumber;
use super::queries::{self, DocumentFilter, DocumentPosition};
use super::requests::{CreateDocumentRequest, UpdateDocumentRequest};
use super::responses::{
    DocumentResponse, ExtractResponse, OccurrenceResponse, ReferenceResponse, Showing, SpanResponse,
};
use super::{DocumentKind, extract, writes};
use crate::areas::{self, AreaResponse};
use crate::auth::roles::Editor;
use crate::auth::{RequireRole, Viewer};
use crate::db::Database;
use crate::db::DbConnection;
use crate::error::{ApiError, Problem};
use crate::http::etag::tagged_json;
use crate::http::permalinks::Permalinks;
use crate::http::{
    JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned, version_tag,
};
use crate::readers::view_counts::{Counted, ViewCounter, count_read};
use crate::support::timestamps::{CalendarDate, SiteOffset};
use crate::text::lang;
use crate::text::search::SearchQuery;
use crate::text::slug::IdOrSlug;

pub fn configure(config: &mut ServiceConfig) {
    attachments::configure(config);
    config
        .service(list_documents)
        .service(create_document)
        .service(extract_references)
        .service(get_document)
        .service(update_document)
        .service(delete_document);
}

/// What to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentListParams {
    /// Full-text search over number, title (trích yếu), issuing body and
    /// signer, insensitive to case and Vietnamese diacritics, đ included. A
    /// number finds its document: `5359`, `5359/QĐ-UBND`. A `q` with no
    /// letter or digit (blank, or punctuation only) is left out; past 32
    /// words, the rest are.
    #[param(example = "do luong su hai long")]
    pub q: Option<String>,
    pub kind: Option<DocumentKind>,
    /// The issuer part of the number (`UBND`, `UBND-KT`), whatever its case.
    #[param(example = "UBND")]
    pub issuer_code: Option<String>,
    /// The year of issue.
    #[param(example = 2022)]
    pub year: Option<i32>,
    /// Exactly this number, in any case and spacing (one that is not a
    /// document number matches nothing).
    #[param(example = "5359/QĐ-UBND")]
    pub number: Option<String>,
    /// Only documents with this status on `on`.
    pub status: Option<DocumentStatus>,
    /// Only documents in this area (id or slug) or its subareas.
    #[param(example = "cai-cach-hanh-chinh", min_length = 1)]
    pub area: Option<String>,
    /// The date statuses are for (default: today at the site).
    #[param(value_type = Option<NaiveDate>, example = "2022-06-01")]
    pub on: Option<CalendarDate>,
    /// Only documents whose record is in this language, a BCP 47 tag (`vi`, `en`, any case).
    #[param(
        max_length = 35,
        pattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        example = "vi"
    )]
    pub lang: Option<String>,
}

impl DocumentListParams {
    async fn filter(self, db: &Database) -> Result<DocumentFilter, ApiError> {
        let lang = lang::parse_field("lang", self.lang.as_deref())?;
        let matching = self.q.as_deref().and_then(SearchQuery::parse);
        // A number that does not parse is no registered one's (they are
        // stored parsed): it matches nothing, as it stands.
        let number = self.number.map(|number| {
            DocumentNumber::parse(&number).map_or(number, |number| number.to_string())
        });
        let area_ids = match self.area {
            None => None,
            Some(key) => {
                let unknown =
                    || ApiError::missing("area", format!("no area has the id or slug `{key}`"));
                let lookup = IdOrSlug::parse(&key).ok_or_else(unknown)?;
                let found = db
                    .read(
                        move |conn| match areas::queries::find_by_key(conn, &lookup)? {
                            Some(area) => areas::queries::subtree(conn, area.id).map(Some),
                            None => Ok(None),
                        },
                    )
                    .await?;
                Some(found.ok_or_else(unknown)?)
            }
        };
        Ok(DocumentFilter {
            matching,
            kind: self.kind,
            issuer_code: self.issuer_code.map(|code| code.trim().to_uppercase()),
            year: self.year,
            number,
            status: self.status,
            area_ids,
            lang: lang.map(|lang| lang.to_string()),
        })
    }
}

/// The date a status is for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnParams {
    /// The date `status` and `in_force` are for (default: today at the site).
    #[param(value_type = Option<NaiveDate>, example = "2022-06-01")]
    pub on: Option<CalendarDate>,
}

fn showing(on: Option<NaiveDate>, offset: SiteOffset) -> Showing {
    let now = crate::support::timestamps::now();
    Showing {
        on: on.unwrap_or_else(|| offset.date_of(now)),
        now,
        offset,
    }
}

/// Documents with their relations and areas, loaded for the lot at once.
fn full_documents(
    conn: &mut DbConnection,
    listed: Vec<ListedDocument>,
    showing: &Showing,
) -> diesel::QueryResult<Vec<DocumentResponse>> {
    let ids: Vec<i32> = listed.iter().map(|row| row.document.id).collect();
    let mut relations = queries::relations_of(conn, &ids)?;
    let mut areas = areas::queries::of_documents(conn, &ids)?;
    let mut files = attachments::queries::of_documents(conn, &ids)?;
    Ok(listed
        .into_iter()
        .map(|row| {
            let id = row.document.id;
            let (own_relations, rest) = relations.drain(..).partition(|r| r.document_id == id);
            relations = rest;
            let (own_areas, rest): (Vec<_>, Vec<_>) = areas
                .drain(..)
                .partition(|(document_id, _)| *document_id == id);
            areas = rest;
            let own_areas = own_areas
                .into_iter()
                .map(|(_, area)| AreaResponse::from(area))
                .collect();
            let (own_files, rest): (Vec<_>, Vec<_>) =
                files.drain(..).partition(|file| file.document_id == id);
            files = rest;
            let own_files = own_files
                .into_iter()
                .map(AttachmentResponse::from)
                .collect();
            DocumentResponse::new(row, own_relations, own_areas, own_files, showing)
        })
        .collect())
}

/// List the registry, most recently issued first.
#[utoipa::path(
    tag = "documents",
    params(DocumentListParams, PageParams),
    responses(
        (status = 200, description = "One page of documents", body = Page<DocumentResponse>),
        (status = 404, description = "No area has the id or slug given as `area`, or no page \
            is at `cursor`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/documents")]
async fn list_documents(
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    params: Query<PageParams>,
    filter: Query<DocumentListParams>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::try_from(params.into_inner())?;
    let filter = filter.into_inner();
    let showing = showing(filter.on.map(CalendarDate::date), **offset);
    let filter = filter.filter(&db).await?;
    let after = paging.after::<DocumentPosition>()?;
    let (limit, row_offset) = (paging.limit, paging.offset());
    let (on, now) = (showing.on, showing.now);
    let (rows, keys, total) = db
        .read(move |conn| {
            let (rows, total) = queries::list(conn, &filter, on, now, limit, row_offset, after)?;
            let keys: Vec<DocumentPosition> = rows.iter().map(DocumentPosition::after).collect();
            Ok((full_documents(conn, rows, &showing)?, keys, total))
        })
        .await?;
    let rows: Vec<_> = rows.into_iter().zip(keys).collect();
    let page = Page::from_rows(
        rows,
        total,
        limit,
        |(_, key)| key.clone(),
        |(document, _)| document,
    );
    crate::http::etag::settled_json(HttpResponse::Ok(), &page)
}

async fn document_answer(
    db: &Database,
    id: i32,
    response: actix_web::HttpResponseBuilder,
    showing: Showing,
) -> Result<HttpResponse, ApiError> {
    let (on, now) = (showing.on, showing.now);
    let found = db
        .read(move |conn| match queries::find(conn, id, on, now)? {
            Some(row) => Ok(full_documents(conn, vec![row], &showing)?.pop()),
            None => Ok(None),
        })
        .await?;
    let document = found.ok_or_else(|| ApiError::no_such(DocumentRow::NOUN, id))?;
    let version = version_tag(DocumentRow::KIND, document.id, document.version);
    tagged_json(response, &version, &document)
}

/// Read a document, with where it stands today (or `on` a date). A read by
/// a guest or a member counts one view.
#[utoipa::path(
    tag = "documents",
    params(("id" = i32, Path, description = "The document's id", example = 1), OnParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The document", body = DocumentResponse),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/documents/{id}")]
async fn get_document(
    viewer: Viewer,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    views: web::Data<dyn ViewCounter>,
    req: HttpRequest,
    id: web::Path<i32>,
    on: Query<OnParams>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let mut answer = document_answer(
        &db,
        id,
        HttpResponse::Ok(),
        showing(on.on.map(CalendarDate::date), **offset),
    )
    .await?;
    count_read(
        &req,
        &viewer,
        views.get_ref(),
        Counted::DocumentView(id),
        &mut answer,
    );
    Ok(answer)
}

/// Register a document. The number may be typed in any case and spacing;
/// it is stored in canonical form, and articles that already cite it are
/// linked to it at once.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    request_body(content = CreateDocumentRequest, example = json!({
        "number": "5359/QĐ-UBND", "title": "Ban hành Đề án đo lường sự hài lòng của người dân",
        "issuing_body": "UBND tỉnh Bình Định", "issued_on": "2021-12-31", "effective_on": "2021-12-31",
        "signer": "Nguyễn Tự Công Hoàng"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The document; `Location` is its URL, `ETag` its version", body = DocumentResponse),
        (status = 404, description = "A document of `related` or an area of `area_ids` does not exist \
            (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The registry already holds this number, or fields are at odds \
            (named in `errors`): an effective date before the issue date, an expiry not after both, \
            a consultation window on a document that is not a draft, with one end, or ending before \
            it starts", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/documents")]
async fn create_document(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    links: web::Data<Permalinks>,
    JsonBody(request): JsonBody<CreateDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let showing = showing(None, **offset);
    let site_lang = &links.default_lang;
    let id = writes::create(&db, request, site_lang, editor.actor(), showing.now).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/documents/{id}")));
    document_answer(&db, id, response, showing).await
}

/// Change a document: only the fields sent. Send `version` or `If-Match`
/// to be sure no one changed it since.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = i32, Path, description = "The document's id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The version ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateDocumentRequest, example = json!({"expires_on": "2026-01-01", "version": 1})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed document", body = DocumentResponse),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The registry already holds the new number, or fields are at \
            odds with each other or with the stored ones (named in `errors`): dates out of order, a \
            consultation window on a document that is not a draft", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The document changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/documents/{id}")]
async fn update_document(
    editor: RequireRole<Editor>,
    id: web::Path<i32>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, showing) = (id.into_inner(), showing(None, **offset));
    writes::update(&db, id, request, precondition, editor.actor(), showing.now).await?;
    document_answer(&db, id, HttpResponse::Ok(), showing).await
}

/// Delete a document and its attachments. Articles citing it keep their
/// references, and are linked again if a document with the number is registered.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = i32, Path, description = "The document's id", example = 1),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The document changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/documents/{id}")]
async fn delete_document(
    editor: RequireRole<Editor>,
    id: web::Path<i32>,
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let now = crate::support::timestamps::now();
    let unused = writes::delete(&db, id.into_inner(), precondition, editor.actor(), now).await?;
    store.remove_unused(unused).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Character positions of a text as UTF-16 code units, for the positions
/// asked for, found in one walk over the text.
struct Utf16Offsets(std::collections::HashMap<usize, usize>);

impl Utf16Offsets {
    fn of(text: &str, positions: impl Iterator<Item = usize>) -> Self {
        let mut wanted: Vec<usize> = positions.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut offsets = std::collections::HashMap::with_capacity(wanted.len());
        let mut wanted = wanted.into_iter().peekable();
        let mut units = 0;
        for (index, c) in text.chars().chain(std::iter::once('\0')).enumerate() {
            while wanted.next_if(|position| *position == index).is_some() {
                offsets.insert(index, units);
            }
            units += c.len_utf16();
        }
        Self(offsets)
    }

    /// The UTF-16 offset of character `position` (asked for in `of`).
    fn of_char(&self, position: usize) -> usize {
        self.0.get(&position).copied().unwrap_or(position)
    }
}

/// A text to find document references in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    /// Plain text (HTML is read as text; its tags hold no numbers).
    pub text: String,
}

/// Find every document reference in a Vietnamese text: each number once,
/// with its kind, codes, the date written after it, where it is (in
/// characters), and the registered document it names.
#[utoipa::path(
    tag = "documents",
    request_body(content = ExtractRequest, example = json!({"text":
        "Quyết định số 5359/QĐ-UBND ngày 31/12/2021 và Kế hoạch số 24/KH-UBND ngày 8 tháng 3 năm 2022"})),
    responses(
        (status = 200, description = "The references, in the order they first appear", body = ExtractResponse,
            example = json!({"references": [{"number": "5359/QĐ-UBND", "kind": "decision", "type_code": "QĐ",
                "issuer_code": "UBND", "issued_on": "2021-12-31", "span": {"start": 14, "end": 26},
                "span_utf16": {"start": 14, "end": 26},
                "occurrences": [{"span": {"start": 14, "end": 26}, "span_utf16": {"start": 14, "end": 26}}],
                "document_id": 1}]})),
    )
)]
#[post("/documents/extract")]
async fn extract_references(
    db: web::Data<Database>,
    JsonBody(request): JsonBody<ExtractRequest>,
) -> Result<web::Json<ExtractResponse>, ApiError> {
    let (references, utf16) = web::block(move || {
        let references = extract::extract(&request.text);
        let places = references.iter().flat_map(|r| r.occurrences.iter());
        let utf16 = Utf16Offsets::of(
            &request.text,
            places.flat_map(|place| [place.start, place.end]),
        );
        (references, utf16)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the extractor stopped: {e}")))?;
    let numbers: Vec<String> = references.iter().map(|r| r.number.to_string()).collect();
    let ids = db
        .read(move |conn| queries::ids_by_number(conn, &numbers))
        .await?;
    let references = references
        .into_iter()
        .map(|reference| {
            let number = reference.number.to_string();
            let span = |place: &std::ops::Range<usize>| SpanResponse {
                start: place.start,
                end: place.end,
            };
            let span_utf16 = |place: &std::ops::Range<usize>| SpanResponse {
                start: utf16.of_char(place.start),
                end: utf16.of_char(place.end),
            };
            ReferenceResponse {
                document_id: ids.get(&number).copied(),
                kind: reference.kind,
                type_code: reference.number.type_code().map(str::to_owned),
                issuer_code: reference.number.issuer_code().to_owned(),
                issued_on: reference.issued_on,
                span: span(&reference.span),
                span_utf16: span_utf16(&reference.span),
                occurrences: reference
                    .occurrences
                    .iter()
                    .map(|place| OccurrenceResponse {
                        span: span(place),
                        span_utf16: span_utf16(place),
                    })
                    .collect(),
                number,
            }
        })
        .collect();
    Ok(web::Json(ExtractResponse { references }))
}
