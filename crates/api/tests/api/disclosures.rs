//! 村务公开 over HTTP: drafting, publishing and withdrawing (the committee; the team drafts),
//! only drafts edited, the public board without login (nothing unpublished or personal: its JSON
//! searched for every demo household name and phone; 404 for unknown villages and drafts; 304 on
//! `ETag`; 429 when flooded), the calendar's overdue logic by month and quarter, and bad input →
//! 400 with nothing written.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
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
use std::net::SocketAddr;

async fn village(app: &TestApp, token: &str, name: &str) -> i64 {
    app.find_id("/api/v1/villages", token, "name", name).await
}

fn draft(village: i64, title: &str) -> Value {
    json!({"village_id": village, "category": "general", "title": title,
        "body": "本季度公开事项：村集体收益分配方案。", "period_from": "2020-01-01", "period_to": "2020-03-31"})
}

async fn create(app: &TestApp, token: &str, body: &Value) -> i64 {
    let r = app.post("/api/v1/disclosures", token, body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_i64().unwrap()
}

async fn mv(
    app: &TestApp,
    token: &str,
    id: i64,
    what: &str,
    etag: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut req = TestRequest::post()
        .uri(&format!("/api/v1/disclosures/{id}/{what}"))
        .insert_header(("authorization", format!("Bearer {token}")));
    if let Some(tag) = etag {
        req = req.insert_header(("if-match", tag.to_owned()));
    }
    if let Some(b) = body {
        req = req.set_json(b);
    }
    app.send(req).await
}

/// A request without login from a client address.
fn public(path: &str, client: &str) -> TestRequest {
    TestRequest::get()
        .uri(path)
        .peer_addr(client.parse::<SocketAddr>().unwrap())
}

async fn count(app: &TestApp, token: &str, village: i64) -> i64 {
    app.get(
        &format!("/api/v1/disclosures?village_id={village}&limit=1"),
        token,
    )
    .await
    .json()["total"]["count"]
        .as_i64()
        .unwrap()
}

both_backends!(draft_publish_withdraw, |app: TestApp| async move {
    let c = app.login("committee_magada").await;
    let team = app.login("team_magada").await;
    let magada = village(&app, &c, "马格达村").await;
    // The team drafts; the committee publishes.
    let id = create(&app, &team, &draft(magada, "2020年第一季度村务公开")).await;
    let d = app.get(&format!("/api/v1/disclosures/{id}"), &c).await;
    assert_eq!(d.json()["status"], "draft");
    assert_eq!(d.json()["village_name"], "马格达村");
    let r = app
        .patch(
            &format!("/api/v1/disclosures/{id}"),
            &team,
            Some("\"1\""),
            &json!({"body": "本季度公开事项：村集体收益分配方案（修订）。"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    mv(&app, &team, id, "publication", Some("\"2\""), None)
        .await
        .refused(403, "committee_only");
    mv(&app, &c, id, "publication", None, None)
        .await
        .assert_problem(400, "validation");
    mv(&app, &c, id, "publication", Some("\"1\""), None)
        .await
        .assert_problem(412, "precondition-failed");
    let r = mv(&app, &c, id, "publication", Some("\"2\""), None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let p = r.json();
    assert_eq!(p["status"], "published");
    assert!(p["published_on"].is_string());
    // Published: not edited, not published again.
    app.patch(
        &format!("/api/v1/disclosures/{id}"),
        &c,
        None,
        &json!({"title": "改"}),
    )
    .await
    .refused(409, "disclosure_not_draft");
    let r = mv(&app, &c, id, "publication", Some("\"3\""), None).await;
    let problem = r.refused(409, "illegal_transition");
    assert_eq!(problem["allowed"], json!(["withdrawn"]));
    // Withdrawing needs a reason.
    mv(
        &app,
        &c,
        id,
        "withdrawal",
        Some("\"3\""),
        Some(json!({"reason": "  "})),
    )
    .await
    .assert_problem(400, "validation");
    let r = mv(
        &app,
        &c,
        id,
        "withdrawal",
        Some("\"3\""),
        Some(json!({"reason": "内容有误，更正后重新公开"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "withdrawn");
    assert_eq!(r.json()["withdrawal_reason"], "内容有误，更正后重新公开");
    let r = mv(
        &app,
        &c,
        id,
        "withdrawal",
        Some("\"4\""),
        Some(json!({"reason": "再撤"})),
    )
    .await;
    assert_eq!(r.refused(409, "illegal_transition")["allowed"], json!([]));
    // A draft cannot be withdrawn.
    let other = create(&app, &c, &draft(magada, "另一草稿")).await;
    let r = mv(
        &app,
        &c,
        other,
        "withdrawal",
        Some("\"1\""),
        Some(json!({"reason": "r"})),
    )
    .await;
    assert_eq!(
        r.refused(409, "illegal_transition")["allowed"],
        json!(["published"])
    );
    // The department reads, does not publish.
    let dept = app.login("office_staff").await;
    mv(&app, &dept, other, "publication", Some("\"1\""), None)
        .await
        .assert_problem(403, "forbidden");
});

both_backends!(bad_input_writes_nothing, |app: TestApp| async move {
    let c = app.login("committee_magada").await;
    let magada = village(&app, &c, "马格达村").await;
    let before = count(&app, &c, magada).await;
    let mut cases = Vec::new();
    let mut b = draft(magada, "t");
    b["category"] = json!("decision");
    cases.push((b, "category"));
    let mut b = draft(magada, "t");
    b["period_to"] = json!("2019-12-31");
    cases.push((b, "period_to"));
    let mut b = draft(magada, "t");
    b["period_to"] = json!("2021-06-30");
    cases.push((b, "period_to"));
    let mut b = draft(magada, "t");
    b["body"] = json!(" ");
    cases.push((b, "body"));
    cases.push((draft(magada, ""), "title"));
    for (body, field) in cases {
        let p = app
            .post("/api/v1/disclosures", &c, &body)
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], field, "{body}: {p}");
    }
    let mut b = draft(magada, "t");
    b["extra"] = json!(1);
    assert_eq!(app.post("/api/v1/disclosures", &c, &b).await.status, 400);
    assert_eq!(count(&app, &c, magada).await, before);
    for q in ["status=gone", "category=x", "year=3000"] {
        app.get(&format!("/api/v1/disclosures?{q}"), &c)
            .await
            .assert_problem(400, "validation");
    }
    app.get("/api/v1/disclosures/calendar?village_id=1&year=1999", &c)
        .await
        .assert_problem(400, "validation");
    assert_eq!(
        app.get("/api/v1/disclosures/calendar?year=2019", &c)
            .await
            .status,
        400
    );
});

/// Every string value in a JSON document.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

both_backends!(
    the_public_board_shows_nothing_unpublished_or_personal,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let c = app.login("committee_magada").await;
        let magada = village(&app, &dept, "马格达村").await;
        // A draft and a withdrawn one of the village.
        let secret = create(&app, &c, &draft(magada, "尚未公开的草稿标题")).await;
        let gone = create(&app, &c, &draft(magada, "后来撤回的公开")).await;
        assert_eq!(
            mv(&app, &c, gone, "publication", Some("\"1\""), None)
                .await
                .status,
            200
        );
        let r = mv(
            &app,
            &c,
            gone,
            "withdrawal",
            Some("\"2\""),
            Some(json!({"reason": "数字有误"})),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        // The whole board, page by page, without login.
        let mut items = Vec::new();
        let mut cursor = String::new();
        let mut pages = Vec::new();
        for n in 0..20 {
            let r = app
                .send(public(
                    &format!("/api/v1/public/villages/{magada}/disclosures?limit=10{cursor}"),
                    &format!("198.51.100.{}:4000", 10 + n),
                ))
                .await;
            assert_eq!(r.status, 200, "{}", r.text());
            assert_eq!(
                r.header("cache-control").as_deref(),
                Some("public, max-age=60")
            );
            let page = r.json();
            assert_eq!(page["village"]["name"], "马格达村");
            assert_eq!(page["village"]["name_bo"], "མ་དགེ་མདའ།");
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            pages.push(page.clone());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => break,
            }
        }
        assert!(pages.len() > 1, "paginated");
        assert!(items.len() > 10, "{}", items.len());
        assert!(items.iter().all(|d| d["village_id"] == magada));
        assert!(items
            .iter()
            .all(|d| d["status"] == "published" || d["status"] == "withdrawn"));
        assert!(items.iter().all(|d| d["id"] != secret));
        let withdrawn = items.iter().find(|d| d["id"] == gone).unwrap();
        assert_eq!(withdrawn["status"], "withdrawn");
        assert_eq!(withdrawn["withdrawal_reason"], "数字有误");
        assert_eq!(withdrawn["body"], Value::Null);
        // No field beyond what the board promises.
        let allowed = [
            "id",
            "village_id",
            "category",
            "title",
            "body",
            "period_from",
            "period_to",
            "status",
            "published_on",
            "withdrawn_on",
            "withdrawal_reason",
        ];
        for d in &items {
            for k in d.as_object().unwrap().keys() {
                assert!(allowed.contains(&k.as_str()), "{k}");
            }
        }
        // Nothing of the draft, no household name or phone, no user name anywhere in the board.
        let mut text = Vec::new();
        for p in &pages {
            strings(p, &mut text);
        }
        let all = text.join("\n");
        assert!(!all.contains("尚未公开的草稿标题"));
        let mut personal: Vec<String> = Vec::new();
        let mut cur = String::new();
        loop {
            let page = app
                .get(&format!("/api/v1/households?limit=500{cur}"), &dept)
                .await
                .json();
            for h in page["items"].as_array().unwrap() {
                for field in ["head_name", "head_name_bo", "phone"] {
                    if let Some(s) = h[field].as_str().filter(|s| s.chars().count() >= 2) {
                        personal.push(s.to_owned());
                    }
                }
                for m in h["members"].as_array().into_iter().flatten() {
                    if let Some(s) = m["name"].as_str().filter(|s| s.chars().count() >= 2) {
                        personal.push(s.to_owned());
                    }
                }
            }
            match page["next_cursor"].as_str() {
                Some(n) => cur = format!("&cursor={n}"),
                None => break,
            }
        }
        assert!(personal.len() > 100, "{}", personal.len());
        let users = app
            .get("/api/v1/users?limit=500", &app.login("admin").await)
            .await
            .json();
        for u in users["items"].as_array().unwrap() {
            for field in ["username", "display_name"] {
                if let Some(s) = u[field].as_str() {
                    personal.push(s.to_owned());
                }
            }
        }
        let leaks: Vec<&String> = personal
            .iter()
            .filter(|p| all.contains(p.as_str()))
            .collect();
        assert!(
            leaks.is_empty(),
            "personal data on the public board: {leaks:?}"
        );
        // One disclosure: published and withdrawn ones are there, a draft and unknown ids are not.
        let one = items[0]["id"].as_i64().unwrap();
        let r = app
            .send(public(
                &format!("/api/v1/public/disclosures/{one}"),
                "198.51.100.50:1",
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["village"]["name"], "马格达村");
        assert_eq!(r.json()["disclosure"]["id"], one);
        let r = app
            .send(public(
                &format!("/api/v1/public/disclosures/{gone}"),
                "198.51.100.50:1",
            ))
            .await;
        assert_eq!(r.json()["disclosure"]["status"], "withdrawn");
        for id in [secret, 999_999] {
            app.send(public(
                &format!("/api/v1/public/disclosures/{id}"),
                "198.51.100.50:1",
            ))
            .await
            .assert_problem(404, "not-found");
        }
        app.send(public(
            "/api/v1/public/villages/999999/disclosures",
            "198.51.100.50:1",
        ))
        .await
        .assert_problem(404, "not-found");
        app.send(public(
            &format!("/api/v1/public/villages/{magada}/disclosures?limit=0"),
            "198.51.100.50:1",
        ))
        .await
        .assert_problem(400, "validation");
        // The second department's village has its own board (its draft is not on it).
        let jt = app.login("jt_admin").await;
        let deji = village(&app, &jt, "德吉村").await;
        let r = app
            .send(public(
                &format!("/api/v1/public/villages/{deji}/disclosures"),
                "198.51.100.51:1",
            ))
            .await;
        assert_eq!(r.status, 200);
        assert!(!r.text().contains("德吉村村务公开草稿"));
    }
);

both_backends!(
    the_board_is_cacheable_and_rate_limited,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let magada = village(&app, &dept, "马格达村").await;
        let path = format!("/api/v1/public/villages/{magada}/disclosures");
        let r = app.send(public(&path, "203.0.113.20:1")).await;
        assert_eq!(r.status, 200);
        let tag = r.header("etag").unwrap();
        let again = app
            .send(public(&path, "203.0.113.20:1").insert_header(("if-none-match", tag.clone())))
            .await;
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(tag.clone()));
        // A change to the board changes the tag.
        let c = app.login("committee_magada").await;
        let id = create(&app, &c, &draft(magada, "新公开")).await;
        assert_eq!(
            mv(&app, &c, id, "publication", Some("\"1\""), None)
                .await
                .status,
            200
        );
        let changed = app
            .send(public(&path, "203.0.113.20:1").insert_header(("if-none-match", tag.clone())))
            .await;
        assert_eq!(changed.status, 200);
        assert_ne!(changed.header("etag"), Some(tag));
        // Flooded: the default allowance is a burst of 30; one client is refused, another is not.
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(app.send(public(&path, "203.0.113.99:1")).await);
        }
        let refused: Vec<&Resp> = statuses.iter().filter(|r| r.status == 429).collect();
        assert!(!refused.is_empty());
        assert!(statuses.iter().take(30).all(|r| r.status == 200));
        let p = refused[0].assert_problem(429, "too-many-requests");
        assert!(p["params"]["seconds"].is_string());
        assert!(refused[0].header("retry-after").is_some());
        assert_eq!(app.send(public(&path, "203.0.113.100:1")).await.status, 200);
    }
);

async fn calendar(app: &TestApp, token: &str, village: i64, year: i32) -> Value {
    let r = app
        .get(
            &format!("/api/v1/disclosures/calendar?village_id={village}&year={year}"),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn states(cal: &Value, kind: &str) -> Vec<(String, String)> {
    cal["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == kind)
        .map(|i| {
            (
                i["period_from"].as_str().unwrap().to_owned(),
                i["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

both_backends!(
    the_calendar_by_month_and_quarter,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        // The demo's 2019: three villages disclosed everything on time; 琼果村 is behind.
        for name in ["马格达村", "亚卡亚村", "下地村"] {
            let v = village(&app, &dept, name).await;
            let cal = calendar(&app, &dept, v, 2019).await;
            assert_eq!(cal["overdue"], 0, "{name}: {cal}");
            let quarters = states(&cal, "general_quarterly");
            assert_eq!(quarters.len(), 4);
            assert!(
                quarters.iter().all(|(_, s)| s == "done"),
                "{name}: {quarters:?}"
            );
            assert!(!states(&cal, "finance_monthly").is_empty());
            assert!(states(&cal, "finance_monthly")
                .iter()
                .all(|(_, s)| s == "done"));
        }
        let qiongguo = village(&app, &dept, "琼果村").await;
        let cal = calendar(&app, &dept, qiongguo, 2019).await;
        assert!(cal["overdue"].as_i64().unwrap() >= 2, "{cal}");
        let quarters = states(&cal, "general_quarterly");
        assert_eq!(quarters[3], ("2019-10-01".to_owned(), "overdue".to_owned()));
        assert!(quarters[..3].iter().all(|(_, s)| s == "done"));
        let resolutions = states(&cal, "resolution");
        assert_eq!(
            resolutions,
            [("2019-12-02".to_owned(), "overdue".to_owned())]
        );
        // The committee of 马格达村: a month with entries is due by the 10th of the next month.
        let c = app.login("committee_magada").await;
        let team = app.login("team_magada").await;
        let magada = village(&app, &c, "马格达村").await;
        // Record a donation in March 2020 and see the month and the donation fall due.
        let donor = app.get("/api/v1/donors?limit=1", &team).await.json()["items"][0]["id"]
            .as_i64()
            .unwrap();
        let r = app
            .post(
                "/api/v1/ledger",
                &team,
                &json!({"village_id": magada, "date": "2020-03-15", "kind": "cash_donation",
                "source": "donor", "donor_id": donor, "amount_fen": 100_000, "evidence": "收据"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let cal = calendar(&app, &c, magada, 2020).await;
        let item = |cal: &Value, kind: &str, from: &str| -> Value {
            cal["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["kind"] == kind && i["period_from"] == from)
                .cloned()
                .unwrap_or_else(|| panic!("no {kind} {from} in {cal}"))
        };
        let march = item(&cal, "finance_monthly", "2020-03-01");
        assert_eq!(march["due_on"], "2020-04-10");
        assert_eq!(march["state"], "overdue");
        let donation = item(&cal, "donation", "2020-03-15");
        assert_eq!(donation["due_on"], "2020-04-14");
        assert_eq!(donation["state"], "overdue");
        assert!(donation["ledger_entry_id"].is_i64());
        // Quarter 1 of 2020 has no general disclosure yet (the demo's draft is not published).
        assert_eq!(
            item(&cal, "general_quarterly", "2020-01-01")["state"],
            "overdue"
        );
        // A March finance disclosure published now is late, not overdue, for the month and the
        // donation it covers.
        let id = create(
        &app,
        &c,
        &json!({"village_id": magada, "category": "finance", "title": "2020年3月财务公开",
            "body": "本月收到捐赠 1,000.00 元。", "period_from": "2020-03-01", "period_to": "2020-03-31"}),
    )
    .await;
        assert_eq!(
            mv(&app, &c, id, "publication", Some("\"1\""), None)
                .await
                .status,
            200
        );
        let cal = calendar(&app, &c, magada, 2020).await;
        assert_eq!(item(&cal, "finance_monthly", "2020-03-01")["state"], "late");
        assert_eq!(item(&cal, "donation", "2020-03-15")["state"], "late");
        assert_eq!(
            item(&cal, "general_quarterly", "2020-01-01")["state"],
            "overdue"
        );
        // Another village's calendar does not exist for the committee; the department reads it.
        let yakaya = village(&app, &dept, "亚卡亚村").await;
        assert_eq!(
            app.get(
                &format!("/api/v1/disclosures/calendar?village_id={yakaya}&year=2019"),
                &c
            )
            .await
            .status,
            404
        );
        let jt = app.login("jt_admin").await;
        assert_eq!(
            app.get(
                &format!("/api/v1/disclosures/calendar?village_id={magada}&year=2019"),
                &jt
            )
            .await
            .status,
            404
        );
    }
);
