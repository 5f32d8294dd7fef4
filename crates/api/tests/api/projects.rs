//! 驻村项目: the stage machine over HTTP as a table (every stage × every target × every mover →
//! 200 or 409 with the right `allowed`), events, stage-gated edits, bad input, access of events.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};

const STAGES: [&str; 8] = [
    "proposed",
    "mature",
    "declared",
    "coordinating",
    "implementing",
    "completed",
    "accepted",
    "cancelled",
];

/// The stages a mover may move a project at `stage` to (written from the issue, not the code).
fn expected(stage: &str, mover: &str) -> Vec<&'static str> {
    let table: &[(&str, &str, &[&'static str])] = &[
        ("proposed", "member", &["mature", "cancelled"]),
        ("proposed", "leader", &["mature", "cancelled"]),
        ("mature", "leader", &["proposed", "declared", "cancelled"]),
        (
            "declared",
            "department",
            &["mature", "coordinating", "cancelled"],
        ),
        (
            "coordinating",
            "department",
            &["declared", "implementing", "cancelled"],
        ),
        (
            "implementing",
            "department",
            &["coordinating", "completed", "cancelled"],
        ),
        (
            "completed",
            "department",
            &["implementing", "accepted", "cancelled"],
        ),
    ];
    table
        .iter()
        .find(|(s, m, _)| *s == stage && *m == mover)
        .map(|(_, _, a)| a.to_vec())
        .unwrap_or_default()
}

fn body(village: i64, title: &str) -> Value {
    json!({"village_id": village, "year": 2019, "title": title, "category": "infrastructure",
        "budget_fen": 12_345_600, "beneficiaries": {"households": 20, "people": 90},
        "description": "修建机井"})
}

/// A team user for a member (not the leader) of 马格达村's running team.
async fn member_token(app: &TestApp, admin: &str, magada: i64) -> String {
    let teams = app
        .get(
            &format!("/api/v1/teams?village_id={magada}&limit=500"),
            admin,
        )
        .await
        .json();
    let team = teams["items"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "驻马格达村工作队"))
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("no running team: {teams}"));
    let members = app
        .get(&format!("/api/v1/teams/{team}/members?limit=500"), admin)
        .await
        .json();
    let cadre = members["items"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["is_leader"] == false))
        .and_then(|m| m["cadre_id"].as_i64())
        .unwrap_or_else(|| panic!("no member: {members}"));
    let r = app
        .post(
            "/api/v1/users",
            admin,
            &json!({"username": "team_member_magada", "display_name": "队员", "role": "team",
                "password": DEMO_PASSWORD, "cadre_id": cadre}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    app.login("team_member_magada").await
}

/// Creates a project in 马格达村 (as the department) and moves it to `stage` by the path the
/// machine allows (the department moves past declared; the leader up to it).
async fn at_stage(
    app: &TestApp,
    tokens: &[(&str, String)],
    magada: i64,
    n: usize,
    stage: &str,
) -> (i64, String) {
    let dept = &tokens[2].1;
    let leader = &tokens[1].1;
    let r = app
        .post("/api/v1/projects", dept, &body(magada, &format!("表{n}")))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap_or(0);
    let mut etag = r.header("etag");
    let path: Vec<&str> = if stage == "cancelled" {
        vec!["cancelled"]
    } else {
        STAGES[1..=STAGES.iter().position(|s| *s == stage).unwrap_or(0)].to_vec()
    };
    for to in path {
        let who = if matches!(to, "mature" | "declared" | "cancelled") {
            leader
        } else {
            dept
        };
        let r = transition(app, who, id, etag.as_deref(), to, None).await;
        assert_eq!(r.status, 200, "to {to}: {}", r.text());
        etag = r.header("etag");
    }
    (id, etag.unwrap_or_default())
}

async fn transition(
    app: &TestApp,
    token: &str,
    id: i64,
    etag: Option<&str>,
    to: &str,
    comment: Option<&str>,
) -> Resp {
    let mut req = actix_web::test::TestRequest::post()
        .uri(&format!("/api/v1/projects/{id}/transitions"))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .set_json(json!({"to": to, "comment": comment}));
    if let Some(e) = etag {
        req = req.insert_header(("If-Match", e.to_owned()));
    }
    app.send(req).await
}

async fn events(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/projects/{id}/events"), token)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

both_backends!(the_stage_machine_over_http, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let member = member_token(&app, &admin, magada).await;
    let tokens: Vec<(&str, String)> = vec![
        ("member", member),
        ("leader", app.login("team_magada").await),
        ("department", app.login("office_staff").await),
        ("other", admin.clone()),
        ("other", app.login("committee_magada").await),
    ];
    let mut n = 0;
    for stage in STAGES {
        // One project at this stage; every refused move leaves it there, so it serves all the
        // refusals; each allowed move gets a fresh project at the stage.
        n += 1;
        let (id, etag) = at_stage(&app, &tokens, magada, n, stage).await;
        for (mover, token) in &tokens {
            let allowed = expected(stage, mover);
            // What a page offers as buttons is exactly what the machine allows.
            let offered = app
                .get(&format!("/api/v1/projects/{id}/transitions"), token)
                .await;
            assert_eq!(offered.status, 200, "{}", offered.text());
            let offered = offered.json();
            let tos: Vec<&str> = offered["items"]
                .as_array()
                .map(|a| a.iter().filter_map(|m| m["to"].as_str()).collect())
                .unwrap_or_default();
            assert_eq!(tos, allowed, "{stage} by {mover}: {offered}");
            for m in offered["items"].as_array().into_iter().flatten() {
                assert_eq!(m["comment_required"], m["kind"] == "return", "{m}");
            }
            for to in STAGES {
                if allowed.contains(&to) {
                    continue;
                }
                let r = transition(&app, token, id, Some(&etag), to, Some("说明")).await;
                let p = r.assert_problem(409, "conflict");
                assert_eq!(p["code"], "illegal_transition");
                assert_eq!(
                    p["allowed"],
                    json!(allowed),
                    "{stage} → {to} by {mover}: {p}"
                );
            }
        }
        for (mover, token) in &tokens {
            for to in expected(stage, mover) {
                n += 1;
                let (id, etag) = at_stage(&app, &tokens, magada, n, stage).await;
                let before = events(&app, &admin, id).await.len();
                let r = transition(&app, token, id, Some(&etag), to, Some("退回补充材料")).await;
                assert_eq!(r.status, 200, "{stage} → {to} by {mover}: {}", r.text());
                assert_eq!(r.json()["stage"], to);
                let ev = events(&app, &admin, id).await;
                assert_eq!(ev.len(), before + 1);
                let last = &ev[ev.len() - 1];
                assert_eq!(
                    (last["from"].as_str(), last["to"].as_str()),
                    (Some(stage), Some(to))
                );
                assert_eq!(last["comment"], "退回补充材料");
            }
        }
    }
});

both_backends!(moves_are_events_and_guarded, |app: TestApp| async move {
    let team = app.login("team_magada").await;
    let dept = app.login("office_staff").await;
    let magada = app
        .find_id("/api/v1/villages", &team, "name", "马格达村")
        .await;
    let r = app
        .post("/api/v1/projects", &team, &body(magada, "机井维修"))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let p = r.json();
    assert_eq!(p["stage"], "proposed");
    assert_eq!(p["iati_status"], "pipeline");
    assert_eq!(p["iati_status_code"], 1);
    assert_eq!(p["beneficiaries"]["people"], 90);
    let id = p["id"].as_i64().unwrap_or(0);
    let etag = r.header("etag");
    // Without If-Match, with a stale one, with an unknown stage: nothing moves.
    transition(&app, &team, id, None, "mature", None)
        .await
        .assert_problem(400, "validation");
    transition(&app, &team, id, Some("\"99\""), "mature", None)
        .await
        .assert_problem(412, "precondition-failed");
    transition(&app, &team, id, etag.as_deref(), "done", None)
        .await
        .assert_problem(400, "validation");
    assert!(events(&app, &team, id).await.is_empty());
    // Forward, then a return without a comment (400) and with one.
    let r = transition(&app, &team, id, etag.as_deref(), "mature", Some("可研完成")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let etag = r.header("etag");
    let bad = transition(&app, &team, id, etag.as_deref(), "proposed", Some("  ")).await;
    assert_eq!(
        bad.assert_problem(400, "validation")["errors"][0]["field"],
        "comment"
    );
    let r = transition(
        &app,
        &team,
        id,
        etag.as_deref(),
        "proposed",
        Some("资料不全"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let ev = events(&app, &team, id).await;
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0]["actor_username"], "team_magada");
    assert_eq!(
        (ev[1]["from"].clone(), ev[1]["to"].clone()),
        (json!("mature"), json!("proposed"))
    );
    // The moves are audited.
    let admin = app.login("admin").await;
    let audit = app
        .get("/api/v1/audit?entity=project&limit=500", &admin)
        .await
        .json();
    let transitions = audit["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| {
                    e["action"] == "transition"
                        && (e["entity_id"] == json!(id.to_string()) || e["entity_id"] == json!(id))
                })
                .count()
        })
        .unwrap_or(0);
    assert_eq!(transitions, 2, "{audit}");
    // Events are append-only in the database too.
    assert!(app.sql("UPDATE project_events SET comment = 'x'").is_err());
    assert!(app.sql("DELETE FROM project_events").is_err());
    // Edits: the team while early, then only the department, then nobody.
    let etag = r.header("etag");
    let r = app
        .patch(
            &format!("/api/v1/projects/{id}"),
            &team,
            etag.as_deref(),
            &json!({"budget_fen": 100}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mut etag = r.header("etag");
    for (who, to) in [
        (&team, "mature"),
        (&team, "declared"),
        (&dept, "coordinating"),
    ] {
        let r = transition(&app, who, id, etag.as_deref(), to, None).await;
        assert_eq!(r.status, 200, "{}", r.text());
        etag = r.header("etag");
    }
    assert_eq!(
        app.patch(
            &format!("/api/v1/projects/{id}"),
            &team,
            etag.as_deref(),
            &json!({"budget_fen": 200}),
        )
        .await
        .assert_problem(409, "conflict")["code"],
        "project_past_declared"
    );
    let r = transition(&app, &dept, id, etag.as_deref(), "cancelled", None).await;
    assert_eq!(r.json()["iati_status"], "cancelled");
    let etag = r.header("etag");
    assert_eq!(
        app.patch(
            &format!("/api/v1/projects/{id}"),
            &dept,
            etag.as_deref(),
            &json!({"budget_fen": 200}),
        )
        .await
        .assert_problem(409, "conflict")["code"],
        "project_final"
    );
});

async fn count(app: &TestApp, token: &str, village: i64) -> usize {
    app.get(
        &format!("/api/v1/projects?village_id={village}&limit=500"),
        token,
    )
    .await
    .json()["items"]
        .as_array()
        .map_or(0, Vec::len)
}

both_backends!(
    bad_projects_are_refused_and_write_nothing,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let before = count(&app, &team, magada).await;
        let cases: [(Value, &str); 7] = [
            (json!({"title": "  "}), "title"),
            (json!({"category": "roads"}), "category"),
            (json!({"year": 2005}), "year"),
            (json!({"budget_fen": -1}), "budget_fen"),
            (
                json!({"beneficiaries": {"people": -3}}),
                "beneficiaries.people",
            ),
            (json!({"funding_source": "财政\u{7}资金"}), "funding_source"),
            (json!({"team_id": 999_999}), "team_id"),
        ];
        for (change, field) in cases {
            let mut b = body(magada, "坏项目");
            if let (Some(o), Some(c)) = (b.as_object_mut(), change.as_object()) {
                for (k, v) in c {
                    o.insert(k.clone(), v.clone());
                }
            }
            let r = app.post("/api/v1/projects", &team, &b).await;
            let p = r.assert_problem(400, "validation");
            let fields: Vec<&str> = p["errors"]
                .as_array()
                .map(|e| e.iter().filter_map(|x| x["field"].as_str()).collect())
                .unwrap_or_default();
            assert!(fields.contains(&field), "{change}: {p}");
        }
        let mut b = body(magada, "坏项目");
        b["stage"] = json!("accepted");
        app.post("/api/v1/projects", &team, &b)
            .await
            .assert_problem(400, "validation");
        app.get("/api/v1/projects?stage=done", &team)
            .await
            .assert_problem(400, "validation");
        assert_eq!(count(&app, &team, magada).await, before);
    }
);

both_backends!(lists_filter_and_sort, |app: TestApp| async move {
    let dept = app.login("office_staff").await;
    let all = app
        .get(
            "/api/v1/projects?year=2019&category=infrastructure&limit=500",
            &dept,
        )
        .await;
    assert_eq!(all.status, 200, "{}", all.text());
    let items = all.json()["items"].as_array().cloned().unwrap_or_default();
    // FIGURES-2019 row 9: the current villages' 2019 infrastructure, 1,000,000–1,099,999 yuan.
    let current = ["马格达村", "亚卡亚村", "下地村", "琼果村"];
    let sum: i64 = items
        .iter()
        .filter(|p| current.contains(&p["village_name"].as_str().unwrap_or("")))
        .filter_map(|p| p["budget_fen"].as_i64())
        .sum();
    assert!((100_000_000..110_000_000).contains(&sum), "{sum}");
    let by_budget = app
        .get("/api/v1/projects?sort=-budget&limit=3", &dept)
        .await
        .json();
    let budgets: Vec<i64> = by_budget["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|p| p["budget_fen"].as_i64()).collect())
        .unwrap_or_default();
    assert!(budgets.windows(2).all(|w| w[0] >= w[1]), "{budgets:?}");
    let next = by_budget["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let page2 = app
        .get(
            &format!("/api/v1/projects?sort=-budget&limit=3&cursor={next}"),
            &dept,
        )
        .await;
    assert_eq!(page2.status, 200, "{}", page2.text());
    // `q` finds a title by a part of it (藏餐, percent-encoded).
    let found = app
        .get("/api/v1/projects?q=%E8%97%8F%E9%A4%90&limit=500", &dept)
        .await
        .json();
    let titles: Vec<&str> = found["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|p| p["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(titles, ["琼果村集体藏餐馆"], "{found}");
    let r = app
        .get("/api/v1/projects?stage=completed&limit=500", &dept)
        .await
        .json();
    assert!(r["items"]
        .as_array()
        .is_some_and(|i| i.iter().any(|p| p["title"] == "琼果村集体藏餐馆")));
});

both_backends!(events_follow_access, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let jt = app.login("jt_admin").await;
    let regional = app.login("regional").await;
    let committee = app.login("committee_magada").await;
    let team = app.login("team_magada").await;
    let magada_done = app
        .find_id(
            "/api/v1/projects",
            &admin,
            "title",
            "马格达村新村委会基础设施建设",
        )
        .await;
    let yakaya = app
        .find_id(
            "/api/v1/projects",
            &admin,
            "title",
            "亚卡亚村养殖专业合作社养殖项目",
        )
        .await;
    let ev = events(&app, &committee, magada_done).await;
    let path: Vec<&str> = ev.iter().filter_map(|e| e["to"].as_str()).collect();
    assert_eq!(
        path,
        [
            "mature",
            "declared",
            "coordinating",
            "implementing",
            "completed",
            "accepted"
        ]
    );
    for (token, id) in [
        (&team, yakaya),
        (&jt, magada_done),
        (&regional, magada_done),
    ] {
        app.get(&format!("/api/v1/projects/{id}/events"), token)
            .await
            .assert_problem(404, "not-found");
        transition(&app, token, id, Some("\"1\""), "cancelled", None)
            .await
            .assert_problem(404, "not-found");
    }
});
