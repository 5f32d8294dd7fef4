//! Calendar facts of the product: the department works in Asia/Shanghai time (UTC+8, no daylight
//! saving), so memberships, work logs and reports are dated in local days while storage is UTC.

use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};

/// Asia/Shanghai's offset from UTC, in seconds.
pub const LOCAL_OFFSET_SECONDS: i32 = 8 * 3600;

/// The local day of a UTC instant.
pub fn local_day(at: chrono::DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(LOCAL_OFFSET_SECONDS) {
        Some(offset) => offset.from_utc_datetime(&at.naive_utc()).date_naive(),
        None => at.date_naive(),
    }
}

/// A UTC instant as local time to the minute (`2019-10-01 00:00`), as people read it.
pub fn local_minute(at: chrono::DateTime<Utc>) -> String {
    match FixedOffset::east_opt(LOCAL_OFFSET_SECONDS) {
        Some(offset) => at
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// Today in Asia/Shanghai.
pub fn today_local() -> NaiveDate {
    local_day(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_day_turns_at_16_utc() {
        let before = Utc.with_ymd_and_hms(2019, 9, 30, 15, 59, 59).single();
        let after = Utc.with_ymd_and_hms(2019, 9, 30, 16, 0, 0).single();
        assert_eq!(before.map(local_day), NaiveDate::from_ymd_opt(2019, 9, 30));
        assert_eq!(after.map(local_day), NaiveDate::from_ymd_opt(2019, 10, 1));
        assert_eq!(after.map(local_minute).as_deref(), Some("2019-10-01 00:00"));
    }
}
