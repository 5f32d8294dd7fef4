//! Rules of the organisation module: department settings and the date rules of rounds and teams.

use crate::validation::{between, field_error, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Numbers PRODUCT.md asks to be settings of a department, with the article's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentSettings {
    /// Days a month a cadre must spend in the village.
    pub min_days_in_village: i32,
    /// Longest leave (days) a team leader approves locally; longer goes to the department.
    pub local_leave_max_days: i32,
    /// Smallest allowed work team.
    pub min_team_size: i32,
    /// 四议两公开 step 4: percent of those entitled who must attend the villagers'
    /// (representatives') meeting.
    pub villagers_quorum_percent: i32,
    /// Days within which a decision's resolution must be disclosed.
    pub major_disclosure_days: i32,
}

impl Default for DepartmentSettings {
    fn default() -> Self {
        Self {
            min_days_in_village: 20,
            local_leave_max_days: 3,
            min_team_size: 3,
            villagers_quorum_percent: 50,
            major_disclosure_days: 7,
        }
    }
}

impl DepartmentSettings {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(1..=31).contains(&self.min_days_in_village) {
            errors.push(between("settings.min_days_in_village", 1, 31));
        }
        if !(0..=31).contains(&self.local_leave_max_days) {
            errors.push(between("settings.local_leave_max_days", 0, 31));
        }
        if !(1..=50).contains(&self.min_team_size) {
            errors.push(between("settings.min_team_size", 1, 50));
        }
        let (lo, hi) = crate::decision::QUORUM_PERCENT;
        if !(lo..=hi).contains(&self.villagers_quorum_percent) {
            errors.push(between("settings.villagers_quorum_percent", lo, hi));
        }
        let (lo, hi) = crate::decision::MAJOR_DISCLOSURE_DAYS;
        if !(lo..=hi).contains(&self.major_disclosure_days) {
            errors.push(between("settings.major_disclosure_days", lo, hi));
        }
        errors
    }
}

/// The programme began in October 2011; nothing in it is dated earlier.
pub fn programme_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2011, 10, 1).unwrap_or(NaiveDate::MIN)
}

/// A round's dates: it starts no earlier than the programme and ends after it starts.
pub fn round_dates(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), FieldError> {
    if starts_on < programme_start() {
        return Err(field_error(
            "starts_on",
            "must not be before the programme began (2011-10-01)",
        )
        .coded("before_programme", vec![("date", "2011-10-01".to_owned())]));
    }
    if ends_on <= starts_on {
        return Err(field_error("ends_on", "must be after starts_on")
            .coded("not_after", vec![("other", "starts_on".to_owned())]));
    }
    Ok(())
}

/// A membership's dates: an open end is allowed; a closed one is not before the start; both lie
/// within the round (a cadre is stationed for the round they were sent with).
pub fn membership_dates(
    from: NaiveDate,
    to: Option<NaiveDate>,
    round: (NaiveDate, NaiveDate),
) -> Result<(), FieldError> {
    if let Some(to) = to {
        if to < from {
            return Err(field_error("to_date", "must not be before from_date")
                .coded("before", vec![("other", "from_date".to_owned())]));
        }
        if to > round.1 {
            return Err(field_error(
                "to_date",
                format!("must not be after the round ends ({})", round.1),
            )
            .coded("after_round", vec![("end", round.1.to_string())]));
        }
    }
    if from < round.0 || from > round.1 {
        return Err(field_error(
            "from_date",
            format!("must lie within the round ({} – {})", round.0, round.1),
        )
        .coded(
            "outside_round",
            vec![("start", round.0.to_string()), ("end", round.1.to_string())],
        ));
    }
    Ok(())
}

/// Whether a membership covers `day`.
pub fn membership_covers(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from <= day && to.is_none_or(|to| day <= to)
}

/// Administrative codes (行政区划代码) are digits, 6 to 12 of them.
pub fn village_code(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(code)
            if (6..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Ok(Some(code.to_owned()))
        }
        Some(_) => Err(field_error("code", "must be 6 to 12 digits").coded(
            "digits",
            vec![("min", "6".to_owned()), ("max", "12".to_owned())],
        )),
    }
}

/// Latitude and longitude come together, within range.
pub fn coordinates(lat: Option<f64>, lon: Option<f64>) -> Result<(), FieldError> {
    match (lat, lon) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon)) => {
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                return Err(between("latitude", -90, 90));
            }
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                return Err(between("longitude", -180, 180));
            }
            Ok(())
        }
        (Some(_), None) => Err(
            field_error("longitude", "is required when latitude is given")
                .coded("required_with", vec![("other", "latitude".to_owned())]),
        ),
        (None, Some(_)) => Err(
            field_error("latitude", "is required when longitude is given")
                .coded("required_with", vec![("other", "longitude".to_owned())]),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn defaults_match_the_rules() {
        let s = DepartmentSettings::default();
        assert_eq!(
            (
                s.min_days_in_village,
                s.local_leave_max_days,
                s.min_team_size
            ),
            (20, 3, 3)
        );
        assert!(s.validate().is_empty());
        let bad = DepartmentSettings {
            min_days_in_village: 40,
            ..s
        };
        assert_eq!(bad.validate().len(), 1);
    }

    #[test]
    fn round_dates_rules() {
        assert!(round_dates(d(2011, 10, 1), d(2012, 9, 30)).is_ok());
        assert!(round_dates(d(2011, 9, 30), d(2012, 9, 30)).is_err());
        assert!(round_dates(d(2020, 1, 1), d(2020, 1, 1)).is_err());
    }

    #[test]
    fn membership_rules() {
        let round = (d(2019, 3, 1), d(2020, 2, 28));
        assert!(membership_dates(d(2019, 3, 1), None, round).is_ok());
        assert!(membership_dates(d(2019, 3, 1), Some(d(2019, 2, 1)), round).is_err());
        assert!(membership_dates(d(2018, 3, 1), None, round).is_err());
        assert!(membership_dates(d(2019, 3, 1), Some(d(2021, 1, 1)), round).is_err());
        assert!(membership_covers(d(2019, 3, 1), None, d(2030, 1, 1)));
        assert!(membership_covers(
            d(2019, 3, 1),
            Some(d(2019, 3, 1)),
            d(2019, 3, 1)
        ));
        assert!(!membership_covers(
            d(2019, 3, 2),
            Some(d(2019, 4, 1)),
            d(2019, 3, 1)
        ));
        assert!(!membership_covers(
            d(2019, 3, 2),
            Some(d(2019, 4, 1)),
            d(2019, 4, 2)
        ));
    }

    #[test]
    fn codes_and_coordinates() {
        assert_eq!(
            village_code(Some(" 540236 ")),
            Ok(Some("540236".to_owned()))
        );
        assert_eq!(village_code(Some("")), Ok(None));
        assert!(village_code(Some("54A236")).is_err());
        assert!(coordinates(Some(29.6), Some(89.1)).is_ok());
        assert!(coordinates(Some(91.0), Some(89.1)).is_err());
        assert!(coordinates(Some(29.6), None).is_err());
        assert!(coordinates(Some(f64::NAN), Some(1.0)).is_err());
    }
}
