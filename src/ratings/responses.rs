//! What clients receive for ratings: the aggregate, its distribution and
//! the caller's own vote.

use serde::Serialize;
use utoipa::ToSchema;

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

    /// An imported aggregate whose votes are not known one by one: the most
    /// even votes that add up to it, each at the average rounded down and
    /// the remainder one star higher (the demo's 3 points from 3 votes are
    /// three 1-star votes; 10 from 3 are 3, 3 and 4).
    pub fn of_aggregate(total: i64, count: i64) -> [i64; 5] {
        let mut counts = [0; 5];
        if count <= 0 {
            return counts;
        }
        // A total outside 1–5 stars a vote cannot be spread: the nearest that can.
        let total = total.clamp(count, 5 * count);
        let low = total / count;
        let higher = total - low * count;
        counts[low as usize - 1] = count - higher;
        if higher > 0 {
            counts[low as usize] = higher;
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
    fn an_imported_aggregate_is_spread_evenly_to_its_exact_total() {
        assert_eq!(Distribution::of_aggregate(3, 3), [3, 0, 0, 0, 0]);
        assert_eq!(Distribution::of_aggregate(14, 3), [0, 0, 0, 1, 2]);
        assert_eq!(Distribution::of_aggregate(10, 3), [0, 0, 2, 1, 0]);
        assert_eq!(Distribution::of_aggregate(15, 3), [0, 0, 0, 0, 3]);
        assert_eq!(Distribution::of_aggregate(0, 0), [0; 5]);
        for count in 1..=7 {
            for total in count..=5 * count {
                let counts = Distribution::of_aggregate(total, count);
                let sum: i64 = counts.iter().zip(1..).map(|(n, star)| n * star).sum();
                assert_eq!((sum, counts.iter().sum::<i64>()), (total, count));
            }
        }
        // Impossible totals are brought within 1–5 stars a vote.
        assert_eq!(Distribution::of_aggregate(1, 3), [3, 0, 0, 0, 0]);
        assert_eq!(Distribution::of_aggregate(99, 3), [0, 0, 0, 0, 3]);
    }

    #[test]
    fn average_is_rounded_and_zero_without_votes() {
        assert_eq!(RatingSummary::new(3, 3).average, 1.0);
        assert_eq!(RatingSummary::new(14, 3).average, 4.67);
        assert_eq!(RatingSummary::new(0, 0).average, 0.0);
    }
}
