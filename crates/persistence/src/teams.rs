use crate::db::DbConnection;
use crate::keyset::After;
use crate::schema::{cadres, rounds, team_members, teams, villages};
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
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A team with the names a list shows beside it, fetched in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct TeamView {
    #[serde(flatten)]
    pub team: TeamRow,
    pub round_number: i32,
    pub village_name: String,
    pub member_count: i64,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = teams, treat_none_as_null = true)]
pub struct TeamValues {
    pub round_id: i64,
    pub village_id: i64,
    pub name: Option<String>,
    pub deactivated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamSort {
    Round,
    Village,
    Id,
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

pub fn list(
    conn: &mut DbConnection,
    filter: &TeamFilter,
    sort: TeamSort,
    descending: bool,
    after: After<String>,
    limit: i64,
) -> QueryResult<Page<TeamView>> {
    let mut q = view_query!()
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
    match sort {
        TeamSort::Round => {
            let after = match after {
                After::Row(v, id) => After::Row(v.parse::<i32>().unwrap_or_default(), id),
                After::Start => After::Start,
            };
            crate::keyset_page!(q, rounds::number, teams::id, after, descending)
        }
        TeamSort::Village => crate::keyset_page!(q, villages::name, teams::id, after, descending),
        TeamSort::Id => {
            let after = match after {
                After::Row(_, id) => Some(id),
                After::Start => None,
            };
            crate::keyset_by_id!(q, teams::id, after, descending)
        }
    }
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit))
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = team_members)]
pub struct MemberRow {
    pub id: i64,
    pub department_id: i64,
    pub team_id: i64,
    pub cadre_id: i64,
    pub is_leader: i32,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct MemberView {
    #[serde(flatten)]
    pub member: MemberRow,
    pub cadre_name: String,
    pub cadre_name_bo: Option<String>,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = team_members, treat_none_as_null = true)]
pub struct MemberValues {
    pub cadre_id: i64,
    pub is_leader: i32,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

macro_rules! member_query {
    () => {
        team_members::table.inner_join(cadres::table).select((
            MemberRow::as_select(),
            cadres::name,
            cadres::name_bo,
        ))
    };
}

pub fn get_member(conn: &mut DbConnection, id: i64) -> QueryResult<MemberView> {
    member_query!().filter(team_members::id.eq(id)).first(conn)
}

pub fn insert_member(
    conn: &mut DbConnection,
    department_id: i64,
    team_id: i64,
    values: &MemberValues,
    now: NaiveDateTime,
) -> QueryResult<MemberView> {
    let id: i64 = diesel::insert_into(team_members::table)
        .values((
            values,
            team_members::department_id.eq(department_id),
            team_members::team_id.eq(team_id),
            team_members::version.eq(1),
            team_members::created_at.eq(now),
            team_members::updated_at.eq(now),
        ))
        .returning(team_members::id)
        .get_result(conn)?;
    get_member(conn, id)
}

pub fn update_member(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &MemberValues,
    now: NaiveDateTime,
) -> QueryResult<Option<MemberView>> {
    let n = diesel::update(
        team_members::table.filter(
            team_members::id
                .eq(id)
                .and(team_members::version.eq(version)),
        ),
    )
    .set((
        values,
        team_members::version.eq(version + 1),
        team_members::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get_member(conn, id).map(Some)
}

pub fn list_members(
    conn: &mut DbConnection,
    team_id: i64,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Page<MemberView>> {
    let mut q = member_query!()
        .filter(team_members::team_id.eq(team_id))
        .into_boxed();
    crate::keyset_by_id!(q, team_members::id, after, false);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit))
}

/// Whether the cadre has another membership (in any team) overlapping `from..=to`.
pub fn overlapping_membership(
    conn: &mut DbConnection,
    cadre_id: i64,
    from: NaiveDate,
    to: Option<NaiveDate>,
    except: Option<i64>,
) -> QueryResult<bool> {
    let mut q = team_members::table
        .filter(team_members::cadre_id.eq(cadre_id))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(from)),
        )
        .select(team_members::id)
        .into_boxed();
    if let Some(to) = to {
        q = q.filter(team_members::from_date.le(to));
    }
    if let Some(id) = except {
        q = q.filter(team_members::id.ne(id));
    }
    Ok(q.first::<i64>(conn).optional()?.is_some())
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
