//! Households for the tests of pairings and assistance, inserted straight into `households` and
//! `household_categories`.
//!
//! REPLACE-WITH-API: the households resource (`/api/v1/households`) is built on another branch;
//! once merged, these fixtures should create households through it (`POST /households` and its
//! category changes) instead of writing rows.

use crate::common::TestApp;
use diesel::prelude::*;
use zhucun_persistence::schema::{household_categories, households, villages};
use zhucun_persistence::DbConnection;

/// A connection to the test app's database.
pub fn connect(app: &TestApp) -> DbConnection {
    let url = zhucun_persistence::DatabaseUrl::parse(&app.database_url)
        .unwrap_or_else(|e| panic!("database url: {e}"));
    zhucun_persistence::db::Manager::new(url)
        .establish()
        .unwrap_or_else(|e| panic!("connect: {e}"))
}

fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("date {s}: {e}"))
}

/// Inserts a household of `village_id` (its department taken from the village) with a category
/// history: `(category, since)` entries in order; the last is the current one. Returns its id.
pub fn household_in(
    conn: &mut DbConnection,
    village_id: i64,
    name: &str,
    history: &[(&str, &str)],
) -> i64 {
    let department_id: i64 = villages::table
        .find(village_id)
        .select(villages::department_id)
        .first(conn)
        .unwrap_or_else(|e| panic!("village {village_id}: {e}"));
    let (category, since) = history.last().copied().unwrap_or(("poor", "2016-01-01"));
    let monitoring = |c: &str| (c == "monitored").then(|| "unstable_lifted".to_owned());
    let now = zhucun_persistence::now();
    let id: i64 = diesel::insert_into(households::table)
        .values((
            households::department_id.eq(department_id),
            households::village_id.eq(village_id),
            households::head_name.eq(name),
            households::sort_key.eq(zhucun_domain::pinyin::sort_key(name)),
            households::search_text.eq(name),
            households::members.eq(4),
            households::category.eq(category),
            households::monitoring_type.eq(monitoring(category)),
            households::category_since.eq(date(since)),
            households::causes.eq("illness"),
            households::version.eq(1),
            households::created_at.eq(now),
            households::updated_at.eq(now),
        ))
        .returning(households::id)
        .get_result(conn)
        .unwrap_or_else(|e| panic!("insert household: {e}"));
    for (category, since) in history {
        diesel::insert_into(household_categories::table)
            .values((
                household_categories::department_id.eq(department_id),
                household_categories::household_id.eq(id),
                household_categories::category.eq(*category),
                household_categories::monitoring_type.eq(monitoring(category)),
                household_categories::since.eq(date(since)),
                household_categories::recorded_at.eq(now),
            ))
            .execute(conn)
            .unwrap_or_else(|e| panic!("insert category: {e}"));
    }
    id
}

/// [`household_in`] on a connection of its own.
pub fn household(app: &TestApp, village_id: i64, name: &str, history: &[(&str, &str)]) -> i64 {
    household_in(&mut connect(app), village_id, name, history)
}

/// The department and village of a household.
fn place_of(conn: &mut DbConnection, household_id: i64) -> (i64, i64) {
    households::table
        .find(household_id)
        .select((households::department_id, households::village_id))
        .first(conn)
        .unwrap_or_else(|e| panic!("household {household_id}: {e}"))
}

/// A pairing written as a row (for departments without a user who may create one through the
/// API, such as the demo's 交通运输厅). Returns its id.
pub fn pairing_row(conn: &mut DbConnection, household_id: i64, cadre_id: i64, year: i32) -> i64 {
    use zhucun_persistence::Creatable;
    let (department_id, village_id) = place_of(conn, household_id);
    let v = zhucun_persistence::pairings::PairingValues {
        village_id,
        household_id,
        cadre_id,
        year,
        note: None,
    };
    zhucun_persistence::pairings::Pairings::insert(
        conn,
        department_id,
        &v,
        zhucun_persistence::now(),
    )
    .unwrap_or_else(|e| panic!("insert pairing: {e}"))
    .pairing
    .id
}

/// An assistance record written as a row (see [`pairing_row`]). Returns its id.
pub fn assistance_row(
    conn: &mut DbConnection,
    household_id: i64,
    cadre_id: i64,
    given_on: &str,
    amount_fen: i64,
) -> i64 {
    use zhucun_persistence::Creatable;
    let (department_id, village_id) = place_of(conn, household_id);
    let v = zhucun_persistence::assistance::AssistanceValues {
        village_id,
        household_id,
        cadre_id,
        given_on: date(given_on),
        kind: "cash".to_owned(),
        amount_fen,
        description: "慰问金".to_owned(),
    };
    zhucun_persistence::assistance::Assistance::insert(
        conn,
        department_id,
        &v,
        zhucun_persistence::now(),
    )
    .unwrap_or_else(|e| panic!("insert assistance: {e}"))
    .assistance
    .id
}
