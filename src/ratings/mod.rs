//! Ratings: readers' 1–5 stars on an article.

use serde::Serialize;
use utoipa::ToSchema;

/// The star aggregate of an article: "Tổng số điểm … là: 3 trong 3 đánh giá".
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RatingSummary {
    /// Sum of all stars given.
    #[schema(example = 3)]
    pub total: i64,
    /// Number of votes.
    #[schema(example = 3)]
    pub count: i64,
    /// `total / count`, rounded to two decimals; 0 when there are no votes.
    #[schema(example = 1.0)]
    pub average: f64,
}

impl RatingSummary {
    pub fn new(total: i64, count: i64) -> Self {
        let average = if count > 0 {
            (total as f64 / count as f64 * 100.0).round() / 100.0
        } else {
            0.0
        };
        Self {
            total,
            count,
            average,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_is_rounded_and_zero_without_votes() {
        assert_eq!(RatingSummary::new(3, 3).average, 1.0);
        assert_eq!(RatingSummary::new(14, 3).average, 4.67);
        assert_eq!(RatingSummary::new(0, 0).average, 0.0);
    }
}
