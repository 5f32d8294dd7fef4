use crate::db::DbConnection;
use crate::keyset::After;
use crate::schema::rounds;
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = rounds)]
pub struct RoundRow {
    pub id: i64,
    pub department_id: i64,
    pub number: i32,
    pub name: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = rounds, treat_none_as_null = true)]
pub struct RoundValues {
    pub number: i32,
    pub name: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub deactivated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Default)]
pub struct RoundFilter {
    pub department_id: i64,
    pub active: Option<bool>,
    /// Rounds running on this day.
    pub on: Option<NaiveDate>,
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<RoundRow> {
    rounds::table
        .find(id)
        .select(RoundRow::as_select())
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    values: &RoundValues,
    now: NaiveDateTime,
) -> QueryResult<RoundRow> {
    let id: i64 = diesel::insert_into(rounds::table)
        .values((
            values,
            rounds::department_id.eq(department_id),
            rounds::version.eq(1),
            rounds::created_at.eq(now),
            rounds::updated_at.eq(now),
        ))
        .returning(rounds::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &RoundValues,
    now: NaiveDateTime,
) -> QueryResult<Option<RoundRow>> {
    let n =
        diesel::update(rounds::table.filter(rounds::id.eq(id).and(rounds::version.eq(version))))
            .set((
                values,
                rounds::version.eq(version + 1),
                rounds::updated_at.eq(now),
            ))
            .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

pub fn list(
    conn: &mut DbConnection,
    filter: &RoundFilter,
    descending: bool,
    after: After<i32>,
    limit: i64,
) -> QueryResult<Page<RoundRow>> {
    let mut q = rounds::table
        .filter(rounds::department_id.eq(filter.department_id))
        .select(RoundRow::as_select())
        .into_boxed();
    match filter.active {
        Some(true) => q = q.filter(rounds::deactivated_at.is_null()),
        Some(false) => q = q.filter(rounds::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(day) = filter.on {
        q = q.filter(rounds::starts_on.le(day).and(rounds::ends_on.ge(day)));
    }
    crate::keyset_page!(q, rounds::number, rounds::id, after, descending);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit))
}
