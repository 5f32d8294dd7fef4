use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{rounds, team_members, teams, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: i64,
    pub department_id: i64,
    pub round_id: i64,
    pub village_id: i64,
    pub name: Option<String>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A team with the names a list shows beside it, fetched in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct TeamView {
    #[serde(flatten)]
    pub team: TeamRow,
    pub round_number: i32,
    pub village_name: String,
    /// The village's pinyin sort key (the `village` sort).
    #[serde(skip)]
    pub village_sort_key: String,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = teams, treat_none_as_null = true)]
pub struct TeamValues {
    pub round_id: i64,
    pub village_id: i64,
    pub name: Option<String>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamSort {
    Round,
    Village,
    Id,
}

impl SortBy for TeamSort {
    type Row = TeamView;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("round", TeamSort::Round),
        ("village", TeamSort::Village),
        ("id", TeamSort::Id),
    ];
    fn kind(self) -> KeyKind {
        match self {
            TeamSort::Round => KeyKind::Int,
            TeamSort::Village => KeyKind::Text,
            TeamSort::Id => KeyKind::Id,
        }
    }
    fn key(self, row: &TeamView) -> Key {
        match self {
            TeamSort::Round => Key::Int(i64::from(row.round_number)),
            TeamSort::Village => Key::Text(row.village_sort_key.clone()),
            TeamSort::Id => Key::Id,
        }
    }
    fn row_id(row: &TeamView) -> i64 {
        row.team.id
    }
}

/// Teams as a versioned table; rows are loaded with their round number and village name.
pub struct Teams;

impl Versioned for Teams {
    type Row = TeamView;
    type Values = TeamValues;

    fn id(row: &TeamView) -> i64 {
        row.team.id
    }
    fn version(row: &TeamView) -> i32 {
        row.team.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<TeamView> {
        get_view(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<TeamValues> {
        teams::table
            .find(id)
            .select(TeamValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &TeamValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<TeamView>> {
        update(conn, id, version, values, now)
    }
}

#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    pub department_id: i64,
    pub only_villages: Option<Vec<i64>>,
    pub round_id: Option<i64>,
    pub village_id: Option<i64>,
    pub active: Option<bool>,
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<TeamRow> {
    teams::table
        .find(id)
        .select(TeamRow::as_select())
        .first(conn)
}

macro_rules! view_query {
    () => {
        teams::table
            .inner_join(rounds::table)
            .inner_join(villages::table)
            .select((
                TeamRow::as_select(),
                rounds::number,
                villages::name,
                villages::sort_key,
                team_members::table
                    .filter(team_members::team_id.eq(teams::id))
                    .count()
                    .single_value()
                    .assume_not_null(),
            ))
    };
}

pub fn get_view(conn: &mut DbConnection, id: i64) -> QueryResult<TeamView> {
    view_query!().filter(teams::id.eq(id)).first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    values: &TeamValues,
    now: NaiveDateTime,
) -> QueryResult<TeamView> {
    let id: i64 = diesel::insert_into(teams::table)
        .values((
            values,
            teams::department_id.eq(department_id),
            teams::version.eq(1),
            teams::created_at.eq(now),
            teams::updated_at.eq(now),
        ))
        .returning(teams::id)
        .get_result(conn)?;
    get_view(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &TeamValues,
    now: NaiveDateTime,
) -> QueryResult<Option<TeamView>> {
    let n = diesel::update(teams::table.filter(teams::id.eq(id).and(teams::version.eq(version))))
        .set((
            values,
            teams::version.eq(version + 1),
            teams::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get_view(conn, id).map(Some)
}

/// The list's filters (on the teams' own columns), applied alike to a page (joined with rounds
/// and villages) and to its total (teams alone: the joins are on required references).
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &TeamFilter = $filter;
        let mut q = $query
            .filter(teams::department_id.eq(filter.department_id))
            .into_boxed();
        if let Some(ids) = &filter.only_villages {
            q = q.filter(teams::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = filter.round_id {
            q = q.filter(teams::round_id.eq(v));
        }
        if let Some(v) = filter.village_id {
            q = q.filter(teams::village_id.eq(v));
        }
        match filter.active {
            Some(true) => q = q.filter(teams::deactivated_at.is_null()),
            Some(false) => q = q.filter(teams::deactivated_at.is_not_null()),
            None => {}
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &TeamFilter,
    page: &PageRequest<TeamSort>,
) -> QueryResult<Page<TeamView>> {
    let (after, descending) = (page.after.clone(), page.descending);
    let first = matches!(after, crate::keyset::After::Start);
    let total = crate::first_page_total!(
        conn,
        first,
        filtered!(teams::table.select(teams::id), filter)
    );
    let mut q = filtered!(view_query!(), filter);
    match page.sort {
        TeamSort::Round => {
            let after = after.int32()?;
            crate::keyset_page!(q, rounds::number, teams::id, after, descending)
        }
        TeamSort::Village => {
            let after = after.text()?;
            crate::keyset_page!(q, villages::sort_key, teams::id, after, descending)
        }
        TeamSort::Id => crate::keyset_by_id!(q, teams::id, after.id(), descending),
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// The villages a cadre is stationed in on `day`: active teams whose membership covers the day.
pub fn villages_of_cadre_on(
    conn: &mut DbConnection,
    cadre_id: i64,
    day: NaiveDate,
) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = team_members::table
        .inner_join(teams::table)
        .filter(team_members::cadre_id.eq(cadre_id))
        .filter(team_members::from_date.le(day))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(day)),
        )
        .filter(teams::deactivated_at.is_null())
        .select(teams::village_id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

impl Creatable for Teams {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &TeamValues,
        now: NaiveDateTime,
    ) -> QueryResult<TeamView> {
        insert(conn, department_id, values, now)
    }
}
