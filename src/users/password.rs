//! Passwords: a minimum strength at the edge, Argon2id at rest.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// A password that met the strength rules. It never prints.
#[derive(Clone)]
pub struct Password(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("must be at least {} characters long", Password::MIN_CHARS)]
    TooShort,
    #[error("must be at most {} characters long", Password::MAX_CHARS)]
    TooLong,
    #[error("must use at least {} different characters", Password::MIN_DISTINCT)]
    TooRepetitive,
}

/// Hashing failed; only an exhausted random source or a broken build does this.
#[derive(Debug, thiserror::Error)]
#[error("could not hash the password: {0}")]
pub struct HashError(String);

impl Password {
    const MIN_CHARS: usize = 10;
    // Bounds the work an attacker can make Argon2 do per request.
    const MAX_CHARS: usize = 256;
    const MIN_DISTINCT: usize = 4;

    /// Length over composition rules, as NIST SP 800-63B advises, plus a
    /// floor on variety that refuses `aaaaaaaaaa` and `1212121212`.
    pub fn parse(input: String) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if input.chars().collect::<HashSet<_>>().len() < Self::MIN_DISTINCT {
            return Err(PasswordError::TooRepetitive);
        }
        Ok(Self(input))
    }

    /// An Argon2id PHC string with a fresh random salt.
    pub fn hash(&self) -> Result<String, HashError> {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| HashError(e.to_string()))
    }
}

/// How many threads compute Argon2, process-wide. Each computation takes
/// 19 MiB and a core for tens of milliseconds: on threads of their own,
/// logins queue for them instead of spreading over the blocking pool, where
/// every thread's allocator would keep its own 19 MiB and a burst of logins
/// would leave the process hundreds of MiB larger for good.
const ARGON2_THREADS: usize = 2;

type Argon2Job = Box<dyn FnOnce() + Send>;

/// The Argon2 threads and the queue they take work from.
struct Argon2Workers {
    queue: std::sync::mpsc::Sender<Argon2Job>,
    /// Jobs queued or running: when it falls to zero the threads are idle.
    pending: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// The Argon2 threads are gone (they could not start, or one panicked
/// while holding the queue): no password can be checked.
#[derive(Debug, thiserror::Error)]
#[error("the password hashing threads are not running")]
pub struct HashersGone;

impl From<HashersGone> for crate::db::StoreError {
    fn from(_: HashersGone) -> Self {
        crate::db::StoreError::Blocking
    }
}

impl Argon2Workers {
    fn start() -> Self {
        use std::sync::atomic::Ordering;
        let (queue, jobs) = std::sync::mpsc::channel::<Argon2Job>();
        let jobs = std::sync::Arc::new(std::sync::Mutex::new(jobs));
        let pending = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        for n in 0..ARGON2_THREADS {
            let (jobs, pending) = (jobs.clone(), pending.clone());
            let started = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    while let Some(job) = next_job(&jobs) {
                        job();
                        if pending.fetch_sub(1, Ordering::AcqRel) == 1 {
                            release_freed_memory();
                        }
                    }
                });
            // With no thread started the queue's receiver is dropped here,
            // and every job is refused rather than left waiting.
            if let Err(error) = started {
                tracing::error!(%error, "could not start an Argon2 thread");
            }
        }
        Self { queue, pending }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashersGone> {
        let (reply, outcome) = tokio::sync::oneshot::channel();
        let job: Argon2Job = Box::new(move || {
            // The caller may have gone (a closed connection): nothing to tell.
            let _ = reply.send(work());
        });
        self.pending
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.queue.send(job).map_err(|_| HashersGone)?;
        outcome.await.map_err(|_| HashersGone)
    }
}

/// The next job, holding the queue's lock only to take it; `None` once the
/// queue is closed.
fn next_job(jobs: &std::sync::Mutex<std::sync::mpsc::Receiver<Argon2Job>>) -> Option<Argon2Job> {
    jobs.lock().ok()?.recv().ok()
}

/// Hands the memory the allocator kept from Argon2's blocks back to the
/// system once no hashing is under way, so a burst of logins leaves no
/// lasting growth behind. Only glibc's allocator keeps it; others return it.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's own
    // arenas; it touches no memory in use and takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Runs Argon2 work (hashing, verifying) on the Argon2 threads, in turn.
pub async fn run_argon2<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashersGone> {
    static WORKERS: OnceLock<Argon2Workers> = OnceLock::new();
    WORKERS.get_or_init(Argon2Workers::start).run(work).await
}

/// Whether `candidate` is the password `stored_hash` was made from. A stored
/// hash that does not parse matches nothing.
pub fn verify_password(candidate: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(candidate.as_bytes(), &hash)
            .is_ok()
    })
}

/// Spends the time of a real verification and fails, so that a login for an
/// unknown email takes as long as one with a wrong password.
pub fn verify_against_no_account(candidate: &str) -> bool {
    static DECOY: OnceLock<Option<String>> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| {
        Password::parse("decoy password for unknown accounts".into())
            .ok()
            .and_then(|p| p.hash().ok())
    });
    if let Some(decoy) = decoy {
        let _ = verify_password(candidate, decoy);
    }
    false
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_repetitive_passwords_are_refused() {
        assert_eq!(
            Password::parse("short".into()).unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            Password::parse("x".repeat(257)).unwrap_err(),
            PasswordError::TooLong
        );
        assert_eq!(
            Password::parse("1212121212".into()).unwrap_err(),
            PasswordError::TooRepetitive
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // Ten Vietnamese characters are more than ten bytes but still ten characters.
        assert!(Password::parse("mậtkhẩuđủ1".into()).is_ok());
        assert_eq!(
            Password::parse("mậtkhẩu".into()).unwrap_err(),
            PasswordError::TooShort
        );
    }

    #[test]
    fn verification_accepts_the_password_and_nothing_else() {
        let hash = Password::parse("correct horse battery".into())
            .unwrap()
            .hash()
            .unwrap();
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("correct horse battery", "not a hash"));
        assert!(!verify_against_no_account("correct horse battery"));
    }

    #[test]
    fn hashes_are_argon2id_salted_and_never_the_password() {
        let password = Password::parse("correct horse battery".into()).unwrap();
        let first = password.hash().unwrap();
        let second = password.hash().unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(!first.contains("correct horse"));
        assert!(!format!("{password:?}").contains("horse"));
    }
}
