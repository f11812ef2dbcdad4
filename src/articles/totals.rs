//! Public lists' totals kept between requests.
//!
//! Counting the public articles a list draws from walks an index: 17 ms
//! at 100,000 articles, where the page's own rows take under one. So a
//! total is kept per filter, stamped with the writes that may change which
//! articles a list holds (`Changes::listed`): a new byline, cover or slug,
//! a text that cites what it cited, a comment or a vote leaves it valid.
//! Time only adds public articles (a scheduled one appears when its time
//! comes; none leaves by itself), so
//! a kept total plus the articles that appeared since is exact, and those
//! are a short walk of the same index.
//!
//! `Changes` knows this process's writes only: another process's show in
//! totals within `MAX_AGE`, as they show in the response cache's answers.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::queries::{self, ArticleFilter, Scope};

/// How long a kept total stands without a recount.
const MAX_AGE: Duration = Duration::from_secs(2);
/// The most filters kept; past it the store starts afresh (filters come
/// from requests, so their number is not ours to bound otherwise).
const MAX_KEPT: usize = 1024;

#[derive(Debug, Clone, Copy)]
struct Kept {
    total: i64,
    /// The time the total was counted at.
    as_of: NaiveDateTime,
    /// `Changes::listed` before it was counted.
    listed: u64,
    made: Instant,
}

#[derive(Default)]
pub struct PublicTotals {
    kept: Mutex<HashMap<ArticleFilter, Kept>>,
}

impl PublicTotals {
    /// How many public articles `filter` keeps at `now`. `listed` is
    /// `Changes::listed` read before the count, so a write whose generation
    /// moves meanwhile leaves the total it was counted with stale. In the
    /// moment between a write's commit and its generation's move a read
    /// may still take the total from before it, as the response cache may
    /// still serve an answer from before it.
    pub fn count(
        &self,
        conn: &mut DbConnection,
        filter: &ArticleFilter,
        now: NaiveDateTime,
        listed: u64,
    ) -> QueryResult<i64> {
        let kept = self.kept().get(filter).copied().filter(|kept| {
            kept.listed == listed && kept.as_of <= now && kept.made.elapsed() < MAX_AGE
        });
        if let Some(kept) = kept {
            let appeared = queries::count_public_since(conn, filter, kept.as_of, now)?;
            return Ok(kept.total + appeared);
        }
        let total = queries::count(conn, &Scope::Public, filter, now)?;
        let counted = Kept {
            total,
            as_of: now,
            listed,
            made: Instant::now(),
        };
        let mut all = self.kept();
        if all.len() >= MAX_KEPT {
            all.clear();
        }
        // A request that began earlier (an older `now`) does not replace
        // a total counted later under the same writes.
        match all.get_mut(filter) {
            Some(kept) if kept.listed == listed && kept.as_of > now => {}
            Some(kept) => *kept = counted,
            None => {
                all.insert(filter.clone(), counted);
            }
        }
        Ok(total)
    }

    /// Entries are whole or absent whatever a panicking holder did.
    fn kept(&self) -> MutexGuard<'_, HashMap<ArticleFilter, Kept>> {
        crate::support::lock(&self.kept)
    }
}
