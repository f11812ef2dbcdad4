//! Small tools every resource uses: stored and shown times, trees kept as
//! parent links, rows gathered by a key; and how the process allocates.

pub mod allocator;
pub mod grouping;
pub mod timestamps;
pub mod tree;
