//! What an attacker probing the running server found (issue 6), each on SQLite and PostgreSQL.

use crate::both_backends;
use crate::common::*;
use futures_util::future::{join, join_all};
use serde_json::json;
use std::cell::Cell;
use zhucun_domain::auth::FREE_FAILURES;
use zhucun_persistence::sessions::{self, ThrottleRow};
use zhucun_persistence::{DatabaseUrl, DbConnection};

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

// 1. Parallel guesses: only the allowed number is checked, whatever the concurrency.

both_backends!(
    parallel_wrong_passwords_are_checked_only_up_to_the_budget,
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

both_backends!(
    a_right_password_after_the_budget_in_a_burst_is_refused,
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

both_backends!(
    current_password_guesses_count_against_the_login_throttle,
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
