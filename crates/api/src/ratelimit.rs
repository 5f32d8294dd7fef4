//! Per-client limits on the endpoints anyone may call without logging in (log in, refresh, log
//! out, and public pages to come), so one client flooding them is refused before any password
//! hashing or database work and cannot slow down everybody else's login.
//!
//! GCRA from the `governor` crate (MIT): a client may send a burst, then requests at the
//! sustained rate. `actix-governor` would wrap the same crate but is GPL-3.0-licensed, which does
//! not fit this Apache-2.0 code base; the middleware below is a few lines over `governor`.
//!
//! Limits are kept in memory per API instance: behind a balancer with N instances a client gets
//! up to N times the rate. The per-username login throttle (in the shared database) is what bounds
//! password guesses across instances; this limit protects each instance's CPU and memory.
//!
//! The client is the TCP peer, unless the peer is a configured trusted proxy
//! (`ZHUCUN_TRUSTED_PROXIES`): then `X-Forwarded-For` (or `Forwarded`) is read from the right,
//! skipping trusted proxies, and the first other address is the client. Addresses a client wrote
//! itself (left of what the proxies appended) are never believed. IPv6 clients are keyed by their
//! /64, as one host usually holds a whole /64.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// Path prefixes of the endpoints that answer without a login.
pub const PUBLIC_PREFIXES: &[&str] = &["/api/v1/auth/", "/api/v1/public/"];

pub fn is_public(path: &str) -> bool {
    PUBLIC_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// The configured limit for one client address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateSettings {
    /// Requests a client may send at once.
    pub burst: u32,
    /// After the burst, one more request is allowed each interval.
    pub replenish_every: Duration,
}

impl Default for RateSettings {
    /// A burst of 30 then 30 a minute: an office behind one address logs in together in the
    /// morning, and refreshes come once per 15 minutes per open app.
    fn default() -> Self {
        Self {
            burst: 30,
            replenish_every: Duration::from_secs(2),
        }
    }
}

impl RateSettings {
    pub fn per_minute(burst: u32, per_minute: u32) -> Self {
        Self {
            burst,
            replenish_every: Duration::from_millis(60_000 / u64::from(per_minute.max(1))),
        }
    }
}

/// The proxies whose forwarding headers are believed; empty (the default) believes none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma- or space-separated list of addresses and CIDR networks.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an IP address or CIDR network: {s:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The client's address: the peer, or what trusted proxies say the peer's client was.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        let hops = forwarded_chain(headers);
        for hop in hops.iter().rev() {
            if !self.contains(client) {
                break;
            }
            match hop {
                Some(ip) => client = ip.to_canonical(),
                // An entry a trusted proxy would not write: stop at the last proxy.
                None => break,
            }
        }
        client
    }
}

/// The addresses of `X-Forwarded-For` (all its lines, in order), else the `for=` of `Forwarded`;
/// `None` for entries that are not an address.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let joined = |name: &str| {
        headers
            .get_all(name)
            .map(|v| v.to_str().unwrap_or("\u{0}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let xff = joined("x-forwarded-for");
    if !xff.is_empty() {
        return xff.split(',').map(|s| parse_addr(s.trim())).collect();
    }
    let fwd = joined("forwarded");
    fwd.split(',')
        .filter(|element| !element.trim().is_empty())
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| parse_addr(v.trim().trim_matches('"')))
        })
        .collect()
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:80`.
fn parse_addr(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            s.strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|r| r.parse().ok())
        })
}

/// The key a client is counted under: its IPv4 address, or its IPv6 /64.
fn key_of(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// The limiter of the public endpoints, shared by all workers of an instance.
pub struct PublicLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    proxies: TrustedProxies,
}

impl std::fmt::Debug for PublicLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicLimiter")
            .field("proxies", &self.proxies)
            .finish_non_exhaustive()
    }
}

impl PublicLimiter {
    pub fn new(rate: &RateSettings, proxies: TrustedProxies) -> Self {
        let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(rate.replenish_every)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limiter: RateLimiter::keyed(quota),
            proxies,
        }
    }

    /// The address a request is counted under. A request without a peer address (only in
    /// in-process tests) counts under one shared key.
    pub fn client_key(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        peer.map(|p| key_of(self.proxies.client(p, headers)))
            .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED))
    }

    /// `Err(seconds to wait)` when the client is over its limit.
    pub fn check(&self, key: IpAddr) -> Result<(), u64> {
        self.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }

    /// Forgets clients whose allowance is full again, so the table does not grow without end.
    pub fn forget_idle(&self) -> usize {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        self.limiter.len()
    }
}

/// The middleware: refuses a public request over its client's limit with 429 and `Retry-After`.
pub async fn limit_public(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if is_public(req.path()) {
        if let Some(state) = req.app_data::<web::Data<AppState>>() {
            let limiter = &state.public_limiter;
            let key = limiter.client_key(req.peer_addr().map(|a| a.ip()), req.headers());
            if let Err(secs) = limiter.check(key) {
                tracing::warn!(client = %key, path = req.path(), "rate limited");
                crate::metrics::with(state, |m| m.throttled(crate::metrics::Throttle::Client));
                let res = ApiError::TooManyRequests(secs).error_response();
                return Ok(req.into_response(res).map_into_right_body());
            }
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse()
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn trusted_proxy_lists_parse() {
        let p = TrustedProxies::parse("10.0.0.0/8, 172.18.0.2 fd00::/8").unwrap_or_default();
        assert!(p.contains(ip("10.1.2.3")));
        assert!(p.contains(ip("172.18.0.2")));
        assert!(!p.contains(ip("172.18.0.3")));
        assert!(p.contains(ip("fd00::5")));
        assert!(TrustedProxies::parse("").unwrap_or_default().is_empty());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("nginx").is_err());
    }

    #[test]
    fn forwarding_headers_are_ignored_unless_the_peer_is_trusted() {
        let none = TrustedProxies::default();
        let h = headers(&[("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(none.client(ip("203.0.113.9"), &h), ip("203.0.113.9"));
        let p = TrustedProxies::parse("10.0.0.0/8").unwrap_or_default();
        // Untrusted peer: its header is not believed.
        assert_eq!(p.client(ip("203.0.113.9"), &h), ip("203.0.113.9"));
        // Trusted peer: the address it appended is the client.
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("198.51.100.7"));
    }

    #[test]
    fn a_spoofed_left_part_is_skipped() {
        let p = TrustedProxies::parse("10.0.0.0/8").unwrap_or_default();
        // The client wrote "1.1.1.1"; nginx appended the real address, then a second proxy.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 198.51.100.7, 10.0.0.9")]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("198.51.100.7"));
        // Garbage where a proxy's entry should be: stop at the last trusted proxy.
        let h = headers(&[("x-forwarded-for", "198.51.100.7, nonsense")]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("10.0.0.2"));
        // Several header lines count as one list.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("198.51.100.7"));
    }

    #[test]
    fn forwarded_header_is_read_too() {
        let p = TrustedProxies::parse("10.0.0.0/8").unwrap_or_default();
        let h = headers(&[(
            "forwarded",
            "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_clients_share_their_64_and_mapped_v4_is_v4() {
        assert_eq!(key_of(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(key_of(ip("::ffff:198.51.100.7")), ip("198.51.100.7"));
    }

    #[test]
    fn the_burst_is_allowed_then_refused_with_a_wait() {
        let l = PublicLimiter::new(
            &RateSettings {
                burst: 3,
                replenish_every: Duration::from_secs(3600),
            },
            TrustedProxies::default(),
        );
        let a = ip("203.0.113.1");
        for _ in 0..3 {
            assert_eq!(l.check(a), Ok(()));
        }
        let wait = l.check(a).err().unwrap_or(0);
        assert!((3000..=3600).contains(&wait), "{wait}");
        assert_eq!(l.check(ip("203.0.113.2")), Ok(()));
        assert_eq!(RateSettings::per_minute(30, 30), RateSettings::default());
    }
}
