//! `GET /metrics` for operators, in the Prometheus text format (the `prometheus` crate, without
//! its protobuf feature): requests and their latency by route pattern, method and status; the
//! database pools' usage; failed logins and throttled answers; live sessions.
//!
//! Not exposed unless configured: `ZHUCUN_METRICS_TOKEN` serves it on the API's own address to
//! callers sending that bearer token; `ZHUCUN_METRICS_BIND` serves it on a separate address (e.g.
//! `127.0.0.1:9090`, only `/metrics` there; the token is asked there too when both are set).
//! Without either nothing is recorded and `/metrics` answers 404. It is an operator endpoint, not
//! part of the API: it is left out of the OpenAPI document (see the README's operations section).
//!
//! Labels are bounded: the route is the pattern the request matched (`/api/v1/cadres/{id}`,
//! never the raw path) or `unmatched`, the method one of the standard ones or `other`, the status
//! the three-digit code.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Instant;
use subtle::ConstantTimeEq;

/// Who may read `/metrics`, and where (`ZHUCUN_METRICS_TOKEN`, `ZHUCUN_METRICS_BIND`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct MetricsSettings {
    /// The bearer token a scraper sends; also opens `/metrics` on the API's address.
    pub token: Option<String>,
    /// A separate address serving only `/metrics`.
    pub bind: Option<String>,
}

impl std::fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsSettings")
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("bind", &self.bind)
            .finish()
    }
}

impl MetricsSettings {
    /// Shortest token accepted: a scrape token is a secret like the others.
    pub const TOKEN_MIN: usize = 16;

    pub fn enabled(&self) -> bool {
        self.token.is_some() || self.bind.is_some()
    }
}

/// The label of requests that matched no route (unknown paths, the SPA's client routes).
pub const UNMATCHED: &str = "unmatched";

/// Latency buckets, in seconds: a point read takes well under a millisecond here, a report
/// export seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The instance's metrics (one registry per app, so in-process tests do not share counters).
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    login_failures: IntCounter,
    throttled: IntCounterVec,
    pool_connections: IntGaugeVec,
    pool_idle: IntGaugeVec,
    pool_max: IntGaugeVec,
    sessions_active: IntGauge,
    database_up: IntGauge,
    /// SHA-256 of the token: compared in constant time, whatever the lengths.
    token_digest: Option<[u8; 32]>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("token", &self.token_digest.map(|_| "<set>"))
            .finish_non_exhaustive()
    }
}

/// Which throttle refused a request.
#[derive(Debug, Clone, Copy)]
pub enum Throttle {
    /// The per-address limit of the endpoints open without a login (`ratelimit`).
    Client,
    /// The per-username limit of failed logins (`throttle::claim`).
    Username,
}

impl Metrics {
    /// The metrics when `/metrics` is exposed somewhere; `None` records nothing.
    pub fn for_settings(
        settings: &MetricsSettings,
    ) -> Result<Option<Arc<Self>>, prometheus::Error> {
        if !settings.enabled() {
            return Ok(None);
        }
        Self::new(settings.token.as_deref()).map(|m| Some(Arc::new(m)))
    }

    fn new(token: Option<&str>) -> Result<Self, prometheus::Error> {
        let labels = &["route", "method", "status"];
        let requests = IntCounterVec::new(
            Opts::new(
                "zhucun_http_requests_total",
                "HTTP requests answered, by route pattern, method and status.",
            ),
            labels,
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "zhucun_http_request_duration_seconds",
                "Time until the response head was ready, by route pattern, method and status.",
            )
            .buckets(BUCKETS.to_vec()),
            labels,
        )?;
        let login_failures = IntCounter::new(
            "zhucun_login_failures_total",
            "Logins refused for a wrong username or password.",
        )?;
        let throttled = IntCounterVec::new(
            Opts::new(
                "zhucun_throttled_total",
                "Requests answered 429: by=client (per-address limit of the public endpoints) \
                 or by=username (repeated failed logins).",
            ),
            &["by"],
        )?;
        let pool = |name: &str, help: &str| IntGaugeVec::new(Opts::new(name, help), &["pool"]);
        let pool_connections = pool(
            "zhucun_db_pool_connections",
            "Open connections of the database pool (in use and idle), at scrape time.",
        )?;
        let pool_idle = pool(
            "zhucun_db_pool_idle_connections",
            "Idle connections of the database pool, at scrape time.",
        )?;
        let pool_max = pool(
            "zhucun_db_pool_max_connections",
            "Largest number of connections the database pool opens.",
        )?;
        let sessions_active = IntGauge::new(
            "zhucun_sessions_active",
            "Logins whose refresh token is live (not revoked, not expired), at scrape time.",
        )?;
        let database_up = IntGauge::new(
            "zhucun_database_up",
            "1 when the scrape's query reached the database, else 0.",
        )?;
        // Both series from the start (at 0), so a rate over them exists before the first 429.
        for by in ["client", "username"] {
            throttled.get_metric_with_label_values(&[by])?;
        }
        let registry = Registry::new();
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(login_failures.clone()))?;
        registry.register(Box::new(throttled.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        registry.register(Box::new(sessions_active.clone()))?;
        registry.register(Box::new(database_up.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            login_failures,
            throttled,
            pool_connections,
            pool_idle,
            pool_max,
            sessions_active,
            database_up,
            token_digest: token.map(|t| Sha256::digest(t.as_bytes()).into()),
        })
    }

    /// Counts one answered request.
    pub fn observe(&self, route: &str, method: &str, status: StatusCode, seconds: f64) {
        let labels = [route, method, status.as_str()];
        if let Ok(c) = self.requests.get_metric_with_label_values(&labels) {
            c.inc();
        }
        if let Ok(h) = self.latency.get_metric_with_label_values(&labels) {
            h.observe(seconds);
        }
    }

    pub fn login_failed(&self) {
        self.login_failures.inc();
    }

    pub fn throttled(&self, by: Throttle) {
        let label = match by {
            Throttle::Client => "client",
            Throttle::Username => "username",
        };
        if let Ok(c) = self.throttled.get_metric_with_label_values(&[label]) {
            c.inc();
        }
    }

    /// Whether the `Authorization` header carries the configured token (true when none is set).
    fn authorised(&self, req: &HttpRequest) -> bool {
        let Some(expected) = &self.token_digest else {
            return true;
        };
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        let digest: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        bool::from(digest.ct_eq(expected)) && !given.is_empty()
    }

    fn encode(&self) -> Result<Vec<u8>, ApiError> {
        let mut out = Vec::with_capacity(16 * 1024);
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .map_err(ApiError::internal)?;
        Ok(out)
    }
}

/// Bumps a counter when `/metrics` is exposed (the handlers' one-liner).
pub fn with(state: &AppState, f: impl FnOnce(&Metrics)) {
    if let Some(m) = &state.metrics {
        f(m);
    }
}

/// A method as a bounded label.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The middleware: times every request and counts it under its route pattern. Does nothing when
/// `/metrics` is not exposed.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .and_then(|s| s.metrics.clone());
    let Some(metrics) = metrics else {
        return next.call(req).await;
    };
    let method = method_label(req.method());
    let started = Instant::now();
    let res = next.call(req).await;
    // The pattern, never the path: one series per route, whatever ids clients send. Read once
    // the request has been routed (each module's routes sit in a guarded scope of their own,
    // which only routing resolves); a request refused before routing counts as unmatched.
    let (route, status) = match &res {
        Ok(r) => (
            r.request().match_pattern().filter(|p| !p.is_empty()),
            r.status(),
        ),
        Err(e) => (None, e.as_response_error().status_code()),
    };
    metrics.observe(
        route.as_deref().unwrap_or(UNMATCHED),
        method,
        status,
        started.elapsed().as_secs_f64(),
    );
    res
}

/// Marks the app of the separate metrics listener (`ZHUCUN_METRICS_BIND`).
#[derive(Debug, Clone, Copy)]
pub struct MetricsListener;

/// `GET /metrics`.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(metrics) = state.metrics.clone() else {
        return Err(ApiError::NotFound);
    };
    let own_listener = req.app_data::<MetricsListener>().is_some();
    // On the API's address only with a token; the separate listener is protected by where it
    // listens (and by the token too when one is set).
    if !own_listener && metrics.token_digest.is_none() {
        return Err(ApiError::NotFound);
    }
    if !metrics.authorised(&req) {
        return Err(ApiError::Unauthorized(
            "send the metrics token as a bearer token".to_owned(),
        ));
    }
    for pool in state.db.pool_usage() {
        let label = [pool.name];
        if let Ok(g) = metrics
            .pool_connections
            .get_metric_with_label_values(&label)
        {
            g.set(i64::from(pool.connections));
        }
        if let Ok(g) = metrics.pool_idle.get_metric_with_label_values(&label) {
            g.set(i64::from(pool.idle));
        }
        if let Ok(g) = metrics.pool_max.get_metric_with_label_values(&label) {
            g.set(i64::from(pool.max_size));
        }
    }
    // One COUNT on the blocking pool; a database that does not answer leaves the last value and
    // says so in `zhucun_database_up` rather than failing the scrape.
    let sessions = state
        .read(|conn| {
            zhucun_persistence::sessions::count_live(conn, zhucun_persistence::now())
                .map_err(ApiError::from)
        })
        .await;
    match sessions {
        Ok(n) => {
            metrics.sessions_active.set(n);
            metrics.database_up.set(1);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: cannot count sessions");
            metrics.database_up.set(0);
        }
    }
    let body = metrics.encode()?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, TextEncoder::new().format_type()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// The app of the separate metrics listener: `/metrics` and nothing else.
pub fn listener_app(
    state: web::Data<AppState>,
) -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new()
        .app_data(state)
        .app_data(MetricsListener)
        .route("/metrics", web::get().to(scrape))
        .default_service(web::to(|| async {
            Err::<HttpResponse, _>(ApiError::NotFound)
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_bounded() {
        assert_eq!(method_label(&Method::GET), "GET");
        let odd = Method::from_bytes(b"BREW").unwrap_or(Method::TRACE);
        assert_eq!(method_label(&odd), "other");
    }

    #[test]
    fn counters_show_in_the_text_format() -> Result<(), ApiError> {
        let m = Metrics::new(Some("a-token-of-sixteen-chars")).map_err(ApiError::internal)?;
        m.observe("/api/v1/cadres/{id}", "GET", StatusCode::NOT_FOUND, 0.002);
        m.login_failed();
        m.throttled(Throttle::Username);
        let text = String::from_utf8(m.encode()?).unwrap_or_default();
        assert!(text.contains(
            r#"zhucun_http_requests_total{method="GET",route="/api/v1/cadres/{id}",status="404"} 1"#
        ), "{text}");
        assert!(text.contains("zhucun_login_failures_total 1"), "{text}");
        assert!(
            text.contains(r#"zhucun_throttled_total{by="username"} 1"#),
            "{text}"
        );
        Ok(())
    }
}
