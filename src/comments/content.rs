//! What a comment may say: plain text, bounded, with few links. Markup is
//! kept as the reader typed it and always returned as text, never as HTML.

/// A comment's words, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

pub const MAX_CHARS: usize = 2000;
/// Past this many links a comment waits for an editor, whoever wrote it.
pub const MAX_LINKS: usize = 2;

crate::schema_of!(
    CommentBody,
    crate::text::text_schema(
        1,
        MAX_CHARS,
        r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F"
    ),
    "Cảm ơn Sở đã thông tin kịp thời."
);

impl CommentBody {
    /// 1 to `MAX_CHARS` characters, not all white space, no control
    /// characters but line breaks and tabs; kept trimmed, line breaks as `\n`.
    pub fn parse(input: &str) -> Result<Self, String> {
        if input.chars().count() > MAX_CHARS {
            return Err(format!("must be at most {MAX_CHARS} characters"));
        }
        let text = input.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if text.is_empty() {
            return Err("must not be empty".into());
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err("must not hold control characters".into());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it holds more than `MAX_LINKS` links: spam, often.
    pub fn is_link_heavy(&self) -> bool {
        links_in(&self.0) > MAX_LINKS
    }
}

/// How many links a text holds: web addresses written out or starting `www.`.
fn links_in(text: &str) -> usize {
    let lower = text.to_lowercase();
    ["http://", "https://", "www."]
        .iter()
        .map(|start| lower.matches(start).count())
        .sum::<usize>()
        // `https://www.…` is one link, not two.
        .saturating_sub(lower.matches("://www.").count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_stays_text_and_line_breaks_are_kept() {
        let body = CommentBody::parse("  <script>alert(1)</script>\r\nRất hay!  ").unwrap();
        assert_eq!(body.as_str(), "<script>alert(1)</script>\nRất hay!");
    }

    #[test]
    fn empty_long_and_controlled_bodies_are_refused() {
        assert!(CommentBody::parse(" \n ").is_err());
        assert!(CommentBody::parse(&"a".repeat(MAX_CHARS + 1)).is_err());
        assert!(
            CommentBody::parse(&"ạ".repeat(MAX_CHARS)).is_ok(),
            "characters, not bytes"
        );
        assert!(CommentBody::parse("xin chào\u{0}").is_err());
        assert!(CommentBody::parse("a\u{1b}[31m").is_err());
    }

    #[test]
    fn three_links_make_a_comment_link_heavy() {
        let two = CommentBody::parse("https://www.a.vn và http://b.vn").unwrap();
        assert!(!two.is_link_heavy());
        let three = CommentBody::parse("www.a.vn, https://b.vn, http://c.vn").unwrap();
        assert!(three.is_link_heavy());
    }
}
