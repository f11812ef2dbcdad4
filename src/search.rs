//! Vietnamese-aware search: the query folded the way the index is, and
//! snippets cut from the original text around the matches.
//!
//! The indexes (see the `article_search` and `document_registry` migrations) holds the text with đ/Đ
//! replaced by d/D; its tokenizer folds case and every other mark. Queries
//! get the same replacement here, so `quyet dinh`, `Quyết định` and `QUYET
//! DINH` are one search.

use crate::error::ApiError;

/// Marks FTS5's `highlight()` puts around matches: private-use characters,
/// which no article contains.
pub const MATCH_START: char = '\u{E000}';
pub const MATCH_END: char = '\u{E001}';

/// đ and Đ as the index has them; the tokenizer folds the rest.
pub fn fold(text: &str) -> String {
    text.replace('đ', "d").replace('Đ', "D")
}

/// A parsed `q`: its terms, folded, all required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery(Vec<String>);

impl SearchQuery {
    const MAX_TERMS: usize = 32;

    /// Every run of letters, digits and combining marks is a term (as the
    /// tokenizer splits the index); anything else, FTS5 syntax included, only
    /// separates terms.
    pub fn parse(q: &str) -> Result<Self, ApiError> {
        let folded = fold(q);
        let terms: Vec<String> = folded
            .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
            .filter(|term| !term.is_empty())
            .map(str::to_owned)
            .collect();
        if terms.is_empty() {
            return Err(ApiError::validation(
                "q",
                "has no letters or digits to search for",
            ));
        }
        if terms.len() > Self::MAX_TERMS {
            return Err(ApiError::validation(
                "q",
                format!("has more than {} words", Self::MAX_TERMS),
            ));
        }
        Ok(Self(terms))
    }

    /// The FTS5 expression requiring every term: each quoted, so nothing in
    /// a term is syntax (terms hold only letters, digits and marks).
    pub fn fts_expression(&self) -> String {
        self.0
            .iter()
            .map(|term| format!("\"{}\"", term.replace('"', "")))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[cfg(test)]
    fn terms(&self) -> &[String] {
        &self.0
    }
}

/// Marks typed apart from their letters (text in NFD, as word processors paste it).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// How many words a snippet shows before its first match, and in all.
const WORDS_BEFORE: usize = 8;
const WORDS_IN_ALL: usize = 30;

/// An HTML snippet of `original` where its matches are densest, matches
/// in `<mark>`, the rest escaped; `None` when nothing in it matched.
///
/// `highlighted` is the folded copy of `original` as `highlight()` returned
/// it. Folding replaces one character with one, so outside the marks the two
/// walk in step, and the marks can be laid on the original text.
pub fn snippet(original: &str, highlighted: &str) -> Option<String> {
    let unmarked = highlighted
        .chars()
        .filter(|c| !matches!(*c, MATCH_START | MATCH_END));
    if unmarked.count() != original.chars().count() {
        // Not the same text (it changed between the reads): no marks rather than wrong ones.
        return None;
    }
    let mut marked = Vec::with_capacity(original.len());
    let mut chars = original.chars();
    let mut inside = false;
    for c in highlighted.chars() {
        match c {
            MATCH_START => inside = true,
            MATCH_END => inside = false,
            _ => marked.push((chars.next()?, inside)),
        }
    }
    let words = words(&marked);
    let (first, last) = densest_window(&words)?;
    let (start, end) = (words[first].start, words[last].end);
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    let mut open = false;
    for (c, hit) in &marked[start..end] {
        if *hit != open {
            html.push_str(if *hit { "<mark>" } else { "</mark>" });
            open = *hit;
        }
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            _ => html.push(*c),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    if end < marked.len() {
        html.push('…');
    }
    Some(html)
}

/// A word of the text: where it starts and ends, and whether it matched.
struct Word {
    start: usize,
    end: usize,
    hit: bool,
}

fn words(text: &[(char, bool)]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i].0.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut hit = false;
        while i < text.len() && !text[i].0.is_whitespace() {
            hit |= text[i].1;
            i += 1;
        }
        words.push(Word { start, end: i, hit });
    }
    words
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
        assert!(SearchQuery::parse(" -- !! ").is_err());
        assert!(SearchQuery::parse(&"từ ".repeat(33)).is_err());
    }

    fn highlight(folded: &str, word: &str) -> String {
        folded.replace(word, &format!("{MATCH_START}{word}{MATCH_END}"))
    }

    #[test]
    fn snippets_show_the_original_letters_around_the_match() {
        let original = "Tỉnh Bình Định ban hành Quyết định số 5359";
        // The index marks the folded word; the tokenizer matched it tone-blind.
        let highlighted = highlight(&fold(original), "Dịnh");
        assert_eq!(
            snippet(original, &highlighted).unwrap(),
            "Tỉnh Bình <mark>Định</mark> ban hành Quyết định số 5359"
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match_and_escaped() {
        let original = format!(
            "{} a<b & \"kế hoạch\" {}",
            "mở đầu ".repeat(20),
            "kết thúc ".repeat(40)
        );
        let highlighted = highlight(&fold(&original), "hoạch");
        let cut = snippet(&original, &highlighted).unwrap();
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
        let folded = fold(&original);
        let highlighted = highlight(&highlight(&folded, "Dịnh"), "Bình");
        let cut = snippet(&original, &highlighted).unwrap();
        assert!(cut.contains("<mark>Bình</mark> <mark>Định</mark>"), "{cut}");
        assert!(!cut.contains("Quyết"), "{cut}");
    }

    #[test]
    fn no_match_no_snippet() {
        assert_eq!(snippet("không có gì", "không có gì"), None);
    }
}
