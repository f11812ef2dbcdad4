//! An article's content as written: parsed once, sanitised, and trusted
//! afterwards.

use crate::text::bounded_line;

/// 1 to 300 characters, trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

crate::schema_of!(
    Title,
    crate::text::line_schema(1, Title::MAX_CHARS),
    "Kết quả cải cách hành chính năm 2022"
);

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

crate::schema_of!(
    SafeHtml,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(SafeHtml::MAX_CHARS))
        .build(),
    "<p>Trong năm 2022, công tác cải cách hành chính của tỉnh…</p>"
);

impl SafeHtml {
    const MAX_CHARS: usize = 512 * 1024;

    pub fn sanitise(input: &str) -> Result<Self, String> {
        if input.chars().count() > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        Ok(Self(ammonia::clean(input)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The words of `body_text` (words separated by single spaces, as
/// `text::html_to_text` leaves them; the word_counts migration counts
/// stored articles the same way).
pub fn word_count(body_text: &str) -> i32 {
    let words = if body_text.is_empty() {
        0
    } else {
        body_text.split(' ').count()
    };
    i32::try_from(words).unwrap_or(i32::MAX)
}

/// Minutes to read `words` words at 200 a minute, rounded up.
pub fn reading_minutes(words: i32) -> i32 {
    const WORDS_A_MINUTE: i32 = 200;
    (words.max(0) + WORDS_A_MINUTE - 1) / WORDS_A_MINUTE
}

/// What tags are compared by: tags match whatever their case.
pub fn tag_key(tag: &str) -> String {
    tag.trim().to_lowercase()
}

/// Free-text tags: at most 20, each 1 to 50 characters, no duplicates
/// (whatever their case; the first spelling is kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tags(Vec<String>);

impl utoipa::PartialSchema for Tags {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ArrayBuilder::new()
            .items(crate::text::line_schema(1, Self::MAX_TAG_CHARS))
            .max_items(Some(Self::MAX_TAGS))
            .examples([serde_json::json!(["cải cách hành chính", "2022"])])
            .into()
    }
}
impl utoipa::ToSchema for Tags {}

impl Tags {
    const MAX_TAGS: usize = 20;
    const MAX_TAG_CHARS: usize = 50;

    pub fn parse(input: &[String]) -> Result<Self, String> {
        if input.len() > Self::MAX_TAGS {
            return Err(format!("at most {} tags", Self::MAX_TAGS));
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in input {
            let tag =
                bounded_line(tag, 1, Self::MAX_TAG_CHARS).map_err(|e| format!("each tag {e}"))?;
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

/// An image's address: an absolute http(s) URL ([`crate::text::HttpUrl`]).
pub fn parse_image_url(input: &str) -> Result<String, String> {
    crate::text::parse_http_url(input).map(str::to_owned)
}

/// A summary as sent: at most 1000 characters, of which the text is kept
/// (markup dropped); the body's opening words when it has none.
pub struct Summary;

crate::schema_of!(
    Summary,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(Summary::MAX_CHARS))
        .build(),
    "Năm 2022, tỉnh hoàn thành 95% chỉ tiêu cải cách hành chính."
);

impl Summary {
    const MAX_CHARS: usize = 1000;
}

/// A summary as given (its text only), or the body's opening words.
pub fn summary_of(given: Option<&str>, body_text: &str) -> Result<String, String> {
    const DERIVED_CHARS: usize = 200;
    if given.is_some_and(|given| given.chars().count() > Summary::MAX_CHARS) {
        return Err(format!("must be at most {} characters", Summary::MAX_CHARS));
    }
    match given
        .map(crate::text::html_to_text)
        .filter(|s| !s.is_empty())
    {
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

/// Who wrote an article, as printed under it: a line of at most 200
/// characters, trimmed (may be empty).
pub struct Byline;

crate::schema_of!(
    Byline,
    crate::text::line_schema(0, Byline::MAX_CHARS),
    "Phòng CCHC-VTLT"
);

impl Byline {
    const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<String, String> {
        bounded_line(input, 0, Self::MAX_CHARS)
    }
}

/// The title search engines and social previews show, when it should
/// differ from the headline: a line of 1 to 200 characters.
pub struct MetaTitle;

crate::schema_of!(
    MetaTitle,
    crate::text::line_schema(1, MetaTitle::MAX_CHARS),
    "Kế hoạch cải cách hành chính năm 2027 của tỉnh Bình Định"
);

impl MetaTitle {
    const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<String, String> {
        bounded_line(input, 1, Self::MAX_CHARS)
    }
}

/// The description search engines and social previews show: a line of 1
/// to 500 characters.
pub struct MetaDescription;

crate::schema_of!(
    MetaDescription,
    crate::text::line_schema(1, MetaDescription::MAX_CHARS),
    "Các nhiệm vụ trọng tâm về cải cách hành chính của tỉnh trong năm 2027."
);

impl MetaDescription {
    const MAX_CHARS: usize = 500;
    /// How much of the summary stands in for a description not given: what
    /// search results show of one.
    const FROM_SUMMARY_CHARS: usize = 160;

    pub fn parse(input: &str) -> Result<String, String> {
        bounded_line(input, 1, Self::MAX_CHARS)
    }

    /// The description given, else the summary's opening words.
    pub fn or_summary(given: Option<String>, summary: &str) -> String {
        given.unwrap_or_else(|| opening(summary, Self::FROM_SUMMARY_CHARS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_not_given_is_the_summary_cut_between_words() {
        assert_eq!(
            MetaDescription::or_summary(Some("Mô tả".into()), "Tóm tắt"),
            "Mô tả"
        );
        assert_eq!(
            MetaDescription::or_summary(None, "Tóm tắt ngắn"),
            "Tóm tắt ngắn"
        );
        let long = vec!["chữ"; 100].join(" ");
        let cut = MetaDescription::or_summary(None, &long);
        assert!(cut.ends_with("chữ…") && cut.chars().count() <= 161, "{cut}");
    }

    #[test]
    fn reading_time_is_whole_minutes_at_two_hundred_words() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("một"), 1);
        assert_eq!(word_count(&vec!["từ"; 201].join(" ")), 201);
        assert_eq!(reading_minutes(0), 0);
        assert_eq!(reading_minutes(1), 1);
        assert_eq!(reading_minutes(200), 1);
        assert_eq!(reading_minutes(201), 2);
    }

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
