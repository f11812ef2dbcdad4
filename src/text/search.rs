//! Vietnamese-aware search: the query folded the way the index is, and
//! snippets cut from the original text around the matches.
//!
//! The indexes (see the `article_search` and `document_registry` migrations) holds the text with đ/Đ
//! replaced by d/D; its tokenizer folds case and every other mark. Queries
//! get the same replacement here, so `quyet dinh`, `Quyết định` and `QUYET
//! DINH` are one search.

/// đ and Đ as the index has them; the tokenizer folds the rest.
pub fn fold(text: &str) -> String {
    text.replace('đ', "d").replace('Đ', "D")
}

/// A parsed `q`: its terms, folded, all required; the last one also as
/// the start of a word, for search as you type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    terms: Vec<String>,
    /// Each term as `match_key` folds a word: what snippets mark.
    keys: Vec<String>,
    /// Whether the last term matches every word it begins (`hanh chin`
    /// finds "hành chính").
    last_is_prefix: bool,
}

impl SearchQuery {
    const MAX_TERMS: usize = 32;

    /// The shortest last term matched as a prefix. A single letter begins
    /// too many words to be worth it: the index keeps the prefixes of two
    /// to seven letters (the search_word_prefixes migration), and without
    /// one FTS5 reads every word of that letter (about 110 ms on 10,000
    /// articles).
    pub const MIN_PREFIX_CHARS: usize = 2;

    /// Every run of letters, digits and combining marks is a term (as the
    /// tokenizer splits the index); anything else, FTS5 syntax included, only
    /// separates terms. The first `MAX_TERMS` count; with none, `q` asks
    /// for nothing (blank, or punctuation only) and is `None`.
    pub fn parse(q: &str) -> Option<Self> {
        let folded = fold(q);
        let terms: Vec<String> = folded
            .split(|c: char| !is_in_a_token(c))
            .filter(|term| !term.is_empty())
            .take(Self::MAX_TERMS)
            .map(str::to_owned)
            .collect();
        if terms.is_empty() {
            return None;
        }
        let keys = terms.iter().map(|term| match_key(term)).collect();
        let last_is_prefix = terms
            .last()
            .is_some_and(|last| last.chars().count() >= Self::MIN_PREFIX_CHARS);
        Some(Self {
            terms,
            keys,
            last_is_prefix,
        })
    }

    /// The FTS5 expression requiring every term: each quoted, so nothing in
    /// a term is syntax (terms hold only letters, digits and marks), the
    /// last one starred when it matches as a prefix.
    pub fn fts_expression(&self) -> String {
        self.spelled(|term| format!("\"{term}\""), "*", " ")
    }

    /// Whether the last term matches every word it begins.
    pub fn last_is_prefix(&self) -> bool {
        self.last_is_prefix
    }

    /// The words the query matches whole, and the start of the words its
    /// last term matches as a prefix (when it does; at least
    /// `MIN_PREFIX_CHARS` characters), folded as `indexed_words` folds a
    /// text's: what a write must have changed to change its matches.
    pub fn words_matched(&self) -> (&[String], Option<&str>) {
        match self.keys.split_last() {
            Some((last, whole)) if self.last_is_prefix => (whole, Some(last.as_str())),
            _ => (&self.keys, None),
        }
    }

    /// The `tsquery` requiring every term, for PostgreSQL's `to_tsquery`:
    /// each a quoted lexeme (terms hold no quote), the last one marked
    /// `:*` when it matches as a prefix.
    pub fn tsquery(&self) -> String {
        self.spelled(|term| format!("'{term}'"), ":*", " & ")
    }

    /// The terms each quoted by `quote`, the last followed by `prefix_mark`
    /// when it matches as a prefix, joined by `and`.
    fn spelled(&self, quote: impl Fn(&str) -> String, prefix_mark: &str, and: &str) -> String {
        let mut spelled: Vec<String> = self.terms.iter().map(|term| quote(term)).collect();
        if let Some(last) = spelled.last_mut().filter(|_| self.last_is_prefix) {
            last.push_str(prefix_mark);
        }
        spelled.join(and)
    }

    /// About the bytes its terms hold.
    pub fn held(&self) -> usize {
        (self.terms.iter().chain(&self.keys))
            .map(|term| std::mem::size_of::<String>() + term.len())
            .sum()
    }

    #[cfg(test)]
    fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Which of the terms `folded` (a token of a text, as `match_key`
    /// folds it) is, as the index compares them: whatever its case and
    /// marks. Bit `i` stands for term `i`; none, 0.
    ///
    /// The first letters are compared before the words: most words of a
    /// text differ there, and comparing whole ones (a call to `memcmp`
    /// each) was a good part of a snippet's cost.
    fn terms_in(&self, folded: &str) -> Terms {
        let first = folded.as_bytes().first();
        let last = self.keys.len() - 1;
        self.keys
            .iter()
            .enumerate()
            .filter(|(_, key)| key.as_bytes().first() == first)
            .filter(|&(i, key)| {
                key == folded
                    || (i == last && self.last_is_prefix && folded.starts_with(key.as_str()))
            })
            .fold(0, |terms, (i, _)| terms | 1 << i)
    }

    /// The first letters the terms begin with, as `terms_in` spells them:
    /// a token beginning otherwise is none of them.
    fn first_letters(&self) -> [bool; 256] {
        let mut first = [false; 256];
        for key in &self.keys {
            if let Some(&letter) = key.as_bytes().first() {
                first[usize::from(letter)] = true;
            }
        }
        first
    }

    /// Every term, as `terms_in` spells them.
    fn every_term(&self) -> Terms {
        Terms::MAX >> (Terms::BITS as usize - self.keys.len())
    }
}

/// A set of a query's terms, bit `i` for term `i` (a query has at most
/// `SearchQuery::MAX_TERMS`).
type Terms = u32;
const _: () = assert!(SearchQuery::MAX_TERMS <= Terms::BITS as usize);

/// Whether `c` belongs to a token, as the index's tokenizer splits text:
/// letters, digits and marks.
fn is_in_a_token(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Marks typed apart from their letters (text in NFD, as word processors paste it).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The words of `text` as the full-text index splits and folds them (each
/// as `match_key` folds a word), in order, repeats included.
pub fn indexed_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if !push_token_char(&mut word, c) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A word folded as the full-text index folds it (unicode61 with
/// `remove_diacritics 2`, and đ/Đ as d): lower case, Latin letters without
/// their marks. Letters of other scripts keep theirs (the index does not
/// turn Cyrillic into Latin, so neither may the marks).
fn match_key(word: &str) -> String {
    let mut key = String::with_capacity(word.len());
    for c in word.chars() {
        push_folded(&mut key, c);
    }
    key
}

/// Appends `c` to `key` as `match_key` folds it.
fn push_folded(key: &mut String, c: char) {
    match fast_fold(c) {
        Some(Class::Token(ascii)) => key.push(char::from(ascii)),
        _ => push_folded_slowly(key, c),
    }
}

/// `push_folded` for any character: its script, then its transliteration.
fn push_folded_slowly(key: &mut String, c: char) {
    use unicode_script::{Script, UnicodeScript};
    let latin = matches!(
        c.script(),
        Script::Latin | Script::Common | Script::Inherited
    );
    match deunicode::deunicode_char(c).filter(|_| latin) {
        Some(ascii) => key.extend(ascii.chars().map(|c| c.to_ascii_lowercase())),
        None => key.extend(c.to_lowercase()),
    }
}

/// Whether `c` belongs to a token, as the index's tokenizer splits text;
/// if it does, appends it to `key` as `match_key` folds it.
#[inline]
fn push_token_char(key: &mut String, c: char) -> bool {
    match fast_fold(c) {
        Some(Class::Token(ascii)) => key.push(char::from(ascii)),
        Some(Class::Separator) => return false,
        None if is_in_a_token(c) => push_folded_slowly(key, c),
        None => return false,
    }
    true
}

/// What a character is to the tokenizer, when that is known cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a token, folding to this one lower-case ASCII letter or digit.
    Token(u8),
    Separator,
}

/// The first code points and the Latin Extended Additional block (U+1E00 to
/// U+1EFF): where Vietnamese text lives.
const FIRST_BLOCKS: u32 = 0x250;
const EXTENDED_ADDITIONAL: std::ops::Range<u32> = 0x1E00..0x1F00;

/// How the characters of Vietnamese text fold, worked out once: looking up
/// a character's script and transliteration is most of a snippet's cost.
/// `None` for those whose fold is not a single ASCII character.
static LATIN_CLASSES: std::sync::LazyLock<Vec<Option<Class>>> = std::sync::LazyLock::new(|| {
    (0..FIRST_BLOCKS)
        .chain(EXTENDED_ADDITIONAL)
        .map(|code| {
            let c = char::from_u32(code)?;
            if !is_in_a_token(c) {
                return Some(Class::Separator);
            }
            let mut folded = String::new();
            push_folded_slowly(&mut folded, c);
            match folded.as_bytes() {
                [ascii] if ascii.is_ascii_alphanumeric() => Some(Class::Token(*ascii)),
                _ => None,
            }
        })
        .collect()
});

/// `is_in_a_token`, from the table where it covers `c`.
#[inline]
fn is_token_char(c: char) -> bool {
    match fast_fold(c) {
        Some(class) => class != Class::Separator,
        None => is_in_a_token(c),
    }
}

/// `c`'s class from the table, for the characters it covers.
#[inline]
fn fast_fold(c: char) -> Option<Class> {
    let code = u32::from(c);
    if c.is_ascii() {
        return Some(if c.is_ascii_alphanumeric() {
            Class::Token(c.to_ascii_lowercase() as u8)
        } else {
            Class::Separator
        });
    }
    let index = if code < FIRST_BLOCKS {
        code
    } else if EXTENDED_ADDITIONAL.contains(&code) {
        FIRST_BLOCKS + code - EXTENDED_ADDITIONAL.start
    } else {
        return None;
    };
    LATIN_CLASSES[index as usize]
}

/// How many words a snippet shows before its first match, and in all.
const WORDS_BEFORE: usize = 8;
const WORDS_IN_ALL: usize = 30;
/// How many words a snippet's window holds from its first match on.
const WORDS_FROM_MATCH: usize = WORDS_IN_ALL - WORDS_BEFORE;
/// How far into a text a snippet looks, in characters (about a thousand
/// words: most articles whole): the work per search hit stays bounded
/// however long an article is. A match past this is still
/// found by the search; its snippet then comes from the summary or title
/// when they hold a term, and is absent otherwise.
pub const SNIPPET_SCAN_CHARS: usize = 6_000;

/// An HTML snippet of `text`, matches in `<mark>`, the rest escaped, of
/// `WORDS_IN_ALL` words from `WORDS_BEFORE` before a match: the first
/// match from which every one of `query`'s terms shows within
/// `WORDS_FROM_MATCH` words, or, when none is within the first
/// `SNIPPET_SCAN_CHARS` characters, the one from which the most of them
/// show (then the most matches); `None` when no term is there.
pub fn snippet(text: &str, query: &SearchQuery) -> Option<String> {
    let scanned = Scanned::of(text, query);
    let best = scanned
        .first_cover
        .or_else(|| fullest_window(&scanned.words))?;
    let (first, last) = shown_around(best, scanned.words.len());
    let (start, end) = (scanned.words[first].start, scanned.words[last].end);
    let mut html = String::with_capacity(end - start + 64);
    if start > 0 {
        html.push('…');
    }
    let mut matches = scanned.matches.iter().peekable();
    let mut open = false;
    for (at, c) in text[start..end].char_indices() {
        let at = start + at;
        while matches.next_if(|found| found.end <= at).is_some() {}
        let hit = matches.peek().is_some_and(|found| found.start <= at);
        if hit != open {
            html.push_str(if hit { "<mark>" } else { "</mark>" });
            open = hit;
        }
        crate::text::push_escaped(&mut html, c);
    }
    if open {
        html.push_str("</mark>");
    }
    // More text follows, scanned or past the scan.
    if end < text.len() {
        html.push('…');
    }
    Some(html)
}

/// What a snippet needs of a text, found in one pass over its start: each
/// character is decoded and folded once (snippets were 13 % of a search's
/// time at 10,000 articles). The pass ends with the first window holding
/// every term, or after `SNIPPET_SCAN_CHARS` characters: at 100,000
/// articles snippets were a third of a search's time, most of it reading
/// on past such a window for a denser one. Positions are byte offsets into
/// the text.
struct Scanned {
    /// The words (runs of anything but white space), in order.
    words: Vec<Word>,
    /// The tokens matching one of the query's terms, in order.
    matches: Vec<std::ops::Range<usize>>,
    /// The first word of the first window holding every term, if one does.
    first_cover: Option<usize>,
}

impl Scanned {
    fn of(text: &str, query: &SearchQuery) -> Self {
        let mut scanned = Scanned {
            words: Vec::new(),
            matches: Vec::new(),
            first_cover: None,
        };
        let mut cover = Cover::of(query);
        let first_letters = query.first_letters();
        // Where the word and the token being read began, and the token
        // folded: one buffer for every token, no allocation per word. A
        // token whose first letter begins no term is read on unfolded
        // (`skipping`): most of a text's tokens, and folding them was most
        // of a snippet's cost.
        let (mut word, mut token) = (None, None);
        let mut skipping = false;
        let mut word_terms: Terms = 0;
        let mut folded = String::new();
        // Where the scan stops, in bytes and in words.
        let (mut end, mut last_word) = (text.len(), usize::MAX);
        let mut close_token =
            |token: &mut Option<usize>, skipping: &mut bool, at, folded: &mut String| {
                let Some(start) = token.take() else {
                    return 0;
                };
                let terms = match std::mem::take(skipping) {
                    true => 0,
                    false => query.terms_in(folded),
                };
                if terms != 0 {
                    scanned.matches.push(start..at);
                }
                folded.clear();
                terms
            };
        for (read, (at, c)) in text.char_indices().enumerate() {
            if read == SNIPPET_SCAN_CHARS {
                end = at;
                break;
            }
            let unfolded = folded.is_empty();
            let in_token = match skipping {
                true => is_token_char(c),
                false => push_token_char(&mut folded, c),
            };
            if in_token {
                token.get_or_insert(at);
                // Its first letter, once one folded (a mark alone folds to
                // none).
                if let (true, Some(&letter)) = (unfolded, folded.as_bytes().first()) {
                    skipping = !first_letters[usize::from(letter)];
                }
            } else {
                word_terms |= close_token(&mut token, &mut skipping, at, &mut folded);
            }
            if !c.is_whitespace() {
                word.get_or_insert(at);
            } else if let Some(start) = word.take() {
                let terms = std::mem::take(&mut word_terms);
                let index = scanned.words.len();
                scanned.words.push(Word {
                    start,
                    end: at,
                    terms,
                });
                if scanned.first_cover.is_none() {
                    scanned.first_cover = cover.holds_every_term(index, terms);
                    if let Some(best) = scanned.first_cover {
                        last_word = shown_around(best, usize::MAX).1;
                    }
                }
                if index >= last_word {
                    end = at;
                    break;
                }
            }
        }
        word_terms |= close_token(&mut token, &mut skipping, end, &mut folded);
        if let Some(start) = word {
            scanned.words.push(Word {
                start,
                end,
                terms: word_terms,
            });
        }
        scanned
    }
}

/// A word of the text: where it starts and ends, and the query's terms its
/// tokens are.
struct Word {
    start: usize,
    end: usize,
    terms: Terms,
}

/// Where in a text, in words, each of a query's terms was last seen: when
/// a window holds them all.
struct Cover {
    every_term: Terms,
    seen: Terms,
    last_seen: [usize; Terms::BITS as usize],
}

impl Cover {
    fn of(query: &SearchQuery) -> Self {
        Self {
            every_term: query.every_term(),
            seen: 0,
            last_seen: [0; Terms::BITS as usize],
        }
    }

    /// Notes that word `index` (the latest read) is `terms`; where the
    /// window beginning at a match and holding every term, if one now
    /// does, begins.
    fn holds_every_term(&mut self, index: usize, terms: Terms) -> Option<usize> {
        if terms == 0 {
            return None;
        }
        self.seen |= terms;
        for term in each_of(terms) {
            self.last_seen[term] = index;
        }
        if self.seen != self.every_term {
            return None;
        }
        let earliest = each_of(self.every_term)
            .map(|term| self.last_seen[term])
            .min()?;
        (index - earliest < WORDS_FROM_MATCH).then_some(earliest)
    }
}

/// The numbers of the terms in `terms`.
fn each_of(terms: Terms) -> impl Iterator<Item = usize> {
    (0..Terms::BITS as usize).filter(move |&term| terms & 1 << term != 0)
}

/// The first match of the window of `WORDS_FROM_MATCH` words from a
/// match on holding the most terms, then the most matches (the earliest of
/// equals).
fn fullest_window(words: &[Word]) -> Option<usize> {
    (0..words.len())
        .filter(|&i| words[i].terms != 0)
        .max_by_key(|&i| {
            let window = &words[i..(i + WORDS_FROM_MATCH).min(words.len())];
            let terms = window.iter().fold(0, |terms, word| terms | word.terms);
            let matches = window.iter().filter(|word| word.terms != 0).count();
            // max_by_key keeps the last of equals; prefer the earliest.
            (terms.count_ones(), matches, std::cmp::Reverse(i))
        })
}

/// The first and last word a snippet shows around the window beginning at
/// word `best`, in a text of `words` words: `WORDS_BEFORE` before it, and
/// `WORDS_IN_ALL` in all.
fn shown_around(best: usize, words: usize) -> (usize, usize) {
    let first = best.saturating_sub(WORDS_BEFORE);
    (first, (first + WORDS_IN_ALL).min(words) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_texts_words_fold_as_the_words_a_query_matches() {
        assert_eq!(
            indexed_words("Ban biên tập: Đắk Lắk, 5359/QĐ-UBND"),
            ["ban", "bien", "tap", "dak", "lak", "5359", "qd", "ubnd"]
        );
        let typed = SearchQuery::parse("Quyết ĐỊNH hành").expect("three terms");
        let whole: &[String] = &["quyet".into(), "dinh".into()];
        assert_eq!(typed.words_matched(), (whole, Some("hanh")));
        let short = SearchQuery::parse("đắk a").expect("two terms");
        let both: &[String] = &["dak".into(), "a".into()];
        assert_eq!(
            short.words_matched(),
            (both, None),
            "one letter matches whole"
        );
    }

    #[test]
    fn the_table_folds_every_character_it_covers_as_the_slow_way_does() {
        for code in (0..FIRST_BLOCKS).chain(EXTENDED_ADDITIONAL) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut slowly = String::new();
            push_folded_slowly(&mut slowly, c);
            let mut quickly = String::new();
            push_folded(&mut quickly, c);
            assert_eq!(quickly, slowly, "{c:?}");
            let mut token = String::new();
            let is_token = is_in_a_token(c);
            assert_eq!(is_token_char(c), is_token, "{c:?}");
            assert_eq!(push_token_char(&mut token, c), is_token, "{c:?}");
            assert_eq!(
                token,
                if is_token { slowly } else { String::new() },
                "{c:?}"
            );
        }
    }

    #[test]
    fn queries_are_folded_words() {
        assert_eq!(
            SearchQuery::parse("Quyết định 5359/QĐ-UBND")
                .unwrap()
                .terms(),
            ["Quyết", "dịnh", "5359", "QD", "UBND"]
        );
        assert_eq!(
            SearchQuery::parse("binh dinh").unwrap().terms(),
            ["binh", "dinh"]
        );
    }

    #[test]
    fn fts_syntax_in_a_query_is_only_words() {
        let query = SearchQuery::parse(r#"title:x OR "y" NEAR(z) *"#).unwrap();
        assert_eq!(query.terms(), ["title", "x", "OR", "y", "NEAR", "z"]);
    }

    #[test]
    fn decomposed_queries_keep_their_words_whole() {
        let nfd = "Bi\u{0300}nh";
        assert_eq!(SearchQuery::parse(nfd).unwrap().terms(), [nfd]);
    }

    #[test]
    fn a_query_without_words_or_with_too_many_is_refused() {
        assert!(SearchQuery::parse(" -- !! ").is_none());
        assert_eq!(
            SearchQuery::parse(&"từ ".repeat(33)).unwrap().terms().len(),
            32
        );
    }

    #[test]
    fn the_last_term_of_two_letters_or_more_is_also_a_prefix() {
        let typed = SearchQuery::parse("hành chín").unwrap();
        assert_eq!(typed.fts_expression(), r#""hành" "chín"*"#);
        assert_eq!(typed.tsquery(), "'hành' & 'chín':*");
        assert_eq!(typed.terms_in("chinh"), 0b10);
        assert_eq!(typed.terms_in("hanh"), 0b01);
        assert_eq!(
            typed.terms_in("hanhchinh"),
            0,
            "earlier terms are whole words"
        );
        assert_eq!(typed.every_term(), 0b11);
        let one_letter = SearchQuery::parse("hành c").unwrap();
        assert_eq!(one_letter.fts_expression(), r#""hành" "c""#);
        assert_eq!(one_letter.terms_in("chinh"), 0);
    }

    fn query(q: &str) -> SearchQuery {
        SearchQuery::parse(q).unwrap()
    }

    /// Every token of `text` a term of `query` matches, each folded whole.
    fn every_match(text: &str, query: &SearchQuery) -> Vec<std::ops::Range<usize>> {
        let (mut found, mut folded, mut start) = (Vec::new(), String::new(), None);
        // A separator after the last character closes the last token.
        for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
            if push_token_char(&mut folded, c) {
                start.get_or_insert(at);
            } else if let Some(start) = start.take() {
                if query.terms_in(&folded) != 0 {
                    found.push(start..at);
                }
                folded.clear();
            }
        }
        found
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Tokens whose first letter begins no term are read unfolded.
        #[test]
        fn the_scan_finds_every_token_a_term_matches(
            text in "[abcdđĐáàâÂ\u{0301}\u{0302} /.-]{0,60}",
            words in "[abđá]{1,3}( [abđá]{1,3}){0,2}",
        ) {
            let Some(query) = SearchQuery::parse(&words) else {
                return Ok(());
            };
            let scanned = Scanned::of(&text, &query);
            let read_to = scanned.words.last().map_or(0, |word| word.end);
            let mut expected = every_match(&text, &query);
            expected.retain(|found| found.start < read_to);
            proptest::prop_assert_eq!(scanned.matches, expected);
        }
    }

    #[test]
    fn snippets_show_the_original_letters_around_the_match() {
        let original = "Tỉnh Bình Định ban hành Quyết định số 5359";
        assert_eq!(
            snippet(original, &query("binh dinh")).unwrap(),
            "Tỉnh <mark>Bình</mark> <mark>Định</mark> ban hành Quyết <mark>định</mark> số 5359"
        );
    }

    #[test]
    fn decomposed_text_matches_as_composed() {
        let nfd = "Quye\u{0302}\u{0301}t \u{0111}i\u{0323}nh";
        assert_eq!(
            snippet(nfd, &query("quyết định")).unwrap(),
            format!("<mark>Quye\u{0302}\u{0301}t</mark> <mark>\u{0111}i\u{0323}nh</mark>")
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match_and_escaped() {
        let original = format!(
            "{} a<b & \"kế hoạch\" {}",
            "mở đầu ".repeat(20),
            "kết thúc ".repeat(40)
        );
        let cut = snippet(&original, &query("hoach")).unwrap();
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(
            cut.contains("a&lt;b &amp; &quot;kế <mark>hoạch</mark>&quot;"),
            "{cut}"
        );
        assert!(cut.split_whitespace().count() <= WORDS_IN_ALL + 1);
    }

    #[test]
    fn the_snippet_goes_where_every_term_shows_not_where_one_repeats() {
        let filler = "chữ ".repeat(50);
        for (text, far_off) in [
            (
                format!("Quyết định số 1. {filler} Tỉnh Bình Định đẹp."),
                "Quyết",
            ),
            (
                format!("Định hướng, định mức, quyết định. {filler} Tỉnh Bình Định."),
                "hướng",
            ),
        ] {
            let cut = snippet(&text, &query("Bình Định")).unwrap();
            assert!(cut.contains("<mark>Bình</mark> <mark>Định</mark>"), "{cut}");
            assert!(!cut.contains(far_off), "{cut}");
        }
    }

    #[test]
    fn the_first_window_showing_every_term_is_the_snippet() {
        let original = format!(
            "Cải cách hành chính. {} Cải cách, cải cách và cải cách.",
            "chữ ".repeat(50)
        );
        let cut = snippet(&original, &query("cai cach")).unwrap();
        assert!(
            cut.starts_with("<mark>Cải</mark> <mark>cách</mark> hành chính. chữ"),
            "{cut}"
        );
        assert_eq!(cut.split_whitespace().count(), WORDS_IN_ALL, "{cut}");
        assert!(cut.ends_with('…'), "{cut}");
    }

    #[test]
    fn a_word_repeated_in_the_query_is_one_match() {
        let query = query("định định");
        assert_eq!(query.terms_in("dinh"), 0b11, "one word, both terms");
        assert_eq!(
            snippet("Quyết định số 12", &query).unwrap(),
            "Quyết <mark>định</mark> số 12"
        );
    }

    #[test]
    fn only_the_start_of_a_long_text_is_looked_through() {
        let long = format!("{}cải cách", "chữ ".repeat(SNIPPET_SCAN_CHARS));
        assert_eq!(snippet(&long, &query("cai cach")), None);
        let early = format!("cải cách {}", "chữ ".repeat(SNIPPET_SCAN_CHARS));
        let cut = snippet(&early, &query("cai cach")).unwrap();
        assert!(
            cut.starts_with("<mark>cải</mark> <mark>cách</mark>") && cut.ends_with('…'),
            "{cut}"
        );
    }

    #[test]
    fn only_the_matching_part_of_a_word_is_marked() {
        assert_eq!(
            snippet("Theo văn bản 5359/QĐ-UBND.", &query("qd")).unwrap(),
            "Theo văn bản 5359/<mark>QĐ</mark>-UBND."
        );
    }

    #[test]
    fn no_match_no_snippet() {
        assert_eq!(snippet("không có gì", &query("cải cách")), None);
    }
}
