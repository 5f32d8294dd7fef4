//! 交接: drafting a handover as a snapshot of the village's open matters, correcting the draft,
//! who may sign it (only the incoming team's leader), immutability after sign-off (409 over HTTP,
//! and the database triggers refuse even a direct change), visibility from both teams, bad input
//! → 400 and nothing written, and access per user.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

async fn team(app: &TestApp, token: &str, name: &str) -> i64 {
    app.find_id("/api/v1/teams", token, "name", name).await
}

async fn sign(app: &TestApp, token: &str, team: i64, etag: Option<&str>) -> Resp {
    let mut req = TestRequest::post()
        .uri(&format!("/api/v1/teams/{team}/handover/sign"))
        .insert_header(("authorization", format!("Bearer {token}")));
    if let Some(tag) = etag {
        req = req.insert_header(("if-match", tag.to_owned()));
    }
    app.send(req).await
}

fn keys(h: &Value) -> Vec<String> {
    h["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_owned())
        .collect()
}

both_backends!(draft_sign_and_immutability, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let dept = app.login("office_staff").await;
    let yakaya = app.login("team_yakaya").await;
    let magada = app.login("team_magada").await;
    let old = team(&app, &admin, "驻亚卡亚村工作队（2019）").await;
    let new = team(&app, &admin, "驻亚卡亚村工作队").await;
    // Bad input: nothing written.
    let r = app
        .post(
            &format!("/api/v1/teams/{old}/handover"),
            &dept,
            &json!({"documents": ["  "]}),
        )
        .await;
    r.assert_problem(400, "validation");
    let r = app
        .post(
            &format!("/api/v1/teams/{old}/handover"),
            &dept,
            &json!({"documents": ["x".repeat(201)]}),
        )
        .await;
    r.assert_problem(400, "validation");
    app.get(&format!("/api/v1/teams/{old}/handover"), &dept)
        .await
        .assert_problem(404, "not-found");
    // The department drafts for the outgoing team; the incoming team is the next round's.
    let r = app
        .post(
            &format!("/api/v1/teams/{old}/handover"),
            &dept,
            &json!({"documents": [" 驻村工作日志 3 册 "]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let h = r.json();
    assert_eq!(h["status"], "draft");
    assert_eq!(h["outgoing_team_id"], old);
    assert_eq!(h["incoming_team_id"], new);
    assert_eq!(h["documents"], json!(["驻村工作日志 3 册"]));
    assert_eq!(
        keys(&h),
        [
            "open_projects",
            "unconfirmed_ledger",
            "open_needs",
            "ledger_balance",
            "decisions_in_progress"
        ]
    );
    // The ledger balance by source agrees with the ledger's own totals for the village.
    let village = h["village_id"].as_i64().unwrap();
    let totals = app
        .get(
            &format!("/api/v1/ledger/totals?village_id={village}&group_by=source"),
            &dept,
        )
        .await;
    assert_eq!(totals.status, 200, "{}", totals.text());
    let t = totals.json();
    let balance: i64 = h["sections"][3]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["amount_fen"].as_i64().unwrap())
        .sum();
    assert_eq!(
        balance,
        t["total"]["received_fen"].as_i64().unwrap() - t["total"]["spent_fen"].as_i64().unwrap()
    );
    assert_eq!(
        h["sections"][3]["items"].as_array().map(Vec::len),
        t["groups"].as_array().map(Vec::len)
    );
    // The decisions in progress are the village's 四议两公开 matters not yet stopped.
    let open = app
        .get(
            &format!("/api/v1/decisions?village_id={village}&status=in_progress&limit=100"),
            &dept,
        )
        .await
        .json();
    let mut listed: Vec<i64> = open["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let mut drafted: Vec<i64> = h["sections"][4]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["ref_id"].as_i64().unwrap())
        .collect();
    listed.sort_unstable();
    drafted.sort_unstable();
    assert_eq!(drafted, listed);
    // A second draft for the same team: 409.
    let r = app
        .post(&format!("/api/v1/teams/{old}/handover"), &dept, &json!({}))
        .await;
    assert_eq!(r.assert_problem(409, "conflict")["code"], "handover_exists");
    // Visible from both teams; the same document.
    let a = app
        .get(&format!("/api/v1/teams/{old}/handover"), &yakaya)
        .await;
    let b = app
        .get(&format!("/api/v1/teams/{new}/handover"), &yakaya)
        .await;
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json(), b.json());
    // Corrected while a draft (If-Match), a stale tag is a 412.
    let tag = a.header("etag").unwrap();
    let r = app
        .patch(
            &format!("/api/v1/teams/{new}/handover"),
            &yakaya,
            Some(&tag),
            &json!({"documents": ["驻村工作日志 3 册", "建档立卡户花名册"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["documents"].as_array().map(Vec::len), Some(2));
    app.patch(
        &format!("/api/v1/teams/{new}/handover"),
        &yakaya,
        Some(&tag),
        &json!({"documents": []}),
    )
    .await
    .assert_problem(412, "precondition-failed");
    // Who signs: not the department, not another village's team (404), only the incoming leader.
    let p = sign(&app, &dept, old, None)
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(p["code"], "handover_incoming_leader_only");
    sign(&app, &magada, old, None)
        .await
        .assert_problem(404, "not-found");
    sign(&app, &admin, old, None)
        .await
        .assert_problem(403, "forbidden");
    let r = sign(&app, &yakaya, old, None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let signed = r.json();
    assert_eq!(signed["status"], "signed");
    assert!(signed["signed_at"].is_string());
    assert!(signed["signed_by_name"].is_string());
    // Immutable: no change, no second signature, no redraft.
    let p = app
        .patch(
            &format!("/api/v1/teams/{old}/handover"),
            &dept,
            None,
            &json!({"documents": ["改动"]}),
        )
        .await
        .assert_problem(409, "conflict");
    assert_eq!(p["code"], "handover_signed");
    app.patch(
        &format!("/api/v1/teams/{old}/handover"),
        &yakaya,
        None,
        &json!({"redraft": true}),
    )
    .await
    .assert_problem(409, "conflict");
    assert_eq!(
        sign(&app, &yakaya, old, None)
            .await
            .assert_problem(409, "conflict")["code"],
        "handover_signed"
    );
    let after = app
        .get(&format!("/api/v1/teams/{old}/handover"), &dept)
        .await
        .json();
    assert_eq!(after, signed);
    // The database refuses a change or removal of a signed handover.
    let id = signed["id"].as_i64().unwrap();
    assert!(app
        .sql(&format!(
            "UPDATE handovers SET documents = '[]' WHERE id = {id}"
        ))
        .is_err());
    assert!(app
        .sql(&format!("DELETE FROM handovers WHERE id = {id}"))
        .is_err());
    // A draft may still be changed directly (the trigger guards signed rows only).
    assert!(app
        .sql("UPDATE handovers SET updated_at = updated_at WHERE status = 'draft'")
        .is_ok());
});

both_backends!(the_demo_handover_and_access, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let dept = app.login("office_staff").await;
    let magada = app.login("team_magada").await;
    let yakaya = app.login("team_yakaya").await;
    let committee = app.login("committee_magada").await;
    let regional = app.login("regional").await;
    let jt = app.login("jt_admin").await;
    let old = team(&app, &admin, "驻马格达村工作队（2019）").await;
    let new = team(&app, &admin, "驻马格达村工作队").await;
    // The demo's signed handover between the last two rounds of 马格达村.
    let h = app
        .get(&format!("/api/v1/teams/{new}/handover"), &magada)
        .await;
    assert_eq!(h.status, 200, "{}", h.text());
    let h = h.json();
    assert_eq!(h["status"], "signed");
    assert_eq!(h["outgoing_team_id"], old);
    assert_eq!(h["signed_by_name"], "次仁多吉");
    assert!(h["documents"].as_array().is_some_and(|d| !d.is_empty()));
    // GET per user; PATCH (a signed one: 409 for those who may write, else their refusal).
    let body = json!({"documents": []});
    for (token, get, patch) in [
        (&admin, 200, 403),
        (&dept, 200, 409),
        (&magada, 200, 409),
        (&committee, 404, 404),
        (&yakaya, 404, 404),
        (&regional, 404, 404),
        (&jt, 404, 404),
    ] {
        let r = app
            .get(&format!("/api/v1/teams/{old}/handover"), token)
            .await;
        assert_eq!(r.status, get, "GET {}", r.text());
        let r = app
            .patch(&format!("/api/v1/teams/{old}/handover"), token, None, &body)
            .await;
        assert_eq!(r.status, patch, "PATCH {}", r.text());
    }
    // POST: another village's team or department does not exist for the caller; the committee
    // and the admin may not draft.
    let other = team(&app, &admin, "驻亚卡亚村工作队（2019）").await;
    for (token, status) in [
        (&magada, 404),
        (&committee, 404),
        (&admin, 403),
        (&regional, 404),
        (&jt, 404),
    ] {
        let r = app
            .post(
                &format!("/api/v1/teams/{other}/handover"),
                token,
                &json!({}),
            )
            .await;
        assert_eq!(r.status, status, "POST {}", r.text());
    }
    // The running team has no later round: nothing to hand over to yet.
    let r = app
        .post(&format!("/api/v1/teams/{new}/handover"), &dept, &json!({}))
        .await;
    assert_eq!(
        r.assert_problem(409, "conflict")["code"],
        "handover_no_incoming_team"
    );
});
