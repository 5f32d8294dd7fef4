//! Days in the village (驻村考勤) and leave (请假). A day is one row per cadre and day (UNIQUE);
//! a range is written day by day inside the caller's transaction, a day already recorded being
//! replaced (its version moves on). Lists are bounded by what they are asked for: a month of one
//! team or one membership (at most a team's members × 31 rows); leave requests page by keyset.
//! Names come joined in the same query.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{
    cadres, departments, leave_requests, presence_days, rounds, team_members, teams, villages,
};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Serialize;

/// A membership as the presence rules need it: whose, of which team and village, from when to
/// when, and whether they lead the team.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct Membership {
    pub team_member_id: i64,
    pub department_id: i64,
    pub team_id: i64,
    pub village_id: i64,
    pub cadre_id: i64,
    pub cadre_name: String,
    pub is_leader: i32,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

macro_rules! membership_query {
    () => {
        team_members::table
            .inner_join(teams::table.on(teams::id.eq(team_members::team_id)))
            .inner_join(cadres::table.on(cadres::id.eq(team_members::cadre_id)))
            .select((
                team_members::id,
                team_members::department_id,
                team_members::team_id,
                teams::village_id,
                team_members::cadre_id,
                cadres::name,
                team_members::is_leader,
                team_members::from_date,
                team_members::to_date,
            ))
    };
}

pub fn membership(conn: &mut DbConnection, team_member_id: i64) -> QueryResult<Option<Membership>> {
    membership_query!()
        .filter(team_members::id.eq(team_member_id))
        .first(conn)
        .optional()
}

/// The members of a team, by name (pinyin order), at most `limit`.
pub fn memberships_of_team(
    conn: &mut DbConnection,
    team_id: i64,
    limit: i64,
) -> QueryResult<Vec<Membership>> {
    membership_query!()
        .filter(team_members::team_id.eq(team_id))
        .order_by((cadres::sort_key.asc(), team_members::id.asc()))
        .limit(limit)
        .load(conn)
}

/// A membership with what names its team: the team's own name, its village and round.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct NamedMembership {
    pub membership: Membership,
    pub team_name: Option<String>,
    pub village_name: String,
    pub round_number: i32,
}

/// The memberships of a department's teams that overlap `from..=to`, in `only_villages` when
/// given, by team and then by name (pinyin order), at most `limit`: one query for a department's
/// month, however many teams it has.
pub fn memberships_overlapping(
    conn: &mut DbConnection,
    department_id: i64,
    only_villages: Option<&[i64]>,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<NamedMembership>> {
    let mut query = team_members::table
        .inner_join(teams::table.on(teams::id.eq(team_members::team_id)))
        .inner_join(cadres::table.on(cadres::id.eq(team_members::cadre_id)))
        .inner_join(villages::table.on(villages::id.eq(teams::village_id)))
        .inner_join(rounds::table.on(rounds::id.eq(teams::round_id)))
        .filter(team_members::department_id.eq(department_id))
        .filter(team_members::from_date.le(to))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(from)),
        )
        .select((
            (
                team_members::id,
                team_members::department_id,
                team_members::team_id,
                teams::village_id,
                team_members::cadre_id,
                cadres::name,
                team_members::is_leader,
                team_members::from_date,
                team_members::to_date,
            ),
            teams::name,
            villages::name,
            rounds::number,
        ))
        .order_by((
            villages::sort_key.asc(),
            rounds::number.asc(),
            team_members::team_id.asc(),
            cadres::sort_key.asc(),
            team_members::id.asc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some(ids) = only_villages {
        query = query.filter(teams::village_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// Whether `cadre_id` leads `team_id` on `day`.
pub fn leads_team_on(
    conn: &mut DbConnection,
    cadre_id: i64,
    team_id: i64,
    day: NaiveDate,
) -> QueryResult<bool> {
    let n: i64 = team_members::table
        .filter(team_members::team_id.eq(team_id))
        .filter(team_members::cadre_id.eq(cadre_id))
        .filter(team_members::is_leader.eq(1))
        .filter(team_members::from_date.le(day))
        .filter(
            team_members::to_date
                .is_null()
                .or(team_members::to_date.ge(day)),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether `cadre_id` ever led `team_id` (a team of an ended round is still theirs to lead).
pub fn leads_team(conn: &mut DbConnection, cadre_id: i64, team_id: i64) -> QueryResult<bool> {
    let n: i64 = team_members::table
        .filter(team_members::team_id.eq(team_id))
        .filter(team_members::cadre_id.eq(cadre_id))
        .filter(team_members::is_leader.eq(1))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The department's minimum days in the village and local leave limit.
pub fn department_rules(conn: &mut DbConnection, department_id: i64) -> QueryResult<(i32, i32)> {
    departments::table
        .find(department_id)
        .select((
            departments::min_days_in_village,
            departments::local_leave_max_days,
        ))
        .first(conn)
}

/// A day as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = presence_days)]
pub struct DayRow {
    pub id: i64,
    pub department_id: i64,
    pub village_id: i64,
    pub team_id: i64,
    pub team_member_id: i64,
    pub cadre_id: i64,
    pub day: NaiveDate,
    pub status: String,
    pub reason: Option<String>,
    pub log: Option<String>,
    pub recorded_by: Option<i64>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A day with its cadre's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayView {
    pub day: DayRow,
    pub cadre_name: String,
}

/// What a day's record says (the same for every day of a range).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayValues {
    pub status: String,
    pub reason: Option<String>,
    pub log: Option<String>,
}

/// Writes `values` for every day of `days` of a membership: a day already recorded for the
/// cadre is replaced. Returns how many days were new and how many replaced.
pub fn record_days(
    conn: &mut DbConnection,
    m: &Membership,
    days: &[NaiveDate],
    values: &DayValues,
    recorded_by: i64,
    now: NaiveDateTime,
) -> QueryResult<(usize, usize)> {
    let (Some(first), Some(last)) = (days.first().copied(), days.last().copied()) else {
        return Ok((0, 0));
    };
    let existing: Vec<(i64, NaiveDate, i32)> = presence_days::table
        .filter(presence_days::cadre_id.eq(m.cadre_id))
        .filter(presence_days::day.ge(first))
        .filter(presence_days::day.le(last))
        .select((
            presence_days::id,
            presence_days::day,
            presence_days::version,
        ))
        .load(conn)?;
    let (mut new, mut replaced) = (0, 0);
    for &day in days {
        if let Some((id, _, version)) = existing.iter().find(|(_, d, _)| *d == day) {
            diesel::update(presence_days::table.find(*id))
                .set((
                    presence_days::team_id.eq(m.team_id),
                    presence_days::team_member_id.eq(m.team_member_id),
                    presence_days::village_id.eq(m.village_id),
                    presence_days::status.eq(&values.status),
                    presence_days::reason.eq(&values.reason),
                    presence_days::log.eq(&values.log),
                    presence_days::recorded_by.eq(Some(recorded_by)),
                    presence_days::version.eq(version + 1),
                    presence_days::updated_at.eq(now),
                ))
                .execute(conn)?;
            replaced += 1;
        } else {
            diesel::insert_into(presence_days::table)
                .values((
                    presence_days::department_id.eq(m.department_id),
                    presence_days::village_id.eq(m.village_id),
                    presence_days::team_id.eq(m.team_id),
                    presence_days::team_member_id.eq(m.team_member_id),
                    presence_days::cadre_id.eq(m.cadre_id),
                    presence_days::day.eq(day),
                    presence_days::status.eq(&values.status),
                    presence_days::reason.eq(&values.reason),
                    presence_days::log.eq(&values.log),
                    presence_days::recorded_by.eq(Some(recorded_by)),
                    presence_days::version.eq(1),
                    presence_days::created_at.eq(now),
                    presence_days::updated_at.eq(now),
                ))
                .execute(conn)?;
            new += 1;
        }
    }
    Ok((new, replaced))
}

/// Days of a month (or any bounded range) of one team or one membership.
#[derive(Debug, Clone)]
pub struct DayFilter {
    pub department_id: i64,
    pub only_villages: Option<Vec<i64>>,
    pub team_id: Option<i64>,
    pub team_member_id: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The most rows a day list holds (a team of 16 for 62 days).
pub const MAX_DAYS: i64 = 1000;

pub fn list_days(conn: &mut DbConnection, f: &DayFilter) -> QueryResult<Vec<DayView>> {
    let mut q = presence_days::table
        .inner_join(cadres::table.on(cadres::id.eq(presence_days::cadre_id)))
        .filter(presence_days::department_id.eq(f.department_id))
        .filter(presence_days::day.ge(f.from))
        .filter(presence_days::day.le(f.to))
        .select((DayRow::as_select(), cadres::name))
        .into_boxed();
    if let Some(ids) = &f.only_villages {
        q = q.filter(presence_days::village_id.eq_any(ids.clone()));
    }
    if let Some(t) = f.team_id {
        q = q.filter(presence_days::team_id.eq(t));
    }
    if let Some(m) = f.team_member_id {
        q = q.filter(presence_days::team_member_id.eq(m));
    }
    let rows: Vec<(DayRow, String)> = q
        .order_by((
            cadres::sort_key.asc(),
            presence_days::cadre_id.asc(),
            presence_days::day.asc(),
        ))
        .limit(MAX_DAYS)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(day, cadre_name)| DayView { day, cadre_name })
        .collect())
}

/// (cadre, day, status) of a team's records in a range, for the summary.
pub fn team_days(
    conn: &mut DbConnection,
    cadre_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(i64, NaiveDate, String)>> {
    presence_days::table
        .filter(presence_days::cadre_id.eq_any(cadre_ids.to_vec()))
        .filter(presence_days::day.ge(from))
        .filter(presence_days::day.le(to))
        .select((
            presence_days::cadre_id,
            presence_days::day,
            presence_days::status,
        ))
        .load(conn)
}

/// (cadre, from, to) of approved leave of these cadres overlapping a range, for the summary.
pub fn approved_leave(
    conn: &mut DbConnection,
    cadre_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(i64, NaiveDate, NaiveDate)>> {
    leave_requests::table
        .filter(leave_requests::cadre_id.eq_any(cadre_ids.to_vec()))
        .filter(leave_requests::status.eq("approved"))
        .filter(leave_requests::from_date.le(to))
        .filter(leave_requests::to_date.ge(from))
        .select((
            leave_requests::cadre_id,
            leave_requests::from_date,
            leave_requests::to_date,
        ))
        .load(conn)
}

// ---- leave ----

/// What a leave request asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaveValues {
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub days: i32,
    pub reason: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = leave_requests)]
pub struct LeaveRow {
    pub id: i64,
    pub department_id: i64,
    pub village_id: i64,
    pub team_id: i64,
    pub team_member_id: i64,
    pub cadre_id: i64,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub days: i32,
    pub reason: String,
    pub note: Option<String>,
    pub status: String,
    pub requested_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_by_name: Option<String>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: Option<String>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeaveView {
    pub leave: LeaveRow,
    pub cadre_name: String,
}

pub fn get_leave(conn: &mut DbConnection, id: i64) -> QueryResult<LeaveView> {
    let (leave, cadre_name): (LeaveRow, String) = leave_requests::table
        .inner_join(cadres::table.on(cadres::id.eq(leave_requests::cadre_id)))
        .filter(leave_requests::id.eq(id))
        .select((LeaveRow::as_select(), cadres::name))
        .first(conn)?;
    Ok(LeaveView { leave, cadre_name })
}

/// Whether the cadre has a pending or approved request overlapping `[from, to]`.
pub fn leave_overlaps(
    conn: &mut DbConnection,
    cadre_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<bool> {
    let n: i64 = leave_requests::table
        .filter(leave_requests::cadre_id.eq(cadre_id))
        .filter(leave_requests::status.ne("refused"))
        .filter(leave_requests::from_date.le(to))
        .filter(leave_requests::to_date.ge(from))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert_leave(
    conn: &mut DbConnection,
    m: &Membership,
    v: &LeaveValues,
    requested_by: i64,
    now: NaiveDateTime,
) -> QueryResult<LeaveView> {
    let id: i64 = diesel::insert_into(leave_requests::table)
        .values((
            leave_requests::department_id.eq(m.department_id),
            leave_requests::village_id.eq(m.village_id),
            leave_requests::team_id.eq(m.team_id),
            leave_requests::team_member_id.eq(m.team_member_id),
            leave_requests::cadre_id.eq(m.cadre_id),
            leave_requests::from_date.eq(v.from_date),
            leave_requests::to_date.eq(v.to_date),
            leave_requests::days.eq(v.days),
            leave_requests::reason.eq(&v.reason),
            leave_requests::note.eq(&v.note),
            leave_requests::status.eq("pending"),
            leave_requests::requested_by.eq(Some(requested_by)),
            leave_requests::version.eq(1),
            leave_requests::created_at.eq(now),
            leave_requests::updated_at.eq(now),
        ))
        .returning(leave_requests::id)
        .get_result(conn)?;
    get_leave(conn, id)
}

/// Who decided, how, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub status: &'static str,
    pub by: i64,
    pub by_name: String,
    pub note: Option<String>,
}

/// Decides a pending request at `version`; `None` when it is no longer pending at that version.
pub fn decide_leave(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    d: &Decision,
    now: NaiveDateTime,
) -> QueryResult<Option<LeaveView>> {
    let n = diesel::update(
        leave_requests::table
            .filter(leave_requests::id.eq(id))
            .filter(leave_requests::version.eq(version))
            .filter(leave_requests::status.eq("pending")),
    )
    .set((
        leave_requests::status.eq(d.status),
        leave_requests::decided_by.eq(Some(d.by)),
        leave_requests::decided_by_name.eq(Some(&d.by_name)),
        leave_requests::decided_at.eq(Some(now)),
        leave_requests::decision_note.eq(&d.note),
        leave_requests::version.eq(version + 1),
        leave_requests::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get_leave(conn, id).map(Some)
}

#[derive(Debug, Clone, Default)]
pub struct LeaveFilter {
    pub department_id: i64,
    pub only_villages: Option<Vec<i64>>,
    pub team_id: Option<i64>,
    pub cadre_id: Option<i64>,
    pub status: Option<String>,
}

type Condition = Box<dyn BoxableExpression<leave_requests::table, crate::Backend, SqlType = Bool>>;

fn condition(f: &LeaveFilter) -> Condition {
    let mut c: Condition = Box::new(leave_requests::department_id.eq(f.department_id));
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(leave_requests::village_id.eq_any(ids.clone())));
    }
    if let Some(t) = f.team_id {
        c = Box::new(c.and(leave_requests::team_id.eq(t)));
    }
    if let Some(k) = f.cadre_id {
        c = Box::new(c.and(leave_requests::cadre_id.eq(k)));
    }
    if let Some(s) = &f.status {
        c = Box::new(c.and(leave_requests::status.eq(s.clone())));
    }
    c
}

/// Leave by its first day (latest first by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveSort {
    From,
}

impl SortBy for LeaveSort {
    type Row = LeaveView;
    const NAMES: &'static [(&'static str, Self)] = &[("from", LeaveSort::From)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        KeyKind::Date
    }
    fn key(self, row: &LeaveView) -> Key {
        Key::Date(row.leave.from_date)
    }
    fn row_id(row: &LeaveView) -> i64 {
        row.leave.id
    }
}

pub fn list_leave(
    conn: &mut DbConnection,
    filter: &LeaveFilter,
    page: &PageRequest<LeaveSort>,
) -> QueryResult<Page<LeaveView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        leave_requests::table
            .filter(condition(filter))
            .select(leave_requests::id)
    );
    let mut q = leave_requests::table
        .filter(condition(filter))
        .select(leave_requests::id)
        .into_boxed();
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        LeaveSort::From => {
            let after = after.date()?;
            crate::keyset_page!(
                q,
                leave_requests::from_date,
                leave_requests::id,
                after,
                descending
            );
        }
    }
    let ids: Vec<i64> = q.limit(page.limit + 1).load(conn)?;
    let page_ids = Page::from_overfetch(ids, page.limit);
    let mut rows: Vec<(LeaveRow, String)> = leave_requests::table
        .inner_join(cadres::table.on(cadres::id.eq(leave_requests::cadre_id)))
        .filter(leave_requests::id.eq_any(page_ids.items.clone()))
        .select((LeaveRow::as_select(), cadres::name))
        .load(conn)?;
    rows.sort_by_key(|r| page_ids.items.iter().position(|id| *id == r.0.id));
    Ok(Page {
        items: rows
            .into_iter()
            .map(|(leave, cadre_name)| LeaveView { leave, cadre_name })
            .collect(),
        has_more: page_ids.has_more,
        total,
    })
}
