//! How often each kept answer's key is asked for, in a fixed room: the
//! frequency sketch of TinyLFU (Einziger, Friedman and Manes, "TinyLFU: A
//! Highly Efficient Cache Admission Policy", 2017), which the response
//! cache weighs answers by.
//!
//! A key's demand is the least of its four one-byte counters (a count-min
//! sketch): never under the times it was asked for since the counts last
//! faded, over it only where other keys share all four. Every `period`
//! requests each counter is halved, so demand follows what readers ask for
//! now. The bar is what the store asks of an answer it has no room for: the
//! most asked-for answer it last dropped, fading with the counts.

use std::hash::BuildHasher;

/// Counters per key and per answer the store has room for: enough that
/// keys rarely share all four (a false count), in 32 bytes an answer.
const WAYS: u64 = 4;
const COUNTERS_PER_ANSWER: usize = 32;
/// Requests per answer the store has room for between two fadings: the
/// store's readers have asked for each answer it keeps about as often as
/// it is read over this window.
const REQUESTS_PER_ANSWER: u32 = 16;

pub struct Demand {
    counters: Box<[u8]>,
    /// `counters.len() - 1`: a power of two less one.
    mask: u64,
    hasher: std::hash::RandomState,
    /// Requests counted since the counters last faded.
    counted: u32,
    period: u32,
    bar: u8,
}

impl Demand {
    /// A sketch for a store with room for about `answers` answers.
    pub fn for_answers(answers: usize) -> Self {
        let period = u32::try_from(answers)
            .unwrap_or(u32::MAX)
            .saturating_mul(REQUESTS_PER_ANSWER)
            .max(REQUESTS_PER_ANSWER);
        Self::with(answers.max(1).saturating_mul(COUNTERS_PER_ANSWER), period)
    }

    /// A sketch of at least `counters` counters, fading every `period`
    /// requests.
    fn with(counters: usize, period: u32) -> Self {
        let counters = counters.next_power_of_two();
        Self {
            counters: vec![0; counters].into_boxed_slice(),
            mask: counters as u64 - 1,
            hasher: std::hash::RandomState::new(),
            counted: 0,
            period,
            bar: 0,
        }
    }

    /// Counts a request for `key`. Only its least counters grow
    /// (conservative update): the others already count other keys too.
    pub fn count(&mut self, key: &str) {
        let slots = self.slots(key);
        let least = self.least(&slots);
        if least < u8::MAX {
            for slot in slots {
                if self.counters[slot] == least {
                    self.counters[slot] = least + 1;
                }
            }
        }
        self.counted += 1;
        if self.counted >= self.period {
            self.fade();
        }
    }

    /// How often `key` was asked for lately.
    pub fn of(&self, key: &str) -> u8 {
        self.least(&self.slots(key))
    }

    /// Whether `key` is asked for more than the bar.
    pub fn clears_bar(&self, key: &str) -> bool {
        self.of(key) > self.bar
    }

    /// Sets the bar: the demand of the most asked-for answer dropped for
    /// room (0 when none was).
    pub fn set_bar(&mut self, demand: u8) {
        self.bar = demand;
    }

    /// The key's four counters, by double hashing one 64-bit hash.
    fn slots(&self, key: &str) -> [usize; WAYS as usize] {
        let hash = self.hasher.hash_one(key);
        let (first, step) = (hash & 0xFFFF_FFFF, (hash >> 32) | 1);
        std::array::from_fn(|way| (first.wrapping_add(way as u64 * step) & self.mask) as usize)
    }

    fn least(&self, slots: &[usize]) -> u8 {
        slots
            .iter()
            .map(|slot| self.counters[*slot])
            .min()
            .unwrap_or(0)
    }

    /// Halves every count and the bar: older requests weigh half as much.
    fn fade(&mut self) {
        for counter in self.counters.iter_mut() {
            *counter /= 2;
        }
        self.bar /= 2;
        self.counted = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_counts_the_requests_for_a_key() {
        let mut demand = Demand::for_answers(1_000);
        for _ in 0..5 {
            demand.count("/api/v1/articles/1");
        }
        demand.count("/api/v1/articles/2");
        assert_eq!(demand.of("/api/v1/articles/1"), 5);
        assert_eq!(demand.of("/api/v1/articles/2"), 1);
        assert_eq!(demand.of("/api/v1/articles/3"), 0);
    }

    #[test]
    fn counts_fade_by_half_each_period() {
        let mut demand = Demand::with(4_096, 16);
        for _ in 0..15 {
            demand.count("/a");
        }
        assert_eq!(demand.of("/a"), 15);
        demand.count("/a");
        assert_eq!(demand.of("/a"), 8);
    }

    #[test]
    fn a_key_clears_the_bar_once_asked_for_more_often_and_the_bar_fades_with_the_counts() {
        let mut demand = Demand::with(4_096, 16);
        demand.set_bar(2);
        demand.count("/a");
        demand.count("/a");
        assert!(!demand.clears_bar("/a"), "as often as the bar");
        demand.count("/a");
        assert!(demand.clears_bar("/a"));
        for _ in 3..16 {
            demand.count("/b");
        }
        assert_eq!((demand.bar, demand.of("/a")), (1, 1), "both halved");
        assert!(!demand.clears_bar("/a"));
        demand.count("/a");
        assert!(demand.clears_bar("/a"));
    }

    #[test]
    fn counters_stop_at_their_most() {
        let mut demand = Demand::for_answers(1_000);
        for _ in 0..300 {
            demand.count("/hot");
        }
        assert_eq!(demand.of("/hot"), u8::MAX);
    }

    #[test]
    fn a_store_of_a_thousand_answers_fades_its_counts_every_sixteen_thousand_requests() {
        let demand = Demand::for_answers(1_000);
        assert_eq!(demand.period, 16_000);
        assert_eq!(demand.counters.len(), 32_768);
    }

    #[test]
    fn few_keys_never_asked_for_seem_asked_for() {
        let answers = 1_000;
        let mut demand = Demand::for_answers(answers);
        // A period's worth of requests, over four times as many keys as kept.
        for n in 0..demand.period - 1 {
            demand.count(&format!("/api/v1/articles/{}", n % 4_000));
        }
        let seeming = (0..answers)
            .filter(|n| demand.of(&format!("/never/{n}")) > 0)
            .count();
        assert!(seeming < answers / 20, "{seeming} of {answers}");
    }
}
