//! What a comment may say: plain text, bounded, with few links. Markup is
//! kept as the reader typed it and always returned as text, never as HTML.

/// A comment's words, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

pub const MAX_CHARS: usize = 2000;
pub const MAX_LINKS: usize = 2;

impl CommentBody {
    /// Trimmed, line breaks as `\n`, 1 to `MAX_CHARS` characters, no control
    /// characters but line breaks and tabs, at most `MAX_LINKS` links.
    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err("must not be empty".into());
        }
        if chars > MAX_CHARS {
            return Err(format!("must be at most {MAX_CHARS} characters"));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err("must not hold control characters".into());
        }
        if links_in(text) > MAX_LINKS {
            return Err(format!("may hold at most {MAX_LINKS} links"));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
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
    fn empty_long_controlled_and_linky_bodies_are_refused() {
        assert!(CommentBody::parse(" \n ").is_err());
        assert!(CommentBody::parse(&"a".repeat(MAX_CHARS + 1)).is_err());
        assert!(
            CommentBody::parse(&"ạ".repeat(MAX_CHARS)).is_ok(),
            "characters, not bytes"
        );
        assert!(CommentBody::parse("xin chào\u{0}").is_err());
        assert!(CommentBody::parse("a\u{1b}[31m").is_err());
        assert!(CommentBody::parse("https://www.a.vn và http://b.vn").is_ok());
        assert!(CommentBody::parse("www.a.vn, https://b.vn, http://c.vn").is_err());
    }
}
