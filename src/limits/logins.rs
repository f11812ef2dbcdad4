//! Login throttling: too many login attempts for one account, or from one
//! client address, lock further attempts for a while.
//!
//! An attempt is counted when it is checked, under one lock, so requests sent
//! in parallel cannot all slip past the limit while their passwords are
//! being verified; a successful login then takes its attempt back.
//!
//! A SQLite node keeps the counters in its memory; nodes on PostgreSQL share
//! them in the database (`SharedThrottle`), so an attacker cannot get each
//! node's allowance by spreading attempts over them.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::db::Database;
use crate::http::client_addr::subscriber;
use crate::limits::Verdict;

/// What attempts are counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// The email as typed (normalised), whether or not such an account exists,
    /// so the answer never tells which emails have accounts.
    Account(String),
    Address(IpAddr),
}

impl ThrottleKey {
    /// An IPv6 client is counted by its /64: one subscriber holds a whole one.
    pub fn address(address: IpAddr) -> Self {
        ThrottleKey::Address(subscriber(address))
    }
}

pub trait LoginThrottle: Send + Sync {
    /// Counts an attempt against every key, or answers how long to wait when
    /// one of them is locked (and counts nothing).
    fn attempt<'a>(&'a self, keys: &'a [ThrottleKey]) -> Verdict<'a>;
    /// The attempt succeeded: the account's count is cleared, and the attempt
    /// no longer counts against the address (one valid account must not let an
    /// address try others freely, nor should a busy office's logins lock it).
    fn succeeded<'a>(
        &'a self,
        keys: &'a [ThrottleKey],
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
}

/// How many attempts within `window` lock a key, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub attempts: u32,
    pub window: Duration,
    pub lockout: Duration,
}

pub const PER_ACCOUNT: Limit = Limit {
    attempts: 5,
    window: Duration::from_secs(15 * 60),
    lockout: Duration::from_secs(15 * 60),
};

pub const PER_ADDRESS: Limit = Limit {
    attempts: 20,
    window: Duration::from_secs(15 * 60),
    lockout: Duration::from_secs(15 * 60),
};

#[derive(Debug)]
struct Record {
    attempts: u32,
    window_started: Instant,
    locked_until: Option<Instant>,
}

impl Record {
    fn is_live(&self, limit: Limit, now: Instant) -> bool {
        self.locked_until.is_some_and(|until| until > now)
            || now - self.window_started < limit.window
    }
}

struct Records {
    by_key: HashMap<ThrottleKey, Record>,
    last_sweep: Instant,
}

/// Counters in this process's memory.
pub struct InMemoryThrottle {
    records: Mutex<Records>,
}

/// Above this many keys, forgotten ones are swept (at most once a minute).
const SWEEP_ABOVE: usize = 10_000;
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// The most keys kept. Each address adds at most a few dozen keys before it
/// is locked, so reaching this takes thousands of addresses at once; past it,
/// new keys go uncounted rather than memory growing without end.
const MAX_KEYS: usize = 200_000;

impl InMemoryThrottle {
    pub fn new() -> Self {
        Self {
            records: Mutex::new(Records {
                by_key: HashMap::new(),
                last_sweep: Instant::now(),
            }),
        }
    }

    fn limit(key: &ThrottleKey) -> Limit {
        match key {
            ThrottleKey::Account(_) => PER_ACCOUNT,
            ThrottleKey::Address(_) => PER_ADDRESS,
        }
    }

    fn records(&self) -> MutexGuard<'_, Records> {
        // A panic while holding the lock leaves counters, not invariants, behind.
        crate::support::lock(&self.records)
    }
}

impl Default for InMemoryThrottle {
    fn default() -> Self {
        Self::new()
    }
}

impl Records {
    fn sweep(&mut self, now: Instant) {
        if self.by_key.len() <= SWEEP_ABOVE || now - self.last_sweep < SWEEP_EVERY {
            return;
        }
        self.last_sweep = now;
        self.by_key
            .retain(|key, record| record.is_live(InMemoryThrottle::limit(key), now));
        if self.by_key.len() >= MAX_KEYS {
            tracing::warn!(
                keys = self.by_key.len(),
                "login throttle is full: new keys go uncounted"
            );
        }
    }
}

impl LoginThrottle for InMemoryThrottle {
    fn attempt<'a>(&'a self, keys: &'a [ThrottleKey]) -> Verdict<'a> {
        Box::pin(std::future::ready(self.count(keys)))
    }

    fn succeeded<'a>(
        &'a self,
        keys: &'a [ThrottleKey],
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        self.forget(keys);
        Box::pin(std::future::ready(()))
    }
}

impl InMemoryThrottle {
    /// `LoginThrottle::attempt`, under the lock.
    fn count(&self, keys: &[ThrottleKey]) -> Result<(), Duration> {
        let now = Instant::now();
        let mut records = self.records();
        let wait = keys
            .iter()
            .filter_map(|key| records.by_key.get(key)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        records.sweep(now);
        for key in keys {
            let limit = Self::limit(key);
            let full = records.by_key.len() >= MAX_KEYS;
            let record = match records.by_key.get_mut(key) {
                Some(record) => record,
                None if full => continue,
                None => records.by_key.entry(key.clone()).or_insert(Record {
                    attempts: 0,
                    window_started: now,
                    locked_until: None,
                }),
            };
            if now - record.window_started >= limit.window {
                record.attempts = 0;
                record.window_started = now;
            }
            record.attempts += 1;
            if record.attempts >= limit.attempts {
                record.locked_until = Some(now + limit.lockout);
                record.attempts = 0;
                record.window_started = now;
            }
        }
        Ok(())
    }

    /// `LoginThrottle::succeeded`, under the lock.
    fn forget(&self, keys: &[ThrottleKey]) {
        let mut records = self.records();
        for key in keys {
            match key {
                ThrottleKey::Account(_) => {
                    records.by_key.remove(key);
                }
                ThrottleKey::Address(_) => {
                    if let Some(record) = records.by_key.get_mut(key) {
                        record.attempts = record.attempts.saturating_sub(1);
                    }
                }
            }
        }
    }
}

/// `BULLETIN_RATE_LIMIT=off`: never throttles.
pub struct Unthrottled;

impl LoginThrottle for Unthrottled {
    fn attempt<'a>(&'a self, _: &'a [ThrottleKey]) -> Verdict<'a> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn succeeded<'a>(
        &'a self,
        _: &'a [ThrottleKey],
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(std::future::ready(()))
    }
}

/// Counters every node on one PostgreSQL database shares.
pub struct SharedThrottle {
    db: Database,
}

impl SharedThrottle {
    pub fn new(db: Database) -> Self {
        Self { db }
    }
}

/// How a key is stored: its kind and value.
fn stored(key: &ThrottleKey) -> String {
    match key {
        ThrottleKey::Account(email) => format!("account {email}"),
        ThrottleKey::Address(address) => format!("address {address}"),
    }
}

impl LoginThrottle for SharedThrottle {
    fn attempt<'a>(&'a self, keys: &'a [ThrottleKey]) -> Verdict<'a> {
        let keys = keys
            .iter()
            .map(|key| {
                let limit = InMemoryThrottle::limit(key);
                (stored(key), limit.attempts, limit.window, limit.lockout)
            })
            .collect();
        Box::pin(async move {
            // The login that follows needs the database too: when it cannot
            // be asked, the login fails on its own, with its own answer.
            self.db
                .count_login_attempt(keys)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "the shared login throttle could not be read");
                    Ok(())
                })
        })
    }

    fn succeeded<'a>(
        &'a self,
        keys: &'a [ThrottleKey],
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        let keys = keys
            .iter()
            .map(|key| (stored(key), matches!(key, ThrottleKey::Account(_))))
            .collect();
        Box::pin(async move {
            if let Err(error) = self.db.forget_login_attempts(keys).await {
                tracing::warn!(%error, "the shared login throttle could not be updated");
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(email: &str) -> ThrottleKey {
        ThrottleKey::Account(email.to_owned())
    }

    fn address(ip: &str) -> ThrottleKey {
        ThrottleKey::address(ip.parse().unwrap())
    }

    #[test]
    fn the_fifth_failed_attempt_locks_the_account_for_the_lockout() {
        let throttle = InMemoryThrottle::new();
        let keys = [account("a@b.vn")];
        for _ in 0..5 {
            assert!(throttle.count(&keys).is_ok());
        }
        let wait = throttle.count(&keys).unwrap_err();
        assert!(wait > PER_ACCOUNT.lockout - Duration::from_secs(5) && wait <= PER_ACCOUNT.lockout);
        assert!(
            throttle.count(&[account("other@b.vn")]).is_ok(),
            "other accounts are untouched"
        );
    }

    #[test]
    fn an_address_is_locked_after_attempts_across_many_accounts() {
        let throttle = InMemoryThrottle::new();
        for n in 0..PER_ADDRESS.attempts {
            throttle
                .count(&[account(&format!("user{n}@b.vn")), address("203.0.113.7")])
                .unwrap();
        }
        assert!(
            throttle
                .count(&[account("fresh@b.vn"), address("203.0.113.7")])
                .is_err()
        );
    }

    #[test]
    fn success_clears_the_account_and_takes_its_attempt_back_from_the_address() {
        let throttle = InMemoryThrottle::new();
        let keys = [account("a@b.vn"), address("203.0.113.7")];
        for _ in 0..4 {
            throttle.count(&keys).unwrap();
        }
        throttle.forget(&keys);
        assert!(
            !throttle.records().by_key.contains_key(&keys[0]),
            "the account starts over"
        );
        assert_eq!(throttle.records().by_key[&keys[1]].attempts, 3);
    }

    #[test]
    fn an_ipv6_subscriber_is_one_address_across_its_slash_64() {
        assert_eq!(address("2001:db8:1:2::1"), address("2001:db8:1:2:ffff::9"));
        assert_ne!(address("2001:db8:1:2::1"), address("2001:db8:1:3::1"));
        assert_eq!(
            address("203.0.113.7"),
            ThrottleKey::Address("203.0.113.7".parse().unwrap())
        );
    }
}
