//! The funds ledger (资金台账): money and goods that reach a village, and what is spent — pure
//! rules. Entries are immutable: a mistake is corrected by a *reversal*, a negative entry that
//! points at the original (once; a reversal is never reversed). The village committee confirms
//! receipt of an entry once. Amounts are integer fen; quantities of goods are exact decimals kept
//! as whole thousandths.

use crate::household::coded_enum;
use crate::role::Role;
use crate::validation::{field_error, one_of, FieldError};

coded_enum! {
    /// What an entry records.
    Kind {
        Allocation = "allocation", "拨付";
        Expenditure = "expenditure", "支出";
        CashDonation = "cash_donation", "现金捐赠";
        InKindDonation = "in_kind_donation", "实物捐赠";
    }
}

coded_enum! {
    /// Where the money or goods come from.
    Source {
        Finance = "finance", "财政资金";
        Department = "department", "厅自有资金";
        Donor = "donor", "社会捐赠";
        Other = "other", "其他";
    }
}

coded_enum! {
    /// What a donor is.
    DonorKind {
        Enterprise = "enterprise", "企业";
        Government = "government", "政府机关";
        Ngo = "ngo", "社会组织";
        Individual = "individual", "个人";
    }
}

impl Kind {
    /// Money or goods reaching the village (counted as funds received), as opposed to spending.
    pub fn is_incoming(self) -> bool {
        !matches!(self, Kind::Expenditure)
    }

    /// Donations name their donor.
    pub fn is_donation(self) -> bool {
        matches!(self, Kind::CashDonation | Kind::InKindDonation)
    }
}

/// Who may record an entry of this kind: the department its allocations; the teams what they
/// spend and the donations they bring in.
pub fn may_record(role: Role, kind: Kind) -> bool {
    match role {
        Role::Department => kind == Kind::Allocation,
        Role::Team => kind != Kind::Allocation,
        _ => false,
    }
}

/// The kinds a role may record, in list order.
pub fn kinds_for(role: Role) -> Vec<Kind> {
    Kind::ALL
        .iter()
        .copied()
        .filter(|k| may_record(role, *k))
        .collect()
}

/// The largest single entry: 10 billion yuan.
pub const MAX_FEN: i64 = 1_000_000_000_000;

/// An entry's amount in fen: more than 0, at most [`MAX_FEN`].
pub fn amount(field: &str, fen: i64) -> Result<i64, FieldError> {
    if (1..=MAX_FEN).contains(&fen) {
        Ok(fen)
    } else {
        Err(crate::validation::between(field, 1, MAX_FEN))
    }
}

/// A quantity of goods as whole thousandths (15 t → 15000), exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i64);

/// At most a billion units.
const MAX_QUANTITY_MILLI: i64 = 1_000_000_000_000;

impl Quantity {
    pub fn from_milli(milli: i64) -> Option<Quantity> {
        (1..=MAX_QUANTITY_MILLI)
            .contains(&milli)
            .then_some(Quantity(milli))
    }

    pub fn milli(self) -> i64 {
        self.0
    }

    /// Parses `15`, `15.5` or `0.125`: digits with at most three decimals, more than zero.
    pub fn parse(field: &str, raw: &str) -> Result<Quantity, FieldError> {
        let bad = || {
            field_error(
                field,
                "must be a number greater than 0 with at most three decimals, e.g. 15.5",
            )
            .coded("quantity_decimal", Vec::new())
        };
        let raw = raw.trim();
        let (whole, frac) = match raw.split_once('.') {
            Some((w, f)) if (1..=3).contains(&f.len()) => (w, f),
            Some(_) => return Err(bad()),
            None => (raw, ""),
        };
        if whole.is_empty()
            || whole.len() > 10
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let mut milli_part: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        for _ in frac.len()..3 {
            milli_part *= 10;
        }
        whole
            .checked_mul(1000)
            .and_then(|w| w.checked_add(milli_part))
            .and_then(Quantity::from_milli)
            .ok_or_else(bad)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, milli) = (self.0 / 1000, self.0 % 1000);
        if milli == 0 {
            write!(f, "{whole}")
        } else {
            let frac = format!("{milli:03}");
            write!(f, "{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

/// The fields of an entry as a request gives them, before they are checked together.
#[derive(Debug, Clone, Copy)]
pub struct Shape<'a> {
    pub kind: Kind,
    pub source: Source,
    pub has_donor: bool,
    pub item: Option<&'a str>,
    pub quantity: Option<&'a str>,
    pub unit: Option<&'a str>,
}

/// The rules that tie an entry's fields together: a donation comes from a donor (source `donor`
/// with a `donor_id`), a donor is named only with source `donor`; goods in kind say what, how
/// many and in which unit, and only goods in kind do.
pub fn check_shape(shape: Shape<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if shape.kind.is_donation() && shape.source != Source::Donor {
        errors.push(
            field_error("source", "a donation's source is `donor`")
                .coded("donation_source", Vec::new()),
        );
    }
    if shape.source == Source::Donor && !shape.has_donor {
        errors.push(crate::validation::required("donor_id"));
    }
    if shape.source != Source::Donor && shape.has_donor {
        errors.push(
            field_error(
                "donor_id",
                "only an entry whose source is `donor` names a donor",
            )
            .coded("donor_without_source", Vec::new()),
        );
    }
    let blank = |v: Option<&str>| v.is_none_or(|s| s.trim().is_empty());
    let goods = [
        ("item", shape.item),
        ("quantity", shape.quantity),
        ("unit", shape.unit),
    ];
    if shape.kind == Kind::InKindDonation {
        for (field, value) in goods {
            if blank(value) {
                errors.push(crate::validation::required(field));
            }
        }
    } else {
        for (field, value) in goods {
            if !blank(value) {
                errors.push(
                    field_error(
                        field,
                        "only goods donated in kind have an item, quantity and unit",
                    )
                    .coded("goods_only_in_kind", Vec::new()),
                );
            }
        }
    }
    errors
}

/// What a stored entry is, for the reversal and confirmation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryState {
    /// The entry is itself a reversal of another.
    pub is_reversal: bool,
    /// Another entry reverses it.
    pub reversed: bool,
    pub confirmed: bool,
}

/// Why an entry cannot be reversed or confirmed (each a 409 with this code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyReversed,
    ReversalOfReversal,
    AlreadyConfirmed,
    NotConfirmable,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::AlreadyReversed => "already_reversed",
            Refusal::ReversalOfReversal => "reversal_of_reversal",
            Refusal::AlreadyConfirmed => "already_confirmed",
            Refusal::NotConfirmable => "not_confirmable",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::AlreadyReversed => "this entry has already been reversed",
            Refusal::ReversalOfReversal => {
                "a reversal cannot be reversed: record a new entry instead"
            }
            Refusal::AlreadyConfirmed => "the committee has already confirmed this entry",
            Refusal::NotConfirmable => {
                "a reversal, or an entry that has been reversed, is not confirmed"
            }
        }
    }
}

/// An entry may be reversed once; a reversal never.
pub fn check_reversal(state: EntryState) -> Result<(), Refusal> {
    if state.is_reversal {
        Err(Refusal::ReversalOfReversal)
    } else if state.reversed {
        Err(Refusal::AlreadyReversed)
    } else {
        Ok(())
    }
}

/// The committee confirms an original entry that stands (not reversed), once.
pub fn check_confirmation(state: EntryState) -> Result<(), Refusal> {
    if state.confirmed {
        Err(Refusal::AlreadyConfirmed)
    } else if state.is_reversal || state.reversed {
        Err(Refusal::NotConfirmable)
    } else {
        Ok(())
    }
}

/// Whether an entry waits for the committee's confirmation.
pub fn awaits_confirmation(state: EntryState) -> bool {
    check_confirmation(state).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_records_what() {
        assert_eq!(kinds_for(Role::Department), [Kind::Allocation]);
        assert_eq!(
            kinds_for(Role::Team),
            [Kind::Expenditure, Kind::CashDonation, Kind::InKindDonation]
        );
        for role in [Role::Admin, Role::VillageCommittee, Role::Regional] {
            assert!(kinds_for(role).is_empty(), "{role:?}");
        }
    }

    #[test]
    fn amounts_are_positive_and_bounded() {
        assert!(amount("amount_fen", 0).is_err());
        assert!(amount("amount_fen", -1).is_err());
        assert_eq!(amount("amount_fen", 1), Ok(1));
        assert_eq!(amount("amount_fen", MAX_FEN), Ok(MAX_FEN));
        assert!(amount("amount_fen", MAX_FEN + 1).is_err());
    }

    #[test]
    fn quantities_are_exact() {
        let q = |s: &str| Quantity::parse("quantity", s).map(Quantity::milli);
        assert_eq!(q("15"), Ok(15_000));
        assert_eq!(q(" 15.5 "), Ok(15_500));
        assert_eq!(q("0.125"), Ok(125));
        assert_eq!(q("0.1"), Ok(100));
        for bad in [
            "",
            "0",
            "0.000",
            "-1",
            "1.2345",
            "1.",
            ".5",
            "1e3",
            "1,000",
            "１２",
            "NaN",
            "12345678901",
        ] {
            assert!(q(bad).is_err(), "{bad:?}");
        }
        let shown = |m: i64| Quantity::from_milli(m).map(|q| q.to_string());
        assert_eq!(shown(15_000).as_deref(), Some("15"));
        assert_eq!(shown(15_500).as_deref(), Some("15.5"));
        assert_eq!(shown(125).as_deref(), Some("0.125"));
        assert_eq!(shown(1_050).as_deref(), Some("1.05"));
    }

    fn shape(kind: Kind, source: Source, has_donor: bool) -> Shape<'static> {
        Shape {
            kind,
            source,
            has_donor,
            item: None,
            quantity: None,
            unit: None,
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn donations_come_from_donors() {
        assert!(check_shape(shape(Kind::CashDonation, Source::Donor, true)).is_empty());
        assert_eq!(
            fields(check_shape(shape(
                Kind::CashDonation,
                Source::Finance,
                false
            ))),
            ["source"]
        );
        assert_eq!(
            fields(check_shape(shape(Kind::Allocation, Source::Donor, false))),
            ["donor_id"]
        );
        assert_eq!(
            fields(check_shape(shape(Kind::Allocation, Source::Finance, true))),
            ["donor_id"]
        );
        assert!(check_shape(shape(Kind::Allocation, Source::Donor, true)).is_empty());
    }

    #[test]
    fn goods_in_kind_say_what() {
        assert_eq!(
            fields(check_shape(shape(
                Kind::InKindDonation,
                Source::Donor,
                true
            ))),
            ["item", "quantity", "unit"]
        );
        let goods = Shape {
            item: Some("草种"),
            quantity: Some("15"),
            unit: Some("吨"),
            ..shape(Kind::InKindDonation, Source::Donor, true)
        };
        assert!(check_shape(goods).is_empty());
        let cash_with_goods = Shape {
            kind: Kind::CashDonation,
            ..goods
        };
        assert_eq!(
            fields(check_shape(cash_with_goods)),
            ["item", "quantity", "unit"]
        );
    }

    const ORIGINAL: EntryState = EntryState {
        is_reversal: false,
        reversed: false,
        confirmed: false,
    };

    #[test]
    fn reversals_once_and_never_of_a_reversal() {
        assert_eq!(check_reversal(ORIGINAL), Ok(()));
        let confirmed = EntryState {
            confirmed: true,
            ..ORIGINAL
        };
        assert_eq!(check_reversal(confirmed), Ok(()));
        let reversed = EntryState {
            reversed: true,
            ..ORIGINAL
        };
        assert_eq!(check_reversal(reversed), Err(Refusal::AlreadyReversed));
        let reversal = EntryState {
            is_reversal: true,
            ..ORIGINAL
        };
        assert_eq!(check_reversal(reversal), Err(Refusal::ReversalOfReversal));
    }

    #[test]
    fn confirmation_once_of_a_standing_entry() {
        assert_eq!(check_confirmation(ORIGINAL), Ok(()));
        assert!(awaits_confirmation(ORIGINAL));
        let confirmed = EntryState {
            confirmed: true,
            ..ORIGINAL
        };
        assert_eq!(
            check_confirmation(confirmed),
            Err(Refusal::AlreadyConfirmed)
        );
        for state in [
            EntryState {
                reversed: true,
                ..ORIGINAL
            },
            EntryState {
                is_reversal: true,
                ..ORIGINAL
            },
        ] {
            assert_eq!(check_confirmation(state), Err(Refusal::NotConfirmable));
            assert!(!awaits_confirmation(state));
        }
    }
}
