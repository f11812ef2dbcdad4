//! Ratings: readers' 1–5 stars on an article. One vote per voter (an
//! account, or a guest's voter token); voting again replaces the vote. The
//! aggregate is kept with the article, in the transaction of each vote.

pub mod queries;
mod routes;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use routes::{GuestRatings, configure};

/// 1 to 5 stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stars(u8);

impl Stars {
    pub fn parse(stars: i64) -> Result<Self, String> {
        u8::try_from(stars)
            .ok()
            .filter(|stars| (1..=5).contains(stars))
            .map(Self)
            .ok_or_else(|| "must be a whole number from 1 to 5".into())
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// How many votes gave each number of stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Distribution {
    #[serde(rename = "1")]
    #[schema(example = 3)]
    pub one: i64,
    #[serde(rename = "2")]
    #[schema(example = 0)]
    pub two: i64,
    #[serde(rename = "3")]
    #[schema(example = 0)]
    pub three: i64,
    #[serde(rename = "4")]
    #[schema(example = 0)]
    pub four: i64,
    #[serde(rename = "5")]
    #[schema(example = 0)]
    pub five: i64,
}

impl Distribution {
    pub fn from_counts([one, two, three, four, five]: [i64; 5]) -> Self {
        Self {
            one,
            two,
            three,
            four,
            five,
        }
    }

    /// An imported aggregate whose votes are not known one by one: every
    /// vote at the star of the average (the demo's 3 points from 3 votes are
    /// three 1-star votes, exactly).
    pub fn of_aggregate(total: i64, count: i64) -> [i64; 5] {
        let mut counts = [0; 5];
        if count > 0 {
            let star = ((total as f64 / count as f64).round() as usize).clamp(1, 5);
            counts[star - 1] = count;
        }
        counts
    }
}

/// The aggregate with what the rating widget needs.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RatingAggregate {
    #[serde(flatten)]
    pub summary: RatingSummary,
    pub distribution: Distribution,
    /// The caller's own vote (by account, or by voter token); null when none.
    #[schema(example = json!(null))]
    pub your_rating: Option<u8>,
}

/// A vote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// 1 to 5.
    #[schema(example = 5, minimum = 1, maximum = 5)]
    pub stars: i64,
}

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
    fn stars_are_one_to_five() {
        assert_eq!(Stars::parse(5).unwrap().get(), 5);
        for bad in [0, 6, -1, 300] {
            assert!(Stars::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_imported_aggregate_sits_at_its_average() {
        assert_eq!(Distribution::of_aggregate(3, 3), [3, 0, 0, 0, 0]);
        assert_eq!(Distribution::of_aggregate(14, 3), [0, 0, 0, 0, 3]);
        assert_eq!(Distribution::of_aggregate(0, 0), [0; 5]);
    }

    #[test]
    fn average_is_rounded_and_zero_without_votes() {
        assert_eq!(RatingSummary::new(3, 3).average, 1.0);
        assert_eq!(RatingSummary::new(14, 3).average, 4.67);
        assert_eq!(RatingSummary::new(0, 0).average, 0.0);
    }
}
