use crate::db::DbConnection;
use crate::schema::departments;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = departments)]
pub struct DepartmentRow {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub is_operator: i32,
    pub min_days_in_village: i32,
    pub local_leave_max_days: i32,
    pub min_team_size: i32,
    pub villagers_quorum_percent: i32,
    pub major_disclosure_days: i32,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = departments, treat_none_as_null = true)]
pub struct DepartmentValues {
    pub name: String,
    pub short_name: Option<String>,
    pub min_days_in_village: i32,
    pub local_leave_max_days: i32,
    pub min_team_size: i32,
    pub villagers_quorum_percent: i32,
    pub major_disclosure_days: i32,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
}

/// Departments as a versioned table (created with their first admin, see the API).
pub struct Departments;

impl crate::Versioned for Departments {
    type Row = DepartmentRow;
    type Values = DepartmentValues;

    fn id(row: &DepartmentRow) -> i64 {
        row.id
    }
    fn version(row: &DepartmentRow) -> i32 {
        row.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<DepartmentRow> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<DepartmentValues> {
        departments::table
            .find(id)
            .select(DepartmentValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &DepartmentValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<DepartmentRow>> {
        update(conn, id, version, values, now)
    }
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<DepartmentRow> {
    departments::table
        .find(id)
        .select(DepartmentRow::as_select())
        .first(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    departments::table.count().get_result(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    values: &DepartmentValues,
    operator: bool,
    now: NaiveDateTime,
) -> QueryResult<DepartmentRow> {
    let id: i64 = diesel::insert_into(departments::table)
        .values((
            values,
            departments::is_operator.eq(i32::from(operator)),
            departments::version.eq(1),
            departments::created_at.eq(now),
            departments::updated_at.eq(now),
        ))
        .returning(departments::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &DepartmentValues,
    now: NaiveDateTime,
) -> QueryResult<Option<DepartmentRow>> {
    let n = diesel::update(
        departments::table.filter(departments::id.eq(id).and(departments::version.eq(version))),
    )
    .set((
        values,
        departments::version.eq(version + 1),
        departments::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

/// The most departments the region-wide statistics list (the region has ~70).
pub const MAX_DEPARTMENTS: i64 = 500;

/// Every department's (id, name), by id (the statistics' rows).
pub fn names(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    departments::table
        .select((departments::id, departments::name))
        .order_by(departments::id)
        .limit(MAX_DEPARTMENTS)
        .load(conn)
}

/// Every department's time limit for disclosing major matters, in days (the statistics'
/// disclosure calendars).
pub fn disclosure_days(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i32)>> {
    departments::table
        .select((departments::id, departments::major_disclosure_days))
        .order_by(departments::id)
        .limit(MAX_DEPARTMENTS)
        .load(conn)
}
