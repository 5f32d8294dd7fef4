//! The organisation module end to end: create, read, list, update, deactivate; and its rules.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};

both_backends!(rounds_teams_and_members, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let rounds = app.get("/api/v1/rounds", &admin).await.json();
    let items = rounds["items"].as_array().cloned().unwrap_or_default();
    assert!(items.len() >= 16, "rounds since 2011");
    assert!(
        items[0]["number"].as_i64() > items[1]["number"].as_i64(),
        "newest first by default"
    );
    assert_eq!(
        items.last().map(|r| r["starts_on"].clone()),
        Some(json!("2011-10-01"))
    );

    let bad = app
        .post(
            "/api/v1/rounds",
            &admin,
            &json!({"number": 99, "starts_on": "2010-01-01", "ends_on": "2009-01-01"}),
        )
        .await;
    assert_eq!(
        bad.assert_problem(400, "validation")["errors"][0]["field"],
        "starts_on"
    );
    let dup = app
        .post(
            "/api/v1/rounds",
            &admin,
            &json!({"number": 1, "starts_on": "2030-10-01", "ends_on": "2031-09-30"}),
        )
        .await;
    // Named constraints map to the field, on both backends.
    assert_eq!(
        dup.assert_problem(409, "conflict")["errors"][0]["field"],
        "number"
    );
    let r = app.post("/api/v1/rounds", &admin, &json!({"number": 40, "name": "第四十批", "starts_on": "2050-10-01", "ends_on": "2051-09-30"})).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let round_id = r.json()["id"].as_i64().unwrap_or(0);

    let village = app
        .post("/api/v1/villages", &admin, &json!({"name": "新驻点村", "name_bo": "གསར་པ།", "prefecture": "林芝市", "county": "巴宜区", "code": "540402100201"}))
        .await;
    assert_eq!(village.status, 201, "{}", village.text());
    let village_id = village.json()["id"].as_i64().unwrap_or(0);
    let dup_code = app.post("/api/v1/villages", &admin, &json!({"name": "重码村", "prefecture": "林芝市", "county": "巴宜区", "code": "540402100201"})).await;
    assert_eq!(
        dup_code.assert_problem(409, "conflict")["errors"][0]["field"],
        "code"
    );

    let team = app
        .post(
            "/api/v1/teams",
            &admin,
            &json!({"round_id": round_id, "village_id": village_id, "name": "驻新驻点村工作队"}),
        )
        .await;
    assert_eq!(team.status, 201, "{}", team.text());
    assert_eq!(team.json()["round_number"], 40);
    assert_eq!(team.json()["village_name"], "新驻点村");
    let team_id = team.json()["id"].as_i64().unwrap_or(0);
    let dup_team = app
        .post(
            "/api/v1/teams",
            &admin,
            &json!({"round_id": round_id, "village_id": village_id}),
        )
        .await;
    assert_eq!(
        dup_team.assert_problem(409, "conflict")["errors"][0]["field"],
        "village_id"
    );
    let bad_ref = app
        .post(
            "/api/v1/teams",
            &admin,
            &json!({"round_id": 999999, "village_id": village_id}),
        )
        .await;
    assert_eq!(
        bad_ref.assert_problem(400, "validation")["errors"][0]["field"],
        "round_id"
    );

    let cadre = app
        .post("/api/v1/cadres", &admin, &json!({"name": "旺堆", "name_bo": "དབང་འདུས།", "position": "科员", "phone": "+86 138-0000-0000"}))
        .await;
    assert_eq!(cadre.status, 201, "{}", cadre.text());
    let cadre_id = cadre.json()["id"].as_i64().unwrap_or(0);
    app.post(
        "/api/v1/cadres",
        &admin,
        &json!({"name": "x", "phone": "call me"}),
    )
    .await
    .assert_problem(400, "validation");

    let m = app
        .post(
            &format!("/api/v1/teams/{team_id}/members"),
            &admin,
            &json!({"cadre_id": cadre_id, "is_leader": true, "from_date": "2050-10-01"}),
        )
        .await;
    assert_eq!(m.status, 201, "{}", m.text());
    assert_eq!(m.json()["cadre_name"], "旺堆");
    assert_eq!(m.json()["is_leader"], true);
    assert_eq!(m.json()["to_date"], Value::Null);
    // Outside the round, or twice at once: refused with the field named.
    let outside = app
        .post(
            &format!("/api/v1/teams/{team_id}/members"),
            &admin,
            &json!({"cadre_id": cadre_id, "from_date": "2049-01-01"}),
        )
        .await;
    assert_eq!(
        outside.assert_problem(400, "validation")["errors"][0]["field"],
        "from_date"
    );
    let twice = app
        .post(
            &format!("/api/v1/teams/{team_id}/members"),
            &admin,
            &json!({"cadre_id": cadre_id, "from_date": "2051-01-01"}),
        )
        .await;
    assert_eq!(
        twice.assert_problem(400, "validation")["errors"][0]["field"],
        "from_date"
    );
    let member_id = m.json()["id"].as_i64().unwrap_or(0);
    let etag = m.header("etag").unwrap_or_default();
    let ended = app
        .patch(
            &format!("/api/v1/teams/{team_id}/members/{member_id}"),
            &admin,
            Some(&etag),
            &json!({"to_date": "2050-12-31"}),
        )
        .await;
    assert_eq!(ended.status, 200, "{}", ended.text());
    app.patch(
        &format!("/api/v1/teams/{team_id}/members/{member_id}"),
        &admin,
        Some(&etag),
        &json!({"to_date": "2051-01-31"}),
    )
    .await
    .assert_problem(412, "precondition-failed");
    let backwards = app
        .patch(
            &format!("/api/v1/teams/{team_id}/members/{member_id}"),
            &admin,
            None,
            &json!({"to_date": "2050-01-01"}),
        )
        .await;
    assert_eq!(
        backwards.assert_problem(400, "validation")["errors"][0]["field"],
        "to_date"
    );
    let members = app
        .get(&format!("/api/v1/teams/{team_id}/members"), &admin)
        .await
        .json();
    assert_eq!(members["items"].as_array().map(Vec::len), Some(1));
    let teams = app
        .get(&format!("/api/v1/teams?round_id={round_id}"), &admin)
        .await
        .json();
    assert_eq!(teams["items"][0]["member_count"], 1);
    // Another team's member id under this team is not found.
    let other_team = app
        .get("/api/v1/teams?limit=1&sort=id", &admin)
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.patch(
        &format!("/api/v1/teams/{other_team}/members/{member_id}"),
        &admin,
        None,
        &json!({"is_leader": false}),
    )
    .await
    .assert_problem(404, "not-found");

    // Deactivation keeps the row and its history.
    let d = app
        .patch(
            &format!("/api/v1/teams/{team_id}"),
            &admin,
            None,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(d.json()["active"], false);
    let inactive = app
        .get(
            &format!("/api/v1/teams?active=false&round_id={round_id}"),
            &admin,
        )
        .await
        .json();
    assert_eq!(inactive["items"].as_array().map(Vec::len), Some(1));
});

both_backends!(users_offices_and_departments, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let office = app
        .post("/api/v1/offices", &admin, &json!({"name": "新设处"}))
        .await;
    assert_eq!(office.status, 201);
    let office_id = office.json()["id"].as_i64().unwrap_or(0);
    app.post("/api/v1/offices", &admin, &json!({"name": "新设处"}))
        .await
        .assert_problem(409, "conflict");

    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let no_village = app
        .post("/api/v1/users", &admin, &json!({"username": "cwh_new", "display_name": "新村委", "role": "village_committee", "password": "long enough password"}))
        .await;
    assert_eq!(
        no_village.assert_problem(400, "validation")["errors"][0]["field"],
        "village_id"
    );
    let bad = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "A B", "display_name": "", "role": "boss", "password": "short"}),
        )
        .await;
    let fields: Vec<String> = bad.assert_problem(400, "validation")["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for f in ["username", "password", "display_name", "role"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    let u = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "CWH_New", "display_name": "新村委", "role": "village_committee", "password": "long enough password", "village_id": magada, "office_id": office_id}),
        )
        .await;
    assert_eq!(u.status, 201, "{}", u.text());
    assert_eq!(u.json()["username"], "cwh_new");
    assert!(u.json().get("password").is_none() && u.json().get("password_hash").is_none());
    let dup_user = app.post("/api/v1/users", &admin, &json!({"username": "cwh_new", "display_name": "重名", "role": "department", "password": "long enough password"}))
        .await;
    assert_eq!(
        dup_user.assert_problem(409, "conflict")["errors"][0]["field"],
        "username"
    );
    let t = app.login_full("cwh_new", "long enough password").await;
    assert_eq!(t.status, 200);
    let filtered = app
        .get("/api/v1/users?role=village_committee&limit=500", &admin)
        .await
        .json();
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(5));
    app.get("/api/v1/users?role=boss", &admin)
        .await
        .assert_problem(400, "validation");

    // The last admin cannot be demoted.
    let me = app
        .find_id("/api/v1/users", &admin, "username", "admin")
        .await;
    app.patch(
        &format!("/api/v1/users/{me}"),
        &admin,
        None,
        &json!({"role": "department"}),
    )
    .await
    .assert_problem(409, "conflict");

    // Department settings default to the article's rules and validate.
    let dept = app.get("/api/v1/departments", &admin).await.json()["items"][0].clone();
    assert_eq!(
        dept["settings"],
        json!({"min_days_in_village": 20, "local_leave_max_days": 3, "min_team_size": 3,
            "villagers_quorum_percent": 50, "major_disclosure_days": 7})
    );
    let id = dept["id"].as_i64().unwrap_or(0);
    let bad = app
        .patch(&format!("/api/v1/departments/{id}"), &admin, None, &json!({"settings": {"min_days_in_village": 40, "local_leave_max_days": 3, "min_team_size": 3}}))
        .await;
    assert_eq!(
        bad.assert_problem(400, "validation")["errors"][0]["field"],
        "settings.min_days_in_village"
    );
    let ok = app
        .patch(&format!("/api/v1/departments/{id}"), &admin, Some(&format!("\"{}\"", dept["version"])), &json!({"settings": {"min_days_in_village": 22, "local_leave_max_days": 3, "min_team_size": 4}}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["settings"]["min_days_in_village"], 22);

    // A new tenant comes with its first admin, who sees only it.
    let created = app
        .post(
            "/api/v1/departments",
            &admin,
            &json!({"name": "西藏自治区农业农村厅", "admin_username": "ny_admin", "admin_display_name": "农业农村厅管理员", "admin_password": "a long admin password"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let ny = app
        .login_full("ny_admin", "a long admin password")
        .await
        .json()["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        app.get("/api/v1/villages", &ny).await.json()["items"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let trail = app.get("/api/v1/audit", &ny).await.json();
    assert!(trail["items"].as_array().is_some_and(|a| a
        .iter()
        .any(|e| e["entity"] == "user" && e["action"] == "create")));
});
