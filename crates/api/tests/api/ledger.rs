//! 资金台账: who records what, immutability (405), reversals (once, never of a reversal),
//! committee-only confirmation, totals that equal the entries under concurrent writes and
//! reversals, funds derived on projects, donors, bad input that writes nothing, and the demo's
//! 2019 money (FIGURES-2019 rows 4–9 and 11).

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use futures_util::future::join_all;
use serde_json::{json, Value};

fn allocation(village: i64, fen: i64) -> Value {
    json!({"village_id": village, "date": "2020-05-01", "kind": "allocation",
        "source": "finance", "amount_fen": fen, "evidence": "测试拨付"})
}

fn expenditure(village: i64, fen: i64) -> Value {
    json!({"village_id": village, "date": "2020-06-01", "kind": "expenditure",
        "source": "finance", "amount_fen": fen, "evidence": "测试支出"})
}

/// The sums of a village's entries as the totals endpoint gives them.
async fn village_total(app: &TestApp, token: &str, village: i64) -> Value {
    let r = app
        .get(
            &format!("/api/v1/ledger/totals?group_by=kind&village_id={village}"),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["total"].clone()
}

/// Every entry of a village, walking the cursor.
async fn all_entries(app: &TestApp, token: &str, village: i64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/ledger?village_id={village}&limit=100");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let r = app.get(&path, token).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let page = r.json();
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    out
}

/// One of the concurrent requests: what it was, the fen it adds if acknowledged, its answer.
type Racing<'a> = futures_util::future::LocalBoxFuture<'a, (&'static str, i64, Resp)>;

/// Sends a request as a client under load would: a 503 (the server too busy to take it, with
/// `Retry-After`; nothing was written) is sent again after a pause, with the same
/// `Idempotency-Key` where the request has one, so a write is never made twice. Any other answer
/// is returned.
async fn until_taken(make: impl Fn() -> TestRequest, app: &TestApp) -> Resp {
    for _ in 0..50 {
        let r = app.send(make()).await;
        if r.status.as_u16() != 503 {
            return r;
        }
        assert!(r.header("retry-after").is_some(), "503 without Retry-After");
        actix_rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the server stayed busy for 50 attempts");
}

fn id(r: &Resp) -> i64 {
    r.json()["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text()))
}

async fn reverse(app: &TestApp, token: &str, entry: i64, reason: &str) -> Resp {
    app.post(
        &format!("/api/v1/ledger/{entry}/reversal"),
        token,
        &json!({ "reason": reason }),
    )
    .await
}

async fn confirm(app: &TestApp, token: &str, entry: i64) -> Resp {
    app.send(
        TestRequest::post()
            .uri(&format!("/api/v1/ledger/{entry}/confirmation"))
            .insert_header(("authorization", format!("Bearer {token}"))),
    )
    .await
}

both_backends!(who_records_what, |app: TestApp| async move {
    let dept = app.login("office_staff").await;
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let admin = app.login("admin").await;
    let magada = app
        .find_id("/api/v1/villages", &dept, "name", "马格达村")
        .await;
    let yakaya = app
        .find_id("/api/v1/villages", &dept, "name", "亚卡亚村")
        .await;
    let before = village_total(&app, &dept, magada).await;

    let r = app
        .post("/api/v1/ledger", &dept, &allocation(magada, 123_456))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let e = r.json();
    assert_eq!(e["direction"], "in");
    assert_eq!(e["amount_fen"], 123_456);
    assert_eq!(e["confirmable"], true);
    assert_eq!(e["confirmation"], Value::Null);
    assert_eq!(e["created_by_username"], "office_staff");
    assert_eq!(e["village_name"], "马格达村");

    // The kind decides who: the department allocates, the team spends and brings donations.
    for (token, body) in [
        (&dept, expenditure(magada, 100)),
        (&team, allocation(magada, 100)),
    ] {
        let p = app
            .post("/api/v1/ledger", token, &body)
            .await
            .assert_problem(403, "forbidden");
        assert_eq!(p["code"], "ledger_kind_not_yours");
    }
    for token in [&committee, &admin] {
        app.post("/api/v1/ledger", token, &expenditure(magada, 100))
            .await
            .assert_problem(403, "forbidden");
    }
    // A team records only for its own villages.
    app.post("/api/v1/ledger", &team, &expenditure(yakaya, 100))
        .await
        .assert_problem(404, "not-found");
    let r = app
        .post("/api/v1/ledger", &team, &expenditure(magada, 40_000))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["direction"], "out");

    // Goods in kind: from a donor, with item, quantity and unit, exactly.
    let donor = app
        .post(
            "/api/v1/donors",
            &team,
            &json!({"name": "测试捐赠企业", "kind": "enterprise"}),
        )
        .await;
    assert_eq!(donor.status, 201, "{}", donor.text());
    let donor = id(&donor);
    let goods = json!({"village_id": magada, "date": "2020-07-01", "kind": "in_kind_donation",
        "source": "donor", "donor_id": donor, "item": "草种", "quantity": "15.250", "unit": "吨",
        "amount_fen": 15_000_000});
    let r = app.post("/api/v1/ledger", &team, &goods).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["quantity"], "15.25");
    assert_eq!(r.json()["donor_name"], "测试捐赠企业");

    // Entries are immutable.
    let entry = id(&r);
    for req in [
        TestRequest::patch().set_json(json!({"amount_fen": 1})),
        TestRequest::delete(),
        TestRequest::put().set_json(json!({"amount_fen": 1})),
    ] {
        let r = app
            .send(
                req.uri(&format!("/api/v1/ledger/{entry}"))
                    .insert_header(("authorization", format!("Bearer {dept}"))),
            )
            .await;
        r.assert_problem(405, "method-not-allowed");
    }
    let after = village_total(&app, &dept, magada).await;
    assert_eq!(
        after["entries"].as_i64(),
        before["entries"].as_i64().map(|n| n + 3)
    );
    assert_eq!(
        after["received_fen"].as_i64(),
        before["received_fen"]
            .as_i64()
            .map(|n| n + 123_456 + 15_000_000)
    );
    assert_eq!(
        after["spent_fen"].as_i64(),
        before["spent_fen"].as_i64().map(|n| n + 40_000)
    );
});

both_backends!(bad_input_writes_nothing, |app: TestApp| async move {
    let dept = app.login("office_staff").await;
    let team = app.login("team_magada").await;
    let magada = app
        .find_id("/api/v1/villages", &dept, "name", "马格达村")
        .await;
    let foreign_project = app
        .find_id(
            "/api/v1/projects",
            &dept,
            "title",
            "亚卡亚村养殖专业合作社养殖项目",
        )
        .await;
    let before = village_total(&app, &dept, magada).await;
    let cases: Vec<(&String, Value, &[&str])> = vec![
        (
            &dept,
            json!({"village_id": magada, "date": "2010-01-01", "kind": "allocation",
                "source": "finance", "amount_fen": 0}),
            &["date", "amount_fen"],
        ),
        (
            &dept,
            json!({"village_id": magada, "date": "2999-01-01", "kind": "allocation",
                "source": "bank", "amount_fen": -5}),
            &["date", "source", "amount_fen"],
        ),
        (
            &team,
            json!({"village_id": magada, "date": "2020-01-01", "kind": "cash_donation",
                "source": "finance", "amount_fen": 100}),
            &["source"],
        ),
        (
            &team,
            json!({"village_id": magada, "date": "2020-01-01", "kind": "in_kind_donation",
                "source": "donor", "amount_fen": 100}),
            &["donor_id", "item", "quantity", "unit"],
        ),
        (
            &team,
            json!({"village_id": magada, "date": "2020-01-01", "kind": "expenditure",
                "source": "finance", "amount_fen": 100, "quantity": "1.2345"}),
            &["quantity"],
        ),
        (
            &dept,
            json!({"village_id": magada, "project_id": foreign_project, "date": "2020-01-01",
                "kind": "allocation", "source": "finance", "amount_fen": 100}),
            &["project_id"],
        ),
        (
            &dept,
            json!({"village_id": magada, "date": "2020-01-01", "kind": "allocation",
                "source": "donor", "donor_id": 999_999, "amount_fen": 100}),
            &["donor_id"],
        ),
    ];
    for (token, body, fields) in cases {
        let p = app
            .post("/api/v1/ledger", token, &body)
            .await
            .assert_problem(400, "validation");
        let got: Vec<&str> = p["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(got, fields, "{body}: {p}");
    }
    // Not JSON of the right shape, unknown fields, amounts that are not integers.
    for raw in [
        r#"{"village_id": 1, "date": "2020-01-01", "kind": "allocation", "source": "finance", "amount_fen": 1.5}"#,
        r#"{"village_id": 1, "date": "01/02/2020", "kind": "allocation", "source": "finance", "amount_fen": 1}"#,
        r#"{"village_id": 1, "date": "2020-01-01", "kind": "allocation", "source": "finance", "amount_fen": 1, "version": 2}"#,
    ] {
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/ledger")
                    .insert_header(("authorization", format!("Bearer {dept}")))
                    .insert_header(("content-type", "application/json"))
                    .set_payload(raw),
            )
            .await;
        assert_eq!(r.status, 400, "{raw}: {}", r.text());
    }
    for bad in [
        "group_by=month",
        "group_by=kind&kind=gift",
        "group_by=kind&older_than_days=-1",
        "group_by=kind&year=1999",
    ] {
        app.get(&format!("/api/v1/ledger/totals?{bad}"), &dept)
            .await
            .assert_problem(400, "validation");
    }
    assert_eq!(village_total(&app, &dept, magada).await, before);
});

both_backends!(
    reversals_once_and_never_of_a_reversal,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let team = app.login("team_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &dept, "name", "马格达村")
            .await;
        let before = village_total(&app, &dept, magada).await;
        let r = app
            .post("/api/v1/ledger", &dept, &allocation(magada, 500_000))
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let entry = id(&r);

        // The reason is required; a team may not reverse the department's allocation.
        reverse(&app, &dept, entry, "  ")
            .await
            .assert_problem(400, "validation");
        let p = reverse(&app, &team, entry, "错了")
            .await
            .assert_problem(403, "forbidden");
        assert_eq!(p["code"], "ledger_kind_not_yours");

        let r = reverse(&app, &dept, entry, "金额录入错误").await;
        assert_eq!(r.status, 201, "{}", r.text());
        let rev = r.json();
        assert_eq!(rev["amount_fen"], -500_000);
        assert_eq!(rev["reverses_id"], entry);
        assert_eq!(rev["reversal_reason"], "金额录入错误");
        assert_eq!(rev["date"], "2020-05-01");
        assert_eq!(rev["confirmable"], false);
        let reversal = id(&r);
        let original = app.get(&format!("/api/v1/ledger/{entry}"), &dept).await;
        assert_eq!(original.json()["reversed_by_id"], reversal);
        assert_eq!(original.json()["confirmable"], false);

        let p = reverse(&app, &dept, entry, "再冲一次")
            .await
            .assert_problem(409, "conflict");
        assert_eq!(p["code"], "already_reversed");
        let p = reverse(&app, &dept, reversal, "冲销冲销")
            .await
            .assert_problem(409, "conflict");
        assert_eq!(p["code"], "reversal_of_reversal");

        // The entry and its reversal cancel out to the fen.
        let after = village_total(&app, &dept, magada).await;
        assert_eq!(after["received_fen"], before["received_fen"]);
        assert_eq!(
            after["entries"].as_i64(),
            before["entries"].as_i64().map(|n| n + 2)
        );
        // The database itself refuses to change or remove an entry.
        for statement in [
            format!("UPDATE ledger_entries SET amount_fen = 1 WHERE id = {entry}"),
            format!("DELETE FROM ledger_entries WHERE id = {entry}"),
        ] {
            assert!(app.sql(&statement).is_err(), "{statement} went through");
        }
    }
);

both_backends!(
    only_the_villages_committee_confirms,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let team = app.login("team_magada").await;
        let committee = app.login("committee_magada").await;
        let other_committee = app.login("committee_yakaya").await;
        let magada = app
            .find_id("/api/v1/villages", &dept, "name", "马格达村")
            .await;
        let r = app
            .post("/api/v1/ledger", &dept, &allocation(magada, 77_700))
            .await;
        let entry = id(&r);
        let waiting = |token: String| {
            let app = &app;
            async move {
                let r = app
                    .get(
                        &format!("/api/v1/ledger?village_id={magada}&unconfirmed=true&limit=500"),
                        &token,
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.text());
                r.json()["items"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e["id"].as_i64())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            }
        };
        assert!(waiting(committee.clone()).await.contains(&entry));
        confirm(&app, &other_committee, entry)
            .await
            .assert_problem(404, "not-found");
        let p = confirm(&app, &team, entry)
            .await
            .assert_problem(403, "forbidden");
        assert_eq!(p["code"], "confirmation_by_committee");
        confirm(&app, &dept, entry)
            .await
            .assert_problem(403, "forbidden");
        let r = confirm(&app, &committee, entry).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["confirmation"]["by_username"], "committee_magada");
        assert_eq!(r.json()["confirmable"], false);
        let p = confirm(&app, &committee, entry)
            .await
            .assert_problem(409, "conflict");
        assert_eq!(p["code"], "already_confirmed");
        assert!(!waiting(committee.clone()).await.contains(&entry));
        // A reversal is not confirmed; nor is a reversed entry.
        let r = app
            .post("/api/v1/ledger", &dept, &allocation(magada, 1_000))
            .await;
        let second = id(&r);
        let rev = id(&reverse(&app, &dept, second, "重复录入").await);
        for e in [second, rev] {
            let p = confirm(&app, &committee, e)
                .await
                .assert_problem(409, "conflict");
            assert_eq!(p["code"], "not_confirmable");
        }
        // What has waited longer than 30 days (the demo's earlier entries of this village).
        let r = app
        .get(
            &format!("/api/v1/ledger?village_id={magada}&unconfirmed=true&older_than_days=30&limit=500"),
            &committee,
        )
        .await;
        let old: Vec<Value> = r.json()["items"].as_array().cloned().unwrap_or_default();
        let cutoff = (chrono::Utc::now() - chrono::Duration::days(29))
            .date_naive()
            .to_string();
        assert!(old
            .iter()
            .all(|e| e["date"].as_str().is_some_and(|d| d < cutoff.as_str())
                && e["confirmable"] == true));
    }
);

both_backends!(
    totals_agree_under_concurrent_writes,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let team = app.login("team_magada").await;
        let committee = app.login("committee_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &dept, "name", "马格达村")
            .await;
        let before = village_total(&app, &dept, magada).await;
        // Entries to reverse and confirm while others are written.
        let mut targets = Vec::new();
        for k in 0..30 {
            let r = app
                .post("/api/v1/ledger", &dept, &allocation(magada, 10_000 + k))
                .await;
            assert_eq!(r.status, 201, "{}", r.text());
            targets.push((id(&r), 10_000 + k));
        }
        // 160 new entries, 60 reversals (two racing per target), 30 confirmations: 250 at once.
        let creates = (0..160_i64).map(|k| {
            let (token, body) = if k % 2 == 0 {
                (&dept, allocation(magada, 1_001 + k))
            } else {
                (&team, expenditure(magada, 2_003 + k))
            };
            let app = &app;
            let key = format!("race-create-{k}");
            async move {
                let r = until_taken(
                    || {
                        TestRequest::post()
                            .uri("/api/v1/ledger")
                            .insert_header(("authorization", format!("Bearer {token}")))
                            .insert_header(("idempotency-key", key.clone()))
                            .set_json(&body)
                    },
                    app,
                )
                .await;
                ("create", 0_i64, r)
            }
        });
        let reversals = targets.iter().flat_map(|&(entry, fen)| {
            let app = &app;
            let dept = &dept;
            (0..2).map(move |n| async move {
                let r = until_taken(
                    || {
                        TestRequest::post()
                            .uri(&format!("/api/v1/ledger/{entry}/reversal"))
                            .insert_header(("authorization", format!("Bearer {dept}")))
                            .insert_header(("idempotency-key", format!("race-reverse-{entry}-{n}")))
                            .set_json(json!({"reason": "并发冲销"}))
                    },
                    app,
                )
                .await;
                ("reverse", -fen, r)
            })
        });
        let confirms = targets.iter().map(|&(entry, _)| {
            let app = &app;
            let committee = &committee;
            async move {
                let r = until_taken(
                    || {
                        TestRequest::post()
                            .uri(&format!("/api/v1/ledger/{entry}/confirmation"))
                            .insert_header(("authorization", format!("Bearer {committee}")))
                    },
                    app,
                )
                .await;
                ("confirm", 0_i64, r)
            }
        });
        let mut all: Vec<Racing<'_>> = Vec::new();
        all.extend(creates.map(|f| Box::pin(f) as _));
        all.extend(reversals.map(|f| Box::pin(f) as _));
        all.extend(confirms.map(|f| Box::pin(f) as _));
        assert!(all.len() >= 200);
        let answers = join_all(all).await;

        let mut acknowledged_fen = 0_i64;
        let mut acknowledged = 0_i64;
        let mut reversed = 0;
        for (what, fen, r) in &answers {
            match (*what, r.status.as_u16()) {
                ("create", 201) => {
                    let e = r.json();
                    let amount = e["amount_fen"].as_i64().unwrap_or(0);
                    acknowledged_fen += amount;
                    acknowledged += 1;
                }
                ("reverse", 201) => {
                    assert_eq!(r.json()["amount_fen"], *fen);
                    acknowledged_fen += fen;
                    acknowledged += 1;
                    reversed += 1;
                }
                ("reverse", 409) => assert_eq!(r.json()["code"], "already_reversed"),
                // A confirmation races its entry's reversal: before it, it confirms; after, the
                // entry no longer waits.
                ("confirm", 200) => {}
                ("confirm", 409) => assert!(
                    matches!(
                        r.json()["code"].as_str(),
                        Some("not_confirmable" | "already_confirmed")
                    ),
                    "{}",
                    r.text()
                ),
                (w, s) => panic!("{w}: {s} {}", r.text()),
            }
        }
        // Each target reversed exactly once.
        assert_eq!(reversed, targets.len());
        let targets_fen: i64 = targets.iter().map(|(_, f)| f).sum();
        let after = village_total(&app, &dept, magada).await;
        let entries = all_entries(&app, &dept, magada).await;
        let listed_sum: i64 = entries
            .iter()
            .filter_map(|e| e["amount_fen"].as_i64())
            .sum();
        let (b_amount, b_entries) = (
            before["amount_fen"].as_i64().unwrap_or(0),
            before["entries"].as_i64().unwrap_or(0),
        );
        assert_eq!(
            after["amount_fen"].as_i64(),
            Some(b_amount + targets_fen + acknowledged_fen)
        );
        assert_eq!(after["amount_fen"].as_i64(), Some(listed_sum));
        assert_eq!(
            after["entries"].as_i64(),
            Some(b_entries + 30 + acknowledged)
        );
        assert_eq!(i64::try_from(entries.len()).ok(), after["entries"].as_i64());
        // The groups add up to the total, by every grouping.
        for by in ["village", "project", "source", "kind", "donor", "year"] {
            let r = app
                .get(
                    &format!("/api/v1/ledger/totals?group_by={by}&village_id={magada}"),
                    &dept,
                )
                .await;
            let t = r.json();
            let groups: i64 = t["groups"]
                .as_array()
                .map(|g| g.iter().filter_map(|g| g["amount_fen"].as_i64()).sum())
                .unwrap_or(-1);
            assert_eq!(Some(groups), t["total"]["amount_fen"].as_i64(), "{by}: {t}");
            assert_eq!(t["total"], after, "{by}");
        }
    }
);

both_backends!(
    funds_on_projects_come_from_the_ledger,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let team = app.login("team_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &dept, "name", "马格达村")
            .await;
        let r = app
            .post(
                "/api/v1/projects",
                &team,
                &json!({"village_id": magada, "year": 2020, "title": "资金测试项目",
                "category": "infrastructure", "budget_fen": 1_000_000}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["funds_received_fen"], 0);
        let project = id(&r);
        let mut a = allocation(magada, 800_000);
        a["project_id"] = json!(project);
        assert_eq!(app.post("/api/v1/ledger", &dept, &a).await.status, 201);
        let mut e = expenditure(magada, 300_000);
        e["project_id"] = json!(project);
        let spent = app.post("/api/v1/ledger", &team, &e).await;
        assert_eq!(spent.status, 201);
        let mut e2 = expenditure(magada, 120_000);
        e2["project_id"] = json!(project);
        assert_eq!(app.post("/api/v1/ledger", &team, &e2).await.status, 201);
        assert_eq!(
            reverse(&app, &team, id(&spent), "发票作废").await.status,
            201
        );
        let p = app
            .get(&format!("/api/v1/projects/{project}"), &dept)
            .await
            .json();
        assert_eq!(p["funds_received_fen"], 800_000);
        assert_eq!(p["funds_spent_fen"], 120_000);
        // The list shows the same, without a query per project.
        let list = app
            .get(
                &format!(
                    "/api/v1/projects?village_id={magada}&q=%E8%B5%84%E9%87%91%E6%B5%8B%E8%AF%95"
                ),
                &dept,
            )
            .await
            .json();
        assert_eq!(list["items"][0]["funds_spent_fen"], 120_000);
        let by_project = app
            .get(
                &format!("/api/v1/ledger/totals?group_by=project&project_id={project}"),
                &dept,
            )
            .await
            .json();
        assert_eq!(by_project["groups"][0]["label"], "资金测试项目");
        assert_eq!(by_project["groups"][0]["received_fen"], 800_000);
        assert_eq!(by_project["groups"][0]["spent_fen"], 120_000);
    }
);

both_backends!(donors_of_the_department, |app: TestApp| async move {
    let dept = app.login("office_staff").await;
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let jt = app.login("jt_admin").await;
    let r = app
        .post(
            "/api/v1/donors",
            &dept,
            &json!({"name": "测试公益基金会", "kind": "ngo", "contact": "0891-1234567"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let donor = id(&r);
    let etag = r.header("etag");
    let p = app
        .post(
            "/api/v1/donors",
            &team,
            &json!({"name": "测试公益基金会", "kind": "ngo"}),
        )
        .await
        .assert_problem(409, "conflict");
    assert_eq!(p["errors"][0]["field"], "name");
    app.post(
        "/api/v1/donors",
        &committee,
        &json!({"name": "村委会捐赠方", "kind": "ngo"}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.patch(
        &format!("/api/v1/donors/{donor}"),
        &team,
        etag.as_deref(),
        &json!({"kind": "enterprise"}),
    )
    .await
    .assert_problem(403, "forbidden");
    let r = app
        .patch(
            &format!("/api/v1/donors/{donor}"),
            &dept,
            etag.as_deref(),
            &json!({"kind": "enterprise", "contact": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["contact"], Value::Null);
    // Found by pinyin initials; another department sees none of them.
    let found = app.get("/api/v1/donors?q=csgy", &committee).await.json();
    assert_eq!(found["items"][0]["id"], donor);
    app.get(&format!("/api/v1/donors/{donor}"), &jt)
        .await
        .assert_problem(404, "not-found");
    let theirs = app.get("/api/v1/donors?limit=500", &jt).await.json();
    assert!(theirs["items"]
        .as_array()
        .is_some_and(|d| d.iter().all(|d| d["name"] != "测试公益基金会")));
    // A donor of another department cannot be named in an entry.
    let deji = app.find_id("/api/v1/villages", &jt, "name", "德吉村").await;
    let jt_dept_entries = app.get("/api/v1/ledger?limit=500", &jt).await.json();
    assert!(jt_dept_entries["items"]
        .as_array()
        .is_some_and(|e| !e.is_empty() && e.iter().all(|e| e["village_id"] == deji)));
});

// The demo's 2019 money as FIGURES-2019 gives it (yuan ranges), from the ledger's own answers.
both_backends!(
    the_demo_holds_the_articles_money,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let project_funds = |title: &'static str| {
            let app = &app;
            let dept = &dept;
            async move {
                let p = app.find_id("/api/v1/projects", dept, "title", title).await;
                app.get(&format!("/api/v1/projects/{p}"), dept).await.json()["funds_received_fen"]
                    .as_i64()
                    .unwrap_or(-1)
            }
        };
        let yuan = 100;
        assert_eq!(
            project_funds("亚卡亚村养殖专业合作社养殖项目").await,
            300_000 * yuan
        );
        let irrigation = project_funds("亚卡亚村灌溉防渗水工程项目").await;
        assert!((900_000 * yuan..1_000_000 * yuan).contains(&irrigation));
        assert_eq!(project_funds("琼果村集体藏餐馆").await, 20_000 * yuan);

        let by_donor = app
            .get("/api/v1/ledger/totals?group_by=donor&year=2019", &dept)
            .await
            .json();
        let donor_sum = |names: &[&str]| -> i64 {
            by_donor["groups"]
                .as_array()
                .map(|g| {
                    g.iter()
                        .filter(|g| g["label"].as_str().is_some_and(|l| names.contains(&l)))
                        .filter_map(|g| g["received_fen"].as_i64())
                        .sum()
                })
                .unwrap_or(0)
        };
        let relief = [
            "西藏自治区红十字会",
            "镇江市民政局",
            "西藏信托有限公司",
            "西藏股权投资有限公司",
            "兴业银行拉萨分行",
            "12349便民服务中心",
        ];
        let relief_fen = donor_sum(&relief);
        assert!(
            (1_000_000 * yuan..1_100_000 * yuan).contains(&relief_fen),
            "{relief_fen}"
        );
        assert_eq!(donor_sum(&["西藏自治区妇女联合会"]), 10_000 * yuan);
        let grass = donor_sum(&["西藏自治区农业农村厅"]);
        assert!((140_000 * yuan..=160_000 * yuan).contains(&grass));
        // One reversal, some entries waiting for the committee.
        let reversed = app
            .get("/api/v1/ledger?year=2019&q=%E5%A4%9A%E5%BD%95", &dept)
            .await
            .json();
        assert_eq!(reversed["items"].as_array().map(Vec::len), Some(1));
        assert!(reversed["items"][0]["amount_fen"]
            .as_i64()
            .is_some_and(|a| a < 0));
        let waiting = app
            .get("/api/v1/ledger?unconfirmed=true", &dept)
            .await
            .json();
        assert!(
            waiting["total"]["count"].as_i64().is_some_and(|n| n > 0),
            "{waiting}"
        );
        // Earlier years back to 2012.
        let years = app
            .get("/api/v1/ledger/totals?group_by=year", &dept)
            .await
            .json();
        assert_eq!(years["groups"][0]["key"], "2012");
    }
);
