//! What a reader sends to rate an article.

use serde::Deserialize;
use utoipa::ToSchema;

/// A vote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// 1 to 5.
    #[schema(example = 5, minimum = 1, maximum = 5)]
    pub stars: i64,
}
