//! 合作社: members and contributions, the rule checklist, yearly accounts, the 60 % rule of a
//! distribution at its boundary with shares to the fen, bad input that writes nothing, access of
//! the sub-resources, and the demo's 2019 distribution in the annual report.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

async fn put_year(app: &TestApp, token: &str, coop: i64, year: i32, body: &Value) -> Resp {
    app.send(
        TestRequest::put()
            .uri(&format!("/api/v1/cooperatives/{coop}/years/{year}"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .set_json(body),
    )
    .await
}

fn id(r: &Resp) -> i64 {
    r.json()["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text()))
}

/// A household of the village, by the demo's lists.
async fn household_of(app: &TestApp, token: &str, village: i64) -> i64 {
    let r = app
        .get(
            &format!("/api/v1/households?village_id={village}&limit=1"),
            token,
        )
        .await;
    r.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text()))
}

both_backends!(
    a_year_distributed_under_the_sixty_percent_rule,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let yakaya = app
            .find_id(
                "/api/v1/villages",
                &app.login("admin").await,
                "name",
                "亚卡亚村",
            )
            .await;
        let r = app
        .post(
            "/api/v1/cooperatives",
            &team,
            &json!({"village_id": magada, "name": "马格达村牦牛奶合作社", "kind": "breeding",
                "founded_on": "2020-04-01", "rules": {"investment": "2020-04-01", "finance": "2020-04-01"}}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["rules_present"], 2);
        let coop = id(&r);
        // The same name in the same village is a 409 on `name`.
        let dup = app
            .post(
                "/api/v1/cooperatives",
                &team,
                &json!({"village_id": magada, "name": "马格达村牦牛奶合作社", "kind": "other",
                "founded_on": "2020-04-01"}),
            )
            .await
            .assert_problem(409, "conflict");
        assert_eq!(dup["errors"][0]["field"], "name");

        let own_household = household_of(&app, &team, magada).await;
        let foreign_household = household_of(&app, &app.login("office_staff").await, yakaya).await;
        let members = "/api/v1/cooperatives/".to_owned() + &coop.to_string() + "/members";
        let p = app
        .post(
            &members,
            &team,
            &json!({"name": "外村人", "household_id": foreign_household, "joined_on": "2020-04-01"}),
        )
        .await
        .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "household_id");
        let mut ids = Vec::new();
        for (name, cash, livestock, household) in [
            ("甲", 100_000, 0, Some(own_household)),
            ("乙", 300_000, 200_000, None),
            ("丙", 0, 0, None),
        ] {
            let r = app
                .post(
                    &members,
                    &team,
                    &json!({"name": name, "household_id": household, "joined_on": "2020-04-01",
                    "cash_fen": cash, "livestock_fen": livestock}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.text());
            ids.push(id(&r));
        }
        let c = app
            .get(&format!("/api/v1/cooperatives/{coop}"), &team)
            .await
            .json();
        assert_eq!(c["members"], 3);
        assert_eq!(c["capital_fen"], 600_000);

        // Accounts: 201, then 200; distributable = revenue − costs − losses − reserves.
        let accounts = json!({"revenue_fen": 2_000_000, "costs_fen": 900_000,
        "losses_made_good_fen": 50_000, "reserves_fen": 50_001});
        let r = put_year(&app, &team, coop, 2021, &accounts).await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["distributable_fen"], 999_999);
        let r = put_year(&app, &team, coop, 2021, &accounts).await;
        assert_eq!(r.status, 200, "{}", r.text());

        let trade = json!([{"member_id": ids[0], "trade_fen": 333}, {"member_id": ids[1], "trade_fen": 333},
        {"member_id": ids[2], "trade_fen": 334}]);
        let plan = |by_trade: i64, preview: bool| json!({"year": 2021, "by_trade_fen": by_trade, "trade": trade.clone(), "preview": preview});
        let dist = format!("/api/v1/cooperatives/{coop}/distributions");
        // 60 % of 999,999 fen is 599,999.4: 600,000 is needed; one fen less is refused, naming it.
        let p = app
            .post(&dist, &team, &plan(599_999, true))
            .await
            .assert_problem(422, "unprocessable");
        assert_eq!(p["code"], "distribution_below_sixty_percent");
        assert_eq!(p["params"]["short_fen"], "1");
        assert_eq!(p["params"]["required_fen"], "600000");
        let r = app.post(&dist, &team, &plan(600_000, true)).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let preview = r.json();
        assert_eq!(preview["id"], Value::Null);
        let shares = preview["shares"].as_array().cloned().unwrap_or_default();
        let sum = |k: &str| -> i64 { shares.iter().filter_map(|s| s[k].as_i64()).sum() };
        assert_eq!(sum("by_trade_fen"), 600_000);
        assert_eq!(sum("by_capital_fen"), 399_999);
        assert_eq!(sum("total_fen"), 999_999);
        // 丙 brought no capital: no capital share; 甲 and 乙 share it 1 : 5.
        assert_eq!(shares[2]["by_capital_fen"], 0);
        assert_eq!(shares[0]["by_capital_fen"], 66_667);
        assert_eq!(shares[1]["by_capital_fen"], 333_332);
        // Nothing stored by previews.
        let stored = app.get(&dist, &team).await.json();
        assert_eq!(stored["items"].as_array().map(Vec::len), Some(0));
        let r = app.post(&dist, &team, &plan(600_000, false)).await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["shares"], preview["shares"]);
        let again = app
            .post(&dist, &team, &plan(700_000, false))
            .await
            .assert_problem(409, "conflict");
        assert_eq!(again["code"], "distribution_exists", "{again}");
        let stored = app.get(&dist, &team).await.json();
        assert_eq!(stored["items"][0]["shares"], preview["shares"]);
        // The distributed year's accounts are closed; another year's are not.
        let closed = put_year(
            &app,
            &team,
            coop,
            2021,
            &json!({"revenue_fen": 3_000_000, "costs_fen": 900_000,
            "losses_made_good_fen": 50_000, "reserves_fen": 50_001}),
        )
        .await
        .assert_problem(409, "conflict");
        assert_eq!(closed["code"], "accounts_distributed", "{closed}");
        let years = app
            .get(&format!("/api/v1/cooperatives/{coop}/years"), &team)
            .await
            .json();
        assert_eq!(years["items"][0]["revenue_fen"], 2_000_000, "{years}");
        let r = put_year(&app, &team, coop, 2020, &accounts).await;
        assert_eq!(r.status, 201, "{}", r.text());
        // A year without accounts, a member of no such id.
        app.post(
            &dist,
            &team,
            &json!({"year": 2022, "by_trade_fen": 1, "trade": []}),
        )
        .await
        .assert_problem(400, "validation");
        app.post(
        &dist,
        &team,
        &json!({"year": 2021, "by_trade_fen": 600_000, "trade": [{"member_id": 999_999, "trade_fen": 1}], "preview": true}),
    )
    .await
    .assert_problem(400, "validation");
        // A member leaves; the list keeps them.
        let member = app.get(&members, &team).await;
        let etag = member.json()["items"][0]["version"].to_string();
        let r = app
            .patch(
                &format!("{members}/{}", ids[0]),
                &team,
                Some(&format!("\"{etag}\"")),
                &json!({"left_on": "2022-01-01"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let c = app
            .get(&format!("/api/v1/cooperatives/{coop}"), &team)
            .await
            .json();
        assert_eq!(c["members"], 2);
    }
);

async fn coop_count(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/cooperatives", token).await.json()["total"]["count"]
        .as_i64()
        .unwrap_or(-1)
}

both_backends!(bad_input_writes_nothing, |app: TestApp| async move {
    let team = app.login("team_magada").await;
    let magada = app
        .find_id("/api/v1/villages", &team, "name", "马格达村")
        .await;
    let before = coop_count(&app, &team).await;
    for (body, fields) in [
        (
            json!({"village_id": magada, "name": " ", "kind": "bank", "founded_on": "2999-01-01"}),
            vec!["name", "kind", "founded_on"],
        ),
        (
            json!({"village_id": magada, "name": "合作社", "kind": "other", "founded_on": "2020-01-01",
                "rules": {"wages": "2999-01-01"}}),
            vec!["rules.wages"],
        ),
    ] {
        let p = app
            .post("/api/v1/cooperatives", &team, &body)
            .await
            .assert_problem(400, "validation");
        let got: Vec<&str> = p["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(got, fields, "{p}");
    }
    assert_eq!(coop_count(&app, &team).await, before);
    let coop = app
        .find_id(
            "/api/v1/cooperatives",
            &team,
            "name",
            "马格达村民族手工艺合作社",
        )
        .await;
    let members = format!("/api/v1/cooperatives/{coop}/members");
    let n = app.get(&members, &team).await.json()["items"]
        .as_array()
        .map_or(0, Vec::len);
    let p = app
        .post(
            &members,
            &team,
            &json!({"name": "丁", "joined_on": "2024-01-01", "left_on": "2023-01-01", "cash_fen": -1}),
        )
        .await
        .assert_problem(400, "validation");
    assert_eq!(p["errors"].as_array().map(Vec::len), Some(2), "{p}");
    assert_eq!(
        app.get(&members, &team).await.json()["items"]
            .as_array()
            .map_or(0, Vec::len),
        n
    );
    put_year(
        &app,
        &team,
        coop,
        1999,
        &json!({"revenue_fen": 1, "costs_fen": 0}),
    )
    .await
    .assert_problem(400, "validation");
    put_year(
        &app,
        &team,
        coop,
        2022,
        &json!({"revenue_fen": -1, "costs_fen": 0}),
    )
    .await
    .assert_problem(400, "validation");
    let years = app
        .get(&format!("/api/v1/cooperatives/{coop}/years"), &team)
        .await
        .json();
    assert_eq!(years["items"].as_array().map(Vec::len), Some(0));
});

both_backends!(sub_resources_follow_access, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let breeding = app
        .find_id(
            "/api/v1/cooperatives",
            &admin,
            "name",
            "亚卡亚村养殖专业合作社",
        )
        .await;
    for sub in ["years", "distributions", "members"] {
        let path = format!("/api/v1/cooperatives/{breeding}/{sub}");
        for (user, status) in [
            ("admin", 200),
            ("office_staff", 200),
            ("team_yakaya", 200),
            ("committee_yakaya", 200),
            ("team_magada", 404),
            ("committee_magada", 404),
            ("regional", 404),
            ("jt_admin", 404),
        ] {
            let token = app.login(user).await;
            let r = app.get(&path, &token).await;
            assert_eq!(r.status.as_u16(), status, "{user} {path}: {}", r.text());
        }
    }
    // The committee reads but neither records accounts nor plans a distribution.
    let committee = app.login("committee_yakaya").await;
    put_year(
        &app,
        &committee,
        breeding,
        2020,
        &json!({"revenue_fen": 1, "costs_fen": 0}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post(
        &format!("/api/v1/cooperatives/{breeding}/distributions"),
        &committee,
        &json!({"year": 2019, "by_trade_fen": 1, "trade": [], "preview": true}),
    )
    .await
    .assert_problem(403, "forbidden");
});

both_backends!(
    the_demo_distribution_and_the_report,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let breeding = app
            .find_id(
                "/api/v1/cooperatives",
                &admin,
                "name",
                "亚卡亚村养殖专业合作社",
            )
            .await;
        let c = app
            .get(&format!("/api/v1/cooperatives/{breeding}"), &admin)
            .await
            .json();
        assert_eq!(c["rules_present"], 5, "{c}");
        let d = app
            .get(
                &format!("/api/v1/cooperatives/{breeding}/distributions"),
                &admin,
            )
            .await
            .json();
        let first = &d["items"][0];
        assert_eq!(first["year"], 2019);
        let distributable = first["distributable_fen"].as_i64().unwrap_or(0);
        let by_trade = first["by_trade_fen"].as_i64().unwrap_or(0);
        assert!(
            distributable > 0 && by_trade * 100 >= distributable * 60,
            "{first}"
        );
        let total: i64 = first["shares"]
            .as_array()
            .map(|s| s.iter().filter_map(|s| s["total_fen"].as_i64()).sum())
            .unwrap_or(-1);
        assert_eq!(total, distributable);
        let r = app
            .get("/api/v1/reports/annual?year=2019", &admin)
            .await
            .json();
        let co = &r["cooperatives"];
        assert_eq!(co["surplus_fen"].as_i64(), Some(distributable), "{co}");
        assert_eq!(
            co["distributed_to_members_fen"].as_i64(),
            Some(distributable)
        );
        assert_eq!(co["count"], 3, "{co}");
        // Members of 财政厅's cooperatives at the end of 2019.
        let all = app
            .get("/api/v1/cooperatives?limit=500", &admin)
            .await
            .json();
        let members_2019: i64 = {
            let mut n = 0;
            for coop in all["items"].as_array().into_iter().flatten() {
                let list = app
                    .get(
                        &format!("/api/v1/cooperatives/{}/members", coop["id"]),
                        &admin,
                    )
                    .await
                    .json();
                n += list["items"]
                    .as_array()
                    .map(|m| {
                        m.iter()
                            .filter(|m| m["joined_on"].as_str().is_some_and(|d| d <= "2019-12-31"))
                            .count()
                    })
                    .unwrap_or(0) as i64;
            }
            n
        };
        assert_eq!(co["members"].as_i64(), Some(members_2019), "{co}");
    }
);
