//! Shared state of the app, and the one way to run blocking work (diesel) off the actix workers.

use crate::auth::jwt::JwtKeys;
use crate::auth::password::Passwords;
use crate::auth::{Auth, Bearer};
use crate::error::ApiError;
use actix_web::web;
use std::sync::Arc;
use zhucun_persistence::{DatabaseUrl, Db, DbConnection};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub jwt: Arc<JwtKeys>,
    pub passwords: Passwords,
    pub public_limiter: Arc<crate::ratelimit::PublicLimiter>,
    /// `Some` when `/metrics` is exposed (`ZHUCUN_METRICS_TOKEN` / `ZHUCUN_METRICS_BIND`).
    pub metrics: Option<Arc<crate::metrics::Metrics>>,
    /// Region-wide statistics withhold cells about fewer households than this.
    pub stats_min_cell: u32,
    /// When a statistics read refreshes the summary itself (see `stats_summary`).
    pub stats_read_policy: crate::stats_summary::Policy,
}

impl AppState {
    /// Runs `f` on the blocking pool with a reader connection.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.read_on(Trip::Batched, f).await
    }

    async fn read_on<T, F>(&self, trip: Trip, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        self.off_worker(trip, move || {
            let mut conn = db.reader()?;
            let out = f(&mut conn);
            db.logins().after(&mut conn);
            out
        })
        .await
    }

    /// Runs a read on the blocking pool: on SQLite, unless it is to go alone, in the worker's
    /// next batch of reads ([`crate::trips`]); on PostgreSQL (whose reads wait on the network) in
    /// a trip of its own.
    async fn off_worker<T, J>(&self, trip: Trip, job: J) -> Result<T, ApiError>
    where
        J: FnOnce() -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        match (self.db.url(), trip) {
            (DatabaseUrl::Sqlite(_), Trip::Batched) => crate::trips::run(job).await?,
            _ => web::block(job).await?,
        }
    }
    /// Runs `f` in one transaction on the writer connection, on the blocking pool. Everything `f`
    /// writes (the row, its audit entry, the idempotency record) commits together or not at all.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        use diesel::Connection;
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.writer()?;
            let conn: &mut DbConnection = &mut conn;
            let out = conn.transaction(f);
            db.logins().after(conn);
            out
        })
        .await?
    }
}

impl AppState {
    /// [`AppState::read`] for an authenticated request: the login check and `f` share the trip
    /// and the connection. The check comes from the process's [`LoginCache`] when it holds it:
    /// on SQLite after reading the trigger-kept change count first; on PostgreSQL the notices
    /// read with `f`'s answers tell afterwards whether a login changed before `f` ran, and then
    /// the login is checked from the tables and `f` runs again (so `f` may run twice: it only
    /// reads).
    ///
    /// [`LoginCache`]: zhucun_persistence::login_cache::LoginCache
    pub async fn read_as<T, F>(&self, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Auth) -> Result<T, ApiError> + Clone + Send + 'static,
        T: Send + 'static,
    {
        self.read_as_on(Trip::Batched, bearer, f).await
    }

    /// [`AppState::read_as`] for a read of milliseconds (a report, region-wide statistics): it
    /// takes a trip of its own, so the point reads queued in the same turn do not wait for it.
    pub async fn read_as_alone<T, F>(&self, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Auth) -> Result<T, ApiError> + Clone + Send + 'static,
        T: Send + 'static,
    {
        self.read_as_on(Trip::Alone, bearer, f).await
    }

    async fn read_as_on<T, F>(&self, trip: Trip, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Auth) -> Result<T, ApiError> + Clone + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        self.off_worker(trip, move || {
            let mut conn = db.reader()?;
            let conn = &mut *conn;
            let logins = db.logins();
            logins.before(conn)?;
            let (auth, cached) = bearer.check(conn, logins)?;
            let Some(generation) = cached else {
                return f(conn, &auth);
            };
            let out = f.clone()(conn, &auth);
            logins.after(conn);
            if logins.holds(generation) {
                return out;
            }
            let auth = bearer.load(conn)?;
            f(conn, &auth)
        })
        .await
    }

    /// [`AppState::read_as`] for work that must not run twice (a long export): the login is
    /// checked from the tables first, as for a write. It takes a trip of its own (long work in a
    /// batch would hold up the reads queued with it).
    pub async fn read_as_once<T, F>(&self, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Auth) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.read_on(Trip::Alone, move |conn| {
            let auth = bearer.load(conn)?;
            f(conn, &auth)
        })
        .await
    }

    /// [`AppState::write`] for an authenticated request: the login check runs in the write's
    /// transaction, from the tables (never the cache), so a login ended a moment ago cannot slip
    /// a write in.
    pub async fn write_as<T, F>(&self, bearer: Bearer, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection, &Auth) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.write(move |conn| {
            let auth = bearer.load(conn)?;
            f(conn, &auth)
        })
        .await
    }
}

/// How a read goes to the blocking pool (see [`AppState::off_worker`]).
#[derive(Debug, Clone, Copy)]
enum Trip {
    /// With the other reads of the worker's turn (SQLite).
    Batched,
    /// On a trip of its own.
    Alone,
}
