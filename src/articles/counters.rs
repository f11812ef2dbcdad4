//! `GET /articles/counters`: the figures that move without an article
//! changing (views, comments, votes) for the articles an app holds, in one
//! request. A sync carries an article again only when it is written; an
//! app refreshes what it shows of the rest from here.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::queries;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::Query;
use crate::http::pagination::MAX_LIMIT;
use crate::ratings::RatingSummary;

/// Which articles.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountersParams {
    /// The ids, comma-separated: up to 100.
    #[param(
        example = "1,2,3",
        pattern = "^[1-9][0-9]{0,8}(,[1-9][0-9]{0,8}){0,99}$"
    )]
    pub ids: String,
}

impl CountersParams {
    /// The ids asked for, each once, in the order asked; a 422 on `ids`
    /// unless they are as the pattern says.
    fn ids(&self) -> Result<Vec<i32>, ApiError> {
        let refused = || {
            ApiError::validation(
                "ids",
                format!("must be up to {MAX_LIMIT} article ids, comma-separated"),
            )
        };
        let pieces: Vec<&str> = self.ids.split(',').collect();
        if pieces.len() > MAX_LIMIT as usize {
            return Err(refused());
        }
        let mut ids = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let is_id = (1..=9).contains(&piece.len())
                && !piece.starts_with('0')
                && piece.bytes().all(|b| b.is_ascii_digit());
            let id: i32 = piece.parse().ok().filter(|_| is_id).ok_or_else(refused)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

/// The moving figures of one article.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleCounters {
    #[schema(example = 1)]
    pub id: i32,
    #[schema(example = 268)]
    pub view_count: i64,
    /// Approved comments, replies included.
    #[schema(example = 0)]
    pub comment_count: i64,
    pub rating: RatingSummary,
}

/// The figures of the articles asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountersResponse {
    /// One per id asked for that is a published article, in the order
    /// asked; an id that is not (any more) is left out (a sync brings its
    /// tombstone).
    pub items: Vec<ArticleCounters>,
}

/// The views, comments and rating of up to 100 published articles at once:
/// what an app refreshes for the articles it holds (they move without the
/// article changing, so a sync does not bring them again).
#[utoipa::path(
    tag = "articles",
    params(CountersParams),
    responses(
        (status = 200, description = "The figures, in the order asked", body = CountersResponse),
        (status = 422, description = "`ids` is not a list of up to 100 ids", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/counters")]
pub(super) async fn article_counters(
    db: web::Data<Database>,
    params: Query<CountersParams>,
) -> Result<HttpResponse, ApiError> {
    let ids = params.ids()?;
    let now = crate::support::timestamps::now();
    let asked = ids.clone();
    let found = db
        .read(move |conn| queries::counters(conn, &asked, now))
        .await?;
    let items = ids
        .iter()
        .filter_map(|id| found.iter().find(|row| row.id == *id))
        .map(|row| ArticleCounters {
            id: row.id,
            view_count: row.view_count,
            comment_count: row.comment_count,
            rating: RatingSummary::new(row.rating_total, row.rating_count),
        })
        .collect();
    Ok(HttpResponse::Ok().json(CountersResponse { items }))
}
