//! Settings that bound what clients can make an instance do: the rate of the public endpoints and
//! whose forwarding headers to believe. See the security notes of the README.

use crate::ratelimit::{RateSettings, TrustedProxies};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Per client address, on the endpoints that answer without a login.
    pub public_rate: RateSettings,
    /// Proxies whose `X-Forwarded-For`/`Forwarded` name the client (`ZHUCUN_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
}
