//! Timestamps are stored in UTC and shown with the site's offset
//! (`BULLETIN_UTC_OFFSET`, +07:00 by default), as RFC 3339.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SubsecRound, Utc};

/// The current UTC time, to the microsecond: what both engines store
/// exactly (PostgreSQL keeps microseconds), so a time written is the time
/// read back, and an answer shows the same time before and after a write.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteOffset(pub FixedOffset);

/// A time in UTC as RFC 3339 to the second (`2026-12-01T01:00:00Z`): what
/// webhook events carry.
pub fn utc_rfc3339(utc: NaiveDateTime) -> String {
    utc.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl SiteOffset {
    /// A stored UTC time as the site shows it: to the second, as every
    /// time an answer holds (stored times keep microseconds, for order).
    pub fn show(self, utc: NaiveDateTime) -> DateTime<FixedOffset> {
        utc.trunc_subsecs(0).and_utc().with_timezone(&self.0)
    }

    /// The date at the site at a UTC time: the day documents count from.
    pub fn date_of(self, utc: NaiveDateTime) -> NaiveDate {
        self.show(utc).date_naive()
    }

    /// When, in UTC, the site's next day begins after `utc`: documents'
    /// standing may change then.
    pub fn next_day_begins(self, utc: NaiveDateTime) -> NaiveDateTime {
        let today = self.date_of(utc);
        let tomorrow = today.succ_opt().unwrap_or(today);
        tomorrow.and_time(chrono::NaiveTime::MIN)
            - chrono::TimeDelta::seconds(i64::from(self.0.local_minus_utc()))
    }
}

/// A time a client sends (RFC 3339), within the years every display of it
/// can write in four digits: shown at any UTC offset (at most a day either
/// way), it stays between 0001 and 9999. `9999-12-31T23:59:59Z` at +07:00
/// would be `+10000-01-01T06:59:59+07:00`, which no client parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(DateTime<FixedOffset>);

/// A calendar date a client sends: `YYYY-MM-DD`, years 0001 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarDate(NaiveDate);

const TIME_RULE: &str =
    "must be an RFC 3339 time such as 2026-11-24T10:30:00+07:00, in the years 0001 to 9999";
const DATE_RULE: &str = "must be a date such as 2021-12-31 (YYYY-MM-DD), in the years 0001 to 9999";

/// The years every time [`Timestamp`] takes can be written in, whatever
/// its offset: 0002 to 9998 (a pattern of JSON Schema, which `date-time`
/// alone does not bound).
pub const WRITTEN_YEARS: &str =
    "(000[2-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])";

/// The JSON Schema of an RFC 3339 time written in one of `years` (a
/// pattern group).
pub fn time_schema(years: &str, example: &str) -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::DateTime,
        )))
        .pattern(Some(format!("^{years}-")))
        .examples([serde_json::json!(example)])
        .build()
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        time_schema(WRITTEN_YEARS, "2026-11-24T10:30:00+07:00").into()
    }
}

impl utoipa::ToSchema for Timestamp {}

impl Timestamp {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        DateTime::parse_from_rfc3339(input)
            .ok()
            .and_then(Self::new)
            .ok_or(TIME_RULE)
    }

    /// `time`, when it is within the years every display can write.
    pub fn new(time: DateTime<FixedOffset>) -> Option<Self> {
        let earliest = NaiveDate::from_ymd_opt(1, 1, 2)?.and_hms_opt(0, 0, 0)?;
        let latest = NaiveDate::from_ymd_opt(9999, 12, 31)?.and_hms_opt(0, 0, 0)?;
        (earliest..latest)
            .contains(&time.naive_utc())
            .then_some(Self(time))
    }

    /// The instant in UTC, as stored: to the microsecond, as `now`.
    pub fn naive_utc(self) -> NaiveDateTime {
        self.0.naive_utc().trunc_subsecs(6)
    }
}

impl CalendarDate {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        // chrono alone would take `+10000-01-01` and `12021-1-1`.
        let shaped = input.len() == 10
            && input.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        NaiveDate::parse_from_str(input, "%Y-%m-%d")
            .ok()
            .filter(|_| shaped)
            .and_then(Self::new)
            .ok_or(DATE_RULE)
    }

    /// `date`, when its year has four digits.
    pub fn new(date: NaiveDate) -> Option<Self> {
        (1..=9999).contains(&date.year()).then_some(Self(date))
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }
}

/// Both parse from a JSON string or a query parameter, with the rule in the
/// error (which names the field).
macro_rules! parsed_from_text {
    ($type:ty) => {
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                <$type>::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
parsed_from_text!(Timestamp);
parsed_from_text!(CalendarDate);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_whose_display_leaves_four_digit_years_are_refused() {
        assert!(Timestamp::parse("2026-11-24T10:30:00+07:00").is_ok());
        assert!(Timestamp::parse("0001-01-02T00:00:00Z").is_ok());
        for refused in [
            "9999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "2026-11-24",
            "2026-11-24 10:30",
        ] {
            assert_eq!(Timestamp::parse(refused), Err(TIME_RULE), "{refused}");
        }
    }

    #[test]
    fn the_next_day_begins_at_the_sites_midnight() {
        let hanoi = SiteOffset(FixedOffset::east_opt(7 * 3600).unwrap());
        let utc = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().naive_utc();
        // 11:00 in Hà Nội: the day ends at 17:00 UTC.
        assert_eq!(
            hanoi.next_day_begins(utc("2026-12-06T04:00:00Z")),
            utc("2026-12-06T17:00:00Z")
        );
        // At midnight itself, the next one.
        assert_eq!(
            hanoi.next_day_begins(utc("2026-12-06T17:00:00Z")),
            utc("2026-12-07T17:00:00Z")
        );
        // 23:59:59 UTC is 06:59:59 the next day in Hà Nội.
        assert_eq!(
            hanoi.next_day_begins(utc("2026-12-31T23:59:59Z")),
            utc("2027-01-01T17:00:00Z")
        );
    }

    #[test]
    fn dates_have_four_digit_years_and_their_dashes() {
        assert_eq!(
            CalendarDate::parse("2021-12-31").map(CalendarDate::date),
            Ok(NaiveDate::from_ymd_opt(2021, 12, 31).unwrap())
        );
        for refused in [
            "+10000-01-01",
            "+99999-01-01",
            "0000-01-01",
            "2021-1-1",
            "2021-02-30",
            "21-12-31",
        ] {
            assert_eq!(CalendarDate::parse(refused), Err(DATE_RULE), "{refused}");
        }
    }

    #[test]
    fn utc_is_shown_at_the_site_offset() {
        let offset = SiteOffset(FixedOffset::east_opt(7 * 3600).unwrap());
        let utc =
            NaiveDateTime::parse_from_str("2023-01-19 03:03:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(offset.show(utc).to_rfc3339(), "2023-01-19T10:03:00+07:00");
    }
}
