//! Timestamps are stored in UTC and shown with the site's offset
//! (`BULLETIN_UTC_OFFSET`, +07:00 by default), as RFC 3339.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteOffset(pub FixedOffset);

impl SiteOffset {
    /// A stored UTC time as the site shows it.
    pub fn show(self, utc: NaiveDateTime) -> DateTime<FixedOffset> {
        utc.and_utc().with_timezone(&self.0)
    }

    /// The date at the site at a UTC time: the day documents count from.
    pub fn date_of(self, utc: NaiveDateTime) -> NaiveDate {
        self.show(utc).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_is_shown_at_the_site_offset() {
        let offset = SiteOffset(FixedOffset::east_opt(7 * 3600).unwrap());
        let utc =
            NaiveDateTime::parse_from_str("2023-01-19 03:03:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(offset.show(utc).to_rfc3339(), "2023-01-19T10:03:00+07:00");
    }
}
