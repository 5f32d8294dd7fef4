//! Reading `Timestamp` columns without chrono's format-string parser on SQLite.
//!
//! SQLite keeps a timestamp as text (`2019-07-01 08:30:00.123456`, as diesel writes it). Diesel
//! reads it back with `NaiveDateTime::parse_from_str`, which interprets the format string afresh
//! for every value: on a 50-row list of villages, three timestamps a row, that was an eighth of
//! the server's time. A row's timestamp fields say `#[diesel(deserialize_as = Stamp)]` (or
//! [`MaybeStamp`] for a nullable one): the text diesel writes is read by [`parse_sqlite`], and
//! anything else it may meet (other precisions, an offset, a `T`, a Julian day number) goes to
//! diesel's own reader, so what is read never differs. PostgreSQL's binary timestamps go to
//! diesel's reader as before.

use crate::db::{MultiBackend, MultiRawValue};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::Pg;
use diesel::sql_types::{Nullable, Timestamp};
use diesel::sqlite::{Sqlite, SqliteType};

/// A `Timestamp` column's value; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Stamp(pub NaiveDateTime);

/// A `Nullable<Timestamp>` column's value; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct MaybeStamp(pub Option<NaiveDateTime>);

impl From<Stamp> for NaiveDateTime {
    fn from(s: Stamp) -> Self {
        s.0
    }
}

impl From<MaybeStamp> for Option<NaiveDateTime> {
    fn from(s: MaybeStamp) -> Self {
        s.0
    }
}

impl FromSql<Timestamp, Sqlite> for Stamp {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let fast = match value.value_type() {
            Some(SqliteType::Text) => parse_sqlite(value.read_text()),
            _ => None,
        };
        match fast {
            Some(t) => Ok(Stamp(t)),
            None => <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Stamp),
        }
    }
}

impl FromSql<Timestamp, Pg> for Stamp {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Stamp)
    }
}

impl FromSql<Timestamp, MultiBackend> for Stamp {
    fn from_sql(raw: MultiRawValue<'_>) -> deserialize::Result<Self> {
        raw.from_sql::<Self, Timestamp>()
    }
}

impl<DB: Backend> FromSql<Nullable<Timestamp>, DB> for MaybeStamp
where
    Stamp: FromSql<Timestamp, DB>,
{
    fn from_sql(raw: DB::RawValue<'_>) -> deserialize::Result<Self> {
        <Stamp as FromSql<Timestamp, DB>>::from_sql(raw).map(|s| MaybeStamp(Some(s.0)))
    }

    fn from_nullable_sql(raw: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
        match raw {
            Some(raw) => Self::from_sql(raw),
            None => Ok(MaybeStamp(None)),
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` with an optional fraction of 1 to 9 digits, as diesel writes a
/// `NaiveDateTime` to SQLite; `None` for any other text, or a date or time that does not exist
/// (the caller then asks diesel's reader, which knows every other form).
pub fn parse_sqlite(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, num(5, 7)?, num(8, 10)?)?;
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let n = num(20, b.len())?;
            n * 10u32.pow(9 - u32::try_from(digits.len()).ok()?)
        }
        _ => return None,
    };
    // A leap second (60) is not a time `from_hms_nano_opt` takes: diesel's reader has it.
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(NaiveDateTime::new(date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What diesel's SQLite reader makes of the text (its first format and the second-precision one).
    fn chrono_reads(text: &str) -> Option<NaiveDateTime> {
        ["%F %T%.f", "%F %T"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    }

    #[test]
    fn reads_what_diesel_writes_as_chrono_does() {
        for text in [
            "2019-07-01 08:30:00",
            "2019-07-01 08:30:00.1",
            "2019-07-01 08:30:00.123",
            "2019-07-01 08:30:00.123456",
            "2019-07-01 08:30:00.123456789",
            "2026-12-01 23:59:59.000001",
            "2024-02-29 00:00:00.5",
            "0001-01-01 00:00:00",
            "9999-12-31 23:59:59.999999999",
        ] {
            let fast = parse_sqlite(text);
            assert!(fast.is_some(), "{text} is diesel's own form");
            assert_eq!(fast, chrono_reads(text), "{text}");
        }
    }

    #[test]
    fn leaves_every_other_text_to_diesel() {
        for text in [
            "",
            "2019-07-01",
            "2019-07-01T08:30:00",
            "2019-07-01 08:30",
            "2019-07-01 08:30:00Z",
            "2019-07-01 08:30:00+08:00",
            "2019-07-01 08:30:00.",
            "2019-07-01 08:30:00.1234567890",
            "2019-07-01 08:30:00.12a",
            "2019-02-30 08:30:00",
            "2019-07-01 24:00:00",
            "2019-07-01 08:60:00",
            "2019-06-30 23:59:60",
            "+2019-07-01 08:30:00",
            "2019-07-01 08:30:0x",
            "२०१९-07-01 08:30:00",
            "2457000.5",
        ] {
            assert_eq!(parse_sqlite(text), None, "{text:?}");
        }
    }
}
