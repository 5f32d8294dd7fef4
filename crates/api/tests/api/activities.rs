//! 活动: recording, reading and correcting activities; kind-specific fields only for their kind;
//! bad input → 400 on the right fields and nothing written; summaries equal to the activities
//! created in the test (and to the list walked); skills suggested; who records and who reads.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};

async fn village(app: &TestApp, token: &str, name: &str) -> i64 {
    app.find_id("/api/v1/villages", token, "name", name).await
}

/// The first `n` households of a village, as the department sees them.
async fn households(app: &TestApp, token: &str, village: i64, n: usize) -> Vec<i64> {
    let r = app
        .get(
            &format!("/api/v1/households?village_id={village}&limit=500"),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let mut ids: Vec<i64> = r.json()["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|h| h["id"].as_i64()).collect())
        .unwrap_or_default();
    ids.sort_unstable();
    ids.truncate(n);
    assert_eq!(ids.len(), n, "the demo village has households");
    ids
}

/// How many activities a village has (the list's total).
async fn count(app: &TestApp, token: &str, village: i64) -> i64 {
    let r = app
        .get(
            &format!("/api/v1/activities?village_id={village}&limit=1"),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["total"]["count"].as_i64().unwrap()
}

/// Every activity of a list, walking the cursor.
async fn every(app: &TestApp, token: &str, list: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(&format!("{list}&limit=7{cursor}"), token)
            .await
            .json();
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => return items,
        }
    }
}

fn clinic(village: i64) -> Value {
    json!({"village_id": village, "date": "2020-07-16", "kind": "free_clinic",
        "title": "县医院专家义诊", "organiser": "驻马格达村工作队、南木林县人民医院",
        "participants": 80, "beneficiaries": 300, "value_fen": 560_000,
        "people_seen": 80, "partner_institution": "南木林县人民医院"})
}

both_backends!(
    recording_reading_and_correcting,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let dept = app.login("office_staff").await;
        let magada = village(&app, &dept, "马格达村").await;
        let hh = households(&app, &dept, magada, 3).await;
        let mut body = clinic(magada);
        body["household_ids"] = json!([hh[2], hh[0]]);
        let r = app.post("/api/v1/activities", &team, &body).await;
        assert_eq!(r.status, 201, "{}", r.text());
        let a = r.json();
        assert_eq!(a["village_name"], "马格达村");
        assert_eq!(a["date"], "2020-07-16");
        assert_eq!(a["kind"], "free_clinic");
        assert_eq!(a["people_seen"], 80);
        assert_eq!(a["partner_institution"], "南木林县人民医院");
        assert_eq!(a["value_fen"], 560_000);
        assert_eq!(a["skill"], Value::Null);
        assert_eq!(a["household_ids"], json!([hh[0], hh[2]]), "ascending");
        assert_eq!(a["version"], 1);
        let id = a["id"].as_i64().unwrap();
        let path = format!("/api/v1/activities/{id}");

        let r = app.get(&path, &team).await;
        assert_eq!(r.status, 200);
        let etag = r.header("etag").unwrap();
        assert_eq!(r.json(), a);

        // The department corrects the beneficiaries and the households.
        let r = app
            .patch(
                &path,
                &dept,
                Some(&etag),
                &json!({"beneficiaries": 320, "household_ids": [hh[1]]}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let b = r.json();
        assert_eq!(b["beneficiaries"], 320);
        assert_eq!(b["household_ids"], json!([hh[1]]));
        assert_eq!(b["version"], 2);
        // A stale version is refused; saving without changes writes nothing.
        app.patch(&path, &team, Some(&etag), &json!({"participants": 81}))
            .await
            .assert_problem(412, "precondition-failed");
        let r = app
            .patch(&path, &team, None, &json!({"beneficiaries": 320}))
            .await;
        assert_eq!(r.json()["version"], 2, "{}", r.text());

        // A new kind comes with its own fields, without the old kind's.
        let p = app
            .patch(&path, &team, None, &json!({"kind": "study_visit"}))
            .await
            .assert_problem(400, "validation");
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(
            fields,
            ["people_seen", "partner_institution", "destination"],
            "{p}"
        );
        let r = app
            .patch(
                &path,
                &team,
                None,
                &json!({"kind": "study_visit", "people_seen": null, "partner_institution": null,
                "destination": "日喀则市桑珠孜区"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["destination"], "日喀则市桑珠孜区");

        // Filters: kind, year, q (also by pinyin of the title), village.
        let list = app
            .get(
                &format!("/api/v1/activities?village_id={magada}&kind=study_visit&year=2020"),
                &team,
            )
            .await
            .json();
        let ids: Vec<i64> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["id"].as_i64())
            .collect();
        assert_eq!(ids, [id], "{list}");
        for q in ["义诊", "xianyiyuan", "桑珠孜"] {
            let list = app
                .get(
                    &format!("/api/v1/activities?village_id={magada}&q={}", urlencode(q)),
                    &team,
                )
                .await
                .json();
            assert!(
                list["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["id"] == id),
                "{q}: {list}"
            );
        }
        let none = app
            .get("/api/v1/activities?year=2020&kind=free_clinic", &dept)
            .await
            .json();
        assert!(none["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != id));
        // Newest first by default, oldest first with `date`, the cursor walking the whole list.
        let newest = every(&app, &dept, "/api/v1/activities?sort=-date").await;
        let oldest = every(&app, &dept, "/api/v1/activities?sort=date").await;
        assert_eq!(newest.len(), oldest.len());
        let mut reversed = oldest.clone();
        reversed.reverse();
        assert_eq!(newest, reversed);
        assert!(newest
            .windows(2)
            .all(|w| w[0]["date"].as_str() >= w[1]["date"].as_str()));
    }
);

fn urlencode(s: &str) -> String {
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

/// For every kind, a body with its required fields, and the field of another kind.
fn of_kind(village: i64, kind: &str) -> Value {
    let mut b = json!({"village_id": village, "date": "2019-06-01", "kind": kind,
        "title": format!("{kind} 测试"), "organiser": "驻村工作队", "participants": 5});
    match kind {
        "skills_training" => b["skill"] = json!("电焊"),
        "free_clinic" => b["people_seen"] = json!(5),
        "study_visit" => b["destination"] = json!("拉萨市"),
        _ => {}
    }
    b
}

both_backends!(
    kind_specific_fields_belong_to_their_kind,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = village(&app, &team, "马格达村").await;
        let before = count(&app, &team, magada).await;
        let kinds = [
            "policy_briefing",
            "skills_training",
            "free_clinic",
            "cultural_event",
            "study_visit",
            "donation_drive",
            "relief_visit",
            "environment",
            "meeting",
            "party_building",
        ];
        // (field, value, its kind)
        let specific = [
            ("skill", json!("驾驶"), "skills_training"),
            ("people_seen", json!(3), "free_clinic"),
            ("partner_institution", json!("县医院"), "free_clinic"),
            ("destination", json!("山南市"), "study_visit"),
            ("party_members_developed", json!(1), "party_building"),
            (
                "organisation_formed",
                json!("trade_union"),
                "party_building",
            ),
        ];
        for kind in kinds {
            for (field, value, of) in &specific {
                if *of == kind {
                    continue;
                }
                let mut b = of_kind(magada, kind);
                b[*field] = value.clone();
                let p = app
                    .post("/api/v1/activities", &team, &b)
                    .await
                    .assert_problem(400, "validation");
                assert_eq!(p["errors"][0]["field"], *field, "{kind}: {p}");
                assert_eq!(p["errors"][0]["code"], "not_for_kind", "{kind}: {p}");
                assert_eq!(p["errors"][0]["params"]["kind"], *of, "{kind}: {p}");
            }
        }
        for (kind, field) in [
            ("skills_training", "skill"),
            ("free_clinic", "people_seen"),
            ("study_visit", "destination"),
        ] {
            let mut b = of_kind(magada, kind);
            b.as_object_mut().unwrap().remove(field);
            let p = app
                .post("/api/v1/activities", &team, &b)
                .await
                .assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], field, "{p}");
            assert_eq!(p["errors"][0]["code"], "required", "{p}");
        }
        assert_eq!(count(&app, &team, magada).await, before, "nothing written");
        // Each kind with its own fields is recorded.
        for kind in kinds {
            let mut b = of_kind(magada, kind);
            if kind == "party_building" {
                b["party_members_developed"] = json!(1);
                b["organisation_formed"] = json!("youth_league_branch");
            }
            if kind == "free_clinic" {
                b["partner_institution"] = json!("县医院");
            }
            let r = app.post("/api/v1/activities", &team, &b).await;
            assert_eq!(r.status, 201, "{kind}: {}", r.text());
        }
        assert_eq!(count(&app, &team, magada).await, before + 10);
    }
);

both_backends!(
    bad_input_is_400_and_writes_nothing,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let dept = app.login("office_staff").await;
        let magada = village(&app, &dept, "马格达村").await;
        let yakaya = village(&app, &dept, "亚卡亚村").await;
        let other_household = households(&app, &dept, yakaya, 1).await[0];
        let yakaya_project = app
            .find_id("/api/v1/projects", &dept, "title", "亚卡亚村牦牛育肥基地")
            .await;
        let yakaya_team = app
            .find_id("/api/v1/teams", &dept, "name", "驻亚卡亚村工作队")
            .await;
        let before = count(&app, &dept, magada).await;
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(3))
            .date_naive()
            .to_string();
        let cases: Vec<(Value, &str, &str)> = vec![
            (json!({"date": "2011-09-30"}), "date", "before_programme"),
            (json!({"date": tomorrow}), "date", "not_future"),
            (json!({"kind": "picnic"}), "kind", "one_of"),
            (json!({"title": "   "}), "title", "empty"),
            (json!({"organiser": ""}), "organiser", "empty"),
            (json!({"participants": -1}), "participants", "between"),
            (
                json!({"beneficiaries": 2_000_000}),
                "beneficiaries",
                "between",
            ),
            (json!({"value_fen": -100}), "value_fen", "between"),
            (json!({"people_seen": -3}), "people_seen", "between"),
            (
                json!({"household_ids": [other_household]}),
                "household_ids",
                "household_other_village",
            ),
            (
                json!({"household_ids": [999_999]}),
                "household_ids",
                "no_such",
            ),
            (
                json!({"project_id": yakaya_project}),
                "project_id",
                "project_other_village",
            ),
            (json!({"team_id": yakaya_team}), "team_id", "no_such"),
            (json!({"colour": "red"}), "colour", "unknown_field"),
        ];
        for (change, field, code) in cases {
            let mut b = clinic(magada);
            for (k, v) in change.as_object().unwrap() {
                b[k] = v.clone();
            }
            let p = app
                .post("/api/v1/activities", &team, &b)
                .await
                .assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], field, "{change}: {p}");
            assert_eq!(p["errors"][0]["code"], code, "{change}: {p}");
        }
        // Several at once, each on its field.
        let mut b = clinic(magada);
        b["title"] = json!("");
        b["participants"] = json!(-5);
        b["household_ids"] = json!([1, 1]);
        let p = app
            .post("/api/v1/activities", &team, &b)
            .await
            .assert_problem(400, "validation");
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(fields, ["title", "participants", "household_ids"], "{p}");
        assert_eq!(count(&app, &dept, magada).await, before, "nothing written");
        // A PATCH with bad input changes nothing either.
        let id = app
            .post("/api/v1/activities", &team, &clinic(magada))
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let path = format!("/api/v1/activities/{id}");
        let stored = app.get(&path, &team).await.json();
        app.patch(
            &path,
            &team,
            None,
            &json!({"value_fen": -1, "skill": "电焊"}),
        )
        .await
        .assert_problem(400, "validation");
        assert_eq!(app.get(&path, &team).await.json(), stored);
        // Bad list parameters.
        for q in ["kind=picnic", "year=1999", "sort=title", "colour=red"] {
            let r = app.get(&format!("/api/v1/activities?{q}"), &team).await;
            assert_eq!(r.status, 400, "{q}: {}", r.text());
        }
    }
);

both_backends!(
    summaries_equal_the_activities_recorded,
    |app: TestApp| async move {
        let dept = app.login("office_staff").await;
        let magada = village(&app, &dept, "马格达村").await;
        // 2013 has no demo activities in 马格达村: the summary is what this test records.
        let empty = app
            .get(
                &format!("/api/v1/activities/summary?year=2013&village_id={magada}"),
                &dept,
            )
            .await
            .json();
        assert_eq!(empty["figures"]["total"]["count"], 0, "{empty}");
        let rows = [
            json!({"kind": "skills_training", "skill": "电焊", "participants": 20, "beneficiaries": 20, "value_fen": 0}),
            json!({"kind": "skills_training", "skill": "电焊", "participants": 11, "beneficiaries": 9, "value_fen": 100}),
            json!({"kind": "skills_training", "skill": "缝纫", "participants": 7, "beneficiaries": 7, "value_fen": 0}),
            json!({"kind": "free_clinic", "people_seen": 146, "participants": 146, "beneficiaries": 650, "value_fen": 1_280_001}),
            json!({"kind": "free_clinic", "people_seen": 30, "participants": 31, "beneficiaries": 40, "value_fen": 99}),
            json!({"kind": "party_building", "party_members_developed": 2, "organisation_formed": "trade_union", "participants": 3, "beneficiaries": 0, "value_fen": 0}),
            json!({"kind": "party_building", "party_members_developed": 1, "participants": 3, "beneficiaries": 0, "value_fen": 0}),
            json!({"kind": "relief_visit", "participants": 9, "beneficiaries": 30, "value_fen": 333_333}),
        ];
        for (i, r) in rows.iter().enumerate() {
            let mut b = json!({"village_id": magada, "date": format!("2013-0{}-1{}", 1 + i % 9, i % 10),
            "title": format!("测试活动{i}"), "organiser": "驻村工作队"});
            for (k, v) in r.as_object().unwrap() {
                b[k] = v.clone();
            }
            let resp = app.post("/api/v1/activities", &dept, &b).await;
            assert_eq!(resp.status, 201, "{}", resp.text());
        }
        // One in another year and one in another village: not counted.
        let yakaya = village(&app, &dept, "亚卡亚村").await;
        for (v, d) in [(magada, "2014-01-01"), (yakaya, "2013-05-05")] {
            let b = json!({"village_id": v, "date": d, "kind": "meeting", "title": "x",
            "organiser": "y", "participants": 1000});
            assert_eq!(app.post("/api/v1/activities", &dept, &b).await.status, 201);
        }
        let s = app
            .get(
                &format!("/api/v1/activities/summary?year=2013&village_id={magada}"),
                &dept,
            )
            .await
            .json();
        let f = &s["figures"];
        assert_eq!(s["year"], 2013);
        assert_eq!(
            f["total"],
            json!({"count": 8, "participants": 230, "beneficiaries": 756, "value_fen": 1_613_533}),
            "{s}"
        );
        assert_eq!(
            f["by_kind"]["skills_training"],
            json!({"count": 3, "participants": 38, "beneficiaries": 36, "value_fen": 100})
        );
        assert_eq!(
            f["trainings_by_skill"],
            json!({"电焊": {"count": 2, "participants": 31}, "缝纫": {"count": 1, "participants": 7}})
        );
        assert_eq!(
            f["clinics"],
            json!({"count": 2, "seen": 176, "beneficiaries": 690, "medicine_fen": 1_280_100})
        );
        assert_eq!(f["party_members_developed"], 3);
        assert_eq!(f["organisations_formed"], json!({"trade_union": 1}));
        assert!(f["by_kind"].get("meeting").is_none(), "{s}");
        // The same as the list of those activities, summed here.
        let listed = every(
            &app,
            &dept,
            &format!("/api/v1/activities?village_id={magada}&year=2013"),
        )
        .await;
        assert_eq!(listed.len(), 8);
        let sum = |field: &str| listed.iter().filter_map(|a| a[field].as_i64()).sum::<i64>();
        assert_eq!(
            f["total"]["participants"].as_i64(),
            Some(sum("participants"))
        );
        assert_eq!(f["total"]["value_fen"].as_i64(), Some(sum("value_fen")));
        assert_eq!(
            f["party_members_developed"].as_i64(),
            Some(sum("party_members_developed"))
        );
        // Without a year: every year of the village, at least these.
        let all = app
            .get(
                &format!("/api/v1/activities/summary?village_id={magada}"),
                &dept,
            )
            .await
            .json();
        assert!(
            all["figures"]["total"]["count"].as_i64().unwrap() > 9,
            "{all}"
        );
        for q in ["year=1999", "year=abc", "colour=red"] {
            let r = app
                .get(&format!("/api/v1/activities/summary?{q}"), &dept)
                .await;
            assert_eq!(r.status, 400, "{q}: {}", r.text());
        }
    }
);

both_backends!(
    skills_suggest_defaults_and_the_department_s_own,
    |app: TestApp| async move {
        let team = app.login("team_magada").await;
        let magada = village(&app, &team, "马格达村").await;
        let mut b = of_kind(magada, "skills_training");
        b["skill"] = json!(" 藏香制作 ");
        let r = app.post("/api/v1/activities", &team, &b).await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["skill"], "藏香制作", "trimmed");
        let s = app.get("/api/v1/activities/skills", &team).await;
        assert_eq!(s.status, 200, "{}", s.text());
        let items = s.json()["items"].as_array().cloned().unwrap();
        let names: Vec<&str> = items.iter().filter_map(|i| i["skill"].as_str()).collect();
        assert_eq!(names[..5], ["电焊", "驾驶", "厨师", "缝纫", "唐卡绘画"]);
        let own = items.iter().find(|i| i["skill"] == "藏香制作").unwrap();
        assert_eq!(own["default"], false);
        assert_eq!(own["trainings"], 1);
        let welding = items.iter().find(|i| i["skill"] == "电焊").unwrap();
        assert!(
            welding["trainings"].as_i64().unwrap() >= 1,
            "the demo trains welders"
        );
        // Trainings of one skill.
        let list = app
            .get(
                &format!("/api/v1/activities?skill={}", urlencode("藏香制作")),
                &team,
            )
            .await
            .json();
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
        let regional = app.login("regional").await;
        for path in ["/api/v1/activities/skills", "/api/v1/activities/summary"] {
            app.get(path, &regional)
                .await
                .assert_problem(403, "forbidden");
        }
    }
);

both_backends!(who_records_and_who_reads, |app: TestApp| async move {
    let dept = app.login("office_staff").await;
    let team = app.login("team_magada").await;
    let committee = app.login("committee_magada").await;
    let jt = app.login("jt_admin").await;
    let magada = village(&app, &dept, "马格达村").await;
    let yakaya = village(&app, &dept, "亚卡亚村").await;
    // The committee reads its village's activities and summary, never writes.
    app.post("/api/v1/activities", &committee, &clinic(magada))
        .await
        .assert_problem(403, "forbidden");
    let own = app
        .get("/api/v1/activities/summary?year=2019", &committee)
        .await
        .json();
    let named = app
        .get(
            &format!("/api/v1/activities/summary?year=2019&village_id={magada}"),
            &dept,
        )
        .await
        .json();
    assert_eq!(own["figures"], named["figures"]);
    assert_eq!(
        named["figures"]["by_kind"]["policy_briefing"]["participants"], 25,
        "FIGURES-2019 row 12: {named}"
    );
    let r = app
        .get(
            &format!("/api/v1/activities/summary?year=2019&village_id={yakaya}"),
            &team,
        )
        .await;
    r.assert_problem(404, "not-found");
    // Another department sees its own only.
    let theirs = app
        .get("/api/v1/activities/summary?year=2019", &jt)
        .await
        .json();
    assert_eq!(theirs["figures"]["total"]["count"], 0, "{theirs}");
    let list = app.get("/api/v1/activities?limit=500", &jt).await.json();
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["village_name"] == "德吉村"));
    // Audit: the create is recorded.
    let admin = app.login("admin").await;
    let r = app.post("/api/v1/activities", &team, &clinic(magada)).await;
    let id = r.json()["id"].as_i64().unwrap();
    let audit = app
        .get("/api/v1/audit?entity=activity&limit=500", &admin)
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text());
    assert!(audit.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["entity_id"] == id.to_string().as_str() && e["action"] == "create"));
});
