//! Projects (驻村项目) loaded with their village's and office's names, and their stage events
//! (append-only). The stage is not among the values a PATCH writes: only a transition changes it,
//! together with its event, in one transaction.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{offices, project_events, projects, team_members, teams, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = projects)]
pub struct ProjectRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: ProjectValues,
    pub stage: String,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A project with its village's and responsible office's names (fetched in the same query) and
/// its funds received and spent, summed from the ledger (one more query for a whole page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectView {
    pub project: ProjectRow,
    pub village_name: String,
    pub office_name: Option<String>,
    /// Never stored with the project: derived from its ledger entries.
    pub funds: crate::ledger::Sums,
}

type Joined = (ProjectRow, String, Option<String>);

/// Adds each project's funds from the ledger, in one query for all of them.
fn with_funds(conn: &mut DbConnection, rows: Vec<Joined>) -> QueryResult<Vec<ProjectView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let funds = crate::ledger::project_funds(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(project, village_name, office_name)| ProjectView {
            funds: funds
                .iter()
                .find(|(id, _)| *id == project.id)
                .map(|(_, sums)| sums.clone())
                .unwrap_or_default(),
            project,
            village_name,
            office_name,
        })
        .collect())
}

/// Every column a create or an update writes (not the stage).
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = projects, treat_none_as_null = true)]
pub struct ProjectValues {
    pub village_id: i64,
    pub team_id: Option<i64>,
    pub year: i32,
    pub title: String,
    /// `zhucun_domain::pinyin::sort_key` of the title.
    pub sort_key: String,
    /// The title with its pinyin and initials (`text::search_key_with_pinyin`).
    pub search_text: String,
    pub category: String,
    pub office_id: Option<i64>,
    pub supporting_unit: Option<String>,
    pub budget_fen: i64,
    pub funding_source: Option<String>,
    pub beneficiary_households: i64,
    pub beneficiary_people: i64,
    pub description: Option<String>,
    pub problems: Option<String>,
    pub measures: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub team_id: Option<i64>,
    pub stage: Option<String>,
    pub category: Option<String>,
    pub year: Option<i32>,
    /// A `LIKE` pattern over `search_text` (escaped with `\`).
    pub search: Option<String>,
}

/// Most recently changed first by default; or by budget, or by title (pinyin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectSort {
    Updated,
    Budget,
    Title,
}

/// `updated_at` as a cursor key: microseconds since 1970 (both backends keep microseconds).
fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

fn from_micros(after: After<Key>) -> QueryResult<After<NaiveDateTime>> {
    Ok(match after.int()? {
        After::Start => After::Start,
        After::Row(m, id) => After::Row(
            chrono::DateTime::from_timestamp_micros(m)
                .ok_or_else(|| {
                    diesel::result::Error::QueryBuilderError("cursor time out of range".into())
                })?
                .naive_utc(),
            id,
        ),
    })
}

impl SortBy for ProjectSort {
    type Row = ProjectView;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("updated", ProjectSort::Updated),
        ("budget", ProjectSort::Budget),
        ("title", ProjectSort::Title),
    ];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        match self {
            ProjectSort::Updated | ProjectSort::Budget => KeyKind::Int,
            ProjectSort::Title => KeyKind::Text,
        }
    }
    fn key(self, row: &ProjectView) -> Key {
        match self {
            ProjectSort::Updated => Key::Int(micros(row.project.updated_at)),
            ProjectSort::Budget => Key::Int(row.project.values.budget_fen),
            ProjectSort::Title => Key::Text(row.project.values.sort_key.clone()),
        }
    }
    fn row_id(row: &ProjectView) -> i64 {
        row.project.id
    }
}

macro_rules! view_query {
    () => {
        projects::table
            .inner_join(villages::table)
            .left_join(offices::table)
            .select((
                ProjectRow::as_select(),
                villages::name,
                offices::name.nullable(),
            ))
    };
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<ProjectView> {
    let row: Joined = view_query!().filter(projects::id.eq(id)).first(conn)?;
    with_funds(conn, vec![row])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

/// The list's filters (on the projects' own columns), applied alike to a page (joined with the
/// names) and to its total.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &ProjectFilter = $filter;
        let mut q = $query
            .filter(projects::department_id.eq(filter.department_id))
            .into_boxed();
        if let Some(ids) = &filter.only_villages {
            q = q.filter(projects::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = filter.village_id {
            q = q.filter(projects::village_id.eq(v));
        }
        if let Some(t) = filter.team_id {
            q = q.filter(projects::team_id.eq(t));
        }
        if let Some(s) = &filter.stage {
            q = q.filter(projects::stage.eq(s.clone()));
        }
        if let Some(c) = &filter.category {
            q = q.filter(projects::category.eq(c.clone()));
        }
        if let Some(y) = filter.year {
            q = q.filter(projects::year.eq(y));
        }
        if let Some(pattern) = &filter.search {
            q = q.filter(projects::search_text.like(pattern.clone()).escape('\\'));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &ProjectFilter,
    page: &PageRequest<ProjectSort>,
) -> QueryResult<Page<ProjectView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        filtered!(projects::table.select(projects::id), filter)
    );
    let mut q = filtered!(view_query!(), filter);
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        ProjectSort::Updated => {
            let after = from_micros(after)?;
            crate::keyset_page!(q, projects::updated_at, projects::id, after, descending);
        }
        ProjectSort::Budget => {
            let after = after.int()?;
            crate::keyset_page!(q, projects::budget_fen, projects::id, after, descending);
        }
        ProjectSort::Title => {
            let after = after.text()?;
            crate::keyset_page!(q, projects::sort_key, projects::id, after, descending);
        }
    }
    let rows: Vec<Joined> = q.limit(page.limit + 1).load(conn)?;
    let page_rows = Page::from_overfetch(rows, page.limit);
    Ok(Page {
        items: with_funds(conn, page_rows.items)?,
        has_more: page_rows.has_more,
        total,
    })
}

/// Moves a project to `to` if it is still at `version`; `None` when someone changed it first.
pub fn set_stage(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    to: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<ProjectView>> {
    let n = diesel::update(
        projects::table.filter(projects::id.eq(id).and(projects::version.eq(version))),
    )
    .set((
        projects::stage.eq(to),
        projects::version.eq(version + 1),
        projects::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

/// Whether the cadre is, on `day`, a member of an active team of the village, and if so whether
/// a leader of one: `None` (no member), `Some(false)` (member), `Some(true)` (leader).
pub fn membership_in_village(
    conn: &mut DbConnection,
    cadre_id: i64,
    village_id: i64,
    day: NaiveDate,
) -> QueryResult<Option<bool>> {
    let flags: Vec<i32> = team_members::table
        .inner_join(teams::table)
        .filter(team_members::cadre_id.eq(cadre_id))
        .filter(teams::village_id.eq(village_id))
        .filter(teams::deactivated_at.is_null())
        .filter(team_members::from_date.le(day))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(day)),
        )
        .select(team_members::is_leader)
        .limit(100)
        .load(conn)?;
    Ok(if flags.is_empty() {
        None
    } else {
        Some(flags.contains(&1))
    })
}

/// One stage move. Rows are only ever inserted (triggers refuse changes).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = project_events)]
pub struct EventRow {
    pub id: i64,
    pub project_id: i64,
    pub from_stage: String,
    pub to_stage: String,
    pub comment: Option<String>,
    pub actor_id: i64,
    pub actor_username: String,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = project_events)]
pub struct NewEvent {
    pub department_id: i64,
    pub project_id: i64,
    pub from_stage: String,
    pub to_stage: String,
    pub comment: Option<String>,
    pub actor_id: i64,
    pub actor_username: String,
    pub at: NaiveDateTime,
}

pub fn insert_event(conn: &mut DbConnection, event: &NewEvent) -> QueryResult<EventRow> {
    let id: i64 = diesel::insert_into(project_events::table)
        .values(event)
        .returning(project_events::id)
        .get_result(conn)?;
    project_events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
}

/// The most events a project's history answers (a project moves a handful of times).
pub const MAX_EVENTS: i64 = 1000;

/// A project's events, oldest first, at most [`MAX_EVENTS`].
pub fn events(conn: &mut DbConnection, project_id: i64) -> QueryResult<Vec<EventRow>> {
    project_events::table
        .filter(project_events::project_id.eq(project_id))
        .order_by(project_events::id.asc())
        .select(EventRow::as_select())
        .limit(MAX_EVENTS)
        .load(conn)
}

/// Projects as a versioned table.
pub struct Projects;

impl Versioned for Projects {
    type Row = ProjectView;
    type Values = ProjectValues;

    fn id(row: &ProjectView) -> i64 {
        row.project.id
    }
    fn version(row: &ProjectView) -> i32 {
        row.project.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<ProjectView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<ProjectValues> {
        projects::table
            .find(id)
            .select(ProjectValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &ProjectValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<ProjectView>> {
        let n = diesel::update(
            projects::table.filter(projects::id.eq(id).and(projects::version.eq(version))),
        )
        .set((
            values,
            projects::version.eq(version + 1),
            projects::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Projects {
    /// A new project starts `proposed`.
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &ProjectValues,
        now: NaiveDateTime,
    ) -> QueryResult<ProjectView> {
        let id: i64 = diesel::insert_into(projects::table)
            .values((
                values,
                projects::department_id.eq(department_id),
                projects::stage.eq("proposed"),
                projects::version.eq(1),
                projects::created_at.eq(now),
                projects::updated_at.eq(now),
            ))
            .returning(projects::id)
            .get_result(conn)?;
        get(conn, id)
    }
}
