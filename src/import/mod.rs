//! Moving content over from other systems: a NukeViet portal's news,
//! comments and legal documents, read from a database dump.

pub mod dump;
pub mod nukeviet;
mod progress;
mod report;
mod spool;

pub use progress::Progress;
pub use report::{Counts, KindCounts, Report, RowNote};
