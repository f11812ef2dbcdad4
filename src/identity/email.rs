//! An email address, normalised once at the edge.

use std::fmt;

/// A syntactically plausible email address, trimmed and lower-cased, so that
/// uniqueness is case-insensitive everywhere it is compared.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EmailError {
    #[error("is empty")]
    Empty,
    #[error("is longer than 254 characters")]
    TooLong,
    #[error("is not an address such as name@example.gov.vn")]
    Malformed,
    #[error("has a domain part mixing alphabets (such as Latin and Cyrillic look-alikes)")]
    MixedScripts,
}

crate::schema_of!(
    Email,
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .format(Some(utoipa::openapi::SchemaFormat::Custom("email".into())))
        .max_length(Some(Email::MAX_LEN))
        .build(),
    "bientap@sonoivu.binhdinh.gov.vn"
);

impl Email {
    const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        // RFC 5322's address syntax, as the `email_address` crate checks it,
        // for an address people type: no display name, no `[1.2.3.4]`
        // domain, a domain with at least two labels.
        let options = email_address::Options::default()
            .with_required_tld()
            .without_domain_literal()
            .without_display_text();
        let address = email_address::EmailAddress::parse_with_options(&email, options)
            .map_err(|_| EmailError::Malformed)?;
        // Stricter than RFC 5322 where mail really goes: no quoted local
        // part (`"<b>"@x.vn` is valid but never a portal user's), and a
        // domain DNS can hold (letters, digits and inner hyphens).
        let dns_label = |label: &str| {
            label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if address.local_part().starts_with('"') || !address.domain().split('.').all(dns_label) {
            return Err(EmailError::Malformed);
        }
        // Punycode (`xn--…`) labels are judged as the letters they show.
        let (shown, decoded) = idna::domain_to_unicode(address.domain());
        if decoded.is_err() {
            return Err(EmailError::Malformed);
        }
        if shown.split('.').any(mixes_scripts) {
            return Err(EmailError::MixedScripts);
        }
        Ok(Self(email))
    }

    /// An address as typed to sign in with: trimmed and lower-cased, as
    /// every stored one is, without the rules for new addresses, so an
    /// account made under older, looser rules can still sign in.
    pub fn to_sign_in(input: &str) -> Result<Self, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if !email.contains('@') {
            return Err(EmailError::Malformed);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a domain label is written in more than one alphabet: a Cyrillic
/// `і` in an otherwise Latin `bіnhdinh` is a look-alike of another domain.
/// Marks (Vietnamese tones) belong to the letter they sit on.
fn mixes_scripts(label: &str) -> bool {
    use unicode_script::{Script, UnicodeScript};
    let mut scripts = label
        .chars()
        .map(|c| c.script())
        .filter(|script| !matches!(script, Script::Common | Script::Inherited));
    scripts
        .next()
        .is_some_and(|first| scripts.any(|other| other != first))
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let email = Email::parse("  Admin@SoNoiVu.BinhDinh.gov.vn ").unwrap();
        assert_eq!(email.as_str(), "admin@sonoivu.binhdinh.gov.vn");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "   ",
            "plain",
            "@example.vn",
            "a@",
            "a@b@c.vn",
            "a b@c.vn",
            "a@-x.vn",
            "a@x..vn",
            "a@b",
            "<script>@x.vn",
            "\"<b>\"@x.vn",
            "Name <a@x.vn>",
            "a@[127.0.0.1]",
            "a@x_y.vn",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn look_alike_domains_mixing_alphabets_are_refused() {
        // The `і` is Cyrillic (U+0456).
        assert_eq!(
            Email::parse("a@b\u{0456}nhdinh.gov.vn"),
            Err(EmailError::MixedScripts)
        );
        // One alphabet per label is a real internationalised domain.
        assert!(Email::parse("a@bình-định.vn").is_ok());
        // The same look-alike, written as punycode.
        assert_eq!(
            Email::parse("a@xn--bnhdinh-rog.gov.vn"),
            Err(EmailError::MixedScripts)
        );
        assert!(Email::parse("a@пример.рф").is_ok());
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let long = format!("{}@example.vn", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
