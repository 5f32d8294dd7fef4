//! The real app, in-process, on a database of its own: a temporary SQLite file, or a fresh
//! PostgreSQL schema in the test database. Loaded with the demo data of `serve --demo`.

#![allow(dead_code)]

use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use futures_util::future::LocalBoxFuture;
use serde_json::Value;
use std::rc::Rc;
use zhucun_api::app::{app, prepare, Shared};
use zhucun_api::config::Config;

pub const ADMIN_PASSWORD: &str = "test-admin-password";
pub const DEMO_PASSWORD: &str = "test-demo-password";
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests use; `ZHUCUN_TEST_PG` overrides it.
pub fn pg_url() -> String {
    std::env::var("ZHUCUN_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a problem+json answer with this status and problem code.
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "body: {}",
            self.text()
        );
        let p = self.json();
        assert_eq!(
            p["type"],
            format!("https://zhucun.example/problems/{code}"),
            "{p}"
        );
        assert_eq!(p["status"], status, "{p}");
        assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()), "{p}");
        p
    }
}

type Call = Rc<dyn Fn(actix_http::Request) -> LocalBoxFuture<'static, Resp>>;

/// Drops the test's PostgreSQL schema when the test ends.
struct SchemaGuard {
    schema: Option<String>,
    dir: std::path::PathBuf,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        if let Some(schema) = &self.schema {
            use diesel::connection::SimpleConnection;
            use diesel::Connection;
            if let Ok(mut c) = diesel::PgConnection::establish(&pg_url()) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct TestApp {
    call: Call,
    pub backend: Backend,
    pub database_url: String,
    _guard: SchemaGuard,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with_spa(backend, None).await
    }

    /// The app serving a built SPA from `static_dir`.
    pub async fn spawn_with_spa(
        backend: Backend,
        static_dir: Option<std::path::PathBuf>,
    ) -> TestApp {
        Self::spawn_with(backend, static_dir, |_| {}).await
    }

    /// The app with its configuration changed by `configure` (limits, for instance).
    pub async fn spawn_with(
        backend: Backend,
        static_dir: Option<std::path::PathBuf>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("zhucun-test-{id}"));
        let (database_url, schema) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.join("zhucun.db").display()),
                None,
            ),
            Backend::Postgres => {
                use diesel::connection::SimpleConnection;
                use diesel::Connection;
                let schema = format!("t_{id}");
                let mut c = diesel::PgConnection::establish(&pg_url()).unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL is not reachable at {} ({e}); start it or set ZHUCUN_TEST_PG",
                        pg_url()
                    )
                });
                c.batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .unwrap_or_else(|e| panic!("create schema: {e}"));
                let sep = if pg_url().contains('?') { '&' } else { '?' };
                (
                    format!("{}{sep}options=-csearch_path%3D{schema}", pg_url()),
                    Some(schema),
                )
            }
        };
        let guard = SchemaGuard {
            schema,
            dir: dir.clone(),
        };
        let mut config = Config {
            database_url: database_url.clone(),
            bind: "127.0.0.1:0".to_owned(),
            data_dir: dir,
            jwt_secret: Some(JWT_SECRET.to_owned()),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            demo_password: Some(DEMO_PASSWORD.to_owned()),
            department_name: None,
            static_dir: None,
            pool_size: 4,
            workers: Some(1),
            // Statistics reads refresh the summary whenever data changed (no background pass
            // runs in these in-process tests); a test sets a period to see a stale summary.
            limits: zhucun_api::limits::Limits {
                stats_refresh: std::time::Duration::ZERO,
                ..Default::default()
            },
        };
        configure(&mut config);
        let state = prepare(&config, true).unwrap_or_else(|e| panic!("prepare: {e}"));
        let svc = Rc::new(test::init_service(app(Shared::new(state, static_dir))).await);
        let call: Call = Rc::new(move |req| {
            let svc = svc.clone();
            Box::pin(async move {
                let res = test::call_service(&*svc, req).await;
                let status = res.status();
                let headers = res.headers().clone();
                let body = test::read_body(res).await.to_vec();
                Resp {
                    status,
                    headers,
                    body,
                }
            })
        });
        TestApp {
            call,
            backend,
            database_url,
            _guard: guard,
        }
    }

    pub async fn send(&self, req: TestRequest) -> Resp {
        (self.call)(req.to_request()).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.send(
            TestRequest::get()
                .uri(path)
                .insert_header(("authorization", format!("Bearer {token}"))),
        )
        .await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.send(
            TestRequest::post()
                .uri(path)
                .insert_header(("authorization", format!("Bearer {token}")))
                .set_json(body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, token: &str, etag: Option<&str>, body: &Value) -> Resp {
        let mut req = TestRequest::patch()
            .uri(path)
            .insert_header(("authorization", format!("Bearer {token}")))
            .set_json(body);
        if let Some(tag) = etag {
            req = req.insert_header(("if-match", tag.to_owned()));
        }
        self.send(req).await
    }

    pub async fn login_full(&self, username: &str, password: &str) -> Resp {
        self.send(
            TestRequest::post()
                .uri("/api/v1/auth/login")
                .set_json(serde_json::json!({"username": username, "password": password})),
        )
        .await
    }

    /// Logs in a demo user (admin has its own password) and returns the access token.
    pub async fn login(&self, username: &str) -> String {
        let password = if username == "admin" {
            ADMIN_PASSWORD
        } else {
            DEMO_PASSWORD
        };
        let r = self.login_full(username, password).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.text());
        r.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The id of the (first) row of a list whose `field` equals `value`, seen as `token`'s user.
    pub async fn find_id(&self, list: &str, token: &str, field: &str, value: &str) -> i64 {
        let r = self.get(&format!("{list}?limit=500"), token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i[field] == value))
            .and_then(|i| i["id"].as_i64())
            .unwrap_or_else(|| panic!("no {value} in {list}"))
    }

    /// Runs the start-up (migrations, derived columns, bootstrap) again on this database, as a
    /// restart of the server would.
    pub fn restart(&self) {
        let dir = std::env::temp_dir().join(format!(
            "zhucun-test-restart-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let config = Config {
            database_url: self.database_url.clone(),
            bind: "127.0.0.1:0".to_owned(),
            data_dir: dir.clone(),
            jwt_secret: Some(JWT_SECRET.to_owned()),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            demo_password: Some(DEMO_PASSWORD.to_owned()),
            department_name: None,
            static_dir: None,
            pool_size: 1,
            workers: Some(1),
            limits: Default::default(),
        };
        prepare(&config, true).unwrap_or_else(|e| panic!("prepare again: {e}"));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Refreshes the region statistics now (after [`TestApp::sql`], whose writes leave no audit
    /// entry for the summary to notice).
    pub fn refresh_stats(&self) {
        let url = zhucun_persistence::DatabaseUrl::parse(&self.database_url)
            .unwrap_or_else(|e| panic!("{e}"));
        let db = zhucun_persistence::Db::open(url, 1).unwrap_or_else(|e| panic!("{e}"));
        zhucun_api::stats_summary::refresh(&db, zhucun_api::stats_summary::Policy::Always)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs raw SQL on the test's database (for checks the API cannot make).
    pub fn sql(&self, statement: &str) -> Result<(), String> {
        use diesel::connection::SimpleConnection;
        let url = zhucun_persistence::DatabaseUrl::parse(&self.database_url)
            .map_err(|e| e.to_string())?;
        let manager = zhucun_persistence::db::Manager::new(url);
        let mut conn = manager.establish().map_err(|e| e.to_string())?;
        conn.batch_execute(statement).map_err(|e| e.to_string())
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[actix_rt::test]
            async fn sqlite() {
                let app = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite).await;
                ($body)(app).await;
            }

            #[actix_rt::test]
            async fn postgres() {
                let app = $crate::common::TestApp::spawn($crate::common::Backend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}
