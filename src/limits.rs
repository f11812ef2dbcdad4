//! Per-client rate limits on what readers write (ratings, comments): a
//! flood from one address is refused with 429 and `Retry-After`, while
//! everyone else goes on. Behind a trait so a multi-node deployment can keep
//! the counts in a shared store; this one keeps them in memory (GCRA, from
//! `governor`). `BULLETIN_RATE_LIMIT=off` turns them all off.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::comments::Thread;
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

pub trait ClientLimits: Send + Sync {
    /// Counts one `action` by `client`, or answers how long to wait (and counts nothing).
    fn check(&self, client: IpAddr, action: Limited) -> Result<(), Duration>;
}

/// No limits (`BULLETIN_RATE_LIMIT=off`: benchmarks, or a gateway limits).
pub struct Unlimited;

impl ClientLimits for Unlimited {
    fn check(&self, _: IpAddr, _: Limited) -> Result<(), Duration> {
        Ok(())
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

/// Above this many keys in a limiter, keys whose limit has fully recovered
/// are forgotten: memory follows the clients active now, not all ever seen.
const FORGET_ABOVE: usize = 10_000;

fn per_minute(count: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(count).expect("a limit above zero"))
}

impl Default for InMemoryLimits {
    fn default() -> Self {
        Self {
            votes: RateLimiter::keyed(per_minute(VOTES_PER_MINUTE)),
            comments: RateLimiter::keyed(per_minute(COMMENTS_PER_MINUTE)),
            per_thread: RateLimiter::keyed(
                Quota::with_period(COMMENT_INTERVAL).expect("a period above zero"),
            ),
            refreshes: RateLimiter::keyed(per_minute(REFRESHES_PER_MINUTE)),
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
    fn check(&self, client: IpAddr, action: Limited) -> Result<(), Duration> {
        let client = subscriber(client);
        match action {
            Limited::Vote => self.hit(&self.votes, client),
            Limited::Comment => self.hit(&self.comments, client),
            Limited::CommentOn(thread) => self.hit(&self.per_thread, (client, thread)),
            Limited::Refresh => self.hit(&self.refreshes, client),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_client_past_its_limit_waits_and_others_go_on() {
        let limits = InMemoryLimits::default();
        let flooder = address("203.0.113.7");
        for _ in 0..VOTES_PER_MINUTE {
            assert!(limits.check(flooder, Limited::Vote).is_ok());
        }
        let wait = limits.check(flooder, Limited::Vote).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(limits.check(address("203.0.113.8"), Limited::Vote).is_ok());
        assert!(
            limits.check(flooder, Limited::Comment).is_ok(),
            "each action has its own limit"
        );
    }

    #[test]
    fn one_comment_per_thread_per_interval_and_ipv6_counts_by_its_64() {
        let limits = InMemoryLimits::default();
        let thread = Thread::Article(1);
        assert!(
            limits
                .check(address("2001:db8::1"), Limited::CommentOn(thread))
                .is_ok()
        );
        let wait = limits
            .check(address("2001:db8::2"), Limited::CommentOn(thread))
            .unwrap_err();
        assert!(wait <= COMMENT_INTERVAL);
        assert!(
            limits
                .check(
                    address("2001:db8::1"),
                    Limited::CommentOn(Thread::Article(2))
                )
                .is_ok()
        );
    }

    #[test]
    fn unlimited_never_refuses() {
        for _ in 0..1000 {
            assert!(Unlimited.check(address("192.0.2.1"), Limited::Vote).is_ok());
        }
    }
}
