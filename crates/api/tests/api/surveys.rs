//! Village surveys: one per village per year, exact areas, validation, the comparison by year.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};

fn body(village: i64, year: i32) -> Value {
    json!({
        "village_id": village, "year": year, "population": 1120, "households": 236,
        "poor_households": 61, "marginal_households": 9, "pasture_mu": "186000.5",
        "cultivated_mu": "1250", "livestock": {"yaks": 3200, "sheep": 8600, "horses": 120},
        "per_capita_income_fen": 980000, "collective_income_fen": 12000000,
        "main_industries": "牦牛养殖、人工种草", "report": "第一行\n第二行 བཀྲ་ཤིས་བདེ་ལེགས།"
    })
}

async fn count(app: &TestApp, token: &str, village: i64) -> usize {
    app.get(
        &format!("/api/v1/surveys?village_id={village}&limit=500"),
        token,
    )
    .await
    .json()["items"]
        .as_array()
        .map_or(0, Vec::len)
}

both_backends!(one_survey_per_village_and_year, |app: TestApp| async move {
    let team = app.login("team_magada").await;
    let admin = app.login("admin").await;
    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let before = count(&app, &team, magada).await;
    let r = app
        .post("/api/v1/surveys", &team, &body(magada, 2013))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let s = r.json();
    // Areas come back exactly as sent; herds default to 0 where not given; text keeps its lines.
    assert_eq!(s["pasture_mu"], "186000.5");
    assert_eq!(s["cultivated_mu"], "1250");
    assert_eq!(s["livestock"]["goats"], 0);
    assert_eq!(s["livestock"]["yaks"], 3200);
    assert_eq!(s["village_name"], "马格达村");
    assert_eq!(s["report"], "第一行\n第二行 བཀྲ་ཤིས་བདེ་ལེགས།");
    // A second survey of the same village and year: 409 on `year`, nothing written.
    let dup = app
        .post("/api/v1/surveys", &team, &body(magada, 2013))
        .await;
    assert_eq!(
        dup.assert_problem(409, "conflict")["errors"][0]["field"],
        "year"
    );
    assert_eq!(count(&app, &team, magada).await, before + 1);
    // Moving a survey onto a year that has one is the same conflict.
    let id = s["id"].as_i64().unwrap_or(0);
    let moved = app
        .patch(
            &format!("/api/v1/surveys/{id}"),
            &team,
            None,
            &json!({"year": 2019}),
        )
        .await;
    assert_eq!(
        moved.assert_problem(409, "conflict")["errors"][0]["field"],
        "year"
    );
    // A correction with the loaded version.
    let etag = app
        .get(&format!("/api/v1/surveys/{id}"), &team)
        .await
        .header("etag");
    let fixed = app
        .patch(
            &format!("/api/v1/surveys/{id}"),
            &team,
            etag.as_deref(),
            &json!({"population": 1125, "pasture_mu": "186000"}),
        )
        .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text());
    assert_eq!(fixed.json()["population"], 1125);
    assert_eq!(fixed.json()["pasture_mu"], "186000");
    assert_eq!(fixed.json()["version"], 2);
});

both_backends!(
    bad_surveys_are_refused_and_write_nothing,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let before = count(&app, &team, magada).await;
        let cases: [(&str, Value, &str); 9] = [
            ("two decimals", json!({"pasture_mu": "1.25"}), "pasture_mu"),
            (
                "negative area",
                json!({"cultivated_mu": "-3"}),
                "cultivated_mu",
            ),
            ("float area", json!({"pasture_mu": "1e5"}), "pasture_mu"),
            ("before the programme", json!({"year": 2005}), "year"),
            ("far future", json!({"year": 2300}), "year"),
            (
                "more poor than households",
                json!({"poor_households": 300}),
                "poor_households",
            ),
            ("negative count", json!({"population": -1}), "population"),
            (
                "negative herd",
                json!({"livestock": {"yaks": -5}}),
                "livestock.yaks",
            ),
            (
                "control character",
                json!({"main_industries": "牦牛\u{7}养殖"}),
                "main_industries",
            ),
        ];
        for (what, change, field) in cases {
            let mut b = body(magada, 2014);
            if let (Some(o), Some(c)) = (b.as_object_mut(), change.as_object()) {
                for (k, v) in c {
                    o.insert(k.clone(), v.clone());
                }
            }
            let r = app.post("/api/v1/surveys", &team, &b).await;
            let p = r.assert_problem(400, "validation");
            let fields: Vec<&str> = p["errors"]
                .as_array()
                .map(|e| e.iter().filter_map(|x| x["field"].as_str()).collect())
                .unwrap_or_default();
            assert!(fields.contains(&field), "{what}: {p}");
        }
        // Unknown fields and wrong types are refused too.
        let mut b = body(magada, 2014);
        b["fish"] = json!(3);
        app.post("/api/v1/surveys", &team, &b)
            .await
            .assert_problem(400, "validation");
        let mut b = body(magada, 2014);
        b["population"] = json!("many");
        app.post("/api/v1/surveys", &team, &b)
            .await
            .assert_problem(400, "validation");
        assert_eq!(count(&app, &team, magada).await, before);
    }
);

both_backends!(comparison_follows_access, |app: TestApp| async move {
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let admin = app.login("admin").await;
    let jt = app.login("jt_admin").await;
    let regional = app.login("regional").await;
    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let yakaya = app
        .find_id("/api/v1/villages", &admin, "name", "亚卡亚村")
        .await;
    let url = |v: i64| format!("/api/v1/villages/{v}/surveys/compare?from=2017&to=2019");
    let c = app.get(&url(magada), &team).await;
    assert_eq!(c.status, 200, "{}", c.text());
    let c = c.json();
    assert_eq!(c["years"], json!([2017, 2018, 2019]));
    // Each series has a value per year, in the years' order, as listed.
    let listed = app
        .get(
            &format!("/api/v1/surveys?village_id={magada}&sort=year&limit=500"),
            &team,
        )
        .await
        .json();
    let populations: Vec<Value> = listed["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|s| (2017..=2019).contains(&s["year"].as_i64().unwrap_or(0)))
                .map(|s| s["population"].clone())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(c["population"], Value::Array(populations));
    assert_eq!(c["yaks"].as_array().map(Vec::len), Some(3));
    // The committee of the village reads it; other villages and departments do not exist.
    assert_eq!(app.get(&url(magada), &committee).await.status, 200);
    app.get(&url(yakaya), &team)
        .await
        .assert_problem(404, "not-found");
    app.get(&url(magada), &jt)
        .await
        .assert_problem(404, "not-found");
    app.get(&url(magada), &regional)
        .await
        .assert_problem(404, "not-found");
    // Years out of order or out of range are a 400.
    app.get(
        &format!("/api/v1/villages/{magada}/surveys/compare?from=2020&to=2019"),
        &team,
    )
    .await
    .assert_problem(400, "validation");
    app.get(
        &format!("/api/v1/villages/{magada}/surveys/compare?from=1990"),
        &team,
    )
    .await
    .assert_problem(400, "validation");
});
