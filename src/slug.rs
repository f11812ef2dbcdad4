//! URL slugs: `TIN NỔI BẬT CỦA PHÒNG` → `tin-noi-bat-cua-phong`.

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
}

impl Slug {
    pub const MAX_LEN: usize = 120;

    /// Parses a slug sent by a client: it must already be in canonical form.
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        if input.is_empty() || input.len() > Self::MAX_LEN {
            return Err(SlugError::Length);
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
            return match first {
                Some(word) => Ok(Self(word[..Self::MAX_LEN].to_owned())),
                None => Err(SlugError::NothingToKeep),
            };
        }
        Ok(Self(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
