//! What a spreadsheet import compares its rows with, loaded once per import: every row of the
//! department's table with its stored values, in one query each (never one query per row).

use crate::cadres::{CadreRow, CadreValues};
use crate::db::DbConnection;
use crate::households::HouseholdRow;
use crate::offices::OfficeRow;
use crate::schema::{cadres, households, offices, villages};
use crate::villages::{VillageRow, VillageValues};
use diesel::prelude::*;

/// The department's villages with their stored values.
pub fn villages(
    conn: &mut DbConnection,
    department_id: i64,
) -> QueryResult<Vec<(VillageRow, VillageValues)>> {
    villages::table
        .filter(villages::department_id.eq(department_id))
        .order_by(villages::id)
        .select((VillageRow::as_select(), VillageValues::as_select()))
        .load(conn)
}

/// The department's cadres with their stored values.
pub fn cadres(
    conn: &mut DbConnection,
    department_id: i64,
) -> QueryResult<Vec<(CadreRow, CadreValues)>> {
    cadres::table
        .filter(cadres::department_id.eq(department_id))
        .order_by(cadres::id)
        .select((CadreRow::as_select(), CadreValues::as_select()))
        .load(conn)
}

/// The department's offices.
pub fn offices(conn: &mut DbConnection, department_id: i64) -> QueryResult<Vec<OfficeRow>> {
    offices::table
        .filter(offices::department_id.eq(department_id))
        .order_by(offices::id)
        .select(OfficeRow::as_select())
        .load(conn)
}

/// The department's households (their values are part of the row).
pub fn households(conn: &mut DbConnection, department_id: i64) -> QueryResult<Vec<HouseholdRow>> {
    households::table
        .filter(households::department_id.eq(department_id))
        .order_by(households::id)
        .select(HouseholdRow::as_select())
        .load(conn)
}
