//! HTTP handlers for preview links, under the article they show.

use actix_web::{HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::PreviewLinkRow;
use super::requests::CreatePreviewLinkRequest;
use super::responses::{CreatedPreviewLink, PreviewLinkList, PreviewLinkResponse};
use super::writes;
use crate::articles::writes::Writer;
use crate::articles::{ArticleKey, Showing};
use crate::auth::RequireRole;
use crate::auth::roles::Author;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::JsonBody;
use crate::http::permalinks::Permalinks;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(create_preview_link)
        .service(list_preview_links)
        .service(revoke_preview_link);
}

/// Make a link that shows the article, draft or not, to whoever holds it:
/// `GET /articles/{key}?preview=TOKEN` until it expires (48 hours unless
/// asked) or is revoked. The token is in this answer only.
///
/// Requires being allowed to edit the article: editors and `write` API
/// keys any, authors their own drafts.
#[utoipa::path(
    tag = "articles",
    params(ArticleKey),
    request_body(content = CreatePreviewLinkRequest, example = json!({"expires_in_hours": 48})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The link, with its token and the URL to send", body = CreatedPreviewLink),
        (status = 403, description = "This account may not edit the article", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No article (outside the trash) has this id or slug", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`expires_in_hours` is not 1 to 720", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/articles/{key}/preview-links")]
async fn create_preview_link(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<ArticleKey>,
    JsonBody(request): JsonBody<CreatePreviewLinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = key.id(&db, &shown.links.default_lang).await?;
    let writer = Writer::new(&writer.principal, writer.actor());
    let created = writes::create(&db, writer, id, request, &shown.links, shown.offset).await?;
    Ok(HttpResponse::Created().json(created))
}

/// The article's preview links that still work, newest first (without
/// their tokens).
///
/// Requires being allowed to edit the article.
#[utoipa::path(
    tag = "articles",
    params(ArticleKey),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The working links", body = PreviewLinkList),
        (status = 403, description = "This account may not edit the article", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No article (outside the trash) has this id or slug", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}/preview-links")]
async fn list_preview_links(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<ArticleKey>,
) -> Result<web::Json<PreviewLinkList>, ApiError> {
    let id = key.id(&db, &shown.links.default_lang).await?;
    let writer = Writer::new(&writer.principal, writer.actor());
    let rows = writes::list(&db, writer, id).await?;
    let respond = |row: PreviewLinkRow| PreviewLinkResponse::new(row, shown.offset);
    Ok(web::Json(PreviewLinkList {
        items: rows.into_iter().map(respond).collect(),
    }))
}

/// Revoke a preview link: it stops working at once.
///
/// Requires being allowed to edit the article.
#[utoipa::path(
    tag = "articles",
    params(
        ("key" = String, Path, description = "The article's numeric id or its slug",
            example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh"),
        ("id" = i32, Path, description = "The link's id", example = 3),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "This account may not edit the article", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such article, or it has no working link with this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/articles/{key}/preview-links/{id}")]
async fn revoke_preview_link(
    links: web::Data<Permalinks>,
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    let (key, link_id) = path.into_inner();
    let id = ArticleKey { key }.id(&db, &links.default_lang).await?;
    let writer = Writer::new(&writer.principal, writer.actor());
    writes::revoke(&db, writer, id, link_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
