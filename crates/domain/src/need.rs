//! Residents' needs (群众诉求): a difficulty raised by a household or a person of the village, and
//! its way through `open → in_progress → resolved / declined` — pure rules, the state machine
//! tested as a table. A need may also be resolved or declined straight from `open` (a small
//! repair done the same day; a request outside what the team can do). Resolved and declined are
//! final. Declining says why; resolving says how, and may note how satisfied the residents were.

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};
use chrono::NaiveDate;

coded_enum! {
    /// What a need is about.
    Category {
        Water = "water", "饮水";
        Road = "road", "道路";
        Electricity = "electricity", "用电";
        Housing = "housing", "住房";
        Health = "health", "医疗";
        Education = "education", "教育";
        Income = "income", "增收";
        Other = "other", "其他";
    }
}

coded_enum! {
    /// Where a need stands.
    Status {
        Open = "open", "待办理";
        InProgress = "in_progress", "办理中";
        Resolved = "resolved", "已解决";
        Declined = "declined", "不予办理";
    }
}

impl Status {
    /// Still waiting for an answer (in the queue).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Open | Status::InProgress)
    }
}

/// The statuses a need at `from` may move to.
pub fn allowed_moves(from: Status) -> &'static [Status] {
    match from {
        Status::Open => &[Status::InProgress, Status::Resolved, Status::Declined],
        Status::InProgress => &[Status::Resolved, Status::Declined],
        Status::Resolved | Status::Declined => &[],
    }
}

/// A move that may be made, or the refusal naming the moves there are.
pub fn check_move(from: Status, to: Status) -> Result<(), &'static [Status]> {
    let allowed = allowed_moves(from);
    if allowed.contains(&to) {
        Ok(())
    } else {
        Err(allowed)
    }
}

/// What a move says: a reason (declining), a resolution and an optional satisfaction note
/// (resolving), as the request gives them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Closing<'a> {
    pub reason: Option<&'a str>,
    pub resolution: Option<&'a str>,
    pub satisfaction: Option<&'a str>,
}

fn given(v: Option<&str>) -> bool {
    v.is_some_and(|s| !s.trim().is_empty())
}

/// `field` is said only when moving to `status`.
pub fn not_for_status(field: &str, status: Status) -> FieldError {
    field_error(field, format!("only a move to {} says this", status.code()))
        .coded("not_for_status", vec![("status", status.code().to_owned())])
}

/// Declining needs a reason; resolving a resolution (and may note satisfaction); nothing else
/// carries them.
pub fn check_closing(to: Status, c: Closing<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let fields = [
        ("reason", c.reason, Status::Declined, true),
        ("resolution", c.resolution, Status::Resolved, true),
        ("satisfaction", c.satisfaction, Status::Resolved, false),
    ];
    for (field, value, of, required) in fields {
        if to != of && given(value) {
            errors.push(not_for_status(field, of));
        } else if to == of && required && !given(value) {
            errors.push(crate::validation::required(field));
        }
    }
    errors
}

/// A need is raised by a household of the village or by someone named in free text: one of the
/// two.
pub fn check_raiser(has_household: bool, raised_by: Option<&str>) -> Option<FieldError> {
    if has_household == given(raised_by) {
        Some(
            field_error(
                "raised_by",
                "name either the household (household_id) or who raised it (raised_by), not both",
            )
            .coded("household_or_raised_by", Vec::new()),
        )
    } else {
        None
    }
}

/// The due day is not before the day the need was raised.
pub fn check_due(raised_on: NaiveDate, due_on: Option<NaiveDate>) -> Option<FieldError> {
    due_on.filter(|d| *d < raised_on).map(|_| {
        field_error("due_on", "must not be before raised_on")
            .coded("before", vec![("other", "raised_on".to_owned())])
    })
}

/// Open (or in progress) past its due day.
pub fn is_overdue(status: Status, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    status.is_open() && due_on.is_some_and(|d| d < today)
}

/// The queue's order as one sortable text: needs still open first, the oldest first.
pub fn queue_key(status: Status, raised_on: NaiveDate) -> String {
    format!("{}{raised_on}", if status.is_open() { '0' } else { '1' })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    /// The machine as a table: from each status, the statuses it may move to. Written from the
    /// issue (open → in_progress → resolved / declined; resolved and declined are final).
    #[rustfmt::skip]
    const TABLE: &[(Status, &[Status])] = &[
        (Open,       &[InProgress, Resolved, Declined]),
        (InProgress, &[Resolved, Declined]),
        (Resolved,   &[]),
        (Declined,   &[]),
    ];

    #[test]
    fn every_status_and_target() {
        assert_eq!(TABLE.len(), Status::ALL.len());
        for &(from, allowed) in TABLE {
            for &to in Status::ALL {
                let got = check_move(from, to);
                if allowed.contains(&to) {
                    assert_eq!(got, Ok(()), "{from:?} → {to:?}");
                } else {
                    assert_eq!(got, Err(allowed), "{from:?} → {to:?}");
                }
            }
        }
    }

    fn codes(to: Status, c: Closing<'_>) -> Vec<(String, &'static str)> {
        check_closing(to, c)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn reasons_and_resolutions() {
        let none = Closing::default();
        assert_eq!(codes(Declined, none), [("reason".to_owned(), "required")]);
        assert_eq!(
            codes(
                Declined,
                Closing {
                    reason: Some("  "),
                    ..none
                }
            ),
            [("reason".to_owned(), "required")]
        );
        assert!(codes(
            Declined,
            Closing {
                reason: Some("不属于村内事务"),
                ..none
            }
        )
        .is_empty());
        assert_eq!(
            codes(Resolved, none),
            [("resolution".to_owned(), "required")]
        );
        assert!(codes(
            Resolved,
            Closing {
                resolution: Some("已修复"),
                ..none
            }
        )
        .is_empty());
        assert!(codes(
            Resolved,
            Closing {
                resolution: Some("已修复"),
                satisfaction: Some("满意"),
                ..none
            }
        )
        .is_empty());
        assert!(codes(InProgress, none).is_empty());
        let all = Closing {
            reason: Some("r"),
            resolution: Some("x"),
            satisfaction: Some("s"),
        };
        assert_eq!(
            codes(InProgress, all),
            [
                ("reason".to_owned(), "not_for_status"),
                ("resolution".to_owned(), "not_for_status"),
                ("satisfaction".to_owned(), "not_for_status"),
            ]
        );
        assert_eq!(
            codes(Declined, all),
            [
                ("resolution".to_owned(), "not_for_status"),
                ("satisfaction".to_owned(), "not_for_status"),
            ]
        );
    }

    #[test]
    fn raiser_due_day_overdue_and_queue() {
        assert!(check_raiser(true, None).is_none());
        assert!(check_raiser(false, Some("村民 顿珠")).is_none());
        assert!(check_raiser(false, Some(" ")).is_some());
        assert!(check_raiser(true, Some("顿珠")).is_some());
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        assert!(check_due(d("2019-05-01"), Some(d("2019-04-30"))).is_some());
        assert!(check_due(d("2019-05-01"), Some(d("2019-05-01"))).is_none());
        let today = d("2020-01-10");
        assert!(is_overdue(Open, Some(d("2020-01-09")), today));
        assert!(is_overdue(InProgress, Some(d("2020-01-09")), today));
        assert!(!is_overdue(Open, Some(d("2020-01-10")), today));
        assert!(!is_overdue(Resolved, Some(d("2019-01-09")), today));
        assert!(!is_overdue(Open, None, today));
        assert!(queue_key(Open, d("2019-05-01")) < queue_key(Open, d("2019-06-01")));
        assert!(queue_key(InProgress, d("2025-05-01")) < queue_key(Resolved, d("2011-06-01")));
    }
}
