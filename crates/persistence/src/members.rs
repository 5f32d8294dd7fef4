//! Team memberships: a cadre in a team from a day to a day (open while still stationed), with
//! the leader flag. Loaded with the cadre's names and the team's village (for the access policy).

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{cadres, team_members, teams};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

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
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct MemberView {
    #[serde(flatten)]
    pub member: MemberRow,
    pub cadre_name: String,
    pub cadre_name_bo: Option<String>,
    /// The team's village.
    pub village_id: i64,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = team_members, treat_none_as_null = true)]
pub struct MemberValues {
    /// Set at creation; an update writes the row's own team back.
    pub team_id: i64,
    pub cadre_id: i64,
    pub is_leader: i32,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

macro_rules! member_query {
    () => {
        team_members::table
            .inner_join(cadres::table)
            .inner_join(teams::table)
            .select((
                MemberRow::as_select(),
                cadres::name,
                cadres::name_bo,
                teams::village_id,
            ))
    };
}

pub fn get_member(conn: &mut DbConnection, id: i64) -> QueryResult<MemberView> {
    member_query!().filter(team_members::id.eq(id)).first(conn)
}

pub fn insert_member(
    conn: &mut DbConnection,
    department_id: i64,
    values: &MemberValues,
    now: NaiveDateTime,
) -> QueryResult<MemberView> {
    let id: i64 = diesel::insert_into(team_members::table)
        .values((
            values,
            team_members::department_id.eq(department_id),
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

/// Members are listed in the order they were added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSort {
    Id,
}

impl SortBy for MemberSort {
    type Row = MemberView;
    const NAMES: &'static [(&'static str, Self)] = &[("id", MemberSort::Id)];
    fn kind(self) -> KeyKind {
        KeyKind::Id
    }
    fn key(self, _: &MemberView) -> Key {
        Key::Id
    }
    fn row_id(row: &MemberView) -> i64 {
        row.member.id
    }
}

pub fn list_members(
    conn: &mut DbConnection,
    team_id: i64,
    page: &PageRequest<MemberSort>,
) -> QueryResult<Page<MemberView>> {
    // The only filter is the team: the total counts its memberships.
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, crate::keyset::After::Start),
        team_members::table
            .filter(team_members::team_id.eq(team_id))
            .select(team_members::id)
    );
    let mut q = member_query!()
        .filter(team_members::team_id.eq(team_id))
        .into_boxed();
    crate::keyset_by_id!(
        q,
        team_members::id,
        page.after.clone().id(),
        page.descending
    );
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// Memberships as a versioned table.
pub struct Members;

impl Versioned for Members {
    type Row = MemberView;
    type Values = MemberValues;

    fn id(row: &MemberView) -> i64 {
        row.member.id
    }
    fn version(row: &MemberView) -> i32 {
        row.member.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<MemberView> {
        get_member(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<MemberValues> {
        team_members::table
            .find(id)
            .select(MemberValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &MemberValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<MemberView>> {
        update_member(conn, id, version, values, now)
    }
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

impl Creatable for Members {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &MemberValues,
        now: NaiveDateTime,
    ) -> QueryResult<MemberView> {
        insert_member(conn, department_id, values, now)
    }
}
