//! HTTP handlers for articles.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::params::Reading;
use super::queries::{self, ArticleWithContext};
use super::requests::{CreateArticleRequest, UpdateArticleRequest};
use super::responses::{FullArticle, RevisionResponse, Showing};
use super::translations;
use super::writes::{self, Writer};
use super::{ArticleKey, ArticleResponse};
use crate::auth::roles::{Author, Editor};
use crate::auth::{Principal, RequireRole, Viewer};
use crate::db::Database;
use crate::db::DbConnection;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::http::cache::{AboutArticle, OnlyViewsMove, ResponseCache};
use crate::http::etag::{last_modified, tagged_json};
use crate::http::permalinks::Permalinks;
use crate::http::{JsonBody, Page, PageParams, Paging, Precondition, Query, Versioned};
use crate::identity::Role;
use crate::readers::view_counts::{Counted, ViewCounter, count_read};
use crate::support::timestamps::SiteOffset;
use crate::text::lang::LangParams;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(super::changes::list_changes)
        .service(super::counters::article_counters)
        .service(super::related_routes::list_related_articles)
        .service(super::list_routes::list_articles)
        .service(create_article)
        .service(get_article)
        .service(update_article)
        .service(trash_article)
        .service(restore_article)
        .service(list_revisions)
        .service(restore_revision)
        .service(super::list_routes::list_citing_articles);
}

/// Read one article by id or slug, with the documents it cites.
///
/// Guests and members see published articles; authors also their own
/// drafts, editors and API keys any article not in the trash. A read by a
/// guest or a member counts one view; it shows in `view_count` within seconds
/// (views are written in batches).
#[utoipa::path(
    tag = "articles",
    params(ArticleKey, LangParams, Reading),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The article", body = ArticleResponse),
        (status = 404, description = "No article this reader may see has this id or slug (in `lang`, when sent)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}")]
async fn get_article(
    viewer: Viewer,
    db: web::Data<Database>,
    shown: Showing,
    views: web::Data<dyn ViewCounter>,
    req: HttpRequest,
    key: web::Path<ArticleKey>,
    (language, reading): (Query<LangParams>, Query<Reading>),
) -> Result<HttpResponse, ApiError> {
    let linked_body = reading.linked_body()?;
    let not_found = || key.not_found();
    let lookup = key
        .named(language.parse()?, &shown.links.default_lang)
        .ok_or_else(not_found)?;
    let now = crate::support::timestamps::now();
    let offset = shown.offset;
    let scope = staff_scope(&viewer);
    let preview = reading.preview.as_deref().map(crate::previews::token_hash);
    let previewing = preview.is_some();
    // Only a cache that sees every write keeps a reader's page with its
    // views current; elsewhere (no cache, several nodes) the clock's next
    // change is not read for nothing.
    let keeps_views = scope.is_none()
        && !previewing
        && req
            .app_data::<web::Data<dyn ResponseCache>>()
            .is_some_and(|cache| cache.sees_every_write());
    // Before the read: whether the views it reads agree with what this
    // process had written of them (`OnlyViewsMove`).
    let written_views = views.written().mark();
    let found = db
        .read(move |conn| {
            let article = match &preview {
                Some(hash) => match crate::previews::previewed_article(conn, hash, now)? {
                    Some(id) => queries::find_for_staff(conn, &lookup, None)?
                        .filter(|found| found.article.id == id),
                    None => None,
                },
                None => queries::find_readable(conn, &lookup, scope, now)?,
            };
            // Editors and API keys see translations not public yet.
            let staff = !previewing && scope == Some(None);
            let Some(article) = article else {
                return Ok(None);
            };
            let next_to_appear = match keeps_views {
                true => queries::next_to_appear(conn, now)?,
                false => None,
            };
            let full = full_article(conn, article, staff, now, offset)?;
            Ok(Some((full, next_to_appear)))
        })
        .await?;
    let (full, next_to_appear) = found.ok_or_else(not_found)?;
    let grouped = full.grouped;
    let article_id = full.article.article.id;
    let counted = Counted::ArticleView(article_id);
    let views_shown = full.article.article.view_count;
    let version = full.article.article.tag();
    let answer = ArticleResponse::new(full, &shown, now, linked_body);
    let mut response = HttpResponse::Ok();
    response.insert_header(last_modified(answer.summary.updated_at));
    if previewing {
        // A draft for whoever holds the link: no cache keeps it, and the
        // reviewer's reads are not the readers'.
        response.insert_header((header::CACHE_CONTROL, "private, no-store"));
        return tagged_json(response, &version, &answer);
    }
    let mut answer = tagged_json(response, &version, &answer)?;
    // An answer listing its translations shows several articles: any write
    // makes it stale, not only one to this article.
    if !grouped {
        answer.extensions_mut().insert(AboutArticle(article_id));
        let written = views.written().total_settled_since(written_views, counted);
        if let (true, Some(written)) = (keeps_views, written) {
            // Neighbours change when an article appears, cited documents'
            // standing when the site's day does.
            let day_ends = offset.next_day_begins(now);
            let settled_until = next_to_appear.map_or(day_ends, |at| at.min(day_ends));
            answer.extensions_mut().insert(OnlyViewsMove {
                counted,
                shown: views_shown,
                written,
                until: instant_at(settled_until, now),
            });
        }
    }
    count_read(&req, &viewer, views.get_ref(), counted, &mut answer);
    Ok(answer)
}

/// `at` (a day away at most) as an `Instant`, `now` being now.
pub(super) fn instant_at(at: NaiveDateTime, now: NaiveDateTime) -> std::time::Instant {
    std::time::Instant::now() + (at - now).to_std().unwrap_or_default()
}

/// Which unpublished articles a viewer may read: `Some(Some(id))` an
/// author's own, `Some(None)` all (editors, API keys), `None` none.
pub(super) fn staff_scope(viewer: &Viewer) -> Option<Option<i32>> {
    match &viewer.0 {
        Some(Principal::User(user)) if user.role >= Role::Editor => Some(None),
        Some(Principal::User(user)) if user.role == Role::Author => Some(Some(user.id)),
        Some(Principal::ApiKey(_)) => Some(None),
        _ => None,
    }
}

/// An article with what its full answer shows at `now`: cited documents
/// and their standing, tags, breadcrumbs, and its neighbours.
/// `article` with what its page shows; `staff` see its translations that
/// are not public yet too. The translations are read only for an article
/// in a group: most are in none, and a page read past the cache then
/// spares a statement.
fn full_article(
    conn: &mut DbConnection,
    article: ArticleWithContext,
    staff: bool,
    now: NaiveDateTime,
    offset: SiteOffset,
) -> diesel::QueryResult<FullArticle> {
    let id = article.article.id;
    let public_at = (!staff).then_some(now);
    let grouped = article.article.translation_of.is_some() || queries::has_translations(conn, id)?;
    let translations = if grouped {
        translations::of(conn, id, article.article.translation_of, public_at)?
    } else {
        Vec::new()
    };
    let documents = documents::queries::cited_by_articles(conn, &[id], offset.date_of(now))?
        .into_iter()
        .map(|(_, document)| document)
        .collect();
    let tags = queries::tags_of(conn, &[id])?
        .into_iter()
        .map(|(_, tag)| tag)
        .collect();
    let trail = match article.article.category_id {
        Some(category) => crate::categories::queries::ancestry(conn, category)?,
        None => Vec::new(),
    };
    let (previous, next) = queries::neighbours(conn, &article.article, now)?;
    let (cover_id, og_id) = (article.article.cover_media_id, article.article.og_media_id);
    let mut images = crate::media::queries::stored(
        conn,
        &[cover_id, og_id].into_iter().flatten().collect::<Vec<_>>(),
    )?;
    let cover = cover_id.and_then(|image| images.get(&image).cloned());
    let preview_image = og_id.and_then(|image| images.remove(&image));
    Ok(FullArticle {
        article,
        documents,
        tags,
        trail,
        previous,
        next,
        cover,
        preview_image,
        translations,
        grouped,
    })
}

/// The article as its editors now see it, answered with its version tag.
async fn written(
    db: &Database,
    id: i32,
    response: actix_web::HttpResponseBuilder,
    shown: &Showing,
    now: NaiveDateTime,
) -> Result<HttpResponse, ApiError> {
    let offset = shown.offset;
    let found = db
        .read(move |conn| {
            queries::find_any(conn, id)?
                .map(|article| full_article(conn, article, true, now, offset))
                .transpose()
        })
        .await?
        .ok_or_else(|| ApiError::Internal(format!("article {id} vanished after its write")))?;
    let version = found.article.article.tag();
    let answer = ArticleResponse::new(found, shown, now, false);
    tagged_json(response, &version, &answer)
}

/// Write an article. Authors write drafts (`draft` or `pending_review`);
/// editors may publish at once or schedule (`published` with a future `published_at`).
///
/// Requires the author role (or a `write` API key, which writes as an editor).
#[utoipa::path(
    tag = "articles",
    request_body(content = CreateArticleRequest, example = json!({
        "title": "Kết quả cải cách hành chính năm 2022",
        "body_html": "<p>Trong năm 2022, công tác cải cách hành chính của tỉnh tiếp tục có nhiều chuyển biến.</p>",
        "byline": "Phòng CCHC-VTLT", "category_id": 1, "tags": ["cải cách hành chính"], "status": "draft"})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 201, description = "The article; `Location` is its URL, `ETag` its version", body = ArticleResponse),
        (status = 404, description = "No category has the id given as `category_id`, or no image of the \
            library the one given as `cover_media_id` or `og_media_id` (named in `errors`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken, or `status: scheduled` comes without a \
            publication time in the future (`published_at`, named in `errors`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/articles")]
async fn create_article(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    shown: Showing,
    JsonBody(request): JsonBody<CreateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let now = crate::support::timestamps::now();
    let id = writes::create(
        &db,
        Writer::new(&writer.principal, writer.actor()),
        request,
        &shown.links.default_lang,
        now,
    )
    .await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/articles/{id}")));
    written(&db, id, response, &shown, now).await
}

/// Change an article: only the fields sent. Send `version` or `If-Match`
/// (the `ETag` of the last write) to be sure no one changed it since.
/// Every content change keeps the previous content as a revision.
///
/// Authors change only their own drafts and submit them (`pending_review`);
/// editors change any article and its status: publish, schedule, unpublish
/// (`draft`), archive. Requires the author role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ArticleKey,
        ("If-Match" = Option<String>, Header, nullable = false, description = "The version ETag you read; 412 if it changed since"),
    ),
    request_body(content = UpdateArticleRequest, example = json!({"status": "published", "version": 1})),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The changed article, with its new version", body = ArticleResponse),
        (status = 404, description = "No article (outside the trash) has this id or slug; or no category, \
            or image of the library, has an id the request gives (`category_id`, `cover_media_id`, \
            `og_media_id`: named in `errors`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken, or `status: scheduled` comes without a \
            publication time in the future (`published_at`, named in `errors`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[patch("/articles/{key}")]
async fn update_article(
    writer: RequireRole<Author>,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<ArticleKey>,
    precondition: Precondition,
    JsonBody(request): JsonBody<UpdateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, now) = (
        key.id(&db, &shown.links.default_lang).await?,
        crate::support::timestamps::now(),
    );
    let writer = Writer::new(&writer.principal, writer.actor());
    writes::update(&db, writer, id, request, precondition, now).await?;
    written(&db, id, HttpResponse::Ok(), &shown, now).await
}

/// Move an article to the trash: it leaves every public read. Editors restore it.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ArticleKey,
        ("If-Match" = Option<String>, Header, nullable = false, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 204, description = "In the trash"),
        (status = 404, description = "No article (outside the trash) has this id or slug", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[delete("/articles/{key}")]
async fn trash_article(
    links: web::Data<Permalinks>,
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    key: web::Path<ArticleKey>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let writer = Writer::new(&editor.principal, editor.actor());
    writes::trash(
        &db,
        writer,
        key.id(&db, &links.default_lang).await?,
        precondition,
        crate::support::timestamps::now(),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Take an article out of the trash.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        ArticleKey,
        ("If-Match" = Option<String>, Header, nullable = false, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The restored article", body = ArticleResponse),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No trashed article has this id or slug", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/articles/{key}/restore")]
async fn restore_article(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<ArticleKey>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let (id, now) = (
        key.id(&db, &shown.links.default_lang).await?,
        crate::support::timestamps::now(),
    );
    let writer = Writer::new(&editor.principal, editor.actor());
    writes::restore(&db, writer, id, precondition, now).await?;
    written(&db, id, HttpResponse::Ok(), &shown, now).await
}

/// An article's earlier contents, newest first.
///
/// Requires the author role: authors see their own articles' revisions.
#[utoipa::path(
    tag = "articles",
    params(ArticleKey, PageParams),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One page of revisions", body = Page<RevisionResponse>),
        (status = 404, description = "No article has this id or slug", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}/revisions")]
async fn list_revisions(
    reader: RequireRole<Author>,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<ArticleKey>,
    params: Query<PageParams>,
) -> Result<web::Json<Page<RevisionResponse>>, ApiError> {
    let id = key.id(&db, &shown.links.default_lang).await?;
    let paging = Paging::try_from(params.into_inner())?;
    let before = paging.after::<i32>()?;
    let (limit, row_offset) = (paging.limit, paging.offset());
    let owner = match &reader.principal {
        Principal::User(user) if user.role == Role::Author => Some(user.id),
        _ => None,
    };
    let found = db
        .read(move |conn| {
            let Some(article) = queries::find_any(conn, id)? else {
                return Ok(None);
            };
            if owner.is_some() && article.article.author_id != owner {
                return Ok(None);
            }
            queries::revisions(conn, id, limit, row_offset, before).map(Some)
        })
        .await?;
    let (rows, total) = found.ok_or_else(|| ApiError::no_such("article of yours", id))?;
    Ok(web::Json(Page::from_rows(
        rows,
        total,
        limit,
        |row| row.version,
        |row| RevisionResponse::new(row, shown.offset),
    )))
}

/// A revision of an article, as its path names it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct RevisionPath {
    /// The article's numeric id or its slug
    #[param(example = "tin-noi-bat-cua-phong-cai-cach-hanh-chinh")]
    key: String,
    /// The revision's version
    #[param(example = 2)]
    version: i32,
}

/// Put an earlier content back. The content it replaces is kept as a revision.
///
/// Requires the editor role (or a `write` API key).
#[utoipa::path(
    tag = "articles",
    params(
        RevisionPath,
        ("If-Match" = Option<String>, Header, nullable = false, description = "The version ETag you read; 412 if it changed since"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The article with that content, at a new version", body = ArticleResponse),
        (status = 404, description = "No such article or revision", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The article changed since the version you sent", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/articles/{key}/revisions/{version}/restore")]
async fn restore_revision(
    editor: RequireRole<Editor>,
    db: web::Data<Database>,
    shown: Showing,
    path: web::Path<RevisionPath>,
    precondition: Precondition,
) -> Result<HttpResponse, ApiError> {
    let RevisionPath { key, version } = path.into_inner();
    let (id, now) = (
        ArticleKey { key }
            .id(&db, &shown.links.default_lang)
            .await?,
        crate::support::timestamps::now(),
    );
    writes::restore_revision(
        &db,
        Writer::new(&editor.principal, editor.actor()),
        id,
        version,
        precondition,
        now,
    )
    .await?;
    written(&db, id, HttpResponse::Ok(), &shown, now).await
}
