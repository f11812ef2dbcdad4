//! Ratings: readers' 1–5 stars on an article. One vote per voter (an
//! account, or a guest's voter token); voting again replaces the vote. The
//! aggregate is kept with the article, in the transaction of each vote.

pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use crate::error::ApiError;
pub use responses::{Distribution, RatingAggregate, RatingSummary};
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

/// What a guest hears of an article that is not out, or not there.
fn not_public(id: i32) -> ApiError {
    ApiError::no_such("published article", id)
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
}
