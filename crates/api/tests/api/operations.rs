//! What an operator relies on (issues 13 and 14): `/metrics` scraped after some traffic, closed
//! unless configured; and a database that becomes unreachable under a running app answered with
//! 503 + `Retry-After` (never 500) until it is back, then served again without a restart.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::json;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zhucun_api::config::Config;
use zhucun_api::metrics::MetricsSettings;
use zhucun_api::ratelimit::RateSettings;

const TOKEN: &str = "metrics-token-0123456789abcdef";

fn with_token(c: &mut Config) {
    c.limits.metrics = MetricsSettings {
        token: Some(TOKEN.to_owned()),
        bind: None,
    };
}

async fn scrape(app: &TestApp, token: Option<&str>) -> Resp {
    let mut req = TestRequest::get().uri("/metrics");
    if let Some(t) = token {
        req = req.insert_header(("authorization", format!("Bearer {t}")));
    }
    app.send(req).await
}

/// The value of the sample whose line starts with `series` (name and labels, as written).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

macro_rules! both_backends_with {
    ($name:ident, $configure:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[actix_rt::test]
            async fn sqlite() {
                let app = TestApp::spawn_with(Backend::Sqlite, None, $configure).await;
                ($body)(app).await;
            }

            #[actix_rt::test]
            async fn postgres() {
                let app = TestApp::spawn_with(Backend::Postgres, None, $configure).await;
                ($body)(app).await;
            }
        }
    };
}

both_backends_with!(
    metrics_count_requests_by_route_pattern,
    with_token,
    |app: TestApp| async move {
        let before = scrape(&app, Some(TOKEN)).await;
        assert_eq!(before.status, 200, "{}", before.text());
        assert!(
            before
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/plain")),
            "{:?}",
            before.header("content-type")
        );
        assert_eq!(
            sample(&before.text(), "zhucun_login_failures_total"),
            Some(0.0)
        );

        let login = app.login_full("admin", ADMIN_PASSWORD).await;
        assert_eq!(login.status, 200, "{}", login.text());
        let admin = login.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let refresh = login.json()["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        app.login_full("admin", "not the password")
            .await
            .assert_problem(401, "unauthorized");
        app.get("/api/v1/cadres/987654321", &admin)
            .await
            .assert_problem(404, "not-found");
        app.get("/api/v1/no-such-thing/42", &admin)
            .await
            .assert_problem(404, "not-found");
        for _ in 0..2 {
            let r = app.get("/api/v1/cadres?limit=5", &admin).await;
            assert_eq!(r.status, 200, "{}", r.text());
        }

        let r = scrape(&app, Some(TOKEN)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let text = r.text();
        let counted = |route: &str, method: &str, status: u16| {
            sample(
                &text,
                &format!(
                    r#"zhucun_http_requests_total{{method="{method}",route="{route}",status="{status}"}}"#
                ),
            )
        };
        assert_eq!(counted("/api/v1/cadres", "GET", 200), Some(2.0), "{text}");
        assert_eq!(
            counted("/api/v1/cadres/{id}", "GET", 404),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            counted("/api/v1/auth/login", "POST", 401),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            counted("/api/v1/auth/login", "POST", 200),
            Some(1.0),
            "{text}"
        );
        assert_eq!(counted("unmatched", "GET", 404), Some(1.0), "{text}");
        // The first scrape is counted too, under its own route.
        assert_eq!(counted("/metrics", "GET", 200), Some(1.0), "{text}");
        // Never the raw path: ids and unknown paths do not become series.
        assert!(!text.contains("987654321"), "{text}");
        assert!(!text.contains("no-such-thing"), "{text}");
        assert_eq!(
            sample(
                &text,
                r#"zhucun_http_request_duration_seconds_count{method="GET",route="/api/v1/cadres",status="200"}"#
            ),
            Some(2.0),
            "{text}"
        );
        assert_eq!(sample(&text, "zhucun_login_failures_total"), Some(1.0));
        assert!(
            sample(&text, "zhucun_sessions_active").is_some_and(|n| n >= 1.0),
            "{text}"
        );
        assert_eq!(sample(&text, "zhucun_database_up"), Some(1.0), "{text}");
        let pool = match app.backend {
            Backend::Sqlite => "reader",
            Backend::Postgres => "shared",
        };
        assert_eq!(
            sample(
                &text,
                &format!(r#"zhucun_db_pool_max_connections{{pool="{pool}"}}"#)
            ),
            Some(4.0),
            "{text}"
        );
        assert!(
            sample(
                &text,
                &format!(r#"zhucun_db_pool_connections{{pool="{pool}"}}"#)
            )
            .is_some_and(|n| n >= 1.0),
            "{text}"
        );
        // Logging out ends a session: the gauge follows at the next scrape.
        let live = sample(&text, "zhucun_sessions_active").unwrap_or(0.0);
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/auth/logout")
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .set_json(json!({"refresh_token": refresh})),
            )
            .await;
        assert!(r.status.is_success(), "{} {}", r.status, r.text());
        let text = scrape(&app, Some(TOKEN)).await.text();
        assert_eq!(
            sample(&text, "zhucun_sessions_active"),
            Some(live - 1.0),
            "{text}"
        );
    }
);

both_backends_with!(
    metrics_need_the_token,
    with_token,
    |app: TestApp| async move {
        scrape(&app, None).await.assert_problem(401, "unauthorized");
        scrape(&app, Some("metrics-token-0123456789abcdeX"))
            .await
            .assert_problem(401, "unauthorized");
        scrape(&app, Some("short"))
            .await
            .assert_problem(401, "unauthorized");
        let r = app
            .send(
                TestRequest::get()
                    .uri("/metrics")
                    .insert_header(("authorization", format!("Basic {TOKEN}"))),
            )
            .await;
        r.assert_problem(401, "unauthorized");
        assert_eq!(scrape(&app, Some(TOKEN)).await.status, 200);
    }
);

both_backends!(
    metrics_are_not_exposed_unless_configured,
    |app: TestApp| async move {
        let r = scrape(&app, None).await;
        r.assert_problem(404, "not-found");
        scrape(&app, Some(TOKEN))
            .await
            .assert_problem(404, "not-found");
    }
);

#[actix_rt::test]
async fn a_separate_metrics_address_keeps_metrics_off_the_api_address() {
    let app = TestApp::spawn_with(Backend::Sqlite, None, |c| {
        c.limits.metrics = MetricsSettings {
            token: None,
            bind: Some("127.0.0.1:0".to_owned()),
        };
    })
    .await;
    // Recorded (for the other listener) but not served on the API's address.
    scrape(&app, None).await.assert_problem(404, "not-found");
}

#[actix_rt::test]
async fn throttled_answers_are_counted() {
    let app = TestApp::spawn_with(Backend::Sqlite, None, |c| {
        with_token(c);
        c.limits.public_rate = RateSettings {
            burst: 2,
            replenish_every: Duration::from_secs(3600),
        };
    })
    .await;
    for _ in 0..3 {
        app.login_full("nobody", "wrong password").await;
    }
    let text = scrape(&app, Some(TOKEN)).await.text();
    assert_eq!(
        sample(&text, r#"zhucun_throttled_total{by="client"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "zhucun_login_failures_total"),
        Some(2.0),
        "{text}"
    );
}

// The database unreachable under a running app.

/// A TCP relay between the app and PostgreSQL that the test can cut: while it is down, open
/// connections are reset and new ones are closed at once, as when PostgreSQL restarts or the
/// network drops. The machine's PostgreSQL itself is never touched.
struct Relay {
    port: u16,
    down: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind relay");
        let port = listener.local_addr().expect("addr").port();
        let down = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::<TcpStream>::new()));
        let (d, o) = (down.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if d.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let mut streams = o.lock().expect("lock");
                for s in [&client, &server] {
                    if let Ok(c) = s.try_clone() {
                        streams.push(c);
                    }
                }
                drop(streams);
                for (mut from, mut to) in [
                    (client.try_clone(), server.try_clone()),
                    (server.try_clone(), client.try_clone()),
                ]
                .into_iter()
                .filter_map(|(a, b)| Some((a.ok()?, b.ok()?)))
                {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 16 * 1024];
                        loop {
                            match from.read(&mut buf) {
                                Ok(0) | Err(_) => break,
                                Ok(n) => {
                                    if to.write_all(&buf[..n]).is_err() {
                                        break;
                                    }
                                }
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Relay { port, down, open }
    }

    fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        for s in self.open.lock().expect("lock").drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by `127.0.0.1:port`; and the host:port it named.
fn through_relay(url: &str, port: u16) -> (String, String) {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (user, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    let target = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    };
    (format!("{scheme}://{user}127.0.0.1:{port}{path}"), target)
}

#[actix_rt::test]
async fn an_unreachable_database_answers_503_with_retry_after_then_recovers() {
    let relay_cell: Arc<Mutex<Option<Relay>>> = Arc::new(Mutex::new(None));
    let cell = relay_cell.clone();
    let app = TestApp::spawn_with(Backend::Postgres, None, move |c| {
        let (_, target) = through_relay(&c.database_url, 0);
        let relay = Relay::start(target);
        c.database_url = through_relay(&c.database_url, relay.port).0;
        c.limits.public_rate = RateSettings {
            burst: 1000,
            replenish_every: Duration::from_secs(1),
        };
        *cell.lock().expect("lock") = Some(relay);
    })
    .await;
    let relay = relay_cell.lock().expect("lock").take().expect("relay");
    let admin = app.login("admin").await;
    let list = || {
        TestRequest::get()
            .uri("/api/v1/cadres?limit=5")
            .insert_header(("authorization", format!("Bearer {admin}")))
    };
    let create = |name: &str| {
        TestRequest::post()
            .uri("/api/v1/cadres")
            .insert_header(("authorization", format!("Bearer {admin}")))
            .set_json(json!({"name": name, "position": "科员"}))
    };
    assert_eq!(app.send(list()).await.status, 200);

    relay.cut();
    // Pooled connections meet their dead sockets first, then new connections are refused: every
    // kind of request answers 503 with Retry-After, none 500.
    // (Each request after the first waits for the pool's connection timeout, 5 s.)
    let login = TestRequest::post()
        .uri("/api/v1/auth/login")
        .set_json(json!({"username": "admin", "password": ADMIN_PASSWORD}));
    let reqs = [
        ("list", list()),
        ("create", create("断线")),
        ("list again", list()),
        ("login", login),
        ("readyz", TestRequest::get().uri("/readyz")),
    ];
    for (what, req) in reqs {
        let r = app.send(req).await;
        assert_eq!(r.status, 503, "{what}: {}", r.text());
        r.assert_problem(503, "unavailable");
        assert!(
            r.header("retry-after")
                .is_some_and(|v| v.parse::<u64>().is_ok()),
            "{what}: 503 without Retry-After"
        );
    }

    relay.restore();
    // Back by itself: the first request after the outage is served (the pool opens new
    // connections; dead ones were dropped when they failed).
    let r = app.send(list()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app.send(create("复联")).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        app.send(TestRequest::get().uri("/readyz")).await.status,
        200
    );
    // Nothing the outage refused was written.
    let r = app
        .get("/api/v1/cadres?q=%E6%96%AD%E7%BA%BF&limit=50", &admin)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json()["items"].as_array().map(Vec::len),
        Some(0),
        "{}",
        r.text()
    );
}
