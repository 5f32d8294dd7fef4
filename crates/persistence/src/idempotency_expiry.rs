//! How long a stored first response answers a retried create: a day by default
//! (`ZHUCUN_IDEMPOTENCY_TTL_HOURS`). Clients retry within seconds or minutes; after the time to
//! live the key is free again and the record is deleted, at the latest by the periodic prune.
//!
//! The time to live is an installation-wide setting, set once at start-up; it lives here so every
//! lookup ([`crate::idempotency::find`]) honours it without each create passing it along.

use crate::db::DbConnection;
use crate::schema::idempotency_keys;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use std::sync::atomic::{AtomicI64, Ordering};

pub const DEFAULT_TTL_HOURS: i64 = 24;

static TTL_SECS: AtomicI64 = AtomicI64::new(DEFAULT_TTL_HOURS * 3600);

/// Sets the time to live (at least a minute).
pub fn set_ttl(ttl: Duration) {
    TTL_SECS.store(ttl.num_seconds().max(60), Ordering::Relaxed);
}

pub fn ttl() -> Duration {
    Duration::seconds(TTL_SECS.load(Ordering::Relaxed))
}

/// Records created before this are expired.
pub fn cutoff(now: NaiveDateTime) -> NaiveDateTime {
    now - ttl()
}

/// Deletes `user_id`'s record of `key` when it has expired, so the key works afresh.
pub fn drop_expired(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::idem_key.eq(key))
            .filter(idempotency_keys::created_at.lt(cutoff(now))),
    )
    .execute(conn)
}

/// Deletes every expired record; returns how many.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff(now))))
        .execute(conn)
}
