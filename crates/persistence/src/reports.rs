//! The annual report's figures, computed by the database from the records (counts and sums, never
//! stored): one query per figure family, each narrowed to a department, a year and optionally a
//! set of villages. Money is summed as BIGINT fen.

use crate::db::DbConnection;
use crate::schema::{pairings, rounds, team_members, teams};
use chrono::NaiveDate;
use diesel::dsl::count;
use diesel::prelude::*;

/// Whose figures: a department, a calendar year, and `None` for every village or the villages named.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub department_id: i64,
    pub year: i32,
    pub villages: Option<&'a [i64]>,
}

impl Scope<'_> {
    /// The year's first day.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(NaiveDate::MIN)
    }
    /// The year's last day.
    pub fn last_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 12, 31).unwrap_or(NaiveDate::MAX)
    }
}

/// Teams in the villages during the year: rounds overlapping it, their teams, and the cadres whose
/// membership overlaps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stationing {
    pub villages: i64,
    pub teams: i64,
    pub cadres_stationed: i64,
    pub rounds: i64,
}

pub fn stationing(conn: &mut DbConnection, scope: &Scope<'_>) -> QueryResult<Stationing> {
    let (first, last) = (scope.first_day(), scope.last_day());
    let mut q = teams::table
        .inner_join(rounds::table)
        .filter(teams::department_id.eq(scope.department_id))
        .filter(rounds::starts_on.le(last))
        .filter(rounds::ends_on.ge(first))
        .into_boxed();
    if let Some(ids) = scope.villages {
        q = q.filter(teams::village_id.eq_any(ids));
    }
    let (villages, teams_n, rounds_n): (i64, i64, i64) = q
        .select((
            count(teams::village_id).aggregate_distinct(),
            count(teams::id).aggregate_distinct(),
            count(rounds::id).aggregate_distinct(),
        ))
        .first(conn)?;
    let mut m = team_members::table
        .inner_join(teams::table.inner_join(rounds::table))
        .filter(teams::department_id.eq(scope.department_id))
        .filter(rounds::starts_on.le(last))
        .filter(rounds::ends_on.ge(first))
        .filter(team_members::from_date.le(last))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(first)),
        )
        .into_boxed();
    if let Some(ids) = scope.villages {
        m = m.filter(teams::village_id.eq_any(ids));
    }
    let cadres_stationed: i64 = m
        .select(count(team_members::cadre_id).aggregate_distinct())
        .first(conn)?;
    Ok(Stationing {
        villages,
        teams: teams_n,
        cadres_stationed,
        rounds: rounds_n,
    })
}

/// 结对认亲 and 帮扶 in the year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairing {
    pub cadres: i64,
    pub households: i64,
    pub assistance_fen: i64,
    /// (kind code, fen), every kind that has records.
    pub assistance_by_kind: Vec<(String, i64)>,
}

pub fn pairing(conn: &mut DbConnection, scope: &Scope<'_>) -> QueryResult<Pairing> {
    let mut p = pairings::table
        .filter(pairings::department_id.eq(scope.department_id))
        .filter(pairings::year.eq(scope.year))
        .into_boxed();
    if let Some(ids) = scope.villages {
        p = p.filter(pairings::village_id.eq_any(ids));
    }
    let (cadres, households): (i64, i64) = p
        .select((
            count(pairings::cadre_id).aggregate_distinct(),
            count(pairings::household_id).aggregate_distinct(),
        ))
        .first(conn)?;
    let filter = crate::assistance::AssistanceFilter {
        department_id: scope.department_id,
        only_villages: scope.villages.map(<[i64]>::to_vec),
        village_id: None,
        household_id: None,
        cadre_id: None,
        kind: None,
        from: Some(scope.first_day()),
        to: Some(scope.last_day()),
    };
    let mut assistance_by_kind: Vec<(String, i64)> =
        crate::assistance::totals_by_kind(conn, &filter)?
            .into_iter()
            .map(|g| (g.key, g.total_fen))
            .collect();
    assistance_by_kind.sort();
    Ok(Pairing {
        cadres,
        households,
        assistance_fen: assistance_by_kind.iter().map(|(_, f)| f).sum(),
        assistance_by_kind,
    })
}

/// 驻村项目 of the year (a project's own `year`), by stage and by category, with their budgets
/// and the funds their ledger entries brought (allocations and donations, reversals included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFigures {
    pub count: i64,
    /// (stage code, projects), every stage that has some.
    pub by_stage: Vec<(String, i64)>,
    /// (category code, projects, budget fen, funds fen).
    pub by_category: Vec<(String, i64, i64, i64)>,
}

pub fn projects(conn: &mut DbConnection, scope: &Scope<'_>) -> QueryResult<ProjectFigures> {
    use crate::schema::projects;
    // A department's projects of one year are a few hundred at most: loaded as (id, stage,
    // category, budget) and counted here, their funds summed by the database in one query.
    let mut q = projects::table
        .filter(projects::department_id.eq(scope.department_id))
        .filter(projects::year.eq(scope.year))
        .select((
            projects::id,
            projects::stage,
            projects::category,
            projects::budget_fen,
        ))
        .into_boxed();
    if let Some(ids) = scope.villages {
        q = q.filter(projects::village_id.eq_any(ids));
    }
    let rows: Vec<(i64, String, String, i64)> = q.load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let funds = crate::ledger::project_funds(conn, &ids)?;
    let mut by_stage: std::collections::BTreeMap<String, i64> = Default::default();
    let mut by_category: std::collections::BTreeMap<String, (i64, i64, i64)> = Default::default();
    for (id, stage, category, budget) in &rows {
        *by_stage.entry(stage.clone()).or_default() += 1;
        let c = by_category.entry(category.clone()).or_default();
        c.0 += 1;
        c.1 += budget;
        c.2 += funds
            .iter()
            .find(|(p, _)| p == id)
            .map_or(0, |(_, s)| s.received_fen);
    }
    Ok(ProjectFigures {
        count: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        by_stage: by_stage.into_iter().collect(),
        by_category: by_category
            .into_iter()
            .map(|(c, (n, b, f))| (c, n, b, f))
            .collect(),
    })
}

/// The money and goods of the year's ledger entries (dated in the year), reversals included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FundFigures {
    /// Received: allocations and donations, in cash and in kind.
    pub total_fen: i64,
    pub spent_fen: i64,
    /// (source code, received fen).
    pub by_source: Vec<(String, i64)>,
    /// (kind code, fen of that kind).
    pub by_kind: Vec<(String, i64)>,
    /// Goods in kind put into projects (industry support: seed, equipment …).
    pub in_kind_fen: i64,
    /// Goods in kind handed out without a project (慰问品 of relief visits) and their donors.
    pub relief_goods_fen: i64,
    pub relief_donors: i64,
    /// (donor name, received fen), largest first.
    pub donors: Vec<(String, i64)>,
    /// Entries of the year still waiting for the village committee's confirmation.
    pub unconfirmed: i64,
}

pub fn funds(conn: &mut DbConnection, scope: &Scope<'_>) -> QueryResult<FundFigures> {
    use crate::ledger::{self as l, LedgerFilter, TotalsBy};
    let year = LedgerFilter {
        department_id: scope.department_id,
        only_villages: scope.villages.map(<[i64]>::to_vec),
        from: Some(scope.first_day()),
        to: Some(scope.last_day()),
        ..LedgerFilter::default()
    };
    let all = l::overall(conn, &year)?;
    let by_source = l::totals(conn, &year, TotalsBy::Source)?
        .into_iter()
        .filter_map(|(k, s)| k.map(|k| (k, s.received_fen)))
        .filter(|(_, fen)| *fen != 0)
        .collect();
    let by_kind = l::totals(conn, &year, TotalsBy::Kind)?
        .into_iter()
        .filter_map(|(k, s)| k.map(|k| (k, s.amount_fen)))
        .collect();
    let in_kind = LedgerFilter {
        kind: Some("in_kind_donation".to_owned()),
        ..year.clone()
    };
    let in_kind_fen = l::overall(
        conn,
        &LedgerFilter {
            for_project: Some(true),
            ..in_kind.clone()
        },
    )?
    .received_fen;
    let relief = LedgerFilter {
        for_project: Some(false),
        ..in_kind
    };
    let relief_goods_fen = l::overall(conn, &relief)?.received_fen;
    let relief_donors = l::totals(conn, &relief, TotalsBy::Donor)?
        .iter()
        .filter(|(k, s)| k.is_some() && s.received_fen > 0)
        .count();
    let by_donor: Vec<(i64, i64)> = l::totals(conn, &year, TotalsBy::Donor)?
        .into_iter()
        .filter_map(|(k, s)| {
            k.and_then(|k| k.parse().ok())
                .map(|id: i64| (id, s.received_fen))
        })
        .filter(|(_, fen)| *fen != 0)
        .collect();
    let ids: Vec<i64> = by_donor.iter().map(|(id, _)| *id).collect();
    let names = l::names_of(conn, TotalsBy::Donor, &ids)?;
    let mut donors: Vec<(String, i64)> = by_donor
        .into_iter()
        .filter_map(|(id, fen)| {
            names
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, n)| (n.clone(), fen))
        })
        .collect();
    donors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let unconfirmed = l::overall(
        conn,
        &LedgerFilter {
            awaiting_confirmation: true,
            ..year
        },
    )?
    .entries;
    Ok(FundFigures {
        total_fen: all.received_fen,
        spent_fen: all.spent_fen,
        by_source,
        by_kind,
        in_kind_fen,
        relief_goods_fen,
        relief_donors: i64::try_from(relief_donors).unwrap_or(i64::MAX),
        donors,
        unconfirmed,
    })
}

/// The team memberships of the scope overlapping the year (of teams whose round overlaps it):
/// `(cadre, from, to)`, for the days-in-the-village figures.
pub fn memberships(
    conn: &mut DbConnection,
    scope: &Scope<'_>,
) -> QueryResult<Vec<(i64, NaiveDate, Option<NaiveDate>)>> {
    let (first, last) = (scope.first_day(), scope.last_day());
    let mut m = team_members::table
        .inner_join(teams::table.inner_join(rounds::table))
        .filter(teams::department_id.eq(scope.department_id))
        .filter(rounds::starts_on.le(last))
        .filter(rounds::ends_on.ge(first))
        .filter(team_members::from_date.le(last))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(first)),
        )
        .select((
            team_members::cadre_id,
            team_members::from_date,
            team_members::to_date,
        ))
        .into_boxed();
    if let Some(ids) = scope.villages {
        m = m.filter(teams::village_id.eq_any(ids));
    }
    m.load(conn)
}
