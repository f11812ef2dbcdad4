//! URL slugs: `TIN NỔI BẬT CỦA PHÒNG` → `tin-noi-bat-cua-phong`.

use crate::text::lang::Lang;
use std::fmt;

/// Lower-case ASCII letters and digits in hyphen-separated runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SlugError {
    #[error("must be 1 to {} characters long", Slug::MAX_LEN)]
    Length,
    #[error("may hold only a-z, 0-9 and single hyphens between them")]
    Characters,
    #[error("has no letter or digit to build a slug from")]
    NothingToKeep,
    #[error("must hold a letter: digits alone would read as an id")]
    OnlyDigits,
}

crate::schema_of!(
    Slug,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .max_length(Some(Slug::MAX_LEN))
        // Runs of a-z and 0-9 joined by single hyphens, not digits alone.
        .pattern(Some("^([a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+(-[a-z0-9]+)+)$"))
        .build(),
    "cai-cach-hanh-chinh"
);

impl Slug {
    pub const MAX_LEN: usize = 120;

    /// Parses a slug sent by a client: it must already be in canonical form.
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        if input.is_empty() || input.len() > Self::MAX_LEN {
            return Err(SlugError::Length);
        }
        if input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SlugError::OnlyDigits);
        }
        let canonical = input.split('-').all(|run| {
            !run.is_empty()
                && run
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if canonical {
            Ok(Self(input.to_owned()))
        } else {
            Err(SlugError::Characters)
        }
    }

    /// Builds a slug from a title in any script: Vietnamese tone and vowel
    /// marks are dropped and đ/Đ become d (deunicode transliterates the
    /// rest); the result is cut at a hyphen to fit [`Slug::MAX_LEN`].
    pub fn from_title(title: &str) -> Result<Self, SlugError> {
        let ascii = deunicode::deunicode(title).to_ascii_lowercase();
        let runs: Vec<&str> = ascii
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|run| !run.is_empty())
            .collect();
        let mut slug = String::new();
        for run in runs {
            let separator = usize::from(!slug.is_empty());
            if slug.len() + separator + run.len() > Self::MAX_LEN {
                break;
            }
            if separator == 1 {
                slug.push('-');
            }
            slug.push_str(run);
        }
        if slug.is_empty() {
            // Either nothing alphanumeric, or a first word longer than the limit.
            let first = ascii
                .split(|c: char| !c.is_ascii_alphanumeric())
                .find(|r| !r.is_empty());
            slug = first.ok_or(SlugError::NothingToKeep)?[..Self::MAX_LEN].to_owned();
        }
        if slug.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SlugError::OnlyDigits);
        }
        Ok(Self(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A slug from the title, or when it gives none (no letter or digit, or
    /// digits alone: `!!!`, `2024`), one from `kind` and the title
    /// (`bai-viet`, `bai-viet-2024`): a valid name always gets a slug.
    pub fn from_title_or(title: &str, kind: &str) -> Slug {
        Self::from_title(title)
            .or_else(|_| Self::from_title(&format!("{kind} {title}")))
            .unwrap_or_else(|_| Self(kind.to_owned()))
    }

    /// This slug, or it suffixed `-2`, `-3`, … past those `taken` says are
    /// in use; `None` when the first `tries` are all taken.
    pub fn first_free<E>(
        &self,
        tries: u32,
        mut taken: impl FnMut(&str) -> Result<bool, E>,
    ) -> Result<Option<Slug>, E> {
        for n in 1..=tries {
            let candidate = if n == 1 {
                self.clone()
            } else {
                self.with_suffix(n)
            };
            if !taken(candidate.as_str())? {
                return Ok(Some(candidate));
            }
        }
        Ok(None)
    }

    /// This slug with `-n` appended (to tell it from one taken), cut at a
    /// hyphen first if it would pass the maximum length.
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let room = Self::MAX_LEN - suffix.len();
        let mut base = self.0.as_str();
        while base.len() > room {
            base = base
                .rsplit_once('-')
                .map_or(&base[..room], |(head, _)| head);
        }
        Self(format!("{base}{suffix}"))
    }
}

/// How a client names a resource in a path: by id (digits) or by slug
/// (which always holds a letter, so the two never overlap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdOrSlug {
    Id(i32),
    Slug(Slug),
}

impl IdOrSlug {
    /// `None` when the input can name nothing (it is then a 404, not a 422).
    pub fn parse(input: &str) -> Option<Self> {
        if !input.is_empty() && input.bytes().all(|b| b.is_ascii_digit()) {
            return input.parse().ok().map(IdOrSlug::Id);
        }
        Slug::parse(input).ok().map(IdOrSlug::Slug)
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A slug within its language, where articles, categories and pages are
/// named: `(lang, slug)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlugPlace<'a> {
    pub lang: &'a str,
    pub slug: &'a str,
}

impl<'a> SlugPlace<'a> {
    /// Where a resource at `self` will be after a change that may send a
    /// language or a slug; `None` when it stays (a place other than its own
    /// must then be free).
    pub fn moved_to(self, lang: Option<&'a Lang>, slug: Option<&'a Slug>) -> Option<Self> {
        let after = Self {
            lang: lang.map_or(self.lang, Lang::as_str),
            slug: slug.map_or(self.slug, Slug::as_str),
        };
        (after != self).then_some(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_moves_only_when_its_language_or_slug_changes() {
        let here = SlugPlace {
            lang: "vi",
            slug: "gioi-thieu",
        };
        let (vi, en) = (Lang::parse("vi").unwrap(), Lang::parse("en").unwrap());
        let same = Slug::parse("gioi-thieu").unwrap();
        let other = Slug::parse("lien-he").unwrap();
        assert_eq!(here.moved_to(None, None), None);
        assert_eq!(here.moved_to(Some(&vi), Some(&same)), None);
        assert_eq!(
            here.moved_to(Some(&en), None),
            Some(SlugPlace {
                lang: "en",
                slug: "gioi-thieu"
            })
        );
        assert_eq!(
            here.moved_to(None, Some(&other)),
            Some(SlugPlace {
                lang: "vi",
                slug: "lien-he"
            })
        );
    }

    #[test]
    fn a_title_with_no_slug_of_its_own_gets_one_of_its_kind() {
        assert_eq!(Slug::from_title_or("!!!", "bai-viet").as_str(), "bai-viet");
        assert_eq!(
            Slug::from_title_or("2025", "bai-viet").as_str(),
            "bai-viet-2025"
        );
        assert_eq!(
            Slug::from_title_or("Tin mới", "bai-viet").as_str(),
            "tin-moi"
        );
    }

    #[test]
    fn vietnamese_titles_lose_their_marks_and_d_stroke() {
        let slug = Slug::from_title("Tin nổi bật của Phòng").unwrap();
        assert_eq!(slug.as_str(), "tin-noi-bat-cua-phong");
        let slug = Slug::from_title("TIN NỔI BẬT CỦA PHÒNG CẢI CÁCH HÀNH CHÍNH").unwrap();
        assert_eq!(slug.as_str(), "tin-noi-bat-cua-phong-cai-cach-hanh-chinh");
        assert_eq!(
            Slug::from_title("Đề án Bình Định").unwrap().as_str(),
            "de-an-binh-dinh"
        );
    }

    #[test]
    fn decomposed_text_from_word_processors_folds_the_same() {
        // "Định" with the combining marks separate (NFD).
        let decomposed = "D\u{0323}i\u{0300}nh";
        assert_eq!(Slug::from_title(decomposed).unwrap().as_str(), "dinh");
    }

    #[test]
    fn punctuation_collapses_to_single_hyphens() {
        let slug = Slug::from_title("  Kế hoạch số 130/KH-UBND — năm 2022!  ").unwrap();
        assert_eq!(slug.as_str(), "ke-hoach-so-130-kh-ubnd-nam-2022");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let title = "hành chính ".repeat(20);
        let uncut = "hanh-chinh-".repeat(20);
        let slug = Slug::from_title(&title).unwrap();
        assert!(slug.as_str().len() <= Slug::MAX_LEN);
        assert!(uncut.starts_with(slug.as_str()));
        assert_eq!(
            &uncut[slug.as_str().len()..][..1],
            "-",
            "cut inside a word: {slug}"
        );
    }

    #[test]
    fn digits_alone_are_an_id_never_a_slug() {
        assert_eq!(Slug::parse("2025"), Err(SlugError::OnlyDigits));
        assert_eq!(Slug::from_title("2025"), Err(SlugError::OnlyDigits));
        assert!(Slug::parse("nam-2025").is_ok());
        assert_eq!(IdOrSlug::parse("42"), Some(IdOrSlug::Id(42)));
        assert_eq!(
            IdOrSlug::parse("nam-2025"),
            Some(IdOrSlug::Slug(Slug::parse("nam-2025").unwrap()))
        );
        for nothing in ["", "+5", "99999999999", "Tin Mới", "a--b"] {
            assert_eq!(IdOrSlug::parse(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn suffixes_keep_slugs_within_the_maximum() {
        let short = Slug::parse("tin-moi").unwrap();
        assert_eq!(short.with_suffix(2).as_str(), "tin-moi-2");
        let long = Slug::from_title(&"hành chính ".repeat(20)).unwrap();
        let suffixed = long.with_suffix(12);
        assert!(suffixed.as_str().len() <= Slug::MAX_LEN);
        assert!(suffixed.as_str().ends_with("-12"));
        assert!(Slug::parse(suffixed.as_str()).is_ok());
    }

    #[test]
    fn titles_without_letters_or_digits_have_no_slug() {
        assert_eq!(Slug::from_title("— !!! —"), Err(SlugError::NothingToKeep));
    }

    #[test]
    fn parse_accepts_only_canonical_slugs() {
        assert!(Slug::parse("tin-noi-bat-2023").is_ok());
        for bad in ["", "Tin", "tin--noi", "-tin", "tin-", "tin noi", "tín"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(Slug::parse(&"a".repeat(121)), Err(SlugError::Length));
    }
}
