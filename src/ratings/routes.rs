//! HTTP handlers for ratings: the aggregate for anyone, a vote for readers.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::queries::{self, Tally};
use super::requests::RateRequest;
use super::{Distribution, RatingAggregate, RatingSummary, Stars, not_public, writes};
use crate::articles::{self, ArticleKey};
use crate::auth::Viewer;
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::permalinks::Permalinks;
use crate::http::{ClientAddr, JsonBody};
use crate::limits::{ClientLimits, Limited};
use crate::readers::voters::{Reader, Voter};

pub fn configure(config: &mut ServiceConfig) {
    config.service(get_ratings).service(rate_article);
}

/// Whether guests may rate (`BULLETIN_GUEST_RATINGS`).
#[derive(Debug, Clone, Copy)]
pub struct GuestRatings(pub bool);

fn aggregate(tally: Tally, your_rating: Option<i32>) -> RatingAggregate {
    RatingAggregate {
        summary: RatingSummary::new(tally.total, tally.count),
        distribution: Distribution::from_counts(tally.by_stars),
        your_rating: your_rating.and_then(|stars| u8::try_from(stars).ok()),
    }
}

/// An article's star aggregate, with the caller's own vote: the "Tổng số
/// điểm … đánh giá" line and the star widget. Send the voter token (or the
/// cookie) to see `your_rating` as a guest.
#[utoipa::path(
    tag = "ratings",
    params(
        ArticleKey,
        ("X-Voter-Token" = Option<String>, Header, nullable = false, description = "A guest's voter token, as given by a vote"),
    ),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The aggregate", body = RatingAggregate,
            example = json!({"total": 3, "count": 3, "average": 1.0,
                "distribution": {"1": 3, "2": 0, "3": 0, "4": 0, "5": 0}, "your_rating": null})),
        (status = 404, description = "No published article has this id or slug", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/{key}/ratings")]
async fn get_ratings(
    links: web::Data<Permalinks>,
    viewer: Viewer,
    db: web::Data<Database>,
    req: HttpRequest,
    key: web::Path<ArticleKey>,
) -> Result<web::Json<RatingAggregate>, ApiError> {
    let id = key.id(&db, &links.default_lang).await?;
    let voter = Reader::of(&req, &viewer)?.key();
    let found = db
        .read(move |conn| {
            if !articles::queries::is_public(conn, id, crate::support::timestamps::now())? {
                return Ok(None);
            }
            let yours = match &voter {
                Some(voter) => queries::vote_of(conn, id, voter)?,
                None => None,
            };
            Ok(Some((queries::tally(conn, id)?, yours)))
        })
        .await?;
    let (tally, yours) = found.ok_or_else(|| not_public(id))?;
    Ok(web::Json(aggregate(tally, yours)))
}

/// Rate an article from 1 to 5 stars; rating again replaces your vote.
///
/// Signed-in readers vote by account. A guest (when `BULLETIN_GUEST_RATINGS`
/// allows) votes by voter token: the answer's `X-Voter-Token` header (and a
/// cookie) carries it; send it back to be the same voter. API keys do not vote.
/// The article and its ratings show the vote at once; lists and searches,
/// like view counts, within two seconds where several nodes share the
/// database and three on a single node.
#[utoipa::path(
    tag = "ratings",
    params(
        ArticleKey,
        ("X-Voter-Token" = Option<String>, Header, nullable = false, description = "A guest's voter token; without one, a new one is issued"),
    ),
    request_body(content = RateRequest, example = json!({"stars": 5})),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The new aggregate; a guest's token in `X-Voter-Token`", body = RatingAggregate,
            example = json!({"total": 8, "count": 4, "average": 2.0,
                "distribution": {"1": 3, "2": 0, "3": 0, "4": 0, "5": 1}, "your_rating": 5})),
        (status = 401, description = "Guests may not rate here (`BULLETIN_GUEST_RATINGS=off`): sign in",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API keys do not vote", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No published article has this id or slug", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many votes from this client; retry after `Retry-After` seconds",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/articles/{key}/ratings")]
#[allow(clippy::too_many_arguments)]
async fn rate_article(
    links: web::Data<Permalinks>,
    Rater(voter): Rater,
    db: web::Data<Database>,
    limits: web::Data<dyn ClientLimits>,
    client: ClientAddr,
    key: web::Path<ArticleKey>,
    JsonBody(request): JsonBody<RateRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = key.id(&db, &links.default_lang).await?;
    let stars = Stars::parse(request.stars).map_err(|e| ApiError::validation("stars", e))?;
    limits
        .check(client.0, Limited::Vote)
        .await
        .map_err(ApiError::retry_after)?;
    let tally = writes::vote(&db, id, voter.key.clone(), stars).await?;
    let mut response = HttpResponse::Ok();
    voter.remember(&mut response);
    Ok(response.json(aggregate(tally, Some(i32::from(stars.get())))))
}

/// A voter who may rate: a guest only while `BULLETIN_GUEST_RATINGS` allows.
/// The first extractor of a rating, so who may not rate hears so before the
/// body is read.
struct Rater(Voter);

impl FromRequest for Rater {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let voter = Voter::from_request(req, payload);
        let guests_rate = req
            .app_data::<web::Data<GuestRatings>>()
            .is_some_and(|guests| guests.0);
        Box::pin(async move {
            let voter = voter.await?;
            if voter.is_guest() && !guests_rate {
                return Err(ApiError::unauthenticated("sign in to rate articles").into());
            }
            Ok(Rater(voter))
        })
    }
}
