//! Region-wide statistics (`/stats/*`): the annual report's figures for every village of every
//! department at once, one grouped query per figure family (`GROUP BY village_id`, never one query
//! per department or village), folded by the caller into departments, counties or villages. Each
//! figure means what the annual report's figure of the same name means (`reports.rs`); the one
//! figure that does not add up over villages (distinct cadres) is answered as (village, cadre)
//! pairs so the caller counts cadres per group.

use crate::db::DbConnection;
use crate::schema::{
    activities, assistance, ledger_entries, needs, pairings, presence_days, projects, rounds,
    team_members, teams, villages,
};
use chrono::{Datelike, NaiveDate};
use diesel::dsl::{count, count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use std::collections::{BTreeMap, BTreeSet};

/// The most villages one statistics query covers (the region has ~5,500).
pub const MAX_VILLAGES: i64 = 20_000;

/// A village as the statistics group it: its department, 市 and 县.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct VillagePlace {
    pub id: i64,
    pub department_id: i64,
    pub name: String,
    pub prefecture: String,
    pub county: String,
}

/// Which villages: every village, those of a 市, or those of a 县 (by name, as villages store them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    All,
    Prefecture(String),
    County(String),
}

/// The villages of a place, by id (bounded by [`MAX_VILLAGES`]).
pub fn places(conn: &mut DbConnection, place: &Place) -> QueryResult<Vec<VillagePlace>> {
    let mut q = villages::table
        .select((
            villages::id,
            villages::department_id,
            villages::name,
            villages::prefecture,
            villages::county,
        ))
        .order_by(villages::id)
        .limit(MAX_VILLAGES)
        .into_boxed();
    match place {
        Place::All => {}
        Place::Prefecture(p) => q = q.filter(villages::prefecture.eq(p.clone())),
        Place::County(c) => q = q.filter(villages::county.eq(c.clone())),
    }
    q.load(conn)
}

/// One village's figures of a year (everything here adds up over villages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageYear {
    /// 1 when a team of a round overlapping the year was stationed there.
    pub stationed: i64,
    pub teams: i64,
    pub households_paired: i64,
    /// Households that received assistance in the year.
    pub households_assisted: i64,
    pub assistance_count: i64,
    pub assistance_fen: i64,
    pub projects: i64,
    /// stage code → projects.
    pub projects_by_stage: BTreeMap<String, i64>,
    /// category code → (projects, budget fen, funds fen).
    pub projects_by_category: BTreeMap<String, (i64, i64, i64)>,
    pub funds_received_fen: i64,
    pub funds_spent_fen: i64,
    /// source code → received fen.
    pub funds_by_source: BTreeMap<String, i64>,
    /// kind code → fen.
    pub funds_by_kind: BTreeMap<String, i64>,
    pub activities: i64,
    /// kind code → (activities, participants, beneficiaries).
    pub activities_by_kind: BTreeMap<String, (i64, i64, i64)>,
    pub needs_resolved: i64,
    /// Cadre-months (per team membership) with days recorded and fewer days in the village than
    /// the department's minimum.
    pub presence_below_minimum: i64,
}

/// The figures of a year per village (every village with any), and the
/// (village, cadre) pairs of the cadres stationed.
pub struct YearFigures {
    pub villages: BTreeMap<i64, VillageYear>,
    pub cadres: BTreeSet<(i64, i64)>,
}

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or(NaiveDate::MIN)
}

fn fen_sum(expr: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({expr}), 0) AS BIGINT)"))
}

/// The calendar year of a date column, as text (`YYYY`), on both backends.
fn year_of(column: &str) -> String {
    format!("SUBSTR(CAST({column} AS TEXT), 1, 4)")
}

/// The figures of every year from `from` to `to` (inclusive), each family in one grouped query
/// over the whole range with the year as a grouping key (however many years and villages), split
/// per year here. Every year of the range is present.
pub fn years(
    conn: &mut DbConnection,
    from: i32,
    to: i32,
    today: NaiveDate,
) -> QueryResult<BTreeMap<i32, YearFigures>> {
    let (first, last) = (day(from, 1, 1), day(to, 12, 31));
    let mut out: BTreeMap<i32, YearFigures> = (from..=to)
        .map(|y| {
            (
                y,
                YearFigures {
                    villages: BTreeMap::new(),
                    cadres: BTreeSet::new(),
                },
            )
        })
        .collect();
    // The village's figures of a year of the range (rows outside the range are dropped).
    macro_rules! at {
        ($year:expr, $v:expr) => {
            match out.get_mut(&$year) {
                Some(y) => y.villages.entry($v).or_default(),
                None => continue,
            }
        };
    }
    let parse = |y: &str| y.parse::<i32>().unwrap_or(i32::MIN);

    // The rounds overlapping the range (a round spans at most a few years), by id.
    let round_dates: BTreeMap<i64, (i32, i32)> = rounds::table
        .filter(rounds::starts_on.le(last))
        .filter(rounds::ends_on.ge(first))
        .select((rounds::id, rounds::starts_on, rounds::ends_on))
        .load::<(i64, NaiveDate, NaiveDate)>(conn)?
        .into_iter()
        .map(|(id, s, e)| (id, (s.year().max(from), e.year().min(to))))
        .collect();
    let round_ids: Vec<i64> = round_dates.keys().copied().collect();

    // Stationing: teams of rounds overlapping the year.
    let t: Vec<(i64, i64, i64)> = teams::table
        .filter(teams::round_id.eq_any(round_ids.clone()))
        .group_by((teams::village_id, teams::round_id))
        .select((teams::village_id, teams::round_id, count(teams::id)))
        .load(conn)?;
    for (v, round, n) in t {
        let Some((lo, hi)) = round_dates.get(&round).copied() else {
            continue;
        };
        for y in lo..=hi {
            let r = at!(y, v);
            r.stationed = 1;
            r.teams += n;
        }
    }
    // Cadres: a membership counts in a year its round and itself overlap.
    let cadres: Vec<(i64, i64, NaiveDate, Option<NaiveDate>, NaiveDate, NaiveDate)> =
        team_members::table
            .inner_join(teams::table.inner_join(rounds::table))
            .filter(rounds::starts_on.le(last))
            .filter(rounds::ends_on.ge(first))
            .filter(team_members::from_date.le(last))
            .filter(
                team_members::to_date
                    .is_null()
                    .or(team_members::to_date.ge(first)),
            )
            .select((
                teams::village_id,
                team_members::cadre_id,
                team_members::from_date,
                team_members::to_date,
                rounds::starts_on,
                rounds::ends_on,
            ))
            .distinct()
            .load(conn)?;
    for (v, cadre, m_from, m_to, starts, ends) in cadres {
        let lo = starts.year().max(m_from.year()).max(from);
        let hi = ends.year().min(m_to.map_or(to, |d| d.year())).min(to);
        for y in lo..=hi {
            if let Some(f) = out.get_mut(&y) {
                f.cadres.insert((v, cadre));
            }
        }
    }

    // Pairing: the pairing's own year; assistance given in the year.
    let p: Vec<(i32, i64, i64)> = pairings::table
        .filter(pairings::year.between(from, to))
        .group_by((pairings::year, pairings::village_id))
        .select((
            pairings::year,
            pairings::village_id,
            count(pairings::household_id).aggregate_distinct(),
        ))
        .load(conn)?;
    for (y, v, n) in p {
        at!(y, v).households_paired = n;
    }

    // Families dated by day, grouped by the day's year.
    let given = year_of("assistance.given_on");
    let a: Vec<(String, i64, i64, i64, i64)> = assistance::table
        .filter(assistance::given_on.between(first, last))
        .group_by(sql::<diesel::sql_types::Text>(&format!(
            "assistance.village_id, {given}"
        )))
        .select((
            sql::<diesel::sql_types::Text>(&given),
            sql::<BigInt>("assistance.village_id"),
            sql::<BigInt>("COUNT(DISTINCT assistance.household_id)"),
            count_star(),
            fen_sum("assistance.amount_fen"),
        ))
        .load(conn)?;
    for (y, v, households, n, fen) in a {
        let r = at!(parse(&y), v);
        r.households_assisted = households;
        r.assistance_count = n;
        r.assistance_fen = fen;
    }

    // Projects of the year by stage and category, and the funds their ledger entries brought
    // (every entry of the project, as the annual report's `project_funds`).
    let pr: Vec<(i32, i64, String, String, i64, i64)> = projects::table
        .filter(projects::year.between(from, to))
        .group_by((
            projects::year,
            projects::village_id,
            projects::stage,
            projects::category,
        ))
        .select((
            projects::year,
            projects::village_id,
            projects::stage,
            projects::category,
            count_star(),
            fen_sum("projects.budget_fen"),
        ))
        .load(conn)?;
    for (y, v, stage, category, n, budget) in pr {
        let r = at!(y, v);
        r.projects += n;
        *r.projects_by_stage.entry(stage).or_default() += n;
        let c = r.projects_by_category.entry(category).or_default();
        c.0 += n;
        c.1 += budget;
    }
    let pf: Vec<(i32, i64, String, i64)> = ledger_entries::table
        .inner_join(projects::table)
        .filter(projects::year.between(from, to))
        .group_by((projects::year, projects::village_id, projects::category))
        .select((
            projects::year,
            projects::village_id,
            projects::category,
            fen_sum(
                "CASE WHEN ledger_entries.kind <> 'expenditure' \
                 THEN ledger_entries.amount_fen ELSE 0 END",
            ),
        ))
        .load(conn)?;
    for (y, v, category, fen) in pf {
        at!(y, v)
            .projects_by_category
            .entry(category)
            .or_default()
            .2 += fen;
    }

    // The ledger's entries dated in the year, by source and kind (reversals included).
    let dated = year_of("ledger_entries.entry_date");
    let l: Vec<(String, i64, String, String, i64)> = ledger_entries::table
        .filter(ledger_entries::entry_date.between(first, last))
        .group_by(sql::<diesel::sql_types::Text>(&format!(
            "ledger_entries.village_id, {dated}, ledger_entries.source, ledger_entries.kind"
        )))
        .select((
            sql::<diesel::sql_types::Text>(&dated),
            sql::<BigInt>("ledger_entries.village_id"),
            sql::<diesel::sql_types::Text>("ledger_entries.source"),
            sql::<diesel::sql_types::Text>("ledger_entries.kind"),
            fen_sum("ledger_entries.amount_fen"),
        ))
        .load(conn)?;
    for (y, v, source, kind, fen) in l {
        let r = at!(parse(&y), v);
        *r.funds_by_kind.entry(kind.clone()).or_default() += fen;
        if kind == "expenditure" {
            r.funds_spent_fen += fen;
        } else {
            r.funds_received_fen += fen;
            *r.funds_by_source.entry(source).or_default() += fen;
        }
    }

    // Activities held in the year, by kind.
    let held = year_of("activities.held_on");
    let ac: Vec<(String, i64, String, i64, i64, i64)> = activities::table
        .filter(activities::held_on.between(first, last))
        .group_by(sql::<diesel::sql_types::Text>(&format!(
            "activities.village_id, {held}, activities.kind"
        )))
        .select((
            sql::<diesel::sql_types::Text>(&held),
            sql::<BigInt>("activities.village_id"),
            sql::<diesel::sql_types::Text>("activities.kind"),
            count_star(),
            fen_sum("activities.participants"),
            fen_sum("activities.beneficiaries"),
        ))
        .load(conn)?;
    for (y, v, kind, n, participants, beneficiaries) in ac {
        let r = at!(parse(&y), v);
        r.activities += n;
        r.activities_by_kind
            .insert(kind, (n, participants, beneficiaries));
    }

    // Needs resolved (closed as resolved) in the year.
    let closed = year_of("needs.closed_on");
    let nr: Vec<(String, i64, i64)> = needs::table
        .filter(needs::status.eq("resolved"))
        .filter(needs::closed_on.between(first, last).assume_not_null())
        .group_by(sql::<diesel::sql_types::Text>(&format!(
            "needs.village_id, {closed}"
        )))
        .select((
            sql::<diesel::sql_types::Text>(&closed),
            sql::<BigInt>("needs.village_id"),
            count_star(),
        ))
        .load(conn)?;
    for (y, v, n) in nr {
        at!(parse(&y), v).needs_resolved = n;
    }

    // Presence: per team membership and calendar month of a year whose rounds it belongs to, the
    // days recorded inside the membership (up to today) and how many of them in the village; a
    // month with records and fewer days in the village than the department's minimum is below it
    // (the annual report's `month_figures`: leave does not count as days in the village). Each
    // day carries its membership, team, village and department: no join on cadre and dates.
    let upto = last.min(today);
    let month = "SUBSTR(CAST(presence_days.day AS TEXT), 1, 7)";
    let pm: Vec<(i64, i64, i64, String, i64, i64)> = presence_days::table
        .inner_join(teams::table.on(teams::id.eq(presence_days::team_id)))
        .inner_join(team_members::table.on(team_members::id.eq(presence_days::team_member_id)))
        .filter(teams::round_id.eq_any(round_ids.clone()))
        .filter(presence_days::day.between(first, upto))
        .filter(presence_days::day.ge(team_members::from_date))
        .filter(
            team_members::to_date
                .is_null()
                .or(presence_days::day.le(team_members::to_date.assume_not_null())),
        )
        // One literal: diesel cannot check a grouping over a month literal.
        .group_by(sql::<diesel::sql_types::Text>(&format!(
            "presence_days.village_id, presence_days.department_id, \
                     presence_days.team_member_id, teams.round_id, {month}"
        )))
        .select((
            sql::<BigInt>("presence_days.village_id"),
            sql::<BigInt>("presence_days.department_id"),
            sql::<BigInt>("teams.round_id"),
            sql::<diesel::sql_types::Text>(month),
            count_star(),
            fen_sum("CASE WHEN presence_days.status = 'in_village' THEN 1 ELSE 0 END"),
        ))
        .load(conn)?;
    let departments: BTreeSet<i64> = pm.iter().map(|r| r.1).collect();
    let minimum: BTreeMap<i64, i64> = if departments.is_empty() {
        BTreeMap::new()
    } else {
        use crate::schema::departments as d;
        d::table
            .filter(d::id.eq_any(departments.into_iter().collect::<Vec<_>>()))
            .select((d::id, d::min_days_in_village))
            .load::<(i64, i32)>(conn)?
            .into_iter()
            .map(|(id, m)| (id, i64::from(m)))
            .collect()
    };
    for (v, dept, round, month, recorded, in_village) in pm {
        let y = parse(month.get(..4).unwrap_or_default());
        // The membership's round must overlap the month's year.
        if !round_dates
            .get(&round)
            .is_some_and(|(lo, hi)| *lo <= y && y <= *hi)
        {
            continue;
        }
        let min = minimum.get(&dept).copied().unwrap_or(20);
        if recorded > 0 && in_village < min {
            at!(y, v).presence_below_minimum += 1;
        }
    }

    Ok(out)
}
