//! HTTP handlers for the media library: authors and editors upload,
//! editors change and remove, anyone reads (published pages show these
//! images), and the bytes are served as immutable.

use actix_multipart::Multipart;
use actix_web::http::header::{
    self, ContentDisposition, DispositionParam, DispositionType, EntityTag, Header, HeaderValue,
    IfNoneMatch,
};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, delete, get, patch, post, web};
use utoipa::{PartialSchema, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::form;
use super::images::{self, ImageType, Refusal, Untaken};
use super::{
    ImageAlt, ImageCaption, ImageCredit, ImageResponse, StoredImage, UpdateImageRequest, queries,
    writes,
};
use crate::auth::RequireRole;
use crate::auth::roles::{Author, Editor};
use crate::db::Database;
use crate::documents::attachments::{AttachmentLimit, AttachmentStore, never_run, stored_file};
use crate::error::{ApiError, Problem};
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::support::timestamps::SiteOffset;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(list_media)
        .service(upload_image)
        .service(get_image)
        .service(update_image)
        .service(delete_image)
        .service(download_file);
}

/// `Cache-Control` of an image's bytes: their URL names them by their
/// digest, so they never change under it, and browsers and CDNs keep them a
/// year without asking again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The form an upload sends. (It is read field by field from the stream;
/// this documents it.)
struct ImageUploadForm;

impl PartialSchema for ImageUploadForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, KnownFormat, SchemaFormat};
        let file = utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some(
                "A JPEG, PNG or WebP image, told from its bytes (GIF is not taken), at most \
                 12000 pixels on each side and 256 MiB once decoded, of at most \
                 `BULLETIN_ATTACHMENT_LIMIT` bytes. It is kept encoded again, upright, without \
                 its metadata (EXIF, GPS).",
            ));
        utoipa::openapi::ObjectBuilder::new()
            .description(Some(
                "The form an upload sends: the image in `file`, and optionally its texts.",
            ))
            .property("file", file)
            .property("alt", ImageAlt::schema())
            .property("caption", ImageCaption::schema())
            .property("credit", ImageCredit::schema())
            .required("file")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl ToSchema for ImageUploadForm {}

/// The problem of bytes of no type taken.
fn untaken(bytes: Untaken) -> ApiError {
    ApiError::UnsupportedMediaType(match bytes {
        Untaken::Gif => "GIF images are not taken: send a PNG or WebP instead".into(),
        Untaken::Other => {
            "the file is not a JPEG, PNG or WebP image (its bytes say so, whatever its name)".into()
        }
    })
}

/// An image that cannot be taken is the upload's fault (422, on `file`);
/// one that cannot be encoded is the server's.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::TooLarge { width, height } => ApiError::validation(
                "file",
                format!(
                    "is {width} × {height} pixels; an image is at most {} pixels on each side",
                    images::MAX_SIDE
                ),
            ),
            Refusal::TooHeavy => ApiError::validation(
                "file",
                format!(
                    "needs more than {} MiB once decoded; send a smaller image",
                    images::MAX_DECODED_BYTES / (1024 * 1024)
                ),
            ),
            Refusal::Broken { kind, cause } => {
                tracing::info!(%cause, "an uploaded image could not be decoded");
                ApiError::validation(
                    "file",
                    format!(
                        "could not be read as a {} image: it is damaged or cut short",
                        kind.name()
                    ),
                )
            }
            Refusal::Encoding(cause) => ApiError::Internal(cause),
        }
    }
}

/// An image answered with its `ETag`.
fn answer(
    mut response: HttpResponseBuilder,
    image: StoredImage,
    offset: SiteOffset,
) -> HttpResponse {
    response
        .insert_header(header::ETag(image.row.tag()))
        .json(ImageResponse::new(image, offset))
}

/// List the library's images, newest first, with their variants.
///
/// For staff choosing an image (authors and up, API keys): an image uploaded
/// for a draft is not the public's until an article shows it.
#[utoipa::path(
    tag = "media",
    params(PageParams),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One page of images, newest first", body = Page<ImageResponse>),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/media")]
async fn list_media(
    _staff: RequireRole<Author>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<ImageResponse>>, ApiError> {
    let page = Paging::try_from(params.into_inner())?
        .load(
            &db,
            queries::list,
            |image| image.row.id,
            |image| ImageResponse::new(image, **offset),
        )
        .await?;
    Ok(web::Json(page))
}

/// Upload an image: a JPEG, PNG or WebP (told from its bytes, not from its
/// name; GIF is not taken), at most 12000 pixels on each side and
/// `BULLETIN_ATTACHMENT_LIMIT` bytes, with its `alt` text, `caption` and
/// `credit`. It is kept encoded again, turned upright by its EXIF
/// orientation, without its metadata (a phone's EXIF and GPS position never
/// reach the public), with variants 320, 640, 1024 and 1600 pixels wide
/// (those narrower than it) in its own type and in WebP (lossless).
///
/// Requires the author role (or a `write` API key).
#[utoipa::path(
    tag = "media",
    request_body(content(
        (ImageUploadForm = "multipart/form-data",
            encoding(("file" = (content_type = "image/jpeg, image/png, image/webp"))))
    )),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The image with its variants; `Location` is its URL", body = ImageResponse),
        (status = 413, description = "The file is over `BULLETIN_ATTACHMENT_LIMIT` bytes", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "The file is not a JPEG, PNG or WebP image (told from its bytes; \
            GIF is not taken)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `file`; a field this form does not take, or one sent twice; \
            an `alt`, `caption` or `credit` against its rule; or a `file` that cannot be taken: \
            damaged or cut short, over 12000 pixels on a side, or over 256 MiB once decoded \
            (each named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 507, description = "The server's storage is full: nothing was stored", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/media")]
async fn upload_image(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    limit: web::Data<AttachmentLimit>,
    offset: web::Data<SiteOffset>,
    parts: Multipart,
) -> Result<HttpResponse, ApiError> {
    let upload = form::read(parts, limit.0).await?;
    // The texts first: what a schema states is answered before what only
    // the bytes can tell.
    let texts = upload.texts.parse()?;
    let kind = ImageType::sniff(&upload.file).map_err(untaken)?;
    let image = writes::upload(&db, &store, texts, upload.file, kind, writer.actor()).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/media/{}", image.row.id)));
    Ok(answer(response, image, **offset))
}

/// Read an image: its texts, size and variants.
///
/// For staff (authors and up, API keys); readers get an image through the
/// article that shows it (`cover_image`, `og_image`).
#[utoipa::path(
    tag = "media",
    params(("id" = i32, Path, description = "The image's id", example = 12)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The image, with its `ETag`", body = ImageResponse),
        (status = 404, description = "No image has this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/media/{id}")]
async fn get_image(
    _staff: RequireRole<Author>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let image = db
        .read(move |conn| queries::find_stored(conn, id))
        .await?
        .ok_or_else(|| ApiError::no_such("image", id))?;
    Ok(answer(HttpResponse::Ok(), image, **offset))
}

/// Change an image's `alt` text, `caption` or `credit`: only the fields
/// sent; `null` or `""` clears one. Its bytes never change. Send `If-Match`
/// to be sure no one changed it since you read it.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "media",
    params(
        ("id" = i32, Path, description = "The image's id", example = 12),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateImageRequest, example = json!({"alt": "Đại biểu dự hội nghị cải cách hành chính", "credit": null})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed image, with its new version", body = ImageResponse),
        (status = 404, description = "No image has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The image changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/media/{id}")]
async fn update_image(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    offset: web::Data<SiteOffset>,
    id: web::Path<i32>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateImageRequest>,
) -> Result<HttpResponse, ApiError> {
    let changes = request.changes()?;
    let image = writes::update(&db, id.into_inner(), changes, precondition, editor.actor()).await?;
    Ok(answer(HttpResponse::Ok(), image, **offset))
}

/// Delete an image no article shows as its cover or preview image (a 409 names those that
/// do, in the trash too). Its bytes leave the store when nothing else
/// holds the same ones.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "media",
    params(
        ("id" = i32, Path, description = "The image's id", example = 12),
        ("If-Match" = Option<String>, Header, nullable = false, description = "The ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No image has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Articles show it as their cover or preview image (their ids are named)", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The image changed since the ETag in If-Match", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/media/{id}")]
async fn delete_image(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    id: web::Path<i32>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    writes::delete(&db, &store, id.into_inner(), precondition, editor.actor()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Download an image's file or one of its variants, by the URL an image
/// answers (`url`, `variants[].url`): named by the SHA-256 of its bytes, so
/// it is known only to who was shown the image, and what it names never
/// changes.
#[utoipa::path(
    tag = "media",
    params(
        ("digest" = String, Path, description = "The SHA-256 of the bytes, in hex",
            pattern = "^[0-9a-f]{64}$",
            example = "677ee6203b31e15e3e7f45fd64a84cf2a2eeddebbe119a66c9d931395af821cb"),
        ("ext" = String, Path, description = "The file's type: `jpg`, `png` or `webp`",
            pattern = "^(jpg|png|webp)$", example = "webp"),
        ("Range" = Option<String>, Header, nullable = false, description = "A byte range, e.g. `bytes=0-1023`"),
    ),
    responses(
        (status = 200, description = "The file, with its `Content-Type`, `ETag` (its SHA-256), \
            `Cache-Control: public, max-age=31536000, immutable` and `X-Content-Type-Options: nosniff`", content(
                (String = "image/webp", example = json!("RIFF…WEBP…")),
                (String = "image/jpeg", example = json!("\u{ff}\u{d8}\u{ff}…")),
                (String = "image/png", example = json!("\u{89}PNG…")),
            )),
        (status = 206, description = "The range asked for, with `Content-Range`", content(
                (String = "image/webp", example = json!("RIFF")),
                (String = "image/jpeg", example = json!("\u{ff}\u{d8}\u{ff}")),
                (String = "image/png", example = json!("\u{89}PNG")),
            )),
        (status = 404, description = "No image or variant of the library has these bytes in this type", body = Problem,
            content_type = "application/problem+json"),
        (status = 416, description = "The range is outside the file", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/media/files/{digest}.{ext}")]
async fn download_file(
    db: web::Data<Database>,
    store: web::Data<AttachmentStore>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (digest, extension) = path.into_inner();
    let no_file = || ApiError::NotFound(format!("no image has the file {digest}.{extension}"));
    let kind = ImageType::from_extension(&extension).ok_or_else(no_file)?;
    let sha256 = digest.clone();
    let shown = db
        .read(move |conn| queries::is_image_file(conn, &sha256, kind.content_type()))
        .await?;
    if !shown {
        return Err(no_file());
    }
    let name = format!("{}.{}", &digest[..digest.len().min(12)], kind.extension());
    serve(&req, &store, &digest, kind, name).await
}

/// Serves the stored bytes of digest `sha256`: a 304 when the client has
/// them (nothing is read), else the file, by range if asked, under the
/// headers of bytes that never change.
async fn serve(
    req: &HttpRequest,
    store: &AttachmentStore,
    sha256: &str,
    kind: ImageType,
    name: String,
) -> Result<HttpResponse, ApiError> {
    let etag = EntityTag::new_strong(sha256.to_owned());
    if client_has(req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header(header::ETag(etag))
            .insert_header((header::CACHE_CONTROL, IMMUTABLE))
            .finish());
    }
    let content_type = kind
        .content_type()
        .parse()
        .map_err(|e| ApiError::Internal(format!("an image type does not parse: {e}")))?;
    let inline = ContentDisposition {
        disposition: DispositionType::Inline,
        parameters: vec![DispositionParam::Filename(name.clone())],
    };
    let file = stored_file(store, sha256, content_type, inline, &name)
        .await?
        // The validator is the digest, set below.
        .use_etag(false);
    let mut response = never_run(file.into_response(req));
    let headers = response.headers_mut();
    let etag = HeaderValue::from_str(&etag.to_string())
        .map_err(|e| ApiError::Internal(format!("a digest is no header value: {e}")))?;
    headers.insert(header::ETAG, etag);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(response)
}

/// Whether the request's `If-None-Match` names these bytes (weak comparison).
fn client_has(req: &HttpRequest, etag: &EntityTag) -> bool {
    match IfNoneMatch::parse(req) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(sent)) => sent.iter().any(|tag| tag.weak_eq(etag)),
        Err(_) => false,
    }
}
