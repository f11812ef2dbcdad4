//! Long text read as its bytes and checked as UTF-8 once, with SIMD.
//!
//! Diesel reads a `String` from SQLite by checking its bytes as UTF-8
//! twice (once to see whether to repair them, once more to borrow them),
//! with the standard library's byte-by-byte check for text that is not
//! ASCII. For an article's body (Vietnamese: a mark on most words) that
//! was 7 % of a search's work and 6 % of an article read past the cache.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::Text;
use diesel::sqlite::{Sqlite, SqliteValue};

use super::Backend as MultiBackend;

/// A TEXT value as a `String` (`#[diesel(deserialize_as = CheckedText)]`
/// on a `String` field). Bytes that are not UTF-8 (written into the file
/// by something else) are replaced, as diesel's SQLite reads replace them.
#[derive(Debug, diesel::deserialize::FromSqlRow)]
pub struct CheckedText(String);

impl From<CheckedText> for String {
    fn from(text: CheckedText) -> Self {
        text.0
    }
}

impl CheckedText {
    fn of(bytes: &[u8]) -> Self {
        Self(match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        })
    }
}

impl FromSql<Text, Sqlite> for CheckedText {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        // The text's bytes as stored (a database's text is UTF-8 here):
        // diesel copies the value, SQLite changes no encoding.
        Ok(Self::of(value.read_blob()))
    }
}

impl FromSql<Text, Pg> for CheckedText {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Self::of(value.as_bytes()))
    }
}

impl FromSql<Text, MultiBackend> for CheckedText {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Text>()
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    use super::CheckedText;

    /// What SQLite's `expression` reads as through `CheckedText`.
    fn read(expression: &str) -> String {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        diesel::select(diesel::dsl::sql::<Text>(expression))
            .get_result::<CheckedText>(&mut conn)
            .unwrap()
            .into()
    }

    #[test]
    fn text_reads_as_it_was_written() {
        assert_eq!(read("'Quyết định 5359/QĐ-UBND'"), "Quyết định 5359/QĐ-UBND");
        assert_eq!(read("''"), "");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_replaced() {
        assert_eq!(read("CAST(x'51ff' AS TEXT)"), "Q\u{FFFD}");
    }
}
