//! Days in the village (驻村考勤) without check-in theatre: a cadre records *days*, not clicks —
//! a range of dates in the village or away for a reason, optionally what was done (the 驻村日志).
//! One record per cadre per day. There is deliberately no place here for GPS positions, photos,
//! online time or rankings (the 2023 central guidance against 指尖上的形式主义): the monthly
//! summary is a list sorted by name that says, per cadre, how many days were spent in the village
//! against the department's minimum, the approved leave, and the days nobody accounted for.
//!
//! Leave (请假): a date range with a reason. Up to the department's local limit (default 3 days)
//! the team leader approves it; longer leave only the department (`department` role).

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};
use chrono::{Datelike, Days, NaiveDate};

/// The most days one request may write or ask for (two months).
pub const MAX_RANGE_DAYS: i64 = 62;

coded_enum! {
    /// Where a cadre was on a day.
    Status {
        InVillage = "in_village", "在村";
        Away = "away", "离村";
    }
}

coded_enum! {
    /// Why a cadre was away (and why leave is asked for).
    Reason {
        Leave = "leave", "请假";
        Meeting = "meeting", "参加会议";
        Training = "training", "参加培训";
        Sick = "sick", "病假";
        Official = "official", "公务外出";
    }
}

coded_enum! {
    /// Where a leave request stands.
    LeaveStatus {
        Pending = "pending", "待审批";
        Approved = "approved", "已批准";
        Refused = "refused", "未批准";
    }
}

/// The number of days from `from` to `to`, both included.
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// A range of days a request names: `from` ≤ `to`, at most [`MAX_RANGE_DAYS`] days, and — for
/// days recorded, not leave asked for — none after `latest` (today).
pub fn check_range(
    from: NaiveDate,
    to: NaiveDate,
    latest: Option<NaiveDate>,
) -> Result<(), FieldError> {
    if to < from {
        return Err(field_error("to", "the range ends before it starts")
            .coded("range_reversed", Vec::new()));
    }
    if days_inclusive(from, to) > MAX_RANGE_DAYS {
        return Err(
            field_error("to", format!("at most {MAX_RANGE_DAYS} days at once"))
                .coded("range_too_long", vec![("max", MAX_RANGE_DAYS.to_string())]),
        );
    }
    if let Some(today) = latest {
        if to > today {
            return Err(
                field_error("to", "days in the future cannot be recorded yet")
                    .coded("not_future", Vec::new()),
            );
        }
    }
    if from < crate::organisation::programme_start() {
        return Err(
            field_error("from", "before the programme started (2011-10-01)").coded(
                "before_programme",
                vec![("date", crate::organisation::programme_start().to_string())],
            ),
        );
    }
    Ok(())
}

/// The shape of a day's record: away needs a reason, in the village has none.
pub fn check_reason(status: Status, reason: Option<Reason>) -> Result<(), FieldError> {
    match (status, reason) {
        (Status::Away, None) => Err(crate::validation::required("reason")),
        (Status::InVillage, Some(_)) => Err(field_error("reason", "only a day away has a reason")
            .coded("reason_only_away", Vec::new())),
        _ => Ok(()),
    }
}

/// Every day of a range, in order.
pub fn days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        out.push(d);
        match d.checked_add_days(Days::new(1)) {
            Some(next) => d = next,
            None => break,
        }
    }
    out
}

/// The first and last day of a month written `YYYY-MM`.
pub fn month_bounds(field: &str, raw: &str) -> Result<(NaiveDate, NaiveDate), FieldError> {
    let bad = || {
        field_error(field, "a month is written YYYY-MM (2019-06)").coded("month_format", Vec::new())
    };
    let raw = raw.trim();
    let (y, m) = raw.split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    }
    .ok_or_else(bad)?;
    let last = next.pred_opt().ok_or_else(bad)?;
    Ok((first, last))
}

/// Who approves a leave of `days` days when the department allows `local_max` locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approver {
    /// The team leader (or the department).
    TeamLeader,
    /// Only the department.
    Department,
}

pub fn approver_for(days: i64, local_max: i32) -> Approver {
    if days <= i64::from(local_max) {
        Approver::TeamLeader
    } else {
        Approver::Department
    }
}

/// Why someone may not decide a leave request (403 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApprover {
    /// Longer than the local limit: only the department decides.
    NeedsDepartment,
    /// Not the leader of the cadre's team.
    NotTeamLeader,
    /// A leader does not decide their own leave.
    OwnRequest,
}

impl NotApprover {
    pub fn code(self) -> &'static str {
        match self {
            NotApprover::NeedsDepartment => "leave_needs_department",
            NotApprover::NotTeamLeader => "leave_not_team_leader",
            NotApprover::OwnRequest => "leave_own_request",
        }
    }
}

/// Who is deciding a leave request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    Department,
    /// A team user: whether they lead the request's team, and whether the request is their own.
    Team {
        leads_team: bool,
        own: bool,
    },
}

/// May `who` approve or refuse a leave of `days` days (local limit `local_max`)?
pub fn may_decide(who: Decider, days: i64, local_max: i32) -> Result<(), NotApprover> {
    match who {
        Decider::Department => Ok(()),
        Decider::Team { leads_team, own } => {
            if approver_for(days, local_max) == Approver::Department {
                Err(NotApprover::NeedsDepartment)
            } else if own {
                Err(NotApprover::OwnRequest)
            } else if !leads_team {
                Err(NotApprover::NotTeamLeader)
            } else {
                Ok(())
            }
        }
    }
}

/// A cadre's month in figures. Every number is a count of days of `period` (the month, cut to the
/// cadre's membership of the team and to today).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthFigures {
    /// Days of the month the summary covers.
    pub days_in_period: i64,
    pub days_in_village: i64,
    /// Days recorded away (any reason, leave included).
    pub days_away: i64,
    /// Days of approved leave in the period (recorded or not).
    pub approved_leave_days: i64,
    /// Days neither recorded nor covered by approved leave.
    pub days_unaccounted: i64,
    /// The department's minimum.
    pub min_days_in_village: i64,
    /// `days_in_village >= min_days_in_village`.
    pub meets_minimum: bool,
}

/// What a day's record says, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRecord {
    pub day: NaiveDate,
    pub status: Status,
}

/// The summary arithmetic: `records` are the cadre's days (one per day), `leave` the approved
/// leave ranges; only days inside `period` (inclusive, `None` when the cadre was not a member
/// that month) count.
pub fn month_figures(
    period: Option<(NaiveDate, NaiveDate)>,
    records: &[DayRecord],
    leave: &[(NaiveDate, NaiveDate)],
    min_days_in_village: i32,
) -> MonthFigures {
    let min = i64::from(min_days_in_village);
    let Some((first, last)) = period.filter(|(a, b)| a <= b) else {
        return MonthFigures {
            min_days_in_village: min,
            meets_minimum: min <= 0,
            ..MonthFigures::default()
        };
    };
    let inside = |d: NaiveDate| d >= first && d <= last;
    let on_leave = |d: NaiveDate| leave.iter().any(|(a, b)| d >= *a && d <= *b);
    let mut f = MonthFigures {
        days_in_period: days_inclusive(first, last),
        min_days_in_village: min,
        ..MonthFigures::default()
    };
    let mut recorded = std::collections::BTreeSet::new();
    for r in records.iter().filter(|r| inside(r.day)) {
        if !recorded.insert(r.day) {
            continue;
        }
        match r.status {
            Status::InVillage => f.days_in_village += 1,
            Status::Away => f.days_away += 1,
        }
    }
    for d in days(first, last) {
        let leave_day = on_leave(d);
        if leave_day {
            f.approved_leave_days += 1;
        }
        if !leave_day && !recorded.contains(&d) {
            f.days_unaccounted += 1;
        }
    }
    f.meets_minimum = f.days_in_village >= min;
    f
}

/// The part of `[first, last]` a membership `[from, to]` covers, cut at `today`.
pub fn period_of(
    (first, last): (NaiveDate, NaiveDate),
    member_from: NaiveDate,
    member_to: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let a = first.max(member_from);
    let b = member_to.map_or(last, |t| t.min(last)).min(today);
    (a <= b).then_some((a, b))
}

/// `YYYY-MM` of a day.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn ranges_are_bounded_and_not_in_the_future() {
        let today = d(2019, 6, 30);
        assert!(check_range(d(2019, 6, 1), d(2019, 6, 30), Some(today)).is_ok());
        assert!(check_range(d(2019, 6, 1), d(2019, 6, 1), Some(today)).is_ok());
        let code = |r: Result<(), FieldError>| r.err().map(|e| e.code);
        assert_eq!(
            code(check_range(d(2019, 6, 2), d(2019, 6, 1), Some(today))),
            Some("range_reversed")
        );
        // 62 days is the most; 63 is refused.
        assert!(check_range(d(2019, 4, 1), d(2019, 6, 1), None).is_ok());
        assert_eq!(days_inclusive(d(2019, 4, 1), d(2019, 6, 1)), 62);
        assert_eq!(
            code(check_range(d(2019, 4, 1), d(2019, 6, 2), None)),
            Some("range_too_long")
        );
        assert_eq!(
            code(check_range(d(2019, 6, 1), d(2019, 7, 1), Some(today))),
            Some("not_future")
        );
        // Leave may be asked for ahead.
        assert!(check_range(d(2019, 7, 1), d(2019, 7, 3), None).is_ok());
        assert_eq!(
            code(check_range(d(2011, 9, 1), d(2011, 9, 2), None)),
            Some("before_programme")
        );
    }

    #[test]
    fn away_needs_a_reason_in_village_has_none() {
        assert!(check_reason(Status::InVillage, None).is_ok());
        assert!(check_reason(Status::Away, Some(Reason::Meeting)).is_ok());
        assert_eq!(
            check_reason(Status::Away, None).err().map(|e| e.code),
            Some("required")
        );
        assert_eq!(
            check_reason(Status::InVillage, Some(Reason::Sick))
                .err()
                .map(|e| e.code),
            Some("reason_only_away")
        );
    }

    #[test]
    fn months() {
        assert_eq!(
            month_bounds("month", "2019-06").ok(),
            Some((d(2019, 6, 1), d(2019, 6, 30)))
        );
        assert_eq!(
            month_bounds("month", "2020-02").ok(),
            Some((d(2020, 2, 1), d(2020, 2, 29)))
        );
        assert_eq!(
            month_bounds("month", "2019-12").ok(),
            Some((d(2019, 12, 1), d(2019, 12, 31)))
        );
        for bad in ["2019-13", "2019-6", "19-06", "2019/06", "", "2019-00"] {
            assert!(month_bounds("month", bad).is_err(), "{bad}");
        }
        assert_eq!(month_of(d(2019, 6, 3)), "2019-06");
        assert_eq!(days(d(2019, 6, 29), d(2019, 7, 2)).len(), 4);
    }

    #[test]
    fn leave_approval_by_length_and_role() {
        let leader = Decider::Team {
            leads_team: true,
            own: false,
        };
        let member = Decider::Team {
            leads_team: false,
            own: false,
        };
        // Up to the local limit (3): the leader; one day more: only the department.
        assert_eq!(may_decide(leader, 3, 3), Ok(()));
        assert_eq!(may_decide(leader, 4, 3), Err(NotApprover::NeedsDepartment));
        assert_eq!(may_decide(Decider::Department, 4, 3), Ok(()));
        assert_eq!(may_decide(Decider::Department, 62, 3), Ok(()));
        assert_eq!(may_decide(member, 1, 3), Err(NotApprover::NotTeamLeader));
        let own = Decider::Team {
            leads_team: true,
            own: true,
        };
        assert_eq!(may_decide(own, 1, 3), Err(NotApprover::OwnRequest));
        // A department with a local limit of 5.
        assert_eq!(may_decide(leader, 5, 5), Ok(()));
        assert_eq!(approver_for(6, 5), Approver::Department);
    }

    #[test]
    fn the_month_in_figures() {
        let june = (d(2019, 6, 1), d(2019, 6, 30));
        let mut records = Vec::new();
        // 22 days in the village (1–22), 2 away at a meeting (23–24).
        for day in 1..=22 {
            records.push(DayRecord {
                day: d(2019, 6, day),
                status: Status::InVillage,
            });
        }
        for day in 23..=24 {
            records.push(DayRecord {
                day: d(2019, 6, day),
                status: Status::Away,
            });
        }
        // Approved leave 24–26: day 24 is also recorded away; 25, 26 only by the leave.
        let leave = [(d(2019, 6, 24), d(2019, 6, 26))];
        let f = month_figures(Some(june), &records, &leave, 20);
        assert_eq!(f.days_in_period, 30);
        assert_eq!(f.days_in_village, 22);
        assert_eq!(f.days_away, 2);
        assert_eq!(f.approved_leave_days, 3);
        // 27–30 nobody accounted for.
        assert_eq!(f.days_unaccounted, 4);
        assert!(f.meets_minimum);
        // Records outside the period do not count; 19 days is below 20.
        let period = Some((d(2019, 6, 4), d(2019, 6, 30)));
        let f = month_figures(period, &records, &[], 20);
        assert_eq!(f.days_in_village, 19);
        assert!(!f.meets_minimum);
        assert_eq!(f.days_in_period, 27);
        assert_eq!(f.days_unaccounted, 27 - 19 - 2);
        // Not a member that month.
        let f = month_figures(None, &records, &leave, 20);
        assert_eq!(f.days_in_period, 0);
        assert_eq!(f.days_in_village, 0);
        assert!(!f.meets_minimum);
    }

    #[test]
    fn a_membership_cuts_the_month() {
        let june = (d(2019, 6, 1), d(2019, 6, 30));
        let today = d(2026, 1, 1);
        assert_eq!(period_of(june, d(2018, 10, 1), None, today), Some(june));
        assert_eq!(
            period_of(june, d(2019, 6, 10), Some(d(2019, 6, 20)), today),
            Some((d(2019, 6, 10), d(2019, 6, 20)))
        );
        assert_eq!(period_of(june, d(2019, 7, 1), None, today), None);
        assert_eq!(
            period_of(june, d(2018, 10, 1), None, d(2019, 6, 15)),
            Some((d(2019, 6, 1), d(2019, 6, 15)))
        );
    }
}
