//! The region-wide statistics summary (migration 000140): one row of figures per place and year,
//! replaced as a whole by a refresh, and the state that says when it was taken. What the figures
//! mean and when a refresh happens is the API's business (`crates/api/src/stats_summary.rs`);
//! here are the reads and the one write.

use crate::db::DbConnection;
use crate::schema::{audit_entries, stats_summary, stats_summary_state};
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::dsl::max;
use diesel::prelude::*;

/// Rows per INSERT (five values each: well under both backends' limits on bound values).
const BATCH: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = stats_summary)]
pub struct SummaryRow {
    pub level: String,
    pub year: i32,
    pub parent: String,
    pub place: String,
    pub figures: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = stats_summary_state)]
pub struct SummaryState {
    /// When the summary's snapshot was taken (UTC).
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub as_of: NaiveDateTime,
    /// The newest audit entry the snapshot includes.
    pub watermark: i64,
    /// The layout of the stored figures.
    pub layout: i32,
}

/// The summary's state, if one was ever taken.
pub fn state(conn: &mut DbConnection) -> QueryResult<Option<SummaryState>> {
    stats_summary_state::table
        .filter(stats_summary_state::id.eq(1))
        .select(SummaryState::as_select())
        .first(conn)
        .optional()
}

/// The newest audit entry: every write of the modules appends one in its own transaction, so a
/// summary whose watermark is below it may miss a write (a primary-key maximum: one index probe).
pub fn watermark(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(audit_entries::table
        .select(max(audit_entries::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Runs `f` in one transaction whose reads are all of the same moment (PostgreSQL:
/// `REPEATABLE READ`; SQLite: a transaction is a snapshot in WAL mode). Read-only unless
/// `writes` (a PostgreSQL refresh reads its snapshot and replaces the summary on one connection,
/// so it never waits for a second one from a pool that readers may hold).
pub fn snapshot<T, E, F>(conn: &mut DbConnection, writes: bool, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        if matches!(conn, DbConnection::Pg(_)) {
            conn.batch_execute(if writes {
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
            } else {
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            })?;
        }
        f(conn)
    })
}

/// The refresh's PostgreSQL advisory lock: a constant no other lock of zhucun uses, and the schema
/// (installations, or tests, sharing a database in separate schemas do not wait for each other).
pub const REFRESH_LOCK: &str = "740001, hashtext(current_schema())";

/// Within a transaction: whether this connection may refresh now. On PostgreSQL a transaction
/// advisory lock ([`REFRESH_LOCK`]), so of several instances one refreshes and the others skip
/// (released at the transaction's end); SQLite serves one process, which serialises its
/// refreshes itself.
pub fn try_refresh_lock(conn: &mut DbConnection) -> QueryResult<bool> {
    match conn {
        DbConnection::Pg(_) => diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
            &format!("pg_try_advisory_xact_lock({REFRESH_LOCK})"),
        ))
        .get_result(conn),
        DbConnection::Sqlite(_) => Ok(true),
    }
}

/// Replaces the whole summary and its state in the caller's transaction, unless a summary taken
/// later is already stored (a slower refresh never overwrites a newer one). Whether it wrote.
pub fn replace(
    conn: &mut DbConnection,
    rows: &[SummaryRow],
    new: &SummaryState,
) -> QueryResult<bool> {
    if let Some(old) = state(conn)? {
        if old.as_of > new.as_of && old.layout == new.layout {
            return Ok(false);
        }
    }
    diesel::delete(stats_summary::table).execute(conn)?;
    for chunk in rows.chunks(BATCH) {
        // diesel's MultiConnection has no multi-row INSERT: each backend's own.
        crate::on_backend!(conn, |c| {
            diesel::insert_into(stats_summary::table)
                .values(chunk)
                .execute(c)?
        });
    }
    diesel::delete(stats_summary_state::table).execute(conn)?;
    diesel::insert_into(stats_summary_state::table)
        .values((
            stats_summary_state::id.eq(1),
            stats_summary_state::as_of.eq(new.as_of),
            stats_summary_state::watermark.eq(new.watermark),
            stats_summary_state::layout.eq(new.layout),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The rows of a level for the years from `from` to `to`, of one parent or of every parent.
pub fn load(
    conn: &mut DbConnection,
    level: &str,
    (from, to): (i32, i32),
    parent: Option<&str>,
) -> QueryResult<Vec<SummaryRow>> {
    let mut q = stats_summary::table
        .filter(stats_summary::level.eq(level.to_owned()))
        .filter(stats_summary::year.between(from, to))
        .select(SummaryRow::as_select())
        .into_boxed();
    if let Some(p) = parent {
        q = q.filter(stats_summary::parent.eq(p.to_owned()));
    }
    q.order_by((
        stats_summary::year,
        stats_summary::parent,
        stats_summary::place,
    ))
    .load(conn)
}
