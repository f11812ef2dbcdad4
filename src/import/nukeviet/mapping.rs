//! From NukeViet's values to ours: states, times, dates, kinds. Pure
//! functions, so every rule is tested here.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

use crate::articles::ArticleStatus;
use crate::comments::CommentStatus;
use crate::documents::DocumentKind;
use crate::documents::number::{DocumentNumber, TypeCode};

/// A NukeViet time (Unix seconds, 0 for none) as our stored UTC time; `None`
/// for 0 and for times no client could read back (past 9999-12-30).
pub fn utc_time(unix: i64) -> Option<NaiveDateTime> {
    let time = DateTime::from_timestamp(unix, 0)?;
    // The years any client can read back (`Timestamp`), from 1970.
    let readable = crate::support::timestamps::Timestamp::new(time.fixed_offset()).is_some();
    (unix > 0 && readable).then_some(time.naive_utc())
}

/// A NukeViet date (Unix seconds at the portal's local midnight, 0 for
/// none) as the calendar date it was entered as.
pub fn local_date(unix: i64, offset: FixedOffset) -> Option<NaiveDate> {
    utc_time(unix).map(|time| time.and_utc().with_timezone(&offset).date_naive())
}

/// An article's state from NukeViet's `status`, `publtime` and `exptime`:
///
/// | NukeViet | ours |
/// |---|---|
/// | 1 published, publication time past | `published` |
/// | 1 published, publication time to come; 2 scheduled | `scheduled` |
/// | 1 published, expiry time past; 3 expired; 0 suspended (hidden) | `archived` |
/// | 4 draft; 6 rejected; 9 publishing refused | `draft` (back with its writer) |
/// | 5 sent for review; 7 under review; 8 sent for publishing; 10 being checked | `pending_review` |
pub fn article_status(
    status: i64,
    published: NaiveDateTime,
    expires: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<ArticleStatus, String> {
    Ok(match status {
        1 if expires.is_some_and(|at| at <= now) => ArticleStatus::Archived,
        1 if published > now => ArticleStatus::Scheduled,
        1 => ArticleStatus::Published,
        2 => ArticleStatus::Scheduled,
        0 | 3 => ArticleStatus::Archived,
        4 | 6 | 9 => ArticleStatus::Draft,
        5 | 7 | 8 | 10 => ArticleStatus::PendingReview,
        other => return Err(format!("its status {other} is not one NukeViet 4.5 uses")),
    })
}

/// NukeViet's user group of everyone, guests included, in a `groups_view`.
const EVERYONE: i64 = 6;

/// Why a NukeViet row (a news category, a laws row) is not for everyone to
/// read: hidden (`status` not 1) or `groups_view` without everyone. `None`
/// when it is public, as everything imported here becomes.
pub fn restriction(status: i64, groups_view: &[i64]) -> Option<String> {
    if status != 1 {
        Some(format!("hidden in NukeViet (status {status})"))
    } else if !groups_view.contains(&EVERYONE) {
        Some(format!(
            "open only to the user groups {groups_view:?} in NukeViet, not to everyone ({EVERYONE})"
        ))
    } else {
        None
    }
}

/// A comment's moderation state: 1 shown, 0 waiting.
pub fn comment_status(status: i64) -> Result<CommentStatus, String> {
    match status {
        1 => Ok(CommentStatus::Approved),
        0 => Ok(CommentStatus::Pending),
        other => Err(format!(
            "its status {other} is neither shown (1) nor waiting (0)"
        )),
    }
}

/// A document's kind: the one its number's type code says; the one its
/// NukeViet type (category) names when the number has no type code; and,
/// when both say something and differ, the number's, with a warning.
pub fn document_kind(
    number: &DocumentNumber,
    category: Option<&str>,
) -> (DocumentKind, Option<String>) {
    let named = category.and_then(TypeCode::named);
    match (number.type_code(), named) {
        (Some(code), Some(named)) if named.kind != number.kind() => (
            number.kind(),
            Some(format!(
                "its type in NukeViet is {} but its number says {code} ({}): the number is followed",
                named.name,
                number.kind()
            )),
        ),
        (None, Some(named)) => (named.kind, None),
        _ => (number.kind(), None),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeDelta};

    use super::*;

    fn at(unix: i64) -> NaiveDateTime {
        utc_time(unix).unwrap()
    }

    #[test]
    fn the_seed_articles_publication_time_is_10_03_in_vietnam() {
        let published = at(1_674_097_380);
        assert_eq!(
            published,
            NaiveDate::from_ymd_opt(2023, 1, 19)
                .unwrap()
                .and_hms_opt(3, 3, 0)
                .unwrap()
        );
        assert_eq!(utc_time(0), None);
        assert_eq!(utc_time(-5), None);
        assert_eq!(utc_time(400_000_000_000), None);
    }

    #[test]
    fn laws_dates_are_the_local_calendar_day() {
        let vietnam = FixedOffset::east_opt(7 * 3600).unwrap();
        assert_eq!(
            local_date(1_640_883_600, vietnam),
            NaiveDate::from_ymd_opt(2021, 12, 31)
        );
        assert_eq!(local_date(0, vietnam), None);
    }

    #[test]
    fn statuses_map_to_our_workflow() {
        let now = at(1_700_000_000);
        let past = now - TimeDelta::days(1);
        let future = now + TimeDelta::days(1);
        let cases = [
            (1, past, None, ArticleStatus::Published),
            (1, future, None, ArticleStatus::Scheduled),
            (1, past, Some(past), ArticleStatus::Archived),
            (1, past, Some(future), ArticleStatus::Published),
            (2, future, None, ArticleStatus::Scheduled),
            (0, past, None, ArticleStatus::Archived),
            (3, past, None, ArticleStatus::Archived),
            (4, past, None, ArticleStatus::Draft),
            (6, past, None, ArticleStatus::Draft),
            (9, past, None, ArticleStatus::Draft),
            (5, past, None, ArticleStatus::PendingReview),
            (7, past, None, ArticleStatus::PendingReview),
            (8, past, None, ArticleStatus::PendingReview),
            (10, past, None, ArticleStatus::PendingReview),
        ];
        for (status, published, expires, expected) in cases {
            assert_eq!(
                article_status(status, published, expires, now),
                Ok(expected),
                "status {status}"
            );
        }
        assert!(article_status(11, past, None, now).is_err());
    }

    #[test]
    fn only_shown_rows_open_to_everyone_are_public() {
        assert_eq!(restriction(1, &[6]), None);
        assert_eq!(restriction(1, &[4, 6]), None);
        assert!(restriction(0, &[6]).unwrap().contains("hidden"));
        assert!(restriction(1, &[4]).unwrap().contains("[4]"));
        assert!(restriction(1, &[]).is_some());
    }

    #[test]
    fn comments_are_approved_or_still_pending() {
        assert_eq!(comment_status(1), Ok(CommentStatus::Approved));
        assert_eq!(comment_status(0), Ok(CommentStatus::Pending));
        assert!(comment_status(2).is_err());
    }

    #[test]
    fn the_number_decides_the_kind_and_a_differing_category_is_reported() {
        let decision = DocumentNumber::parse("5359/QĐ-UBND").unwrap();
        assert_eq!(
            document_kind(&decision, Some("Quyết định")),
            (DocumentKind::Decision, None)
        );
        let (kind, warning) = document_kind(&decision, Some("Kế hoạch"));
        assert_eq!(kind, DocumentKind::Decision);
        assert!(warning.unwrap().contains("Kế hoạch"));
        let letter = DocumentNumber::parse("1234/UBND-KT").unwrap();
        assert_eq!(
            document_kind(&letter, Some("Kế hoạch")),
            (DocumentKind::Plan, None)
        );
        assert_eq!(
            document_kind(&letter, Some("Văn bản khác")),
            (DocumentKind::OfficialLetter, None)
        );
    }
}
