//! How the process asks glibc's allocator to behave, set once at start (other
//! allocators and systems keep their own ways).

/// How many of glibc's arenas each worker's share of threads allocates
/// from (see `tune`).
const ARENAS_PER_WORKER: usize = 4;

/// Tunes glibc's allocator for a server of `workers` threads answering
/// requests:
/// - every block of 1 MiB or more goes back to the system when freed. glibc
///   otherwise raises that threshold to the largest block freed so far,
///   then keeps Argon2's 19 MiB blocks in its arenas, where the 64-byte
///   alignment Argon2 asks for splits them so that the next one does not
///   fit: a burst of logins grew the process by hundreds of MiB for good;
/// - `ARENAS_PER_WORKER` arenas per worker rather than up to eight per
///   core. Each thread that allocates (workers, blocking threads, the
///   database's) otherwise gets an arena of its own, and their free space
///   adds up; with one arena per worker, the blocking threads reading
///   articles and the workers freeing their rows waited on each other's
///   arena locks (a seventh of the server's time on 10,000 articles read in
///   a long tail). With four, reads past the response cache ran 22 % faster
///   and the server's own memory under the mixed load grew from 51 to
///   56 MiB, the freed memory being handed back every few seconds
///   (`give_freed_memory_back`). An operator's `MALLOC_ARENA_MAX` wins.
pub fn tune(workers: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let arenas = libc::c_int::try_from(workers.max(1).saturating_mul(ARENAS_PER_WORKER))
            .unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets tunables of the allocator; these two may
        // be set at any time, and a failure leaves a tunable as it was.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
            if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
                libc::mallopt(libc::M_ARENA_MAX, arenas);
            }
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = workers;
}

/// Hands the memory freed so far back to the system. glibc keeps freed
/// blocks for the process, in the middle of its arenas as well as at their
/// ends: an import's rows, read before the full-text index asks for large
/// blocks of its own, and a server's answers, made and dropped by the
/// thousand a second, would otherwise stay counted as its own memory.
pub fn give_freed_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory at the allocator's
    // edges and in its free lists to the system; it touches no live block.
    unsafe {
        libc::malloc_trim(0);
    }
}
