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
    fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(NaiveDate::MIN)
    }
    fn last_day(&self) -> NaiveDate {
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
