//! 四议两公开 over HTTP: the six steps in order (409 `decision_step_out_of_order` naming the next
//! step), stopped decisions (409 `decision_stopped`), the vote arithmetic at its boundaries
//! (exactly ⅔ present, one short, a tie, the department's quorum), steps 5 and 6 publishing a
//! disclosure, who records steps (the committee; the team is refused with `committee_only`), the
//! demo's decisions, and bad input → 400 with nothing written.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};

/// A problem of this status whose specific `code` is this.
trait Refused {
    fn refused(&self, status: u16, code: &str) -> Value;
}

impl Refused for Resp {
    fn refused(&self, status: u16, code: &str) -> Value {
        let kind = if status == 403 {
            "forbidden"
        } else {
            "conflict"
        };
        let p = self.assert_problem(status, kind);
        assert_eq!(p["code"], code, "{p}");
        p
    }
}

async fn village(app: &TestApp, token: &str, name: &str) -> i64 {
    app.find_id("/api/v1/villages", token, "name", name).await
}

async fn create(app: &TestApp, token: &str, village: i64, title: &str) -> i64 {
    let r = app
        .post(
            "/api/v1/decisions",
            token,
            &json!({"village_id": village, "title": title, "description": "测试事项说明",
                "estimated_amount_fen": 500_000, "raised_on": "2020-04-01"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

async fn step(app: &TestApp, token: &str, id: i64, body: &Value) -> Resp {
    app.post(&format!("/api/v1/decisions/{id}/steps"), token, body)
        .await
}

fn plain(n: i32) -> Value {
    json!({"step": n, "held_on": format!("2020-04-{:02}", 1 + n), "notes": format!("第{n}步记录")})
}

fn vote(n: i32, entitled: i64, present: i64, in_favour: i64) -> Value {
    json!({"step": n, "held_on": format!("2020-04-{:02}", 1 + n), "entitled": entitled,
        "present": present, "in_favour": in_favour, "notes": "表决"})
}

/// A decision brought through steps 1 and 2.
async fn at_review(app: &TestApp, token: &str, village: i64, title: &str) -> i64 {
    let id = create(app, token, village, title).await;
    for n in 1..=2 {
        let r = step(app, token, id, &plain(n)).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
    id
}

async fn count(app: &TestApp, token: &str, village: i64) -> i64 {
    app.get(
        &format!("/api/v1/decisions?village_id={village}&limit=1"),
        token,
    )
    .await
    .json()["total"]["count"]
        .as_i64()
        .unwrap()
}

both_backends!(six_steps_in_order, |app: TestApp| async move {
    let c = app.login("committee_magada").await;
    let magada = village(&app, &c, "马格达村").await;
    let id = create(&app, &c, magada, "村委会门前硬化").await;
    let d = app.get(&format!("/api/v1/decisions/{id}"), &c).await.json();
    assert_eq!(d["status"], "in_progress");
    assert_eq!(d["last_step"], 0);
    assert_eq!(d["next_step"], 1);
    assert_eq!(d["next_step_code"], "proposal");
    // Out of order: step 3 before step 1 names step 1.
    let r = step(&app, &c, id, &vote(3, 30, 30, 30)).await;
    let p = r.refused(409, "decision_step_out_of_order");
    assert_eq!(p["params"]["next_step"], "1", "{p}");
    assert_eq!(p["params"]["next_step_code"], "proposal", "{p}");
    for n in 1..=2 {
        let r = step(&app, &c, id, &plain(n)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["next_step"], n + 1);
    }
    // Step 2 again: out of order, naming 3.
    let p = step(&app, &c, id, &plain(2))
        .await
        .refused(409, "decision_step_out_of_order");
    assert_eq!(p["params"]["next_step"], "3");
    let r = step(&app, &c, id, &vote(3, 30, 20, 11)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let s3 = r.json()["steps"][2].clone();
    assert_eq!(s3["code"], "party_review");
    assert_eq!(s3["quorate"], true);
    assert_eq!(s3["passed"], true);
    let r = step(&app, &c, id, &vote(4, 100, 50, 26)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "in_progress");
    // Steps 5 and 6 need the text they publish.
    let r = step(&app, &c, id, &json!({"step": 5, "held_on": "2020-04-06"})).await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["field"], "notes");
    let r = step(&app, &c, id, &plain(5)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let disclosure = r.json()["steps"][4]["disclosure_id"].as_i64().unwrap();
    let dis = app
        .get(&format!("/api/v1/disclosures/{disclosure}"), &c)
        .await
        .json();
    assert_eq!(dis["category"], "decision");
    assert_eq!(dis["status"], "published");
    assert_eq!(dis["decision_id"], id);
    assert_eq!(dis["decision_step"], 5);
    assert_eq!(dis["body"], "第5步记录");
    assert_eq!(dis["published_on"], "2020-04-06");
    let r = step(&app, &c, id, &plain(6)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.json();
    assert_eq!(d["status"], "completed");
    assert_eq!(d["next_step"], Value::Null);
    assert_eq!(d["steps"].as_array().map(Vec::len), Some(6));
    assert!(d["steps"][5]["disclosure_id"].is_i64());
    // Completed: nothing more, and its text is fixed.
    let p = step(&app, &c, id, &plain(6))
        .await
        .refused(409, "decision_stopped");
    assert_eq!(p["params"]["status"], "completed");
    app.patch(
        &format!("/api/v1/decisions/{id}"),
        &c,
        None,
        &json!({"title": "改名"}),
    )
    .await
    .refused(409, "decision_stopped");
    // A stale If-Match is a 412 and writes nothing.
    let other = create(&app, &c, magada, "另一事项").await;
    let r = app
        .send(
            actix_web::test::TestRequest::post()
                .uri(&format!("/api/v1/decisions/{other}/steps"))
                .insert_header(("authorization", format!("Bearer {c}")))
                .insert_header(("if-match", "\"9\""))
                .set_json(plain(1)),
        )
        .await;
    assert_eq!(r.status, 412, "{}", r.text());
    let d = app
        .get(&format!("/api/v1/decisions/{other}"), &c)
        .await
        .json();
    assert_eq!(d["last_step"], 0);
});

both_backends!(
    the_party_members_review_at_its_boundaries,
    |app: TestApp| async move {
        let c = app.login("committee_magada").await;
        let magada = village(&app, &c, "马格达村").await;
        // (members, present, in favour) → passes?
        let cases: [(i64, i64, i64, bool, &str); 5] = [
            (
                30,
                20,
                11,
                true,
                "exactly ⅔ present, one more than half in favour",
            ),
            (30, 19, 19, false, "one short of ⅔ present"),
            (30, 20, 10, false, "a tie"),
            (10, 7, 4, true, "⅔ of 10 rounds up to 7"),
            (10, 6, 6, false, "6 of 10 is under ⅔"),
        ];
        for (i, (members, present, favour, passes, why)) in cases.into_iter().enumerate() {
            let id = at_review(&app, &c, magada, &format!("审议边界{i}")).await;
            let r = step(&app, &c, id, &vote(3, members, present, favour)).await;
            assert_eq!(r.status, 200, "{why}: {}", r.text());
            let d = r.json();
            let expected = if passes { "in_progress" } else { "rejected" };
            assert_eq!(d["status"], expected, "{why}: {d}");
            assert_eq!(d["steps"][2]["passed"], passes, "{why}");
            if !passes {
                // Stopped: step 4 is refused, and so is a change.
                let p = step(&app, &c, id, &vote(4, 100, 60, 50))
                    .await
                    .refused(409, "decision_stopped");
                assert_eq!(p["params"]["status"], "rejected");
                assert_eq!(d["next_step"], Value::Null);
            }
        }
    }
);

both_backends!(
    the_villagers_meeting_follows_the_department_s_quorum,
    |app: TestApp| async move {
        let c = app.login("committee_magada").await;
        let admin = app.login("admin").await;
        let magada = village(&app, &c, "马格达村").await;
        let resolve = |title: &'static str, present: i64, favour: i64| {
            let (app, c) = (&app, &c);
            async move {
                let id = at_review(app, c, magada, title).await;
                let r = step(app, c, id, &vote(3, 10, 10, 10)).await;
                assert_eq!(r.status, 200, "{}", r.text());
                let r = step(app, c, id, &vote(4, 120, present, favour)).await;
                assert_eq!(r.status, 200, "{}", r.text());
                r.json()["status"].as_str().unwrap().to_owned()
            }
        };
        // Default 50 %: 60 of 120 is enough, 59 is not; a tie is not a majority.
        assert_eq!(resolve("决议一", 60, 31).await, "in_progress");
        assert_eq!(resolve("决议二", 59, 59).await, "rejected");
        assert_eq!(resolve("决议三", 60, 30).await, "rejected");
        // The department asks for ⅔ (67 %): 80 of 120 is short (80 × 100 < 67 × 120).
        let dept = app.get("/api/v1/departments", &admin).await.json()["items"][0].clone();
        assert_eq!(dept["settings"]["villagers_quorum_percent"], 50);
        assert_eq!(dept["settings"]["major_disclosure_days"], 7);
        let id = dept["id"].as_i64().unwrap();
        let mut settings = dept["settings"].clone();
        settings["villagers_quorum_percent"] = json!(67);
        let r = app
            .patch(
                &format!("/api/v1/departments/{id}"),
                &admin,
                None,
                &json!({"settings": settings}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["settings"]["villagers_quorum_percent"], 67);
        assert_eq!(resolve("决议四", 80, 80).await, "rejected");
        assert_eq!(resolve("决议五", 81, 41).await, "in_progress");
        // A settings patch without the new fields leaves them as they are; out of range is a 400.
        let r = app
        .patch(
            &format!("/api/v1/departments/{id}"),
            &admin,
            None,
            &json!({"settings": {"min_days_in_village": 20, "local_leave_max_days": 3, "min_team_size": 3}}),
        )
        .await;
        assert_eq!(r.json()["settings"]["villagers_quorum_percent"], 67);
        let r = app
        .patch(
            &format!("/api/v1/departments/{id}"),
            &admin,
            None,
            &json!({"settings": {"min_days_in_village": 20, "local_leave_max_days": 3, "min_team_size": 3,
                "villagers_quorum_percent": 0, "major_disclosure_days": 61}}),
        )
        .await;
        let p = r.assert_problem(400, "validation");
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "settings.villagers_quorum_percent",
                "settings.major_disclosure_days"
            ]
        );
    }
);

both_backends!(the_committee_records_the_steps, |app: TestApp| async move {
    let c = app.login("committee_magada").await;
    let team = app.login("team_magada").await;
    let dept = app.login("office_staff").await;
    let magada = village(&app, &c, "马格达村").await;
    // The team helps: it puts a matter on record and corrects it ...
    let id = create(&app, &team, magada, "队员协助录入的事项").await;
    let r = app
        .patch(
            &format!("/api/v1/decisions/{id}"),
            &team,
            Some("\"1\""),
            &json!({"description": "补充说明"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // ... but a step is the committee's.
    step(&app, &team, id, &plain(1))
        .await
        .refused(403, "committee_only");
    step(&app, &dept, id, &plain(1))
        .await
        .assert_problem(403, "forbidden");
    // Another village's decision does not exist for the committee.
    let admin = app.login("admin").await;
    let other = app
        .find_id("/api/v1/decisions", &admin, "title", "夏季牧场轮牧方案")
        .await;
    assert_eq!(step(&app, &c, other, &plain(2)).await.status, 404);
    let d = app.get(&format!("/api/v1/decisions/{id}"), &c).await.json();
    assert_eq!(d["last_step"], 0);
    assert_eq!(d["version"], 2);
});

both_backends!(bad_input_writes_nothing, |app: TestApp| async move {
    let c = app.login("committee_magada").await;
    let magada = village(&app, &c, "马格达村").await;
    let before = count(&app, &c, magada).await;
    let bad = [
        (
            json!({"village_id": magada, "title": " ", "description": "x", "raised_on": "2020-01-01"}),
            "title",
        ),
        (
            json!({"village_id": magada, "title": "t", "description": "x", "raised_on": "2010-01-01"}),
            "raised_on",
        ),
        (
            json!({"village_id": magada, "title": "t", "description": "x", "raised_on": "2020-01-01",
            "estimated_amount_fen": -1}),
            "estimated_amount_fen",
        ),
        (
            json!({"village_id": magada, "title": "t", "description": "", "raised_on": "2020-01-01"}),
            "description",
        ),
    ];
    for (body, field) in bad {
        let p = app
            .post("/api/v1/decisions", &c, &body)
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], field, "{p}");
    }
    assert_eq!(count(&app, &c, magada).await, before);
    // Steps: numbers that do not add up, a step that is not 1–6, a day in the future or before
    // the previous step's.
    let id = at_review(&app, &c, magada, "坏输入").await;
    let bad = [
        (
            json!({"step": 3, "held_on": "2020-04-05", "entitled": 10, "present": 11, "in_favour": 5}),
            "present",
        ),
        (
            json!({"step": 3, "held_on": "2020-04-05", "entitled": 10, "present": 8, "in_favour": 5, "against": 4}),
            "in_favour",
        ),
        (
            json!({"step": 3, "held_on": "2020-04-05", "present": 8, "in_favour": 5}),
            "entitled",
        ),
        (
            json!({"step": 3, "held_on": "2020-04-05", "entitled": 0, "present": 0, "in_favour": 0}),
            "entitled",
        ),
        (json!({"step": 7, "held_on": "2020-04-05"}), "step"),
        (
            json!({"step": 3, "held_on": "2999-01-01", "entitled": 10, "present": 8, "in_favour": 5}),
            "held_on",
        ),
        (
            json!({"step": 3, "held_on": "2020-04-01", "entitled": 10, "present": 8, "in_favour": 5}),
            "held_on",
        ),
    ];
    for (body, field) in bad {
        let p = step(&app, &c, id, &body)
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], field, "{body}: {p}");
    }
    let r = step(&app, &c, id, &json!({"step": "three"})).await;
    assert_eq!(r.status, 400, "{}", r.text());
    let d = app.get(&format!("/api/v1/decisions/{id}"), &c).await.json();
    assert_eq!(d["last_step"], 2);
    assert_eq!(d["version"], 3);
    // Bad filters.
    app.get("/api/v1/decisions?status=maybe", &c)
        .await
        .assert_problem(400, "validation");
    app.get("/api/v1/decisions?year=1999", &c)
        .await
        .assert_problem(400, "validation");
});

both_backends!(
    the_demo_has_decisions_at_every_step,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let all = app
            .get("/api/v1/decisions?year=2019&limit=100", &dept)
            .await
            .json();
        let items = all["items"].as_array().unwrap();
        let mut steps: Vec<i64> = items
            .iter()
            .filter(|d| d["status"] != "rejected")
            .filter_map(|d| d["last_step"].as_i64())
            .collect();
        steps.sort_unstable();
        steps.dedup();
        assert_eq!(steps, [0, 1, 2, 3, 4, 5, 6], "{all}");
        let rejected: Vec<&Value> = items.iter().filter(|d| d["status"] == "rejected").collect();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0]["last_step"], 3);
        assert_eq!(rejected[0]["steps"][2]["quorate"], true);
        assert_eq!(rejected[0]["steps"][2]["passed"], false);
        let filtered = app
            .get("/api/v1/decisions?status=rejected", &dept)
            .await
            .json();
        assert_eq!(filtered["items"].as_array().map(Vec::len), Some(1));
        // Another department's decisions are not listed.
        assert!(items.iter().all(|d| d["title"] != "村口便桥维修"));
    }
);
