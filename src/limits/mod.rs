//! Rate limits, all in one place: logins are throttled per account and
//! address ([`logins`]); here, per-client limits on what readers write (ratings, comments): a
//! flood from one address is refused with 429 and `Retry-After`, while
//! everyone else goes on. A SQLite node keeps the counts in its memory
//! (GCRA, from `governor`); nodes on PostgreSQL share them in the database
//! (the same algorithm, in one statement), so several nodes do not give a
//! client several times the limit. `BULLETIN_RATE_LIMIT=off` turns them all
//! off.

pub mod logins;

use std::future::Future;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::comments::Thread;
use crate::db::Database;
use crate::http::client_addr::subscriber;

/// Something a client does that is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limited {
    /// A vote: a star rating, a like or a dislike.
    Vote,
    /// A comment, anywhere.
    Comment,
    /// A comment on this thread (an article's, or a document's): at most
    /// one per client every `COMMENT_INTERVAL`.
    CommentOn(Thread),
    /// A refresh token presented for a new pair.
    Refresh,
}

pub const VOTES_PER_MINUTE: u32 = 20;
pub const COMMENTS_PER_MINUTE: u32 = 5;
pub const COMMENT_INTERVAL: Duration = Duration::from_secs(30);
/// A browser refreshes once per access token (minutes apart); an office
/// behind one address has a few dozen people.
pub const REFRESHES_PER_MINUTE: u32 = 60;

/// Go ahead, or how long to wait first: a limiter's answer, which a shared
/// one has to ask the database for.
pub type Verdict<'a> = Pin<Box<dyn Future<Output = Result<(), Duration>> + Send + 'a>>;

pub trait ClientLimits: Send + Sync {
    /// Counts one `action` by `client`, or answers how long to wait (and counts nothing).
    fn check(&self, client: IpAddr, action: Limited) -> Verdict<'_>;
}

/// No limits (`BULLETIN_RATE_LIMIT=off`: benchmarks, or a gateway limits).
pub struct Unlimited;

impl ClientLimits for Unlimited {
    fn check(&self, _: IpAddr, _: Limited) -> Verdict<'_> {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// How often `action` may be done: `count` turns per `period`, all of
/// which may be taken at once.
fn quota(action: Limited) -> (u32, Duration) {
    match action {
        Limited::Vote => (VOTES_PER_MINUTE, Duration::from_secs(60)),
        Limited::Comment => (COMMENTS_PER_MINUTE, Duration::from_secs(60)),
        Limited::CommentOn(_) => (1, COMMENT_INTERVAL),
        Limited::Refresh => (REFRESHES_PER_MINUTE, Duration::from_secs(60)),
    }
}

/// Limits kept in this process's memory.
pub struct InMemoryLimits {
    votes: DefaultKeyedRateLimiter<IpAddr>,
    comments: DefaultKeyedRateLimiter<IpAddr>,
    per_thread: DefaultKeyedRateLimiter<(IpAddr, Thread)>,
    refreshes: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

/// A limiter in memory for `action`, its quota's turns all allowed at once.
fn keyed<K: Clone + std::hash::Hash + Eq>(action: Limited) -> DefaultKeyedRateLimiter<K> {
    let (count, period) = quota(action);
    let count = NonZeroU32::new(count).expect("a limit above zero");
    let quota = Quota::with_period(period / count.get()).expect("a period above zero");
    RateLimiter::keyed(quota.allow_burst(count))
}

/// Above this many keys in a limiter, keys whose limit has fully recovered
/// are forgotten: memory follows the clients active now, not all ever seen.
const FORGET_ABOVE: usize = 10_000;

impl Default for InMemoryLimits {
    fn default() -> Self {
        Self {
            votes: keyed(Limited::Vote),
            comments: keyed(Limited::Comment),
            per_thread: keyed(Limited::CommentOn(Thread::Article(0))),
            refreshes: keyed(Limited::Refresh),
            clock: DefaultClock::default(),
        }
    }
}

impl InMemoryLimits {
    fn hit<K: Clone + std::hash::Hash + Eq>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: K,
    ) -> Result<(), Duration> {
        if limiter.len() > FORGET_ABOVE {
            limiter.retain_recent();
        }
        limiter
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

impl ClientLimits for InMemoryLimits {
    fn check(&self, client: IpAddr, action: Limited) -> Verdict<'_> {
        let client = subscriber(client);
        let verdict = match action {
            Limited::Vote => self.hit(&self.votes, client),
            Limited::Comment => self.hit(&self.comments, client),
            Limited::CommentOn(thread) => self.hit(&self.per_thread, (client, thread)),
            Limited::Refresh => self.hit(&self.refreshes, client),
        };
        Box::pin(std::future::ready(verdict))
    }
}

/// Limits every node on one PostgreSQL database shares.
pub struct SharedLimits {
    db: Database,
    checks: AtomicU64,
}

/// Every this many checks, the keys whose turns are all back are forgotten.
const FORGET_EVERY: u64 = 1_000;

impl SharedLimits {
    pub fn new(db: Database) -> Self {
        Self {
            db,
            checks: AtomicU64::new(0),
        }
    }
}

impl ClientLimits for SharedLimits {
    fn check(&self, client: IpAddr, action: Limited) -> Verdict<'_> {
        let client = subscriber(client);
        let key = match action {
            Limited::Vote => format!("vote {client}"),
            Limited::Comment => format!("comment {client}"),
            Limited::CommentOn(thread) => format!("comment {client} on {thread:?}"),
            Limited::Refresh => format!("refresh {client}"),
        };
        let (count, period) = quota(action);
        Box::pin(async move {
            if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1
                && let Err(error) = self.db.forget_spent_turns().await
            {
                tracing::warn!(%error, "could not forget spent rate limits");
            }
            // The write a limit guards needs the database too: when it cannot
            // be asked, that write fails on its own, with its own answer.
            self.db
                .take_turn(key, period / count, period)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "the shared rate limit could not be read");
                    Ok(())
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;

    fn address(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// The verdict of a limiter that needs nothing but its memory.
    fn at_once(verdict: Verdict<'_>) -> Result<(), Duration> {
        verdict.now_or_never().expect("answered without waiting")
    }

    #[test]
    fn a_client_past_its_limit_waits_and_others_go_on() {
        let limits = InMemoryLimits::default();
        let flooder = address("203.0.113.7");
        for _ in 0..VOTES_PER_MINUTE {
            assert!(at_once(limits.check(flooder, Limited::Vote)).is_ok());
        }
        let wait = at_once(limits.check(flooder, Limited::Vote)).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(at_once(limits.check(address("203.0.113.8"), Limited::Vote)).is_ok());
        assert!(
            at_once(limits.check(flooder, Limited::Comment)).is_ok(),
            "each action has its own limit"
        );
    }

    #[test]
    fn one_comment_per_thread_per_interval_and_ipv6_counts_by_its_64() {
        let limits = InMemoryLimits::default();
        let thread = Thread::Article(1);
        let on = |address, thread| at_once(limits.check(address, Limited::CommentOn(thread)));
        assert!(on(address("2001:db8::1"), thread).is_ok());
        let wait = on(address("2001:db8::2"), thread).unwrap_err();
        assert!(wait <= COMMENT_INTERVAL);
        assert!(on(address("2001:db8::1"), Thread::Article(2)).is_ok());
    }

    #[test]
    fn unlimited_never_refuses() {
        for _ in 0..1000 {
            assert!(at_once(Unlimited.check(address("192.0.2.1"), Limited::Vote)).is_ok());
        }
    }
}
