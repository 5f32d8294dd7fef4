//! Small pieces shared by the API's request and response types.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Stored UTC → RFC 3339 with `Z`.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
}

/// `#[serde(serialize_with = "crate::dto::rfc3339")]` on every `DateTime<Utc>` field of a
/// response: the text chrono's own `Serialize` writes (`2019-07-01T08:30:00.123456Z`, the
/// fraction in 0, 3, 6 or 9 digits, whichever is exact), written in one piece. chrono's writes it
/// a character at a time through `serde_json`'s escaping adapter, which was a tenth of the
/// server's time on a 50-row list. Years outside 0–9999 and leap seconds go to chrono.
pub fn rfc3339<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 30];
    match write_rfc3339(&mut buf, t) {
        Some(len) => match std::str::from_utf8(&buf[..len]) {
            Ok(text) => s.serialize_str(text),
            Err(_) => serde::Serialize::serialize(t, s),
        },
        None => serde::Serialize::serialize(t, s),
    }
}

/// [`rfc3339`] for an optional field.
pub fn rfc3339_opt<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339(t, s),
        None => s.serialize_none(),
    }
}

/// Writes `t` as [`rfc3339`] describes into `buf`, returning the length; `None` when chrono
/// must write it (a year outside 0–9999, a leap second).
fn write_rfc3339(buf: &mut [u8; 30], t: &DateTime<Utc>) -> Option<usize> {
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    let mut put = |at: usize, n: u32, digits: usize| {
        let mut n = n;
        for i in (0..digits).rev() {
            buf[at + i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, year, 4);
    put(5, t.month(), 2);
    put(8, t.day(), 2);
    put(11, t.hour(), 2);
    put(14, t.minute(), 2);
    put(17, t.second(), 2);
    let (fraction, digits) = if nanos == 0 {
        (0, 0)
    } else if nanos.is_multiple_of(1_000_000) {
        (nanos / 1_000_000, 3)
    } else if nanos.is_multiple_of(1_000) {
        (nanos / 1_000, 6)
    } else {
        (nanos, 9)
    };
    if digits > 0 {
        put(20, fraction, digits);
    }
    for (at, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ] {
        buf[at] = c;
    }
    let end = if digits > 0 { 20 + digits } else { 19 };
    buf[end] = b'Z';
    Some(end + 1)
}

/// For PATCH fields that may be cleared: absent → `None`, `null` → `Some(None)`.
pub fn some<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The patched value of a clearable field.
pub fn patch<T: Clone>(patch: &Option<Option<T>>, current: &Option<T>) -> Option<T> {
    match patch {
        None => current.clone(),
        Some(v) => v.clone(),
    }
}

/// `deactivated_at` after a patch of `active`.
pub fn deactivation(active: Option<bool>, current: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    match (active, current) {
        (Some(true), _) => None,
        (Some(false), None) => Some(zhucun_persistence::now()),
        (_, current) => current,
    }
}

/// The five roles, as the API names them (documentation of `role` fields; the rules live in
/// `zhucun_domain::Role`).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    Admin,
    Department,
    Team,
    VillageCommittee,
    Regional,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    #[derive(serde::Serialize)]
    struct Fast {
        #[serde(serialize_with = "rfc3339")]
        at: DateTime<Utc>,
        #[serde(serialize_with = "rfc3339_opt")]
        maybe: Option<DateTime<Utc>>,
    }

    #[derive(serde::Serialize)]
    struct Chrono {
        at: DateTime<Utc>,
        maybe: Option<DateTime<Utc>>,
    }

    #[test]
    fn rfc3339_writes_what_chrono_writes() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a day");
        let mut times = Vec::new();
        for (date, (h, mi, s)) in [
            (day(2019, 7, 1), (8, 30, 0)),
            (day(2026, 12, 31), (23, 59, 59)),
            (day(0, 1, 1), (0, 0, 0)),
            (day(9999, 12, 31), (23, 59, 59)),
            (day(-1, 6, 15), (12, 0, 0)),
            (day(10000, 1, 1), (0, 0, 0)),
        ] {
            for nanos in [
                0,
                1,
                7_000,
                120_000,
                123_456_000,
                5_000_000,
                999_999_999,
                100_000_000,
                1_000_000_001,
            ] {
                if let Some(t) =
                    date.and_hms_nano_opt(h, mi, if nanos >= 1_000_000_000 { 59 } else { s }, nanos)
                {
                    times.push(Utc.from_utc_datetime(&t));
                }
            }
        }
        assert!(times.len() > 40);
        for t in times {
            for maybe in [None, Some(t)] {
                let fast = serde_json::to_string(&Fast { at: t, maybe }).expect("json");
                let chrono = serde_json::to_string(&Chrono { at: t, maybe }).expect("json");
                assert_eq!(fast, chrono, "{t:?}");
            }
        }
    }
}
