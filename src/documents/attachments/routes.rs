//! HTTP handlers for attachments: editors upload and remove, anyone downloads.

use actix_files::NamedFile;
use actix_multipart::Multipart;
use actix_web::http::header::{
    self, Charset, ContentDisposition, ContentEncoding, DispositionParam, DispositionType,
    ExtendedValue,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::StreamExt;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::store::{ContentError, is_out_of_space};
use super::writes::{self, Received, no_document};
use super::{AttachmentResponse, AttachmentStore, FileType, parse_filename, queries};
use crate::auth::RequireRole;
use crate::auth::roles::Editor;
use crate::db::Database;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::readers::view_counts::{Counted, ViewCounter};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(upload_attachment)
        .service(download_attachment)
        .service(delete_attachment);
}

/// The largest attachment accepted, in bytes (`BULLETIN_ATTACHMENT_LIMIT`).
#[derive(Debug, Clone, Copy)]
pub struct AttachmentLimit(pub usize);

/// The form an upload sends: one file in the field `file`, nothing else.
/// (The form is read field by field from the stream; this documents it.)
struct UploadForm;

impl utoipa::PartialSchema for UploadForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, KnownFormat, SchemaFormat};
        let file = utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("PDF, DOCX, XLSX, PNG or JPEG, told from its bytes."));
        utoipa::openapi::ObjectBuilder::new()
            .description(Some(
                "The form an upload sends: one file in the field `file`.",
            ))
            .property("file", file)
            .required("file")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl ToSchema for UploadForm {}

/// The file of an upload: its name as sent and its bytes, up to `limit`.
async fn read_file(mut form: Multipart, limit: usize) -> Result<(String, Vec<u8>), ApiError> {
    let malformed = |e: actix_multipart::MultipartError| match e {
        actix_multipart::MultipartError::Payload(error) => {
            crate::http::extractors::payload_error(error)
        }
        other => ApiError::BadRequest(format!("the multipart body is malformed: {other}")),
    };
    while let Some(field) = form.next().await {
        let mut field = field.map_err(malformed)?;
        if field.name() != Some("file") {
            // Other fields are read past and ignored.
            while let Some(chunk) = field.next().await {
                chunk.map_err(malformed)?;
            }
            continue;
        }
        let raw_name = field
            .content_disposition()
            .and_then(|cd| {
                cd.get_filename_ext()
                    .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
                    .or_else(|| cd.get_filename().map(str::to_owned))
            })
            .ok_or_else(|| ApiError::validation("file", "send the file with its name"))?;
        let filename = parse_filename(&raw_name)
            .map_err(|e| ApiError::validation("file", format!("its name {e}")))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(malformed)?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge(format!(
                    "attachments are at most {limit} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((filename, bytes));
    }
    Err(ApiError::validation(
        "file",
        "send a file in the form field `file`",
    ))
}

/// Attach a file to a document: a PDF, DOCX, XLSX, PNG or JPEG (told from
/// its bytes, not from its name), up to `BULLETIN_ATTACHMENT_LIMIT` bytes.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    params(("id" = i32, Path, description = "The document's id", example = 1)),
    request_body(content(
        (UploadForm = "multipart/form-data", encoding(("file" = (content_type = "application/pdf, \
            application/vnd.openxmlformats-officedocument.wordprocessingml.document, \
            application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, image/png, image/jpeg"))))
    )),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The attachment; `Location` downloads it", body = AttachmentResponse),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 413, description = "The file is over the attachment limit", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The file is not a PDF, DOCX, XLSX, PNG or JPEG", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "No `file` field, or a file without a usable name", body = Problem,
            content_type = "application/problem+json"),
        (status = 507, description = "The server's disk is full: nothing was stored", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/documents/{id}/attachments")]
async fn upload_attachment(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    limit: web::Data<AttachmentLimit>,
    id: web::Path<i32>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    let document_id = id.into_inner();
    let exists = db
        .read(move |conn| documents::queries::find_row(conn, document_id))
        .await?
        .is_some();
    if !exists {
        return Err(no_document(document_id));
    }
    let (filename, bytes) = read_file(form, limit.0).await?;
    let file_type = FileType::sniff(&bytes).ok_or_else(|| {
        ApiError::UnsupportedMediaType(
            "the file is not a PDF, DOCX, XLSX, PNG or JPEG (its bytes say so, whatever its name)"
                .into(),
        )
    })?;
    let size = bytes.len() as i64;
    let incoming = store.receive(bytes).await?;
    let file = Received {
        filename,
        file_type,
        size,
        incoming,
    };
    let attachment = writes::attach(&db, document_id, file, editor.actor()).await?;
    let response = AttachmentResponse::from(attachment);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, response.url.clone()))
        .json(response))
}

/// `Content-Disposition: attachment` with the name in UTF-8 (RFC 5987, for
/// Vietnamese names) and a plain ASCII fallback for old clients (RFC 6266).
fn disposition(filename: &str) -> ContentDisposition {
    let fallback: String = deunicode::deunicode(filename)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .map(|c| if c == '"' || c == '\\' { '_' } else { c })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(fallback),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: filename.as_bytes().to_vec(),
            }),
        ],
    }
}

/// Download an attachment, whole or by `Range`, with its `ETag`.
/// A download from the start counts in the document's `download_count`.
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = i32, Path, description = "The document's id", example = 1),
        ("attachment_id" = i32, Path, description = "The attachment's id", example = 1),
        ("Range" = Option<String>, Header, nullable = false, description = "A byte range, e.g. `bytes=0-1023`"),
    ),
    responses(
        (status = 200, description = "The file, with `Content-Type` (the file's own), `Content-Disposition`, \
            `ETag`, `Accept-Ranges`, `X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox`", content(
                (String = "application/pdf", example = json!("%PDF-1.7 …")),
                (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", example = json!("PK…")),
                (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", example = json!("PK…")),
                (String = "image/png", example = json!("\u{89}PNG…")),
                (String = "image/jpeg", example = json!("\u{ff}\u{d8}\u{ff}…")),
            )),
        (status = 206, description = "The range asked for, with `Content-Range`", content(
                (String = "application/pdf", example = json!("%PDF")),
                (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", example = json!("PK")),
                (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", example = json!("PK")),
                (String = "image/png", example = json!("\u{89}PNG")),
                (String = "image/jpeg", example = json!("\u{ff}\u{d8}\u{ff}")),
            )),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 404, description = "No such attachment on this document", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version of the file", body = Problem,
            content_type = "application/problem+json"),
        (status = 416, description = "The range is outside the file", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/documents/{id}/attachments/{attachment_id}")]
async fn download_attachment(
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    counters: web::Data<dyn ViewCounter>,
    path: web::Path<(i32, i32)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (document_id, id) = path.into_inner();
    let attachment = db
        .read(move |conn| queries::find(conn, document_id, id))
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("document {document_id} has no attachment {id}"))
        })?;
    let content_type = attachment
        .content_type
        .parse()
        .map_err(|e| ApiError::Internal(format!("a stored content type does not parse: {e}")))?;
    let file = stored_file(
        &store,
        &attachment.sha256,
        content_type,
        disposition(&attachment.filename),
        &format!("attachment {id}"),
    )
    .await?;
    let from_start = req.headers().get(header::RANGE).is_none_or(|range| {
        range
            .to_str()
            .is_ok_and(|r| r.trim_start().starts_with("bytes=0-"))
    });
    if req.method() == actix_web::http::Method::GET && from_start {
        counters.record(Counted::Download(document_id));
    }
    Ok(never_run(file.into_response(&req)))
}

/// The stored bytes of digest `sha256` (an attachment's, an image's) as a
/// file answer: its type and disposition, byte ranges, no last-modified
/// time. `what` names it in errors.
pub async fn stored_file(
    store: &AttachmentStore,
    sha256: &str,
    content_type: actix_web::mime::Mime,
    disposition: ContentDisposition,
    what: &str,
) -> Result<NamedFile, ApiError> {
    let stored = store.file(sha256).await?;
    let opening = format!("opening the file of {what} stopped");
    let missing = format!("the file of {what} is missing");
    Ok(web::block(move || NamedFile::open(stored))
        .await
        .map_err(|e| ApiError::Internal(format!("{opening}: {e}")))?
        .map_err(|e| ApiError::Internal(format!("{missing}: {e}")))?
        .set_content_type(content_type)
        .set_content_disposition(disposition)
        // Already compressed formats, and ranges must address the bytes as stored.
        .set_content_encoding(ContentEncoding::Identity)
        .use_last_modified(false))
}

/// A file answer no browser runs: it may not guess the file is HTML, and
/// opened in place the file runs nothing and reaches nothing.
pub fn never_run(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    response
}

/// Remove an attachment. Its bytes leave the disk when no other attachment holds them.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "documents",
    params(
        ("id" = i32, Path, description = "The document's id", example = 1),
        ("attachment_id" = i32, Path, description = "The attachment's id", example = 1),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such attachment on this document", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/documents/{id}/attachments/{attachment_id}")]
async fn delete_attachment(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (document_id, id) = path.into_inner();
    writes::detach(&db, &store, document_id, id, editor.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Bytes that could not be kept are the server's fault, or its disk's.
impl From<ContentError> for ApiError {
    fn from(error: ContentError) -> Self {
        match error {
            ContentError::File(e) if is_out_of_space(&e) => {
                ApiError::InsufficientStorage(format!("storing an attachment failed: {e}"))
            }
            ContentError::Database(e) => e.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
