//! View counting: detail reads of articles and documents by guests and
//! members are counted in memory and added to the database in batches, so a
//! popular article costs one write per flush rather than one per reader.
//!
//! The counts are deltas added with `view_count = view_count + n`, so any
//! number of processes may flush into one database without losing any. A
//! failed flush puts its counts back for the next one.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::db::{self, Database, StoreError};
use crate::{articles, documents};

/// How soon a counted view shows in responses (the spec): flushes and the
/// response cache's answers both wait within it.
pub const VIEWS_SHOW_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// What a reader did: read an article or a document, or downloaded one of
/// a document's attachments (counted on the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counted {
    ArticleView(i32),
    DocumentView(i32),
    Download(i32),
}

/// Where reads are counted until they are flushed.
pub trait ViewCounter: Send + Sync {
    fn record(&self, viewed: Counted);
    /// Takes every pending count, leaving none.
    fn drain(&self) -> Vec<(Counted, i64)>;
    /// Puts counts back (after a failed flush).
    fn restore(&self, counts: &[(Counted, i64)]);
    /// How many reads are counted and not yet written.
    fn pending_count(&self) -> i64;
    /// What this process's flushes have written.
    fn written(&self) -> &WrittenViews;
}

/// Pending counts in this process's memory.
#[derive(Default)]
pub struct InMemoryViews {
    pending: Mutex<HashMap<Counted, i64>>,
    written: WrittenViews,
}

impl InMemoryViews {
    fn pending(&self) -> std::sync::MutexGuard<'_, HashMap<Counted, i64>> {
        // Counts stay consistent even if a holder panicked: each change is one insert.
        crate::support::lock(&self.pending)
    }
}

impl ViewCounter for InMemoryViews {
    fn record(&self, viewed: Counted) {
        *self.pending().entry(viewed).or_insert(0) += 1;
    }

    fn drain(&self) -> Vec<(Counted, i64)> {
        self.pending().drain().collect()
    }

    fn restore(&self, counts: &[(Counted, i64)]) {
        let mut pending = self.pending();
        for (viewed, count) in counts {
            *pending.entry(*viewed).or_insert(0) += count;
        }
    }

    fn pending_count(&self) -> i64 {
        self.pending().values().sum()
    }

    fn written(&self) -> &WrittenViews {
        &self.written
    }
}

/// The counts this process's flushes have written so far, each thing
/// counted's total, and whether a batch is being written.
///
/// Where this process makes every write (one node), the counts in the
/// database move only by these totals: an answer that read `shown` views
/// when `total` had been written shows `shown - total + total_now` once
/// more were written, without reading them again (`http::cache` keeps
/// article pages so). That holds only when no batch was being written
/// between the `mark` taken before the read and the total taken after it
/// (`total_settled_since`): its views might be in what was read and not in
/// the totals yet, or the other way round.
#[derive(Default)]
pub struct WrittenViews {
    /// Batches begun and batches ended (written or not): equal while none
    /// is being written. A batch whose flush was dropped half way never
    /// ends (its transaction may still commit), and no read agrees with
    /// the totals again: answers then show only the views they read.
    begun: AtomicU64,
    ended: AtomicU64,
    totals: Mutex<HashMap<Counted, i64>>,
}

/// Where the written counts stood before a read: `Some(batches begun)`
/// when no batch was being written.
#[derive(Debug, Clone, Copy)]
pub struct WrittenMark(Option<u64>);

impl WrittenViews {
    /// Taken before reading counts from the database.
    pub fn mark(&self) -> WrittenMark {
        // `ended` first: were they equal, no batch began between the two
        // loads, since one cannot end before it begins.
        let ended = self.ended.load(Ordering::SeqCst);
        let begun = self.begun.load(Ordering::SeqCst);
        WrittenMark((begun == ended).then_some(begun))
    }

    /// `counted`'s total written, if no batch was written since `mark`
    /// (nor being written at it): then a read of the database between the
    /// two saw exactly this total of this process's writes.
    pub fn total_settled_since(&self, mark: WrittenMark, counted: Counted) -> Option<i64> {
        let begun = mark.0?;
        let total = self.total(counted);
        (self.begun.load(Ordering::SeqCst) == begun).then_some(total)
    }

    /// How many batches have ended: while it stays, no total moved.
    pub fn batches_ended(&self) -> u64 {
        self.ended.load(Ordering::SeqCst)
    }

    /// `counted`'s total written so far.
    pub fn total(&self, counted: Counted) -> i64 {
        crate::support::lock(&self.totals)
            .get(&counted)
            .copied()
            .unwrap_or(0)
    }

    /// Before a batch's transaction begins.
    fn batch_begins(&self) {
        self.begun.fetch_add(1, Ordering::SeqCst);
    }

    /// After its transaction ended: committed with these counts, or not.
    fn batch_ended(&self, written: Option<&[(Counted, i64)]>) {
        if let Some(batch) = written {
            let mut totals = crate::support::lock(&self.totals);
            for (counted, count) in batch {
                *totals.entry(*counted).or_insert(0) += count;
            }
        }
        self.ended.fetch_add(1, Ordering::SeqCst);
    }
}

/// A response extension: this read counts (a view), so the response
/// cache counts each answer it serves from this one too.
#[derive(Debug, Clone, Copy)]
pub struct CountsRead(pub Counted);

/// Counts a read of `counted` when a reader (a guest or a member) made it
/// with GET (staff checking, programs and HEAD do not count), and marks the
/// answer so that a cached copy counts its reads too.
pub fn count_read(
    req: &actix_web::HttpRequest,
    viewer: &crate::auth::Viewer,
    views: &dyn ViewCounter,
    counted: Counted,
    answer: &mut actix_web::HttpResponse,
) {
    use actix_web::HttpMessage;
    if viewer.is_reader()
        && req
            .extensions()
            .get::<crate::http::head::WasHead>()
            .is_none()
    {
        views.record(counted);
        answer.extensions_mut().insert(CountsRead(counted));
    }
}

/// How many counts one transaction adds. A busy minute's flush holds
/// thousands of articles: in one transaction it held the one writer for a
/// fifth of a second at 10,000 articles, and every vote, comment and edit
/// arriving meanwhile waited for it.
const FLUSH_BATCH: usize = 256;

/// Adds the pending counts to the articles and documents, a batch to a
/// transaction so that other writes pass between them; answers how many
/// views it wrote. The batches not written are put back for the next flush.
pub async fn flush(db: &Database, views: &dyn ViewCounter) -> Result<i64, StoreError> {
    let mut counts = views.drain();
    // In one order on every node, so two flushes never deadlock.
    counts.sort_unstable();
    let mut written = 0;
    for (done, batch) in counts.chunks(FLUSH_BATCH).enumerate() {
        views.written().batch_begins();
        let added = add_counts(db, batch.to_vec()).await;
        views.written().batch_ended(added.is_ok().then_some(batch));
        if let Err(error) = added {
            views.restore(&counts[done * FLUSH_BATCH..]);
            return Err(error);
        }
        written += batch.iter().map(|(_, count)| count).sum::<i64>();
    }
    Ok(written)
}

/// Adds one batch of counts (in order) in one transaction.
async fn add_counts(db: &Database, batch: Vec<(Counted, i64)>) -> Result<(), StoreError> {
    // Counters are not content: cached answers show them within their age limit.
    db.write_quietly(move |conn| {
        db::only_adds_to_counters(conn)?;
        let of_kind = |kind: fn(i32) -> Counted| -> Vec<(i32, i64)> {
            batch
                .iter()
                .filter_map(|(counted, count)| match counted {
                    Counted::ArticleView(id)
                    | Counted::DocumentView(id)
                    | Counted::Download(id)
                        if kind(*id) == *counted =>
                    {
                        Some((*id, *count))
                    }
                    _ => None,
                })
                .collect()
        };
        articles::queries::add_views(conn, &of_kind(Counted::ArticleView))?;
        documents::queries::add_views(conn, &of_kind(Counted::DocumentView))?;
        documents::queries::add_downloads(conn, &of_kind(Counted::Download))
            .map_err(StoreError::from)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_accumulate_per_article_and_drain_empties() {
        let views = InMemoryViews::default();
        for _ in 0..3 {
            views.record(Counted::ArticleView(7));
        }
        views.record(Counted::DocumentView(7));
        let mut drained = views.drain();
        drained.sort();
        assert_eq!(
            drained,
            [(Counted::ArticleView(7), 3), (Counted::DocumentView(7), 1)]
        );
        assert!(views.drain().is_empty());
    }

    #[test]
    fn restored_counts_add_to_new_ones() {
        let views = InMemoryViews::default();
        views.record(Counted::ArticleView(7));
        views.restore(&[(Counted::ArticleView(7), 5), (Counted::ArticleView(8), 2)]);
        let mut drained = views.drain();
        drained.sort();
        assert_eq!(
            drained,
            [(Counted::ArticleView(7), 6), (Counted::ArticleView(8), 2)]
        );
    }

    #[test]
    fn a_read_between_batches_agrees_with_the_totals_written() {
        let written = WrittenViews::default();
        let article = Counted::ArticleView(7);
        let mark = written.mark();
        assert_eq!(written.total_settled_since(mark, article), Some(0));
        written.batch_begins();
        written.batch_ended(Some(&[(article, 3), (Counted::DocumentView(7), 1)]));
        written.batch_begins();
        written.batch_ended(None);
        let mark = written.mark();
        assert_eq!(
            written.total_settled_since(mark, article),
            Some(3),
            "a failed batch adds none"
        );
        assert_eq!(written.total(Counted::DocumentView(7)), 1);
    }

    #[test]
    fn a_read_while_a_batch_was_written_agrees_with_no_total() {
        let written = WrittenViews::default();
        let article = Counted::ArticleView(7);
        let before = written.mark();
        written.batch_begins();
        let during = written.mark();
        written.batch_ended(Some(&[(article, 2)]));
        assert_eq!(
            written.total_settled_since(before, article),
            None,
            "written since"
        );
        assert_eq!(
            written.total_settled_since(during, article),
            None,
            "under way at the mark"
        );
        // A batch that never ends (its flush dropped): no read agrees again.
        written.batch_begins();
        let after = written.mark();
        assert_eq!(written.total_settled_since(after, article), None);
    }

    #[test]
    fn concurrent_readers_lose_no_count() {
        let views = std::sync::Arc::new(InMemoryViews::default());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let views = views.clone();
                std::thread::spawn(move || {
                    (0..1000).for_each(|_| views.record(Counted::ArticleView(1)))
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(views.drain(), [(Counted::ArticleView(1), 8000)]);
    }
}
