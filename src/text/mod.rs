//! Text as the service reads and writes it: plain text from HTML (for
//! search and summaries), slugs, language tags and Vietnamese-aware search
//! terms.

pub mod lang;
pub mod search;
pub mod slug;

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

/// `text`, or `None` when it is empty: an answer shows an empty value as
/// `null`, never `""`.
pub fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
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

/// `min` to `max` characters, no control characters, and with `min` above
/// 0 something besides white space: a line of text as a field takes it (a
/// title, a name), trimmed. The rule is [`line_schema`]'s, so that what the
/// document allows is what is taken.
pub fn bounded_line(input: &str, min: usize, max: usize) -> Result<String, String> {
    let chars = input.chars().count();
    let text = input.trim();
    if chars < min
        || chars > max
        || (min > 0 && text.is_empty())
        || input.chars().any(char::is_control)
    {
        return Err(format!(
            "must be {min} to {max} characters, without control characters"
        ));
    }
    Ok(text.to_owned())
}

/// Characters Rust counts as control (Unicode's Cc), as a JSON Schema
/// character class range: what a line may not hold.
pub const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";

/// The JSON Schema of a line [`bounded_line`] takes.
pub fn line_schema(min: usize, max: usize) -> utoipa::openapi::Object {
    text_schema(min, max, CONTROL)
}

/// The JSON Schema of a text of `min` to `max` characters holding none of
/// `forbidden` (a character class range), with `min` above 0 something
/// besides white space.
pub fn text_schema(min: usize, max: usize, forbidden: &str) -> utoipa::openapi::Object {
    let pattern = if min > 0 {
        // Something neither control nor white space as `str::trim` sees it.
        format!("^[^{forbidden}]*[^{BLANK_OR_CONTROL}][^{forbidden}]*$")
    } else {
        format!("^[^{forbidden}]*$")
    };
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .min_length((min > 0).then_some(min))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .build()
}

/// Gives a type the JSON Schema of the input it is parsed from, a named
/// component with an example:
/// `schema_of!(Title, line_schema(1, 300), "Kết quả cải cách hành chính")`.
#[macro_export]
macro_rules! schema_of {
    ($type:ty, $schema:expr, $example:expr) => {
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let mut schema: utoipa::openapi::Object = $schema;
                schema.examples = vec![serde_json::json!($example)];
                schema.into()
            }
        }
        impl utoipa::ToSchema for $type {}
    };
}

/// The JSON Schema of what [`parse_http_url`] takes.
pub struct HttpUrl;

/// Control characters and white space (as `str::trim` and
/// `char::is_whitespace` see it), as a character class range.
pub const BLANK_OR_CONTROL: &str =
    r"\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

crate::schema_of!(
    HttpUrl,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(HttpUrl::MAX_CHARS))
        .pattern(Some(format!(
            "^https?://[^/?#@{BLANK_OR_CONTROL}]+([/?#][^{BLANK_OR_CONTROL}]*)?$"
        )))
        .build(),
    "https://sonoivu.binhdinh.gov.vn/uploads/cchc.jpg"
);

impl HttpUrl {
    const MAX_CHARS: usize = 2000;
}

/// An absolute http(s) URL with a host (no credentials), no whitespace, at
/// most 2000 characters.
pub fn parse_http_url(value: &str) -> Result<&str, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let host = rest.and_then(|rest| rest.split(['/', '?', '#']).next());
    let fits = value.chars().count() <= HttpUrl::MAX_CHARS
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    // No `user:password@`: a URL we store or show carries no credentials.
    match host {
        Some(host) if !host.is_empty() && !host.contains('@') && fits => Ok(value),
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
