//! Plain text from HTML, for search and summaries.

/// The text of an HTML fragment: tags dropped (a word boundary where each
/// stood), entities decoded, white space collapsed.
pub fn html_to_text(html: &str) -> String {
    // ammonia with nothing allowed keeps only the text, still escaped; a
    // space before each tag keeps `<p>a</p><p>b</p>` from becoming "ab".
    let spaced = html.replace('<', " <");
    let escaped = ammonia::Builder::empty().clean(&spaced).to_string();
    let text = unescape(&escaped);
    // Control and private-use characters carry nothing readable, and the
    // search marks its matches with private-use ones.
    let readable: String = text
        .chars()
        .filter(|c| !(c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(c)) || c.is_whitespace())
        .collect();
    readable.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text as HTML that shows it, markup-like text and all.
pub fn escape_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        push_escaped(&mut html, c);
    }
    html
}

/// Appends `c` to `html` as HTML text.
pub fn push_escaped(html: &mut String, c: char) {
    match c {
        '&' => html.push_str("&amp;"),
        '<' => html.push_str("&lt;"),
        '>' => html.push_str("&gt;"),
        '"' => html.push_str("&quot;"),
        '\'' => html.push_str("&#39;"),
        _ => html.push(c),
    }
}

/// The entities ammonia's serializer writes (it escapes nothing else).
fn unescape(escaped: &str) -> String {
    escaped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Trimmed, `min` to `max` characters, no control characters: a line of
/// text as a field takes it (a title, a name).
pub fn bounded_line(input: &str, min: usize, max: usize) -> Result<String, String> {
    let text = input.trim();
    let chars = text.chars().count();
    if chars < min || chars > max || text.chars().any(char::is_control) {
        return Err(format!(
            "must be {min} to {max} characters, without control characters"
        ));
    }
    Ok(text.to_owned())
}

/// An absolute http(s) URL with a host, no whitespace, at most 2000 characters.
pub fn parse_http_url(value: &str) -> Result<&str, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let host = rest.and_then(|rest| rest.split(['/', '?', '#']).next());
    let fits = value.chars().count() <= 2000
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    match host {
        Some(host) if !host.is_empty() && fits => Ok(value),
        _ => Err(format!(
            "`{value}` is not an absolute http(s) URL such as https://api.sonoivu.gov.vn"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_words_stay_apart() {
        assert_eq!(
            html_to_text("<p>Kế hoạch</p><p>số 130</p>"),
            "Kế hoạch số 130"
        );
        assert_eq!(
            html_to_text("Bình <strong>Định</strong><br>2022"),
            "Bình Định 2022"
        );
    }

    #[test]
    fn control_and_private_use_characters_are_dropped() {
        assert_eq!(html_to_text("a\u{0}b\u{E000}c\u{1}\td"), "abc d");
    }

    #[test]
    fn scripts_vanish_and_entities_decode_once() {
        let html = "<script>alert(1)</script><p>A &amp; B &lt;tag&gt; &amp;lt;</p>";
        assert_eq!(html_to_text(html), "A & B <tag> &lt;");
    }
}
