//! The year-on-year comparison (`/reports/annual/compare`): the annual report's headline figures
//! for a range of years, each family computed by one grouped query over the whole range (by year,
//! or by day folded into years here), so a range of twenty years costs the same ten queries as
//! one. Each figure means exactly what the annual report's figure of the same name means; a test
//! checks the two agree year by year.

use crate::db::DbConnection;
use crate::ledger::{self, LedgerFilter, TotalsBy};
use crate::schema::{
    activities, assistance, cooperative_distributions, needs, pairings, projects, rounds,
    team_members, teams,
};
use chrono::{Datelike, NaiveDate};
use diesel::dsl::{count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use std::collections::{BTreeMap, BTreeSet};

/// The most years one comparison covers.
pub const MAX_YEARS: i32 = 20;

/// One year's headline figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearRow {
    pub year: i32,
    pub villages: i64,
    pub teams: i64,
    pub cadres_stationed: i64,
    pub paired_households: i64,
    pub assistance_fen: i64,
    pub projects: i64,
    pub project_budget_fen: i64,
    pub funds_received_fen: i64,
    pub funds_spent_fen: i64,
    pub activities: i64,
    pub participants: i64,
    pub beneficiaries: i64,
    pub party_members_developed: i64,
    pub needs_raised: i64,
    pub needs_resolved: i64,
    pub distributed_to_members_fen: i64,
}

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or(NaiveDate::MIN)
}

/// The figures of every year from `from` to `to` (inclusive; at most [`MAX_YEARS`], checked by
/// the caller), for a department and optionally some of its villages. Years without records are
/// present with zeros.
pub fn by_year(
    conn: &mut DbConnection,
    department_id: i64,
    villages: Option<&[i64]>,
    from: i32,
    to: i32,
) -> QueryResult<Vec<YearRow>> {
    let (first, last) = (day(from, 1, 1), day(to, 12, 31));
    let mut rows: BTreeMap<i32, YearRow> = (from..=to)
        .map(|year| {
            (
                year,
                YearRow {
                    year,
                    ..YearRow::default()
                },
            )
        })
        .collect();
    // Figures dated by day fall into the year of their day; the map holds only the range.
    macro_rules! into_year {
        ($day:expr, |$r:ident| $body:expr) => {
            if let Some($r) = rows.get_mut(&$day.year()) {
                $body;
            }
        };
    }

    // Stationing: rounds overlap years, so the teams and memberships overlapping the range are
    // loaded (a department has at most a few hundred teams a year) and counted per year here.
    let mut t = teams::table
        .inner_join(rounds::table)
        .filter(teams::department_id.eq(department_id))
        .filter(rounds::starts_on.le(last))
        .filter(rounds::ends_on.ge(first))
        .select((
            teams::id,
            teams::village_id,
            rounds::starts_on,
            rounds::ends_on,
        ))
        .into_boxed();
    if let Some(ids) = villages {
        t = t.filter(teams::village_id.eq_any(ids));
    }
    let team_rows: Vec<(i64, i64, NaiveDate, NaiveDate)> = t.load(conn)?;
    let mut m = team_members::table
        .inner_join(teams::table.inner_join(rounds::table))
        .filter(teams::department_id.eq(department_id))
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
            rounds::starts_on,
            rounds::ends_on,
        ))
        .into_boxed();
    if let Some(ids) = villages {
        m = m.filter(teams::village_id.eq_any(ids));
    }
    let member_rows: Vec<(i64, NaiveDate, Option<NaiveDate>, NaiveDate, NaiveDate)> =
        m.load(conn)?;
    for (year, row) in rows.iter_mut() {
        let (y0, y1) = (day(*year, 1, 1), day(*year, 12, 31));
        let in_year: Vec<&(i64, i64, NaiveDate, NaiveDate)> = team_rows
            .iter()
            .filter(|(_, _, s, e)| *s <= y1 && *e >= y0)
            .collect();
        row.teams = len(in_year.iter().map(|r| r.0).collect::<BTreeSet<_>>().len());
        row.villages = len(in_year.iter().map(|r| r.1).collect::<BTreeSet<_>>().len());
        row.cadres_stationed = len(member_rows
            .iter()
            .filter(|(_, f, to, s, e)| {
                *s <= y1 && *e >= y0 && *f <= y1 && to.is_none_or(|to| to >= y0)
            })
            .map(|r| r.0)
            .collect::<BTreeSet<_>>()
            .len());
    }

    // Pairing: the year is the pairing's own.
    let mut p = pairings::table
        .filter(pairings::department_id.eq(department_id))
        .filter(pairings::year.between(from, to))
        .group_by(pairings::year)
        .select((
            pairings::year,
            count(pairings::household_id).aggregate_distinct(),
        ))
        .into_boxed();
    if let Some(ids) = villages {
        p = p.filter(pairings::village_id.eq_any(ids));
    }
    for (year, households) in p.load::<(i32, i64)>(conn)? {
        if let Some(r) = rows.get_mut(&year) {
            r.paired_households = households;
        }
    }
    let mut a = assistance::table
        .filter(assistance::department_id.eq(department_id))
        .filter(assistance::given_on.between(first, last))
        .group_by(assistance::given_on)
        .select((
            assistance::given_on,
            sql::<BigInt>("CAST(COALESCE(SUM(assistance.amount_fen), 0) AS BIGINT)"),
        ))
        .into_boxed();
    if let Some(ids) = villages {
        a = a.filter(assistance::village_id.eq_any(ids));
    }
    for (d, fen) in a.load::<(NaiveDate, i64)>(conn)? {
        into_year!(d, |r| r.assistance_fen += fen);
    }

    // Projects: the year is the project's own.
    let mut pr = projects::table
        .filter(projects::department_id.eq(department_id))
        .filter(projects::year.between(from, to))
        .group_by(projects::year)
        .select((
            projects::year,
            count_star(),
            sql::<BigInt>("CAST(COALESCE(SUM(projects.budget_fen), 0) AS BIGINT)"),
        ))
        .into_boxed();
    if let Some(ids) = villages {
        pr = pr.filter(projects::village_id.eq_any(ids));
    }
    for (year, n, budget) in pr.load::<(i32, i64, i64)>(conn)? {
        if let Some(r) = rows.get_mut(&year) {
            r.projects = n;
            r.project_budget_fen = budget;
        }
    }

    // Funds: the ledger's own totals by year (the same sums as the totals endpoint).
    let filter = LedgerFilter {
        department_id,
        only_villages: villages.map(<[i64]>::to_vec),
        from: Some(first),
        to: Some(last),
        ..LedgerFilter::default()
    };
    for (key, sums) in ledger::totals(conn, &filter, TotalsBy::Year)? {
        if let Some(r) = key
            .and_then(|k| k.parse::<i32>().ok())
            .and_then(|y| rows.get_mut(&y))
        {
            r.funds_received_fen = sums.received_fen;
            r.funds_spent_fen = sums.spent_fen;
        }
    }

    // Activities by day, folded into years.
    let mut ac = activities::table
        .filter(activities::department_id.eq(department_id))
        .filter(activities::held_on.between(first, last))
        .group_by(activities::held_on)
        .select((
            activities::held_on,
            count_star(),
            sql::<BigInt>("CAST(COALESCE(SUM(activities.participants), 0) AS BIGINT)"),
            sql::<BigInt>("CAST(COALESCE(SUM(activities.beneficiaries), 0) AS BIGINT)"),
            sql::<BigInt>(
                "CAST(COALESCE(SUM(CASE WHEN activities.kind = 'party_building' \
                 THEN activities.party_members_developed ELSE 0 END), 0) AS BIGINT)",
            ),
        ))
        .into_boxed();
    if let Some(ids) = villages {
        ac = ac.filter(activities::village_id.eq_any(ids));
    }
    for (d, n, participants, beneficiaries, party) in
        ac.load::<(NaiveDate, i64, i64, i64, i64)>(conn)?
    {
        into_year!(d, |r| {
            r.activities += n;
            r.participants += participants;
            r.beneficiaries += beneficiaries;
            r.party_members_developed += party;
        });
    }

    // Needs: raised by the day raised, resolved by the day closed.
    let mut nr = needs::table
        .filter(needs::department_id.eq(department_id))
        .filter(needs::raised_on.between(first, last))
        .group_by(needs::raised_on)
        .select((needs::raised_on, count_star()))
        .into_boxed();
    if let Some(ids) = villages {
        nr = nr.filter(needs::village_id.eq_any(ids));
    }
    for (d, n) in nr.load::<(NaiveDate, i64)>(conn)? {
        into_year!(d, |r| r.needs_raised += n);
    }
    let mut nc = needs::table
        .filter(needs::department_id.eq(department_id))
        .filter(needs::status.eq("resolved"))
        .filter(needs::closed_on.between(first, last).assume_not_null())
        .group_by(needs::closed_on)
        .select((needs::closed_on.assume_not_null(), count_star()))
        .into_boxed();
    if let Some(ids) = villages {
        nc = nc.filter(needs::village_id.eq_any(ids));
    }
    for (d, n) in nc.load::<(NaiveDate, i64)>(conn)? {
        into_year!(d, |r| r.needs_resolved += n);
    }

    // Cooperatives: what was distributed back to members, by the distribution's year.
    let mut cd = cooperative_distributions::table
        .filter(cooperative_distributions::department_id.eq(department_id))
        .filter(cooperative_distributions::year.between(from, to))
        .group_by(cooperative_distributions::year)
        .select((
            cooperative_distributions::year,
            sql::<BigInt>(
                "CAST(COALESCE(SUM(cooperative_distributions.distributable_fen), 0) AS BIGINT)",
            ),
        ))
        .into_boxed();
    if let Some(ids) = villages {
        cd = cd.filter(cooperative_distributions::village_id.eq_any(ids));
    }
    for (year, fen) in cd.load::<(i32, i64)>(conn)? {
        if let Some(r) = rows.get_mut(&year) {
            r.distributed_to_members_fen = fen;
        }
    }

    Ok(rows.into_values().collect())
}

fn len(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
