//! 群众诉求: raising and reading needs, the state machine over HTTP as a table (every status ×
//! every target → 200 or 409 `illegal_transition` with the right `allowed`), reasons and
//! resolutions, `If-Match`, the queue's order and the overdue filter, bad input → 400 and nothing
//! written, and who raises and moves them (the committee too).

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

const STATUSES: [&str; 4] = ["open", "in_progress", "resolved", "declined"];

/// The statuses a need at `from` may move to (written from the issue, not from the code).
fn expected(from: &str) -> &'static [&'static str] {
    match from {
        "open" => &["in_progress", "resolved", "declined"],
        "in_progress" => &["resolved", "declined"],
        _ => &[],
    }
}

/// The body of a move to `to` with what it needs.
fn move_to(to: &str) -> Value {
    match to {
        "declined" => json!({"to": to, "reason": "不属于驻村工作范围"}),
        "resolved" => json!({"to": to, "resolution": "已修复", "satisfaction": "满意"}),
        _ => json!({"to": to}),
    }
}

async fn transition(app: &TestApp, token: &str, id: i64, etag: Option<&str>, body: &Value) -> Resp {
    let mut req = TestRequest::post()
        .uri(&format!("/api/v1/needs/{id}/transitions"))
        .insert_header(("authorization", format!("Bearer {token}")))
        .set_json(body);
    if let Some(tag) = etag {
        req = req.insert_header(("if-match", tag.to_owned()));
    }
    app.send(req).await
}

async fn etag(app: &TestApp, token: &str, id: i64) -> String {
    let r = app.get(&format!("/api/v1/needs/{id}"), token).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.header("etag").unwrap()
}

async fn village(app: &TestApp, token: &str, name: &str) -> i64 {
    app.find_id("/api/v1/villages", token, "name", name).await
}

/// How many needs a village has (the list's total).
async fn count(app: &TestApp, token: &str, village: i64) -> i64 {
    app.get(
        &format!("/api/v1/needs?village_id={village}&limit=1"),
        token,
    )
    .await
    .json()["total"]["count"]
        .as_i64()
        .unwrap()
}

fn need(village: i64, description: &str) -> Value {
    json!({"village_id": village, "raised_by": "村民 顿珠", "raised_on": "2020-03-01",
        "category": "water", "description": description, "due_on": "2020-06-30"})
}

async fn raise(app: &TestApp, token: &str, body: &Value) -> i64 {
    let r = app.post("/api/v1/needs", token, body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

/// A new need brought to `status` by transitions.
async fn need_at(app: &TestApp, token: &str, village: i64, status: &str) -> i64 {
    let id = raise(app, token, &need(village, &format!("测试诉求 {status}"))).await;
    let path: &[&str] = match status {
        "open" => &[],
        "in_progress" => &["in_progress"],
        "resolved" => &["in_progress", "resolved"],
        _ => &["declined"],
    };
    for to in path {
        let tag = etag(app, token, id).await;
        let r = transition(app, token, id, Some(&tag), &move_to(to)).await;
        assert_eq!(r.status, 200, "{to}: {}", r.text());
    }
    id
}

both_backends!(raising_and_reading, |app: TestApp| async move {
    let committee = app.login("committee_magada").await;
    let dept = app.login("office_staff").await;
    let magada = village(&app, &dept, "马格达村").await;
    let households = app
        .get(
            &format!("/api/v1/households?village_id={magada}&limit=1"),
            &dept,
        )
        .await
        .json();
    let household = households["items"][0]["id"].as_i64().unwrap();
    let head = households["items"][0]["head_name"].clone();
    let body = json!({"village_id": magada, "household_id": household, "raised_on": "2020-03-01",
        "category": "road", "description": " 入户道路泥泞 ", "due_on": "2020-04-01"});
    let r = app.post("/api/v1/needs", &committee, &body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let n = r.json();
    assert_eq!(n["status"], "open");
    assert_eq!(n["village_name"], "马格达村");
    assert_eq!(n["household_id"], household);
    assert_eq!(n["household_name"], head);
    assert_eq!(n["raised_by"], Value::Null);
    assert_eq!(n["description"], "入户道路泥泞");
    assert_eq!(n["overdue"], true, "due 2020-04-01 and still open");
    assert_eq!(n["closed_on"], Value::Null);
    let id = n["id"].as_i64().unwrap();
    let r = app.get(&format!("/api/v1/needs/{id}"), &dept).await;
    assert_eq!(r.json(), n);
    // The committee corrects it (its village's people come to it).
    let r = app
        .patch(
            &format!("/api/v1/needs/{id}"),
            &committee,
            r.header("etag").as_deref(),
            &json!({"due_on": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["overdue"], false);
    assert_eq!(r.json()["version"], 2);
});

both_backends!(the_needs_machine_over_http, |app: TestApp| async move {
    let team = app.login("team_magada").await;
    let magada = village(&app, &team, "马格达村").await;
    let mut failures = Vec::new();
    for from in STATUSES {
        for to in STATUSES {
            let id = need_at(&app, &team, magada, from).await;
            let tag = etag(&app, &team, id).await;
            let r = transition(&app, &team, id, Some(&tag), &move_to(to)).await;
            let allowed = expected(from);
            if allowed.contains(&to) {
                if r.status != 200 || r.json()["status"] != to {
                    failures.push(format!("{from} → {to}: {}", r.text()));
                }
                let n = r.json();
                let closed = matches!(to, "resolved" | "declined");
                if n["closed_on"].is_null() == closed {
                    failures.push(format!("{from} → {to}: closed_on {n}"));
                }
                if to == "declined" && n["decline_reason"] != "不属于驻村工作范围" {
                    failures.push(format!("{from} → {to}: reason {n}"));
                }
                if to == "resolved" && (n["resolution"] != "已修复" || n["satisfaction"] != "满意")
                {
                    failures.push(format!("{from} → {to}: resolution {n}"));
                }
            } else {
                let p = r.json();
                if r.status != 409
                    || p["code"] != "illegal_transition"
                    || p["allowed"] != json!(allowed)
                {
                    failures.push(format!("{from} → {to}: expected 409 {allowed:?}: {p}"));
                }
                // Nothing changed.
                if etag(&app, &team, id).await != tag {
                    failures.push(format!("{from} → {to}: written"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // In Chinese, the allowed moves by their names.
    let id = need_at(&app, &team, magada, "in_progress").await;
    let tag = etag(&app, &team, id).await;
    let r = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/needs/{id}/transitions"))
                .insert_header(("authorization", format!("Bearer {team}")))
                .insert_header(("if-match", tag))
                .insert_header(("accept-language", "zh-CN"))
                .set_json(json!({"to": "open"})),
        )
        .await;
    let p = r.assert_problem(409, "conflict");
    assert!(
        p["detail"].as_str().unwrap().contains("已解决、不予办理"),
        "{p}"
    );
});

both_backends!(
    reasons_resolutions_and_versions,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = village(&app, &team, "马格达村").await;
        let id = need_at(&app, &team, magada, "in_progress").await;
        let tag = etag(&app, &team, id).await;
        let cases = [
            (json!({"to": "declined"}), "reason", "required"),
            (
                json!({"to": "declined", "reason": "  "}),
                "reason",
                "required",
            ),
            (json!({"to": "resolved"}), "resolution", "required"),
            (
                json!({"to": "resolved", "resolution": "已修复", "reason": "x"}),
                "reason",
                "not_for_status",
            ),
            (
                json!({"to": "declined", "reason": "x", "satisfaction": "满意"}),
                "satisfaction",
                "not_for_status",
            ),
            (json!({"to": "closed"}), "to", "one_of"),
            (
                json!({"to": "resolved", "resolution": "x", "note": 1}),
                "note",
                "unknown_field",
            ),
        ];
        for (body, field, code) in cases {
            let p = transition(&app, &team, id, Some(&tag), &body)
                .await
                .assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], field, "{body}: {p}");
            assert_eq!(p["errors"][0]["code"], code, "{body}: {p}");
        }
        // If-Match: required, and current.
        let p = transition(&app, &team, id, None, &move_to("resolved"))
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "If-Match");
        transition(&app, &team, id, Some("\"1\""), &move_to("resolved"))
            .await
            .assert_problem(412, "precondition-failed");
        assert_eq!(etag(&app, &team, id).await, tag, "nothing written");
        let r = transition(&app, &team, id, Some(&tag), &move_to("resolved")).await;
        assert_eq!(r.status, 200, "{}", r.text());
        // The move is audited.
        let admin = app.login("admin").await;
        let audit = app
            .get(
                &format!("/api/v1/audit?entity=need&entity_id={id}&action=transition"),
                &admin,
            )
            .await
            .json();
        assert_eq!(audit["items"].as_array().map(Vec::len), Some(2), "{audit}");
    }
);

both_backends!(
    bad_input_is_400_and_writes_nothing,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let dept = app.login("office_staff").await;
        let magada = village(&app, &dept, "马格达村").await;
        let yakaya = village(&app, &dept, "亚卡亚村").await;
        let other = app
            .get(
                &format!("/api/v1/households?village_id={yakaya}&limit=1"),
                &dept,
            )
            .await
            .json()["items"][0]["id"]
            .as_i64()
            .unwrap();
        let project = app
            .find_id("/api/v1/projects", &dept, "title", "亚卡亚村牦牛育肥基地")
            .await;
        let before = count(&app, &team, magada).await;
        let cases: Vec<(Value, &str, &str)> = vec![
            (
                json!({"raised_by": null}),
                "raised_by",
                "household_or_raised_by",
            ),
            (
                json!({"household_id": other}),
                "raised_by",
                "household_or_raised_by",
            ),
            (
                json!({"raised_by": null, "household_id": other}),
                "household_id",
                "household_other_village",
            ),
            (
                json!({"raised_by": null, "household_id": 999_999}),
                "household_id",
                "no_such",
            ),
            (
                json!({"raised_on": "2011-01-01"}),
                "raised_on",
                "before_programme",
            ),
            (json!({"due_on": "2020-02-01"}), "due_on", "before"),
            (json!({"category": "weather"}), "category", "one_of"),
            (json!({"description": " "}), "description", "empty"),
            (
                json!({"project_id": project}),
                "project_id",
                "project_other_village",
            ),
            (json!({"status": "resolved"}), "status", "unknown_field"),
        ];
        for (change, field, code) in cases {
            let mut b = need(magada, "测试");
            for (k, v) in change.as_object().unwrap() {
                b[k] = v.clone();
            }
            let p = app
                .post("/api/v1/needs", &team, &b)
                .await
                .assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], field, "{change}: {p}");
            assert_eq!(p["errors"][0]["code"], code, "{change}: {p}");
        }
        assert_eq!(count(&app, &team, magada).await, before, "nothing written");
        for q in [
            "status=done",
            "category=weather",
            "sort=due",
            "overdue=maybe",
            "colour=1",
        ] {
            let r = app.get(&format!("/api/v1/needs?{q}"), &team).await;
            assert_eq!(r.status, 400, "{q}: {}", r.text());
        }
    }
);

both_backends!(
    the_queue_and_the_overdue_filter,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let magada = village(&app, &dept, "马格达村").await;
        // Oldest open first, answered needs after every open one, the cursor walking it all.
        let mut all = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = app
                .get(&format!("/api/v1/needs?limit=2{cursor}"), &dept)
                .await
                .json();
            all.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
        assert!(all.len() >= 6, "the demo's needs");
        let key = |n: &Value| {
            let open = matches!(n["status"].as_str(), Some("open" | "in_progress"));
            (!open, n["raised_on"].as_str().unwrap_or("").to_owned())
        };
        assert!(all.windows(2).all(|w| key(&w[0]) <= key(&w[1])), "{all:?}");
        let statuses: Vec<&str> = all.iter().filter_map(|n| n["status"].as_str()).collect();
        for s in STATUSES {
            assert!(statuses.contains(&s), "the demo has a need {s}");
        }
        // The demo's road need is open and overdue; the well was resolved through its project.
        let overdue = app.get("/api/v1/needs?overdue=true", &dept).await.json();
        let items = overdue["items"].as_array().unwrap();
        assert!(items.iter().all(|n| n["overdue"] == true));
        assert!(items
            .iter()
            .any(|n| n["category"] == "road" && n["village_name"] == "马格达村"));
        let well = all
            .iter()
            .find(|n| n["project_title"] == "下地村水井、机井建设维修")
            .unwrap();
        assert_eq!(well["status"], "resolved");
        assert!(all
            .iter()
            .any(|n| n["status"] == "declined" && n["decline_reason"].is_string()));
        // A new overdue need joins the filter; resolved, it leaves it.
        let id = raise(&app, &dept, &need(magada, "过期诉求")).await;
        let ids = |v: &Value| -> Vec<i64> {
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|n| n["id"].as_i64())
                .collect()
        };
        let q = format!("/api/v1/needs?overdue=true&village_id={magada}&limit=500");
        assert!(ids(&app.get(&q, &dept).await.json()).contains(&id));
        let tag = etag(&app, &dept, id).await;
        let r = transition(&app, &dept, id, Some(&tag), &move_to("resolved")).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(!ids(&app.get(&q, &dept).await.json()).contains(&id));
        let r = app
            .get(
                &format!("/api/v1/needs?status=resolved&category=water&village_id={magada}"),
                &dept,
            )
            .await
            .json();
        assert_eq!(ids(&r), [id]);
    }
);

both_backends!(who_raises_and_moves_needs, |app: TestApp| async move {
    let dept = app.login("office_staff").await;
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let admin = app.login("admin").await;
    let regional = app.login("regional").await;
    let jt = app.login("jt_admin").await;
    let magada = village(&app, &dept, "马格达村").await;
    let yakaya = village(&app, &dept, "亚卡亚村").await;
    // The committee raises and moves its village's needs.
    let id = need_at(&app, &committee, magada, "in_progress").await;
    // The department corrects; the admin reads but does not move; regional sees nothing.
    let tag = etag(&app, &dept, id).await;
    transition(&app, &admin, id, Some(&tag), &move_to("resolved"))
        .await
        .assert_problem(403, "forbidden");
    transition(&app, &regional, id, Some(&tag), &move_to("resolved"))
        .await
        .assert_problem(404, "not-found");
    transition(&app, &jt, id, Some(&tag), &move_to("resolved"))
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v1/needs", &regional)
        .await
        .assert_problem(403, "forbidden");
    // Another village's need does not exist for the team and committee of 马格达村.
    let there = need_at(&app, &dept, yakaya, "open").await;
    let there_tag = etag(&app, &dept, there).await;
    for token in [&team, &committee] {
        transition(&app, token, there, Some(&there_tag), &move_to("declined"))
            .await
            .assert_problem(404, "not-found");
    }
    let r = transition(&app, &dept, id, Some(&tag), &move_to("declined")).await;
    assert_eq!(r.status, 200, "{}", r.text());
});
