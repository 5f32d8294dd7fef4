//! 四议两公开: how a village matter is decided — six steps in a fixed order, the vote arithmetic
//! of the party members' meeting (step 3) and of the villagers' (representatives') meeting
//! (step 4), and where a decision stands. Pure rules, integer arithmetic only (no floats: "⅔"
//! is `3 × present ≥ 2 × members`).
//!
//! 1. 党支部提议 — the party branch proposes;
//! 2. 两委商议 — the branch and the village committee discuss it together;
//! 3. 党员大会审议 — the party members' meeting reviews it: it passes only with at least ⅔ of the
//!    party members present and more than half of those present in favour; otherwise the decision
//!    stops as `rejected` at this step;
//! 4. 村民（代表）会议决议 — the villagers' (representatives') meeting resolves: a quorum (a
//!    department's percentage of those entitled, default 50 %) and more than half of those present
//!    in favour; otherwise the decision stops as `rejected` at this step;
//! 5. 决议公开 — the resolution is disclosed (a disclosure of category `decision`);
//! 6. 实施结果公开 — the result of implementation is disclosed; the decision is `completed`.

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};
use chrono::NaiveDate;

coded_enum! {
    /// Where a decision stands.
    Status {
        InProgress = "in_progress", "进行中";
        Rejected = "rejected", "未通过";
        Completed = "completed", "已完成";
    }
}

impl Status {
    /// No step may be recorded and nothing changed any more.
    pub fn is_stopped(self) -> bool {
        !matches!(self, Status::InProgress)
    }
}

/// The six steps, in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Proposal = 1,
    JointDiscussion = 2,
    PartyReview = 3,
    Resolution = 4,
    ResolutionDisclosure = 5,
    ResultDisclosure = 6,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Proposal,
        Step::JointDiscussion,
        Step::PartyReview,
        Step::Resolution,
        Step::ResolutionDisclosure,
        Step::ResultDisclosure,
    ];

    pub fn number(self) -> i32 {
        self as i32
    }

    pub fn from_number(n: i32) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.number() == n)
    }

    /// The stable code sent on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Step::Proposal => "proposal",
            Step::JointDiscussion => "joint_discussion",
            Step::PartyReview => "party_review",
            Step::Resolution => "resolution",
            Step::ResolutionDisclosure => "resolution_disclosure",
            Step::ResultDisclosure => "result_disclosure",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Step::Proposal => "党支部提议",
            Step::JointDiscussion => "两委商议",
            Step::PartyReview => "党员大会审议",
            Step::Resolution => "村民（代表）会议决议",
            Step::ResolutionDisclosure => "决议公开",
            Step::ResultDisclosure => "实施结果公开",
        }
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        Step::from_number(self.number() + 1)
    }

    /// A meeting that votes (its numbers decide whether the matter goes on).
    pub fn votes(self) -> bool {
        matches!(self, Step::PartyReview | Step::Resolution)
    }

    /// A step that publishes a disclosure.
    pub fn discloses(self) -> bool {
        matches!(self, Step::ResolutionDisclosure | Step::ResultDisclosure)
    }

    /// `1`–`6` as a step, or a `one_of` error on `field`.
    pub fn parse(field: &str, n: i32) -> Result<Step, FieldError> {
        Step::from_number(n).ok_or_else(|| one_of(field, &["1", "2", "3", "4", "5", "6"]))
    }
}

/// Why a step may not be recorded now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefusal {
    /// The decision stopped (rejected or completed): nothing comes next.
    Stopped(Status),
    /// Another step comes first (or this one is done): the step that may be recorded now.
    OutOfOrder { next: Step },
}

/// The step a decision at `status` whose last recorded step is `last` may record now.
pub fn next_step(status: Status, last: Option<Step>) -> Option<Step> {
    if status.is_stopped() {
        return None;
    }
    match last {
        None => Some(Step::Proposal),
        Some(s) => s.next(),
    }
}

/// Whether `step` may be recorded on a decision at `status` whose last recorded step is `last`.
pub fn check_step(status: Status, last: Option<Step>, step: Step) -> Result<(), StepRefusal> {
    match next_step(status, last) {
        None => Err(StepRefusal::Stopped(if status.is_stopped() {
            status
        } else {
            Status::Completed
        })),
        Some(next) if next == step => Ok(()),
        Some(next) => Err(StepRefusal::OutOfOrder { next }),
    }
}

/// The numbers of a meeting: how many are entitled to attend (party members; villagers or
/// representatives), how many came, how they voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Vote {
    pub entitled: i64,
    pub present: i64,
    pub in_favour: i64,
    pub against: i64,
}

/// What the arithmetic says of a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Enough were present.
    pub quorate: bool,
    /// More than half of those present in favour.
    pub majority: bool,
}

impl Outcome {
    pub fn passed(self) -> bool {
        self.quorate && self.majority
    }
}

/// More than half of those present in favour (a tie is not a majority).
pub fn majority(v: &Vote) -> bool {
    v.present > 0 && 2 * v.in_favour > v.present
}

/// Step 3, the party members' meeting: at least ⅔ of the members present, and more than half of
/// those present in favour.
pub fn party_review(v: &Vote) -> Outcome {
    Outcome {
        quorate: v.entitled > 0 && 3 * v.present >= 2 * v.entitled,
        majority: majority(v),
    }
}

/// Step 4, the villagers' (representatives') meeting: at least `quorum_percent` % of those
/// entitled present, and more than half of those present in favour.
pub fn resolution(v: &Vote, quorum_percent: i32) -> Outcome {
    Outcome {
        quorate: v.entitled > 0 && 100 * v.present >= i64::from(quorum_percent) * v.entitled,
        majority: majority(v),
    }
}

/// The outcome of a voting step (`None` for a step that does not vote).
pub fn outcome(step: Step, v: &Vote, quorum_percent: i32) -> Option<Outcome> {
    match step {
        Step::PartyReview => Some(party_review(v)),
        Step::Resolution => Some(resolution(v, quorum_percent)),
        _ => None,
    }
}

/// The status after `step` was recorded with `outcome`.
pub fn status_after(step: Step, outcome: Option<Outcome>) -> Status {
    if outcome.is_some_and(|o| !o.passed()) {
        Status::Rejected
    } else if step == Step::ResultDisclosure {
        Status::Completed
    } else {
        Status::InProgress
    }
}

/// Bounds of a department's quorum percentage.
pub const QUORUM_PERCENT: (i32, i32) = (1, 100);
/// Bounds of a department's days to disclose a resolution.
pub const MAJOR_DISCLOSURE_DAYS: (i32, i32) = (1, 60);

/// The numbers of a meeting, every inconsistency at once: a voting step needs all of
/// `entitled`, `present` and `in_favour`; none is negative; no more present than entitled, no
/// more votes than present.
pub fn check_vote(
    step: Step,
    entitled: Option<i64>,
    present: Option<i64>,
    in_favour: Option<i64>,
    against: Option<i64>,
) -> Result<Option<Vote>, Vec<FieldError>> {
    let mut errors = Vec::new();
    const MAX: i64 = 1_000_000;
    for (field, value) in [
        ("entitled", entitled),
        ("present", present),
        ("in_favour", in_favour),
        ("against", against),
    ] {
        if let Some(n) = value {
            if !(0..=MAX).contains(&n) {
                errors.push(crate::validation::between(field, 0, MAX));
            }
        } else if step.votes() && field != "against" {
            errors.push(crate::validation::required(field));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if let (Some(e), Some(p)) = (entitled, present) {
        if p > e {
            errors.push(
                field_error("present", "must not be more than entitled")
                    .coded("not_more_than", vec![("other", "entitled".to_owned())]),
            );
        }
        if step.votes() && e == 0 {
            errors.push(crate::validation::between("entitled", 1, MAX));
        }
    }
    if let Some(p) = present {
        let votes = in_favour.unwrap_or(0) + against.unwrap_or(0);
        if votes > p {
            errors.push(
                field_error(
                    "in_favour",
                    "in favour and against together exceed those present",
                )
                .coded("not_more_than", vec![("other", "present".to_owned())]),
            );
        }
    } else if in_favour.is_some() || against.is_some() {
        errors.push(crate::validation::required("present"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(match (entitled, present, in_favour) {
        (Some(entitled), Some(present), Some(in_favour)) => Some(Vote {
            entitled,
            present,
            in_favour,
            against: against.unwrap_or(0),
        }),
        _ => None,
    })
}

/// A step's day: not before the previous step's, not in the future.
pub fn check_step_date(
    held_on: NaiveDate,
    previous: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<FieldError> {
    if held_on > today {
        return Some(
            field_error("held_on", "must not be in the future").coded("future", Vec::new()),
        );
    }
    previous.filter(|p| held_on < *p).map(|p| {
        field_error("held_on", "must not be before the previous step's day")
            .coded("before", vec![("other", p.to_string())])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(entitled: i64, present: i64, in_favour: i64) -> Vote {
        Vote {
            entitled,
            present,
            in_favour,
            against: 0,
        }
    }

    #[test]
    fn the_steps_come_in_order() {
        assert_eq!(next_step(Status::InProgress, None), Some(Step::Proposal));
        for s in Step::ALL {
            assert_eq!(Step::from_number(s.number()), Some(s));
        }
        assert_eq!(check_step(Status::InProgress, None, Step::Proposal), Ok(()));
        assert_eq!(
            check_step(Status::InProgress, None, Step::PartyReview),
            Err(StepRefusal::OutOfOrder {
                next: Step::Proposal
            })
        );
        assert_eq!(
            check_step(
                Status::InProgress,
                Some(Step::JointDiscussion),
                Step::PartyReview
            ),
            Ok(())
        );
        // A step done twice is out of order too, naming the one that comes now.
        assert_eq!(
            check_step(
                Status::InProgress,
                Some(Step::JointDiscussion),
                Step::JointDiscussion
            ),
            Err(StepRefusal::OutOfOrder {
                next: Step::PartyReview
            })
        );
        assert_eq!(
            check_step(Status::Rejected, Some(Step::PartyReview), Step::Resolution),
            Err(StepRefusal::Stopped(Status::Rejected))
        );
        assert_eq!(
            check_step(
                Status::Completed,
                Some(Step::ResultDisclosure),
                Step::Proposal
            ),
            Err(StepRefusal::Stopped(Status::Completed))
        );
        assert_eq!(Step::ResultDisclosure.next(), None);
        assert!(Step::parse("step", 0).is_err());
        assert!(Step::parse("step", 7).is_err());
        assert_eq!(Step::parse("step", 4), Ok(Step::Resolution));
    }

    #[test]
    fn party_review_at_its_boundaries() {
        // 30 members: ⅔ is exactly 20.
        assert!(
            party_review(&vote(30, 20, 11)).passed(),
            "exactly ⅔ present"
        );
        assert!(!party_review(&vote(30, 19, 19)).quorate, "one short of ⅔");
        assert!(!party_review(&vote(30, 19, 19)).passed());
        // A tie is not more than half.
        assert!(!party_review(&vote(30, 20, 10)).majority, "a tie");
        assert!(
            party_review(&vote(30, 20, 11)).majority,
            "one more than half"
        );
        // ⅔ of a number not divisible by 3: 10 members need 7 (6.67 rounded up).
        assert!(party_review(&vote(10, 7, 4)).quorate);
        assert!(!party_review(&vote(10, 6, 6)).quorate);
        // Odd numbers present: 21 present need 11.
        assert!(party_review(&vote(30, 21, 11)).passed());
        assert!(!party_review(&vote(30, 21, 10)).passed());
        assert!(!party_review(&vote(0, 0, 0)).passed());
        assert!(party_review(&vote(3, 3, 3)).passed());
    }

    #[test]
    fn resolution_at_its_boundaries() {
        // 50 %: exactly half present is quorate, one short is not.
        assert!(resolution(&vote(120, 60, 31), 50).passed());
        assert!(!resolution(&vote(120, 59, 59), 50).quorate);
        assert!(!resolution(&vote(120, 60, 30), 50).majority, "a tie");
        // ⅔ by a department that asks for 67 %.
        assert!(!resolution(&vote(100, 66, 60), 67).quorate);
        assert!(resolution(&vote(100, 67, 60), 67).quorate);
        assert!(resolution(&vote(7, 7, 4), 100).passed());
        assert!(!resolution(&vote(7, 6, 6), 100).passed());
    }

    #[test]
    fn status_follows_the_outcome() {
        let pass = Some(Outcome {
            quorate: true,
            majority: true,
        });
        let fail = Some(Outcome {
            quorate: true,
            majority: false,
        });
        assert_eq!(status_after(Step::PartyReview, pass), Status::InProgress);
        assert_eq!(status_after(Step::PartyReview, fail), Status::Rejected);
        assert_eq!(status_after(Step::Resolution, fail), Status::Rejected);
        assert_eq!(status_after(Step::Proposal, None), Status::InProgress);
        assert_eq!(
            status_after(Step::ResultDisclosure, None),
            Status::Completed
        );
        assert_eq!(outcome(Step::Proposal, &vote(1, 1, 1), 50), None);
    }

    #[test]
    fn vote_numbers_are_checked() {
        let fields = |r: Result<Option<Vote>, Vec<FieldError>>| -> Vec<String> {
            r.err()
                .map(|e| e.into_iter().map(|f| f.field).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            fields(check_vote(Step::PartyReview, None, None, None, None)),
            ["entitled", "present", "in_favour"]
        );
        assert_eq!(check_vote(Step::Proposal, None, None, None, None), Ok(None));
        assert_eq!(
            fields(check_vote(
                Step::PartyReview,
                Some(10),
                Some(11),
                Some(5),
                None
            )),
            ["present"]
        );
        assert_eq!(
            fields(check_vote(
                Step::PartyReview,
                Some(10),
                Some(8),
                Some(5),
                Some(4)
            )),
            ["in_favour"]
        );
        assert_eq!(
            fields(check_vote(
                Step::Resolution,
                Some(-1),
                Some(8),
                Some(5),
                None
            )),
            ["entitled"]
        );
        assert_eq!(
            fields(check_vote(
                Step::Resolution,
                Some(0),
                Some(0),
                Some(0),
                None
            )),
            ["entitled"]
        );
        assert_eq!(
            check_vote(Step::PartyReview, Some(30), Some(20), Some(11), Some(9)),
            Ok(Some(Vote {
                entitled: 30,
                present: 20,
                in_favour: 11,
                against: 9
            }))
        );
        // A discussion may note who came without votes.
        assert_eq!(
            check_vote(Step::JointDiscussion, Some(9), Some(8), None, None),
            Ok(None)
        );
    }

    #[test]
    fn step_days() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        let today = d("2020-01-10");
        assert!(check_step_date(d("2020-01-11"), None, today).is_some());
        assert!(check_step_date(d("2020-01-10"), Some(d("2020-01-10")), today).is_none());
        assert!(check_step_date(d("2020-01-09"), Some(d("2020-01-10")), today).is_some());
    }
}
