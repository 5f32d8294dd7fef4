//! List totals: `{count, exact}` on the first page, counted with the list's filters and bounded
//! at 1000; later pages leave it out.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};

/// Walks a list with `limit=2`; gives the first page's total and the number of items walked,
/// checking that later pages carry no total.
async fn total_and_walked(app: &TestApp, token: &str, path: &str) -> (Value, usize) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let first = app.get(&format!("{path}{sep}limit=2"), token).await;
    assert_eq!(first.status, 200, "{path}: {}", first.text());
    let first = first.json();
    let total = first["total"].clone();
    let mut walked = first["items"].as_array().map(Vec::len).unwrap_or(0);
    let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = app
            .get(&format!("{path}{sep}limit=2&cursor={c}"), token)
            .await
            .json();
        assert_eq!(
            page["total"],
            Value::Null,
            "{path}: later pages skip the count"
        );
        walked += page["items"].as_array().map(Vec::len).unwrap_or(0);
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        assert!(walked < 5000, "runaway paging on {path}");
    }
    (total, walked)
}

both_backends!(
    first_pages_carry_the_filtered_total,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let team_id = app.get("/api/v1/teams?limit=1", &admin).await.json()["items"][0]["id"]
            .as_i64()
            .unwrap();
        let village_id = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let lists = [
            "/api/v1/villages".to_owned(),
            "/api/v1/villages?active=false".to_owned(),
            "/api/v1/villages?q=cun&sort=-county".to_owned(),
            "/api/v1/cadres".to_owned(),
            "/api/v1/cadres?q=zhaxi".to_owned(),
            "/api/v1/offices".to_owned(),
            "/api/v1/rounds".to_owned(),
            "/api/v1/rounds?active=true".to_owned(),
            "/api/v1/teams".to_owned(),
            "/api/v1/teams?sort=village&active=true".to_owned(),
            format!("/api/v1/teams?village_id={village_id}"),
            format!("/api/v1/teams/{team_id}/members"),
            "/api/v1/users".to_owned(),
            "/api/v1/users?role=team".to_owned(),
            "/api/v1/surveys".to_owned(),
            format!("/api/v1/surveys?village_id={village_id}&sort=village"),
            "/api/v1/audit".to_owned(),
            "/api/v1/audit?entity=village".to_owned(),
            "/api/v1/departments".to_owned(),
        ];
        let mut nonempty = 0;
        for path in &lists {
            let (total, walked) = total_and_walked(&app, &admin, path).await;
            assert_eq!(
                total,
                json!({"count": walked, "exact": true}),
                "{path}: total = items walked"
            );
            if walked > 2 {
                nonempty += 1;
            }
        }
        assert!(nonempty >= 10, "most lists span several pages");
    }
);

both_backends!(
    totals_above_the_cap_are_not_exact,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let dept = app.get("/api/v1/me", &admin).await.json()["department_id"]
            .as_i64()
            .unwrap_or(1);
        let before = app.get("/api/v1/audit?entity=bulk", &admin).await.json();
        assert_eq!(before["total"], json!({"count": 0, "exact": true}));
        // 1000 entries exactly, then one more.
        let insert = |n: i64| {
            format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             INSERT INTO audit_entries (department_id, actor_username, action, entity, entity_id, at, request_id) \
             SELECT {dept}, 'test', 'create', 'bulk', CAST(i AS TEXT), CURRENT_TIMESTAMP, 'bulk' FROM n"
        )
        };
        app.sql(&insert(1000)).unwrap();
        let at_cap = app
            .get("/api/v1/audit?entity=bulk&limit=1", &admin)
            .await
            .json();
        assert_eq!(at_cap["total"], json!({"count": 1000, "exact": true}));
        app.sql(&insert(1)).unwrap();
        let over = app
            .get("/api/v1/audit?entity=bulk&limit=1", &admin)
            .await
            .json();
        assert_eq!(over["total"], json!({"count": 1000, "exact": false}));
        let later = app
            .get(
                &format!(
                    "/api/v1/audit?entity=bulk&limit=1&cursor={}",
                    over["next_cursor"].as_str().unwrap()
                ),
                &admin,
            )
            .await
            .json();
        assert_eq!(later["total"], Value::Null);
    }
);
