//! Clean-up without a cron: every instance prunes spent login-throttle rows and expired
//! idempotency records every few minutes, on the blocking pool (never on an actix worker), and
//! forgets rate-limit state of clients that went quiet. Instances pruning at the same time only
//! delete the same rows twice.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::web;
use std::time::Duration;
use zhucun_persistence::{idempotency_expiry, throttle, Db};

pub const EVERY: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pruned {
    pub throttle_rows: usize,
    pub idempotency_records: usize,
}

/// One pass over the database.
pub async fn prune(db: Db) -> Result<Pruned, ApiError> {
    web::block(move || -> Result<Pruned, ApiError> {
        let mut conn = db.writer()?;
        let now = zhucun_persistence::now();
        Ok(Pruned {
            throttle_rows: throttle::prune(&mut conn, now)?,
            idempotency_records: idempotency_expiry::prune(&mut conn, now)?,
        })
    })
    .await?
}

/// Starts the periodic pass (the first one at once) on the current actix system.
pub fn start(state: AppState) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(EVERY);
        loop {
            tick.tick().await;
            match prune(state.db.clone()).await {
                Ok(p) => tracing::debug!(
                    throttle_rows = p.throttle_rows,
                    idempotency_records = p.idempotency_records,
                    "pruned"
                ),
                Err(e) => tracing::warn!(error = %e, "pruning failed; trying again later"),
            }
            state.public_limiter.forget_idle();
        }
    });
}
