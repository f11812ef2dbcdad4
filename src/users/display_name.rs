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

impl DisplayName {
    const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Self, DisplayNameError> {
        let name = input.trim();
        let chars = name.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS || name.chars().any(char::is_control) {
            return Err(DisplayNameError);
        }
        Ok(Self(name.to_owned()))
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
