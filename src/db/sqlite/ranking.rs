//! Relevance for a search: FTS5's bm25, with each term's count of matching
//! articles, and each article's length, kept between searches.
//!
//! bm25 weighs a term by how rare it is, and FTS5 counts the articles
//! holding it anew for every search, walking the term's whole list: on
//! 100,000 articles that walk was half of a search's time, for a figure
//! that barely moves from one search to the next. `relevance` is bm25 to
//! the last digit, except that a count is kept per database file and
//! counted again once the index holds 1 % more or fewer articles than
//! when it was counted, or after `COUNT_LIFE`.
//!
//! bm25 also weighs a match by its article's length, which FTS5 reads for
//! each match from its own table (a b-tree lookup): with a thousand matches
//! ranked, a third of the ranking's time (`Lengths`).
//!
//! FTS5 takes ranking functions only through its C interface, and diesel
//! does not lend a connection's handle: the function is added to every
//! connection SQLite opens in this process (`sqlite3_auto_extension`).

use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void};
use std::ptr;
use std::sync::{Arc, LazyLock, Mutex, Once};
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;

use crate::support::lock;
use crate::text::search::SearchQuery;

/// How a search ranks its matches: the index, whether the expression's
/// last term is a prefix (counted apart from the word it spells), then the
/// columns' weights (title, summary, body, byline), a match in the title
/// counting most, as the search_visibility migration set them for `rank`.
pub(super) fn relevance_of(query: &SearchQuery) -> String {
    format!(
        "relevance(articles_search, {}, 10.0, 4.0, 1.0, 2.0)",
        i32::from(query.last_is_prefix())
    )
}

/// How long a term's count is trusted while the number of articles holds:
/// edits move counts without adding articles.
const COUNT_LIFE: Duration = Duration::from_secs(600);
/// The most terms kept per database; past it they are counted afresh.
const MAX_KEPT_TERMS: usize = 10_000;
/// bm25's constants, as FTS5 sets them.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Adds `relevance` to every SQLite connection opened from now on.
pub(super) fn add_to_new_connections() {
    static ADDED: Once = Once::new();
    ADDED.call_once(|| {
        // SAFETY: `add_relevance` has the signature SQLite calls entry
        // points with, and lives as long as the process.
        unsafe { ffi::sqlite3_auto_extension(Some(add_relevance)) };
    });
}

/// How many articles held a term when it was counted.
#[derive(Clone, Copy)]
struct Count {
    matching: i64,
    articles: i64,
    when: Instant,
}

impl Count {
    fn holds_for(&self, articles: i64) -> bool {
        (articles - self.articles).abs() * 100 <= self.articles && self.when.elapsed() < COUNT_LIFE
    }
}

/// The counts kept for one database file, by term (`phrase_key`); each is
/// whole, whatever a panicking holder did.
type Counts = Mutex<HashMap<String, Count>>;

/// What the searches of one database file keep for each other.
#[derive(Default)]
struct Kept {
    counts: Counts,
    lengths: Mutex<Lengths>,
}

/// Each file's kept figures, shared by its connections. A database in
/// memory has no name to share them by, and reads them for each search as
/// bm25 does.
fn kept_for(file: Option<String>) -> Option<Arc<Kept>> {
    static BY_FILE: LazyLock<Mutex<HashMap<String, Arc<Kept>>>> = LazyLock::new(Default::default);
    let file = file.filter(|name| !name.is_empty())?;
    Some(Arc::clone(lock(&BY_FILE).entry(file).or_default()))
}

/// The index as a search saw it: how many articles and tokens it held.
/// An edit that makes an article longer or shorter changes the tokens.
type IndexSize = (i64, i64);

/// The articles' lengths in tokens (every column), as the index held them
/// at `index`: trusted while it holds as many articles and tokens. Only an
/// edit leaving the total as it was (one article longer by what another
/// lost, between two searches) leaves a length stale, and then a match
/// ranks by its old length until the total moves.
#[derive(Default)]
struct Lengths {
    index: IndexSize,
    /// By article id (the index's rowid): its length plus one, 0 where not
    /// read yet. Ids are dense, so a list is smaller than a map; ids past
    /// `MOST_ROWS_KEPT` are read each time.
    by_row: Vec<u32>,
}

/// The highest article id whose length is kept, plus one (16 MiB at most).
const MOST_ROWS_KEPT: usize = 1 << 22;

impl Lengths {
    fn get(&self, index: IndexSize, row: i64) -> Option<c_int> {
        let kept = *self.by_row.get(usize::try_from(row).ok()?)?;
        (self.index == index && kept > 0)
            .then(|| c_int::try_from(kept - 1).ok())
            .flatten()
    }

    /// Keeps `row`'s length as a search of `index` read it; the lengths
    /// of another size of the index are dropped.
    fn keep(&mut self, index: IndexSize, row: i64, length: c_int) {
        let (Ok(row), Ok(length)) = (usize::try_from(row), u32::try_from(length)) else {
            return;
        };
        if row >= MOST_ROWS_KEPT || length == u32::MAX {
            return;
        }
        if self.index != index {
            self.index = index;
            self.by_row.clear();
        }
        if self.by_row.len() <= row {
            self.by_row.resize(row + 1, 0);
        }
        self.by_row[row] = length + 1;
    }
}

/// The entry point SQLite calls for each new connection: registers
/// `relevance` with the connection's FTS5. A failure fails the opening, so
/// no connection is left without it.
unsafe extern "C" fn add_relevance(
    db: *mut ffi::sqlite3,
    _error: *mut *mut c_char,
    _routines: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: SQLite hands a connection that is open and ours until we return.
    let api = match unsafe { fts5_api(db) } {
        Ok(api) => api,
        Err(code) => return code,
    };
    // SAFETY: as above; the name is a C string SQLite owns.
    let file = unsafe { ffi::sqlite3_db_filename(db, c"main".as_ptr()) };
    let file = (!file.is_null())
        // SAFETY: a non-null filename is a NUL-terminated string.
        .then(|| {
            unsafe { std::ffi::CStr::from_ptr(file) }
                .to_string_lossy()
                .into_owned()
        });
    let shared = Box::into_raw(Box::new(kept_for(file)));
    // SAFETY: `api` is the connection's live FTS5; it owns `shared` from
    // here and frees it with `drop_kept` when the connection closes.
    let code = unsafe {
        match (*api).xCreateFunction {
            Some(create) => create(
                api,
                c"relevance".as_ptr(),
                shared.cast(),
                Some(relevance),
                Some(drop_kept),
            ),
            None => ffi::SQLITE_ERROR,
        }
    };
    if code != ffi::SQLITE_OK {
        // SAFETY: FTS5 did not take it, so it is still ours alone.
        drop(unsafe { Box::from_raw(shared) });
    }
    code
}

/// The connection's FTS5 interface, which FTS5 hands out through a
/// pointer bound to `SELECT fts5(?)`.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> Result<*mut ffi::fts5_api, c_int> {
    let mut statement = ptr::null_mut();
    // SAFETY: `db` is open; the statement is finalized before returning.
    unsafe {
        let code = ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut statement,
            ptr::null_mut(),
        );
        if code != ffi::SQLITE_OK {
            return Err(code);
        }
        let mut api: *mut ffi::fts5_api = ptr::null_mut();
        ffi::sqlite3_bind_pointer(
            statement,
            1,
            (&raw mut api).cast(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(statement);
        ffi::sqlite3_finalize(statement);
        if api.is_null() {
            Err(ffi::SQLITE_ERROR)
        } else {
            Ok(api)
        }
    }
}

unsafe extern "C" fn drop_kept(shared: *mut c_void) {
    // SAFETY: the pointer `add_relevance` made with `Box::into_raw`, freed once.
    drop(unsafe { Box::from_raw(shared.cast::<Option<Arc<Kept>>>()) });
}

/// `relevance(index, last_is_prefix, weight…)`: bm25's score of the row (the
/// lower, the better), the weights given by column.
unsafe extern "C" fn relevance(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    count: c_int,
    values: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 calls with its interface, the row's context and `count`
    // arguments, all valid for this call.
    unsafe {
        let values = std::slice::from_raw_parts(values, usize::try_from(count).unwrap_or(0));
        let row = Row { api: &*api, fts };
        match row.score(values) {
            Ok(score) => ffi::sqlite3_result_double(context, score),
            Err(code) => ffi::sqlite3_result_error_code(context, code),
        }
    }
}

/// What one search computes once (FTS5 keeps it for the statement).
struct Search {
    /// Each phrase's inverse document frequency.
    rarity: Vec<f64>,
    average_length: f64,
    /// The index as the statement sees it.
    index: IndexSize,
}

/// The row FTS5 is ranking, through its extension interface.
struct Row<'a> {
    api: &'a ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
}

type Code = c_int;

/// Calls one of FTS5's functions, absent only in a version too old for it.
macro_rules! call {
    ($row:expr, $name:ident $(, $arg:expr)*) => {
        match $row.api.$name {
            // SAFETY: FTS5's own function, with the context it gave us.
            Some(function) => unsafe { function($row.fts $(, $arg)*) },
            None => return Err(ffi::SQLITE_ERROR),
        }
    };
}

/// An FTS5 return code as a result.
fn checked(code: c_int) -> Result<(), Code> {
    if code == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(code)
    }
}

impl Row<'_> {
    /// bm25 of this row, the lower the better, as FTS5's `bm25()` computes
    /// it.
    fn score(&self, values: &[*mut ffi::sqlite3_value]) -> Result<f64, Code> {
        let (last_is_prefix, weights) = values.split_first().ok_or(ffi::SQLITE_MISUSE)?;
        // SAFETY: an argument value FTS5 passed for this call.
        let last_is_prefix = unsafe { ffi::sqlite3_value_int(*last_is_prefix) } != 0;
        let search = self.search(last_is_prefix)?;
        let relative_length = f64::from(self.length(search.index)?) / search.average_length;
        let mut score = 0.0;
        for (phrase, rarity) in (0..).zip(&search.rarity) {
            let frequency = self.weighed_instances(phrase, weights)?;
            score += rarity * (frequency * (K1 + 1.0))
                / (frequency + K1 * (1.0 - B + B * relative_length));
        }
        Ok(-score)
    }

    /// Phrase `phrase`'s instances in this row, each counted at its
    /// column's weight. Walked in the phrase's own position list: the
    /// instances of every phrase at once (`xInst`) are merged and sorted
    /// for each row first, which was a sixth of the ranking's time.
    fn weighed_instances(
        &self,
        phrase: c_int,
        weights: &[*mut ffi::sqlite3_value],
    ) -> Result<f64, Code> {
        let mut instances = ffi::Fts5PhraseIter {
            a: ptr::null(),
            b: ptr::null(),
        };
        let (mut column, mut offset) = (0, 0);
        checked(call!(
            self,
            xPhraseFirst,
            phrase,
            &mut instances,
            &mut column,
            &mut offset
        ))?;
        let mut weighed = 0.0;
        while column >= 0 {
            weighed += usize::try_from(column)
                .ok()
                .and_then(|column| weights.get(column))
                // SAFETY: an argument value FTS5 passed for this call.
                .map_or(1.0, |value| unsafe { ffi::sqlite3_value_double(*value) });
            call!(self, xPhraseNext, &mut instances, &mut column, &mut offset);
        }
        Ok(weighed)
    }

    /// The search's figures, worked out at its first row and kept by FTS5
    /// for the others.
    fn search(&self, last_is_prefix: bool) -> Result<&Search, Code> {
        let kept = call!(self, xGetAuxdata, 0).cast::<Search>();
        if !kept.is_null() {
            // SAFETY: set below from a `Box<Search>`, alive as long as the
            // statement runs this search.
            return Ok(unsafe { &*kept });
        }
        let search = Box::into_raw(Box::new(self.figures(last_is_prefix)?));
        checked(call!(self, xSetAuxdata, search.cast(), Some(drop_search)))?;
        // SAFETY: FTS5 holds it now and frees it only after the statement.
        Ok(unsafe { &*search })
    }

    fn figures(&self, last_is_prefix: bool) -> Result<Search, Code> {
        let mut articles = 0;
        checked(call!(self, xRowCount, &mut articles))?;
        let mut tokens = 0;
        checked(call!(self, xColumnTotalSize, -1, &mut tokens))?;
        let phrases = call!(self, xPhraseCount);
        let counts = self.kept()?.map(|kept| &kept.counts);
        let rarity = (0..phrases)
            .map(|phrase| {
                let prefix = last_is_prefix && phrase == phrases - 1;
                let matching = self.matching(phrase, prefix, articles, counts)?;
                // bm25's IDF, kept above zero for a term most articles hold.
                let rarity = ((articles - matching) as f64 + 0.5) / (matching as f64 + 0.5);
                Ok(rarity.ln().max(1e-6))
            })
            .collect::<Result<_, Code>>()?;
        Ok(Search {
            rarity,
            average_length: tokens as f64 / articles.max(1) as f64,
            index: (articles, tokens),
        })
    }

    /// What this connection's database keeps, if it is a file.
    fn kept(&self) -> Result<Option<&Kept>, Code> {
        let shared = call!(self, xUserData).cast::<Option<Arc<Kept>>>();
        // SAFETY: the `Box` `add_relevance` gave FTS5, alive while the
        // connection is.
        Ok(unsafe { shared.as_ref() }.and_then(Option::as_deref))
    }

    /// This row's length in tokens: kept, or read from the index (and kept).
    fn length(&self, index: IndexSize) -> Result<c_int, Code> {
        let lengths = self.kept()?.map(|kept| &kept.lengths);
        let row = call!(self, xRowid);
        if let Some(length) = lengths.and_then(|lengths| lock(lengths).get(index, row)) {
            return Ok(length);
        }
        let mut length = 0;
        checked(call!(self, xColumnSize, -1, &mut length))?;
        if let Some(lengths) = lengths {
            lock(lengths).keep(index, row, length);
        }
        Ok(length)
    }

    /// How many articles hold phrase `phrase`: kept, or counted (and kept).
    fn matching(
        &self,
        phrase: c_int,
        prefix: bool,
        articles: i64,
        counts: Option<&Counts>,
    ) -> Result<i64, Code> {
        let key = self.phrase_key(phrase, prefix)?;
        if let Some(kept) = counts.and_then(|counts| lock(counts).get(&key).copied())
            && kept.holds_for(articles)
        {
            return Ok(kept.matching);
        }
        let mut matching: i64 = 0;
        checked(call!(
            self,
            xQueryPhrase,
            phrase,
            (&raw mut matching).cast(),
            Some(count_row)
        ))?;
        if let Some(counts) = counts {
            let mut counts = lock(counts);
            if counts.len() >= MAX_KEPT_TERMS {
                counts.clear();
            }
            counts.insert(
                key,
                Count {
                    matching,
                    articles,
                    when: Instant::now(),
                },
            );
        }
        Ok(matching)
    }

    /// A phrase's tokens as the query spells them, and whether it is a prefix.
    fn phrase_key(&self, phrase: c_int, prefix: bool) -> Result<String, Code> {
        let size = call!(self, xPhraseSize, phrase);
        let mut key = String::new();
        for token in 0..size {
            let (mut text, mut length): (*const c_char, c_int) = (ptr::null(), 0);
            checked(call!(
                self,
                xQueryToken,
                phrase,
                token,
                &mut text,
                &mut length
            ))?;
            if !text.is_null() {
                // SAFETY: FTS5 gives the token's `length` bytes at `text`.
                let bytes = unsafe {
                    std::slice::from_raw_parts(
                        text.cast::<u8>(),
                        usize::try_from(length).unwrap_or(0),
                    )
                };
                key.push_str(&String::from_utf8_lossy(bytes));
            }
            key.push(' ');
        }
        if prefix {
            key.push('*');
        }
        Ok(key)
    }
}

unsafe extern "C" fn count_row(
    _api: *const ffi::Fts5ExtensionApi,
    _fts: *mut ffi::Fts5Context,
    matching: *mut c_void,
) -> c_int {
    // SAFETY: the `i64` `matching` passed to xQueryPhrase, alive for the call.
    unsafe { *matching.cast::<i64>() += 1 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn drop_search(search: *mut c_void) {
    // SAFETY: the pointer `Row::search` made with `Box::into_raw`, freed once.
    drop(unsafe { Box::from_raw(search.cast::<Search>()) });
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::{Double, Text};

    use super::*;

    #[derive(QueryableByName)]
    struct Scores {
        #[diesel(sql_type = Double)]
        ours: f64,
        #[diesel(sql_type = Double)]
        fts5: f64,
    }

    /// A small index shaped as `articles_search`, with `rows` articles.
    fn index(url: &str, rows: usize) -> SqliteConnection {
        let mut conn = super::super::establish(url).unwrap();
        conn.batch_execute(
            "CREATE VIRTUAL TABLE articles_search USING fts5(title, summary, body, byline, \
             tokenize = 'unicode61 remove_diacritics 2')",
        )
        .unwrap();
        add_articles(&mut conn, 0..rows);
        conn
    }

    /// `index` of 30 articles in a file of a directory of its own.
    fn index_in_a_file() -> (tempfile::TempDir, SqliteConnection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = index(dir.path().join("a.db").to_str().unwrap(), 30);
        (dir, conn)
    }

    fn add_articles(conn: &mut SqliteConnection, numbers: std::ops::Range<usize>) {
        for n in numbers {
            let body = match n % 3 {
                0 => "Cải cách thủ tục hành chính tại tỉnh",
                1 => "Kế hoạch thực hiện cải cách",
                _ => "Thủ tục tiếp công dân",
            };
            diesel::sql_query("INSERT INTO articles_search VALUES (?, ?, ?, ?)")
                .bind::<Text, _>(format!("Tin số {n}"))
                .bind::<Text, _>(if n % 4 == 0 {
                    "hành chính công"
                } else {
                    "tin tức"
                })
                .bind::<Text, _>(body)
                .bind::<Text, _>("Sở Nội vụ")
                .execute(conn)
                .unwrap();
        }
    }

    /// Each match's `relevance` beside FTS5's own `bm25`.
    fn scores(conn: &mut SqliteConnection, q: &str) -> Vec<(f64, f64)> {
        let query = SearchQuery::parse(q).unwrap();
        diesel::sql_query(format!(
            "SELECT {} AS ours, bm25(articles_search, 10.0, 4.0, 1.0, 2.0) AS fts5 \
             FROM articles_search WHERE articles_search MATCH ? ORDER BY rowid",
            relevance_of(&query)
        ))
        .bind::<Text, _>(query.fts_expression())
        .load::<Scores>(conn)
        .unwrap()
        .into_iter()
        .map(|scores| (scores.ours, scores.fts5))
        .collect()
    }

    fn same_as_bm25(scores: &[(f64, f64)]) -> bool {
        !scores.is_empty()
            && scores
                .iter()
                .all(|(ours, fts5)| (ours - fts5).abs() <= 1e-12 * fts5.abs().max(1.0))
    }

    #[test]
    fn relevance_scores_every_match_as_bm25_does() {
        let (_dir, mut conn) = index_in_a_file();
        for q in [
            "cải cách",
            "cai cach",
            "thủ tục hành",
            "tin 7",
            "hanh ch",
            "Sở Nội vụ",
        ] {
            let scores = scores(&mut conn, q);
            assert!(same_as_bm25(&scores), "{q}: {scores:?}");
        }
    }

    #[test]
    fn a_terms_count_is_kept_until_the_number_of_articles_moves() {
        let (dir, mut conn) = index_in_a_file();
        assert!(same_as_bm25(&scores(&mut conn, "hành chính tỉnh")));
        // An edit moves the counts but not the number of articles: the
        // kept counts still rank.
        conn.batch_execute(
            "UPDATE articles_search SET summary = 'tin tức' WHERE summary = 'hành chính công'",
        )
        .unwrap();
        let kept = scores(&mut conn, "hành chính tỉnh");
        assert!(!same_as_bm25(&kept), "{kept:?}");
        // Another connection to the file shares them.
        let mut other = super::super::establish(dir.path().join("a.db").to_str().unwrap()).unwrap();
        assert_eq!(scores(&mut other, "hành chính tỉnh"), kept);
        add_articles(&mut conn, 30..31);
        assert!(same_as_bm25(&scores(&mut conn, "hành chính tỉnh")));
    }

    #[test]
    fn an_articles_length_is_read_anew_once_the_index_holds_more_or_fewer_tokens() {
        let (_dir, mut conn) = index_in_a_file();
        assert!(same_as_bm25(&scores(&mut conn, "cải cách")));
        // A match made longer, with words the search does not hold: the
        // terms' counts stand, the lengths kept by the first search do not.
        conn.batch_execute(
            "UPDATE articles_search SET body = body || ' và những việc khác của năm' \
             WHERE rowid = 2",
        )
        .unwrap();
        let after = scores(&mut conn, "cải cách");
        assert!(same_as_bm25(&after), "{after:?}");
    }

    #[test]
    fn lengths_kept_answer_only_for_the_index_they_were_read_from() {
        let mut lengths = Lengths::default();
        lengths.keep((30, 400), 7, 12);
        assert_eq!(lengths.get((30, 400), 7), Some(12));
        assert_eq!(lengths.get((30, 401), 7), None);
        assert_eq!(lengths.get((30, 400), 6), None);
        lengths.keep((30, 401), 6, 0);
        assert_eq!(lengths.get((30, 401), 6), Some(0));
        assert_eq!(
            lengths.get((30, 401), 7),
            None,
            "dropped with the old index"
        );
        lengths.keep((30, 401), MOST_ROWS_KEPT as i64, 5);
        assert_eq!(lengths.get((30, 401), MOST_ROWS_KEPT as i64), None);
        assert_eq!(lengths.by_row.len(), 7);
    }

    #[test]
    fn a_database_in_memory_counts_for_every_search() {
        let mut conn = index(":memory:", 30);
        assert!(same_as_bm25(&scores(&mut conn, "hành chính tỉnh")));
        conn.batch_execute(
            "UPDATE articles_search SET summary = 'tin tức' WHERE summary = 'hành chính công'",
        )
        .unwrap();
        assert!(same_as_bm25(&scores(&mut conn, "hành chính tỉnh")));
    }
}
