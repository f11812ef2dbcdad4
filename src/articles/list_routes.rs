//! HTTP handlers for lists of articles: the list and its search, with their
//! parameters (filters, status for staff, sort, paging), and the articles
//! citing a document.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::kept_searches::{FoundPage, KeptSearches, SearchAsked};
use super::listing::PageExtras;
use super::model::ArticleStatus;
use super::params::{ArticleSort, Embeds, Narrowing, Shape, Shown};
use super::queries::{self, ArticleFilter, ArticleWithContext, ListOrder, ListPosition, Scope};
use super::responses::Showing;
use super::routes::{instant_at, staff_scope};
use super::totals::PublicTotals;
use super::{ArticleListEntry, ArticleListItem};
use crate::auth::Viewer;
use crate::db::Database;
use crate::documents;
use crate::error::{ApiError, Problem};
use crate::http::cache::{Finding, Found, ListsArticles, Renewable, SearchedFor};
use crate::http::etag::{last_modified, settled_json};
use crate::http::{Cursor, Page, PageParams, Paging, Query};
use crate::ops::metrics::{Metrics, SearchPage};
use crate::support::timestamps::Timestamp;
use crate::text::lang::Lang;
use crate::text::search::SearchQuery;

/// What to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// Full-text search over title, summary, body and byline, insensitive to
    /// case and Vietnamese diacritics, đ included (`cai cach hanh chinh`,
    /// `Binh Dinh`). Results come best first (title matches above body
    /// matches), each with a `snippet`. Searches cover published articles.
    /// By relevance, the 1,000 most recently added matches are ranked and
    /// older ones follow newest first. In any order, past 1,000 matches
    /// `total` is an estimate (`total_is_exact` is false), from how densely
    /// the newest 1,000 match. A `q` with no letter or digit
    /// (blank, or punctuation only) is left out; past 32 words, the rest
    /// are. A guest's search may show a write up to a second late (its
    /// answer is kept that long; on a single node, up to two seconds while
    /// nothing it shows or could match is written); staff reads are always
    /// current.
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
pub(super) async fn list_articles(
    viewer: Viewer,
    db: web::Data<Database>,
    totals: web::Data<PublicTotals>,
    // What searches take: their timings, and their pages kept (on a node
    // that sees every write, with the response cache).
    (metrics, kept_searches): (web::Data<Metrics>, Option<web::Data<KeptSearches>>),
    shown: Showing,
    // The query string, read as each part of it.
    (params, narrowing, shape, paging): (
        Query<ArticleListParams>,
        Query<Narrowing>,
        Query<Shape>,
        Query<PageParams>,
    ),
    // An aged kept answer may answer this request while it is made anew:
    // its key holds these same parameters, which read as they did then.
    _aged_answer_may_serve: Renewable,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::try_from(paging.into_inner())?;
    let now = crate::support::timestamps::now();
    let request = params
        .into_inner()
        .parse(&db, &viewer, &narrowing, &shape, &shown.links.default_lang)
        .await?;
    let fields = request.shown.fields.clone();
    // Before the search reads anything: see `SearchedFor::now`.
    let searched = (request.search.as_ref())
        .filter(|_| !request.matches_nothing)
        .map(|query| SearchedFor::now(db.changes(), query));
    // A guest's search, as the response cache keeps its answers: staff
    // reads are always current.
    let kept = (kept_searches.filter(|_| viewer.0.is_none())).zip(searched.clone());
    let page = match request.search {
        _ if request.matches_nothing => Page::empty(),
        Some(_) => search_articles(&db, &metrics, request, paging, now, &shown, kept).await?,
        None => listed_articles(&db, &totals, request, paging, now, &shown).await?,
    };
    let mut response = HttpResponse::Ok();
    if let Some(changed) = page.items.iter().map(|item| item.summary.updated_at).max() {
        response.insert_header(last_modified(changed));
    }
    let listed = listed_ids(&page);
    let mut answer = match fields {
        Some(fields) => settled_json(response, &page.map(|item| fields.select_from(&item))),
        None => settled_json(response, &page),
    }?;
    answer.extensions_mut().insert(listed);
    if let Some(searched) = searched {
        answer.extensions_mut().insert(searched);
    }
    Ok(answer)
}

/// What a page of a list shows, for the response cache: edits to other
/// articles leave it kept.
fn listed_ids(page: &Page<ArticleListItem>) -> ListsArticles {
    ListsArticles(page.items.iter().map(|item| item.summary.id).collect())
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
pub(super) async fn list_citing_articles(
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
        .ok_or_else(|| ApiError::no_such("document", id))?;
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
    let now = crate::support::timestamps::now();
    let page = listed_articles(&db, &totals, request, paging, now, &shown).await?;
    let listed = listed_ids(&page);
    let mut answer = settled_json(HttpResponse::Ok(), &page)?;
    answer.extensions_mut().insert(listed);
    Ok(answer)
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

/// How many searches rank at once: two for each core. Ranking a query
/// that matches most of a large newsroom holds megabytes of match lists,
/// so past the slots searches wait their turn (and the response cache
/// serves the searches asked again meanwhile). One slot for each core was
/// too few: the reads running beside a search share its core, so a search
/// holds its slot for about twice its time on the processor. Under a mixed
/// newsroom load at 10,000 articles searches then took 86 ms on average
/// for 5 ms of ranking; with two slots for each core they take 12 ms and
/// the article reads beside them 0.6 ms more.
static SEARCH_SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(2 * crate::config::cores()));

/// A page of a search; found anew, or kept in `kept` (with what it
/// searches for, read before it reads anything) when it may be.
async fn search_articles(
    db: &Database,
    metrics: &Metrics,
    request: ListRequest,
    paging: Paging,
    now: NaiveDateTime,
    shown: &Showing,
    kept: Option<(web::Data<KeptSearches>, SearchedFor)>,
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
    let asked = SearchAsked {
        query,
        filter,
        sort,
        limit,
        start,
    };
    let kept = kept.filter(|_| asked.may_be_kept());
    let kept_page = (kept.as_ref()).and_then(|(kept, _)| kept.get(&asked, db.changes()));
    // Only a page to find ranks, and waits for a slot.
    let slot = match kept_page {
        Some(_) => None,
        None => Some(
            SEARCH_SLOTS
                .acquire()
                .await
                .map_err(|_| ApiError::Internal("the search slots were closed".into()))?,
        ),
    };
    let finding = (kept.as_ref())
        .filter(|_| kept_page.is_none())
        .map(|(_, searched)| Finding::now(db.changes(), searched.clone()));
    let keeps = finding.is_some();
    let started = std::time::Instant::now();
    let (asked, found, ids, next_to_appear, rows, mut extras) = db
        .read(move |conn| {
            // Found here, off the async executor: the snippets alone were a
            // fifth of a search's work, and on a worker they held up every
            // request it serves, answers from the cache among them.
            let found = match kept_page {
                Some(found) => found,
                None => FoundPage::find(conn, &asked, now)?,
            };
            let next_to_appear = match keeps {
                true => queries::next_to_appear(conn, now)?,
                false => None,
            };
            let ids = found.ids();
            let rows = queries::listed_with_context(conn, &ids)?;
            let articles = rows.iter().map(|row| &row.article);
            let extras = PageExtras::load(conn, articles, embeds, now, offset)?;
            Ok((asked, found, ids, next_to_appear, rows, extras))
        })
        .await?;
    // Only a page ranked took a slot.
    metrics.search_page(match slot {
        Some(_) => SearchPage::Ranked {
            seconds: started.elapsed().as_secs_f64(),
        },
        None => SearchPage::Kept,
    });
    if let (Some((kept, _)), Some(finding)) = (kept, finding) {
        let found = Found {
            weight: found.held_with(&asked),
            value: found.clone(),
            shown: ids,
            until: next_to_appear.map(|at| instant_at(at.min(now + TimeDelta::days(1)), now)),
        };
        kept.keep(asked, found, finding, db.changes());
    }
    let mut rows: HashMap<i32, ArticleWithContext> =
        rows.into_iter().map(|row| (row.article.id, row)).collect();
    let ranked: Vec<_> = (found.hits.iter())
        .filter_map(|(id, snippet)| Some((rows.remove(id)?, snippet.clone())))
        .collect();
    let next = SearchPosition {
        offset: start + i64::from(limit),
    };
    let page = Page::from_rows(
        ranked,
        found.total,
        limit,
        |_| &next,
        |(row, snippet)| {
            let mut item = extras.item(row, shown, now);
            item.summary.snippet = snippet;
            item
        },
    );
    Ok(page.counted(found.total_is_exact))
}
