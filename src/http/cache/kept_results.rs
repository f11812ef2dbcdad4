//! Results costly to find, kept past the life of the answers showing them.
//!
//! An answer showing counted views lives 2 s on a single node, so that the
//! views show within 5 s. A search's answer is made of what that life
//! needs and what it does not: the figures of its articles, read again in
//! a few hundred microseconds, and which articles match in which order,
//! with their snippets and how many match, which took milliseconds to find.
//! Kept here, the second part is served to a search asked again after its
//! answer's life while nothing it shows or could match was written (the
//! stamp of a search's answer, `Stamp::List`, read without its lag), until
//! the clock may change it (an article scheduled to appear), within
//! `LONGEST_LIFE_WITH_VIEWS`; the handler reads the figures anew. Under a
//! newsroom's mixed load at 100,000 articles each of 1,000 distinct
//! searches came back every 5 s or so, after its answer's life: each was
//! ranked anew, and searches took 28 % of the server's time for 4 % of its
//! requests. Kept so, that load cost 267 and 288 µs of server time a
//! request against 341 and 312 (alternated 25 s runs).
//!
//! Only on a node that sees every write (`ResponseCache::sees_every_write`):
//! elsewhere answers live `MAX_AGE`, and results no longer.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{
    Before, LONGEST_LIFE_WITH_VIEWS, MOST_ROOM, SearchedFor, Shows, Stamp, packed_pages_of_a_sixth,
    stamp_of,
};
use crate::db::Changes;
use crate::support::lock;

/// Results of type `V` found for questions of type `K`.
pub struct KeptResults<K, V> {
    entries: Mutex<Entries<K, V>>,
    /// The most bytes kept (`weight` as the keeper says it); past it the
    /// results served longest ago make room.
    room: usize,
}

struct Entries<K, V> {
    results: HashMap<K, Entry<V>>,
    held: usize,
    /// Bumped at each use: which results were served longest ago.
    uses: u64,
}

struct Entry<V> {
    value: V,
    stamp: Stamp,
    /// When the clock may change them, or `LONGEST_LIFE_WITH_VIEWS` after
    /// they were found, whichever comes first.
    until: Instant,
    weight: usize,
    used: u64,
}

/// What was written when results began to be found, read before they read
/// anything (as `SearchedFor::now` is): a write meanwhile to what they
/// show or match leaves them unkept.
pub struct Finding {
    before: Before,
    searched: SearchedFor,
}

impl Finding {
    pub fn now(changes: &Changes, searched: SearchedFor) -> Self {
        Self {
            before: Before::now(changes),
            searched,
        }
    }
}

impl<K: Hash + Eq, V: Clone> KeptResults<K, V> {
    /// A store for an archive of `articles` (when the server starts): an
    /// eighth of the room its answers have (`room_for`) without its floor,
    /// up to 8 MiB (about 1,200 searches' pages). A search costs more the
    /// larger the archive it ranks: at 10,000 articles 0.8 MiB (about
    /// 120). There an eighth of the floor (3 MiB) took the server 4 MiB
    /// more under the mixed load, close to the 64 it may keep, for
    /// searches cheap to rank anew.
    pub fn for_archive(articles: u64) -> Self {
        Self::with_room((packed_pages_of_a_sixth(articles) / 8).min(MOST_ROOM / 8))
    }

    fn with_room(room: usize) -> Self {
        Self {
            entries: Mutex::new(Entries {
                results: HashMap::new(),
                held: 0,
                uses: 0,
            }),
            room,
        }
    }

    /// The results kept for `key`, if nothing they show or match was
    /// written since they were found and the clock has not changed them.
    pub fn get(&self, key: &K, changes: &Changes) -> Option<V> {
        let mut entries = lock(&self.entries);
        let Entries {
            results,
            held,
            uses,
        } = &mut *entries;
        let entry = results.get_mut(key)?;
        if Instant::now() < entry.until && entry.stamp.holds(changes) {
            *uses += 1;
            entry.used = *uses;
            return Some(entry.value.clone());
        }
        *held -= entry.weight;
        results.remove(key);
        None
    }

    /// Keeps what was `found` for `key` since `finding`, unless something
    /// it shows or matches was written meanwhile.
    pub fn keep(&self, key: K, found: Found<V>, finding: Finding, changes: &Changes) {
        let shows = Shows::Articles(found.shown, Some(finding.searched));
        let Some(stamp) = stamp_of(shows, finding.before, changes) else {
            return;
        };
        let latest = Instant::now() + LONGEST_LIFE_WITH_VIEWS;
        let until = found.until.map_or(latest, |until| until.min(latest));
        let mut entries = lock(&self.entries);
        if entries.held + found.weight > self.room {
            // Room for many at once, not one at a time.
            entries.make_room(self.room / 4 * 3);
        }
        entries.uses += 1;
        let entry = Entry {
            value: found.value,
            stamp,
            until,
            weight: found.weight,
            used: entries.uses,
        };
        entries.held += entry.weight;
        if let Some(replaced) = entries.results.insert(key, entry) {
            entries.held -= replaced.weight;
        }
    }
}

/// Results found, to keep (`KeptResults::keep`).
pub struct Found<V> {
    pub value: V,
    /// The articles they show, in order.
    pub shown: Arc<[i32]>,
    /// When the clock may change them (an article scheduled to appear),
    /// if it may.
    pub until: Option<Instant>,
    /// The bytes they hold, about.
    pub weight: usize,
}

impl<K: Hash + Eq, V> Entries<K, V> {
    /// Drops the results the clock has changed, then those served longest
    /// ago, until at most `budget` bytes are kept.
    fn make_room(&mut self, budget: usize) {
        let now = Instant::now();
        self.results.retain(|_, entry| now < entry.until);
        let mut latest_first: Vec<(u64, usize)> = self
            .results
            .values()
            .map(|entry| (entry.used, entry.weight))
            .collect();
        latest_first.sort_unstable_by_key(|(used, _)| std::cmp::Reverse(*used));
        // The latest use of those past the budget: they and older ones go.
        let mut held = 0;
        let first_dropped = latest_first
            .into_iter()
            .find(|(_, weight)| {
                held += weight;
                held > budget
            })
            .map_or(0, |(used, _)| used);
        self.results.retain(|_, entry| entry.used > first_dropped);
        self.held = self.results.values().map(|entry| entry.weight).sum();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::db::Touches;
    use crate::text::search::{SearchQuery, indexed_words};

    fn searched_for(changes: &Changes, q: &str) -> SearchedFor {
        SearchedFor::now(changes, &SearchQuery::parse(q).expect("a query with terms"))
    }

    /// Keeps `value` for `q`, found now, showing article 1, for `life`.
    fn keep(
        kept: &KeptResults<&'static str, u32>,
        changes: &Changes,
        q: &'static str,
        value: u32,
        life: Duration,
    ) {
        let finding = Finding::now(changes, searched_for(changes, q));
        kept.keep(q, found(value, life), finding, changes);
    }

    /// `value` found now, showing article 1, for `life`, of 100 bytes.
    fn found(value: u32, life: Duration) -> Found<u32> {
        Found {
            value,
            shown: Arc::from([1]),
            until: Some(Instant::now() + life),
            weight: 100,
        }
    }

    #[test]
    fn results_are_served_until_what_they_show_or_match_is_written() {
        let kept = KeptResults::with_room(10_000);
        let changes = &Changes::default();
        let hour = Duration::from_secs(3_600);
        keep(&kept, changes, "ke hoach", 7, hour);
        keep(&kept, changes, "quyet dinh", 8, hour);
        assert_eq!(kept.get(&"ke hoach", changes), Some(7));

        changes.record(Touches::ArticleFigures(1));
        changes.record(Touches::ArticleContent(2));
        changes.record_words(&indexed_words("Ban biên tập"));
        assert_eq!(
            kept.get(&"ke hoach", changes),
            Some(7),
            "a vote, and another article's byline of other words"
        );

        changes.record_words(&indexed_words("Kế hoạch năm"));
        assert_eq!(kept.get(&"ke hoach", changes), None, "a word it matches");
        assert_eq!(kept.get(&"quyet dinh", changes), Some(8));
        changes.record(Touches::ArticleContent(1));
        assert_eq!(
            kept.get(&"quyet dinh", changes),
            None,
            "an edit to an article it shows"
        );

        keep(&kept, changes, "quyet dinh", 9, hour);
        changes.record(Touches::Article(3));
        assert_eq!(
            kept.get(&"quyet dinh", changes),
            None,
            "a write that may move articles between lists"
        );
    }

    #[test]
    fn results_go_when_the_clock_may_change_them_and_after_ten_seconds_at_most() {
        let kept = KeptResults::with_room(10_000);
        let changes = &Changes::default();
        keep(&kept, changes, "ke hoach", 7, Duration::ZERO);
        assert_eq!(kept.get(&"ke hoach", changes), None);

        keep(&kept, changes, "ke hoach", 7, Duration::from_secs(3_600));
        let until = lock(&kept.entries).results[&"ke hoach"].until;
        assert!(until <= Instant::now() + LONGEST_LIFE_WITH_VIEWS);
    }

    #[test]
    fn results_found_while_what_they_match_was_written_are_not_kept() {
        let kept = KeptResults::with_room(10_000);
        let changes = &Changes::default();
        let finding = Finding::now(changes, searched_for(changes, "le hoi"));
        changes.record_words(&indexed_words("Lễ hội đua ghe ngo"));
        kept.keep(
            "le hoi",
            found(1, Duration::from_secs(60)),
            finding,
            changes,
        );
        assert_eq!(kept.get(&"le hoi", changes), None);
    }

    #[test]
    fn the_results_served_longest_ago_make_room() {
        let kept = KeptResults::with_room(400);
        let changes = &Changes::default();
        let hour = Duration::from_secs(3_600);
        keep(&kept, changes, "mot", 1, hour);
        keep(&kept, changes, "hai", 2, hour);
        keep(&kept, changes, "ba", 3, hour);
        keep(&kept, changes, "bon", 4, hour);
        assert_eq!(kept.get(&"mot", changes), Some(1), "served again");
        keep(&kept, changes, "nam", 5, hour);
        let kept_now: Vec<u32> = ["mot", "hai", "ba", "bon", "nam"]
            .iter()
            .filter_map(|q| kept.get(q, changes))
            .collect();
        // Full, a quarter of the room was made: the one served longest ago went.
        assert_eq!(kept_now, [1, 3, 4, 5]);
        assert!(lock(&kept.entries).held <= 400);
    }
}
