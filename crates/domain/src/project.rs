//! Projects (驻村项目): categories, the stage pipeline of "成熟一个、申报一个、协调一个、实施一个"
//! and who may move a project where — pure rules, tested as a table.
//!
//! Stages run `proposed → mature → declared → coordinating → implementing → completed →
//! accepted`; `cancelled` is reachable from every stage before `accepted`; a *return* moves a
//! project one stage back (with a comment). Team members move a project up to `mature`, the team
//! leader to `declared`; the department from `declared` on, including `accepted`. A return or a
//! cancel may be made by whoever could make the forward move out of the current stage.

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};

coded_enum! {
    /// What a project is about.
    Category {
        Infrastructure = "infrastructure", "基础设施";
        Industry = "industry", "产业发展";
        Cooperative = "cooperative", "合作社";
        Education = "education", "教育";
        Health = "health", "医疗卫生";
        OrganisationBuilding = "organisation_building", "组织建设";
        Culture = "culture", "文化";
        Other = "other", "其他";
    }
}

coded_enum! {
    /// Where a project is in its pipeline.
    Stage {
        Proposed = "proposed", "提出";
        Mature = "mature", "成熟";
        Declared = "declared", "申报";
        Coordinating = "coordinating", "协调";
        Implementing = "implementing", "实施";
        Completed = "completed", "完工";
        Accepted = "accepted", "验收";
        Cancelled = "cancelled", "取消";
    }
}

/// The forward order of the pipeline (without `cancelled`).
const PIPELINE: [Stage; 7] = [
    Stage::Proposed,
    Stage::Mature,
    Stage::Declared,
    Stage::Coordinating,
    Stage::Implementing,
    Stage::Completed,
    Stage::Accepted,
];

impl Stage {
    fn position(self) -> Option<usize> {
        PIPELINE.iter().position(|s| *s == self)
    }

    /// The next stage forward, if any (none after `accepted` or `cancelled`).
    pub fn next(self) -> Option<Stage> {
        self.position().and_then(|i| PIPELINE.get(i + 1).copied())
    }

    /// The stage a return goes back to (none from `proposed`, `accepted` or `cancelled`).
    pub fn previous(self) -> Option<Stage> {
        if self.is_final() {
            return None;
        }
        self.position()
            .and_then(|i| i.checked_sub(1))
            .map(|i| PIPELINE[i])
    }

    /// Nothing changes after acceptance or cancellation.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Accepted | Stage::Cancelled)
    }

    /// The IATI activity status (codelist ActivityStatus) of a project at this stage, for
    /// integrators: 1 pipeline/identification, 2 implementation, 3 finalisation, 4 closed,
    /// 5 cancelled.
    pub fn iati_status(self) -> IatiStatus {
        match self {
            Stage::Proposed | Stage::Mature | Stage::Declared | Stage::Coordinating => {
                IatiStatus::Pipeline
            }
            Stage::Implementing => IatiStatus::Implementation,
            Stage::Completed => IatiStatus::Finalisation,
            Stage::Accepted => IatiStatus::Closed,
            Stage::Cancelled => IatiStatus::Cancelled,
        }
    }
}

coded_enum! {
    /// IATI ActivityStatus, derived from the stage (never stored).
    IatiStatus {
        Pipeline = "pipeline", "筹备";
        Implementation = "implementation", "实施";
        Finalisation = "finalisation", "收尾";
        Closed = "closed", "关闭";
        Cancelled = "cancelled", "取消";
    }
}

impl IatiStatus {
    /// The IATI code (1–5).
    pub fn iati_code(self) -> u8 {
        match self {
            IatiStatus::Pipeline => 1,
            IatiStatus::Implementation => 2,
            IatiStatus::Finalisation => 3,
            IatiStatus::Closed => 4,
            IatiStatus::Cancelled => 5,
        }
    }
}

/// Who asks to move a project, as the stage machine sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mover {
    /// A member of a team of the project's village (today), not its leader.
    TeamMember,
    /// The leader (队长/第一书记) of a team of the project's village (today).
    TeamLeader,
    /// `department` staff.
    Department,
    /// Anyone else (admin, committee, regional, a team user of no team there).
    Other,
}

impl Mover {
    pub const ALL: [Mover; 4] = [
        Mover::TeamMember,
        Mover::TeamLeader,
        Mover::Department,
        Mover::Other,
    ];

    /// May this mover make the forward move *into* `to`?
    fn may_enter(self, to: Stage) -> bool {
        match self {
            Mover::TeamMember => to == Stage::Mature,
            Mover::TeamLeader => matches!(to, Stage::Mature | Stage::Declared),
            // From `declared` on: the moves into coordinating … accepted.
            Mover::Department => matches!(
                to,
                Stage::Coordinating | Stage::Implementing | Stage::Completed | Stage::Accepted
            ),
            Mover::Other => false,
        }
    }
}

/// The kind of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Forward,
    Return,
    Cancel,
}

/// What a move from `from` to `to` is, if it is a move at all (whoever makes it).
pub fn kind_of(from: Stage, to: Stage) -> Option<Move> {
    if from.is_final() {
        None
    } else if from.next() == Some(to) {
        Some(Move::Forward)
    } else if from.previous() == Some(to) {
        Some(Move::Return)
    } else if to == Stage::Cancelled {
        Some(Move::Cancel)
    } else {
        None
    }
}

/// The stages `mover` may move a project at `stage` to, in pipeline order (`cancelled` last).
/// A return or a cancel needs the right to the forward move out of the current stage.
pub fn allowed_moves(stage: Stage, mover: Mover) -> Vec<Stage> {
    let Some(next) = stage.next() else {
        return Vec::new();
    };
    if !mover.may_enter(next) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(3);
    out.extend(stage.previous());
    out.push(next);
    out.push(Stage::Cancelled);
    out
}

/// A move `mover` may make now, or the refusal naming what they may do.
pub fn check_move(stage: Stage, to: Stage, mover: Mover) -> Result<Move, Vec<Stage>> {
    let allowed = allowed_moves(stage, mover);
    match kind_of(stage, to) {
        Some(kind) if allowed.contains(&to) => Ok(kind),
        _ => Err(allowed),
    }
}

/// A return must say why.
pub fn check_comment(kind: Move, comment: Option<&str>) -> Result<(), FieldError> {
    let blank = comment.is_none_or(|c| c.trim().is_empty());
    if kind == Move::Return && blank {
        return Err(field_error("comment", "a return must say why").coded("required", Vec::new()));
    }
    Ok(())
}

/// May the team edit a project's fields at this stage? (The department may until it is final.)
pub fn team_may_edit(stage: Stage) -> bool {
    matches!(stage, Stage::Proposed | Stage::Mature | Stage::Declared)
}

/// A budget in fen: 0 to 10 billion yuan.
pub fn budget(field: &str, fen: i64) -> Result<i64, FieldError> {
    if (0..=1_000_000_000_000).contains(&fen) {
        Ok(fen)
    } else {
        Err(crate::validation::between(field, 0, 1_000_000_000_000_i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Mover::*;
    use Stage::*;

    /// The whole machine as a table: for each stage and mover, the stages they may move to.
    /// Written from the issue, not from the code.
    #[rustfmt::skip]
    const TABLE: &[(Stage, Mover, &[Stage])] = &[
        (Proposed,     TeamMember, &[Mature, Cancelled]),
        (Proposed,     TeamLeader, &[Mature, Cancelled]),
        (Proposed,     Department, &[]),
        (Proposed,     Other,      &[]),
        (Mature,       TeamMember, &[]),
        (Mature,       TeamLeader, &[Proposed, Declared, Cancelled]),
        (Mature,       Department, &[]),
        (Mature,       Other,      &[]),
        (Declared,     TeamMember, &[]),
        (Declared,     TeamLeader, &[]),
        (Declared,     Department, &[Mature, Coordinating, Cancelled]),
        (Declared,     Other,      &[]),
        (Coordinating, TeamMember, &[]),
        (Coordinating, TeamLeader, &[]),
        (Coordinating, Department, &[Declared, Implementing, Cancelled]),
        (Coordinating, Other,      &[]),
        (Implementing, TeamMember, &[]),
        (Implementing, TeamLeader, &[]),
        (Implementing, Department, &[Coordinating, Completed, Cancelled]),
        (Implementing, Other,      &[]),
        (Completed,    TeamMember, &[]),
        (Completed,    TeamLeader, &[]),
        (Completed,    Department, &[Implementing, Accepted, Cancelled]),
        (Completed,    Other,      &[]),
        (Accepted,     TeamMember, &[]),
        (Accepted,     TeamLeader, &[]),
        (Accepted,     Department, &[]),
        (Accepted,     Other,      &[]),
        (Cancelled,    TeamMember, &[]),
        (Cancelled,    TeamLeader, &[]),
        (Cancelled,    Department, &[]),
        (Cancelled,    Other,      &[]),
    ];

    #[test]
    fn every_stage_target_and_mover() {
        assert_eq!(TABLE.len(), Stage::ALL.len() * Mover::ALL.len());
        for &(stage, mover, allowed) in TABLE {
            assert_eq!(allowed_moves(stage, mover), allowed, "{stage:?} {mover:?}");
            for &to in Stage::ALL {
                let got = check_move(stage, to, mover);
                if allowed.contains(&to) {
                    assert!(got.is_ok(), "{stage:?} → {to:?} by {mover:?}");
                } else {
                    assert_eq!(
                        got,
                        Err(allowed.to_vec()),
                        "{stage:?} → {to:?} by {mover:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn kinds_of_move() {
        assert_eq!(kind_of(Mature, Declared), Some(Move::Forward));
        assert_eq!(kind_of(Mature, Proposed), Some(Move::Return));
        assert_eq!(kind_of(Implementing, Cancelled), Some(Move::Cancel));
        assert_eq!(kind_of(Proposed, Proposed), None);
        assert_eq!(kind_of(Proposed, Declared), None);
        assert_eq!(kind_of(Accepted, Cancelled), None);
        assert_eq!(kind_of(Cancelled, Proposed), None);
    }

    #[test]
    fn a_return_needs_a_comment() {
        assert!(check_comment(Move::Return, None).is_err());
        assert!(check_comment(Move::Return, Some("  ")).is_err());
        assert!(check_comment(Move::Return, Some("资料不全")).is_ok());
        assert!(check_comment(Move::Forward, None).is_ok());
        assert!(check_comment(Move::Cancel, None).is_ok());
    }

    #[test]
    fn iati_status_follows_the_stage() {
        let got: Vec<(&str, u8)> = Stage::ALL
            .iter()
            .map(|s| (s.iati_status().code(), s.iati_status().iati_code()))
            .collect();
        assert_eq!(
            got,
            [
                ("pipeline", 1),
                ("pipeline", 1),
                ("pipeline", 1),
                ("pipeline", 1),
                ("implementation", 2),
                ("finalisation", 3),
                ("closed", 4),
                ("cancelled", 5),
            ]
        );
    }

    #[test]
    fn team_edits_only_early() {
        let editable: Vec<Stage> = Stage::ALL
            .iter()
            .copied()
            .filter(|s| team_may_edit(*s))
            .collect();
        assert_eq!(editable, [Proposed, Mature, Declared]);
        assert!(budget("budget_fen", -1).is_err());
        assert_eq!(budget("budget_fen", 30_000_000), Ok(30_000_000));
    }
}
