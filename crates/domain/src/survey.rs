//! Village surveys (村情调研): one per village per year, figures that years compare side by side.
//! Areas are in 亩 with one decimal, kept exactly as whole tenths (no floating point); money is
//! fen.

use crate::validation::{field_error, FieldError, Invalid};
use chrono::Datelike;

/// An area in 亩, stored as whole tenths of a 亩.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mu(i64);

/// Largest area accepted: 100 million 亩 (Tibet's largest counties are far below it).
const MAX_MU_TENTHS: i64 = 1_000_000_000;

impl Mu {
    pub fn from_tenths(tenths: i64) -> Option<Mu> {
        (0..=MAX_MU_TENTHS).contains(&tenths).then_some(Mu(tenths))
    }

    pub fn tenths(self) -> i64 {
        self.0
    }

    /// Parses `12345`, `12345.6` or `0.5`: digits with at most one decimal, never negative.
    pub fn parse(field: &str, raw: &str) -> Result<Mu, FieldError> {
        let bad = || {
            field_error(
                field,
                "must be a number of 亩 with at most one decimal, e.g. 12500.5",
            )
            .coded("mu_decimal", Vec::new())
        };
        let raw = raw.trim();
        let (whole, tenth) = match raw.split_once('.') {
            Some((w, t)) if t.len() == 1 => (w, t),
            Some(_) => return Err(bad()),
            None => (raw, "0"),
        };
        if whole.is_empty()
            || whole.len() > 9
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !tenth.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let tenth: i64 = tenth.parse().map_err(|_| bad())?;
        Mu::from_tenths(whole * 10 + tenth).ok_or_else(bad)
    }
}

impl std::fmt::Display for Mu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 % 10 == 0 {
            write!(f, "{}", self.0 / 10)
        } else {
            write!(f, "{}.{}", self.0 / 10, self.0 % 10)
        }
    }
}

/// The year of a survey: from the programme's first year to next year (surveys are prepared
/// ahead of a round).
pub fn year(field: &str, year: i32, today: chrono::NaiveDate) -> Result<i32, FieldError> {
    let last = today.year() + 1;
    if (2011..=last).contains(&year) {
        Ok(year)
    } else {
        Err(crate::validation::between(field, 2011, last))
    }
}

/// A head or household count: 0 to 10 million.
pub fn count(inv: &mut Invalid, field: &str, n: i64) -> i64 {
    if !(0..=10_000_000).contains(&n) {
        inv.push(crate::validation::between(field, 0, 10_000_000));
    }
    n
}

/// An amount of money in fen: 0 to 10 billion yuan.
pub fn fen(inv: &mut Invalid, field: &str, n: i64) -> i64 {
    if !(0..=1_000_000_000_000).contains(&n) {
        inv.push(crate::validation::between(field, 0, 1_000_000_000_000_i64));
    }
    n
}

/// Households of a kind cannot outnumber the village's households.
pub fn household_shares(inv: &mut Invalid, households: i64, poor: i64, marginal: i64) {
    if poor > households {
        inv.push(
            field_error(
                "poor_households",
                "cannot be more than the village's households",
            )
            .coded("exceeds_households", Vec::new()),
        );
    }
    if marginal > households {
        inv.push(
            field_error(
                "marginal_households",
                "cannot be more than the village's households",
            )
            .coded("exceeds_households", Vec::new()),
        );
    }
    if poor.saturating_add(marginal) > households {
        inv.push(
            field_error(
                "marginal_households",
                "poor and marginal households together cannot be more than the village's households",
            )
            .coded("shares_exceed_households", Vec::new()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mu_keeps_one_decimal_exactly() {
        let parse = |s: &str| Mu::parse("pasture_mu", s).map(Mu::tenths);
        assert_eq!(parse("12500.5"), Ok(125_005));
        assert_eq!(parse("0.1"), Ok(1));
        assert_eq!(parse("300"), Ok(3000));
        assert_eq!(parse(" 7 "), Ok(70));
        for bad in [
            "-1",
            "1.25",
            "1.",
            ".5",
            "1e3",
            "",
            "abc",
            "1,5",
            "1234567890",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Mu::from_tenths(125_005).map(|m| m.to_string()),
            Some("12500.5".to_owned())
        );
        assert_eq!(
            Mu::from_tenths(3000).map(|m| m.to_string()),
            Some("300".to_owned())
        );
        assert_eq!(Mu::from_tenths(-1), None);
    }

    #[test]
    fn shares_and_years() {
        let mut inv = Invalid::new();
        household_shares(&mut inv, 100, 60, 30);
        assert!(inv.is_empty());
        household_shares(&mut inv, 100, 60, 50);
        assert_eq!(inv.errors.len(), 1);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        assert!(year("year", 2011, today).is_ok());
        assert!(year("year", 2027, today).is_ok());
        assert!(year("year", 2010, today).is_err());
        assert!(year("year", 2028, today).is_err());
    }
}
