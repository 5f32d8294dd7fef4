//! Checks shared by several resources.

use crate::error::ApiError;
use zhucun_persistence::{cadres, offices, rounds, villages, DbConnection};

/// Dated things in the API are `YYYY-MM-DD`; the schema says so.
pub type Date = chrono::NaiveDate;

/// A referenced office must exist in the same department (and be active for new links).
pub fn own_office(
    conn: &mut DbConnection,
    department_id: i64,
    id: Option<i64>,
    field: &str,
) -> Result<(), ApiError> {
    let Some(id) = id else { return Ok(()) };
    match offices::get(conn, id) {
        Ok(o) if o.department_id == department_id && o.deactivated_at.is_none() => Ok(()),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(ApiError::field(
            field,
            "no such active office in your department",
        )),
        Err(e) => Err(e.into()),
    }
}

pub fn own_village(
    conn: &mut DbConnection,
    department_id: i64,
    id: Option<i64>,
    field: &str,
) -> Result<(), ApiError> {
    let Some(id) = id else { return Ok(()) };
    match villages::get(conn, id) {
        Ok(v) if v.department_id == department_id && v.deactivated_at.is_none() => Ok(()),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(ApiError::field(
            field,
            "no such active village in your department",
        )),
        Err(e) => Err(e.into()),
    }
}

pub fn own_cadre(
    conn: &mut DbConnection,
    department_id: i64,
    id: Option<i64>,
    field: &str,
) -> Result<(), ApiError> {
    let Some(id) = id else { return Ok(()) };
    match cadres::get(conn, id) {
        Ok(c) if c.department_id == department_id && c.deactivated_at.is_none() => Ok(()),
        Ok(_) | Err(diesel::result::Error::NotFound) => Err(ApiError::field(
            field,
            "no such active cadre in your department",
        )),
        Err(e) => Err(e.into()),
    }
}

pub fn own_round(
    conn: &mut DbConnection,
    department_id: i64,
    id: i64,
    field: &str,
) -> Result<rounds::RoundRow, ApiError> {
    match rounds::get(conn, id) {
        Ok(r) if r.department_id == department_id => Ok(r),
        Ok(_) | Err(diesel::result::Error::NotFound) => {
            Err(ApiError::field(field, "no such round in your department"))
        }
        Err(e) => Err(e.into()),
    }
}
