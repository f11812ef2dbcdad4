//! How a client names an article in a path: by id or by slug.

use crate::error::ApiError;
use crate::slug::Slug;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleKey {
    Id(i32),
    Slug(Slug),
}

impl ArticleKey {
    /// Digits are an id; anything else must be a canonical slug. Neither
    /// can name an article, so it is a 404 rather than a validation error.
    pub fn parse(input: &str) -> Result<Self, ApiError> {
        if !input.is_empty() && input.bytes().all(|b| b.is_ascii_digit()) {
            return input
                .parse::<i32>()
                .map(ArticleKey::Id)
                .map_err(|_| not_found(input));
        }
        Slug::parse(input)
            .map(ArticleKey::Slug)
            .map_err(|_| not_found(input))
    }
}

fn not_found(input: &str) -> ApiError {
    ApiError::NotFound(format!("no article has the id or slug `{input}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_ids_and_the_rest_slugs() {
        assert_eq!(ArticleKey::parse("42").unwrap(), ArticleKey::Id(42));
        assert_eq!(
            ArticleKey::parse("tin-noi-bat").unwrap(),
            ArticleKey::Slug(Slug::parse("tin-noi-bat").unwrap())
        );
    }

    #[test]
    fn keys_that_cannot_name_an_article_are_not_found() {
        for bad in ["", "Tin Nổi Bật", "99999999999", "a--b"] {
            assert!(
                matches!(ArticleKey::parse(bad), Err(ApiError::NotFound(_))),
                "{bad:?}"
            );
        }
    }
}
