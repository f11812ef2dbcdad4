//! Readers who need no account: who they are when they vote (a rating, a
//! like) and the views their reads count.

pub mod view_counts;
pub mod voters;
