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
use chrono::NaiveDate;
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

/// The figures of a year per village, for the villages given (`None`: every village), and the
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

/// One year's figures, in ten grouped queries however many villages.
pub fn year(
    conn: &mut DbConnection,
    only: Option<&[i64]>,
    year: i32,
    today: NaiveDate,
) -> QueryResult<YearFigures> {
    let (first, last) = (day(year, 1, 1), day(year, 12, 31));
    let mut by: BTreeMap<i64, VillageYear> = BTreeMap::new();
    macro_rules! narrow {
        ($q:expr, $col:expr) => {{
            let mut q = $q.into_boxed();
            if let Some(ids) = only {
                q = q.filter($col.eq_any(ids.to_vec()));
            }
            q
        }};
    }

    // Stationing: teams of rounds overlapping the year.
    let t: Vec<(i64, i64)> = narrow!(
        teams::table
            .inner_join(rounds::table)
            .filter(rounds::starts_on.le(last))
            .filter(rounds::ends_on.ge(first))
            .group_by(teams::village_id)
            .select((teams::village_id, count(teams::id).aggregate_distinct())),
        teams::village_id
    )
    .load(conn)?;
    for (v, n) in t {
        let r = by.entry(v).or_default();
        r.stationed = 1;
        r.teams = n;
    }
    let cadres: Vec<(i64, i64)> = narrow!(
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
            .select((teams::village_id, team_members::cadre_id))
            .distinct(),
        teams::village_id
    )
    .load(conn)?;

    // Pairing: the pairing's own year; assistance given in the year.
    let p: Vec<(i64, i64)> = narrow!(
        pairings::table
            .filter(pairings::year.eq(year))
            .group_by(pairings::village_id)
            .select((
                pairings::village_id,
                count(pairings::household_id).aggregate_distinct(),
            )),
        pairings::village_id
    )
    .load(conn)?;
    for (v, n) in p {
        by.entry(v).or_default().households_paired = n;
    }
    let a: Vec<(i64, i64, i64, i64)> = narrow!(
        assistance::table
            .filter(assistance::given_on.between(first, last))
            .group_by(assistance::village_id)
            .select((
                assistance::village_id,
                count(assistance::household_id).aggregate_distinct(),
                count_star(),
                fen_sum("assistance.amount_fen"),
            )),
        assistance::village_id
    )
    .load(conn)?;
    for (v, households, n, fen) in a {
        let r = by.entry(v).or_default();
        r.households_assisted = households;
        r.assistance_count = n;
        r.assistance_fen = fen;
    }

    // Projects of the year by stage and category, and the funds their ledger entries brought
    // (every entry of the project, as the annual report's `project_funds`).
    let pr: Vec<(i64, String, String, i64, i64)> = narrow!(
        projects::table
            .filter(projects::year.eq(year))
            .group_by((projects::village_id, projects::stage, projects::category))
            .select((
                projects::village_id,
                projects::stage,
                projects::category,
                count_star(),
                fen_sum("projects.budget_fen"),
            )),
        projects::village_id
    )
    .load(conn)?;
    for (v, stage, category, n, budget) in pr {
        let r = by.entry(v).or_default();
        r.projects += n;
        *r.projects_by_stage.entry(stage).or_default() += n;
        let c = r.projects_by_category.entry(category).or_default();
        c.0 += n;
        c.1 += budget;
    }
    let pf: Vec<(i64, String, i64)> = narrow!(
        ledger_entries::table
            .inner_join(projects::table)
            .filter(projects::year.eq(year))
            .group_by((projects::village_id, projects::category))
            .select((
                projects::village_id,
                projects::category,
                fen_sum(
                    "CASE WHEN ledger_entries.kind <> 'expenditure' \
                     THEN ledger_entries.amount_fen ELSE 0 END",
                ),
            )),
        projects::village_id
    )
    .load(conn)?;
    for (v, category, fen) in pf {
        by.entry(v)
            .or_default()
            .projects_by_category
            .entry(category)
            .or_default()
            .2 += fen;
    }

    // The ledger's entries dated in the year, by source and kind (reversals included).
    let l: Vec<(i64, String, String, i64)> = narrow!(
        ledger_entries::table
            .filter(ledger_entries::entry_date.between(first, last))
            .group_by((
                ledger_entries::village_id,
                ledger_entries::source,
                ledger_entries::kind,
            ))
            .select((
                ledger_entries::village_id,
                ledger_entries::source,
                ledger_entries::kind,
                fen_sum("ledger_entries.amount_fen"),
            )),
        ledger_entries::village_id
    )
    .load(conn)?;
    for (v, source, kind, fen) in l {
        let r = by.entry(v).or_default();
        *r.funds_by_kind.entry(kind.clone()).or_default() += fen;
        if kind == "expenditure" {
            r.funds_spent_fen += fen;
        } else {
            r.funds_received_fen += fen;
            *r.funds_by_source.entry(source).or_default() += fen;
        }
    }

    // Activities held in the year, by kind.
    let ac: Vec<(i64, String, i64, i64, i64)> = narrow!(
        activities::table
            .filter(activities::held_on.between(first, last))
            .group_by((activities::village_id, activities::kind))
            .select((
                activities::village_id,
                activities::kind,
                count_star(),
                fen_sum("activities.participants"),
                fen_sum("activities.beneficiaries"),
            )),
        activities::village_id
    )
    .load(conn)?;
    for (v, kind, n, participants, beneficiaries) in ac {
        let r = by.entry(v).or_default();
        r.activities += n;
        r.activities_by_kind
            .insert(kind, (n, participants, beneficiaries));
    }

    // Needs resolved (closed as resolved) in the year.
    let nr: Vec<(i64, i64)> = narrow!(
        needs::table
            .filter(needs::status.eq("resolved"))
            .filter(needs::closed_on.between(first, last).assume_not_null())
            .group_by(needs::village_id)
            .select((needs::village_id, count_star())),
        needs::village_id
    )
    .load(conn)?;
    for (v, n) in nr {
        by.entry(v).or_default().needs_resolved = n;
    }

    // Presence: per team membership overlapping the year and calendar month, the cadre's days
    // recorded inside the membership (up to today) and how many of them in the village; a month
    // with records and fewer days in the village than the department's minimum is below it (the
    // annual report's `month_figures`: leave does not count as days in the village).
    let upto = last.min(today);
    let month = "SUBSTR(CAST(presence_days.day AS TEXT), 1, 7)";
    let round_ids: Vec<i64> = rounds::table
        .filter(rounds::starts_on.le(last))
        .filter(rounds::ends_on.ge(first))
        .select(rounds::id)
        .load(conn)?;
    // A grouping over a literal cannot be boxed: the query is written once, narrowed or not.
    macro_rules! presence {
        ($narrowing:expr) => {
            presence_days::table
                .inner_join(
                    team_members::table.on(team_members::cadre_id
                        .eq(presence_days::cadre_id)
                        .and(presence_days::day.ge(team_members::from_date))
                        .and(
                            team_members::to_date
                                .is_null()
                                .or(presence_days::day.le(team_members::to_date.assume_not_null())),
                        )),
                )
                .inner_join(teams::table.on(teams::id.eq(team_members::team_id)))
                .filter(teams::round_id.eq_any(round_ids.clone()))
                .filter(presence_days::day.between(first, upto))
                .filter($narrowing)
                // One literal: diesel cannot check a grouping that spans three tables and a month.
                .group_by(sql::<diesel::sql_types::Text>(&format!(
                    "teams.village_id, teams.department_id, team_members.id, {month}"
                )))
                .select((
                    sql::<BigInt>("teams.village_id"),
                    sql::<BigInt>("teams.department_id"),
                    sql::<diesel::sql_types::Text>(month),
                    count_star(),
                    fen_sum("CASE WHEN presence_days.status = 'in_village' THEN 1 ELSE 0 END"),
                ))
        };
    }
    let pm: Vec<(i64, i64, String, i64, i64)> = match only {
        Some(ids) => presence!(teams::village_id.eq_any(ids.to_vec())).load(conn)?,
        None => presence!(teams::village_id.is_not_null()).load(conn)?,
    };
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
    for (v, dept, _month, recorded, in_village) in pm {
        let min = minimum.get(&dept).copied().unwrap_or(20);
        if recorded > 0 && in_village < min {
            by.entry(v).or_default().presence_below_minimum += 1;
        }
    }

    Ok(YearFigures {
        villages: by,
        cadres: cadres.into_iter().collect(),
    })
}
