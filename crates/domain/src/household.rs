//! Households (农牧户), their category and its history, the yearly 两不愁三保障 checklist, pairings
//! (结对认亲) and assistance (帮扶): the words as types and the rules, no storage.
//!
//! Households are personal data. National ID numbers are never stored: a text that holds one is
//! refused (`looks_like_national_id`).

use crate::validation::{field_error, one_of, FieldError};
use chrono::NaiveDate;

/// Defines a coded enum: stable wire code and Chinese label per variant, `ALL`, `parse`.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            pub const CODES: &'static [&'static str] = &[$($code,)+];

            /// The stable code stored and sent on the wire.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The Chinese name shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// `raw` as a value of this list, or a `one_of` error on `field`.
            pub fn parse(field: &str, raw: &str) -> Result<$name, FieldError> {
                $name::from_code(raw.trim()).ok_or_else(|| one_of(field, $name::CODES))
            }
        }
    };
}

coded_enum! {
    /// A household's category (建档立卡 status and after).
    Category {
        Poor = "poor", "建档立卡贫困户";
        Marginal = "marginal", "边缘户";
        Lifted = "lifted", "脱贫户";
        Monitored = "monitored", "监测户";
        Ordinary = "ordinary", "一般户";
    }
}

impl Category {
    /// The categories that should have a pairing every year (pairing coverage).
    pub fn needs_pairing(self) -> bool {
        matches!(
            self,
            Category::Poor | Category::Marginal | Category::Monitored
        )
    }
}

coded_enum! {
    /// The three kinds of monitored household (防返贫监测对象).
    MonitoringType {
        UnstableLifted = "unstable_lifted", "脱贫不稳定户";
        MarginalAtRisk = "marginal_at_risk", "边缘易致贫户";
        SuddenHardship = "sudden_hardship", "突发严重困难户";
    }
}

coded_enum! {
    /// The coded causes of poverty (致贫原因); a household may have several.
    Cause {
        Illness = "illness", "因病";
        Disability = "disability", "因残";
        Schooling = "schooling", "因学";
        Disaster = "disaster", "因灾";
        Land = "land", "缺土地";
        Water = "water", "缺水";
        Skills = "skills", "缺技术";
        Labour = "labour", "缺劳力";
        Capital = "capital", "缺资金";
        Transport = "transport", "交通条件落后";
        Motivation = "motivation", "自身发展动力不足";
        Other = "other", "其他";
    }
}

coded_enum! {
    /// What a piece of assistance was.
    AssistanceKind {
        Cash = "cash", "现金";
        Goods = "goods", "物资";
        Service = "service", "服务";
    }
}

/// The category a household is in, with the monitoring type when it is monitored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub category: Category,
    pub monitoring_type: Option<MonitoringType>,
}

impl Standing {
    /// A monitored household needs its monitoring type; any other category must not have one.
    pub fn new(
        category: Category,
        monitoring_type: Option<MonitoringType>,
    ) -> Result<Standing, FieldError> {
        match (category, monitoring_type) {
            (Category::Monitored, None) => Err(field_error(
                "monitoring_type",
                "is required for a monitored household",
            )
            .coded("monitoring_type_required", Vec::new())),
            (Category::Monitored, Some(_)) | (_, None) => Ok(Standing {
                category,
                monitoring_type,
            }),
            (_, Some(_)) => Err(field_error(
                "monitoring_type",
                "is only for a household of category monitored",
            )
            .coded("monitoring_type_only_monitored", Vec::new())),
        }
    }
}

/// The date a new category holds from: not before the current one's (the history is in order and
/// never rewritten), not after `today`.
pub fn check_since(
    field: &str,
    since: NaiveDate,
    current_since: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    if since > today {
        return Err(field_error(field, "must not be in the future").coded("not_future", Vec::new()));
    }
    if let Some(current) = current_since {
        if since < current {
            return Err(field_error(
                field,
                format!("must not be before the current category's date {current}"),
            )
            .coded("since_before_current", vec![("date", current.to_string())]));
        }
    }
    Ok(since)
}

/// Causes as stored: codes sorted in list order, each once, joined by commas.
pub fn causes_to_stored(causes: &[Cause]) -> String {
    let mut sorted = causes.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Causes from storage (unknown codes, which only a newer version could have written, are skipped).
pub fn causes_from_stored(stored: &str) -> Vec<Cause> {
    stored
        .split(',')
        .filter_map(|c| Cause::from_code(c.trim()))
        .collect()
}

/// Causes from a request: every code known, at most each once (a repeat is a mistake worth telling).
pub fn parse_causes(field: &str, raw: &[String]) -> Result<Vec<Cause>, FieldError> {
    let mut causes = Vec::with_capacity(raw.len());
    for code in raw {
        let cause = Cause::parse(field, code)?;
        if causes.contains(&cause) {
            return Err(field_error(field, format!("names {} twice", cause.code()))
                .coded("repeated", vec![("value", cause.code().to_owned())]));
        }
        causes.push(cause);
    }
    causes.sort();
    Ok(causes)
}

/// Whether `text` holds something shaped like a mainland resident ID number: 17 digits and a check
/// character (digit or X), not part of a longer run of digits. Checked on every free-text field of
/// a household, assistance or pairing, since such a number must never be stored. The check
/// character is not verified: a mistyped ID number is still an ID number.
pub fn looks_like_national_id(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_digit(chars[i]) {
            i += 1;
        }
        let run = i - start;
        let before_ok = start == 0 || !chars[start - 1].is_ascii_alphanumeric();
        if run == 18 && before_ok && (i == chars.len() || !chars[i].is_ascii_alphanumeric()) {
            return true;
        }
        if run == 17
            && before_ok
            && i < chars.len()
            && matches!(chars[i], 'X' | 'x' | 'Ｘ' | 'ｘ')
            && (i + 1 == chars.len() || !chars[i + 1].is_ascii_alphanumeric())
        {
            return true;
        }
    }
    false
}

/// Refuses `value` of `field` when it holds an ID number.
pub fn refuse_national_id(field: &str, value: Option<&str>) -> Result<(), FieldError> {
    match value {
        Some(v) if looks_like_national_id(v) => Err(field_error(
            field,
            "must not contain a national ID number (身份证号 are not stored)",
        )
        .coded("national_id", Vec::new())),
        _ => Ok(()),
    }
}

/// Whether a role sees a household's personal data (member names, phone): the department and the
/// team and committee of the village do (PRODUCT.md "Users and roles"); the admin administers the
/// system and sees the household without them; `regional` sees no household at all.
pub fn sees_personal_data(role: crate::Role) -> bool {
    matches!(
        role,
        crate::Role::Department | crate::Role::Team | crate::Role::VillageCommittee
    )
}

/// A new category entry must change the standing: the same category and monitoring type again
/// would add a history row that says nothing.
pub fn check_changes(field: &str, current: Standing, new: Standing) -> Result<(), FieldError> {
    if current == new {
        Err(
            field_error(field, "is the household's current category already")
                .coded("same_category", Vec::new()),
        )
    } else {
        Ok(())
    }
}

/// A household's number of members.
pub fn check_members(field: &str, members: i32) -> Result<i32, FieldError> {
    if (1..=50).contains(&members) {
        Ok(members)
    } else {
        Err(crate::validation::between(field, 1, 50))
    }
}

/// Largest single assistance record: 1,000,000 yuan.
pub const MAX_ASSISTANCE_FEN: i64 = 100_000_000;

/// Cash and goods have a positive value (goods valued in fen); a service may be worth 0.
pub fn check_assistance_amount(
    field: &str,
    kind: AssistanceKind,
    amount_fen: i64,
) -> Result<i64, FieldError> {
    let min = if kind == AssistanceKind::Service {
        0
    } else {
        1
    };
    if (min..=MAX_ASSISTANCE_FEN).contains(&amount_fen) {
        Ok(amount_fen)
    } else {
        Err(crate::validation::between(field, min, MAX_ASSISTANCE_FEN))
    }
}

/// The year of a pairing: from the programme's first year to next year (pairings are agreed
/// ahead of a year).
pub fn pairing_year(field: &str, year: i32, today: NaiveDate) -> Result<i32, FieldError> {
    use chrono::Datelike;
    let last = today.year() + 1;
    if (2011..=last).contains(&year) {
        Ok(year)
    } else {
        Err(crate::validation::between(field, 2011, last))
    }
}

/// The day assistance was given: not before the programme began (2011-10-01), not after `today`.
pub fn assistance_date(
    field: &str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, FieldError> {
    let start = crate::organisation::programme_start();
    if date < start {
        return Err(
            field_error(field, "must not be before the programme began (2011-10-01)")
                .coded("before_programme", vec![("date", start.to_string())]),
        );
    }
    if date > today {
        return Err(field_error(field, "must not be in the future").coded("not_future", Vec::new()));
    }
    Ok(date)
}

/// The day a year's pairing coverage is judged on: the year's last day, or `today` for the
/// running year (a category changed later in the year than today is not known yet).
pub fn coverage_day(year: i32, today: NaiveDate) -> NaiveDate {
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    end.min(today)
}

/// The six items of the yearly checklist: 两不愁 (food, clothing), 三保障 (compulsory education,
/// basic medical care, safe housing) and safe drinking water.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckItem {
    Food,
    Clothing,
    Education,
    Medical,
    Housing,
    Water,
}

impl CheckItem {
    pub const ALL: [CheckItem; 6] = [
        CheckItem::Food,
        CheckItem::Clothing,
        CheckItem::Education,
        CheckItem::Medical,
        CheckItem::Housing,
        CheckItem::Water,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CheckItem::Food => "food",
            CheckItem::Clothing => "clothing",
            CheckItem::Education => "education",
            CheckItem::Medical => "medical",
            CheckItem::Housing => "housing",
            CheckItem::Water => "water",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CheckItem::Food => "不愁吃",
            CheckItem::Clothing => "不愁穿",
            CheckItem::Education => "义务教育有保障",
            CheckItem::Medical => "基本医疗有保障",
            CheckItem::Housing => "住房安全有保障",
            CheckItem::Water => "饮水安全有保障",
        }
    }
}

/// How many items of a checklist are not met.
pub fn unmet_count(met: [bool; 6]) -> i32 {
    met.iter().filter(|m| !**m).count() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for c in Category::ALL {
            assert_eq!(Category::from_code(c.code()), Some(*c));
        }
        for c in Cause::ALL {
            assert_eq!(Cause::from_code(c.code()), Some(*c));
        }
        let e = Category::parse("category", "rich").unwrap_err();
        assert_eq!(e.code, "one_of");
        assert_eq!(e.field, "category");
        assert_eq!(
            Cause::ALL.len(),
            12,
            "the coded list in PRODUCT.md has twelve causes"
        );
    }

    #[test]
    fn monitoring_type_goes_with_monitored_only() {
        assert!(Standing::new(Category::Monitored, Some(MonitoringType::SuddenHardship)).is_ok());
        assert_eq!(
            Standing::new(Category::Monitored, None).unwrap_err().code,
            "monitoring_type_required"
        );
        assert_eq!(
            Standing::new(Category::Poor, Some(MonitoringType::MarginalAtRisk))
                .unwrap_err()
                .code,
            "monitoring_type_only_monitored"
        );
        assert!(Standing::new(Category::Lifted, None).is_ok());
    }

    #[test]
    fn a_category_holds_from_a_date_in_order_and_not_in_the_future() {
        let today = d("2026-11-29");
        assert!(check_since("since", d("2026-11-29"), Some(d("2026-11-29")), today).is_ok());
        assert!(check_since("since", d("2020-01-01"), None, today).is_ok());
        assert_eq!(
            check_since("since", d("2019-12-31"), Some(d("2020-01-01")), today)
                .unwrap_err()
                .code,
            "since_before_current"
        );
        assert_eq!(
            check_since("since", d("2026-11-30"), None, today)
                .unwrap_err()
                .code,
            "not_future"
        );
    }

    #[test]
    fn causes_are_stored_sorted_once_and_repeats_are_refused() {
        let raw = vec!["water".to_owned(), "illness".to_owned()];
        let causes = parse_causes("causes", &raw).unwrap();
        assert_eq!(causes_to_stored(&causes), "illness,water");
        assert_eq!(causes_from_stored("illness,water"), causes);
        assert_eq!(causes_from_stored(""), Vec::<Cause>::new());
        let twice = vec!["water".to_owned(), "water".to_owned()];
        assert_eq!(parse_causes("causes", &twice).unwrap_err().code, "repeated");
        let unknown = vec!["luck".to_owned()];
        assert_eq!(parse_causes("causes", &unknown).unwrap_err().code, "one_of");
    }

    #[test]
    fn id_numbers_are_recognised_and_other_numbers_pass() {
        assert!(looks_like_national_id("540121199001011234"));
        assert!(looks_like_national_id("身份证54012119900101123X号"));
        assert!(looks_like_national_id("id 54012119900101123x"));
        assert!(looks_like_national_id(
            "５４０１２１１９９００１０１１２３４"
        ));
        // A phone number, a 19-digit bank card, a 17-digit run, a date: not ID numbers.
        assert!(!looks_like_national_id("13908001234"));
        assert!(!looks_like_national_id("6222021234567890123"));
        assert!(!looks_like_national_id("54012119900101123"));
        assert!(!looks_like_national_id("2019-10-01"));
        assert!(!looks_like_national_id("A540121199001011234"));
        assert_eq!(
            refuse_national_id("notes", Some("540121199001011234"))
                .unwrap_err()
                .code,
            "national_id"
        );
        assert!(refuse_national_id("notes", None).is_ok());
    }

    #[test]
    fn assistance_amounts_by_kind() {
        assert!(check_assistance_amount("amount_fen", AssistanceKind::Service, 0).is_ok());
        assert!(check_assistance_amount("amount_fen", AssistanceKind::Cash, 0).is_err());
        assert!(check_assistance_amount("amount_fen", AssistanceKind::Goods, -5).is_err());
        assert!(
            check_assistance_amount("amount_fen", AssistanceKind::Cash, MAX_ASSISTANCE_FEN).is_ok()
        );
        assert!(check_assistance_amount(
            "amount_fen",
            AssistanceKind::Cash,
            MAX_ASSISTANCE_FEN + 1
        )
        .is_err());
    }

    #[test]
    fn pairing_years_assistance_dates_and_the_coverage_day() {
        let today = d("2026-11-29");
        assert!(pairing_year("year", 2019, today).is_ok());
        assert!(pairing_year("year", 2027, today).is_ok());
        assert_eq!(
            pairing_year("year", 2028, today).unwrap_err().code,
            "between"
        );
        assert_eq!(
            pairing_year("year", 2010, today).unwrap_err().code,
            "between"
        );
        assert!(assistance_date("given_on", d("2011-10-01"), today).is_ok());
        assert!(assistance_date("given_on", today, today).is_ok());
        assert_eq!(
            assistance_date("given_on", d("2011-09-30"), today)
                .unwrap_err()
                .code,
            "before_programme"
        );
        assert_eq!(
            assistance_date("given_on", d("2026-11-30"), today)
                .unwrap_err()
                .code,
            "not_future"
        );
        assert_eq!(coverage_day(2019, today), d("2019-12-31"));
        assert_eq!(coverage_day(2026, today), today);
        assert!(Category::Monitored.needs_pairing() && !Category::Lifted.needs_pairing());
    }

    #[test]
    fn personal_data_and_repeated_standing() {
        use crate::Role;
        assert!(sees_personal_data(Role::Team));
        assert!(sees_personal_data(Role::Department));
        assert!(sees_personal_data(Role::VillageCommittee));
        assert!(!sees_personal_data(Role::Admin));
        assert!(!sees_personal_data(Role::Regional));
        let lifted = Standing::new(Category::Lifted, None).unwrap();
        let watched =
            Standing::new(Category::Monitored, Some(MonitoringType::UnstableLifted)).unwrap();
        let hardship =
            Standing::new(Category::Monitored, Some(MonitoringType::SuddenHardship)).unwrap();
        assert_eq!(
            check_changes("category", lifted, lifted).unwrap_err().code,
            "same_category"
        );
        assert!(check_changes("category", lifted, watched).is_ok());
        // Another monitoring type is a change.
        assert!(check_changes("monitoring_type", watched, hardship).is_ok());
    }

    #[test]
    fn members_and_unmet_items() {
        assert!(check_members("members", 0).is_err());
        assert!(check_members("members", 1).is_ok());
        assert!(check_members("members", 51).is_err());
        assert_eq!(unmet_count([true; 6]), 0);
        assert_eq!(unmet_count([true, false, true, true, false, true]), 2);
    }
}
