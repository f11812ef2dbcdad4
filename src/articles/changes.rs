//! Mobile sync: `GET /articles/changes`, what changed since the last pass,
//! oldest change first, with a tombstone for each article removed from
//! public view, and a resume token for the next pass.

use actix_web::{HttpResponse, get, web};
use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::listing::PageExtras;
use super::params::{Narrowing, Shape};
use super::queries::{self, ArticleWithContext, ListOrder, ListPosition, Scope, change_time};
use super::responses::{ArticleChange, Deleted, RemovedArticle, Showing};
use crate::db::Database;
use crate::error::{ApiError, Problem};
use crate::http::pagination::parse_limit;
use crate::http::{Cursor, Query};

/// How long a change may take to show after its time: a write is stamped
/// before it commits. A token never moves past this long ago, so a pass
/// cannot step over a change still committing; the changes of these last
/// seconds may come again on the next pass.
const SETTLE: TimeDelta = TimeDelta::seconds(10);

/// A pass takes as many as a page may hold: a sync wants few round trips.
const DEFAULT_LIMIT: u32 = crate::http::pagination::MAX_LIMIT;

/// Where a pass starts, and how much it takes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// The `next_since` of the previous pass; leave out for the first (which
    /// lists every published article). A token this service did not issue is
    /// a 404.
    #[param(min_length = 1, max_length = 1000, pattern = "^[A-Za-z0-9_-]+$")]
    pub since: Option<String>,
    /// Entries per pass, 1 to 100 (default 100).
    #[param(minimum = 1, maximum = 100, example = 100)]
    pub limit: Option<i64>,
}

/// One sync pass.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleChanges {
    /// Changed articles and tombstones, oldest change first. A client
    /// stores each article by `id` (replacing its copy) and deletes the
    /// ids of tombstones (it may meet ids it never held).
    #[schema(value_type = Vec<ArticleChange>)]
    pub items: Vec<serde_json::Value>,
    /// Pass as `since` for the next pass; keep it until then.
    #[schema(example = "eyJzIjoiYyIsImMiOiIyMDI2LTEyLTAxVDA4OjAwOjAwIiwiaSI6NDJ9")]
    pub next_since: String,
    /// More changes wait: ask again at once with `next_since`.
    #[schema(example = false)]
    pub has_more: bool,
}

/// Sync: the published articles that changed since the last pass (were
/// written, or went live on schedule), oldest change first, and a
/// tombstone (`{"id", "deleted": true, "deleted_at"}`) for each article
/// removed from public view since (trashed, unpublished, archived).
///
/// Keep `next_since` and pass it as `since` next time: the token is the
/// server's, so no client clock is trusted. A pass right after another
/// with no change between answers no items. The changes of the last ten
/// seconds may come again on the next pass (a write may commit a moment
/// after its time); storing by `id` makes that harmless. `category`, `tag`
/// and `author` narrow the articles and tombstones alike; `fields` and
/// `include` shape the articles as in lists.
#[utoipa::path(
    tag = "articles",
    params(ChangesParams, Narrowing, Shape),
    responses(
        (status = 200, description = "One pass: changes oldest first, and where the next starts",
            body = ArticleChanges),
        (status = 404, description = "No category has the id or slug given as `category`, or \
            `since` is not a token this service issued (start again without it)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A parameter that breaks its schema", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/articles/changes")]
pub(super) async fn list_changes(
    db: web::Data<Database>,
    shown: Showing,
    params: Query<ChangesParams>,
    narrowing: Query<Narrowing>,
    shape: Query<Shape>,
) -> Result<HttpResponse, ApiError> {
    let ChangesParams { since, limit } = params.into_inner();
    let limit =
        parse_limit(limit, DEFAULT_LIMIT).map_err(|error| ApiError::Validation(vec![error]))?;
    let since = since.map(resume_point).transpose()?;
    let filter = narrowing.filter(&db, &shown.links.default_lang).await?;
    let wanted = shape.parse()?;
    let now = crate::support::timestamps::now();
    let (embeds, offset) = (wanted.embeds, shown.offset);
    let (rows, mut extras) = db
        .read(move |conn| {
            let rows = queries::list(
                conn,
                &Scope::Changes,
                &filter,
                ListOrder::Changes,
                now,
                limit,
                0,
                since.map(|(c, i)| ListPosition::Changed { c, i }),
            )?;
            let articles = rows.iter().map(|row| &row.article);
            let extras = PageExtras::load(conn, articles, embeds, now, offset)?;
            Ok((rows, extras))
        })
        .await?;
    let has_more = rows.len() > limit as usize;
    let kept: Vec<ArticleWithContext> = rows.into_iter().take(limit as usize).collect();
    let last = kept
        .last()
        .map(|row| (change_time(&row.article), row.article.id));
    let (c, i) = match last {
        Some(last) if has_more => last,
        last => held_back(last, since, now),
    };
    let items = kept
        .into_iter()
        .map(|row| change_of(row, &mut extras, &shown, now))
        .map(|change| match (&wanted.fields, change) {
            (Some(fields), ArticleChange::Article(item)) => fields.select_from(&item),
            (_, change) => serde_json::to_value(change).expect("changes serialise"),
        })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(ArticleChanges {
        items,
        next_since: Cursor::encode(&ListPosition::Changed { c, i }).into_string(),
        has_more,
    }))
}

/// Where a sync stands: the change time and id of the last change sent.
type Mark = (NaiveDateTime, i32);

/// Where a token says the last pass stopped; 404 for one we did not issue.
fn resume_point(token: String) -> Result<Mark, ApiError> {
    let cursor =
        Cursor::parse("since", token).map_err(|error| ApiError::Validation(vec![error]))?;
    match cursor.decode::<ListPosition>() {
        Ok(ListPosition::Changed { c, i }) => Ok((c, i)),
        _ => Err(ApiError::NotFound(
            "no sync resumes at this token: this service did not issue it; sync again \
             without since"
                .into(),
        )),
    }
}

/// The mark of a last pass: where it stopped, but never later than
/// `SETTLE` ago (nor earlier than where it started); where it started when
/// it found nothing.
fn held_back(stopped: Option<Mark>, started: Option<Mark>, now: NaiveDateTime) -> Mark {
    let settled = (now - SETTLE, 0);
    match (stopped, started) {
        (Some(stopped), started) => started.map_or(stopped.min(settled), |started| {
            started.max(stopped.min(settled))
        }),
        (None, Some(started)) => started,
        (None, None) => settled,
    }
}

/// A row of the sync as its entry: the article, or its tombstone.
fn change_of(
    row: ArticleWithContext,
    extras: &mut PageExtras,
    shown: &Showing,
    now: NaiveDateTime,
) -> ArticleChange {
    if row.article.is_public(now) {
        ArticleChange::Article(Box::new(extras.item(row, shown, now)))
    } else {
        ArticleChange::Removed(RemovedArticle {
            id: row.article.id,
            deleted: Deleted,
            deleted_at: shown.offset.show(change_time(&row.article)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(second: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(8, 0, second)
            .unwrap()
    }

    #[test]
    fn a_last_pass_is_held_back_to_settled_changes_but_never_goes_back() {
        let now = at(30);
        // Stopped well before the settling seconds: where it stopped.
        assert_eq!(held_back(Some((at(5), 7)), None, now), (at(5), 7));
        // Stopped among them: at their start, to see them again.
        assert_eq!(held_back(Some((at(25), 7)), None, now), (at(20), 0));
        // Never before where it started.
        assert_eq!(
            held_back(Some((at(25), 7)), Some((at(22), 3)), now),
            (at(22), 3)
        );
        // Nothing new: where it started, or the settled point for a first pass.
        assert_eq!(held_back(None, Some((at(5), 7)), now), (at(5), 7));
        assert_eq!(held_back(None, None, now), (at(20), 0));
    }
}
