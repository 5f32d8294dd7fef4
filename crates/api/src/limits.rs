//! Settings that bound what clients can make an instance do and what it keeps for them: the rate
//! of the public endpoints, whose forwarding headers to believe, how long idempotency records
//! live, and who may read the operator's `/metrics`. See the security notes of the README.

use crate::ratelimit::{RateSettings, TrustedProxies};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Per client address, on the endpoints that answer without a login.
    pub public_rate: RateSettings,
    /// Proxies whose `X-Forwarded-For`/`Forwarded` name the client (`ZHUCUN_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// How long a create's first answer is replayed for its `Idempotency-Key`.
    pub idempotency_ttl: chrono::Duration,
    /// Who may read `/metrics` and where (`ZHUCUN_METRICS_TOKEN`, `ZHUCUN_METRICS_BIND`).
    pub metrics: crate::metrics::MetricsSettings,
    /// Region-wide statistics withhold cells about fewer households than this
    /// (`ZHUCUN_STATS_MIN_CELL`).
    pub stats_min_cell: u32,
    /// How often each instance refreshes the statistics summary when data changed; zero: the
    /// reads refresh it instead (`ZHUCUN_STATS_REFRESH_SECONDS`).
    pub stats_refresh: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            public_rate: RateSettings::default(),
            trusted_proxies: TrustedProxies::default(),
            idempotency_ttl: chrono::Duration::hours(
                zhucun_persistence::idempotency_expiry::DEFAULT_TTL_HOURS,
            ),
            metrics: crate::metrics::MetricsSettings::default(),
            stats_min_cell: crate::routes::stats::DEFAULT_MIN_CELL,
            stats_refresh: std::time::Duration::from_secs(
                crate::stats_summary::DEFAULT_REFRESH_SECONDS,
            ),
        }
    }
}
