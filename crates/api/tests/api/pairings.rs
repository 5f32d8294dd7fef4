//! Pairings (结对认亲): many-to-many, one pair a year, references and places, validation, PATCH and
//! DELETE with If-Match, and the year's coverage by the category history.

use crate::both_backends;
use crate::common::*;
use crate::fixtures::household;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

pub async fn cadre(app: &TestApp, admin: &str, name: &str) -> i64 {
    app.find_id("/api/v1/cadres", admin, "name", name).await
}

pub async fn village(app: &TestApp, admin: &str, name: &str) -> i64 {
    app.find_id("/api/v1/villages", admin, "name", name).await
}

/// How many pairings the department admin sees with these filters.
async fn count(app: &TestApp, token: &str, filters: &str) -> i64 {
    let r = app
        .get(&format!("/api/v1/pairings?limit=1&{filters}"), token)
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["total"]["count"].as_i64().unwrap_or(-1)
}

fn pairing(household: i64, cadre: i64, year: i32) -> Value {
    json!({"household_id": household, "cadre_id": cadre, "year": year, "note": "每季度入户一次"})
}

both_backends!(
    many_to_many_and_one_pair_a_year,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let team = app.login("team_magada").await;
        let magada = village(&app, &admin, "马格达村").await;
        let h1 = household(&app, magada, "次旦", &[("poor", "2016-01-01")]);
        let h2 = household(&app, magada, "巴桑", &[("marginal", "2017-03-01")]);
        // Cadres of their own: the demo's cadres are paired already.
        let mut fresh = Vec::new();
        for name in ["扎西", "格桑"] {
            let r = app
                .post("/api/v1/cadres", &admin, &json!({"name": name}))
                .await;
            assert_eq!(r.status, 201, "{}", r.text());
            fresh.push(r.json()["id"].as_i64().unwrap_or(0));
        }
        let (c1, c2) = (fresh[0], fresh[1]);
        let r = app
            .post("/api/v1/pairings", &team, &pairing(h1, c1, 2019))
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let p = r.json();
        assert_eq!(p["household_name"], "次旦");
        assert_eq!(p["cadre_name"], "扎西");
        assert_eq!(p["village_name"], "马格达村");
        assert_eq!(p["village_id"], magada);
        assert_eq!(p["year"], 2019);
        assert_eq!(p["note"], "每季度入户一次");
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        // One cadre, two households; one household, two cadres; the same pair in another year.
        for (h, c, y) in [(h2, c1, 2019), (h1, c2, 2019), (h1, c1, 2020)] {
            let r = app.post("/api/v1/pairings", &team, &pairing(h, c, y)).await;
            assert_eq!(r.status, 201, "{}", r.text());
        }
        assert_eq!(
            count(&app, &admin, &format!("cadre_id={c1}&year=2019")).await,
            2
        );
        assert_eq!(
            count(&app, &admin, &format!("household_id={h1}&year=2019")).await,
            2
        );
        assert_eq!(count(&app, &admin, &format!("household_id={h1}")).await, 3);
        // The same pair again in a year: 409 on cadre_id, nothing written.
        let dup = app
            .post("/api/v1/pairings", &team, &pairing(h1, c1, 2019))
            .await;
        assert_eq!(
            dup.assert_problem(409, "conflict")["errors"][0]["field"],
            "cadre_id"
        );
        assert_eq!(count(&app, &admin, &format!("household_id={h1}")).await, 3);
        // A create retried with its Idempotency-Key gives the first answer, not a second row.
        let retry = || {
            TestRequest::post()
                .uri("/api/v1/pairings")
                .insert_header(("authorization", format!("Bearer {team}")))
                .insert_header(("idempotency-key", "pairing-h2-c2-2019"))
                .set_json(pairing(h2, c2, 2019))
        };
        let first = app.send(retry()).await;
        assert_eq!(first.status, 201, "{}", first.text());
        let again = app.send(retry()).await;
        assert_eq!(again.json()["id"], first.json()["id"]);
        assert_eq!(count(&app, &admin, &format!("household_id={h2}")).await, 2);
        // Sorted by household name (pinyin) the list pages with its cursor.
        let page = app
            .get(
                &format!("/api/v1/pairings?cadre_id={c1}&sort=household&limit=2"),
                &admin,
            )
            .await
            .json();
        assert_eq!(page["items"][0]["household_name"], "巴桑");
        let next = page["next_cursor"].as_str().unwrap_or_default().to_owned();
        let rest = app
            .get(
                &format!("/api/v1/pairings?cadre_id={c1}&sort=household&limit=2&cursor={next}"),
                &admin,
            )
            .await;
        assert_eq!(rest.status, 200, "{}", rest.text());
        assert_eq!(rest.json()["items"][0]["household_name"], "次旦");
    }
);

both_backends!(references_and_places, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let staff = app.login("office_staff").await;
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let jt = app.login("jt_admin").await;
    let magada = village(&app, &admin, "马格达村").await;
    let yakaya = village(&app, &admin, "亚卡亚村").await;
    let deji = village(&app, &jt, "德吉村").await;
    let own = household(&app, magada, "次旦", &[("poor", "2016-01-01")]);
    let other_village = household(&app, yakaya, "巴桑", &[("poor", "2016-01-01")]);
    let other_dept = household(&app, deji, "尼玛次仁", &[("poor", "2016-01-01")]);
    let c = cadre(&app, &admin, "扎西").await;
    let jt_cadre = app
        .post("/api/v1/cadres", &jt, &json!({"name": "顿珠"}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap_or(0);
    // Another department's cadre: 400 on cadre_id. Its household: 404, like a missing one.
    let r = app
        .post("/api/v1/pairings", &team, &pairing(own, jt_cadre, 2019))
        .await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["field"], "cadre_id", "{p}");
    assert_eq!(p["errors"][0]["code"], "no_such", "{p}");
    app.post("/api/v1/pairings", &staff, &pairing(other_dept, c, 2019))
        .await
        .assert_problem(404, "not-found");
    app.post("/api/v1/pairings", &staff, &pairing(999_999, c, 2019))
        .await
        .assert_problem(404, "not-found");
    // A team writes for its own village only; the department for all of its villages.
    app.post("/api/v1/pairings", &team, &pairing(other_village, c, 2019))
        .await
        .assert_problem(404, "not-found");
    let r = app
        .post("/api/v1/pairings", &staff, &pairing(other_village, c, 2019))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let in_yakaya = r.json()["id"].as_i64().unwrap_or(0);
    app.get(&format!("/api/v1/pairings/{in_yakaya}"), &team)
        .await
        .assert_problem(404, "not-found");
    let r = app
        .post("/api/v1/pairings", &team, &pairing(own, c, 2019))
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let in_magada = r.json()["id"].as_i64().unwrap_or(0);
    // The committee of the village: nothing to read, a 403 on writes to its own village.
    app.get(&format!("/api/v1/pairings/{in_magada}"), &committee)
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v1/pairings", &committee)
        .await
        .assert_problem(403, "forbidden");
    app.get("/api/v1/pairings/coverage?year=2019", &committee)
        .await
        .assert_problem(403, "forbidden");
    app.post("/api/v1/pairings", &committee, &pairing(own, c, 2021))
        .await
        .assert_problem(403, "forbidden");
    app.patch(
        &format!("/api/v1/pairings/{in_magada}"),
        &committee,
        None,
        &json!({"note": "x"}),
    )
    .await
    .assert_problem(403, "forbidden");
    // Another department never sees it.
    app.get(&format!("/api/v1/pairings/{in_magada}"), &jt)
        .await
        .assert_problem(404, "not-found");
    let jt_list = app.get("/api/v1/pairings?limit=500", &jt).await.json();
    assert!(jt_list["items"]
        .as_array()
        .is_some_and(|a| a.iter().all(|p| p["id"] != in_magada)));
});

both_backends!(bad_pairings_write_nothing, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let team = app.login("team_magada").await;
    let magada = village(&app, &admin, "马格达村").await;
    let h = household(&app, magada, "次旦", &[("poor", "2016-01-01")]);
    let c = cadre(&app, &admin, "扎西").await;
    let before = count(&app, &admin, "").await;
    let cases: [(&str, Value, &str); 5] = [
        ("before the programme", json!({"year": 2005}), "year"),
        ("far future", json!({"year": 2300}), "year"),
        (
            "an ID number in the note",
            json!({"note": "身份证540121199001011234"}),
            "note",
        ),
        (
            "control character",
            json!({"note": "入户\u{7}走访"}),
            "note",
        ),
        ("too long", json!({"note": "长".repeat(2001)}), "note"),
    ];
    for (what, change, field) in cases {
        let mut b = pairing(h, c, 2019);
        if let (Some(o), Some(ch)) = (b.as_object_mut(), change.as_object()) {
            for (k, v) in ch {
                o.insert(k.clone(), v.clone());
            }
        }
        let r = app.post("/api/v1/pairings", &team, &b).await;
        let p = r.assert_problem(400, "validation");
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|x| x["field"].as_str()).collect())
            .unwrap_or_default();
        assert!(fields.contains(&field), "{what}: {p}");
    }
    // Every bad field at once.
    let r = app
        .post(
            "/api/v1/pairings",
            &team,
            &json!({"household_id": h, "cadre_id": c, "year": 1999, "note": "540121199001011234"}),
        )
        .await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"].as_array().map(Vec::len), Some(2), "{p}");
    // Unknown fields, wrong types and missing fields.
    for b in [
        json!({"household_id": h, "cadre_id": c, "year": 2019, "fish": 1}),
        json!({"household_id": h, "cadre_id": c, "year": "2019年"}),
        json!({"household_id": h, "year": 2019}),
    ] {
        app.post("/api/v1/pairings", &team, &b)
            .await
            .assert_problem(400, "validation");
    }
    assert_eq!(count(&app, &admin, "").await, before);
});

both_backends!(note_and_delete_with_if_match, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let team = app.login("team_magada").await;
    let magada = village(&app, &admin, "马格达村").await;
    let h = household(&app, magada, "次旦", &[("poor", "2016-01-01")]);
    let c = cadre(&app, &admin, "扎西").await;
    let r = app
        .post("/api/v1/pairings", &team, &pairing(h, c, 2019))
        .await;
    let id = r.json()["id"].as_i64().unwrap_or(0);
    let url = format!("/api/v1/pairings/{id}");
    let r = app
        .patch(
            &url,
            &team,
            Some("\"1\""),
            &json!({"note": "已入户走访三次"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["version"], 2);
    // Saving without changes writes nothing; a stale version is a 412.
    let r = app
        .patch(
            &url,
            &team,
            Some("\"2\""),
            &json!({"note": "已入户走访三次"}),
        )
        .await;
    assert_eq!(r.json()["version"], 2);
    app.patch(&url, &team, Some("\"1\""), &json!({"note": "x"}))
        .await
        .assert_problem(412, "precondition-failed");
    // The household, cadre and year are not patched: delete and enter again.
    app.patch(&url, &team, None, &json!({"year": 2020}))
        .await
        .assert_problem(400, "validation");
    let delete = |tag: Option<&str>| {
        let mut req = TestRequest::delete()
            .uri(&url)
            .insert_header(("authorization", format!("Bearer {team}")));
        if let Some(t) = tag {
            req = req.insert_header(("if-match", t.to_owned()));
        }
        req
    };
    let p = app
        .send(delete(None))
        .await
        .assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["field"], "If-Match", "{p}");
    app.send(delete(Some("\"1\"")))
        .await
        .assert_problem(412, "precondition-failed");
    let committee = app.login("committee_magada").await;
    app.send(
        TestRequest::delete()
            .uri(&url)
            .insert_header(("authorization", format!("Bearer {committee}")))
            .insert_header(("if-match", "\"2\"")),
    )
    .await
    .assert_problem(403, "forbidden");
    assert_eq!(app.get(&url, &team).await.status, 200);
    let r = app.send(delete(Some("\"2\""))).await;
    assert_eq!(r.status, 204, "{}", r.text());
    app.get(&url, &team).await.assert_problem(404, "not-found");
    app.send(delete(Some("\"2\"")))
        .await
        .assert_problem(404, "not-found");
    // Audited with the row as it was.
    let id_text = id.to_string();
    let audit = app
        .get("/api/v1/audit?action=delete&limit=10", &admin)
        .await
        .json();
    let entry = audit["items"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|e| e["entity_id"].as_str() == Some(id_text.as_str()))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(entry["entity"], "pairing", "{audit}");
    assert_eq!(entry["before"]["id"], id, "{entry}");
    assert!(entry["after"].is_null(), "{entry}");
});

both_backends!(
    coverage_follows_the_category_history,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let staff = app.login("office_staff").await;
        let team = app.login("team_magada").await;
        let regional = app.login("regional").await;
        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": "覆盖测试村", "prefecture": "拉萨市", "county": "城关区"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let v = r.json()["id"].as_i64().unwrap_or(0);
        let a = household(&app, v, "甲户", &[("poor", "2016-01-01")]);
        let _lifted_2020 = household(
            &app,
            v,
            "乙户",
            &[("marginal", "2016-01-01"), ("lifted", "2020-06-01")],
        );
        let c_monitored = household(
            &app,
            v,
            "丙户",
            &[("ordinary", "2016-01-01"), ("monitored", "2022-05-01")],
        );
        let _later = household(&app, v, "丁户", &[("poor", "2023-01-01")]);
        let _lifted_last_day = household(
            &app,
            v,
            "戊户",
            &[("poor", "2016-01-01"), ("lifted", "2022-12-31")],
        );
        let f = household(
            &app,
            v,
            "己户",
            &[("monitored", "2016-01-01"), ("lifted", "2023-03-01")],
        );
        let url = format!("/api/v1/pairings/coverage?year=2022&village_id={v}");
        let r = app.get(&url, &staff).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let before = r.json();
        assert_eq!(before["as_of"], "2022-12-31");
        assert_eq!(before["households_needing"], 3, "{before}");
        assert_eq!(before["households_unpaired"], 3, "{before}");
        let ids: Vec<i64> = before["unpaired_households"]
            .as_array()
            .map(|a| a.iter().filter_map(|h| h["id"].as_i64()).collect())
            .unwrap_or_default();
        let mut want = vec![a, c_monitored, f];
        want.sort_unstable();
        let mut got = ids.clone();
        got.sort_unstable();
        assert_eq!(got, want, "{before}");
        let c = cadre(&app, &admin, "扎西").await;
        let unpaired_cadre = |cov: &Value| {
            cov["unpaired_cadres"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["id"] == c))
        };
        assert!(unpaired_cadre(&before));
        assert_eq!(
            before["cadres_active"].as_i64().unwrap_or(0),
            before["cadres_paired"].as_i64().unwrap_or(0)
                + before["cadres_unpaired"].as_i64().unwrap_or(0)
        );
        let r = app
            .post("/api/v1/pairings", &staff, &pairing(a, c, 2022))
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let after = app.get(&url, &staff).await.json();
        assert_eq!(after["households_needing"], 3, "{after}");
        assert_eq!(after["households_paired"], 1, "{after}");
        assert_eq!(after["households_unpaired"], 2, "{after}");
        assert!(!unpaired_cadre(&after));
        assert_eq!(
            after["cadres_unpaired"].as_i64().unwrap_or(0),
            before["cadres_unpaired"].as_i64().unwrap_or(0) - 1
        );
        // The running year is judged today; years out of range are a 400.
        let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
        let now = app
            .get(&format!("/api/v1/pairings/coverage?village_id={v}"), &admin)
            .await
            .json();
        assert_eq!(now["year"], year, "{now}");
        // 丁户 is poor today; 甲户 too; 丙户 monitored; the lifted ones are not.
        assert_eq!(now["households_needing"], 3, "{now}");
        app.get("/api/v1/pairings/coverage?year=1999", &admin)
            .await
            .assert_problem(400, "validation");
        // A team sees its villages only; regional nothing.
        app.get(&url, &team).await.assert_problem(404, "not-found");
        let own = app
            .get("/api/v1/pairings/coverage?year=2022", &team)
            .await
            .json();
        assert!(own["unpaired_households"]
            .as_array()
            .is_some_and(|a| a.iter().all(|h| h["village_name"] == "马格达村")));
        app.get(&url, &regional)
            .await
            .assert_problem(403, "forbidden");
    }
);

both_backends!(coverage_and_totals_are_not_ids, |app: TestApp| async move {
    let admin = app.login("admin").await;
    // A literal segment is its own route: other methods are a 405 naming only its own.
    for path in ["/api/v1/pairings/coverage", "/api/v1/assistance/totals"] {
        for req in [
            TestRequest::patch().set_json(json!({})),
            TestRequest::delete(),
            TestRequest::post().set_json(json!({})),
        ] {
            let r = app
                .send(
                    req.uri(path)
                        .insert_header(("authorization", format!("Bearer {admin}"))),
                )
                .await;
            r.assert_problem(405, "method-not-allowed");
            assert_eq!(r.header("allow").as_deref(), Some("GET"), "{path}");
        }
    }
    // An id that is not a number is no such row.
    app.get("/api/v1/pairings/abc", &admin)
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v1/assistance/-3", &admin)
        .await
        .assert_problem(404, "not-found");
});
