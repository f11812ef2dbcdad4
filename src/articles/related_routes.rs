//! `GET /articles/{key}/related`: the published articles related to one,
//! each as article lists show it, with the score that ranked it.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::listing::PageExtras;
use super::params::Shape;
use super::queries::{self, ArticleWithContext};
use super::related::{self, RelatedLimit, RelatedScore};
use super::routes::staff_scope;
use super::{ArticleKey, ArticleListItem, Showing};
use crate::auth::Viewer;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::Query;
use crate::http::etag::{last_modified, settled_json};

/// How many related articles, and what each shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelatedParams {
    /// How many articles, 1 to 20 (default 5). Above 20 is an error, never
    /// a silent cap.
    #[param(minimum = 1, maximum = 20, example = 5)]
    pub limit: Option<i64>,
    /// Related objects to embed, comma-separated, as in lists: `documents`
    /// (the official documents each article cites, with their standing:
    /// the ones `score.documents` counts among them), `breadcrumbs` (each
    /// article's category and those above it). `category` and `author`
    /// are always embedded, and accepted here.
    #[param(
        example = "documents",
        pattern = "^(documents|breadcrumbs|category|author)(,(documents|breadcrumbs|category|author))*$"
    )]
    pub include: Option<String>,
}

/// An article related to another: the article as lists show it, and what
/// it has in common with the other.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedArticle {
    #[serde(flatten)]
    pub article: ArticleListItem,
    pub score: RelatedScore,
}

/// The articles related to one, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedArticles {
    /// Up to `limit`; empty when no published article shares anything
    /// with it.
    pub items: Vec<RelatedArticle>,
}

/// What a read of related articles found: the articles in their order,
/// their rows, and what their list items show beside.
struct Found {
    ranked: Vec<related::Related>,
    rows: Vec<ArticleWithContext>,
    extras: PageExtras,
}

/// Articles related to one, best first: the published articles citing
/// the same official documents, carrying its tags or filed under its
/// category.
///
/// Candidates are the other published articles that cite a registered
/// document it cites, carry one of its tags (whatever the case) or are
/// filed under its category (not a subcategory). They rank by the
/// documents both cite (more first), then the tags both carry (more
/// first), then being in the same category, then the newer
/// `published_at`, then the higher `id`. Each item is an article as lists
/// show it, with its `score`, `{documents, tags, same_category}`, so a
/// page can explain the choice ("cites the same 2 documents");
/// `include=documents` shows which.
///
/// Compared are the first 10 registered documents the article cites (as
/// its text cites them) and 10 of its tags (alphabetically); from each,
/// the 500 most recently added articles citing it or tagged with it (in
/// any state; the public ones among them are kept) are drawn, and from its
/// category the 500 last published, so an answer costs the same in a
/// newsroom of any size.
///
/// The article is found as `GET /articles/{key}` finds it: guests and
/// members ask about published articles, authors also about their own
/// drafts, editors and API keys about any outside the trash. What is
/// listed is always published.
#[utoipa::path(
    tag = "articles",
    params(ArticleKey, RelatedParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The related articles, best first; `items` is empty when none \
            shares anything with it", body = RelatedArticles),
        (status = 404, description = "No article this reader may see has this id or slug",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A `limit` outside 1 to 20, or an `include` not listed",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}/related")]
pub(super) async fn list_related_articles(
    viewer: Viewer,
    db: web::Data<Database>,
    shown: Showing,
    key: web::Path<ArticleKey>,
    params: Query<RelatedParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let limit = RelatedLimit::parse(params.limit)?;
    let shape = Shape {
        fields: None,
        include: params.include,
    };
    let embeds = shape.parse()?.embeds;
    let lookup = key
        .named(None, &shown.links.default_lang)
        .ok_or_else(|| key.not_found())?;
    let (now, offset) = (crate::support::timestamps::now(), shown.offset);
    let owner = staff_scope(&viewer);
    let found = db
        .read(move |conn| {
            let Some(article) = queries::find_readable(conn, &lookup, owner, now)? else {
                return Ok(None);
            };
            let (id, category_id) = (article.article.id, article.article.category_id);
            let lang = &article.article.lang;
            let ranked = related::related(conn, id, category_id, lang, now, limit)?;
            let ids: Vec<i32> = ranked.iter().map(|related| related.id).collect();
            let rows = queries::listed_with_context(conn, &ids)?;
            let articles = rows.iter().map(|row| &row.article);
            let extras = PageExtras::load(conn, articles, embeds, now, offset)?;
            Ok(Some(Found {
                ranked,
                rows,
                extras,
            }))
        })
        .await?
        .ok_or_else(|| key.not_found())?;
    let answer = RelatedArticles {
        items: ranked_items(found, &shown, now),
    };
    let mut response = HttpResponse::Ok();
    let changed = answer
        .items
        .iter()
        .map(|item| item.article.summary.updated_at);
    if let Some(changed) = changed.max() {
        response.insert_header(last_modified(changed));
    }
    settled_json(response, &answer)
}

/// The articles found as list items, in their ranked order, each with its
/// score.
fn ranked_items(found: Found, shown: &Showing, now: NaiveDateTime) -> Vec<RelatedArticle> {
    let Found {
        ranked,
        rows,
        mut extras,
    } = found;
    let mut rows: HashMap<i32, ArticleWithContext> =
        rows.into_iter().map(|row| (row.article.id, row)).collect();
    ranked
        .into_iter()
        .filter_map(|related| {
            let row = rows.remove(&related.id)?;
            Some(RelatedArticle {
                article: extras.item(row, shown, now),
                score: related.score,
            })
        })
        .collect()
}
