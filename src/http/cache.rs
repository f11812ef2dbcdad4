//! Anonymous reads of public resources answered from memory.
//!
//! An answer is kept with the generations of what it shows (see
//! `db::Changes`) at the time it was made, and served again only while they
//! are unchanged and while it is young: past its life one request has it
//! made anew while the others are still served the kept one, up to
//! `MAX_AGE` longer (that request too, on a single node and when its
//! handler takes `Renewable`: the new answer is then made behind it, while
//! fewer are made so than the database has connections to read with; past
//! them a later request has it made). Its life is `MAX_AGE` where other
//! nodes write to the database too, whose writes this process cannot see.
//! Where this process sees every write (a single node,
//! `DatabaseUrl::is_single_node`), it is `settled_life`: as long as counted
//! views may wait and still show within 5 seconds. An answer about one
//! article (`AboutArticle` in the response: its detail, its ratings, its
//! comments) goes stale with writes to that article or to anything else it
//! shows (a category, a document, an account). A list of articles
//! (`ListsArticles`) goes stale with writes that may move articles in or
//! out of lists (`Changes::listed`) and with writes to what it shows of one
//! of its own: an edited byline drops the pages showing that article, not
//! every page. Any other answer (a feed) goes stale with any write but a
//! vote. A search (`SearchedFor`) goes stale as a list does, and with an
//! edit of texts (title, summary, body, byline) whose words, before or
//! after, hold one it searched for; it is kept until `MAX_AGE` old
//! whatever is written meanwhile (then to the end of its life if
//! nothing it shows was), and not served aged once something was: it shows
//! a write within `MAX_AGE`, as every node's reads must. Figures (flushed
//! view counts, votes) drop no list: lists show them within the answers'
//! life. A comment waiting for moderation drops nothing. So a scheduled
//! article appears, and another node's or process's writes show, within
//! `longest_life` (2 s on several nodes; 3 s on one, with views flushed
//! every 2 s). On one node an
//! article's page read by guests (`OnlyViewsMove`) is kept with its view
//! count current instead (`KeptViews`): until the clock may change it (an
//! article appearing next to it, the site's day turning), within
//! `LONGEST_LIFE_WITH_VIEWS`, so another process's write to it shows within
//! 11 s. The store's room grows with the archive (`room_for`); the answers
//! served longest ago make room. When an answer is
//! missing, the first request makes it and those arriving meanwhile wait
//! for it instead of all making it at once. Reads with credentials, a voter
//! token or a cookie always reach the handlers. A read that counts a view
//! (`CountsRead` in the response) counts it on every hit too. An answer
//! made for a request that found none kept is kept packed (`Body`): most
//! are the long tail's, and packed they leave room for more. Beside the
//! answers, on a single node, the costly part of a search's answer is kept
//! longer than the answer (`KeptResults`).
//!
//! Behind a trait: the single-node store lives in this process's memory.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::{Ready, ready};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody, to_bytes};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, oneshot};
use tracing::Instrument;

use crate::db::{Changes, Database, SearchedWords};
use crate::http::codings;
use crate::http::etag::{VIEW_COUNT, moving_counters, strong_tag};
use crate::http::route::{MatchedRoute, matched_route};
use crate::ops::metrics::{CacheOutcome, Metrics};
use crate::readers::view_counts::{Counted, CountsRead, VIEWS_SHOW_WITHIN, ViewCounter};
use crate::support::lock;
use crate::text::search::SearchQuery;

mod kept_results;
pub use kept_results::{Finding, Found, KeptResults};

/// How long a kept answer may be served where other nodes write too, and
/// how long a search (`SearchedFor`) may lag a write.
pub const MAX_AGE: Duration = Duration::from_secs(1);

/// How long, on a node that sees every write, an answer nothing it shows
/// was written to may be served: counted views must show within
/// `VIEWS_SHOW_WITHIN`, and an answer shows the views flushed before it was
/// made, served for this long and then up to `MAX_AGE` more while it is
/// made anew. Never less than `MAX_AGE`: with views flushed every 2 s
/// (the default), 2 s.
///
/// Searches are what it is for. At 100,000 articles each takes 2 to 4 ms,
/// and 1,000 distinct ones in rotation, each made anew every second, ran
/// 12,500 a second (p99 70 ms); kept 2 s while nothing is written, 49,700.
fn settled_life(view_flush_interval: Duration) -> Duration {
    VIEWS_SHOW_WITHIN
        .saturating_sub(view_flush_interval + MAX_AGE)
        .max(MAX_AGE)
}

/// How late a kept answer may show what it could not see (another node's
/// or process's write, a scheduled article's time coming): its life, then
/// `MAX_AGE` more while it is made anew.
pub fn longest_life(sees_every_write: bool, view_flush_interval: Duration) -> Duration {
    life_of_settled(sees_every_write, view_flush_interval) + MAX_AGE
}

/// The life of an answer nothing it shows was written to.
fn life_of_settled(sees_every_write: bool, view_flush_interval: Duration) -> Duration {
    if sees_every_write {
        settled_life(view_flush_interval)
    } else {
        MAX_AGE
    }
}
/// The fewest bytes kept (`room_for`). Held bytes cost the process about a
/// tenth more (the allocator's free space between answers made and
/// dropped): at 10,000 articles the server keeps 50 to 57 MiB of its own
/// with this room, against a target of 64.
const LEAST_ROOM: usize = 24 * 1024 * 1024;
/// The most bytes kept, whatever the archive: at 100,000 articles the
/// server keeps 94 to 99 MiB of its own with it, against a target of 128.
const MOST_ROOM: usize = 64 * 1024 * 1024;

/// The bytes kept for an archive of `articles`: a page each for about a
/// sixth of them, packed (4 KiB with its key and headers), within
/// `LEAST_ROOM` and `MOST_ROOM`. The long tail's reads hit as often as the
/// room holds a share of its pages: at 100,000 articles, 24 MiB held about
/// 6,500 of them and 30 % of the long tail's reads missed; 64 MiB, 22 %.
fn room_for(articles: u64) -> usize {
    packed_pages_of_a_sixth(articles).clamp(LEAST_ROOM, MOST_ROOM)
}

/// The bytes of the pages of a sixth of `articles`, packed (4 KiB each).
fn packed_pages_of_a_sixth(articles: u64) -> usize {
    const PAGE: u64 = 4 * 1024;
    usize::try_from((articles / 6).saturating_mul(PAGE)).unwrap_or(usize::MAX)
}

/// A response extension: this answer shows one article and what belongs to
/// it, so only writes to that article (or to anything) make it stale.
#[derive(Debug, Clone, Copy)]
pub struct AboutArticle(pub i32);

/// A response extension: this answer lists these articles (ids, in
/// order), so a write to what lists show of another one leaves it kept.
#[derive(Debug, Clone)]
pub struct ListsArticles(pub Arc<[i32]>);

/// A response extension on a search's answer, beside `ListsArticles`: it
/// is costly to make (a full-text search ranks thousands of matches) and
/// may show writes up to `MAX_AGE` late. Made anew after every write, under
/// a newsroom's edits each search missed the cache, and the searches queued
/// behind each other. Beside what a list shows, it shows which articles
/// match its words: it is stale with writes to them too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchedFor {
    words: SearchedWords,
    /// The writes to them before it was made.
    written: u64,
}

impl SearchedFor {
    /// What a search for `query` depends on, read before it reads any
    /// article: a write to its words that it might not see then makes it
    /// stale.
    pub fn now(changes: &Changes, query: &SearchQuery) -> Self {
        let words = SearchedWords::of(query);
        let written = changes.written_to(&words);
        Self { words, written }
    }

    fn holds(&self, changes: &Changes) -> bool {
        self.written == changes.written_to(&self.words)
    }
}

/// A response extension on an answer about one article (`AboutArticle`)
/// whose only part that moves without a write before `until` is its view
/// count: it shows `shown` views, read when this process had written
/// `written` of them (`WrittenViews::total_settled_since`). Kept on a node
/// that sees every write, it shows the views written since instead of
/// being made anew for them (`KeptViews`).
#[derive(Debug, Clone, Copy)]
pub struct OnlyViewsMove {
    pub counted: Counted,
    pub shown: i64,
    pub written: i64,
    /// When something it shows may change by the clock alone (an article
    /// scheduled to appear, the day documents' standing counts from).
    pub until: Instant,
}

/// The longest an article's page is kept showing the views written since
/// it was made (`KeptViews`): how late it shows another process's write.
/// The long tail of 100,000 articles misses most answers once, when they
/// are asked again after their life: kept a few seconds more, fewer do.
const LONGEST_LIFE_WITH_VIEWS: Duration = Duration::from_secs(10);

/// A kept answer's view count, kept current: the views this process has
/// written since it was made are spliced into its body (the first read
/// after they were). A long tail's page was made anew each time it was
/// asked after its 2 s life, since views had been written meanwhile,
/// though nothing else in it had changed; most of the long tail's reads at
/// 100,000 articles missed so.
#[derive(Debug, Clone, Copy)]
struct KeptViews {
    counted: Counted,
    /// What the body shows, less what had been written by then.
    base: i64,
    /// What the body shows.
    shown: i64,
    /// Its life: until something it shows may change by the clock, within
    /// `LONGEST_LIFE_WITH_VIEWS`, and never shorter than answers'.
    life: Duration,
}

impl KeptViews {
    fn of(moving: OnlyViewsMove, settled: Duration) -> Self {
        let settles_for = moving.until.saturating_duration_since(Instant::now());
        Self {
            counted: moving.counted,
            base: moving.shown - moving.written,
            shown: moving.shown,
            life: settles_for.clamp(settled, LONGEST_LIFE_WITH_VIEWS.max(settled)),
        }
    }

    /// The views to show now, given this process's written total.
    fn now(&self, written: i64) -> i64 {
        self.base + written
    }
}

/// What a kept answer was made from: the generations it is stale without.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    /// Any write.
    Writes(u64),
    /// Writes that may have changed anything, and those to the article.
    Article {
        id: i32,
        anything: u64,
        article: u64,
    },
    /// Writes that may have changed which articles lists hold, and those
    /// to what it shows of its articles (`Changes::listed_content_of`);
    /// for a search, those to its words too, once it is `MAX_AGE` old.
    List {
        listed: u64,
        articles: Arc<[i32]>,
        content: u64,
        searched: Option<Box<SearchedFor>>,
    },
}

impl Stamp {
    /// Whether nothing this answer shows was written since.
    fn holds(&self, changes: &Changes) -> bool {
        match self {
            Stamp::Writes(writes) => *writes == changes.writes(),
            Stamp::Article {
                id,
                anything,
                article,
            } => changes.of_article(*id) == (*anything, *article),
            Stamp::List {
                listed,
                articles,
                content,
                searched,
            } => {
                *listed == changes.listed()
                    && *content == changes.listed_content_of(articles)
                    && searched.as_ref().is_none_or(|words| words.holds(changes))
            }
        }
    }

    /// A search's, which may lag writes while younger than `MAX_AGE`.
    fn is_search(&self) -> bool {
        matches!(
            self,
            Stamp::List {
                searched: Some(_),
                ..
            }
        )
    }
}

/// One kept answer.
pub struct Kept {
    stamp: Stamp,
    made: Instant,
    /// Set by the one request that makes an aged answer anew.
    renewing: AtomicBool,
    /// Its handler takes `Renewable`: made anew behind the request that
    /// finds it aged, which it answers meanwhile.
    renews_behind: bool,
    status: StatusCode,
    /// A list, not a copy of the answer's `HeaderMap`: a map has room for
    /// twelve headers of four values each (3 KiB) where an answer keeps
    /// three or four, a third again of an article's page for nothing.
    headers: Box<[(HeaderName, HeaderValue)]>,
    body: Body,
    counts: Option<Counted>,
    /// The route that made it, for the hits' metrics and logs.
    route: Option<Arc<str>>,
    /// Its view count, kept current.
    views: Option<KeptViews>,
    /// The batches of views written (`WrittenViews::batches_ended`) when
    /// its view count was last found current: until more are, a hit need
    /// not look again (a lock and a lookup shared by every hit).
    views_checked: AtomicU64,
    /// When it was last served (`ticks`): the answers served longest ago
    /// make room first.
    used: AtomicU64,
}

/// `Kept::views_checked` before any look.
const NOT_CHECKED: u64 = u64::MAX;

/// Nanoseconds since the first call: an `Instant` in an atomic.
fn ticks() -> u64 {
    static START: LazyLock<Instant> = LazyLock::new(Instant::now);
    u64::try_from(START.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

impl Kept {
    /// Whether it may answer as it is: showing what is written now and
    /// younger than its life (`settled`, unless its views are kept
    /// current), or a search's, which may lag writes while younger than
    /// `MAX_AGE`.
    fn current(&self, changes: &Changes, settled: Duration) -> bool {
        let age = self.made.elapsed();
        (age < self.life(settled) && self.stamp.holds(changes))
            || (age < MAX_AGE && self.stamp.is_search())
    }

    fn life(&self, settled: Duration) -> Duration {
        self.views.map_or(settled, |views| views.life)
    }

    /// The content coding its body is in, if any.
    fn coding(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(name, _)| name == header::CONTENT_ENCODING)
            .and_then(|(_, value)| value.to_str().ok())
    }

    fn is_encoded(&self) -> bool {
        self.coding().is_some()
    }

    /// This answer showing `views` in place of the views it shows, or
    /// `None` if its body cannot be changed so.
    fn showing(&self, views: i64, read_often: bool) -> Option<Kept> {
        let kept_views = self.views?;
        let coding = self.coding();
        Some(Kept {
            stamp: self.stamp.clone(),
            made: self.made,
            renewing: AtomicBool::default(),
            renews_behind: self.renews_behind,
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.showing_views(views, coding, read_often)?,
            counts: self.counts,
            route: self.route.clone(),
            views: Some(KeptViews {
                shown: views,
                ..kept_views
            }),
            views_checked: AtomicU64::new(NOT_CHECKED),
            used: AtomicU64::new(ticks()),
        })
    }
}

/// A page whose views changed is kept as made when it was read this soon
/// after the read before, packed again (if it was) when it is read less
/// often. Kept packed, the most read pages were unpacked at every hit (at
/// 1,000 articles the long tail cost 18 µs a read against 13 to 17); kept
/// as made, every page read again after a flush took two and a half times
/// its room, and where the room is full more reads missed: at 10,000
/// articles 12 to 13 % of the long tail's, 10 to 11 % packed again; at
/// 100,000, 25 to 26 % against 23.
const READ_OFTEN_WITHIN: Duration = Duration::from_millis(250);

/// A kept answer's body: as its handler made it, or packed (LZ4) when it
/// was made for a request that found nothing kept under its key. Most of
/// those are the long tail's, asked once or twice a life: at 10,000
/// articles the room held about 2,600 article pages as made, and a quarter
/// of the long tail's reads missed; packed, a page takes 36 to 40 % of its
/// bytes, and 11 to 12 % missed. A body asked for again (made anew once
/// aged or written to) is kept as made, so the most read answers are
/// served without unpacking (a few microseconds a page).
enum Body {
    AsMade(Bytes),
    Packed { lz4: Box<[u8]>, len: usize },
}

impl Body {
    /// Answers under this many bytes are kept as made: packing them saves
    /// little room for its work.
    const PACKED_FROM: usize = 1024;

    /// `body` packed when it may be and packing makes it smaller.
    fn packed_if_worth_it(body: Bytes) -> Self {
        if body.len() < Self::PACKED_FROM {
            return Body::AsMade(body);
        }
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        SCRATCH.with_borrow_mut(|scratch| {
            // Packed into one buffer per thread, then copied out at its
            // size: a buffer of the bound for each answer, shrunk after,
            // left the allocator's free space scattered between answers.
            scratch.resize(lz4_flex::block::get_maximum_output_size(body.len()), 0);
            match lz4_flex::block::compress_into(&body, scratch) {
                Ok(packed) if packed < body.len() => Body::Packed {
                    lz4: scratch[..packed].into(),
                    len: body.len(),
                },
                _ => Body::AsMade(body),
            }
        })
    }

    /// The bytes it takes in memory.
    fn held(&self) -> usize {
        match self {
            Body::AsMade(bytes) => bytes.len(),
            Body::Packed { lz4, .. } => lz4.len(),
        }
    }

    /// The body as made; `None` only should packed bytes not unpack, which
    /// this process packed itself (a bug: the request gets a 500).
    fn bytes(&self) -> Option<Bytes> {
        match self {
            Body::AsMade(bytes) => Some(bytes.clone()),
            Body::Packed { lz4, len } => {
                lz4_flex::block::decompress(lz4, *len).ok().map(Bytes::from)
            }
        }
    }

    /// This body (a JSON answer in `coding`, `None` for none) with `views`
    /// after its one `"view_count":`: kept as made when it is read often
    /// (`READ_OFTEN_WITHIN`), else packed again if it was packed. `None` if
    /// it has not one view count, or is in a coding not known here.
    fn showing_views(&self, views: i64, coding: Option<&str>, read_often: bool) -> Option<Body> {
        let bytes = self.bytes()?;
        let changed = match coding {
            None => with_view_count(&bytes, views)?,
            Some(coding) => {
                let json = codings::decoded(coding, &bytes)?;
                codings::encoded(coding, &with_view_count(&json, views)?)?
            }
        };
        Some(match self {
            Body::Packed { .. } if !read_often => Body::packed_if_worth_it(Bytes::from(changed)),
            _ => Body::AsMade(Bytes::from(changed)),
        })
    }
}

/// A compact JSON answer with `views` after its one `"view_count":`.
fn with_view_count(json: &[u8], views: i64) -> Option<Vec<u8>> {
    let mut counters = moving_counters(json).filter(|(key, _)| *key == VIEW_COUNT);
    let (_, digits) = counters.next()?;
    if counters.next().is_some() {
        return None;
    }
    let shown = views.to_string();
    let mut changed = Vec::with_capacity(json.len() - digits.len() + shown.len());
    changed.extend_from_slice(&json[..digits.start]);
    changed.extend_from_slice(shown.as_bytes());
    changed.extend_from_slice(&json[digits.end..]);
    Some(changed)
}

/// Whose turn it is to make an answer that is not kept.
pub enum Turn {
    /// Yours: the others asking meanwhile wait until this is dropped.
    Lead(Lead),
    /// Another request's: wait for it.
    Wait(Arc<Notify>),
}

pub trait ResponseCache: Send + Sync {
    /// How long an answer nothing it shows was written to is served.
    fn settled_life(&self) -> Duration;
    /// Whether this process sees every write to what it keeps answers of
    /// (`DatabaseUrl::is_single_node`): then an aged answer nothing was
    /// written to since is what would be made now, bar counted views and
    /// scheduled times, and may answer the request that has it made anew.
    fn sees_every_write(&self) -> bool;
    /// Leave to make one aged answer anew behind its reader, while fewer
    /// are being made than the database has connections to read with:
    /// past them, queued renewals only held memory and made no answer
    /// sooner.
    fn renewal_permit(&self) -> Option<OwnedSemaphorePermit>;
    fn get(&self, key: &str) -> Option<Arc<Kept>>;
    /// Keeps `kept` under `key`, in place of what was.
    fn put(&self, key: String, kept: Arc<Kept>);
    /// The first of the requests missing `key` at once makes the answer;
    /// the others wait for it rather than all computing it.
    fn turn(&self, key: &str) -> Turn;
}

type Flights = Arc<Mutex<HashMap<String, Arc<Notify>>>>;

/// The lead on making one answer; dropping it (answer kept or not) wakes
/// the requests waiting for it.
pub struct Lead {
    flights: Flights,
    key: String,
}

impl Drop for Lead {
    fn drop(&mut self) {
        let flight = lock(&self.flights).remove(&self.key);
        if let Some(flight) = flight {
            flight.notify_waiters();
        }
    }
}

pub struct InMemoryResponses {
    entries: Mutex<(HashMap<String, Arc<Kept>>, usize)>,
    flights: Flights,
    settled: Duration,
    sees_every_write: bool,
    renewals: Arc<Semaphore>,
    /// The most bytes kept (`room_for`); past it the answers served
    /// longest ago make room.
    room: usize,
}

impl InMemoryResponses {
    /// A store for a node that sees every write to its database or not
    /// (`DatabaseUrl::is_single_node`), whose views are flushed this often,
    /// with this many connections to read with, for an archive of this
    /// many articles (when it starts).
    pub fn new(
        sees_every_write: bool,
        view_flush_interval: Duration,
        readers: usize,
        articles: u64,
    ) -> Self {
        Self {
            entries: Mutex::default(),
            flights: Flights::default(),
            settled: life_of_settled(sees_every_write, view_flush_interval),
            sees_every_write,
            renewals: Arc::new(Semaphore::new(readers)),
            room: room_for(articles),
        }
    }

    /// Entries are whole or absent whatever a panicking holder did.
    fn entries(&self) -> MutexGuard<'_, (HashMap<String, Arc<Kept>>, usize)> {
        lock(&self.entries)
    }
}

impl ResponseCache for InMemoryResponses {
    fn settled_life(&self) -> Duration {
        self.settled
    }

    fn sees_every_write(&self) -> bool {
        self.sees_every_write
    }

    fn renewal_permit(&self) -> Option<OwnedSemaphorePermit> {
        self.renewals.clone().try_acquire_owned().ok()
    }

    fn get(&self, key: &str) -> Option<Arc<Kept>> {
        self.entries().0.get(key).cloned()
    }

    fn put(&self, key: String, kept: Arc<Kept>) {
        let mut entries = self.entries();
        let (answers, held) = &mut *entries;
        let key_len = key.len();
        let size = size_of(key_len, &kept);
        if *held + size > self.room {
            // Room for many answers at once, not one at a time.
            *held = make_room(answers, self.room / 4 * 3, self.settled);
        }
        *held += size;
        if let Some(replaced) = answers.insert(key, kept) {
            *held -= size_of(key_len, &replaced);
        }
    }

    fn turn(&self, key: &str) -> Turn {
        let mut flights = lock(&self.flights);
        match flights.get(key) {
            Some(flight) => Turn::Wait(flight.clone()),
            None => {
                flights.insert(key.to_owned(), Arc::default());
                Turn::Lead(Lead {
                    flights: self.flights.clone(),
                    key: key.to_owned(),
                })
            }
        }
    }
}

/// What one kept answer counts for in the store's room: its key, body, headers
/// and a list's ids, and an estimate of what holding them costs beside.
fn size_of(key_len: usize, kept: &Kept) -> usize {
    /// The map's entry, the stamp and the headers' own allocations.
    const HOLDING: usize = 256;
    let headers: usize = kept
        .headers
        .iter()
        .map(|(name, value)| {
            std::mem::size_of::<(HeaderName, HeaderValue)>() + name.as_str().len() + value.len()
        })
        .sum();
    let listed = match &kept.stamp {
        Stamp::List {
            articles, searched, ..
        } => {
            std::mem::size_of_val(&**articles)
                + searched
                    .as_ref()
                    .map_or(0, |searched| searched.words.held())
        }
        _ => 0,
    };
    HOLDING + key_len + headers + listed + kept.body.held()
}

/// Drops the answers too old to be served (past their life, `settled`
/// unless their own, and `MAX_AGE`), then those served longest ago, until
/// at most `budget` bytes are kept; answers what is kept. (Emptying the
/// store instead dropped the most read answers with the rest each time a
/// long tail of reads filled it. The oldest made first dropped the pages
/// kept with their views current, made once and read for many lives.)
fn make_room(answers: &mut HashMap<String, Arc<Kept>>, budget: usize, settled: Duration) -> usize {
    answers.retain(|_, kept| kept.made.elapsed() < kept.life(settled) + MAX_AGE);
    let mut latest_first: Vec<(u64, usize, String)> = answers
        .iter()
        .map(|(key, kept)| {
            let used = kept.used.load(Ordering::Relaxed);
            (used, size_of(key.len(), kept), key.clone())
        })
        .collect();
    latest_first.sort_unstable_by_key(|(used, _, _)| std::cmp::Reverse(*used));
    let mut held = 0;
    for (_, size, key) in latest_first {
        if held + size <= budget {
            held += size;
        } else {
            answers.remove(&key);
        }
    }
    held
}

/// Whether a request carries who sends it (credentials, a voter token, a
/// cookie): its answer may be theirs alone.
pub fn is_personal(req: &ServiceRequest) -> bool {
    const PERSONAL: [HeaderName; 4] = [
        header::AUTHORIZATION,
        HeaderName::from_static("x-api-key"),
        crate::readers::voters::VOTER_HEADER_NAME,
        header::COOKIE,
    ];
    PERSONAL.iter().any(|name| req.headers().contains_key(name))
}

/// What an anonymous public read is kept under: its path, its parameters
/// in one order (`?b=2&a=1` and `?a=1&%62=2` are one answer), and which of
/// the codings we compress with the client takes (a compressed answer only
/// for who asked for it; made-up codings make no new entry).
fn key_of(req: &ServiceRequest) -> Option<String> {
    let headers = req.headers();
    let path = req.path();
    let public = super::is_public_path(path);
    // Files (attachments, images) come from the store, each cached
    // downstream by its own headers, and a sitemap may be megabytes: none
    // is kept in this memory.
    let file = path.contains("/attachments/")
        || crate::media::is_file_path(path)
        || crate::sitemaps::is_sitemap(path);
    if req.method() != Method::GET || !public || file || is_personal(req) {
        return None;
    }
    let accepted = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let query = req.query_string();
    let mut key = String::with_capacity(path.len() + query.len() + 12);
    key.push_str(path);
    key.push('?');
    // A hit is a few microseconds: a path without parameters (most reads)
    // is not parsed, and the key is written in place.
    if !query.is_empty() {
        let mut parameters: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
        parameters.sort();
        let start = key.len();
        key = form_urlencoded::Serializer::for_suffix(key, start)
            .extend_pairs(&parameters)
            .finish();
    }
    key.push('|');
    // Every coding `Compress` may answer in: a client taking only deflate
    // was kept under the key of one taking none, who then got deflate.
    let codings = ["br", "gzip", "deflate"]
        .into_iter()
        .filter(|coding| accepts(&accepted, coding));
    for (n, coding) in codings.enumerate() {
        if n > 0 {
            key.push(',');
        }
        key.push_str(coding);
    }
    Some(key)
}

/// Whether an `Accept-Encoding` value (lower case) takes `coding`: named
/// with a weight above zero, or covered by `*` and not refused by name.
fn accepts(accepted: &str, coding: &str) -> bool {
    let weight_of = |name: &str| {
        accepted.split(',').find_map(|entry| {
            let mut parts = entry.split(';').map(str::trim);
            (parts.next() == Some(name)).then(|| {
                parts
                    .find_map(|parameter| parameter.strip_prefix("q="))
                    .map_or(1.0, |q| q.parse::<f32>().unwrap_or(0.0))
            })
        })
    };
    match weight_of(coding) {
        Some(weight) => weight > 0.0,
        None => weight_of("*").is_some_and(|weight| weight > 0.0),
    }
}

/// How a kept answer may answer a request now.
#[derive(Debug, PartialEq, Eq)]
enum Standing {
    /// As it is: current, or aged while another request makes it anew.
    Serves,
    /// Aged by up to `MAX_AGE` with nothing it shows written since, and
    /// this request is the first to find it so: it has it made anew.
    Renew,
    /// Not at all: something it shows was written, or it is too old.
    Stale,
}

fn standing(kept: &Kept, changes: &Changes, settled: Duration) -> Standing {
    if kept.current(changes, settled) {
        return Standing::Serves;
    }
    let aged = kept.stamp.holds(changes) && kept.made.elapsed() < kept.life(settled) + MAX_AGE;
    match aged {
        false => Standing::Stale,
        true if kept.renewing.swap(true, Ordering::AcqRel) => Standing::Serves,
        true => Standing::Renew,
    }
}

/// What was written when an answer began to be made.
#[derive(Clone, Copy)]
struct Before {
    /// `Changes::writes`: what a feed's answer is stamped with.
    writes: u64,
    /// `Changes::listed`: what a list's answer is stamped with.
    listed: u64,
    /// `Changes::shown`: where the writes recorded meanwhile begin.
    shown: u64,
}

impl Before {
    fn now(changes: &Changes) -> Self {
        Self {
            writes: changes.writes(),
            listed: changes.listed(),
            shown: changes.shown(),
        }
    }
}

/// What an answer shows, as its handler said.
enum Shows {
    Article(i32),
    /// A list's articles, and a search's words.
    Articles(Arc<[i32]>, Option<SearchedFor>),
    Anything,
}

impl Shows {
    /// What a response's extensions say it shows.
    fn said_by(extensions: &actix_web::dev::Extensions) -> Self {
        match (
            extensions.get::<AboutArticle>(),
            extensions.get::<ListsArticles>(),
        ) {
            (Some(AboutArticle(id)), _) => Shows::Article(*id),
            (None, Some(ListsArticles(ids))) => {
                Shows::Articles(ids.clone(), extensions.get::<SearchedFor>().cloned())
            }
            (None, None) => Shows::Anything,
        }
    }
}

/// The stamp of an answer made since `before`. One about an article, or a
/// list, is stamped with its articles' generations, read after it was
/// made, so it is kept only when none of the writes recorded meanwhile
/// touched what it shows: such a write might be in those generations and
/// not in the answer. Writes to other articles meanwhile leave it kept;
/// under a newsroom's load one was under way while most answers were made.
/// A search's words were counted before it was made. `None`: not to be
/// kept.
fn stamp_of(shows: Shows, before: Before, changes: &Changes) -> Option<Stamp> {
    let stamp = match shows {
        Shows::Article(id) => {
            let (anything, article) = changes.of_article(id);
            if changes.written_since(before.shown, |write| write.may_change_article(id)) {
                return None;
            }
            Stamp::Article {
                id,
                anything,
                article,
            }
        }
        Shows::Articles(articles, searched) => {
            let content = changes.listed_content_of(&articles);
            if changes.written_since(before.shown, |write| write.may_change_list_of(&articles)) {
                return None;
            }
            Stamp::List {
                listed: before.listed,
                articles,
                content,
                searched: searched.map(Box::new),
            }
        }
        Shows::Anything => Stamp::Writes(before.writes),
    };
    Some(stamp)
}

/// Whether the handler said no cache may keep the answer (a draft shown
/// through a preview link).
fn forbids_keeping(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|d| d.trim() == "no-store"))
}

/// A kept answer, with the read it counts.
fn from_memory(req: HttpRequest, kept: &Kept) -> Result<ServiceResponse<BoxBody>, Error> {
    let body = kept.body.bytes().ok_or_else(|| {
        crate::error::ApiError::Internal("a kept answer's packed body did not unpack".into())
    })?;
    if let (Some(counted), Some(views)) =
        (kept.counts, req.app_data::<web::Data<dyn ViewCounter>>())
    {
        views.record(counted);
    }
    if let Some(route) = &kept.route {
        req.extensions_mut().insert(MatchedRoute(Arc::clone(route)));
    }
    let mut response = HttpResponse::with_body(kept.status, body);
    // Into the map actix reuses from answer to answer: no new allocation.
    let headers = response.headers_mut();
    for (name, value) in &*kept.headers {
        headers.append(name.clone(), value.clone());
    }
    Ok(ServiceResponse::new(req, response.map_into_boxed_body()))
}

/// A request extension on the one request that has an aged answer made
/// anew: `Renewable` sends the request back through it once routed.
struct Renewing(oneshot::Sender<HttpRequest>);

/// A request extension: its handler takes `Renewable`.
struct RenewsBehind;

/// Taken by a handler whose request the response cache may answer with an
/// aged kept answer (nothing it shows written since, up to `MAX_AGE` past
/// its life) while the handler makes the new one, on a node that sees
/// every write (`ResponseCache::sees_every_write`). Without it the request
/// that finds the answer aged waits for the new one: at 100,000 articles a
/// search takes 2 to 4 ms, and those waits, queued behind each other, were
/// the p99 of 1,000 distinct searches in rotation (52 to 59 ms; 10 to 11
/// with it). A handler that counts its read (`count_read`) does not take
/// it: the hit counts that read, and the handler making the answer anew
/// would count it again.
pub struct Renewable;

impl FromRequest for Renewable {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let renewing = {
            let mut extensions = req.extensions_mut();
            extensions.insert(RenewsBehind);
            extensions.remove::<Renewing>()
        };
        if let Some(Renewing(routed)) = renewing {
            // Routed now, so it may be shared (routing needs it alone).
            let _ = routed.send(req.clone());
        }
        ready(Ok(Renewable))
    }
}

/// What keeping one request's answer needs.
#[derive(Clone)]
struct Keeper {
    cache: web::Data<dyn ResponseCache>,
    db: web::Data<Database>,
    metrics: Option<web::Data<Metrics>>,
    key: String,
    before: Before,
    /// An answer was kept under `key` when the request came (aged, or
    /// stale after a write): one asked for again, kept as made.
    asked_again: bool,
}

impl Keeper {
    fn count(&self, outcome: CacheOutcome) {
        if let Some(metrics) = &self.metrics {
            metrics.cache(outcome);
        }
    }

    /// `kept`, counted as a hit; showing the views written since it was
    /// made, when its views are kept current and more were.
    async fn hit(
        &self,
        req: HttpRequest,
        kept: &Arc<Kept>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        let now = ticks();
        let served_before = kept.used.swap(now, Ordering::Relaxed);
        let read_often =
            Duration::from_nanos(now.saturating_sub(served_before)) < READ_OFTEN_WITHIN;
        if let Some(refreshed) = self.with_views_written_since(&req, kept, read_often).await {
            self.count(CacheOutcome::Refreshed);
            let response = from_memory(req, &refreshed);
            self.cache.put(self.key.clone(), refreshed);
            return response;
        }
        self.count(CacheOutcome::Hit);
        from_memory(req, kept)
    }

    /// `kept` showing the views written since it was made, if its views are
    /// kept current (`KeptViews`) and others were written.
    async fn with_views_written_since(
        &self,
        req: &HttpRequest,
        kept: &Arc<Kept>,
        read_often: bool,
    ) -> Option<Arc<Kept>> {
        let views = kept.views?;
        let written = req.app_data::<web::Data<dyn ViewCounter>>()?.written();
        // Before the total: a batch ending after it is looked at next time.
        let batches = written.batches_ended();
        if kept.views_checked.load(Ordering::Relaxed) == batches {
            return None;
        }
        let now = views.now(written.total(views.counted));
        if now == views.shown {
            kept.views_checked.store(batches, Ordering::Relaxed);
            return None;
        }
        let refreshed = match kept.is_encoded() {
            // Decoded and encoded again (55 to 75 µs a 10 KB page): off the
            // executor, as `Compress` encodes.
            true => {
                let kept = Arc::clone(kept);
                web::block(move || kept.showing(now, read_often))
                    .await
                    .ok()?
            }
            false => kept.showing(now, read_often),
        };
        refreshed.map(Arc::new)
    }

    /// Keeps a handler's answer if it may be kept, and passes it on.
    async fn keep(
        self,
        response: ServiceResponse<impl MessageBody + 'static>,
        outcome: CacheOutcome,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        if response.status() != StatusCode::OK
            || response.headers().contains_key(header::SET_COOKIE)
            || forbids_keeping(response.headers())
        {
            return Ok(response.map_into_boxed_body());
        }
        let counts = response
            .response()
            .extensions()
            .get::<CountsRead>()
            .map(|c| c.0);
        let only_views_move = response
            .response()
            .extensions()
            .get::<OnlyViewsMove>()
            .copied();
        let shows = Shows::said_by(&response.response().extensions());
        let (request, response) = response.into_parts();
        let (mut head, body) = response.into_parts();
        let body = to_bytes(body).await.map_err(|e| {
            crate::error::ApiError::Internal(format!("could not buffer an answer: {}", e.into()))
        })?;
        // The tag `conditional_get` would hash the body for, hashed once
        // here: each hit then carries it, and only `If-None-Match` is
        // compared.
        if !head.headers().contains_key(header::ETAG) {
            let tag = strong_tag(&body).to_string();
            if let Ok(value) = header::HeaderValue::from_str(&tag) {
                head.headers_mut().insert(header::ETAG, value);
            }
        }
        self.count(outcome);
        let Some(stamp) = stamp_of(shows, self.before, self.db.changes()) else {
            return Ok(ServiceResponse::new(
                request,
                head.set_body(body).map_into_boxed_body(),
            ));
        };
        let renews_behind = request.extensions().contains::<RenewsBehind>();
        // Only this process's writes move the views it counts where it
        // sees every write; elsewhere other nodes' flushes move them too.
        let views = only_views_move
            .filter(|_| self.cache.sees_every_write() && matches!(stamp, Stamp::Article { .. }))
            .map(|moving| KeptViews::of(moving, self.cache.settled_life()));
        let encoded = head.headers().contains_key(header::CONTENT_ENCODING);
        let kept_body = match self.asked_again || encoded {
            true => Body::AsMade(body.clone()),
            false => Body::packed_if_worth_it(body.clone()),
        };
        self.cache.put(
            self.key,
            Arc::new(Kept {
                stamp,
                made: Instant::now(),
                renewing: AtomicBool::default(),
                renews_behind,
                status: head.status(),
                headers: head
                    .headers()
                    .iter()
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
                body: kept_body,
                counts,
                route: matched_route(&request),
                views,
                views_checked: AtomicU64::new(NOT_CHECKED),
                used: AtomicU64::new(ticks()),
            }),
        );
        Ok(ServiceResponse::new(
            request,
            head.set_body(body).map_into_boxed_body(),
        ))
    }

    /// Has the aged `kept` made anew in a task of its own, and answers
    /// `req` with `kept` once its handler takes `Renewable` (or with what
    /// the task answers, should a layer before the handler answer first).
    async fn renew_behind<B: MessageBody + 'static>(
        self,
        req: ServiceRequest,
        next: Next<B>,
        kept: &Arc<Kept>,
    ) -> Result<ServiceResponse<BoxBody>, Error> {
        // Enough are being made, or another request is making this one
        // (whose answer may not be kept): a later reader has it made.
        let leave =
            self.cache
                .renewal_permit()
                .and_then(|permit| match self.cache.turn(&self.key) {
                    Turn::Lead(lead) => Some((permit, lead)),
                    Turn::Wait(_) => None,
                });
        let Some(held) = leave else {
            kept.renewing.store(false, Ordering::Release);
            return self.hit(req.into_parts().0, kept).await;
        };
        let (routed, reader) = oneshot::channel();
        req.extensions_mut().insert(Renewing(routed));
        let making = next.call(req);
        let maker = self.clone();
        let mut made = actix_web::rt::spawn(
            async move {
                let _held = held;
                maker.keep(making.await?, CacheOutcome::Renewed).await
            }
            .instrument(tracing::Span::current()),
        );
        tokio::select! {
            biased;
            Ok(request) = reader => self.hit(request, kept).await,
            made = &mut made => made.map_err(|e| {
                crate::error::ApiError::Internal(format!("making an answer anew failed: {e}"))
            })?,
        }
    }
}

pub async fn cache_public(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (Some(key), Some(cache), Some(db)) = (
        key_of(&req),
        req.app_data::<web::Data<dyn ResponseCache>>().cloned(),
        req.app_data::<web::Data<Database>>().cloned(),
    ) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let settled = cache.settled_life();
    let found = cache.get(&key);
    let keeper = Keeper {
        before: Before::now(db.changes()),
        metrics: req.app_data::<web::Data<Metrics>>().cloned(),
        asked_again: found.is_some(),
        cache,
        db,
        key,
    };
    if let Some(kept) = found {
        match standing(&kept, keeper.db.changes(), settled) {
            Standing::Serves => return keeper.hit(req.into_parts().0, &kept).await,
            Standing::Renew if kept.renews_behind && keeper.cache.sees_every_write() => {
                return keeper.renew_behind(req, next, &kept).await;
            }
            // Where other nodes write too, the request waits for the new
            // answer (the aged one may miss their writes), as it does for a
            // handler that does not take `Renewable`.
            Standing::Renew | Standing::Stale => {}
        }
    }
    // One request makes a missing answer; the others wait for it, up to
    // the age limit, and make it themselves if it does not come.
    let _lead = match keeper.cache.turn(&keeper.key) {
        Turn::Lead(lead) => Some(lead),
        Turn::Wait(flight) => {
            let made = flight.notified();
            tokio::pin!(made);
            made.as_mut().enable();
            // The lead may have finished before this one listened: look first.
            let ready = || {
                keeper
                    .cache
                    .get(&keeper.key)
                    .filter(|kept| kept.current(keeper.db.changes(), settled))
            };
            if ready().is_none() {
                let _ = actix_web::rt::time::timeout(MAX_AGE, made).await;
            }
            if let Some(kept) = ready() {
                return keeper.hit(req.into_parts().0, &kept).await;
            }
            None
        }
    };
    let response = next.call(req).await?;
    keeper.keep(response, CacheOutcome::Miss).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: usize) -> Kept {
        Kept {
            stamp: Stamp::Writes(0),
            made: Instant::now(),
            renewing: AtomicBool::default(),
            renews_behind: false,
            status: StatusCode::OK,
            headers: Box::default(),
            body: Body::AsMade(Bytes::from(vec![b'x'; bytes])),
            counts: None,
            route: None,
            views: None,
            views_checked: AtomicU64::new(NOT_CHECKED),
            used: AtomicU64::new(ticks()),
        }
    }

    #[test]
    fn a_full_store_drops_its_oldest_answers_and_keeps_the_newest() {
        let store = InMemoryResponses::new(true, Duration::from_secs(2), 8, 0);
        let megabyte = 1024 * 1024;
        for n in 0..40 {
            store.put(format!("/api/v1/articles/{n}"), Arc::new(answer(megabyte)));
        }
        let kept: Vec<bool> = (0..40)
            .map(|n| store.get(&format!("/api/v1/articles/{n}")).is_some())
            .collect();
        let newest_kept = kept.iter().rev().take_while(|kept| **kept).count();
        assert!(newest_kept >= 12, "{kept:?}");
        assert!(!kept[0], "the oldest is dropped: {kept:?}");
        let held = store.entries().1;
        assert!(held <= LEAST_ROOM, "{held}");
        let each = size_of("/api/v1/articles/39".len(), &answer(megabyte));
        assert_eq!(held, kept.iter().filter(|kept| **kept).count() * each);
    }

    #[test]
    fn a_packed_answer_takes_less_room_and_unpacks_to_the_bytes_made() {
        let page: String = (0..400)
            .map(|n| format!("<p>Kế hoạch số {n}/KH-UBND về cải cách hành chính.</p>"))
            .collect();
        let made = Bytes::from(format!(r#"{{"body_html":"{page}"}}"#));
        let packed = Body::packed_if_worth_it(made.clone());
        assert!(matches!(packed, Body::Packed { .. }));
        assert!(
            packed.held() * 3 < made.len(),
            "{} of {}",
            packed.held(),
            made.len()
        );
        assert_eq!(packed.bytes(), Some(made));

        let short = Bytes::from_static(br#"{"items":[]}"#);
        assert!(matches!(Body::packed_if_worth_it(short.clone()), Body::AsMade(b) if b == short));
        // Bytes that do not repeat (an image, say) do not shrink.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                // xorshift64: bytes with nothing to repeat.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        let noise = Bytes::from(noise);
        assert!(matches!(Body::packed_if_worth_it(noise.clone()), Body::AsMade(b) if b == noise));

        let store = InMemoryResponses::new(true, Duration::from_secs(2), 8, 0);
        let key = "/api/v1/articles/1?|";
        let kept = Kept {
            body: Body::packed_if_worth_it(Bytes::from(vec![b'x'; 64 * 1024])),
            ..answer(0)
        };
        let room = size_of(key.len(), &kept);
        store.put(key.to_owned(), Arc::new(kept));
        assert_eq!(store.entries().1, room);
        assert!(room < 2 * 1024, "{room}");
    }

    /// An article's page as compact JSON, showing `views`.
    fn page(views: i64) -> Vec<u8> {
        let body: String = (0..200)
            .map(|n| format!("<p>Quyết định số {n}/QĐ-UBND về cải cách hành chính.</p>"))
            .collect();
        format!(
            r#"{{"id":7,"title":"\"view_count\":1","view_count":{views},"body_html":"{body}"}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_kept_page_shows_other_views_in_its_body() {
        let packed = Body::packed_if_worth_it(Bytes::from(page(268)));
        assert!(matches!(packed, Body::Packed { .. }));
        let shown = packed
            .showing_views(1_204, None, true)
            .expect("one view count");
        assert!(matches!(shown, Body::AsMade(_)), "read often: as made");
        assert_eq!(
            shown.bytes().unwrap(),
            page(1_204),
            "the title's text is left"
        );
        let seldom = packed.showing_views(1_204, None, false).unwrap();
        assert!(matches!(seldom, Body::Packed { .. }), "read seldom: packed");
        assert_eq!(seldom.bytes().unwrap(), page(1_204));

        let as_made = Body::AsMade(Bytes::from(page(9)));
        for read_often in [true, false] {
            let shown = as_made.showing_views(10, None, read_often).unwrap();
            assert!(matches!(&shown, Body::AsMade(bytes) if *bytes == page(10)));
        }

        for coding in ["br", "gzip"] {
            let encoded = codings::encoded(coding, &page(268)).unwrap();
            let shown = Body::AsMade(Bytes::from(encoded))
                .showing_views(269, Some(coding), false)
                .expect(coding);
            let decoded = codings::decoded(coding, &shown.bytes().unwrap());
            assert_eq!(decoded, Some(page(269)), "{coding}");
        }
        assert!(
            Body::AsMade(Bytes::from(page(1)))
                .showing_views(2, Some("zstd"), false)
                .is_none(),
            "a coding not known here"
        );
    }

    #[test]
    fn a_body_without_exactly_one_view_count_is_left_as_it_is() {
        assert_eq!(with_view_count(br#"{"items":[]}"#, 3), None);
        assert_eq!(
            with_view_count(br#"[{"view_count":1},{"view_count":2}]"#, 3),
            None,
            "whose would it be?"
        );
        assert_eq!(
            with_view_count(br#"{"view_count":-1,"n":2}"#, 30).as_deref(),
            Some(&br#"{"view_count":30,"n":2}"#[..])
        );
    }

    #[test]
    fn a_page_kept_with_its_views_lives_until_the_clock_may_change_it() {
        let settled = Duration::from_secs(2);
        let life_until = |from_now: Duration| {
            let moving = OnlyViewsMove {
                counted: Counted::ArticleView(1),
                shown: 270,
                written: 2,
                until: Instant::now() + from_now,
            };
            let views = KeptViews::of(moving, settled);
            assert_eq!((views.base, views.shown), (268, 270));
            assert_eq!(views.now(5), 273, "three more written since");
            views.life
        };
        let five = life_until(Duration::from_secs(5));
        assert!(five > Duration::from_millis(4_900) && five <= Duration::from_secs(5));
        assert_eq!(
            life_until(Duration::from_millis(300)),
            settled,
            "never less than answers'"
        );
        assert_eq!(
            life_until(Duration::from_secs(86_400)),
            LONGEST_LIFE_WITH_VIEWS
        );

        let changes = Changes::default();
        let kept = Kept {
            stamp: Stamp::Article {
                id: 1,
                anything: changes.of_article(1).0,
                article: changes.of_article(1).1,
            },
            views: Some(KeptViews::of(
                OnlyViewsMove {
                    counted: Counted::ArticleView(1),
                    shown: 1,
                    written: 0,
                    until: Instant::now() + Duration::from_secs(60),
                },
                settled,
            )),
            ..aged(Stamp::Writes(0), Duration::from_secs(8))
        };
        assert!(kept.current(&changes, settled), "past the settled life");
        assert_eq!(standing(&kept, &changes, settled), Standing::Serves);
        changes.record(crate::db::Touches::ArticleFigures(1));
        assert!(!kept.current(&changes, settled), "a vote on it");
    }

    #[test]
    fn the_answers_served_longest_ago_make_room_first() {
        let store = InMemoryResponses::new(true, Duration::from_secs(2), 8, 0);
        let megabyte = 1024 * 1024;
        let key = |n: usize| format!("/api/v1/articles/{n}");
        for n in 0..20 {
            store.put(key(n), Arc::new(answer(megabyte)));
        }
        // The first made is served again; the second is not.
        store
            .get(&key(0))
            .unwrap()
            .used
            .store(ticks(), Ordering::Relaxed);
        for n in 20..40 {
            store.put(key(n), Arc::new(answer(megabyte)));
        }
        assert!(store.get(&key(0)).is_some(), "served lately");
        assert!(store.get(&key(1)).is_none(), "served longest ago");
    }

    #[test]
    fn the_room_grows_with_the_archive_within_its_bounds() {
        assert_eq!(room_for(0), LEAST_ROOM);
        assert_eq!(room_for(10_000), LEAST_ROOM, "a sixth fits in the least");
        assert_eq!(room_for(60_000), 10_000 * 4096);
        assert_eq!(room_for(100_000), MOST_ROOM);
        assert_eq!(room_for(u64::MAX), MOST_ROOM);
    }

    #[test]
    fn no_more_answers_are_made_behind_readers_at_once_than_there_are_connections() {
        let store = InMemoryResponses::new(true, Duration::from_secs(2), 2, 0);
        let first = store.renewal_permit().expect("one of two");
        let second = store.renewal_permit().expect("two of two");
        assert!(store.renewal_permit().is_none(), "a third waits");
        drop(first);
        assert!(
            store.renewal_permit().is_some(),
            "a finished one makes room"
        );
        drop(second);
    }

    /// An answer stamped `stamp`, made `age` ago.
    fn aged(stamp: Stamp, age: Duration) -> Kept {
        Kept {
            stamp,
            made: Instant::now() - age,
            ..answer(16)
        }
    }

    #[test]
    fn the_settled_life_leaves_views_time_to_show_within_five_seconds() {
        assert_eq!(settled_life(Duration::from_secs(2)), Duration::from_secs(2));
        assert_eq!(
            settled_life(Duration::from_millis(100)),
            Duration::from_millis(3_900)
        );
        assert_eq!(settled_life(Duration::from_secs(5)), MAX_AGE);
        for flush in [Duration::from_millis(100), Duration::from_secs(2)] {
            assert!(flush + longest_life(true, flush) <= VIEWS_SHOW_WITHIN);
        }
        assert_eq!(longest_life(false, Duration::from_secs(2)), 2 * MAX_AGE);
    }

    #[test]
    fn an_answer_nothing_was_written_to_lives_its_settled_life() {
        let changes = Changes::default();
        let settled = settled_life(Duration::from_secs(2));
        let unwritten = Stamp::Writes(changes.writes());
        let kept = aged(unwritten.clone(), Duration::from_millis(1_500));
        assert!(
            kept.current(&changes, settled),
            "one node: kept past a second"
        );
        assert!(
            !kept.current(&changes, MAX_AGE),
            "several nodes: a second at most"
        );
        let old = aged(unwritten, Duration::from_millis(2_500));
        assert!(!old.current(&changes, settled));
        assert!(old.stamp.holds(&changes));
        assert_eq!(
            standing(&old, &changes, settled),
            Standing::Renew,
            "the first request past its life has it made anew"
        );
        assert_eq!(
            standing(&old, &changes, settled),
            Standing::Serves,
            "the others are served it meanwhile"
        );
        let too_old = aged(
            Stamp::Writes(changes.writes()),
            Duration::from_millis(3_100),
        );
        too_old.renewing.store(true, Ordering::Release);
        assert_eq!(standing(&too_old, &changes, settled), Standing::Stale);
    }

    /// What a search for `q` showing article 1 depends on, now.
    fn searched(changes: &Changes, q: &str) -> Shows {
        let query = SearchQuery::parse(q).expect("a query with terms");
        let searched = SearchedFor::now(changes, &query);
        Shows::Articles(Arc::from([1]), Some(searched))
    }

    /// A search's stamp as `stamp_of` makes it when nothing was written
    /// meanwhile.
    fn search_stamp(changes: &Changes, q: &str) -> Stamp {
        let shows = searched(changes, q);
        stamp_of(shows, Before::now(changes), changes).expect("nothing written meanwhile")
    }

    #[test]
    fn a_search_lags_a_write_by_a_second_at_most_on_any_node() {
        let changes = Changes::default();
        let settled = settled_life(Duration::from_secs(2));
        let written_since = search_stamp(&changes, "ke hoach");
        changes.record(crate::db::Touches::Article(9));
        assert!(aged(written_since.clone(), Duration::from_millis(500)).current(&changes, settled));
        let aged_search = aged(written_since, Duration::from_millis(1_100));
        assert!(!aged_search.current(&changes, settled));
        assert_eq!(standing(&aged_search, &changes, settled), Standing::Stale);
        let unwritten = aged(
            search_stamp(&changes, "ke hoach"),
            Duration::from_millis(1_500),
        );
        assert!(unwritten.current(&changes, settled));
    }

    #[test]
    fn a_search_is_stale_with_writes_to_its_words_not_to_others() {
        use crate::db::Touches;
        use crate::text::search::indexed_words;
        let changes = Changes::default();
        let search = |q| search_stamp(&changes, q);
        let written = |text| changes.record_words(&indexed_words(text));

        let plan = search("kế hoạch phát tr");
        written("Ban biên tập");
        changes.record(Touches::ArticleContent(2));
        assert!(
            plan.holds(&changes),
            "a byline of other words, on another article"
        );
        written("Phòng Kế toán");
        assert!(!plan.holds(&changes), "a word it matches whole");

        let plan = search("kế hoạch phát tr");
        written("t");
        assert!(plan.holds(&changes), "a word shorter than its last term");
        written("Trung tâm Văn hóa");
        assert!(!plan.holds(&changes), "a word its last term begins");

        let plan = search("kế hoạch phát tr");
        written("ĐẮK LẮK");
        assert!(plan.holds(&changes));
        changes.record(Touches::ArticleContent(1));
        assert!(!plan.holds(&changes), "an edit to an article it shows");

        let plan = search("kế hoạch phát tr");
        changes.record(Touches::Article(3));
        assert!(
            !plan.holds(&changes),
            "a write that may move articles between lists"
        );

        let before = Before::now(&changes);
        written("Lễ hội đua ghe ngo");
        changes.record(Touches::ArticleContent(2));
        assert!(
            stamp_of(searched(&changes, "ke"), before, &changes).is_some(),
            "another article's text written meanwhile, of other words"
        );
    }

    #[test]
    fn an_answer_made_while_others_wrote_is_kept_unless_they_touched_what_it_shows() {
        use crate::db::Touches;
        let changes = Changes::default();
        let before = Before::now(&changes);
        changes.record(Touches::ArticleContent(2));
        changes.record(Touches::ArticleFigures(3));
        let about = |id| stamp_of(Shows::Article(id), before, &changes);
        let list = |ids: &[i32]| stamp_of(Shows::Articles(Arc::from(ids), None), before, &changes);

        let kept = about(1).expect("nothing it shows was written meanwhile");
        assert!(matches!(kept, Stamp::Article { id: 1, .. }));
        assert!(kept.holds(&changes));
        assert_eq!(about(2), None, "an edit to it meanwhile");
        assert_eq!(about(3), None, "a vote on it meanwhile");
        let listed = list(&[1, 3]).expect("lists show votes within their life");
        assert!(matches!(listed, Stamp::List { .. }));
        assert!(listed.holds(&changes));
        assert_eq!(list(&[1, 2]), None, "an edit to one it shows meanwhile");

        changes.record(Touches::ArticleContent(3));
        assert!(!listed.holds(&changes), "stale once one it shows is edited");
        assert!(kept.holds(&changes), "an edit to another article leaves it");
        assert!(list(&[1]).is_some());

        changes.record(Touches::Article(4));
        assert_eq!(
            list(&[1]),
            None,
            "a write that may move articles between lists"
        );
        assert!(about(1).is_some());
        changes.record(Touches::Anything);
        assert_eq!(about(1), None, "a write that may change anything");
        assert!(
            !kept.holds(&changes),
            "stale once anything may have changed"
        );
    }

    #[test]
    fn an_answer_made_while_more_writes_came_than_are_remembered_is_not_kept() {
        use crate::db::Touches;
        let changes = Changes::default();
        let before = Before::now(&changes);
        for id in 100..1_100 {
            changes.record(Touches::ArticleContent(id));
        }
        assert_eq!(stamp_of(Shows::Article(1), before, &changes), None);
        let later = Before::now(&changes);
        changes.record(Touches::ArticleContent(-7));
        assert!(stamp_of(Shows::Article(1), later, &changes).is_some());
        assert_eq!(stamp_of(Shows::Article(-7), later, &changes), None);
    }

    #[test]
    fn codings_are_taken_by_name_or_by_star_unless_weighed_zero() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("gzip;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0", "gzip"));
        assert!(!accepts("gzip, x-made-up", "br"));
        assert!(accepts("*", "br"));
        assert!(!accepts("*, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
    }
}
