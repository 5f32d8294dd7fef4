//! 村务公开: what a village discloses (general matters, finances, major matters, decisions),
//! the status machine `draft → published → withdrawn` (withdrawing needs a reason and the
//! disclosure stays visible as withdrawn), and the disclosure calendar — what is due and what is
//! overdue in a year by the cadence rule:
//!
//! - general matters at least once a quarter (due by the 10th of the month after the quarter);
//! - finances every month that has ledger entries (due by the 10th of the next month);
//! - every donation, cash or in kind, within 30 days of its ledger entry (a published `finance`
//!   disclosure whose period covers the entry's day);
//! - major matters at once: a decision's resolution within the department's days (default 7)
//!   of the villagers' meeting.
//!
//! The calendar is one pure function of the year's facts, tested by month and by quarter.

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};
use chrono::{Datelike, Days, NaiveDate};

coded_enum! {
    /// What a disclosure is about.
    Category {
        General = "general", "一般村务";
        Finance = "finance", "财务收支";
        Major = "major", "重大事项";
        Decision = "decision", "四议两公开";
    }
}

coded_enum! {
    /// Where a disclosure stands.
    Status {
        Draft = "draft", "草稿";
        Published = "published", "已公开";
        Withdrawn = "withdrawn", "已撤回";
    }
}

coded_enum! {
    /// A move of a disclosure.
    Move {
        Publish = "publish", "公开";
        Withdraw = "withdraw", "撤回";
    }
}

impl Status {
    /// Seen on the public board (a withdrawn one as withdrawn, with its reason).
    pub fn is_public(self) -> bool {
        matches!(self, Status::Published | Status::Withdrawn)
    }
}

/// The status a move leads to from `from`, or `Err` with the statuses it may move to.
pub fn check_move(from: Status, m: Move) -> Result<Status, &'static [Status]> {
    match (from, m) {
        (Status::Draft, Move::Publish) => Ok(Status::Published),
        (Status::Published, Move::Withdraw) => Ok(Status::Withdrawn),
        (Status::Draft, _) => Err(&[Status::Published]),
        (Status::Published, _) => Err(&[Status::Withdrawn]),
        (Status::Withdrawn, _) => Err(&[]),
    }
}

/// The period a disclosure covers: the first day not after the last; a year at most.
pub fn check_period(from: NaiveDate, to: NaiveDate) -> Option<FieldError> {
    if to < from {
        return Some(
            field_error("period_to", "must not be before period_from")
                .coded("before", vec![("other", "period_from".to_owned())]),
        );
    }
    if (to - from).num_days() > 366 {
        return Some(
            field_error("period_to", "a disclosure covers a year at most")
                .coded("period_too_long", Vec::new()),
        );
    }
    None
}

/// A category a draft may have when written by hand (`decision` disclosures are made by the
/// decision's steps 5 and 6).
pub fn parse_manual_category(field: &str, raw: &str) -> Result<Category, FieldError> {
    match Category::parse(field, raw)? {
        Category::Decision => Err(one_of(field, &["general", "finance", "major"])),
        c => Ok(c),
    }
}

/// Days a donation has to be disclosed in.
pub const DONATION_DAYS: u64 = 30;
/// A period's disclosure (a month's finances, a quarter's general matters) is due by this day of
/// the following month.
pub const DUE_DAY_OF_NEXT_MONTH: u32 = 10;

/// What kind of obligation a calendar item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cadence {
    /// General matters of a quarter.
    Quarterly,
    /// Finances of a month with ledger entries.
    Monthly,
    /// One donation.
    Donation,
    /// A decision's resolution.
    Resolution,
}

impl Cadence {
    pub fn code(self) -> &'static str {
        match self {
            Cadence::Quarterly => "general_quarterly",
            Cadence::Monthly => "finance_monthly",
            Cadence::Donation => "donation",
            Cadence::Resolution => "resolution",
        }
    }
}

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Disclosed by its due day.
    Done,
    /// Disclosed, after its due day.
    Late,
    /// Not yet disclosed; its due day is today or later.
    Due,
    /// Not disclosed and past its due day.
    Overdue,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Done => "done",
            State::Late => "late",
            State::Due => "due",
            State::Overdue => "overdue",
        }
    }
}

/// A published (or later withdrawn) disclosure as the calendar counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub category: Category,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub published_on: NaiveDate,
}

/// A donation's ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Donation {
    pub entry_id: i64,
    pub on: NaiveDate,
}

/// A decision's resolution (step 4 passed) and when its step 5 disclosed it, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub decision_id: i64,
    pub on: NaiveDate,
    pub disclosed_on: Option<NaiveDate>,
}

/// The facts of a village's year the calendar is computed from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Days of the year's ledger entries (any kind).
    pub ledger_days: Vec<NaiveDate>,
    pub donations: Vec<Donation>,
    pub resolutions: Vec<Resolved>,
    /// Published and withdrawn disclosures (a withdrawn one was disclosed when it was published).
    pub published: Vec<Published>,
}

/// One obligation of the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub cadence: Cadence,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub due_on: NaiveDate,
    pub state: State,
    /// The first day it was disclosed, if it was.
    pub disclosed_on: Option<NaiveDate>,
    /// The ledger entry (a donation) or the decision (a resolution).
    pub ref_id: Option<i64>,
}

fn first_of(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// The last day of `month` of `year`.
fn last_of(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        first_of(year + 1, 1)
    } else {
        first_of(year, month + 1)
    };
    next.and_then(|d| d.pred_opt())
}

/// The due day of a period ending on `to`: the 10th of the month after.
fn due_after(to: NaiveDate) -> Option<NaiveDate> {
    let next = to.succ_opt()?;
    NaiveDate::from_ymd_opt(next.year(), next.month(), DUE_DAY_OF_NEXT_MONTH)
}

fn state(due_on: NaiveDate, disclosed_on: Option<NaiveDate>, today: NaiveDate) -> State {
    match disclosed_on {
        Some(d) if d <= due_on => State::Done,
        Some(_) => State::Late,
        None if today <= due_on => State::Due,
        None => State::Overdue,
    }
}

/// The first publication of `category` whose period overlaps `from..=to`.
fn first_disclosure(
    published: &[Published],
    category: Category,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<NaiveDate> {
    published
        .iter()
        .filter(|p| p.category == category && p.from <= to && p.to >= from)
        .map(|p| p.published_on)
        .min()
}

/// The calendar of `year` as of `today`: every obligation with its due day and state, ordered by
/// due day. Obligations whose period has not ended (a quarter still running) are listed as `due`.
pub fn calendar(year: i32, facts: &Facts, today: NaiveDate, resolution_days: u32) -> Vec<Item> {
    let mut items = Vec::new();
    for q in 0..4u32 {
        let (Some(from), Some(to)) = (first_of(year, 3 * q + 1), last_of(year, 3 * q + 3)) else {
            continue;
        };
        if from > today {
            continue;
        }
        let Some(due_on) = due_after(to) else {
            continue;
        };
        let disclosed_on = first_disclosure(&facts.published, Category::General, from, to);
        items.push(Item {
            cadence: Cadence::Quarterly,
            from,
            to,
            due_on,
            state: state(due_on, disclosed_on, today),
            disclosed_on,
            ref_id: None,
        });
    }
    for month in 1..=12u32 {
        let (Some(from), Some(to)) = (first_of(year, month), last_of(year, month)) else {
            continue;
        };
        if !facts.ledger_days.iter().any(|d| *d >= from && *d <= to) {
            continue;
        }
        let Some(due_on) = due_after(to) else {
            continue;
        };
        let disclosed_on = first_disclosure(&facts.published, Category::Finance, from, to);
        items.push(Item {
            cadence: Cadence::Monthly,
            from,
            to,
            due_on,
            state: state(due_on, disclosed_on, today),
            disclosed_on,
            ref_id: None,
        });
    }
    for d in facts.donations.iter().filter(|d| d.on.year() == year) {
        let Some(due_on) = d.on.checked_add_days(Days::new(DONATION_DAYS)) else {
            continue;
        };
        let disclosed_on = first_disclosure(&facts.published, Category::Finance, d.on, d.on);
        items.push(Item {
            cadence: Cadence::Donation,
            from: d.on,
            to: d.on,
            due_on,
            state: state(due_on, disclosed_on, today),
            disclosed_on,
            ref_id: Some(d.entry_id),
        });
    }
    for r in facts.resolutions.iter().filter(|r| r.on.year() == year) {
        let Some(due_on) = r.on.checked_add_days(Days::new(u64::from(resolution_days))) else {
            continue;
        };
        items.push(Item {
            cadence: Cadence::Resolution,
            from: r.on,
            to: r.on,
            due_on,
            state: state(due_on, r.disclosed_on, today),
            disclosed_on: r.disclosed_on,
            ref_id: Some(r.decision_id),
        });
    }
    items.sort_by_key(|i| (i.due_on, i.cadence, i.from, i.ref_id));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn the_status_machine() {
        assert_eq!(
            check_move(Status::Draft, Move::Publish),
            Ok(Status::Published)
        );
        assert_eq!(
            check_move(Status::Published, Move::Withdraw),
            Ok(Status::Withdrawn)
        );
        assert_eq!(
            check_move(Status::Draft, Move::Withdraw),
            Err(&[Status::Published][..])
        );
        assert_eq!(
            check_move(Status::Published, Move::Publish),
            Err(&[Status::Withdrawn][..])
        );
        assert_eq!(check_move(Status::Withdrawn, Move::Publish), Err(&[][..]));
        assert_eq!(check_move(Status::Withdrawn, Move::Withdraw), Err(&[][..]));
        assert!(Status::Withdrawn.is_public());
        assert!(!Status::Draft.is_public());
    }

    #[test]
    fn periods_and_categories() {
        assert!(check_period(d("2019-01-01"), d("2019-01-31")).is_none());
        assert!(check_period(d("2019-01-01"), d("2019-01-01")).is_none());
        assert!(check_period(d("2019-02-01"), d("2019-01-31")).is_some());
        assert!(check_period(d("2019-01-01"), d("2020-06-30")).is_some());
        assert!(parse_manual_category("category", "decision").is_err());
        assert_eq!(
            parse_manual_category("category", "finance"),
            Ok(Category::Finance)
        );
    }

    fn finance(from: &str, to: &str, on: &str) -> Published {
        Published {
            category: Category::Finance,
            from: d(from),
            to: d(to),
            published_on: d(on),
        }
    }

    fn of(items: &[Item], cadence: Cadence) -> Vec<(String, &'static str)> {
        items
            .iter()
            .filter(|i| i.cadence == cadence)
            .map(|i| (i.from.to_string(), i.state.code()))
            .collect()
    }

    #[test]
    fn monthly_finances() {
        let facts = Facts {
            ledger_days: vec![
                d("2019-01-15"),
                d("2019-01-20"),
                d("2019-03-02"),
                d("2019-04-30"),
            ],
            published: vec![
                // January on time (the 10th of February is the last day).
                finance("2019-01-01", "2019-01-31", "2019-02-10"),
                // March late.
                finance("2019-03-01", "2019-03-31", "2019-04-11"),
            ],
            ..Facts::default()
        };
        let items = calendar(2019, &facts, d("2019-05-11"), 7);
        // February had no entries: nothing due. April is past its 10th of May: overdue.
        assert_eq!(
            of(&items, Cadence::Monthly),
            [
                ("2019-01-01".to_owned(), "done"),
                ("2019-03-01".to_owned(), "late"),
                ("2019-04-01".to_owned(), "overdue"),
            ]
        );
        // The day before the due day it is only due.
        let items = calendar(2019, &facts, d("2019-05-10"), 7);
        assert_eq!(of(&items, Cadence::Monthly)[2].1, "due");
        // December's finances are due by the 10th of January next year.
        let dec = Facts {
            ledger_days: vec![d("2019-12-31")],
            ..Facts::default()
        };
        let items = calendar(2019, &dec, d("2020-01-10"), 7);
        assert_eq!(items[items.len() - 1].due_on, d("2020-01-10"));
        assert_eq!(items[items.len() - 1].state, State::Due);
    }

    #[test]
    fn quarterly_general_matters() {
        let general = |from: &str, to: &str, on: &str| Published {
            category: Category::General,
            from: d(from),
            to: d(to),
            published_on: d(on),
        };
        let facts = Facts {
            published: vec![
                general("2019-02-01", "2019-02-28", "2019-03-01"),
                // A finance disclosure does not count for general matters.
                finance("2019-04-01", "2019-06-30", "2019-07-01"),
            ],
            ..Facts::default()
        };
        let items = calendar(2019, &facts, d("2019-07-11"), 7);
        // Q1 done; Q2 past the 10th of July: overdue; Q3 running: due; Q4 not begun: not listed.
        assert_eq!(
            of(&items, Cadence::Quarterly),
            [
                ("2019-01-01".to_owned(), "done"),
                ("2019-04-01".to_owned(), "overdue"),
                ("2019-07-01".to_owned(), "due"),
            ]
        );
        let items = calendar(2019, &facts, d("2019-07-10"), 7);
        assert_eq!(of(&items, Cadence::Quarterly)[1].1, "due");
    }

    #[test]
    fn donations_within_30_days() {
        let facts = Facts {
            ledger_days: vec![d("2019-05-10"), d("2019-06-20")],
            donations: vec![
                Donation {
                    entry_id: 1,
                    on: d("2019-05-10"),
                },
                Donation {
                    entry_id: 2,
                    on: d("2019-06-20"),
                },
            ],
            published: vec![finance("2019-05-01", "2019-05-31", "2019-06-09")],
            ..Facts::default()
        };
        let items = calendar(2019, &facts, d("2019-07-20"), 7);
        assert_eq!(
            of(&items, Cadence::Donation),
            [
                ("2019-05-10".to_owned(), "done"),
                ("2019-06-20".to_owned(), "due")
            ]
        );
        let items = calendar(2019, &facts, d("2019-07-21"), 7);
        assert_eq!(of(&items, Cadence::Donation)[1].1, "overdue");
        assert_eq!(
            items.iter().find(|i| i.ref_id == Some(2)).map(|i| i.due_on),
            Some(d("2019-07-20"))
        );
    }

    #[test]
    fn resolutions_at_once() {
        let facts = Facts {
            resolutions: vec![
                Resolved {
                    decision_id: 7,
                    on: d("2019-06-01"),
                    disclosed_on: Some(d("2019-06-08")),
                },
                Resolved {
                    decision_id: 8,
                    on: d("2019-06-01"),
                    disclosed_on: Some(d("2019-06-09")),
                },
                Resolved {
                    decision_id: 9,
                    on: d("2019-06-01"),
                    disclosed_on: None,
                },
            ],
            ..Facts::default()
        };
        let items = calendar(2019, &facts, d("2019-06-09"), 7);
        let states: Vec<_> = of(&items, Cadence::Resolution)
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(states, ["done", "late", "overdue"]);
        // A department allowing 10 days.
        let items = calendar(2019, &facts, d("2019-06-09"), 10);
        let states: Vec<_> = of(&items, Cadence::Resolution)
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(states, ["done", "done", "due"]);
    }
}
