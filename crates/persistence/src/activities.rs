//! Activities (活动) loaded with their village's and project's names and the households that
//! benefited (a link table, one query for a whole page), and their summaries: counts and sums by
//! kind, trainings by skill, clinics and party building, each one aggregate query computed by the
//! database (BIGINT, integer fen), never per row.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{activities, activity_households, projects, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use serde::Serialize;

/// Every column of an activity a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub struct ActivityColumns {
    pub village_id: i64,
    pub held_on: NaiveDate,
    /// `zhucun_domain::activity::Kind` code.
    pub kind: String,
    pub title: String,
    /// The title, organiser and kind-specific texts with the title's pinyin and initials.
    pub search_text: String,
    pub organiser: String,
    pub team_id: Option<i64>,
    pub participants: i64,
    pub beneficiaries: i64,
    pub value_fen: i64,
    pub notes: Option<String>,
    pub project_id: Option<i64>,
    pub skill: Option<String>,
    pub people_seen: Option<i64>,
    pub partner_institution: Option<String>,
    pub destination: Option<String>,
    pub party_members_developed: Option<i64>,
    /// `zhucun_domain::activity::Organisation` code.
    pub organisation_formed: Option<String>,
}

/// What a create or an update writes: the columns and the households that benefited (ascending,
/// no repeats), so that saving without changes is recognised as such.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityValues {
    pub columns: ActivityColumns,
    pub household_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub columns: ActivityColumns,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// An activity with its village's and project's names and its households.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityView {
    pub activity: ActivityRow,
    pub village_name: String,
    pub project_title: Option<String>,
    pub household_ids: Vec<i64>,
}

type Joined = (ActivityRow, String, Option<String>);

macro_rules! view_query {
    () => {
        activities::table
            .inner_join(villages::table.on(villages::id.eq(activities::village_id)))
            .left_join(projects::table.on(projects::id.nullable().eq(activities::project_id)))
            .select((
                ActivityRow::as_select(),
                villages::name,
                projects::title.nullable(),
            ))
    };
}

/// The households of each of `ids`, in one query: `(activity, household)` ascending.
fn households_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    activity_households::table
        .filter(activity_households::activity_id.eq_any(ids.to_vec()))
        .select((
            activity_households::activity_id,
            activity_households::household_id,
        ))
        .order_by((
            activity_households::activity_id,
            activity_households::household_id,
        ))
        .load(conn)
}

fn assemble(conn: &mut DbConnection, rows: Vec<Joined>) -> QueryResult<Vec<ActivityView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let links = households_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(activity, village_name, project_title)| ActivityView {
            household_ids: links
                .iter()
                .filter(|(a, _)| *a == activity.id)
                .map(|(_, h)| *h)
                .collect(),
            activity,
            village_name,
            project_title,
        })
        .collect())
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<ActivityView> {
    let row: Joined = view_query!().filter(activities::id.eq(id)).first(conn)?;
    assemble(conn, vec![row])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub kind: Option<String>,
    pub skill: Option<String>,
    /// Held on or after.
    pub from: Option<NaiveDate>,
    /// Held on or before.
    pub to: Option<NaiveDate>,
    /// A `LIKE` pattern over `search_text` (escaped with `\`).
    pub search: Option<String>,
}

/// The filters as one condition on the activities' own columns: a page, its total and the
/// summaries all apply the same one.
type Condition = Box<dyn BoxableExpression<activities::table, crate::Backend, SqlType = Bool>>;

fn condition(f: &ActivityFilter) -> Condition {
    let mut c: Condition = Box::new(activities::department_id.eq(f.department_id));
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(activities::village_id.eq_any(ids.clone())));
    }
    if let Some(v) = f.village_id {
        c = Box::new(c.and(activities::village_id.eq(v)));
    }
    if let Some(k) = &f.kind {
        c = Box::new(c.and(activities::kind.eq(k.clone())));
    }
    if let Some(s) = &f.skill {
        c = Box::new(c.and(activities::skill.eq(s.clone()).assume_not_null()));
    }
    if let Some(from) = f.from {
        c = Box::new(c.and(activities::held_on.ge(from)));
    }
    if let Some(to) = f.to {
        c = Box::new(c.and(activities::held_on.le(to)));
    }
    if let Some(pattern) = &f.search {
        c = Box::new(c.and(activities::search_text.like(pattern.clone()).escape('\\')));
    }
    c
}

/// By the day it was held, newest first by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivitySort {
    Date,
}

impl SortBy for ActivitySort {
    type Row = ActivityView;
    const NAMES: &'static [(&'static str, Self)] = &[("date", ActivitySort::Date)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        KeyKind::Date
    }
    fn key(self, row: &ActivityView) -> Key {
        Key::Date(row.activity.columns.held_on)
    }
    fn row_id(row: &ActivityView) -> i64 {
        row.activity.id
    }
}

pub fn list(
    conn: &mut DbConnection,
    filter: &ActivityFilter,
    page: &PageRequest<ActivitySort>,
) -> QueryResult<Page<ActivityView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        activities::table
            .filter(condition(filter))
            .select(activities::id)
    );
    let mut q = activities::table
        .filter(condition(filter))
        .select(activities::id)
        .into_boxed();
    let after = page.after.clone().date()?;
    crate::keyset_page!(
        q,
        activities::held_on,
        activities::id,
        after,
        page.descending
    );
    let ids: Vec<i64> = q.limit(page.limit + 1).load(conn)?;
    let page_ids = Page::from_overfetch(ids, page.limit);
    // The page's rows with their names, in the page's order.
    let mut rows: Vec<Joined> = view_query!()
        .filter(activities::id.eq_any(page_ids.items.clone()))
        .load(conn)?;
    rows.sort_by_key(|r| page_ids.items.iter().position(|id| *id == r.0.id));
    Ok(Page {
        items: assemble(conn, rows)?,
        has_more: page_ids.has_more,
        total,
    })
}

/// Counts and sums of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindFigures {
    pub count: i64,
    pub participants: i64,
    pub beneficiaries: i64,
    pub value_fen: i64,
}

/// Trainings of one skill.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SkillFigures {
    pub count: i64,
    pub participants: i64,
}

/// Free clinics together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClinicFigures {
    pub count: i64,
    pub seen: i64,
    pub beneficiaries: i64,
    /// The medicine given, in fen (the clinics' value).
    pub medicine_fen: i64,
}

/// The activities a filter takes, summed up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// (kind code, figures), kinds with activities only, in code order.
    pub by_kind: Vec<(String, KindFigures)>,
    /// (skill, figures) of skills trainings, in skill order.
    pub by_skill: Vec<(String, SkillFigures)>,
    pub clinics: ClinicFigures,
    /// New party members developed (party building).
    pub party_members_developed: i64,
    /// (organisation code, times formed) by party building.
    pub organisations_formed: Vec<(String, i64)>,
}

/// `SUM(activities.<column>)` as BIGINT, 0 for no rows (never through floats).
fn total_of(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!(
        "CAST(COALESCE(SUM(activities.{column}), 0) AS BIGINT)"
    ))
}

/// The most groups a summary lists (kinds are ten; skills of a department a few dozen).
pub const MAX_GROUPS: i64 = 1000;

/// The summary of the activities `filter` takes: five aggregate queries, whatever their number.
pub fn summary(conn: &mut DbConnection, filter: &ActivityFilter) -> QueryResult<Summary> {
    let by_kind: Vec<(String, i64, i64, i64, i64)> = activities::table
        .filter(condition(filter))
        .group_by(activities::kind)
        .select((
            activities::kind,
            count_star(),
            total_of("participants"),
            total_of("beneficiaries"),
            total_of("value_fen"),
        ))
        .order_by(activities::kind)
        .limit(MAX_GROUPS)
        .load(conn)?;
    let by_skill: Vec<(Option<String>, i64, i64)> = activities::table
        .filter(condition(filter))
        .filter(activities::kind.eq("skills_training"))
        .filter(activities::skill.is_not_null())
        .group_by(activities::skill)
        .select((activities::skill, count_star(), total_of("participants")))
        .order_by(activities::skill)
        .limit(MAX_GROUPS)
        .load(conn)?;
    let (count, seen, beneficiaries, medicine_fen): (i64, i64, i64, i64) = activities::table
        .filter(condition(filter))
        .filter(activities::kind.eq("free_clinic"))
        .select((
            count_star(),
            total_of("people_seen"),
            total_of("beneficiaries"),
            total_of("value_fen"),
        ))
        .first(conn)?;
    let party_members_developed: i64 = activities::table
        .filter(condition(filter))
        .filter(activities::kind.eq("party_building"))
        .select(total_of("party_members_developed"))
        .first(conn)?;
    let formed: Vec<(Option<String>, i64)> = activities::table
        .filter(condition(filter))
        .filter(activities::kind.eq("party_building"))
        .filter(activities::organisation_formed.is_not_null())
        .group_by(activities::organisation_formed)
        .select((activities::organisation_formed, count_star()))
        .order_by(activities::organisation_formed)
        .limit(MAX_GROUPS)
        .load(conn)?;
    Ok(Summary {
        by_kind: by_kind
            .into_iter()
            .map(|(k, count, participants, beneficiaries, value_fen)| {
                (
                    k,
                    KindFigures {
                        count,
                        participants,
                        beneficiaries,
                        value_fen,
                    },
                )
            })
            .collect(),
        by_skill: by_skill
            .into_iter()
            .filter_map(|(s, count, participants)| {
                s.map(|s| {
                    (
                        s,
                        SkillFigures {
                            count,
                            participants,
                        },
                    )
                })
            })
            .collect(),
        clinics: ClinicFigures {
            count,
            seen,
            beneficiaries,
            medicine_fen,
        },
        party_members_developed,
        organisations_formed: formed
            .into_iter()
            .filter_map(|(o, n)| o.map(|o| (o, n)))
            .collect(),
    })
}

/// The skills the department's trainings named so far, with how many trainings each.
pub fn skills(conn: &mut DbConnection, department_id: i64) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<(Option<String>, i64)> = activities::table
        .filter(activities::department_id.eq(department_id))
        .filter(activities::kind.eq("skills_training"))
        .filter(activities::skill.is_not_null())
        .group_by(activities::skill)
        .select((activities::skill, count_star()))
        .order_by(activities::skill)
        .limit(MAX_GROUPS)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, n)| s.map(|s| (s, n)))
        .collect())
}

/// The households of an activity as stored (ascending).
fn stored_households(conn: &mut DbConnection, id: i64) -> QueryResult<Vec<i64>> {
    activity_households::table
        .filter(activity_households::activity_id.eq(id))
        .select(activity_households::household_id)
        .order_by(activity_households::household_id)
        .load(conn)
}

/// Makes the activity's household links exactly `household_ids`.
fn write_households(
    conn: &mut DbConnection,
    department_id: i64,
    id: i64,
    household_ids: &[i64],
) -> QueryResult<()> {
    diesel::delete(activity_households::table.filter(activity_households::activity_id.eq(id)))
        .execute(conn)?;
    // One insert per link (the multi-backend connection has no batch insert); an activity
    // names a few dozen households at most.
    for h in household_ids {
        diesel::insert_into(activity_households::table)
            .values((
                activity_households::department_id.eq(department_id),
                activity_households::activity_id.eq(id),
                activity_households::household_id.eq(*h),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Activities as a versioned table (with their household links).
pub struct Activities;

impl Versioned for Activities {
    type Row = ActivityView;
    type Values = ActivityValues;

    fn id(row: &ActivityView) -> i64 {
        row.activity.id
    }
    fn version(row: &ActivityView) -> i32 {
        row.activity.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<ActivityView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<ActivityValues> {
        let columns = activities::table
            .find(id)
            .select(ActivityColumns::as_select())
            .first(conn)?;
        Ok(ActivityValues {
            columns,
            household_ids: stored_households(conn, id)?,
        })
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &ActivityValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<ActivityView>> {
        let n = diesel::update(
            activities::table.filter(activities::id.eq(id).and(activities::version.eq(version))),
        )
        .set((
            &values.columns,
            activities::version.eq(version + 1),
            activities::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        if stored_households(conn, id)? != values.household_ids {
            let department_id: i64 = activities::table
                .find(id)
                .select(activities::department_id)
                .first(conn)?;
            write_households(conn, department_id, id, &values.household_ids)?;
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Activities {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &ActivityValues,
        now: NaiveDateTime,
    ) -> QueryResult<ActivityView> {
        let id: i64 = diesel::insert_into(activities::table)
            .values((
                &values.columns,
                activities::department_id.eq(department_id),
                activities::version.eq(1),
                activities::created_at.eq(now),
                activities::updated_at.eq(now),
            ))
            .returning(activities::id)
            .get_result(conn)?;
        write_households(conn, department_id, id, &values.household_ids)?;
        get(conn, id)
    }
}

/// `(id, department, village)` of each of `ids` that exists, in one query.
pub fn household_places(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64, i64)>> {
    use crate::schema::households;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    households::table
        .filter(households::id.eq_any(ids.to_vec()))
        .select((
            households::id,
            households::department_id,
            households::village_id,
        ))
        .load(conn)
}
