//! Small tools every resource uses: stored and shown times, trees kept as
//! parent links, rows gathered by a key; a lock past a panic; and how the
//! process allocates.

pub mod allocator;
pub mod grouping;
pub mod timestamps;
pub mod tree;

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex` even when a holder panicked: for data each change leaves
/// whole (counters, kept answers), which a panic elsewhere does not spoil.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
