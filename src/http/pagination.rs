//! The list conventions every collection shares: `limit` with either `page`
//! or an opaque keyset `cursor`, answered as `{items, total, next_cursor}`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::DbConnection;
use diesel::QueryResult;

use crate::db::Database;
use crate::error::{ApiError, FieldError};

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// The paging parameters as sent.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1 to 100 (default 20). Above 100 is an error, never a silent cap.
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<i64>,
    /// 1-based page number. Ignored when `cursor` is given.
    #[param(minimum = 1, maximum = 4294967295_i64, example = 1)]
    pub page: Option<i64>,
    /// The `next_cursor` of the previous page: stable while items are added.
    /// Wins over `page`. A cursor this list did not issue is a 404: there
    /// is no such page.
    #[param(min_length = 1, max_length = 1000, pattern = "^[A-Za-z0-9_-]+$")]
    pub cursor: Option<String>,
}

/// Paging parameters that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub limit: u32,
    pub position: Position,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    First,
    /// A 1-based page number above 1.
    Page(u32),
    After(Cursor),
}

impl Paging {
    /// The sort key a cursor carries, when paging by cursor.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, ApiError> {
        match &self.position {
            Position::After(cursor) => cursor.decode().map(Some),
            Position::First | Position::Page(_) => Ok(None),
        }
    }

    /// Loads one page with `query(conn, limit, offset, after)`, which fetches
    /// up to `limit + 1` rows after the cursor's key and counts all; `key`
    /// gives a row's sort key (the next cursor), `item` its answer.
    pub async fn load<R, K, T>(
        self,
        db: &Database,
        query: impl FnOnce(&mut DbConnection, u32, i64, Option<K>) -> QueryResult<(Vec<R>, i64)>
        + Send
        + 'static,
        key: impl Fn(&R) -> K,
        item: impl FnMut(R) -> T,
    ) -> Result<Page<T>, ApiError>
    where
        R: Send + 'static,
        K: Serialize + DeserializeOwned + Send + 'static,
    {
        let after = self.after::<K>()?;
        let (limit, offset) = (self.limit, self.offset());
        let (rows, total) = db
            .read(move |conn| query(conn, limit, offset, after))
            .await?;
        Ok(Page::from_rows(rows, total, limit, key, item))
    }

    /// How many rows to skip for page-number paging.
    pub fn offset(&self) -> i64 {
        match self.position {
            Position::Page(page) => i64::from(page - 1) * i64::from(self.limit),
            Position::First | Position::After(_) => 0,
        }
    }
}

impl TryFrom<PageParams> for Paging {
    type Error = ApiError;

    fn try_from(params: PageParams) -> Result<Self, ApiError> {
        match (
            parse_limit(params.limit, DEFAULT_LIMIT),
            parse_position(params.page, params.cursor),
        ) {
            (Ok(limit), Ok(position)) => Ok(Paging { limit, position }),
            (limit, position) => Err(ApiError::Validation(
                limit.err().into_iter().chain(position.err()).collect(),
            )),
        }
    }
}

/// `limit` as sent, 1 to `MAX_LIMIT`, or `default` when left out.
pub fn parse_limit(limit: Option<i64>, default: u32) -> Result<u32, FieldError> {
    let Some(limit) = limit else {
        return Ok(default);
    };
    u32::try_from(limit)
        .ok()
        .filter(|limit| (1..=MAX_LIMIT).contains(limit))
        .ok_or_else(|| FieldError::new("limit", format!("must be from 1 to {MAX_LIMIT}")))
}

/// Where the page starts: a cursor wins over a page number (a client that
/// follows `next_cursor` while keeping `page` in its URL still moves on).
fn parse_position(page: Option<i64>, cursor: Option<String>) -> Result<Position, FieldError> {
    match (page, cursor) {
        (_, Some(cursor)) => Cursor::parse("cursor", cursor).map(Position::After),
        (Some(page), None) if page < 1 => Err(FieldError::new("page", "pages are numbered from 1")),
        (Some(page), None) => match u32::try_from(page) {
            Ok(1) => Ok(Position::First),
            Ok(page) => Ok(Position::Page(page)),
            Err(_) => Err(FieldError::new(
                "page",
                format!("must be at most {}", u32::MAX),
            )),
        },
        (None, None) => Ok(Position::First),
    }
}

/// An opaque keyset position: what the last item of a page was sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(String);

impl Cursor {
    /// A cursor (or a sync's token) as sent in `field`: base64url, as every
    /// one we issue is.
    pub fn parse(field: &str, cursor: String) -> Result<Self, FieldError> {
        let well_formed = (1..=1000).contains(&cursor.len())
            && cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if well_formed {
            Ok(Self(cursor))
        } else {
            Err(FieldError::new(
                field,
                "holds only letters, digits, - and _ (as issued)",
            ))
        }
    }

    pub fn encode(key: &impl Serialize) -> Self {
        let json = serde_json::to_vec(key).expect("sort keys serialise");
        Self(URL_SAFE_NO_PAD.encode(json))
    }

    /// The sort key inside, or a 404 when this list did not issue the
    /// cursor: it names no page.
    pub fn decode<K: DeserializeOwned>(&self) -> Result<K, ApiError> {
        URL_SAFE_NO_PAD
            .decode(&self.0)
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or_else(Self::not_issued)
    }

    /// The answer to a cursor this list did not issue: it names no page.
    pub fn not_issued() -> ApiError {
        ApiError::NotFound(
            "no page at this cursor: this list did not issue it; start from the first page".into(),
        )
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match, over all pages.
    #[schema(example = 1)]
    pub total: i64,
    /// False when `total` is an estimate: a search matching more than 1,000
    /// articles, in any order, estimates how many match instead of counting.
    #[schema(example = true)]
    pub total_is_exact: bool,
    /// Pass as `cursor` for the next page; null on the last page.
    #[schema(example = "eyJwIjoiMjAyMy0wMS0xOVQwMzowMzowMCIsImkiOjF9")]
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The answer of a list nothing can match.
    pub fn empty() -> Self {
        Page {
            items: Vec::new(),
            total: 0,
            total_is_exact: true,
            next_cursor: None,
        }
    }

    /// The same page with each item turned into another.
    pub fn map<U>(self, item: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(item).collect(),
            total: self.total,
            total_is_exact: self.total_is_exact,
            next_cursor: self.next_cursor,
        }
    }

    /// A page from up to `limit + 1` rows (queries fetch one more than asked,
    /// so the extra row tells that more exist); the cursor is the sort key of
    /// the last row kept.
    pub fn from_rows<R, K: Serialize>(
        mut rows: Vec<R>,
        total: i64,
        limit: u32,
        sort_key: impl Fn(&R) -> K,
        item: impl FnMut(R) -> T,
    ) -> Self {
        let limit = limit as usize;
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = rows
            .last()
            .filter(|_| has_more)
            .map(|last| Cursor::encode(&sort_key(last)).into_string());
        Page {
            items: rows.into_iter().map(item).collect(),
            total,
            total_is_exact: true,
            next_cursor,
        }
    }

    /// The same page, its `total` an estimate unless `exact`.
    pub fn counted(self, exact: bool) -> Self {
        Page {
            total_is_exact: exact,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(
        limit: Option<i64>,
        page: Option<i64>,
        cursor: Option<&str>,
    ) -> Result<Paging, ApiError> {
        Paging::try_from(PageParams {
            limit,
            page,
            cursor: cursor.map(str::to_owned),
        })
    }

    fn invalid_fields(result: Result<Paging, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn defaults_to_twenty_from_the_start() {
        assert_eq!(
            paging(None, None, None).unwrap(),
            Paging {
                limit: 20,
                position: Position::First
            }
        );
    }

    #[test]
    fn limits_outside_one_to_a_hundred_are_refused_not_capped() {
        assert_eq!(invalid_fields(paging(Some(101), None, None)), ["limit"]);
        assert_eq!(invalid_fields(paging(Some(0), None, None)), ["limit"]);
        assert_eq!(invalid_fields(paging(Some(-1), None, None)), ["limit"]);
        assert_eq!(
            invalid_fields(paging(Some(5_000_000_000), None, None)),
            ["limit"]
        );
        assert_eq!(paging(Some(100), None, None).unwrap().limit, 100);
    }

    #[test]
    fn a_cursor_wins_over_a_page_and_must_look_like_one() {
        assert_eq!(
            paging(None, Some(2), Some("eA")).unwrap().position,
            Position::After(Cursor("eA".into()))
        );
        assert_eq!(invalid_fields(paging(None, None, Some("a+b"))), ["cursor"]);
        assert_eq!(invalid_fields(paging(None, Some(0), None)), ["page"]);
        assert_eq!(invalid_fields(paging(None, Some(-3), None)), ["page"]);
        assert_eq!(invalid_fields(paging(None, Some(1 << 40), None)), ["page"]);
    }

    #[test]
    fn page_numbers_become_offsets() {
        assert_eq!(paging(Some(10), Some(3), None).unwrap().offset(), 20);
        assert_eq!(paging(Some(10), Some(1), None).unwrap().offset(), 0);
    }

    #[test]
    fn a_page_keeps_limit_rows_and_a_cursor_only_when_more_exist() {
        let page = Page::from_rows(vec![5, 4, 3], 9, 2, |row| *row, |row| row * 10);
        assert_eq!(page.items, [50, 40]);
        assert_eq!(page.total, 9);
        let cursor = Cursor(page.next_cursor.unwrap());
        assert_eq!(cursor.decode::<i32>().unwrap(), 4);

        let last = Page::from_rows(vec![2, 1], 9, 2, |row| *row, |row| row);
        assert!(last.next_cursor.is_none());
    }

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let cursor = Cursor::encode(&("2023-01-19T03:03:00", 7));
        let key: (String, i32) = cursor.decode().unwrap();
        assert_eq!(key, ("2023-01-19T03:03:00".to_owned(), 7));
        assert!(
            Cursor("not a cursor!".into())
                .decode::<(String, i32)>()
                .is_err()
        );
    }
}
