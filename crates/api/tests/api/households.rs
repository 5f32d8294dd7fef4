//! Households (农牧户): details, the category history (kept across changes, never rewritten), no
//! national ID numbers anywhere, the yearly checklist and its unmet list, personal data kept from
//! admins and from the audit trail, search in both scripts and pinyin, and the demo's 176.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

const ID_NUMBER: &str = "540121199001011234";

fn body(village: i64) -> Value {
    json!({
        "village_id": village, "head_name": "测试户主", "head_name_bo": "ཚེ་རིང་སྒྲོལ་མ།",
        "members": 4, "member_names": "扎西、卓玛", "phone": "13908007777", "address": "三组",
        "category": "poor", "category_since": "2016-01-01", "causes": ["illness", "labour"],
        "notes": "第一行\n第二行"
    })
}

/// The number of households `token`'s user sees (exact below 1000).
async fn count(app: &TestApp, token: &str) -> i64 {
    let r = app.get("/api/v1/households?limit=1", token).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["total"]["count"].as_i64().unwrap_or(-1)
}

async fn history_len(app: &TestApp, token: &str, id: i64) -> usize {
    app.get(&format!("/api/v1/households/{id}/categories"), token)
        .await
        .json()["items"]
        .as_array()
        .map_or(0, Vec::len)
}

async fn send(
    app: &TestApp,
    method: TestRequest,
    path: &str,
    token: &str,
    etag: Option<&str>,
    body: &Value,
) -> Resp {
    let mut req = method
        .uri(path)
        .insert_header(("authorization", format!("Bearer {token}")))
        .set_json(body);
    if let Some(tag) = etag {
        req = req.insert_header(("if-match", tag.to_owned()));
    }
    app.send(req).await
}

fn fields(p: &Value) -> Vec<(String, String)> {
    p["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|x| {
                    (
                        x["field"].as_str().unwrap_or_default().to_owned(),
                        x["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn merged(base: Value, change: &Value) -> Value {
    let mut b = base;
    if let (Some(o), Some(c)) = (b.as_object_mut(), change.as_object()) {
        for (k, v) in c {
            o.insert(k.clone(), v.clone());
        }
    }
    b
}

both_backends!(
    households_are_created_read_and_corrected,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let admin = app.login("admin").await;
        let staff = app.login("office_staff").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let before = count(&app, &team).await;
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/households")
                    .insert_header(("authorization", format!("Bearer {team}")))
                    .insert_header(("idempotency-key", "hh-1"))
                    .set_json(body(magada)),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        let h = r.json();
        let id = h["id"].as_i64().unwrap();
        assert_eq!(h["village_name"], "马格达村");
        assert_eq!(h["category"], "poor");
        assert_eq!(h["category_since"], "2016-01-01");
        assert_eq!(h["causes"], json!(["illness", "labour"]));
        assert_eq!(h["phone"], "13908007777");
        assert_eq!(h["notes"], "第一行\n第二行");
        // The same create again with the same key answers the first response: one row.
        let again = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/households")
                    .insert_header(("authorization", format!("Bearer {team}")))
                    .insert_header(("idempotency-key", "hh-1"))
                    .set_json(body(magada)),
            )
            .await;
        assert_eq!(again.status, 201);
        assert_eq!(again.json()["id"], id);
        assert_eq!(count(&app, &team).await, before + 1);
        // The first history entry was written with the household.
        let hist = app
            .get(&format!("/api/v1/households/{id}/categories"), &team)
            .await
            .json();
        assert_eq!(hist["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(hist["items"][0]["category"], "poor");

        // Personal data: the department sees it, the admin does not (one row or the list).
        let url = format!("/api/v1/households/{id}");
        assert_eq!(app.get(&url, &staff).await.json()["phone"], "13908007777");
        let seen = app.get(&url, &admin).await.json();
        assert_eq!(seen["phone"], Value::Null);
        assert_eq!(seen["member_names"], Value::Null);
        assert_eq!(seen["head_name"], "测试户主");
        let listed = app
            .get(
                &format!("/api/v1/households?village_id={magada}&limit=500"),
                &admin,
            )
            .await
            .text();
        assert!(!listed.contains("13908007777"), "{listed}");

        // Corrections take the loaded version; a stale one is a 412.
        let stale = app
            .patch(&url, &team, Some("\"7\""), &json!({"members": 5}))
            .await;
        stale.assert_problem(412, "precondition-failed");
        let fixed = app
            .patch(
                &url,
                &team,
                Some("\"1\""),
                &json!({"members": 5, "phone": "13908008888", "member_names": null}),
            )
            .await;
        assert_eq!(fixed.status, 200, "{}", fixed.text());
        assert_eq!(fixed.json()["members"], 5);
        assert_eq!(fixed.json()["member_names"], Value::Null);
        assert_eq!(fixed.json()["version"], 2);
        assert_eq!(fixed.header("etag").as_deref(), Some("\"2\""));
        // Saving without changes writes nothing.
        let same = app.patch(&url, &team, None, &json!({"members": 5})).await;
        assert_eq!(same.json()["version"], 2);
        // The category is not a PATCH field.
        app.patch(&url, &team, None, &json!({"category": "lifted"}))
            .await
            .assert_problem(400, "validation");

        // The audit trail records the writes without the phone or member names.
        let audit = app
            .get(
                &format!("/api/v1/audit?entity=household&entity_id={id}&limit=50"),
                &admin,
            )
            .await;
        assert_eq!(audit.status, 200, "{}", audit.text());
        let text = audit.text();
        assert!(
            !text.contains("1390800"),
            "phone in the audit trail: {text}"
        );
        assert!(
            !text.contains("扎西、卓玛"),
            "members in the audit trail: {text}"
        );
        assert!(text.contains("测试户主"), "{text}");
        let entries = audit.json()["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let update = entries
            .iter()
            .find(|e| e["action"] == "update")
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(
            update["after"]["phone"],
            json!({"redacted": true, "changed": true})
        );
        assert_eq!(update["before"]["phone"], json!({"redacted": true}));
        assert_eq!(update["after"]["member_names"], Value::Null);
        assert_eq!(update["after"]["members"], 5);
    }
);

both_backends!(
    category_history_is_kept_across_changes,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let h = app
            .post("/api/v1/households", &team, &body(magada))
            .await
            .json();
        let id = h["id"].as_i64().unwrap();
        let url = format!("/api/v1/households/{id}/categories");
        app.post(&url, &team, &json!({}))
            .await
            .assert_problem(400, "validation");
        // Lifted from 2020-06-01 with the household's version.
        let r = send(
            &app,
            TestRequest::post(),
            &url,
            &team,
            Some("\"1\""),
            &json!({"category": "lifted", "since": "2020-06-01", "note": "2020年脱贫"}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["category"], "lifted");
        assert_eq!(r.json()["category_since"], "2020-06-01");
        assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
        // A stale version is a 412 and adds nothing.
        send(
            &app,
            TestRequest::post(),
            &url,
            &team,
            Some("\"1\""),
            &json!({"category": "monitored", "monitoring_type": "sudden_hardship", "since": "2023-05-01"}),
        )
        .await
        .assert_problem(412, "precondition-failed");
        // Refused changes, each with its code, nothing written.
        let refused = [
            (
                json!({"category": "lifted", "since": "2021-01-01"}),
                "category",
                "same_category",
            ),
            (
                json!({"category": "monitored", "since": "2021-01-01"}),
                "monitoring_type",
                "monitoring_type_required",
            ),
            (
                json!({"category": "poor", "monitoring_type": "sudden_hardship", "since": "2021-01-01"}),
                "monitoring_type",
                "monitoring_type_only_monitored",
            ),
            (
                json!({"category": "monitored", "monitoring_type": "sudden_hardship", "since": "2019-01-01"}),
                "since",
                "since_before_current",
            ),
            (
                json!({"category": "ordinary", "since": "2999-01-01"}),
                "since",
                "not_future",
            ),
            (
                json!({"category": "rich", "since": "2021-01-01"}),
                "category",
                "one_of",
            ),
            (
                json!({"category": "ordinary", "since": "2021-01-01", "note": ID_NUMBER}),
                "note",
                "national_id",
            ),
        ];
        for (b, field, code) in refused {
            let r = send(&app, TestRequest::post(), &url, &team, None, &b).await;
            let p = r.assert_problem(400, "validation");
            assert!(
                fields(&p).contains(&(field.to_owned(), code.to_owned())),
                "{b}: {p}"
            );
        }
        assert_eq!(history_len(&app, &team, id).await, 2);
        // Monitored for a sudden hardship from 2023.
        let r = send(
            &app,
            TestRequest::post(),
            &url,
            &team,
            Some("\"2\""),
            &json!({"category": "monitored", "monitoring_type": "sudden_hardship", "since": "2023-05-01"}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let hist = app.get(&url, &team).await.json();
        let items = hist["items"].as_array().cloned().unwrap_or_default();
        let summary: Vec<(Value, Value, Value)> = items
            .iter()
            .map(|i| {
                (
                    i["category"].clone(),
                    i["monitoring_type"].clone(),
                    i["since"].clone(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (json!("poor"), Value::Null, json!("2016-01-01")),
                (json!("lifted"), Value::Null, json!("2020-06-01")),
                (
                    json!("monitored"),
                    json!("sudden_hardship"),
                    json!("2023-05-01")
                ),
            ]
        );
        assert_eq!(items[1]["note"], "2020年脱贫");
        let now = app
            .get(&format!("/api/v1/households/{id}"), &team)
            .await
            .json();
        assert_eq!(now["category"], "monitored");
        assert_eq!(now["monitoring_type"], "sudden_hardship");
        // The filters follow the current category.
        let listed = app
            .get(
                "/api/v1/households?category=monitored&monitoring_type=sudden_hardship&limit=500",
                &team,
            )
            .await
            .json();
        assert!(listed["items"]
            .as_array()
            .is_some_and(|i| i.iter().any(|h| h["id"] == id)
                && i.iter().all(|h| h["monitoring_type"] == "sudden_hardship")));
        // The history cannot be rewritten, even by SQL.
        assert!(app
            .sql(&format!(
                "UPDATE household_categories SET category = 'ordinary' WHERE household_id = {id}"
            ))
            .is_err());
        assert!(app
            .sql(&format!(
                "DELETE FROM household_categories WHERE household_id = {id}"
            ))
            .is_err());
        assert_eq!(history_len(&app, &team, id).await, 3);
    }
);

both_backends!(
    id_numbers_and_bad_input_are_refused_and_write_nothing,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let jt = app.login("jt_admin").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let deji = app.find_id("/api/v1/villages", &jt, "name", "德吉村").await;
        let before = count(&app, &team).await;
        let id_in = |field: &str| {
            let value = if field == "head_name_bo" {
                format!("ཚེ་རིང {ID_NUMBER}")
            } else {
                format!("身份证{ID_NUMBER}")
            };
            (json!({ field: value }), field.to_owned(), "national_id")
        };
        let mut cases: Vec<(Value, String, &str)> = [
            "head_name",
            "head_name_bo",
            "member_names",
            "address",
            "notes",
        ]
        .iter()
        .map(|f| id_in(f))
        .collect();
        // A bare ID number in the phone field would pass as digits: it is refused as an ID.
        cases.push((json!({"phone": ID_NUMBER}), "phone".into(), "national_id"));
        cases.push((
            json!({"phone": "54012119900101123X"}),
            "phone".into(),
            "national_id",
        ));
        let bad: [(Value, &str, &str); 14] = [
            (json!({"members": 0}), "members", "between"),
            (json!({"members": 51}), "members", "between"),
            (json!({"category": "rich"}), "category", "one_of"),
            (
                json!({"category": "monitored"}),
                "monitoring_type",
                "monitoring_type_required",
            ),
            (
                json!({"monitoring_type": "sudden_hardship"}),
                "monitoring_type",
                "monitoring_type_only_monitored",
            ),
            (
                json!({"category": "monitored", "monitoring_type": "lucky"}),
                "monitoring_type",
                "one_of",
            ),
            (
                json!({"category_since": "2999-01-01"}),
                "category_since",
                "not_future",
            ),
            (json!({"causes": ["luck"]}), "causes", "one_of"),
            (json!({"causes": ["water", "water"]}), "causes", "repeated"),
            (json!({"phone": "call me"}), "phone", "phone_format"),
            (json!({"head_name": "  "}), "head_name", "empty"),
            (
                json!({"head_name_bo": "Tashi"}),
                "head_name_bo",
                "not_tibetan",
            ),
            (
                json!({"address": "三\u{7}组"}),
                "address",
                "control_characters",
            ),
            (json!({"village_id": deji}), "village_id", "no_such_active"),
        ];
        for (c, f, code) in bad {
            cases.push((c, f.to_owned(), code));
        }
        for (change, field, code) in &cases {
            let b = merged(body(magada), change);
            let r = app.post("/api/v1/households", &team, &b).await;
            let p = r.assert_problem(400, "validation");
            let got = fields(&p);
            assert!(
                got.iter().any(|(f, c)| f == field && c == code),
                "{change}: expected {field}/{code}, got {p}"
            );
            // The refused value is not echoed back.
            assert!(!r.text().contains(ID_NUMBER), "{}", r.text());
        }
        // Unknown fields and wrong types.
        let mut b = body(magada);
        b["national_id"] = json!(ID_NUMBER);
        app.post("/api/v1/households", &team, &b)
            .await
            .assert_problem(400, "validation");
        let mut b = body(magada);
        b["members"] = json!("many");
        app.post("/api/v1/households", &team, &b)
            .await
            .assert_problem(400, "validation");
        assert_eq!(count(&app, &team).await, before);

        // A PATCH with an ID number changes nothing either.
        let h = app
            .post("/api/v1/households", &team, &body(magada))
            .await
            .json();
        let url = format!("/api/v1/households/{}", h["id"]);
        for field in ["notes", "member_names", "address", "head_name", "phone"] {
            let p = app
                .patch(&url, &team, None, &json!({ field: ID_NUMBER }))
                .await
                .assert_problem(400, "validation");
            assert!(
                fields(&p).contains(&(field.to_owned(), "national_id".to_owned())),
                "{p}"
            );
        }
        let after = app.get(&url, &team).await.json();
        assert_eq!(after["version"], 1);
        // Check notes refuse them too.
        let mut items = all_met();
        items["water"] = json!({"met": false, "note": ID_NUMBER});
        let r = send(
            &app,
            TestRequest::put(),
            &format!("{url}/checks/2024"),
            &team,
            None,
            &items,
        )
        .await;
        let p = r.assert_problem(400, "validation");
        assert!(
            fields(&p).contains(&("water.note".to_owned(), "national_id".to_owned())),
            "{p}"
        );
        let checks = app.get(&format!("{url}/checks"), &team).await.json();
        assert_eq!(checks["items"], json!([]));
        // `paired` needs its year; unknown filter values are refused.
        app.get("/api/v1/households?paired=true", &team)
            .await
            .assert_problem(400, "validation");
        app.get("/api/v1/households?category=rich", &team)
            .await
            .assert_problem(400, "validation");
        app.get("/api/v1/households?paired=false&year=1990", &team)
            .await
            .assert_problem(400, "validation");
    }
);

async fn unmet_2024(app: &TestApp, token: &str) -> Vec<Value> {
    app.get(
        "/api/v1/household-checks?year=2024&unmet=true&limit=500",
        token,
    )
    .await
    .json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn all_met() -> Value {
    let m = json!({"met": true, "note": null});
    json!({"food": m, "clothing": m, "education": m, "medical": m, "housing": m, "water": m})
}

both_backends!(
    search_in_both_scripts_and_filters,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let staff = app.login("office_staff").await;
        let names = |r: Resp| -> Vec<String> {
            r.json()["items"]
                .as_array()
                .map(|i| {
                    i.iter()
                        .filter_map(|h| h["head_name"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let by_zh = names(
            app.get(
                &format!("/api/v1/households?q={}", encode("扎西次仁")),
                &team,
            )
            .await,
        );
        assert_eq!(by_zh, vec!["扎西次仁".to_owned()]);
        let by_bo = names(
            app.get(
                &format!("/api/v1/households?q={}", encode("བཀྲ་ཤིས་ཚེ་རིང")),
                &team,
            )
            .await,
        );
        assert_eq!(by_bo, vec!["扎西次仁".to_owned()], "བཀྲ་ཤིས་ཚེ་རིང");
        let by_pinyin = names(app.get("/api/v1/households?q=zhaxiciren", &team).await);
        assert_eq!(by_pinyin, vec!["扎西次仁".to_owned()]);
        let by_initials = names(app.get("/api/v1/households?q=zxcr", &team).await);
        assert!(
            by_initials.contains(&"扎西次仁".to_owned()),
            "{by_initials:?}"
        );
        // Filters: a village, a category; every item matches.
        let yakaya = app
            .find_id("/api/v1/villages", &staff, "name", "亚卡亚村")
            .await;
        let r = app
            .get(
                &format!("/api/v1/households?village_id={yakaya}&category=marginal&limit=500"),
                &staff,
            )
            .await
            .json();
        let items = r["items"].as_array().cloned().unwrap_or_default();
        assert!(!items.is_empty());
        assert!(items
            .iter()
            .all(|h| h["village_id"] == yakaya && h["category"] == "marginal"));
        assert_eq!(r["total"]["count"].as_u64(), Some(items.len() as u64));
        // Paired in a year: EXISTS on pairings.
        app.sql(
            "INSERT INTO pairings (department_id, village_id, household_id, cadre_id, year, version, created_at, updated_at) \
             SELECT h.department_id, h.village_id, h.id, c.id, 2011, 1, h.created_at, h.created_at \
             FROM households h, cadres c WHERE h.head_name = '扎西次仁' AND c.name = '次仁多吉'",
        )
        .unwrap();
        let paired = names(
            app.get("/api/v1/households?paired=true&year=2011&limit=500", &staff)
                .await,
        );
        assert_eq!(paired, vec!["扎西次仁".to_owned()]);
        let unpaired = app
            .get("/api/v1/households?paired=false&year=2011&limit=1", &staff)
            .await
            .json();
        let all = count(&app, &staff).await;
        assert_eq!(unpaired["total"]["count"].as_i64(), Some(all - 1));
        // The committee reads its village's households but not who is paired: the filter is refused.
        let committee = app.login("committee_magada").await;
        let r = app
            .get("/api/v1/households?paired=true&year=2011", &committee)
            .await;
        assert_eq!(r.status, 403, "{}", r.text());
        let r = app.get("/api/v1/households?year=2011", &committee).await;
        assert_eq!(r.status, 200, "{}", r.text());
        // Most recently changed first.
        let id = app
            .find_id("/api/v1/households", &staff, "head_name", "扎西多吉")
            .await;
        let r = app
            .patch(
                &format!("/api/v1/households/{id}"),
                &staff,
                None,
                &json!({"members": 9}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let first = app
            .get("/api/v1/households?sort=-updated&limit=1", &staff)
            .await
            .json();
        assert_eq!(first["items"][0]["id"], id);
        // Its cursor continues the sort.
        let next = first["next_cursor"].as_str().unwrap_or_default().to_owned();
        let second = app
            .get(
                &format!("/api/v1/households?sort=-updated&limit=1&cursor={next}"),
                &staff,
            )
            .await;
        assert_eq!(second.status, 200, "{}", second.text());
        assert_ne!(second.json()["items"][0]["id"], id);
    }
);

both_backends!(
    checklists_are_created_replaced_and_listed_by_unmet,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let staff = app.login("office_staff").await;
        let committee = app.login("committee_magada").await;
        let magada = app
            .find_id("/api/v1/villages", &team, "name", "马格达村")
            .await;
        let h = app
            .post("/api/v1/households", &team, &body(magada))
            .await
            .json();
        let id = h["id"].as_i64().unwrap();
        let url = format!("/api/v1/households/{id}/checks/2024");
        let mut items = all_met();
        items["medical"] = json!({"met": false, "note": "慢性病签约服务未落实"});
        // A tag for a checklist that does not exist yet is a 412.
        send(&app, TestRequest::put(), &url, &team, Some("\"1\""), &items)
            .await
            .assert_problem(412, "precondition-failed");
        let r = send(&app, TestRequest::put(), &url, &team, None, &items).await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        let c = r.json();
        assert_eq!(c["unmet"], 1);
        assert_eq!(c["medical"]["met"], false);
        assert_eq!(c["head_name"], "测试户主");
        // The same checklist again writes nothing; a stale tag is a 412.
        let same = send(&app, TestRequest::put(), &url, &team, None, &items).await;
        assert_eq!(same.status, 200);
        assert_eq!(same.json()["version"], 1);
        // The department's list of unmet items has it.
        let listed = unmet_2024(&app, &staff).await;
        assert!(listed.iter().any(|c| c["household_id"] == id));
        assert!(listed
            .iter()
            .all(|c| c["unmet"].as_i64() > Some(0) && c["year"] == 2024));
        items["medical"] = json!({"met": true, "note": null});
        send(&app, TestRequest::put(), &url, &team, Some("\"7\""), &items)
            .await
            .assert_problem(412, "precondition-failed");
        let r = send(&app, TestRequest::put(), &url, &team, Some("\"1\""), &items).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["unmet"], 0);
        assert_eq!(r.json()["version"], 2);
        assert!(!unmet_2024(&app, &staff)
            .await
            .iter()
            .any(|c| c["household_id"] == id));
        // A second year; all years of the household, oldest first.
        let r = send(
            &app,
            TestRequest::put(),
            &format!("/api/v1/households/{id}/checks/2019"),
            &team,
            None,
            &all_met(),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let all = app
            .get(&format!("/api/v1/households/{id}/checks"), &committee)
            .await;
        assert_eq!(all.status, 200, "{}", all.text());
        let years: Vec<Value> = all.json()["items"]
            .as_array()
            .map(|i| i.iter().map(|c| c["year"].clone()).collect())
            .unwrap_or_default();
        assert_eq!(years, vec![json!(2019), json!(2024)]);
        // Bad years and incomplete checklists are refused; the committee writes nothing.
        let r = send(
            &app,
            TestRequest::put(),
            &format!("/api/v1/households/{id}/checks/2005"),
            &team,
            None,
            &all_met(),
        )
        .await;
        let p = r.assert_problem(400, "validation");
        assert!(fields(&p).iter().any(|(f, _)| f == "year"), "{p}");
        let mut partial = all_met();
        partial.as_object_mut().map(|o| o.remove("water"));
        send(&app, TestRequest::put(), &url, &team, None, &partial)
            .await
            .assert_problem(400, "validation");
        send(&app, TestRequest::put(), &url, &committee, None, &all_met())
            .await
            .assert_problem(403, "forbidden");
        // The demo has unmet items in 2019; the committee sees only its village's.
        let demo_unmet = app
            .get(
                "/api/v1/household-checks?year=2019&unmet=true&limit=500",
                &committee,
            )
            .await
            .json();
        let demo_items = demo_unmet["items"].as_array().cloned().unwrap_or_default();
        assert!(!demo_items.is_empty());
        assert!(demo_items.iter().all(|c| c["village_id"] == magada));
        app.get("/api/v1/household-checks?year=1999", &staff)
            .await
            .assert_problem(400, "validation");
    }
);

both_backends!(sub_resources_follow_access, |app: TestApp| async move {
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let admin = app.login("admin").await;
    let regional = app.login("regional").await;
    let jt = app.login("jt_admin").await;
    let own = app
        .find_id("/api/v1/households", &admin, "head_name", "扎西次仁")
        .await;
    let other = app
        .find_id("/api/v1/households", &admin, "head_name", "扎西多吉")
        .await;
    let foreign = app
        .find_id("/api/v1/households", &jt, "head_name", "边巴次仁")
        .await;
    for sub in ["categories", "checks"] {
        let url = |id: i64| format!("/api/v1/households/{id}/{sub}");
        for (who, token, id, status) in [
            ("team", &team, own, 200),
            ("team", &team, other, 404),
            ("team", &team, foreign, 404),
            ("committee", &committee, own, 200),
            ("committee", &committee, other, 404),
            ("admin", &admin, other, 200),
            ("admin", &admin, foreign, 404),
            ("regional", &regional, own, 404),
            ("jt_admin", &jt, own, 404),
            ("jt_admin", &jt, foreign, 200),
        ] {
            let r = app.get(&url(id), token).await;
            assert_eq!(r.status.as_u16(), status, "{who} {}: {}", url(id), r.text());
        }
    }
    // Writes below the household: the committee and the admin may not, other villages and
    // departments do not exist.
    let change = json!({"category": "ordinary", "since": "2025-01-01"});
    for (who, token, id, status) in [
        ("committee", &committee, own, 403),
        ("admin", &admin, own, 403),
        ("team", &team, other, 404),
        ("jt_admin", &jt, own, 404),
        ("regional", &regional, own, 404),
    ] {
        let r = app
            .post(
                &format!("/api/v1/households/{id}/categories"),
                token,
                &change,
            )
            .await;
        assert_eq!(r.status.as_u16(), status, "{who}: {}", r.text());
        let r = send(
            &app,
            TestRequest::put(),
            &format!("/api/v1/households/{id}/checks/2024"),
            token,
            None,
            &all_met(),
        )
        .await;
        assert_eq!(r.status.as_u16(), status, "{who} check: {}", r.text());
    }
    app.get("/api/v1/household-checks", &regional)
        .await
        .assert_problem(403, "forbidden");
});

both_backends!(
    the_demo_has_176_needy_households_of_2019,
    |app: TestApp| async move {
        let staff = app.login("office_staff").await;
        let current: Vec<i64> = {
            let mut ids = Vec::new();
            for name in ["马格达村", "亚卡亚村", "下地村", "琼果村"] {
                ids.push(app.find_id("/api/v1/villages", &staff, "name", name).await);
            }
            ids
        };
        let mut needy = 0;
        let mut households = 0;
        for village in current {
            let list = app
                .get(
                    &format!("/api/v1/households?village_id={village}&limit=500"),
                    &staff,
                )
                .await
                .json();
            for h in list["items"].as_array().cloned().unwrap_or_default() {
                households += 1;
                let hist = app
                    .get(
                        &format!("/api/v1/households/{}/categories", h["id"]),
                        &staff,
                    )
                    .await
                    .json();
                // The category on 2019-12-31: the last entry from that day or before.
                let at_end = hist["items"]
                    .as_array()
                    .and_then(|items| {
                        items
                            .iter()
                            .rfind(|e| e["since"].as_str().is_some_and(|s| s <= "2019-12-31"))
                            .cloned()
                    })
                    .unwrap_or(Value::Null);
                if at_end["category"] == "poor" || at_end["category"] == "marginal" {
                    needy += 1;
                }
                assert!(h["head_name_bo"].as_str().is_some(), "{h}");
            }
        }
        assert_eq!(needy, 176);
        assert!(households >= 176 + 25, "{households}");
    }
);
