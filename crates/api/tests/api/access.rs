//! The access table over HTTP: every role × own row / another village / another department.

use crate::both_backends;
use crate::common::*;
use serde_json::json;

const USERS: [&str; 6] = [
    "admin",
    "office_staff",
    "team_magada",
    "committee_magada",
    "regional",
    "jt_admin",
];

both_backends!(village_access_table, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let jt = app.login("jt_admin").await;
    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let yakaya = app
        .find_id("/api/v1/villages", &admin, "name", "亚卡亚村")
        .await;
    let deji = app.find_id("/api/v1/villages", &jt, "name", "德吉村").await;

    // (user, [read magada, read yakaya, read deji], [update magada, update yakaya, update deji])
    let table: [(&str, [u16; 3], [u16; 3]); 6] = [
        ("admin", [200, 200, 404], [200, 200, 404]),
        ("office_staff", [200, 200, 404], [403, 403, 404]),
        ("team_magada", [200, 404, 404], [403, 404, 404]),
        ("committee_magada", [200, 404, 404], [403, 404, 404]),
        ("regional", [404, 404, 404], [404, 404, 404]),
        ("jt_admin", [404, 404, 200], [404, 404, 200]),
    ];
    for (user, reads, writes) in table {
        let token = app.login(user).await;
        for (i, id) in [magada, yakaya, deji].into_iter().enumerate() {
            let r = app.get(&format!("/api/v1/villages/{id}"), &token).await;
            assert_eq!(
                r.status.as_u16(),
                reads[i],
                "{user} reads village {id}: {}",
                r.text()
            );
            let r = app
                .patch(
                    &format!("/api/v1/villages/{id}"),
                    &token,
                    None,
                    &json!({"township": "测试乡"}),
                )
                .await;
            assert_eq!(
                r.status.as_u16(),
                writes[i],
                "{user} updates village {id}: {}",
                r.text()
            );
        }
    }
});

both_backends!(
    lists_are_narrowed_to_what_each_role_sees,
    |app: TestApp| async move {
        for user in USERS {
            let token = app.login(user).await;
            let villages = app.get("/api/v1/villages?limit=500", &token).await;
            let names: Vec<String> = villages.json()["items"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v["name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            match user {
                "admin" | "office_staff" => {
                    assert_eq!(villages.status, 200);
                    assert_eq!(names.len(), 12, "{user}: {names:?}");
                    assert!(!names.contains(&"德吉村".to_owned()));
                }
                "team_magada" | "committee_magada" => {
                    assert_eq!(names, vec!["马格达村".to_owned()], "{user}")
                }
                "jt_admin" => assert_eq!(names, vec!["德吉村".to_owned()]),
                _ => {
                    villages.assert_problem(403, "forbidden");
                }
            };
            let teams = app.get("/api/v1/teams?limit=500", &token).await;
            if let Some(items) = teams.json()["items"].as_array() {
                if user.ends_with("magada") {
                    assert_eq!(items.len(), 2, "current and 2019 team of 马格达村");
                    assert!(items.iter().all(|t| t["village_name"] == "马格达村"));
                }
            }
            let expected = |allowed: &[&str]| if allowed.contains(&user) { 200 } else { 403 };
            for (path, allowed) in [
                ("/api/v1/users", &["admin", "jt_admin"][..]),
                ("/api/v1/audit", &["admin", "jt_admin"][..]),
                ("/api/v1/cadres", &["admin", "office_staff", "jt_admin"][..]),
                (
                    "/api/v1/rounds",
                    &[
                        "admin",
                        "office_staff",
                        "team_magada",
                        "committee_magada",
                        "jt_admin",
                    ][..],
                ),
                (
                    "/api/v1/offices",
                    &[
                        "admin",
                        "office_staff",
                        "team_magada",
                        "committee_magada",
                        "jt_admin",
                    ][..],
                ),
            ] {
                let r = app.get(path, &token).await;
                assert_eq!(
                    r.status.as_u16(),
                    expected(allowed),
                    "{user} GET {path}: {}",
                    r.text()
                );
            }
            // Nobody but the operator's admin creates departments.
            let r = app
            .post(
                "/api/v1/departments",
                &token,
                &json!({"name": format!("新部门{user}"), "admin_username": format!("new_{user}"), "admin_display_name": "管理员", "admin_password": "long enough password"}),
            )
            .await;
            assert_eq!(
                r.status.as_u16(),
                if user == "admin" { 201 } else { 403 },
                "{user}: {}",
                r.text()
            );
        }
    }
);

both_backends!(tenants_never_see_each_other, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let jt = app.login("jt_admin").await;
    let depts = app.get("/api/v1/departments", &jt).await.json();
    assert_eq!(depts["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(depts["items"][0]["name"], "西藏自治区交通运输厅");
    let fin_id = app.get("/api/v1/departments", &admin).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.get(&format!("/api/v1/departments/{fin_id}"), &jt)
        .await
        .assert_problem(404, "not-found");
    let user_id = app
        .find_id("/api/v1/users", &admin, "username", "office_staff")
        .await;
    app.get(&format!("/api/v1/users/{user_id}"), &jt)
        .await
        .assert_problem(404, "not-found");
    app.patch(
        &format!("/api/v1/users/{user_id}"),
        &jt,
        None,
        &json!({"disabled": true}),
    )
    .await
    .assert_problem(404, "not-found");
    let team = app.get("/api/v1/teams?limit=1", &admin).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.get(&format!("/api/v1/teams/{team}/members"), &jt)
        .await
        .assert_problem(404, "not-found");
    // Linking to another department's rows is refused as if they did not exist.
    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let r = app
        .post(
            "/api/v1/users",
            &jt,
            &json!({"username": "sneaky", "display_name": "x", "role": "village_committee", "password": "long enough password", "village_id": magada}),
        )
        .await;
    assert_eq!(
        r.assert_problem(400, "validation")["errors"][0]["field"],
        "village_id"
    );
    let audit = app.get("/api/v1/audit?limit=500", &jt).await.json();
    assert!(audit["items"]
        .as_array()
        .is_some_and(|a| a.iter().all(|e| e["actor_username"] != "admin")));
});

both_backends!(
    team_users_see_villages_only_during_their_membership,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let team_token = app.login("team_magada").await;
        let me = app.get("/api/v1/me", &team_token).await.json();
        assert_eq!(me["villages"][0]["name"], "马格达村");
        let magada = me["villages"][0]["id"].as_i64().unwrap_or(0);
        let cadre = me["cadre_id"].as_i64().unwrap_or(0);
        // End the membership yesterday: the village disappears for that user at once.
        let teams = app
            .get(
                &format!("/api/v1/teams?village_id={magada}&sort=-round"),
                &admin,
            )
            .await
            .json();
        let current = teams["items"][0]["id"].as_i64().unwrap_or(0);
        let members = app
            .get(&format!("/api/v1/teams/{current}/members"), &admin)
            .await
            .json();
        let m = members["items"]
            .as_array()
            .and_then(|a| a.iter().find(|m| m["cadre_id"] == cadre))
            .cloned()
            .unwrap_or_default();
        let yesterday = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive();
        let r = app
            .patch(
                &format!("/api/v1/teams/{current}/members/{}", m["id"]),
                &admin,
                None,
                &json!({"to_date": yesterday.to_string()}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let me = app.get("/api/v1/me", &team_token).await.json();
        assert_eq!(me["villages"].as_array().map(Vec::len), Some(0), "{me}");
        app.get(&format!("/api/v1/villages/{magada}"), &team_token)
            .await
            .assert_problem(404, "not-found");
    }
);
