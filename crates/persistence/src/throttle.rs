//! The failed-login throttle as the database keeps it, shared by every API instance: an attempt is
//! counted atomically *before* its password is checked, so a burst of parallel guesses cannot all
//! be checked against one stale reading.

use crate::db::DbConnection;
use crate::schema::login_throttle;
use crate::sessions::{self, ThrottleRow};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use zhucun_domain::auth::{self as rules, Throttle};

/// Whether a password may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted as a failure already; a right password clears it ([`sessions::clear_throttle`]).
    Counted,
    /// The username is locked for this many more seconds; nothing was counted.
    Locked(u64),
}

/// Counts one attempt for `username`. Call inside the writer transaction: the first statement
/// locks the username's row (PostgreSQL: the upsert's row lock, held to commit; SQLite: the
/// database write lock), so concurrent attempts — from this instance or another — queue here and
/// each sees the count the previous one left.
pub fn claim(conn: &mut DbConnection, username: &str, now: NaiveDateTime) -> QueryResult<Attempt> {
    // A new row starts empty (no failures yet); an existing one is left as it is, but locked.
    crate::on_backend!(conn, |c| {
        diesel::insert_into(login_throttle::table)
            .values((
                login_throttle::username.eq(username),
                login_throttle::failures.eq(0),
                login_throttle::window_started_at.eq(now),
                login_throttle::locked_until.eq(None::<NaiveDateTime>),
            ))
            .on_conflict(login_throttle::username)
            .do_update()
            .set(login_throttle::failures.eq(login_throttle::failures))
            .execute(c)
    })?;
    let current = sessions::throttle(conn, username)?.map(|r| Throttle {
        failures: r.failures,
        window_started_at: r.window_started_at,
        locked_until: r.locked_until,
    });
    match rules::claim(current.as_ref(), now) {
        Err(secs) => Ok(Attempt::Locked(secs)),
        Ok(next) => {
            sessions::save_throttle(
                conn,
                &ThrottleRow {
                    username: username.to_owned(),
                    failures: next.failures,
                    window_started_at: next.window_started_at,
                    locked_until: next.locked_until,
                },
            )?;
            Ok(Attempt::Counted)
        }
    }
}

/// Deletes the rows that no longer matter ([`rules::is_spent`]); returns how many.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let window_start = now - Duration::minutes(rules::WINDOW_MINUTES);
    diesel::delete(
        login_throttle::table
            .filter(login_throttle::window_started_at.lt(window_start))
            .filter(
                login_throttle::locked_until
                    .is_null()
                    .or(login_throttle::locked_until.le(now)),
            ),
    )
    .execute(conn)
}
