//! The old portal's URLs, answered with 301 to the new resource. Rewrite
//! the old host's paths to these (`/cai-cach-hanh-chinh/tin-16.html` →
//! `/legacy/nukeviet/cai-cach-hanh-chinh/tin-16.html`).

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{LegacyKind, RedirectTargets, Source, queries};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::{articles, categories, documents};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(redirect_nukeviet_article)
        .service(redirect_nukeviet_article_in_category)
        .service(redirect_nukeviet_category)
        .service(redirect_nukeviet_document);
}

/// The id at the end of an old article page (`tin-noi-bat-16.html` → 16).
fn article_id_in(page: &str) -> Option<i64> {
    id_after_alias(page.strip_suffix(".html")?)
}

/// The id after the last hyphen (`ke-hoach-130-2` → 2).
fn id_after_alias(alias: &str) -> Option<i64> {
    let (_, id) = alias.rsplit_once('-')?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| id.parse().ok())
        .flatten()
}

fn moved_to(location: String) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn gone_from_here(what: &str) -> ApiError {
    ApiError::NotFound(format!(
        "no imported {what} is published at this old address"
    ))
}

/// Where an imported article now is, if readers may see it.
async fn article_location(
    db: &Database,
    targets: &RedirectTargets,
    legacy_id: i64,
) -> Result<HttpResponse, ApiError> {
    let now = crate::support::timestamps::now();
    let found = db
        .read(move |conn| {
            let Some(id) =
                queries::target_of(conn, Source::Nukeviet, LegacyKind::Article, legacy_id)?
            else {
                return Ok(None);
            };
            Ok(articles::queries::find_any(conn, id)?
                .map(|found| found.article)
                .filter(|article| article.is_public(now)))
        })
        .await?
        .ok_or_else(|| gone_from_here("article"))?;
    Ok(moved_to(targets.article(
        found.id,
        &found.slug,
        &found.lang,
    )))
}

/// Redirect an old NukeViet article page (`{alias}-{id}.html`) to the article.
///
/// Only published articles are found: a hidden, draft or scheduled one is a 404.
#[utoipa::path(
    tag = "legacy",
    params(("page" = String, Path, description = "The old page: the article's alias, `-`, its NukeViet id, `.html`",
        example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh-16.html")),
    responses(
        (status = 301, description = "Moved: `Location` is the article (the API resource, or the page of `BULLETIN_LEGACY_ARTICLE_URL`)",
            headers(("Location" = String, description = "The article's new URL, such as `/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh`"))),
        (status = 404, description = "No published article was imported with this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/legacy/nukeviet/{page}")]
async fn redirect_nukeviet_article(
    db: web::Data<Database>,
    targets: web::Data<RedirectTargets>,
    page: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let legacy_id = article_id_in(&page).ok_or_else(|| gone_from_here("article"))?;
    article_location(&db, &targets, legacy_id).await
}

/// Redirect an old NukeViet article page under its category
/// (`{category}/{alias}-{id}.html`, the form NukeViet links to) to the article.
#[utoipa::path(
    tag = "legacy",
    params(
        ("category" = String, Path, description = "The old category alias (not checked: the id names the article)",
            example = "cai-cach-hanh-chinh"),
        ("page" = String, Path, description = "The old page: alias, `-`, NukeViet id, `.html`",
            example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh-16.html"),
    ),
    responses(
        (status = 301, description = "Moved: `Location` is the article",
            headers(("Location" = String, description = "The article's new URL, such as `/api/v1/articles/tin-noi-bat-cua-phong-cai-cach-hanh-chinh`"))),
        (status = 404, description = "No published article was imported with this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/legacy/nukeviet/{category}/{page}")]
async fn redirect_nukeviet_article_in_category(
    db: web::Data<Database>,
    targets: web::Data<RedirectTargets>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, page) = path.into_inner();
    let legacy_id = article_id_in(&page).ok_or_else(|| gone_from_here("article"))?;
    article_location(&db, &targets, legacy_id).await
}

/// Redirect an old NukeViet category page (`{alias}/`) to the category.
#[utoipa::path(
    tag = "legacy",
    params(("category" = String, Path, description = "The old category alias", example = "cai-cach-hanh-chinh")),
    responses(
        (status = 301, description = "Moved: `Location` is the category (or the page of `BULLETIN_LEGACY_CATEGORY_URL`)",
            headers(("Location" = String, description = "The category's new URL, such as `/api/v1/categories/cai-cach-hanh-chinh`"))),
        (status = 404, description = "No category was imported with this alias", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/legacy/nukeviet/{category}/")]
async fn redirect_nukeviet_category(
    db: web::Data<Database>,
    targets: web::Data<RedirectTargets>,
    alias: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let alias = alias.into_inner();
    let found = db
        .read(move |conn| {
            let Some(id) =
                queries::target_by_alias(conn, Source::Nukeviet, LegacyKind::Category, &alias)?
            else {
                return Ok(None);
            };
            categories::queries::find(conn, id)
        })
        .await?
        .ok_or_else(|| gone_from_here("category"))?;
    Ok(moved_to(targets.category(
        found.id,
        &found.slug,
        &found.lang,
    )))
}

/// Redirect an old page of the laws module (`laws/detail/{alias}/`, the
/// alias ending in the document's NukeViet id) to the document.
#[utoipa::path(
    tag = "legacy",
    params(("alias" = String, Path, description = "The old alias: a slug, `-`, the NukeViet id",
        example = "ke-hoach-khao-sat-do-luong-su-hai-long-2")),
    responses(
        (status = 301, description = "Moved: `Location` is the document (or the page of `BULLETIN_LEGACY_DOCUMENT_URL`)",
            headers(("Location" = String, description = "The document's new URL, such as `/api/v1/documents/2`"))),
        (status = 404, description = "No document was imported with this id", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/legacy/nukeviet/laws/detail/{alias}/")]
async fn redirect_nukeviet_document(
    db: web::Data<Database>,
    targets: web::Data<RedirectTargets>,
    alias: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let legacy_id = id_after_alias(&alias).ok_or_else(|| gone_from_here("document"))?;
    let found = db
        .read(move |conn| {
            let Some(id) =
                queries::target_of(conn, Source::Nukeviet, LegacyKind::Document, legacy_id)?
            else {
                return Ok(None);
            };
            documents::queries::find_row(conn, id)
        })
        .await?
        .ok_or_else(|| gone_from_here("document"))?;
    Ok(moved_to(targets.document(found.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_read_from_the_end_of_the_old_alias() {
        assert_eq!(article_id_in("tin-noi-bat-16.html"), Some(16));
        assert_eq!(article_id_in("tin-noi-bat-16"), None);
        assert_eq!(article_id_in("tin-noi-bat.html"), None);
        assert_eq!(id_after_alias("ke-hoach-2022-2"), Some(2));
        assert_eq!(id_after_alias("16"), None);
        assert_eq!(id_after_alias("a-99999999999999999999999"), None);
    }
}
