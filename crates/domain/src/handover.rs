//! The round handover (交接): when a round ends, the outgoing team's handover document lists what
//! the next team takes over — open projects with their stage, ledger entries the village has not
//! confirmed, open needs, the ledger balance by source, and a free list of documents handed over.
//! It is drafted as a snapshot (the figures of the day it was drafted, kept as written, so the
//! signed document never changes), corrected while a draft, and signed off by the leader of the
//! incoming team (the team of the next round in the same village). Once signed it is immutable.
//!
//! The sections are a list of (key, title, items): a new section (the decisions in progress, when
//! the decisions module lands) is one more key in [`SectionKey`] and one more producer.

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};

coded_enum! {
    /// Where a handover stands.
    Status {
        Draft = "draft", "草稿";
        Signed = "signed", "已签收";
    }
}

coded_enum! {
    /// The sections of a handover document, in the order they are printed.
    SectionKey {
        OpenProjects = "open_projects", "在建项目";
        UnconfirmedLedger = "unconfirmed_ledger", "待确认台账";
        OpenNeeds = "open_needs", "未办结群众诉求";
        LedgerBalance = "ledger_balance", "台账余额（按来源）";
        DecisionsInProgress = "decisions_in_progress", "进行中的四议两公开事项";
    }
}

/// The most documents one handover lists, and the longest line.
pub const MAX_DOCUMENTS: usize = 200;
pub const MAX_DOCUMENT_CHARS: usize = 200;

/// The documents handed over: each a line of text (NFC, no control characters), none empty.
pub fn documents(field: &str, raw: &[String]) -> Result<Vec<String>, FieldError> {
    if raw.len() > MAX_DOCUMENTS {
        return Err(
            field_error(field, format!("at most {MAX_DOCUMENTS} documents"))
                .coded("too_many", vec![("max", MAX_DOCUMENTS.to_string())]),
        );
    }
    raw.iter()
        .map(|line| crate::text::name(field, line, MAX_DOCUMENT_CHARS))
        .collect()
}

/// Why a handover may not be signed by this caller (403 codes) or now (409 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignRefusal {
    /// Only the leader of the incoming team signs.
    NotIncomingLeader,
    /// Signed already: a signed handover never changes.
    AlreadySigned,
}

impl SignRefusal {
    pub fn code(self) -> &'static str {
        match self {
            SignRefusal::NotIncomingLeader => "handover_incoming_leader_only",
            SignRefusal::AlreadySigned => "handover_signed",
        }
    }
}

/// May a caller who leads (or not) the incoming team sign a handover at `status`?
pub fn may_sign(status: Status, leads_incoming_team: bool) -> Result<(), SignRefusal> {
    if status == Status::Signed {
        Err(SignRefusal::AlreadySigned)
    } else if !leads_incoming_team {
        Err(SignRefusal::NotIncomingLeader)
    } else {
        Ok(())
    }
}

/// May a handover at `status` be changed (its documents, a new draft)?
pub fn may_change(status: Status) -> Result<(), SignRefusal> {
    if status == Status::Signed {
        Err(SignRefusal::AlreadySigned)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_incoming_leader_signs_a_draft_once() {
        assert_eq!(may_sign(Status::Draft, true), Ok(()));
        assert_eq!(
            may_sign(Status::Draft, false),
            Err(SignRefusal::NotIncomingLeader)
        );
        assert_eq!(
            may_sign(Status::Signed, true),
            Err(SignRefusal::AlreadySigned)
        );
        assert_eq!(may_change(Status::Draft), Ok(()));
        assert_eq!(
            may_change(Status::Signed).err().map(SignRefusal::code),
            Some("handover_signed")
        );
    }

    #[test]
    fn documents_are_lines() {
        let ok = documents("documents", &[" 驻村日志 3 册 ".to_owned()]);
        assert_eq!(ok.ok(), Some(vec!["驻村日志 3 册".to_owned()]));
        assert!(documents("documents", &["  ".to_owned()]).is_err());
        assert!(documents("documents", &["x".repeat(201)]).is_err());
        let many = vec!["档案".to_owned(); MAX_DOCUMENTS + 1];
        assert_eq!(
            documents("documents", &many).err().map(|e| e.code),
            Some("too_many")
        );
        assert!(documents("documents", &[]).is_ok());
    }

    #[test]
    fn sections_print_in_order() {
        assert_eq!(
            SectionKey::CODES,
            &[
                "open_projects",
                "unconfirmed_ledger",
                "open_needs",
                "ledger_balance",
                "decisions_in_progress"
            ]
        );
    }
}
