//! Cooperatives (合作社): kinds, the five rule documents, the yearly accounts and the surplus
//! distribution with the 60 % rule — pure rules, integer fen throughout.
//!
//! The distributable surplus of a year is revenue − costs − losses made good − reserves. A
//! distribution returns at least 60 % of it to the members by their trade volume with the
//! cooperative (按交易量返还); the rest goes by capital shares (按出资额). Each part is split in
//! proportion to its basis by the largest-remainder method: every member first gets the floor of
//! their exact share, then the fen left over go one each to the members with the largest
//! remainders, ties going to the lower member id. So the shares add up to the part exactly, and the
//! same inputs always give the same shares.

use crate::household::coded_enum;
use crate::validation::{field_error, one_of, FieldError};

coded_enum! {
    /// What a cooperative does.
    Kind {
        Breeding = "breeding", "养殖";
        GrassPlanting = "grass_planting", "种草";
        Farming = "farming", "种植";
        Restaurant = "restaurant", "餐饮";
        Handicraft = "handicraft", "手工艺";
        Transport = "transport", "运输";
        Tourism = "tourism", "乡村旅游";
        Other = "other", "其他";
    }
}

coded_enum! {
    /// The five rule documents a cooperative should have (规章制度).
    RuleDocument {
        Investment = "investment", "投入与分配";
        Finance = "finance", "财务管理";
        Safety = "safety", "安全生产";
        Members = "members", "社员守则";
        Wages = "wages", "工资待遇";
    }
}

/// The share of the distributable surplus that must go back by trade volume, in percent.
pub const MIN_TRADE_PERCENT: i64 = 60;

/// Money in a cooperative's accounts: 0 to 10 billion yuan in fen.
pub fn fen(field: &str, n: i64) -> Result<i64, FieldError> {
    if (0..=1_000_000_000_000).contains(&n) {
        Ok(n)
    } else {
        Err(crate::validation::between(field, 0, 1_000_000_000_000_i64))
    }
}

/// A year's accounts as entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accounts {
    pub revenue_fen: i64,
    pub costs_fen: i64,
    pub losses_made_good_fen: i64,
    pub reserves_fen: i64,
}

impl Accounts {
    /// Revenue − costs − losses made good − reserves; negative when the year made a loss.
    pub fn distributable_fen(&self) -> i64 {
        self.revenue_fen
            .saturating_sub(self.costs_fen)
            .saturating_sub(self.losses_made_good_fen)
            .saturating_sub(self.reserves_fen)
    }
}

/// One member's bases for a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberBasis {
    pub member_id: i64,
    /// The member's trade with the cooperative in the year, in fen.
    pub trade_fen: i64,
    /// The member's capital contribution (cash, land and livestock valued), in fen.
    pub capital_fen: i64,
}

/// One member's share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub member_id: i64,
    pub by_trade_fen: i64,
    pub by_capital_fen: i64,
}

impl Share {
    pub fn total_fen(&self) -> i64 {
        self.by_trade_fen + self.by_capital_fen
    }
}

/// Why a plan is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// Nothing to distribute (a loss or a zero surplus).
    NoSurplus { distributable_fen: i64 },
    /// Less than 60 % goes back by trade volume.
    Shortfall {
        required_fen: i64,
        planned_fen: i64,
        short_fen: i64,
    },
    /// More by trade volume than there is to distribute.
    MoreThanSurplus { distributable_fen: i64 },
    /// A part has members to share it but no basis to split it by (no trade, or no capital).
    NoBasis { part: &'static str },
    /// The same member twice, or none at all.
    Members(FieldError),
}

/// The least that must go back by trade volume: 60 % of the surplus, rounded up to the fen.
pub fn required_by_trade(distributable_fen: i64) -> i64 {
    let n = i128::from(distributable_fen) * i128::from(MIN_TRADE_PERCENT);
    i64::try_from((n + 99) / 100).unwrap_or(i64::MAX)
}

/// Splits `total` in proportion to `weights` by the largest remainder (ties: lower id first).
fn split(total: i64, weights: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let sum: i128 = weights.iter().map(|(_, w)| i128::from(*w)).sum();
    if sum == 0 || total == 0 {
        return weights.iter().map(|(id, _)| (*id, 0)).collect();
    }
    let mut parts: Vec<(i64, i64, i128)> = weights
        .iter()
        .map(|(id, w)| {
            let exact = i128::from(total) * i128::from(*w);
            let floor = exact / sum;
            (*id, i64::try_from(floor).unwrap_or(0), exact % sum)
        })
        .collect();
    let given: i64 = parts.iter().map(|p| p.1).sum();
    let mut left = total - given;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        parts[b]
            .2
            .cmp(&parts[a].2)
            .then(parts[a].0.cmp(&parts[b].0))
    });
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts.into_iter().map(|(id, fen, _)| (id, fen)).collect()
}

/// The distribution of `distributable_fen` with `by_trade_fen` going back by trade volume and the
/// rest by capital, member by member (in the order given).
pub fn plan(
    distributable_fen: i64,
    by_trade_fen: i64,
    members: &[MemberBasis],
) -> Result<Vec<Share>, PlanError> {
    if distributable_fen <= 0 {
        return Err(PlanError::NoSurplus { distributable_fen });
    }
    if members.is_empty() {
        return Err(PlanError::Members(crate::validation::required("members")));
    }
    for (i, m) in members.iter().enumerate() {
        if members[..i].iter().any(|o| o.member_id == m.member_id) {
            return Err(PlanError::Members(
                field_error("members", format!("member {} is listed twice", m.member_id))
                    .coded("repeated", vec![("value", m.member_id.to_string())]),
            ));
        }
        if m.trade_fen < 0 || m.capital_fen < 0 {
            return Err(PlanError::Members(crate::validation::between(
                "members.trade_fen",
                0,
                1_000_000_000_000_i64,
            )));
        }
    }
    if by_trade_fen > distributable_fen {
        return Err(PlanError::MoreThanSurplus { distributable_fen });
    }
    let required = required_by_trade(distributable_fen);
    if by_trade_fen < required {
        return Err(PlanError::Shortfall {
            required_fen: required,
            planned_fen: by_trade_fen,
            short_fen: required - by_trade_fen,
        });
    }
    let by_capital = distributable_fen - by_trade_fen;
    let trade: Vec<(i64, i64)> = members.iter().map(|m| (m.member_id, m.trade_fen)).collect();
    let capital: Vec<(i64, i64)> = members
        .iter()
        .map(|m| (m.member_id, m.capital_fen))
        .collect();
    if by_trade_fen > 0 && trade.iter().all(|(_, w)| *w == 0) {
        return Err(PlanError::NoBasis { part: "trade" });
    }
    if by_capital > 0 && capital.iter().all(|(_, w)| *w == 0) {
        return Err(PlanError::NoBasis { part: "capital" });
    }
    let t = split(by_trade_fen, &trade);
    let c = split(by_capital, &capital);
    Ok(t.into_iter()
        .zip(c)
        .map(|((member_id, by_trade_fen), (_, by_capital_fen))| Share {
            member_id,
            by_trade_fen,
            by_capital_fen,
        })
        .collect())
}

/// A rule document's code as a request names it.
pub fn rule_document(field: &str, raw: &str) -> Result<RuleDocument, FieldError> {
    RuleDocument::from_code(raw.trim()).ok_or_else(|| one_of(field, RuleDocument::CODES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: i64, trade: i64, capital: i64) -> MemberBasis {
        MemberBasis {
            member_id: id,
            trade_fen: trade,
            capital_fen: capital,
        }
    }

    #[test]
    fn the_sixty_percent_rule_at_its_boundary() {
        let members = [m(1, 100, 100), m(2, 300, 100)];
        // 10,000 fen: 60 % is exactly 6,000.
        assert!(plan(10_000, 6_000, &members).is_ok());
        assert_eq!(
            plan(10_000, 5_999, &members),
            Err(PlanError::Shortfall {
                required_fen: 6_000,
                planned_fen: 5_999,
                short_fen: 1
            })
        );
        // 59.99 % of 1,000,000 fen is refused, 60 % accepted.
        assert!(matches!(
            plan(1_000_000, 599_900, &members),
            Err(PlanError::Shortfall { short_fen: 100, .. })
        ));
        assert!(plan(1_000_000, 600_000, &members).is_ok());
        assert!(plan(1_000_000, 1_000_000, &members).is_ok());
        // 60 % of 1,001 fen is 600.6: at least 601 must go by trade.
        assert_eq!(required_by_trade(1_001), 601);
        assert!(plan(1_001, 600, &members).is_err());
        assert!(plan(1_001, 601, &members).is_ok());
        assert_eq!(
            plan(10_000, 10_001, &members),
            Err(PlanError::MoreThanSurplus {
                distributable_fen: 10_000
            })
        );
        assert_eq!(
            plan(0, 0, &members),
            Err(PlanError::NoSurplus {
                distributable_fen: 0
            })
        );
    }

    #[test]
    fn shares_add_up_to_the_fen_and_are_deterministic() {
        // Three equal traders share 100 fen: 34, 33, 33 (the extra fen to the lowest id).
        let members = [m(7, 5, 1), m(3, 5, 1), m(9, 5, 1)];
        let shares = plan(100, 100, &members).unwrap_or_default();
        let by_id: Vec<(i64, i64)> = shares
            .iter()
            .map(|s| (s.member_id, s.by_trade_fen))
            .collect();
        assert_eq!(by_id, [(7, 33), (3, 34), (9, 33)]);
        // Awkward proportions: every part sums exactly.
        let members = [m(1, 333, 7), m(2, 333, 11), m(3, 334, 13), m(4, 1, 0)];
        for (total, trade) in [(1_000_003, 600_002), (99_999, 60_000), (7, 5)] {
            let shares = plan(total, trade, &members).unwrap_or_default();
            let t: i64 = shares.iter().map(|s| s.by_trade_fen).sum();
            let c: i64 = shares.iter().map(|s| s.by_capital_fen).sum();
            assert_eq!((t, c), (trade, total - trade), "{total} {trade}");
            assert_eq!(shares.iter().map(Share::total_fen).sum::<i64>(), total);
            assert_eq!(plan(total, trade, &members).unwrap_or_default(), shares);
        }
    }

    #[test]
    fn a_part_needs_a_basis() {
        assert_eq!(
            plan(100, 60, &[m(1, 0, 10)]),
            Err(PlanError::NoBasis { part: "trade" })
        );
        assert_eq!(
            plan(100, 60, &[m(1, 10, 0)]),
            Err(PlanError::NoBasis { part: "capital" })
        );
        assert!(plan(100, 100, &[m(1, 10, 0)]).is_ok());
        assert!(matches!(
            plan(100, 100, &[m(1, 10, 0), m(1, 5, 0)]),
            Err(PlanError::Members(_))
        ));
    }

    #[test]
    fn the_distributable_surplus() {
        let a = Accounts {
            revenue_fen: 1_000_000,
            costs_fen: 600_000,
            losses_made_good_fen: 50_000,
            reserves_fen: 35_000,
        };
        assert_eq!(a.distributable_fen(), 315_000);
        let loss = Accounts {
            costs_fen: 2_000_000,
            ..a
        };
        assert!(loss.distributable_fen() < 0);
    }
}
