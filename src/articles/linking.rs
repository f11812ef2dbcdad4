//! An article's body with the numbers of the registered documents it cites
//! made links to their pages (`include=linked_body`), so a frontend shows
//! "Quyết định số <a>5359/QĐ-UBND</a>" without finding them itself.

use std::collections::HashMap;

use super::content::SafeHtml;
use crate::documents::extract::extract;

/// `body_html` (sanitised) with every mention of a number in `links` (a
/// canonical number and its page) wrapped in a link to that page. The
/// numbers are found in each run of text as the extractor finds them in
/// the article, in whatever form they were typed; text already inside a
/// link is left alone, and the result is sanitised again.
pub fn link_documents(body_html: &str, links: &HashMap<String, String>) -> String {
    if links.is_empty() {
        return body_html.to_owned();
    }
    let mut linked = String::with_capacity(body_html.len() + 64 * links.len());
    let mut inside_links = 0usize;
    for piece in pieces(body_html) {
        match piece {
            Piece::Tag(tag) => {
                inside_links = match link_tag(tag) {
                    Some(LinkTag::Opens) => inside_links + 1,
                    Some(LinkTag::Closes) => inside_links.saturating_sub(1),
                    None => inside_links,
                };
                linked.push_str(tag);
            }
            Piece::Text(text) if inside_links == 0 => push_linked_text(&mut linked, text, links),
            Piece::Text(text) => linked.push_str(text),
        }
    }
    SafeHtml::sanitise(&linked)
        .map_or_else(|_| body_html.to_owned(), |safe| safe.as_str().to_owned())
}

/// A run of serialised HTML: a tag (or comment), or the text between.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Tag(&'a str),
    Text(&'a str),
}

/// `html` cut into tags and text. The HTML is the sanitiser's own
/// serialisation: text has `<` escaped and attribute values are in double
/// quotes, so a tag ends at the first `>` outside quotes.
fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            pieces.push(Piece::Text(rest));
            break;
        };
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        let end = tag_end(&rest[start..]).map_or(rest.len(), |end| start + end);
        pieces.push(Piece::Tag(&rest[start..end]));
        rest = &rest[end..];
    }
    pieces
}

/// Where the tag `html` starts with ends (past its `>`).
fn tag_end(html: &str) -> Option<usize> {
    let mut quoted = false;
    for (at, c) in html.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return Some(at + 1),
            _ => {}
        }
    }
    None
}

enum LinkTag {
    Opens,
    Closes,
}

/// Whether `tag` opens or closes a link.
fn link_tag(tag: &str) -> Option<LinkTag> {
    let name: String = tag
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect();
    match name.to_ascii_lowercase().as_str() {
        "a" => Some(LinkTag::Opens),
        "/a" => Some(LinkTag::Closes),
        _ => None,
    }
}

/// `text` with each mention of a linked number wrapped in its link.
fn push_linked_text(linked: &mut String, text: &str, links: &HashMap<String, String>) {
    let mut mentions: Vec<(std::ops::Range<usize>, &str)> = extract(text)
        .into_iter()
        .filter_map(|reference| {
            let url = links.get(&reference.number.to_string())?;
            Some(
                reference
                    .occurrences
                    .into_iter()
                    .map(move |at| (at, url.as_str())),
            )
        })
        .flatten()
        .collect();
    mentions.sort_by_key(|(at, _)| at.start);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |char_at: usize| chars.get(char_at).map_or(text.len(), |(byte, _)| *byte);
    let mut written = 0;
    for (at, url) in mentions {
        let (start, end) = (byte_at(at.start), byte_at(at.end));
        if start < written {
            continue;
        }
        linked.push_str(&text[written..start]);
        linked.push_str(&format!(
            "<a href=\"{}\">{}</a>",
            crate::text::escape_html(url),
            &text[start..end]
        ));
        written = end;
    }
    linked.push_str(&text[written..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> HashMap<String, String> {
        HashMap::from([(
            "5359/QĐ-UBND".to_owned(),
            "https://example.gov.vn/van-ban/1".to_owned(),
        )])
    }

    #[test]
    fn each_mention_of_a_registered_number_becomes_a_link() {
        let body = "<p>Quyết định số 5359/QĐ-UBND ngày 31/12/2021 và <b>5359/QĐ-UBND</b>; \
                    Kế hoạch số 19/KH-UBND</p>";
        let linked = link_documents(body, &links());
        assert_eq!(
            linked.matches(r#"<a href="https://example.gov.vn/van-ban/1" rel="noopener noreferrer">5359/QĐ-UBND</a>"#).count(),
            2,
            "{linked}"
        );
        assert!(
            linked.contains("Kế hoạch số 19/KH-UBND"),
            "unregistered: {linked}"
        );
    }

    #[test]
    fn a_number_already_in_a_link_or_in_an_attribute_is_left_alone() {
        let body = r#"<p><a href="https://x.vn/" rel="noopener noreferrer">5359/QĐ-UBND</a> <img src="a.png" alt="5359/QĐ-UBND &gt; x"></p>"#;
        assert_eq!(link_documents(body, &links()), body);
    }

    #[test]
    fn html_is_cut_into_tags_and_text() {
        assert_eq!(
            pieces(r#"a<b title="x>y">c</b>"#),
            [
                Piece::Text("a"),
                Piece::Tag(r#"<b title="x>y">"#),
                Piece::Text("c"),
                Piece::Tag("</b>")
            ]
        );
    }
}
