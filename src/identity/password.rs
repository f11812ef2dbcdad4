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

/// At least 10 characters of which 4 differ; `not` holds the strings of at
/// most three different characters (`aaaaaaaaaa`, `1212121212`).
impl utoipa::PartialSchema for Password {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let few_characters = serde_json::json!({
            "pattern": r"^([\s\S])\1*(?:([\s\S])(?:\1|\2)*(?:([\s\S])(?:\1|\2|\3)*)?)?$"
        });
        // utoipa has no builder for JSON Schema's `not`; keys given this
        // way are written as they are.
        let not = utoipa::openapi::extensions::Extensions::from_iter([("not", few_characters)]);
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .min_length(Some(Self::MIN_CHARS))
            .max_length(Some(Self::MAX_CHARS))
            .extensions(Some(not))
            .examples([serde_json::json!("một mật khẩu đủ dài")])
            .into()
    }
}
impl utoipa::ToSchema for Password {}

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
/// logins queue for them instead of spreading over the blocking pool, and
/// at most this many blocks of 19 MiB exist at once.
const ARGON2_THREADS: usize = 2;
/// How many logins may wait for a thread; past it a login is answered 503
/// at once (each waiting one is tens of milliseconds of work already owed).
const ARGON2_QUEUE: usize = 256;

type Argon2Job = Box<dyn FnOnce() + Send>;

/// The Argon2 threads and the queue they take work from.
struct Argon2Workers {
    queue: std::sync::mpsc::SyncSender<Argon2Job>,
}

/// No password can be checked now: the queue is full (503, retry), or the
/// Argon2 threads are gone (they could not start).
#[derive(Debug, thiserror::Error)]
pub enum HashersBusy {
    #[error("too many passwords are waiting to be checked")]
    Full,
    #[error("the password hashing threads are not running")]
    Gone,
}

impl From<HashersBusy> for crate::db::StoreError {
    fn from(busy: HashersBusy) -> Self {
        match busy {
            HashersBusy::Full => crate::db::StoreError::Busy(busy.to_string()),
            HashersBusy::Gone => crate::db::StoreError::Blocking,
        }
    }
}

impl Argon2Workers {
    fn start() -> Self {
        let (queue, jobs) = std::sync::mpsc::sync_channel::<Argon2Job>(ARGON2_QUEUE);
        let jobs = std::sync::Arc::new(std::sync::Mutex::new(jobs));
        for n in 0..ARGON2_THREADS {
            let jobs = jobs.clone();
            let started = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    while let Some(job) = next_job(&jobs) {
                        // A panic fails its own caller (its reply is dropped),
                        // not the thread.
                        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                    }
                });
            // With no thread started the queue's receiver is dropped here,
            // and every job is refused rather than left waiting.
            if let Err(error) = started {
                tracing::error!(%error, "could not start an Argon2 thread");
            }
        }
        Self { queue }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashersBusy> {
        let (reply, outcome) = tokio::sync::oneshot::channel();
        let job: Argon2Job = Box::new(move || {
            // A caller that has gone (a closed connection) costs no work.
            if !reply.is_closed() {
                let _ = reply.send(work());
            }
        });
        self.queue.try_send(job).map_err(|error| match error {
            std::sync::mpsc::TrySendError::Full(_) => HashersBusy::Full,
            std::sync::mpsc::TrySendError::Disconnected(_) => HashersBusy::Gone,
        })?;
        outcome.await.map_err(|_| HashersBusy::Gone)
    }
}

/// The next job, holding the queue's lock only to take it; `None` once the
/// queue is closed.
fn next_job(jobs: &std::sync::Mutex<std::sync::mpsc::Receiver<Argon2Job>>) -> Option<Argon2Job> {
    jobs.lock().ok()?.recv().ok()
}

/// Runs Argon2 work (hashing, verifying) on the Argon2 threads, in turn.
pub async fn run_argon2<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashersBusy> {
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
