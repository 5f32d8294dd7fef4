//! 四议两公开: a village matter loaded with its village's and project's names and its recorded
//! steps. The status and the last step are not among the values a PATCH writes: only recording a
//! step changes them (`record_step`), which bumps the version like an update.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{decision_steps, decisions, disclosures, projects, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Serialize;
use zhucun_domain::decision::Status;

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = decisions, treat_none_as_null = true)]
pub struct DecisionValues {
    pub village_id: i64,
    pub project_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub estimated_amount_fen: Option<i64>,
    pub raised_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: DecisionValues,
    pub status: String,
    pub last_step: i32,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = decision_steps)]
pub struct StepRow {
    pub id: i64,
    pub decision_id: i64,
    pub step: i32,
    pub held_on: NaiveDate,
    pub entitled: Option<i64>,
    pub present: Option<i64>,
    pub in_favour: Option<i64>,
    pub against: Option<i64>,
    pub quorate: Option<i32>,
    pub passed: Option<i32>,
    pub notes: Option<String>,
    pub disclosure_id: Option<i64>,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
}

/// What recording a step writes.
#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = decision_steps)]
pub struct NewStep {
    pub department_id: i64,
    pub decision_id: i64,
    pub step: i32,
    pub held_on: NaiveDate,
    pub entitled: Option<i64>,
    pub present: Option<i64>,
    pub in_favour: Option<i64>,
    pub against: Option<i64>,
    pub quorate: Option<i32>,
    pub passed: Option<i32>,
    pub notes: Option<String>,
    pub disclosure_id: Option<i64>,
    pub recorded_by: i64,
    pub created_at: NaiveDateTime,
}

/// A decision with the names it refers to and its steps (in order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionView {
    pub decision: DecisionRow,
    pub village_name: String,
    pub project_title: Option<String>,
    pub steps: Vec<StepRow>,
}

impl DecisionView {
    pub fn status(&self) -> Status {
        Status::from_code(&self.decision.status).unwrap_or(Status::InProgress)
    }
}

type Joined = (DecisionRow, String, Option<String>);

macro_rules! view_query {
    () => {
        decisions::table
            .inner_join(villages::table.on(villages::id.eq(decisions::village_id)))
            .left_join(projects::table.on(projects::id.nullable().eq(decisions::project_id)))
            .select((
                DecisionRow::as_select(),
                villages::name,
                projects::title.nullable(),
            ))
    };
}

/// The rows with their steps (one query for every row's steps).
fn views(conn: &mut DbConnection, rows: Vec<Joined>) -> QueryResult<Vec<DecisionView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let steps: Vec<StepRow> = if ids.is_empty() {
        Vec::new()
    } else {
        decision_steps::table
            .filter(decision_steps::decision_id.eq_any(ids))
            .order((decision_steps::decision_id, decision_steps::step))
            .select(StepRow::as_select())
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|(decision, village_name, project_title)| {
            let steps = steps
                .iter()
                .filter(|s| s.decision_id == decision.id)
                .cloned()
                .collect();
            DecisionView {
                decision,
                village_name,
                project_title,
                steps,
            }
        })
        .collect())
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<DecisionView> {
    let row: Joined = view_query!().filter(decisions::id.eq(id)).first(conn)?;
    views(conn, vec![row])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub department_id: i64,
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub status: Option<String>,
    /// Raised in this year: `(first day, last day)`.
    pub raised_between: Option<(NaiveDate, NaiveDate)>,
    pub project_id: Option<i64>,
}

type Condition = Box<dyn BoxableExpression<decisions::table, crate::Backend, SqlType = Bool>>;

fn condition(f: &DecisionFilter) -> Condition {
    let mut c: Condition = Box::new(decisions::department_id.eq(f.department_id));
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(decisions::village_id.eq_any(ids.clone())));
    }
    if let Some(v) = f.village_id {
        c = Box::new(c.and(decisions::village_id.eq(v)));
    }
    if let Some(s) = &f.status {
        c = Box::new(c.and(decisions::status.eq(s.clone())));
    }
    if let Some((first, last)) = f.raised_between {
        c = Box::new(
            c.and(decisions::raised_on.ge(first))
                .and(decisions::raised_on.le(last)),
        );
    }
    if let Some(p) = f.project_id {
        c = Box::new(c.and(decisions::project_id.eq(p).assume_not_null()));
    }
    c
}

/// By the day raised (newest first by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionSort {
    Raised,
}

impl SortBy for DecisionSort {
    type Row = DecisionView;
    const NAMES: &'static [(&'static str, Self)] = &[("raised", DecisionSort::Raised)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        KeyKind::Date
    }
    fn key(self, row: &DecisionView) -> Key {
        Key::Date(row.decision.values.raised_on)
    }
    fn row_id(row: &DecisionView) -> i64 {
        row.decision.id
    }
}

pub fn list(
    conn: &mut DbConnection,
    filter: &DecisionFilter,
    page: &PageRequest<DecisionSort>,
) -> QueryResult<Page<DecisionView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        decisions::table
            .filter(condition(filter))
            .select(decisions::id)
    );
    let mut q = decisions::table
        .filter(condition(filter))
        .select(decisions::id)
        .into_boxed();
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        DecisionSort::Raised => {
            let after = after.date()?;
            crate::keyset_page!(q, decisions::raised_on, decisions::id, after, descending);
        }
    }
    let ids: Vec<i64> = q.limit(page.limit + 1).load(conn)?;
    let page_ids = Page::from_overfetch(ids, page.limit);
    let mut rows: Vec<Joined> = view_query!()
        .filter(decisions::id.eq_any(page_ids.items.clone()))
        .load(conn)?;
    rows.sort_by_key(|r| page_ids.items.iter().position(|id| *id == r.0.id));
    Ok(Page {
        items: views(conn, rows)?,
        has_more: page_ids.has_more,
        total,
    })
}

/// Records a step if the decision is still at `version`: inserts the step and moves the
/// decision's last step and status. `None` when someone changed the decision first.
pub fn record_step(
    conn: &mut DbConnection,
    version: i32,
    step: &NewStep,
    status: Status,
    now: NaiveDateTime,
) -> QueryResult<Option<DecisionView>> {
    let id = step.decision_id;
    let n = diesel::update(
        decisions::table.filter(decisions::id.eq(id).and(decisions::version.eq(version))),
    )
    .set((
        decisions::status.eq(status.code()),
        decisions::last_step.eq(step.step),
        decisions::version.eq(version + 1),
        decisions::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    diesel::insert_into(decision_steps::table)
        .values(step)
        .execute(conn)?;
    get(conn, id).map(Some)
}

/// `(village, decision id, resolution day, disclosed on)`.
pub type ResolutionLine = (i64, i64, NaiveDate, Option<NaiveDate>);

/// Some villages' resolutions (step 4 passed) of a year, with the day their step 5 published the
/// resolution (if it did): `(village, decision id, resolution day, disclosed on)`.
pub fn resolutions(
    conn: &mut DbConnection,
    villages: &[i64],
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<ResolutionLine>> {
    let resolved: Vec<(i64, i64, NaiveDate)> = decision_steps::table
        .inner_join(decisions::table.on(decisions::id.eq(decision_steps::decision_id)))
        .filter(decisions::village_id.eq_any(villages.to_vec()))
        .filter(decision_steps::step.eq(4))
        .filter(decision_steps::passed.eq(1))
        .filter(decision_steps::held_on.ge(first))
        .filter(decision_steps::held_on.le(last))
        .select((
            decisions::village_id,
            decisions::id,
            decision_steps::held_on,
        ))
        .load(conn)?;
    let ids: Vec<i64> = resolved.iter().map(|r| r.1).collect();
    let disclosed: Vec<(Option<i64>, Option<NaiveDate>)> = if ids.is_empty() {
        Vec::new()
    } else {
        disclosures::table
            .filter(disclosures::decision_id.eq_any(ids))
            .filter(disclosures::decision_step.eq(5))
            .select((disclosures::decision_id, disclosures::published_on))
            .load(conn)?
    };
    Ok(resolved
        .into_iter()
        .map(|(village, id, on)| {
            let d = disclosed
                .iter()
                .filter(|(d, _)| *d == Some(id))
                .filter_map(|(_, p)| *p)
                .min();
            (village, id, on, d)
        })
        .collect())
}

/// Decisions as a versioned table.
pub struct Decisions;

impl Versioned for Decisions {
    type Row = DecisionView;
    type Values = DecisionValues;

    fn id(row: &DecisionView) -> i64 {
        row.decision.id
    }
    fn version(row: &DecisionView) -> i32 {
        row.decision.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<DecisionView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<DecisionValues> {
        decisions::table
            .find(id)
            .select(DecisionValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &DecisionValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<DecisionView>> {
        let n = diesel::update(
            decisions::table.filter(decisions::id.eq(id).and(decisions::version.eq(version))),
        )
        .set((
            values,
            decisions::version.eq(version + 1),
            decisions::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Decisions {
    /// A new decision is in progress, before its first step.
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &DecisionValues,
        now: NaiveDateTime,
    ) -> QueryResult<DecisionView> {
        let id: i64 = diesel::insert_into(decisions::table)
            .values((
                values,
                decisions::department_id.eq(department_id),
                decisions::status.eq(Status::InProgress.code()),
                decisions::last_step.eq(0),
                decisions::version.eq(1),
                decisions::created_at.eq(now),
                decisions::updated_at.eq(now),
            ))
            .returning(decisions::id)
            .get_result(conn)?;
        get(conn, id)
    }
}
