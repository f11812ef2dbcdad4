//! The rule of a vote: only a published article is rated, and each vote is
//! told to webhooks in its transaction, grouped with other votes and views.

use serde_json::json;

use super::queries::{self, Tally};
use super::{RatingSummary, Stars, not_public};
use crate::articles;
use crate::db::{Database, Touches};
use crate::error::ApiError;
use crate::webhooks::{self, EventKind};

/// Records `voter`'s `stars` for article `id` (replacing an earlier vote)
/// and answers the new tally; 404 unless the article is public.
pub async fn vote(db: &Database, id: i32, voter: String, stars: Stars) -> Result<Tally, ApiError> {
    db.write_grouped(Touches::ArticleFigures(id), move |conn| {
        let now = crate::support::timestamps::now();
        if !articles::queries::is_public(conn, id, now)? {
            return Err(not_public(id));
        }
        let tally = queries::vote(conn, id, &voter, stars, now)?;
        let summary = RatingSummary::new(tally.total, tally.count);
        let data = json!({"article_id": id, "stars": stars.get(), "total": summary.total,
            "count": summary.count, "average": summary.average,
            "path": format!("/api/v1/articles/{id}/ratings")});
        webhooks::emit(conn, EventKind::RatingCreated, data, now)?;
        Ok(tally)
    })
    .await
}
