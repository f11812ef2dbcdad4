//! Login throttling: too many failed logins for one account, or from one
//! client address, lock further attempts for a while.
//!
//! Behind a trait so that a multi-node deployment can keep the counters in a
//! shared store; the single-node implementation keeps them in memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What failures are counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// The email as typed (normalised), whether or not such an account exists,
    /// so the answer never tells which emails have accounts.
    Account(String),
    Address(IpAddr),
}

pub trait LoginThrottle: Send + Sync {
    /// `Err(wait)` while any of `keys` is locked.
    fn check(&self, keys: &[ThrottleKey]) -> Result<(), Duration>;
    fn record_failure(&self, keys: &[ThrottleKey]);
    /// A successful login clears its account's failures (not its address's:
    /// one valid account must not let an address try others freely).
    fn record_success(&self, account: &ThrottleKey);
}

/// How many failures within `window` lock a key, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub failures: u32,
    pub window: Duration,
    pub lockout: Duration,
}

pub const PER_ACCOUNT: Limit = Limit {
    failures: 5,
    window: Duration::from_secs(15 * 60),
    lockout: Duration::from_secs(15 * 60),
};

pub const PER_ADDRESS: Limit = Limit {
    failures: 20,
    window: Duration::from_secs(15 * 60),
    lockout: Duration::from_secs(15 * 60),
};

#[derive(Debug)]
struct Record {
    failures: u32,
    window_started: Instant,
    locked_until: Option<Instant>,
}

/// Counters in this process's memory.
pub struct InMemoryThrottle {
    records: Mutex<HashMap<ThrottleKey, Record>>,
}

/// Above this many keys, forgotten ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

impl InMemoryThrottle {
    pub fn new() -> Self {
        Self {
            records: Mutex::new(HashMap::new()),
        }
    }

    fn limit(key: &ThrottleKey) -> Limit {
        match key {
            ThrottleKey::Account(_) => PER_ACCOUNT,
            ThrottleKey::Address(_) => PER_ADDRESS,
        }
    }

    fn records(&self) -> std::sync::MutexGuard<'_, HashMap<ThrottleKey, Record>> {
        // A panic while holding the lock leaves counters, not invariants, behind.
        self.records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for InMemoryThrottle {
    fn default() -> Self {
        Self::new()
    }
}

impl LoginThrottle for InMemoryThrottle {
    fn check(&self, keys: &[ThrottleKey]) -> Result<(), Duration> {
        let now = Instant::now();
        let records = self.records();
        let wait = keys
            .iter()
            .filter_map(|key| records.get(key)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        wait.map_or(Ok(()), Err)
    }

    fn record_failure(&self, keys: &[ThrottleKey]) {
        let now = Instant::now();
        let mut records = self.records();
        if records.len() > SWEEP_ABOVE {
            records.retain(|key, record| {
                let limit = Self::limit(key);
                record.locked_until.is_some_and(|until| until > now)
                    || now - record.window_started < limit.window
            });
        }
        for key in keys {
            let limit = Self::limit(key);
            let record = records.entry(key.clone()).or_insert(Record {
                failures: 0,
                window_started: now,
                locked_until: None,
            });
            if now - record.window_started >= limit.window {
                record.failures = 0;
                record.window_started = now;
            }
            record.failures += 1;
            if record.failures >= limit.failures {
                record.locked_until = Some(now + limit.lockout);
                record.failures = 0;
                record.window_started = now;
            }
        }
    }

    fn record_success(&self, account: &ThrottleKey) {
        self.records().remove(account);
    }
}

/// `BULLETIN_RATE_LIMIT=off`: never throttles.
pub struct Unthrottled;

impl LoginThrottle for Unthrottled {
    fn check(&self, _: &[ThrottleKey]) -> Result<(), Duration> {
        Ok(())
    }
    fn record_failure(&self, _: &[ThrottleKey]) {}
    fn record_success(&self, _: &ThrottleKey) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(email: &str) -> ThrottleKey {
        ThrottleKey::Account(email.to_owned())
    }

    #[test]
    fn the_fifth_failure_locks_the_account_for_the_lockout() {
        let throttle = InMemoryThrottle::new();
        let keys = [account("a@b.vn")];
        for _ in 0..4 {
            throttle.record_failure(&keys);
            assert!(throttle.check(&keys).is_ok());
        }
        throttle.record_failure(&keys);
        let wait = throttle.check(&keys).unwrap_err();
        assert!(wait > PER_ACCOUNT.lockout - Duration::from_secs(5) && wait <= PER_ACCOUNT.lockout);
        assert!(
            throttle.check(&[account("other@b.vn")]).is_ok(),
            "other accounts are untouched"
        );
    }

    #[test]
    fn an_address_is_locked_after_failures_across_many_accounts() {
        let throttle = InMemoryThrottle::new();
        let address = ThrottleKey::Address("203.0.113.7".parse().unwrap());
        for n in 0..PER_ADDRESS.failures {
            throttle.record_failure(&[account(&format!("user{n}@b.vn")), address.clone()]);
        }
        assert!(throttle.check(&[account("fresh@b.vn"), address]).is_err());
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let throttle = InMemoryThrottle::new();
        let address = ThrottleKey::Address("203.0.113.7".parse().unwrap());
        for _ in 0..4 {
            throttle.record_failure(&[account("a@b.vn"), address.clone()]);
        }
        throttle.record_success(&account("a@b.vn"));
        throttle.record_failure(&[account("a@b.vn")]);
        assert!(
            throttle.check(&[account("a@b.vn")]).is_ok(),
            "the count started over"
        );
        assert_eq!(throttle.records().get(&address).unwrap().failures, 4);
    }
}
