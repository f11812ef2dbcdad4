//! Moving content over from other systems: a NukeViet portal's news,
//! comments and legal documents, read from a database dump; and the progress
//! a long move (an import, a copy) shows.

pub mod dump;
pub mod nukeviet;
mod progress;
mod report;
mod spool;

pub use progress::Progress;
pub use report::{Counts, KindCounts, Report, RowNote};
