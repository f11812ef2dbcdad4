//! The name an account is shown under.

/// Trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "must be 1 to {} characters, without control characters",
    DisplayName::MAX_CHARS
)]
pub struct DisplayNameError;

crate::schema_of!(
    DisplayName,
    crate::text::line_schema(1, DisplayName::MAX_CHARS),
    "Nguyễn Thị Lan"
);

impl DisplayName {
    const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, DisplayNameError> {
        crate::text::bounded_line(input, 1, Self::MAX_CHARS)
            .map(Self)
            .map_err(|_| DisplayNameError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Nguyễn Thị Lan ").unwrap().as_str(),
            "Nguyễn Thị Lan"
        );
        for bad in ["", "   ", "a\u{0}b", "tab\there"] {
            assert!(DisplayName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(DisplayName::parse(&"ư".repeat(100)).is_ok());
        assert!(DisplayName::parse(&"ư".repeat(101)).is_err());
    }
}
