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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    const MIN_PREFIX_CHARS: usize = 2;

    /// Every run of letters, digits and combining marks is a term (as the
    /// tokenizer splits the index); anything else, FTS5 syntax included, only
    /// separates terms. The first `MAX_TERMS` count; with none, `q` asks
    /// for nothing (blank, or punctuation only) and is `None`.
    pub fn parse(q: &str) -> Option<Self> {
        let folded = fold(q);
        let terms: Vec<String> = folded
            .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
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

    #[cfg(test)]
    fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Whether `word` (a token of a text) is one of the terms, as the index
    /// compares them: whatever its case and marks.
    ///
    /// The first letters are compared before the words: most words of a
    /// text differ there, and comparing whole ones (a call to `memcmp`
    /// each) was a good part of a snippet's cost.
    fn matches(&self, folded: &str) -> bool {
        let first = folded.as_bytes().first();
        let begins_alike = |key: &&String| key.as_bytes().first() == first;
        let prefix = self.keys.last().filter(|_| self.last_is_prefix);
        self.keys
            .iter()
            .filter(begins_alike)
            .any(|key| key == folded)
            || prefix
                .filter(begins_alike)
                .is_some_and(|prefix| folded.starts_with(prefix.as_str()))
    }
}

/// Marks typed apart from their letters (text in NFD, as word processors paste it).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
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
fn push_token_char(key: &mut String, c: char) -> bool {
    match fast_fold(c) {
        Some(Class::Token(ascii)) => key.push(char::from(ascii)),
        Some(Class::Separator) => return false,
        None if c.is_alphanumeric() || is_combining_mark(c) => push_folded_slowly(key, c),
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
            if !(c.is_alphanumeric() || is_combining_mark(c)) {
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

/// `c`'s class from the table, for the characters it covers.
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
/// How far into a text a snippet looks, in characters (about a thousand
/// words: most articles whole): the work per search hit stays bounded
/// however long an article is. A match past this is still
/// found by the search; its snippet then comes from the summary or title
/// when they hold a term, and is absent otherwise.
pub const SNIPPET_SCAN_CHARS: usize = 6_000;

/// An HTML snippet of `text` where `query`'s terms are densest within its
/// first `SNIPPET_SCAN_CHARS` characters, matches in `<mark>`, the rest
/// escaped; `None` when no term is there.
pub fn snippet(text: &str, query: &SearchQuery) -> Option<String> {
    let scanned = Scanned::of(text, query);
    let (first, last) = densest_window(&scanned.words)?;
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

/// What a snippet needs of a text, found in one pass over its first
/// `SNIPPET_SCAN_CHARS` characters: each character is decoded and folded
/// once (snippets were 13 % of a search's time at 10,000 articles).
/// Positions are byte offsets into the text.
struct Scanned {
    /// The words (runs of anything but white space), in order.
    words: Vec<Word>,
    /// The tokens matching one of the query's terms, in order.
    matches: Vec<std::ops::Range<usize>>,
}

impl Scanned {
    fn of(text: &str, query: &SearchQuery) -> Self {
        let mut scanned = Scanned {
            words: Vec::new(),
            matches: Vec::new(),
        };
        // Where the word and the token being read began, and the token
        // folded: one buffer for every token, no allocation per word.
        let (mut word, mut token) = (None, None);
        let mut word_hit = false;
        let mut folded = String::new();
        // Where the scan stops.
        let mut end = text.len();
        let mut close_token = |token: &mut Option<usize>, at: usize, folded: &mut String| {
            let Some(start) = token.take() else {
                return false;
            };
            let hit = query.matches(folded);
            if hit {
                scanned.matches.push(start..at);
            }
            folded.clear();
            hit
        };
        for (read, (at, c)) in text.char_indices().enumerate() {
            if read == SNIPPET_SCAN_CHARS {
                end = at;
                break;
            }
            if push_token_char(&mut folded, c) {
                token.get_or_insert(at);
            } else {
                word_hit |= close_token(&mut token, at, &mut folded);
            }
            if !c.is_whitespace() {
                word.get_or_insert(at);
            } else if let Some(start) = word.take() {
                scanned.words.push(Word {
                    start,
                    end: at,
                    hit: std::mem::take(&mut word_hit),
                });
            }
        }
        word_hit |= close_token(&mut token, end, &mut folded);
        if let Some(start) = word {
            scanned.words.push(Word {
                start,
                end,
                hit: word_hit,
            });
        }
        scanned
    }
}

/// A word of the text: where it starts and ends, and whether a token in it
/// matched.
struct Word {
    start: usize,
    end: usize,
    hit: bool,
}

/// The first and last word of the snippet: the window of `WORDS_IN_ALL`
/// words holding the most matches (the earliest of equals), opening
/// `WORDS_BEFORE` words before its first match.
fn densest_window(words: &[Word]) -> Option<(usize, usize)> {
    let span = WORDS_IN_ALL - WORDS_BEFORE;
    let best = (0..words.len())
        .filter(|&i| words[i].hit)
        .max_by_key(|&i| {
            let hits = words[i..(i + span).min(words.len())]
                .iter()
                .filter(|w| w.hit)
                .count();
            // max_by_key keeps the last of equals; prefer the earliest.
            (hits, std::cmp::Reverse(i))
        })?;
    let first = best.saturating_sub(WORDS_BEFORE);
    let last = (first + WORDS_IN_ALL).min(words.len()) - 1;
    Some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let is_token = c.is_alphanumeric() || is_combining_mark(c);
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
        assert!(typed.matches("chinh") && typed.matches("hanh"));
        assert!(!typed.matches("hanhchinh"), "earlier terms are whole words");
        let one_letter = SearchQuery::parse("hành c").unwrap();
        assert_eq!(one_letter.fts_expression(), r#""hành" "c""#);
        assert!(!one_letter.matches("chinh"));
    }

    fn query(q: &str) -> SearchQuery {
        SearchQuery::parse(q).unwrap()
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
    fn the_snippet_goes_where_the_matches_are_densest() {
        let original = format!("Quyết định số 1. {} Tỉnh Bình Định đẹp.", "chữ ".repeat(50));
        let cut = snippet(&original, &query("Bình Định")).unwrap();
        assert!(cut.contains("<mark>Bình</mark> <mark>Định</mark>"), "{cut}");
        assert!(!cut.contains("Quyết"), "{cut}");
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
