//! HTTP handlers for articles.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::editorial::{self, CreateArticleRequest, UpdateArticleRequest, Writer};
use super::listing::PageExtras;
use super::model::ArticleStatus;
use super::params::{Embeds, Narrowing, Reading, Shape, Shown};
use super::queries::{
    self, ArticleFilter, ArticleSort, ArticleWithContext, ListOrder, ListPosition, Scope,
};
use super::responses::{FullArticle, RevisionResponse, Showing};
use super::totals::PublicTotals;
use super::translations;
use super::{ArticleKey, ArticleListEntry, ArticleListItem, ArticleResponse};
use crate::auth::roles::{Author, Editor};
use crate::auth::{Principal, RequireRole, Viewer};
use crate::db::Database;
use crate::db::DbConnection;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::http::cache::AboutArticle;
use crate::http::etag::{last_modified, settled_json, tagged_json};
use crate::http::{Cursor, JsonBody, Page, PageParams, Paging, Precondition, Query};
use crate::lang::{Lang, LangParams};
use crate::ops::Metrics;
use crate::permalinks::Permalinks;
use crate::search::{self, SearchQuery};
use crate::timestamps::{SiteOffset, Timestamp};
use crate::users::Role;
use crate::views::{Counted, ViewCounter, count_read};

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(super::changes::list_changes)
        .service(super::counters::article_counters)
        .service(super::related_routes::list_related_articles)
        .service(list_articles)
        .service(create_article)
        .service(get_article)
        .service(update_article)
        .service(trash_article)
        .service(restore_article)
        .service(list_revisions)
        .service(restore_revision)
        .service(list_citing_articles);
}

/// What to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// Full-text search over title, summary, body and byline, insensitive to
    /// case and Vietnamese diacritics, đ included (`cai cach hanh chinh`,
    /// `Binh Dinh`). Results come best first (title matches above body
    /// matches), each with a `snippet`. Searches cover published articles.
    /// By relevance, the 1,000 most recently added matches are ranked and
    /// older ones follow newest first; past 1,000 matches `total` is an
    /// estimate (`total_is_exact` is false). A `q` with no letter or digit
    /// (blank, or punctuation only) is left out; past 32 words, the rest
    /// are.
    #[param(example = "cai cach hanh chinh")]
    pub q: Option<String>,
    /// The order: `-published_at` (default), `published_at`, `-view_count`,
    /// `-rating`, `-updated_at` (last changed first), or `relevance` (the
    /// default with `q`; without, it is `-published_at`). Articles with no publication time
    /// (drafts) come last newest first, first oldest first. `-rating` ranks
    /// by a Bayesian average, `(total + 15) / (count + 5)` (the stars with
    /// five votes of 3 added: 2 votes of 5 do not outrank 70 averaging 4.5),
    /// unrated articles last.
    pub sort: Option<ArticleSort>,
    /// The states to list, comma-separated: `draft`, `pending_review`,
    /// `scheduled`, `published`, `archived`; or `trashed` alone for the
    /// trash. Anything but `published` needs a staff account or an API key:
    /// authors see their own unpublished articles, editors and keys all, and
    /// only editors and keys the trash. Default: `published`. With `q`,
    /// the published ones of those (searches cover published articles).
    #[param(
        example = "draft,pending_review",
        pattern = "^(trashed|(draft|pending_review|scheduled|published|archived)(,(draft|pending_review|scheduled|published|archived))*)$"
    )]
    pub status: Option<String>,
    /// Only articles published at or after this time (RFC 3339; write `+` as `%2B`).
    #[param(value_type = Option<Timestamp>, example = "2023-01-01T00:00:00+07:00")]
    pub published_from: Option<Timestamp>,
    /// Only articles published before this time (RFC 3339; write `+` as
    /// `%2B`); none match when it is not after `published_from`.
    #[param(value_type = Option<Timestamp>, example = "2024-01-01T00:00:00+07:00")]
    pub published_to: Option<Timestamp>,
}

/// A list request, checked: what it draws from, narrows to, orders by and shows.
struct ListRequest {
    scope: Scope,
    filter: ArticleFilter,
    /// The parameters exclude every article (a range that ends before it
    /// starts, a search of unpublished states): the answer is empty.
    matches_nothing: bool,
    search: Option<SearchQuery>,
    order: ListOrder,
    shown: Shown,
}

impl ArticleListParams {
    async fn parse(
        self,
        db: &Database,
        viewer: &Viewer,
        narrowing: &Narrowing,
        shape: &Shape,
        site_lang: &Lang,
    ) -> Result<ListRequest, ApiError> {
        let mut filter = narrowing.filter(db, site_lang).await?;
        filter.published_from = self.published_from.map(|t| t.naive_utc());
        filter.published_to = self.published_to.map(|t| t.naive_utc());
        let reversed = filter
            .published_from
            .zip(filter.published_to)
            .is_some_and(|(from, to)| from >= to);
        let status = self.status.as_deref().map(parse_status).transpose()?;
        let mut scope = scope_for(status, viewer)?;
        let search = self.q.as_deref().and_then(SearchQuery::parse);
        // Searches cover published articles: of the states asked, those.
        let mut matches_nothing = reversed;
        if search.is_some() {
            matches_nothing |= !scope.includes_published();
            scope = Scope::Public;
        }
        let order = match (self.sort, &search) {
            (Some(ArticleSort::Relevance), None) => ArticleSort::NewestFirst,
            (Some(sort), _) => sort,
            (None, Some(_)) => ArticleSort::Relevance,
            (None, None) => ArticleSort::NewestFirst,
        };
        Ok(ListRequest {
            scope,
            filter,
            matches_nothing,
            search,
            order: ListOrder::Sorted(order),
            shown: shape.parse()?,
        })
    }
}

/// What `status` asks for: articles in some states, or the trash.
enum StatusRequest {
    States(Vec<ArticleStatus>),
    Trash,
}

const TRASH: &str = "trashed";

fn parse_status(input: &str) -> Result<StatusRequest, ApiError> {
    let names: Vec<&str> = input.split(',').collect();
    if names.contains(&TRASH) {
        return match names.as_slice() {
            [_] => Ok(StatusRequest::Trash),
            _ => Err(ApiError::validation(
                "status",
                "`trashed` lists the trash: give it alone",
            )),
        };
    }
    let mut statuses = Vec::new();
    for name in names {
        let status: ArticleStatus = name.parse().map_err(|_| {
            let known: Vec<&str> = ArticleStatus::ALL.iter().map(|s| s.as_str()).collect();
            ApiError::validation(
                "status",
                format!(
                    "`{name}` is not a status; give some of {}, or `{TRASH}`",
                    known.join(", ")
                ),
            )
        })?;
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    Ok(StatusRequest::States(statuses))
}

/// Which articles `viewer` may list in the states asked for.
fn scope_for(status: Option<StatusRequest>, viewer: &Viewer) -> Result<Scope, ApiError> {
    let request = match status {
        None => return Ok(Scope::Public),
        Some(StatusRequest::States(states)) if states == [ArticleStatus::Published] => {
            return Ok(Scope::Public);
        }
        Some(request) => request,
    };
    let owner = staff_scope(viewer).ok_or_else(|| match viewer.0 {
        None => ApiError::unauthenticated("sign in as staff to list unpublished articles"),
        Some(_) => ApiError::Forbidden("only staff list unpublished articles".into()),
    })?;
    match (request, owner) {
        (StatusRequest::States(statuses), owner) => Ok(Scope::Statuses { statuses, owner }),
        (StatusRequest::Trash, None) => Ok(Scope::Trash),
        (StatusRequest::Trash, Some(_)) => {
            Err(ApiError::Forbidden("only editors see the trash".into()))
        }
    }
}

/// How deep a search may be paged: beyond, results are not worth ranking.
const MAX_SEARCH_OFFSET: i64 = 10_000;

/// Where a search's next page starts. Searches page by position: a new
/// article may rank anywhere, so there is no stable key to page by.
#[derive(Serialize, Deserialize)]
struct SearchPosition {
    #[serde(rename = "o")]
    offset: i64,
}

/// List articles: published ones newest first, best match first with `q`,
/// other states for staff. (A mobile app keeping copies follows
/// `GET /articles/changes`.)
///
/// Page with `limit` plus either `page` or the `next_cursor` of the previous
/// page. Without `q` the cursor is a keyset position, stable while articles
/// are published; with `q`, results page by position.
#[utoipa::path(
    tag = "articles",
    params(ArticleListParams, Narrowing, Shape, PageParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "One page of articles; with `fields`, each holds only those fields",
            body = Page<ArticleListEntry>),
        (status = 404, description = "No category has the id or slug given as `category`, or no page is \
            at `cursor`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A `status` this account may not list (members: any but published; \
            authors: the trash)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter that breaks its schema: paging, a status, field or \
            include not listed, a time that is not RFC 3339", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles")]
async fn list_articles(
    viewer: Viewer,
    db: web::Data<Database>,
    totals: web::Data<PublicTotals>,
    metrics: web::Data<Metrics>,
    shown: Showing,
    // The query string, read as each part of it.
    (params, narrowing, shape, paging): (
        Query<ArticleListParams>,
        Query<Narrowing>,
        Query<Shape>,
        Query<PageParams>,
    ),
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::try_from(paging.into_inner())?;
    let now = crate::timestamps::now();
    let request = params
        .into_inner()
        .parse(&db, &viewer, &narrowing, &shape, &shown.links.default_lang)
        .await?;
    let fields = request.shown.fields.clone();
    let page = match request.search {
        _ if request.matches_nothing => Page::empty(),
        Some(_) => search_articles(&db, &metrics, request, paging, now, &shown).await?,
        None => listed_articles(&db, &totals, request, paging, now, &shown).await?,
    };
    let mut response = HttpResponse::Ok();
    if let Some(changed) = page.items.iter().map(|item| item.summary.updated_at).max() {
        response.insert_header(last_modified(changed));
    }
    match fields {
        Some(fields) => settled_json(response, &page.map(|item| fields.select_from(&item))),
        None => settled_json(response, &page),
    }
}

/// List the published articles that cite a document, newest first.
///
/// An article cites a document when its text holds the document's number;
/// articles written before the document was registered count too.
#[utoipa::path(
    tag = "documents",
    params(("id" = i32, Path, description = "The document's id", example = 1), PageParams),
    responses(
        (status = 200, description = "One page of citing articles", body = Page<ArticleListItem>),
        (status = 404, description = "No document has this id", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Invalid paging parameters", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/documents/{id}/articles")]
async fn list_citing_articles(
    db: web::Data<Database>,
    totals: web::Data<PublicTotals>,
    shown: Showing,
    id: web::Path<i32>,
    paging: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::try_from(paging.into_inner())?;
    let id = id.into_inner();
    let document = db
        .read(move |conn| documents::queries::find_row(conn, id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no document has the id {id}")))?;
    let request = ListRequest {
        scope: Scope::Public,
        filter: ArticleFilter {
            cites_number: Some(document.number),
            ..ArticleFilter::default()
        },
        matches_nothing: false,
        search: None,
        order: ListOrder::Sorted(ArticleSort::NewestFirst),
        shown: Shown {
            fields: None,
            embeds: Embeds::default(),
        },
    };
    let now = crate::timestamps::now();
    let page = listed_articles(&db, &totals, request, paging, now, &shown).await?;
    settled_json(HttpResponse::Ok(), &page)
}

async fn listed_articles(
    db: &Database,
    totals: &web::Data<PublicTotals>,
    request: ListRequest,
    paging: Paging,
    now: NaiveDateTime,
    shown: &Showing,
) -> Result<Page<ArticleListItem>, ApiError> {
    let order = request.order;
    let after = paging.after::<ListPosition>()?;
    if after.is_some_and(|position| position.order() != order) {
        return Err(Cursor::not_issued());
    }
    let (limit, row_offset) = (paging.limit, paging.offset());
    let ListRequest {
        scope,
        filter,
        shown: wanted,
        ..
    } = request;
    let (embeds, offset) = (wanted.embeds, shown.offset);
    let (totals, listed) = (totals.clone(), db.changes().listed());
    let (rows, mut extras, total) = db
        .read(move |conn| {
            let total = match scope {
                Scope::Public => totals.count(conn, &filter, now, listed)?,
                _ => queries::count(conn, &scope, &filter, now)?,
            };
            let rows = queries::list(conn, &scope, &filter, order, now, limit, row_offset, after)?;
            let articles = rows.iter().map(|row| &row.article);
            let extras = PageExtras::load(conn, articles, embeds, now, offset)?;
            Ok((rows, extras, total))
        })
        .await?;
    let sort_key = |row: &ArticleWithContext| ListPosition::after(&row.article, order);
    Ok(Page::from_rows(rows, total, limit, sort_key, |row| {
        extras.item(row, shown, now)
    }))
}

/// How many searches run at once. Ranking a query that matches most of a
/// large newsroom holds megabytes of match lists and a core for a while;
/// more at once would only share the same two cores and multiply the
/// memory, so the others wait their turn (and the response cache serves
/// the searches asked again meanwhile).
static SEARCH_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

async fn search_articles(
    db: &Database,
    metrics: &Metrics,
    request: ListRequest,
    paging: Paging,
    now: NaiveDateTime,
    shown: &Showing,
) -> Result<Page<ArticleListItem>, ApiError> {
    let start = match paging.after::<SearchPosition>()? {
        Some(position) if (0..=MAX_SEARCH_OFFSET).contains(&position.offset) => position.offset,
        Some(_) => return Err(Cursor::not_issued()),
        None => paging.offset(),
    };
    let limit = paging.limit;
    let ListRequest {
        filter,
        search,
        order,
        shown: wanted,
        ..
    } = request;
    let (embeds, offset) = (wanted.embeds, shown.offset);
    let (Some(query), ListOrder::Sorted(sort)) = (search, order) else {
        return Err(ApiError::Internal(
            "a search without a query or a sort".into(),
        ));
    };
    let _slot = SEARCH_SLOTS
        .acquire()
        .await
        .map_err(|_| ApiError::Internal("the search slots were closed".into()))?;
    let searched = query.clone();
    let started = std::time::Instant::now();
    let (results, found, mut extras) = db
        .read(move |conn| {
            let results =
                queries::search_visible(conn, &searched, &filter, sort, now, limit, start)?;
            let ids: Vec<i32> = results.hits.iter().map(|hit| hit.id).collect();
            let found = queries::listed_with_context(conn, &ids)?;
            let articles = found.iter().map(|row| &row.article);
            let extras = PageExtras::load(conn, articles, embeds, now, offset)?;
            Ok((results, found, extras))
        })
        .await?;
    metrics.observe_search(started.elapsed().as_secs_f64());
    let mut found: HashMap<i32, ArticleWithContext> =
        found.into_iter().map(|row| (row.article.id, row)).collect();
    let ranked: Vec<_> = results
        .hits
        .into_iter()
        .filter_map(|hit| Some((found.remove(&hit.id)?, hit)))
        .collect();
    let next = SearchPosition {
        offset: start + i64::from(limit),
    };
    let page = Page::from_rows(
        ranked,
        results.total,
        limit,
        |_| &next,
        |(row, hit)| {
            let snippet = search::snippet(&hit.body_start, &query)
                .or_else(|| search::snippet(&hit.summary, &query))
                .or_else(|| search::snippet(&hit.title, &query));
            let mut item = extras.item(row, shown, now);
            item.summary.snippet = snippet;
            item
        },
    );
    Ok(page.counted(results.total_is_exact))
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
    let now = crate::timestamps::now();
    let offset = shown.offset;
    let scope = staff_scope(&viewer);
    let preview = reading.preview.as_deref().map(crate::previews::token_hash);
    let previewing = preview.is_some();
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
            let grouped = article.article.translation_of.is_some()
                || queries::has_translations(conn, article.article.id)?;
            let full = full_article(conn, article, staff, now, offset)?;
            Ok(Some((full, grouped)))
        })
        .await?;
    let (full, grouped) = found.ok_or_else(not_found)?;
    let article_id = full.article.article.id;
    let counted = Counted::ArticleView(article_id);
    let version = editorial::tag(&full.article.article);
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
    }
    count_read(&req, &viewer, views.get_ref(), counted, &mut answer);
    Ok(answer)
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
/// are not public yet too.
fn full_article(
    conn: &mut DbConnection,
    article: ArticleWithContext,
    staff: bool,
    now: NaiveDateTime,
    offset: SiteOffset,
) -> diesel::QueryResult<FullArticle> {
    let id = article.article.id;
    let public_at = (!staff).then_some(now);
    let translations = translations::of(conn, id, article.article.translation_of, public_at)?;
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
    let version = editorial::tag(&found.article.article);
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
    let now = crate::timestamps::now();
    let id = editorial::create(
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
        crate::timestamps::now(),
    );
    let writer = Writer::new(&writer.principal, writer.actor());
    editorial::update(&db, writer, id, request, precondition, now).await?;
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
    editorial::trash(
        &db,
        writer,
        key.id(&db, &links.default_lang).await?,
        precondition,
        crate::timestamps::now(),
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
        crate::timestamps::now(),
    );
    let writer = Writer::new(&editor.principal, editor.actor());
    editorial::restore(&db, writer, id, precondition, now).await?;
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
    let (rows, total) =
        found.ok_or_else(|| ApiError::NotFound(format!("no article of yours has the id {id}")))?;
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
        crate::timestamps::now(),
    );
    editorial::restore_revision(
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
