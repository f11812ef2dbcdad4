//! An article's content as written: parsed once, sanitised, and trusted
//! afterwards.

use crate::text::bounded_line;

/// 1 to 300 characters, trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    const MAX_CHARS: usize = 300;

    pub fn parse(input: &str) -> Result<Self, String> {
        bounded_line(input, 1, Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Safe HTML: an allowlist of tags and attributes (ammonia's), so scripts,
/// event handlers and `javascript:` URLs are gone, and links get
/// `rel="noopener noreferrer"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    const MAX_BYTES: usize = 512 * 1024;

    pub fn sanitise(input: &str) -> Result<Self, String> {
        if input.len() > Self::MAX_BYTES {
            return Err(format!("must be at most {} KiB", Self::MAX_BYTES / 1024));
        }
        Ok(Self(ammonia::clean(input)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What tags are compared by: tags match whatever their case.
pub fn tag_key(tag: &str) -> String {
    tag.trim().to_lowercase()
}

/// Free-text tags: at most 20, each 1 to 50 characters, no duplicates
/// (whatever their case; the first spelling is kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags(Vec<String>);

impl Tags {
    const MAX_TAGS: usize = 20;

    pub fn parse(input: &[String]) -> Result<Self, String> {
        if input.len() > Self::MAX_TAGS {
            return Err(format!("at most {} tags", Self::MAX_TAGS));
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in input {
            let tag = bounded_line(tag, 1, 50).map_err(|e| format!("each tag {e}"))?;
            if !tags.iter().any(|kept| tag_key(kept) == tag_key(&tag)) {
                tags.push(tag);
            }
        }
        Ok(Self(tags))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// An absolute http(s) URL.
pub fn parse_image_url(input: &str) -> Result<String, String> {
    let url = input.trim();
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    if !absolute || url.len() > 2048 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must be an absolute http(s) URL of at most 2048 characters".into());
    }
    Ok(url.to_owned())
}

/// A summary as given (its text only), or the body's opening words.
pub fn summary_of(given: Option<&str>, body_text: &str) -> Result<String, String> {
    const MAX_CHARS: usize = 1000;
    const DERIVED_CHARS: usize = 200;
    match given
        .map(crate::text::html_to_text)
        .filter(|s| !s.is_empty())
    {
        Some(summary) if summary.chars().count() > MAX_CHARS => {
            Err(format!("must be at most {MAX_CHARS} characters"))
        }
        Some(summary) => Ok(summary),
        None => Ok(opening(body_text, DERIVED_CHARS)),
    }
}

/// The first words of `text` within `max` characters, "…" when cut.
fn opening(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The byline, trimmed, at most 200 characters (may be empty).
pub fn parse_byline(input: &str) -> Result<String, String> {
    bounded_line(input, 0, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let dirty = r#"<p onclick="x()">Tin <script>alert(1)</script><a href="javascript:alert(2)">xem</a><img src="a.png" onerror="alert(3)"></p>"#;
        let clean = SafeHtml::sanitise(dirty).unwrap();
        for gone in ["script", "onclick", "javascript:", "onerror", "alert"] {
            assert!(
                !clean.as_str().contains(gone),
                "{gone} in {}",
                clean.as_str()
            );
        }
        assert!(clean.as_str().contains("<p>Tin "), "{}", clean.as_str());
        assert!(
            clean.as_str().contains(r#"<img src="a.png">"#),
            "{}",
            clean.as_str()
        );
    }

    #[test]
    fn links_are_kept_with_noopener() {
        let clean = SafeHtml::sanitise(r#"<a href="https://binhdinh.gov.vn">Cổng</a>"#).unwrap();
        assert!(
            clean.as_str().contains(r#"rel="noopener noreferrer""#),
            "{}",
            clean.as_str()
        );
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        let tags = Tags::parse(&[" CCHC ".into(), "cchc".into(), "Bình Định".into()]).unwrap();
        assert_eq!(tags.as_slice(), ["CCHC", "Bình Định"]);
        assert!(Tags::parse(&["".into()]).is_err());
        assert!(Tags::parse(&vec!["t".into(); 21]).is_err());
    }

    #[test]
    fn a_missing_summary_is_the_opening_of_the_body() {
        let body =
            "Tham mưu UBND tỉnh ban hành các văn bản chỉ đạo về đẩy mạnh cải cách hành chính, "
                .repeat(5);
        let summary = summary_of(None, &body).unwrap();
        assert!(
            summary.ends_with('…') && summary.chars().count() <= 201,
            "{summary}"
        );
        assert_eq!(
            summary_of(Some("<b>Tóm tắt</b>"), &body).unwrap(),
            "Tóm tắt"
        );
        assert_eq!(summary_of(Some("  "), "ngắn").unwrap(), "ngắn");
    }

    #[test]
    fn titles_and_image_urls_are_checked() {
        assert!(Title::parse("  Tin mới ").is_ok());
        assert!(Title::parse("").is_err() && Title::parse(&"a".repeat(301)).is_err());
        assert!(parse_image_url("https://a.vn/x.png").is_ok());
        assert!(parse_image_url("javascript:alert(1)").is_err());
    }
}
