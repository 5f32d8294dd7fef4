//! 驻村考勤 and 请假: one record per cadre per day (a range replaces days recorded before; the
//! database refuses a second row), ranges bounded and not in the future, bad input → 400 and
//! nothing written, who records (own days; the leader for the team's members), leave approval
//! limits by role, the monthly summary's numbers from the records, and access (the committee sees
//! nothing; another department's teams do not exist).

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use chrono::{Datelike, Days, NaiveDate};
use serde_json::{json, Value};

fn today() -> NaiveDate {
    zhucun_domain::calendar::today_local()
}

async fn team(app: &TestApp, token: &str, name: &str) -> i64 {
    app.find_id("/api/v1/teams", token, "name", name).await
}

async fn members(app: &TestApp, token: &str, team: i64) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/teams/{team}/members"), token)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

/// The running 马格达村 team: (team id, leader's membership, a member's membership, round start).
async fn magada(app: &TestApp, admin: &str) -> (i64, Value, Value) {
    let t = team(app, admin, "驻马格达村工作队").await;
    let ms = members(app, admin, t).await;
    let leader = ms.iter().find(|m| m["is_leader"] == true).cloned().unwrap();
    let member = ms
        .iter()
        .find(|m| m["is_leader"] == false)
        .cloned()
        .unwrap();
    (t, leader, member)
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

/// The last days of the running membership up to today: (from, to), at most `n` days.
fn recent(member: &Value, n: u64) -> (NaiveDate, NaiveDate) {
    let start = date(&member["from_date"]);
    let to = today();
    let from = to.checked_sub_days(Days::new(n - 1)).unwrap().max(start);
    (from, to)
}

async fn days_of(app: &TestApp, token: &str, member_id: i64, month: &str) -> Vec<Value> {
    let r = app
        .get(
            &format!("/api/v1/presence?month={month}&team_member_id={member_id}"),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().cloned().unwrap_or_default()
}

async fn all_days(
    app: &TestApp,
    token: &str,
    member_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap();
    while month <= to {
        let m = format!("{:04}-{:02}", month.year(), month.month());
        out.extend(days_of(app, token, member_id, &m).await);
        month = month.checked_add_months(chrono::Months::new(1)).unwrap();
    }
    out
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

async fn decide(app: &TestApp, token: &str, id: i64, what: &str) -> Resp {
    app.send(
        TestRequest::post()
            .uri(&format!("/api/v1/leave/{id}/{what}"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .set_json(json!({"note": "同意"})),
    )
    .await
}

both_backends!(one_record_per_day_and_ranges, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let leader = app.login("team_magada").await;
    let (_, lead, member) = magada(&app, &admin).await;
    let mid = member["id"].as_i64().unwrap();
    let (from, to) = recent(&member, 5);
    let n = (to - from).num_days() + 1;
    // The leader records a member's range.
    let r = app
        .post(
            "/api/v1/presence",
            &leader,
            &json!({"team_member_id": mid, "from": from, "to": to, "status": "in_village",
                "log": " 入户走访 "}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let w = r.json();
    assert_eq!(w["days"], n);
    assert_eq!(w["created"], n);
    assert_eq!(w["replaced"], 0);
    let days = all_days(&app, &leader, mid, from, to).await;
    assert_eq!(days.len() as i64, n);
    assert!(days
        .iter()
        .all(|d| d["status"] == "in_village" && d["log"] == "入户走访"));
    // The same last day again, away at a meeting: replaced, still one record for the day.
    let r = app
        .post(
            "/api/v1/presence",
            &leader,
            &json!({"team_member_id": mid, "from": to, "to": to, "status": "away", "reason": "meeting"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["created"], 0);
    assert_eq!(r.json()["replaced"], 1);
    let days = all_days(&app, &leader, mid, from, to).await;
    assert_eq!(days.len() as i64, n, "one record per day");
    let last: Vec<&Value> = days.iter().filter(|d| d["day"] == to.to_string()).collect();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0]["status"], "away");
    assert_eq!(last[0]["reason"], "meeting");
    assert_eq!(last[0]["version"], 2);
    // The database itself refuses a second row for the cadre and day.
    let cadre = member["cadre_id"].as_i64().unwrap();
    let dup = app.sql(&format!(
        "INSERT INTO presence_days (department_id, village_id, team_id, team_member_id, cadre_id, day, status, version, created_at, updated_at) \
         SELECT department_id, village_id, team_id, team_member_id, cadre_id, day, status, 1, created_at, updated_at \
         FROM presence_days WHERE cadre_id = {cadre} AND day = '{to}'"
    ));
    assert!(
        dup.is_err(),
        "UNIQUE (cadre_id, day) must refuse a duplicate"
    );
    // The leader records their own days too.
    let (f2, t2) = recent(&lead, 2);
    let r = app
        .post(
            "/api/v1/presence",
            &leader,
            &json!({"team_member_id": lead["id"], "from": f2, "to": t2, "status": "in_village"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The team's month lists both cadres, by name then day.
    let r = app
        .get(
            &format!(
                "/api/v1/presence?month={}&team_id={}",
                month(to),
                member["team_id"]
            ),
            &admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let items = r.json()["items"].as_array().cloned().unwrap();
    assert!(items.iter().any(|d| d["team_member_id"] == mid));
    assert!(items.iter().any(|d| d["team_member_id"] == lead["id"]));
    // No GPS, photo, online-time or ranking fields anywhere in a day.
    for d in &items {
        for f in ["latitude", "longitude", "photo", "online_seconds", "rank"] {
            assert!(d.get(f).is_none(), "{f} in {d}");
        }
    }
});

both_backends!(bad_input_writes_nothing, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let leader = app.login("team_magada").await;
    let (_, _, member) = magada(&app, &admin).await;
    let mid = member["id"].as_i64().unwrap();
    let start = date(&member["from_date"]);
    let t = today();
    let tomorrow = t.checked_add_days(Days::new(1)).unwrap();
    let cases: Vec<(Value, &str, &str)> = vec![
        // In the future.
        (
            json!({"team_member_id": mid, "from": t, "to": tomorrow, "status": "in_village"}),
            "to",
            "not_future",
        ),
        // Reversed.
        (
            json!({"team_member_id": mid, "from": t, "to": t.pred_opt().unwrap(), "status": "in_village"}),
            "to",
            "range_reversed",
        ),
        // Too long (63 days).
        (
            json!({"team_member_id": mid, "from": t.checked_sub_days(Days::new(62)).unwrap(), "to": t, "status": "in_village"}),
            "to",
            "range_too_long",
        ),
        // Away without a reason; in the village with one; an unknown status or reason.
        (
            json!({"team_member_id": mid, "from": t, "to": t, "status": "away"}),
            "reason",
            "required",
        ),
        (
            json!({"team_member_id": mid, "from": t, "to": t, "status": "in_village", "reason": "sick"}),
            "reason",
            "reason_only_away",
        ),
        (
            json!({"team_member_id": mid, "from": t, "to": t, "status": "checked_in"}),
            "status",
            "one_of",
        ),
        (
            json!({"team_member_id": mid, "from": t, "to": t, "status": "away", "reason": "gps"}),
            "reason",
            "one_of",
        ),
        // Before the membership began.
        (
            json!({"team_member_id": mid, "from": start.pred_opt().unwrap(), "to": start, "status": "in_village"}),
            "from",
            "outside_membership",
        ),
    ];
    let before = all_days(
        &app,
        &admin,
        mid,
        start.min(t.checked_sub_days(Days::new(62)).unwrap()),
        t,
    )
    .await
    .len();
    for (body, field, code) in cases {
        let r = app.post("/api/v1/presence", &leader, &body).await;
        let p = r.assert_problem(400, "validation");
        let errors = p["errors"].as_array().cloned().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{body}: expected {field}/{code}, got {p}"
        );
    }
    // Fields GPS-style trackers would send are not accepted.
    let r = app
        .post(
            "/api/v1/presence",
            &leader,
            &json!({"team_member_id": mid, "from": t, "to": t, "status": "in_village", "latitude": 29.6}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    let after = all_days(
        &app,
        &admin,
        mid,
        start.min(t.checked_sub_days(Days::new(62)).unwrap()),
        t,
    )
    .await
    .len();
    assert_eq!(before, after, "nothing written");
    // A month that is not one; no team.
    app.get("/api/v1/presence?month=2019-13&team_id=1", &admin)
        .await
        .assert_problem(400, "validation");
    app.get("/api/v1/presence?month=2019-06", &admin)
        .await
        .assert_problem(400, "validation");
    app.get("/api/v1/presence/summary?month=June&team_id=1", &admin)
        .await
        .assert_problem(400, "validation");
});

both_backends!(who_records_and_who_sees, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let dept = app.login("office_staff").await;
    let committee = app.login("committee_magada").await;
    let yakaya = app.login("team_yakaya").await;
    let jt = app.login("jt_admin").await;
    let (t, lead, member) = magada(&app, &admin).await;
    let mid = member["id"].as_i64().unwrap();
    let (from, to) = recent(&member, 1);
    let body = json!({"team_member_id": mid, "from": from, "to": to, "status": "in_village"});
    // A member with an account of their own records their days, not a colleague's, and does not
    // decide leave.
    let r = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "member_magada", "display_name": member["cadre_name"], "role": "team",
                "password": "long enough password", "cadre_id": member["cadre_id"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let own = app
        .login_full("member_magada", "long enough password")
        .await
        .json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.post("/api/v1/presence", &own, &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let other =
        json!({"team_member_id": lead["id"], "from": from, "to": to, "status": "in_village"});
    let p = app
        .post("/api/v1/presence", &own, &other)
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(p["code"], "presence_own_or_leader");
    // The department and the administrator read but do not record; the committee sees nothing.
    app.post("/api/v1/presence", &dept, &body)
        .await
        .assert_problem(403, "forbidden");
    app.post("/api/v1/presence", &admin, &body)
        .await
        .assert_problem(403, "forbidden");
    app.post("/api/v1/presence", &committee, &body)
        .await
        .assert_problem(403, "forbidden");
    let m = month(to);
    for (token, status) in [(&admin, 200), (&dept, 200), (&committee, 403), (&jt, 404)] {
        let r = app
            .get(
                &format!("/api/v1/presence/summary?month={m}&team_id={t}"),
                token,
            )
            .await;
        assert_eq!(r.status, status, "{}", r.text());
    }
    let r = app
        .get(
            &format!("/api/v1/presence?month={m}&team_id={t}"),
            &committee,
        )
        .await;
    assert_eq!(r.status, 403);
    app.get("/api/v1/leave", &committee)
        .await
        .assert_problem(403, "forbidden");
    // Another village's team: not there for 亚卡亚村's team; another department's list is empty.
    app.post("/api/v1/presence", &yakaya, &body)
        .await
        .assert_problem(404, "not-found");
    app.get(
        &format!("/api/v1/presence/summary?month={m}&team_id={t}"),
        &yakaya,
    )
    .await
    .assert_problem(404, "not-found");
    let r = app
        .get(&format!("/api/v1/presence?month={m}&team_id={t}"), &jt)
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(0));
    let r = app
        .get(&format!("/api/v1/presence?month={m}&team_id={t}"), &yakaya)
        .await;
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(0));
    app.post("/api/v1/presence", &jt, &body)
        .await
        .assert_problem(403, "forbidden");
    // The member's leave: the member asks; the member may not approve; the leader may.
    let start = date(&member["from_date"]);
    let lf = start.checked_add_days(Days::new(200)).unwrap();
    let r = app
        .post(
            "/api/v1/leave",
            &own,
            &json!({"team_member_id": mid, "from": lf, "to": lf, "reason": "leave"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_i64().unwrap();
    let p = decide(&app, &own, id, "approval")
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(p["code"], "leave_own_request");
    // Leave rows: GET by id per user.
    let leader = app.login("team_magada").await;
    for (token, status) in [
        (&admin, 200),
        (&dept, 200),
        (&leader, 200),
        (&committee, 404),
        (&yakaya, 404),
        (&jt, 404),
    ] {
        let r = app.get(&format!("/api/v1/leave/{id}"), token).await;
        assert_eq!(r.status, status, "{}", r.text());
    }
});

both_backends!(leave_approval_limits_by_role, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let dept = app.login("office_staff").await;
    let leader = app.login("team_magada").await;
    let (t, lead, member) = magada(&app, &admin).await;
    let mid = member["id"].as_i64().unwrap();
    let start = date(&member["from_date"]);
    let on = |d: u64| start.checked_add_days(Days::new(100 + d)).unwrap();
    let ask = |token: String, m: i64, from: NaiveDate, to: NaiveDate| {
        let app = &app;
        async move {
            let r = app
                .post(
                    "/api/v1/leave",
                    &token,
                    &json!({"team_member_id": m, "from": from, "to": to, "reason": "leave", "note": "家中有事"}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.text());
            let l = r.json();
            assert_eq!(l["status"], "pending");
            l
        }
    };
    // 3 days (the local limit): the leader approves; who and when are recorded.
    let l = ask(leader.clone(), mid, on(0), on(2)).await;
    assert_eq!(l["days"], 3);
    assert_eq!(l["approver"], "team_leader");
    let r = decide(&app, &leader, l["id"].as_i64().unwrap(), "approval").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let d = r.json();
    assert_eq!(d["status"], "approved");
    assert_eq!(d["decided_by_name"], "次仁多吉");
    assert!(d["decided_at"].is_string());
    // Decided once: a second decision is a 409.
    let p = decide(&app, &dept, l["id"].as_i64().unwrap(), "refusal")
        .await
        .assert_problem(409, "conflict");
    assert_eq!(p["code"], "leave_decided");
    // Overlapping the approved leave: 409.
    let r = app
        .post(
            "/api/v1/leave",
            &leader,
            &json!({"team_member_id": mid, "from": on(2), "to": on(4), "reason": "leave"}),
        )
        .await;
    assert_eq!(r.assert_problem(409, "conflict")["code"], "leave_overlaps");
    // 4 days: only the department.
    let l = ask(leader.clone(), mid, on(10), on(13)).await;
    assert_eq!(l["approver"], "department");
    let id = l["id"].as_i64().unwrap();
    let p = decide(&app, &leader, id, "approval")
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(p["code"], "leave_needs_department");
    let p = decide(&app, &leader, id, "refusal")
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(p["code"], "leave_needs_department");
    assert_eq!(
        app.get(&format!("/api/v1/leave/{id}"), &dept).await.json()["status"],
        "pending"
    );
    let r = decide(&app, &dept, id, "refusal").await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "refused");
    // The leader's own short leave: the department decides it.
    let l = ask(leader.clone(), lead["id"].as_i64().unwrap(), on(20), on(20)).await;
    let id = l["id"].as_i64().unwrap();
    assert_eq!(
        decide(&app, &leader, id, "approval")
            .await
            .assert_problem(403, "forbidden")["code"],
        "leave_own_request"
    );
    assert_eq!(decide(&app, &dept, id, "approval").await.status, 200);
    // The admin reads, never decides; a stale If-Match is a 412.
    let l = ask(leader.clone(), mid, on(30), on(30)).await;
    let id = l["id"].as_i64().unwrap();
    decide(&app, &admin, id, "approval")
        .await
        .assert_problem(403, "forbidden");
    let r = app
        .send(
            TestRequest::post()
                .uri(&format!("/api/v1/leave/{id}/approval"))
                .insert_header(("authorization", format!("Bearer {leader}")))
                .insert_header(("if-match", "\"7\""))
                .set_json(json!({})),
        )
        .await;
    r.assert_problem(412, "precondition-failed");
    // The queue: pending requests of the team.
    let q = app
        .get(
            &format!("/api/v1/leave?team_id={t}&status=pending"),
            &leader,
        )
        .await
        .json();
    let items = q["items"].as_array().cloned().unwrap();
    assert!(items.iter().all(|i| i["status"] == "pending"));
    assert!(items.iter().any(|i| i["id"] == id));
    // Bad input: nothing written.
    let total = |q: Value| q["total"]["count"].as_i64().unwrap();
    let before = total(
        app.get(&format!("/api/v1/leave?team_id={t}"), &dept)
            .await
            .json(),
    );
    for body in [
        json!({"team_member_id": mid, "from": on(40), "to": on(39), "reason": "leave"}),
        json!({"team_member_id": mid, "from": on(40), "to": on(40 + 62), "reason": "leave"}),
        json!({"team_member_id": mid, "from": on(40), "to": on(40), "reason": "holiday"}),
        json!({"team_member_id": mid, "from": start.pred_opt().unwrap(), "to": start, "reason": "leave"}),
    ] {
        app.post("/api/v1/leave", &leader, &body)
            .await
            .assert_problem(400, "validation");
    }
    let after = total(
        app.get(&format!("/api/v1/leave?team_id={t}"), &dept)
            .await
            .json(),
    );
    assert_eq!(before, after);
    app.post(
        "/api/v1/leave",
        &dept,
        &json!({"team_member_id": mid, "from": on(50), "to": on(50), "reason": "leave"}),
    )
    .await
    .assert_problem(403, "forbidden");
});

both_backends!(summary_numbers_from_records, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let leader = app.login("team_magada").await;
    let dept = app.login("office_staff").await;
    // The demo's 2019 team of 马格达村, June 2019: the summary agrees with the records.
    let t = team(&app, &admin, "驻马格达村工作队（2019）").await;
    let s = app
        .get(
            &format!("/api/v1/presence/summary?month=2019-06&team_id={t}"),
            &dept,
        )
        .await;
    assert_eq!(s.status, 200, "{}", s.text());
    let s = s.json();
    assert_eq!(s["min_days_in_village"], 20);
    let rows = s["items"].as_array().cloned().unwrap();
    assert_eq!(rows.len(), 3);
    let days = app
        .get(
            &format!("/api/v1/presence?month=2019-06&team_id={t}"),
            &dept,
        )
        .await
        .json();
    let days = days["items"].as_array().cloned().unwrap();
    for row in &rows {
        let mine: Vec<&Value> = days
            .iter()
            .filter(|d| d["cadre_id"] == row["cadre_id"])
            .collect();
        let inv = mine.iter().filter(|d| d["status"] == "in_village").count() as i64;
        let away = mine.iter().filter(|d| d["status"] == "away").count() as i64;
        assert_eq!(row["days_in_period"], 30);
        assert_eq!(row["days_in_village"], inv, "{row}");
        assert_eq!(row["days_away"], away, "{row}");
        assert_eq!(row["days_unaccounted"], 30 - inv - away, "{row}");
        assert_eq!(row["meets_minimum"], inv >= 20);
        assert!(row.get("rank").is_none());
    }
    // Sorted by name (the team list's order), not by figures.
    let names: Vec<String> = rows
        .iter()
        .map(|r| r["cadre_name"].as_str().unwrap().to_owned())
        .collect();
    let listed: Vec<String> = members(&app, &admin, t)
        .await
        .iter()
        .map(|m| m["cadre_name"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = listed.clone();
    sorted.retain(|n| names.contains(n));
    assert_eq!(names.len(), sorted.len());

    // The running team this month: records and approved leave written now, figures follow.
    let (rt, _, member) = magada(&app, &admin).await;
    let mid = member["id"].as_i64().unwrap();
    let (from, to) = recent(&member, 4);
    let first = NaiveDate::from_ymd_opt(to.year(), to.month(), 1).unwrap();
    let from = from.max(first);
    let n = (to - from).num_days() + 1;
    let r = app
        .post(
            "/api/v1/presence",
            &leader,
            &json!({"team_member_id": mid, "from": from, "to": to, "status": "in_village"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let s = app
        .get(
            &format!("/api/v1/presence/summary?month={}&team_id={rt}", month(to)),
            &leader,
        )
        .await
        .json();
    let row = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team_member_id"] == mid)
        .cloned()
        .unwrap();
    let period_start = date(&member["from_date"]).max(first);
    let period = (to - period_start).num_days() + 1;
    assert_eq!(row["days_in_period"], period);
    assert_eq!(row["days_in_village"], n);
    assert_eq!(row["approved_leave_days"], 0);
    assert_eq!(row["days_unaccounted"], period - n);
    // One earlier day of approved leave (if the month has one): accounted for.
    if period_start < from {
        let d = from.pred_opt().unwrap();
        let l = app
            .post(
                "/api/v1/leave",
                &leader,
                &json!({"team_member_id": mid, "from": d, "to": d, "reason": "leave"}),
            )
            .await
            .json();
        assert_eq!(
            decide(&app, &leader, l["id"].as_i64().unwrap(), "approval")
                .await
                .status,
            200
        );
        let s = app
            .get(
                &format!("/api/v1/presence/summary?month={}&team_id={rt}", month(to)),
                &leader,
            )
            .await
            .json();
        let row = s["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team_member_id"] == mid)
            .cloned()
            .unwrap();
        assert_eq!(row["approved_leave_days"], 1);
        assert_eq!(row["days_unaccounted"], period - n - 1);
    }
});

/// The rows of every team's summary of `month` that are below the minimum, as
/// (team, membership, days in the village).
async fn below_by_team(app: &TestApp, token: &str, month: &str) -> Vec<(i64, i64, i64)> {
    let teams = app.get("/api/v1/teams?limit=200", token).await;
    assert_eq!(teams.status, 200, "{}", teams.text());
    let mut rows = Vec::new();
    for team in teams.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let t = team["id"].as_i64().unwrap();
        let r = app
            .get(
                &format!("/api/v1/presence/summary?month={month}&team_id={t}"),
                token,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        for row in r.json()["items"].as_array().cloned().unwrap_or_default() {
            if row["days_in_period"].as_i64().unwrap() > 0 && row["meets_minimum"] == false {
                rows.push((
                    t,
                    row["team_member_id"].as_i64().unwrap(),
                    row["days_in_village"].as_i64().unwrap(),
                ));
            }
        }
    }
    rows.sort_unstable();
    rows
}

async fn below_of_department(
    app: &TestApp,
    token: &str,
    month: &str,
) -> (Value, Vec<(i64, i64, i64)>) {
    let r = app
        .get(
            &format!("/api/v1/presence/below-minimum?month={month}"),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let mut rows: Vec<(i64, i64, i64)> = body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|row| {
            (
                row["team_id"].as_i64().unwrap(),
                row["team_member_id"].as_i64().unwrap(),
                row["days_in_village"].as_i64().unwrap(),
            )
        })
        .collect();
    rows.sort_unstable();
    (body, rows)
}

both_backends!(
    below_minimum_over_the_department,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        // Every month of the demo's 2019: one request says what every team's summary says.
        let mut listed = 0;
        for m in 1..=12 {
            let month = format!("2019-{m:02}");
            let expected = below_by_team(&app, &admin, &month).await;
            let (body, rows) = below_of_department(&app, &admin, &month).await;
            assert_eq!(rows, expected, "{month}");
            assert_eq!(body["more"], false);
            assert_eq!(body["month"], month.as_str());
            listed += rows.len();
        }
        assert!(listed > 0, "the demo's 2019 has cadres below the minimum");
        // This month's leader records the whole month so far in the village and leaves the list.
        let leader = app.login("team_magada").await;
        let (t, lead, _) = magada(&app, &admin).await;
        let m = month(today());
        let first = today().with_day(1).unwrap().max(date(&lead["from_date"]));
        let r = app
        .post(
            "/api/v1/presence",
            &leader,
            &json!({"team_member_id": lead["id"], "from": first, "to": today(), "status": "away",
                "reason": "meeting"}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let (_, rows) = below_of_department(&app, &admin, &m).await;
        let lid = lead["id"].as_i64().unwrap();
        assert!(
            rows.iter()
                .any(|(team, member, days)| *team == t && *member == lid && *days == 0),
            "{rows:?}"
        );
        // The team sees its village only, another department nothing of this one, the committee
        // nothing at all; a month that is not one is a 400.
        let team_view = below_of_department(&app, &leader, &m).await.0;
        let villages: Vec<&Value> = team_view["items"]
            .as_array()
            .map(|items| items.iter().map(|i| &i["village_name"]).collect())
            .unwrap_or_default();
        assert!(
            !villages.is_empty() && villages.iter().all(|v| *v == "马格达村"),
            "{villages:?}"
        );
        let (_, jt) = below_of_department(&app, &app.login("jt_admin").await, &m).await;
        assert!(jt.iter().all(|(team, _, _)| *team != t), "{jt:?}");
        app.get(
            "/api/v1/presence/below-minimum?month=2019-06",
            &app.login("committee_magada").await,
        )
        .await
        .assert_problem(403, "forbidden");
        app.get("/api/v1/presence/below-minimum?month=June", &admin)
            .await
            .assert_problem(400, "validation");
    }
);
