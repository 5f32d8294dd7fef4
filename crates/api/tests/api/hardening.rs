//! What an attacker probing the running server found (issue 6), each on SQLite and PostgreSQL:
//! parallel password guessing, login floods, NUL and invisible characters, tokens from the future,
//! and records that were never cleaned up.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use base64::Engine;
use futures_util::future::{join, join_all};
use serde_json::json;
use std::cell::Cell;
use std::net::SocketAddr;
use std::time::Duration;
use zhucun_api::config::Config;
use zhucun_api::ratelimit::{RateSettings, TrustedProxies};
use zhucun_domain::auth::FREE_FAILURES;
use zhucun_persistence::sessions::{self, ThrottleRow};
use zhucun_persistence::{DatabaseUrl, Db, DbConnection};

/// Declares a test on both backends with the app's configuration changed by `$configure`.
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

/// Limits high enough that bursts in a test reach the per-username throttle, not the per-client
/// rate limit (requests without a peer address share one key).
fn roomy(c: &mut Config) {
    c.limits.public_rate = RateSettings {
        burst: 1000,
        replenish_every: Duration::from_secs(1),
    };
}

/// Guesses checked in a burst before the username locks.
const CHECKED_IN_A_BURST: usize = FREE_FAILURES as usize + 1;

fn db_conn(app: &TestApp) -> DbConnection {
    let url = DatabaseUrl::parse(&app.database_url).expect("url");
    zhucun_persistence::db::Manager::new(url)
        .establish()
        .expect("connect")
}

fn throttle_row(conn: &mut DbConnection, username: &str) -> Option<ThrottleRow> {
    sessions::throttle(conn, username).expect("throttle")
}

fn retry_after(r: &Resp) -> u64 {
    r.header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn count(results: &[Resp], status: u16) -> usize {
    results.iter().filter(|r| r.status == status).count()
}

fn login_from(addr: &str, username: &str, password: &str) -> TestRequest {
    TestRequest::post()
        .uri("/api/v1/auth/login")
        .peer_addr(addr.parse::<SocketAddr>().expect("addr"))
        .set_json(json!({"username": username, "password": password}))
}

// 1. Parallel guesses: only the allowed number is checked, whatever the concurrency.

both_backends_with!(
    parallel_wrong_passwords_are_checked_only_up_to_the_budget,
    roomy,
    |app: TestApp| async move {
        let burst = (0..24).map(|_| app.login_full("office_staff", "wrong password"));
        let results = join_all(burst).await;
        assert_eq!(count(&results, 401), CHECKED_IN_A_BURST, "checked guesses");
        assert_eq!(count(&results, 429), 24 - CHECKED_IN_A_BURST);
        for r in results.iter().filter(|r| r.status == 429) {
            r.assert_problem(429, "too-many-requests");
            assert!(retry_after(r) >= 1);
        }
        let mut conn = db_conn(&app);
        let row = throttle_row(&mut conn, "office_staff").expect("row");
        assert_eq!(row.failures, FREE_FAILURES + 1);
        // The right password is refused now too.
        app.login_full("office_staff", DEMO_PASSWORD)
            .await
            .assert_problem(429, "too-many-requests");
    }
);

both_backends_with!(
    a_right_password_after_the_budget_in_a_burst_is_refused,
    roomy,
    |app: TestApp| async move {
        let mut conn = db_conn(&app);
        let burst_done = Cell::new(false);
        let burst = async {
            let r =
                join_all((0..19).map(|_| app.login_full("office_staff", "wrong password"))).await;
            burst_done.set(true);
            r
        };
        // The right password is sent while the burst runs, once its budget is used up (or when
        // the burst is over, should the budget never be used up: then the assertions fail).
        let right = async {
            loop {
                let used = throttle_row(&mut conn, "office_staff")
                    .is_some_and(|r| r.failures > FREE_FAILURES);
                if used || burst_done.get() {
                    break;
                }
                actix_rt::task::yield_now().await;
            }
            app.login_full("office_staff", DEMO_PASSWORD).await
        };
        let (wrong, right) = join(burst, right).await;
        right.assert_problem(429, "too-many-requests");
        assert_eq!(count(&wrong, 401), CHECKED_IN_A_BURST);
        assert_eq!(count(&wrong, 200), 0);
    }
);

// 2. Guessing the current password on the change-password form counts too.

both_backends_with!(
    current_password_guesses_count_against_the_login_throttle,
    roomy,
    |app: TestApp| async move {
        let token = app.login("office_staff").await;
        let guess = json!({"current_password": "not my password", "new_password": "a brand new passphrase"});
        let results =
            join_all((0..10).map(|_| app.post("/api/v1/me/password", &token, &guess))).await;
        assert_eq!(count(&results, 400), CHECKED_IN_A_BURST);
        assert_eq!(count(&results, 429), 10 - CHECKED_IN_A_BURST);
        for r in results.iter().filter(|r| r.status == 400) {
            let p = r.assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], "current_password");
        }
        // The same throttle guards the login.
        app.login_full("office_staff", DEMO_PASSWORD)
            .await
            .assert_problem(429, "too-many-requests");
        // A right current password clears the count.
        let token = app.login("regional").await;
        app.post("/api/v1/me/password", &token, &guess)
            .await
            .assert_problem(400, "validation");
        let mut conn = db_conn(&app);
        assert_eq!(
            throttle_row(&mut conn, "regional").map(|r| r.failures),
            Some(1)
        );
        let right =
            json!({"current_password": DEMO_PASSWORD, "new_password": "a brand new passphrase"});
        let r = app.post("/api/v1/me/password", &token, &right).await;
        assert_eq!(r.status, 204, "{}", r.text());
        assert_eq!(throttle_row(&mut conn, "regional"), None);
    }
);

// 3. Per-client rate limit on the endpoints open without a login.

both_backends_with!(
    a_flooding_client_is_refused_before_hashing_and_others_still_log_in,
    |c: &mut Config| {
        c.limits.public_rate = RateSettings {
            burst: 3,
            replenish_every: Duration::from_secs(3600),
        };
    },
    |app: TestApp| async move {
        let flooder = "203.0.113.7:40000";
        for _ in 0..3 {
            app.send(login_from(flooder, "nobody_here", "guess"))
                .await
                .assert_problem(401, "unauthorized");
        }
        let r = app.send(login_from(flooder, "nobody_here", "guess")).await;
        r.assert_problem(429, "too-many-requests");
        assert!(retry_after(&r) > 60, "{}", retry_after(&r));
        // Refused before the throttle counted it, i.e. before any password work.
        let mut conn = db_conn(&app);
        assert_eq!(
            throttle_row(&mut conn, "nobody_here").map(|r| r.failures),
            Some(3)
        );
        // Other public endpoints share the client's allowance.
        app.send(
            TestRequest::post()
                .uri("/api/v1/auth/refresh")
                .peer_addr(flooder.parse().expect("addr"))
                .set_json(json!({"refresh_token": "x"})),
        )
        .await
        .assert_problem(429, "too-many-requests");
        // A forwarding header from an untrusted peer changes nothing.
        app.send(
            login_from(flooder, "nobody_here", "guess")
                .insert_header(("x-forwarded-for", "198.51.100.99")),
        )
        .await
        .assert_problem(429, "too-many-requests");
        // Another address logs in, and the flooder's logged-in requests are not limited.
        let ok = app
            .send(login_from("198.51.100.2:40000", "admin", ADMIN_PASSWORD))
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text());
        let token = ok.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let me = app
            .send(
                TestRequest::get()
                    .uri("/api/v1/me")
                    .peer_addr(flooder.parse().expect("addr"))
                    .insert_header(("authorization", format!("Bearer {token}"))),
            )
            .await;
        assert_eq!(me.status, 200);
    }
);

both_backends_with!(
    behind_a_trusted_proxy_the_forwarded_client_is_limited,
    |c: &mut Config| {
        c.limits.public_rate = RateSettings {
            burst: 2,
            replenish_every: Duration::from_secs(3600),
        };
        c.limits.trusted_proxies = TrustedProxies::parse("10.0.0.0/8").expect("proxies");
    },
    |app: TestApp| async move {
        let proxy = "10.0.0.5:50000";
        let via_proxy = |client: &'static str, user: &str, password: &str| {
            login_from(proxy, user, password).insert_header(("x-forwarded-for", client))
        };
        for _ in 0..2 {
            app.send(via_proxy("203.0.113.7", "nobody_here", "guess"))
                .await
                .assert_problem(401, "unauthorized");
        }
        app.send(via_proxy("203.0.113.7", "nobody_here", "guess"))
            .await
            .assert_problem(429, "too-many-requests");
        // The flooder cannot escape by writing its own X-Forwarded-For: the proxy appends.
        app.send(via_proxy(
            "198.51.100.50, 203.0.113.7",
            "nobody_here",
            "guess",
        ))
        .await
        .assert_problem(429, "too-many-requests");
        // Another client behind the same proxy is not affected.
        let ok = app
            .send(via_proxy("198.51.100.2", "admin", ADMIN_PASSWORD))
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text());
    }
);

// 4. NUL in any text input is a 400 problem, on both backends, and writes nothing.

fn nul_cursor() -> String {
    let data = json!({"s": "name", "v": "a\u{0}", "i": 1});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data.to_string())
}

both_backends!(
    nul_anywhere_is_refused_with_a_problem,
    |app: TestApp| async move {
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/auth/login")
                    .set_json(json!({"username": "admin\u{0}", "password": "x"})),
            )
            .await;
        assert_eq!(
            r.assert_problem(400, "validation")["errors"][0]["field"],
            "body"
        );
        let admin = app.login("admin").await;
        for (path, field) in [
            ("/api/v1/villages?q=%00", "q"),
            ("/api/v1/villages?limit=5&county=a%00", "county"),
            ("/api/v1/audit?entity=a%00", "entity"),
            ("/api/v1/villages/%00", "path"),
            ("/api/v1/villages?q=%E9%A9%AC%00", "q"),
        ] {
            let p = app
                .get(path, &admin)
                .await
                .assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], field, "{path}");
        }
        let p = app
            .get(
                &format!("/api/v1/villages?sort=name&cursor={}", nul_cursor()),
                &admin,
            )
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "cursor");
        // Bodies: nothing is written.
        let before = app.get("/api/v1/villages?limit=500", &admin).await.json()["items"]
            .as_array()
            .map(Vec::len);
        let body = json!({"name": "零\u{0}村", "prefecture": "林芝市", "county": "巴宜区"});
        app.post("/api/v1/villages", &admin, &body)
            .await
            .assert_problem(400, "validation");
        let gz = gzip(body.to_string().as_bytes());
        app.send(
            TestRequest::post()
                .uri("/api/v1/villages")
                .insert_header(("authorization", format!("Bearer {admin}")))
                .insert_header(("content-type", "application/json"))
                .insert_header(("content-encoding", "gzip"))
                .set_payload(gz),
        )
        .await
        .assert_problem(400, "validation");
        let after = app.get("/api/v1/villages?limit=500", &admin).await.json()["items"]
            .as_array()
            .map(Vec::len);
        assert_eq!(before, after);
        // A backslash followed by the text "u0000" is no NUL; a gzip body without NUL still works.
        app.send(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(json!({"username": "admin\\u0000", "password": "x"})),
        )
        .await
        .assert_problem(401, "unauthorized");
        let fine = json!({"name": "压缩村", "prefecture": "林芝市", "county": "巴宜区"});
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/villages")
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .insert_header(("content-type", "application/json"))
                    .insert_header(("content-encoding", "gzip"))
                    .set_payload(gzip(fine.to_string().as_bytes())),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        // Headers cannot carry NUL at all.
        assert!(actix_web::http::header::HeaderValue::from_bytes(b"k\0").is_err());
    }
);

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

// 5. Display text: bidi controls and the BOM refused, break hints removed, Tibetan intact.

both_backends!(
    display_text_refuses_bidi_controls_and_keeps_tibetan,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let village = |name: &str, name_bo: Option<&str>| json!({"name": name, "name_bo": name_bo, "prefecture": "日喀则市", "county": "南木林县"});
        let p = app
            .post("/api/v1/villages", &admin, &village("琼果\u{202E}村", None))
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "name");
        assert!(
            p["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("U+202E"),
            "{p}"
        );
        let p = app
            .post(
                "/api/v1/villages",
                &admin,
                &village("琼果村", Some("\u{FEFF}ཆུང་སྐོར")),
            )
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "name_bo");
        for c in ['\u{2066}', '\u{2069}', '\u{202A}'] {
            app.post(
                "/api/v1/villages",
                &admin,
                &village(&format!("琼{c}果村"), None),
            )
            .await
            .assert_problem(400, "validation");
        }
        // Zero-width break hints and joiners that join nothing are removed, not refused.
        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &village("拉\u{200B}萨\u{200D}村\u{2060}", Some("ལྷ་ས།\u{200B}")),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["name"], "拉萨村");
        assert_eq!(r.json()["name_bo"], "ལྷ་ས།");
        // Tibetan with tsheg, shad and stacked consonants goes in, comes out and is found.
        for (name, name_bo) in [
            ("宗成村", "བསྒྲུབས་གླིང་།"),
            ("扎西村", "བཀྲ་ཤིས་སྐྱིད།"),
            ("吉隆村", "སྐྱིད་གྲོང་།"),
        ] {
            let r = app
                .post("/api/v1/villages", &admin, &village(name, Some(name_bo)))
                .await;
            assert_eq!(r.status, 201, "{}", r.text());
            assert_eq!(r.json()["name_bo"], name_bo);
            let id = r.json()["id"].as_i64().unwrap_or_default();
            let read = app.get(&format!("/api/v1/villages/{id}"), &admin).await;
            assert_eq!(read.json()["name_bo"], name_bo);
            assert_eq!(read.json()["name"], name);
        }
        let q = "%E0%BD%96%E0%BD%A6%E0%BE%92%E0%BE%B2%E0%BD%B4%E0%BD%96%E0%BD%A6"; // བསྒྲུབས
        let found = app.get(&format!("/api/v1/villages?q={q}"), &admin).await;
        assert_eq!(found.status, 200, "{}", found.text());
        let names: Vec<String> = found.json()["items"]
            .as_array()
            .map(|a| a.iter().map(|v| v["name"].to_string()).collect())
            .unwrap_or_default();
        assert_eq!(names, vec!["\"宗成村\"".to_owned()]);
    }
);

// 6. Tokens from the future are refused.

fn forge(claims: &serde_json::Value) -> String {
    let key = jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes());
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &key,
    )
    .expect("sign")
}

both_backends!(
    tokens_issued_in_the_future_are_refused,
    |app: TestApp| async move {
        let token = app.login("admin").await;
        let payload = token.split('.').nth(1).unwrap_or_default();
        let real: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap_or_default(),
        )
        .unwrap_or_default();
        assert_eq!(real["nbf"], real["iat"], "issued tokens carry nbf");
        let now = chrono::Utc::now().timestamp();
        let claims = |iat: i64, nbf: Option<i64>| {
            let mut c = json!({
                "sub": real["sub"], "sid": real["sid"], "iss": "zhucun", "aud": "zhucun-api",
                "iat": iat, "exp": now + 900,
            });
            if let Some(nbf) = nbf {
                c["nbf"] = json!(nbf);
            }
            c
        };
        // The forger's key works: a well-formed forged token is accepted …
        assert_eq!(
            app.get("/api/v1/me", &forge(&claims(now, None)))
                .await
                .status,
            200
        );
        assert_eq!(
            app.get("/api/v1/me", &forge(&claims(now, Some(now))))
                .await
                .status,
            200
        );
        // … but not one valid only from later, or issued later.
        app.get("/api/v1/me", &forge(&claims(now, Some(now + 600))))
            .await
            .assert_problem(401, "unauthorized");
        app.get("/api/v1/me", &forge(&claims(now + 600, None)))
            .await
            .assert_problem(401, "unauthorized");
        app.get("/api/v1/me", &forge(&claims(now + 600, Some(now + 600))))
            .await
            .assert_problem(401, "unauthorized");
    }
);

// 7. Throttle rows and idempotency records expire and are pruned without a cron.

both_backends!(
    spent_throttle_rows_and_expired_idempotency_records_are_pruned,
    |app: TestApp| async move {
        use diesel::prelude::*;
        use zhucun_persistence::schema::idempotency_keys as ik;
        let mut conn = db_conn(&app);
        let now = zhucun_persistence::now();
        let day_ago = now - chrono::Duration::days(1);
        let row = |username: &str, started, locked_until| ThrottleRow {
            username: username.to_owned(),
            failures: 9,
            window_started_at: started,
            locked_until,
        };
        for r in [
            row("spent_user", day_ago, Some(day_ago)),
            row(
                "still_locked",
                day_ago,
                Some(now + chrono::Duration::minutes(30)),
            ),
            row("recent_user", now, None),
        ] {
            sessions::save_throttle(&mut conn, &r).expect("save");
        }

        // An idempotency key replays (or refuses another body) until it expires …
        let admin = app.login("admin").await;
        let create = |key: &'static str, name: &str| {
            TestRequest::post()
                .uri("/api/v1/villages")
                .insert_header(("authorization", format!("Bearer {admin}")))
                .insert_header(("idempotency-key", key))
                .set_json(json!({"name": name, "prefecture": "林芝市", "county": "巴宜区"}))
        };
        assert_eq!(app.send(create("k-old", "过期一村")).await.status, 201);
        let again = app.send(create("k-old", "过期一村")).await;
        assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
        app.send(create("k-old", "过期二村"))
            .await
            .assert_problem(422, "unprocessable");
        let age = |key: &str, conn: &mut DbConnection| {
            diesel::update(ik::table.filter(ik::idem_key.eq(key)))
                .set(ik::created_at.eq(now - chrono::Duration::hours(25)))
                .execute(conn)
                .expect("age")
        };
        assert_eq!(age("k-old", &mut conn), 1);
        // … then the key is free again: a new request, not a replay.
        let fresh = app.send(create("k-old", "过期二村")).await;
        assert_eq!(fresh.status, 201, "{}", fresh.text());
        assert_eq!(fresh.header("idempotent-replayed"), None);
        assert_eq!(fresh.json()["name"], "过期二村");

        assert_eq!(app.send(create("k-aged", "过期三村")).await.status, 201);
        assert_eq!(app.send(create("k-live", "过期四村")).await.status, 201);
        assert_eq!(age("k-aged", &mut conn), 1);

        let db = Db::open(DatabaseUrl::parse(&app.database_url).expect("url"), 1).expect("db");
        let pruned = zhucun_api::housekeeping::prune(db).await.expect("prune");
        assert_eq!(pruned.throttle_rows, 1);
        assert_eq!(pruned.idempotency_records, 1);
        assert_eq!(throttle_row(&mut conn, "spent_user"), None);
        assert!(throttle_row(&mut conn, "still_locked").is_some());
        assert!(throttle_row(&mut conn, "recent_user").is_some());
        let keys: Vec<String> = ik::table
            .select(ik::idem_key)
            .order(ik::idem_key)
            .load(&mut conn)
            .expect("keys");
        assert_eq!(keys, vec!["k-live".to_owned(), "k-old".to_owned()]);
    }
);
