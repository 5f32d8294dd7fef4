//! The round handover (交接): one per outgoing team (UNIQUE), its drafted content kept as JSON
//! text (a snapshot: the document signed is the document drafted), changed only while a draft
//! (every write is conditional on `status = 'draft'` and the version; the triggers refuse any
//! change of a signed row on both backends). What the sections read is here too, each bounded.

use crate::db::DbConnection;
use crate::ledger::{totals, LedgerFilter, Sums, TotalsBy};
use crate::schema::{handovers, ledger_entries, needs, projects, rounds, teams};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// The most rows one section lists.
pub const MAX_ITEMS: i64 = 500;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = handovers)]
pub struct HandoverRow {
    pub id: i64,
    pub department_id: i64,
    pub village_id: i64,
    pub outgoing_team_id: i64,
    pub incoming_team_id: i64,
    pub status: String,
    pub content: String,
    pub documents: String,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub drafted_at: NaiveDateTime,
    pub drafted_by: Option<i64>,
    pub signed_by: Option<i64>,
    pub signed_by_name: Option<String>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub signed_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// The handover a team gave (outgoing) or received (incoming).
pub fn of_team(conn: &mut DbConnection, team_id: i64) -> QueryResult<Option<HandoverRow>> {
    handovers::table
        .filter(
            handovers::outgoing_team_id
                .eq(team_id)
                .or(handovers::incoming_team_id.eq(team_id)),
        )
        .order_by(handovers::id.asc())
        .select(HandoverRow::as_select())
        .first(conn)
        .optional()
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<HandoverRow> {
    handovers::table
        .find(id)
        .select(HandoverRow::as_select())
        .first(conn)
}

/// A team's department, village and round start.
pub fn team_place(
    conn: &mut DbConnection,
    team_id: i64,
) -> QueryResult<Option<(i64, i64, NaiveDate)>> {
    teams::table
        .inner_join(rounds::table.on(rounds::id.eq(teams::round_id)))
        .filter(teams::id.eq(team_id))
        .select((teams::department_id, teams::village_id, rounds::starts_on))
        .first(conn)
        .optional()
}

/// The team of the next round in the same village (the earliest round starting later).
pub fn next_team(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
    after: NaiveDate,
) -> QueryResult<Option<i64>> {
    teams::table
        .inner_join(rounds::table.on(rounds::id.eq(teams::round_id)))
        .filter(teams::department_id.eq(department_id))
        .filter(teams::village_id.eq(village_id))
        .filter(rounds::starts_on.gt(after))
        .filter(teams::deactivated_at.is_null())
        .order_by((rounds::starts_on.asc(), teams::id.asc()))
        .select(teams::id)
        .first(conn)
        .optional()
}

#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
    (outgoing, incoming): (i64, i64),
    content: &str,
    documents: &str,
    drafted_by: i64,
    now: NaiveDateTime,
) -> QueryResult<HandoverRow> {
    let id: i64 = diesel::insert_into(handovers::table)
        .values((
            handovers::department_id.eq(department_id),
            handovers::village_id.eq(village_id),
            handovers::outgoing_team_id.eq(outgoing),
            handovers::incoming_team_id.eq(incoming),
            handovers::status.eq("draft"),
            handovers::content.eq(content),
            handovers::documents.eq(documents),
            handovers::drafted_at.eq(now),
            handovers::drafted_by.eq(Some(drafted_by)),
            handovers::version.eq(1),
            handovers::created_at.eq(now),
            handovers::updated_at.eq(now),
        ))
        .returning(handovers::id)
        .get_result(conn)?;
    get(conn, id)
}

/// A draft's new documents and (when redrafted) content, if it is still a draft at `version`.
pub fn update_draft(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    documents: &str,
    redraft: Option<(&str, i64)>,
    now: NaiveDateTime,
) -> QueryResult<Option<HandoverRow>> {
    let target = handovers::table
        .filter(handovers::id.eq(id))
        .filter(handovers::version.eq(version))
        .filter(handovers::status.eq("draft"));
    let n = match redraft {
        Some((content, by)) => diesel::update(target)
            .set((
                handovers::documents.eq(documents),
                handovers::content.eq(content),
                handovers::drafted_at.eq(now),
                handovers::drafted_by.eq(Some(by)),
                handovers::version.eq(version + 1),
                handovers::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                handovers::documents.eq(documents),
                handovers::version.eq(version + 1),
                handovers::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

/// Signs a draft at `version`; `None` when it is no longer that draft.
pub fn sign(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    by: i64,
    by_name: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<HandoverRow>> {
    let n = diesel::update(
        handovers::table
            .filter(handovers::id.eq(id))
            .filter(handovers::version.eq(version))
            .filter(handovers::status.eq("draft")),
    )
    .set((
        handovers::status.eq("signed"),
        handovers::signed_by.eq(Some(by)),
        handovers::signed_by_name.eq(Some(by_name)),
        handovers::signed_at.eq(Some(now)),
        handovers::version.eq(version + 1),
        handovers::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

// ---- what the sections read ----

/// (id, title, stage, year, budget) of a project.
pub type ProjectLine = (i64, String, String, i32, i64);
/// (id, raised on, category, description, status) of a need.
pub type NeedLine = (i64, NaiveDate, String, String, String);

/// The village's projects neither accepted nor cancelled.
pub fn open_projects(conn: &mut DbConnection, village_id: i64) -> QueryResult<Vec<ProjectLine>> {
    projects::table
        .filter(projects::village_id.eq(village_id))
        .filter(projects::stage.ne_all(["accepted", "cancelled"]))
        .order_by((
            projects::year.asc(),
            projects::sort_key.asc(),
            projects::id.asc(),
        ))
        .select((
            projects::id,
            projects::title,
            projects::stage,
            projects::year,
            projects::budget_fen,
        ))
        .limit(MAX_ITEMS)
        .load(conn)
}

/// The same condition as the ledger's "awaiting confirmation" filter.
const AWAITING: &str = "(ledger_entries.reverses_id IS NULL \
     AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = ledger_entries.id) \
     AND NOT EXISTS (SELECT 1 FROM ledger_confirmations c WHERE c.entry_id = ledger_entries.id))";

/// (id, date, kind, source, amount, item) of the village's entries the committee has not
/// confirmed.
#[allow(clippy::type_complexity)]
pub fn unconfirmed_entries(
    conn: &mut DbConnection,
    village_id: i64,
) -> QueryResult<Vec<(i64, NaiveDate, String, String, i64, Option<String>)>> {
    ledger_entries::table
        .filter(ledger_entries::village_id.eq(village_id))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(AWAITING))
        .order_by((ledger_entries::entry_date.asc(), ledger_entries::id.asc()))
        .select((
            ledger_entries::id,
            ledger_entries::entry_date,
            ledger_entries::kind,
            ledger_entries::source,
            ledger_entries::amount_fen,
            ledger_entries::item,
        ))
        .limit(MAX_ITEMS)
        .load(conn)
}

/// The village's needs still open.
pub fn open_needs(conn: &mut DbConnection, village_id: i64) -> QueryResult<Vec<NeedLine>> {
    needs::table
        .filter(needs::village_id.eq(village_id))
        .filter(needs::status.eq_any(["open", "in_progress"]))
        .order_by((needs::raised_on.asc(), needs::id.asc()))
        .select((
            needs::id,
            needs::raised_on,
            needs::category,
            needs::description,
            needs::status,
        ))
        .limit(MAX_ITEMS)
        .load(conn)
}

/// `(id, title, raised on, last step recorded, estimated amount)`.
pub type DecisionLine = (i64, String, NaiveDate, i32, Option<i64>);

/// The village's 四议两公开 matters still in progress, oldest first: `(id, title, raised on,
/// last step recorded, estimated amount)`.
pub fn decisions_in_progress(
    conn: &mut DbConnection,
    village_id: i64,
) -> QueryResult<Vec<DecisionLine>> {
    use crate::schema::decisions;
    decisions::table
        .filter(decisions::village_id.eq(village_id))
        .filter(decisions::status.eq("in_progress"))
        .order_by((decisions::raised_on.asc(), decisions::id.asc()))
        .select((
            decisions::id,
            decisions::title,
            decisions::raised_on,
            decisions::last_step,
            decisions::estimated_amount_fen,
        ))
        .limit(MAX_ITEMS)
        .load(conn)
}

/// The village's ledger sums by source.
pub fn balance_by_source(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
) -> QueryResult<Vec<(Option<String>, Sums)>> {
    totals(
        conn,
        &LedgerFilter {
            department_id,
            village_id: Some(village_id),
            ..LedgerFilter::default()
        },
        TotalsBy::Source,
    )
}
