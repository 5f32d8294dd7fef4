//! Conventions every resource follows: bounded cursor pages, versions, idempotent creates, audit,
//! Tibetan text, and the committed OpenAPI document.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::{json, Value};
use std::collections::HashSet;

async fn walk(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let url = match &cursor {
            Some(c) => format!("/api/v1/villages?{query}&cursor={c}"),
            None => format!("/api/v1/villages?{query}"),
        };
        let r = app.get(&url, token).await;
        assert_eq!(r.status, 200, "{url}: {}", r.text());
        let page = r.json();
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
    panic!("pagination did not end");
}

both_backends!(
    pages_are_bounded_and_cursors_walk_every_row_once,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        for limit in ["0", "-1", "501", "abc"] {
            let r = app
                .get(&format!("/api/v1/villages?limit={limit}"), &admin)
                .await;
            assert_eq!(r.status, 400, "limit={limit}: {}", r.text());
        }
        let p = app
            .get("/api/v1/villages?limit=501", &admin)
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "limit");
        assert_eq!(
            app.get("/api/v1/villages?limit=500", &admin).await.status,
            200
        );
        let default = app.get("/api/v1/villages", &admin).await.json();
        assert_eq!(default["items"].as_array().map(Vec::len), Some(12));

        let all = walk(&app, &admin, "limit=500").await;
        for (query, key, desc) in [
            ("limit=2&sort=name", "name", false),
            ("limit=3&sort=-name", "name", true),
            ("limit=5&sort=county", "county", false),
            ("limit=4&sort=-id", "id", true),
        ] {
            let rows = walk(&app, &admin, query).await;
            assert_eq!(rows.len(), all.len(), "{query}");
            let ids: HashSet<i64> = rows.iter().filter_map(|r| r["id"].as_i64()).collect();
            assert_eq!(ids.len(), all.len(), "{query}: every row exactly once");
            let keys: Vec<String> = rows
                .iter()
                .map(|r| {
                    if key == "id" {
                        format!("{:08}", r["id"].as_i64().unwrap_or(0))
                    } else {
                        r[key].as_str().unwrap_or_default().to_owned()
                    }
                })
                .collect();
            let mut sorted = keys.clone();
            if key == "name" {
                // Names sort by pinyin, bytewise on both backends.
                sorted.sort_by_key(|n| zhucun_domain::pinyin::sort_key(n));
            } else {
                sorted.sort();
            }
            if desc {
                sorted.reverse();
            }
            if app.backend == Backend::Sqlite || key == "id" || key == "name" {
                assert_eq!(keys, sorted, "{query}");
            }
        }
        let first = app
            .get("/api/v1/villages?limit=2&sort=name", &admin)
            .await
            .json();
        let cursor = first["next_cursor"].as_str().unwrap_or_default().to_owned();
        // A cursor belongs to its sort; a made-up one is refused.
        app.get(
            &format!("/api/v1/villages?limit=2&sort=county&cursor={cursor}"),
            &admin,
        )
        .await
        .assert_problem(400, "validation");
        app.get("/api/v1/villages?cursor=bm9wZQ", &admin)
            .await
            .assert_problem(400, "validation");
        app.get("/api/v1/villages?sort=password", &admin)
            .await
            .assert_problem(400, "validation");
        // Filters.
        let nagqu = app
            .get(
                "/api/v1/villages?county=%E7%8F%AD%E6%88%88%E5%8E%BF",
                &admin,
            )
            .await
            .json();
        let names: HashSet<&str> = nagqu["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, HashSet::from(["下地村", "琼果村"]));
        let active = app.get("/api/v1/villages?active=true", &admin).await.json();
        assert_eq!(active["items"].as_array().map(Vec::len), Some(4));
    }
);

both_backends!(
    stale_if_match_is_412_and_changes_nothing,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let id = app
            .find_id("/api/v1/villages", &admin, "name", "琼果村")
            .await;
        let r = app.get(&format!("/api/v1/villages/{id}"), &admin).await;
        let etag = r.header("etag").unwrap_or_default();
        assert_eq!(etag, format!("\"{}\"", r.json()["version"]));
        let first = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                Some(&etag),
                &json!({"township": "新吉乡"}),
            )
            .await;
        assert_eq!(first.status, 200, "{}", first.text());
        let new_etag = first.header("etag").unwrap_or_default();
        assert_ne!(new_etag, etag);
        let stale = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                Some(&etag),
                &json!({"township": "别的乡"}),
            )
            .await;
        stale.assert_problem(412, "precondition-failed");
        let now = app
            .get(&format!("/api/v1/villages/{id}"), &admin)
            .await
            .json();
        assert_eq!(now["township"], "新吉乡");
        assert_eq!(
            app.patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                Some(&new_etag),
                &json!({"township": null})
            )
            .await
            .json()["township"],
            Value::Null
        );
        app.patch(
            &format!("/api/v1/villages/{id}"),
            &admin,
            Some("garbage"),
            &json!({}),
        )
        .await
        .assert_problem(400, "validation");
    }
);

both_backends!(
    idempotent_creates_replay_and_refuse_other_bodies,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let body = json!({"name": "测试村", "prefecture": "拉萨市", "county": "堆龙德庆区"});
        let send = |b: Value, key: &'static str| {
            TestRequest::post()
                .uri("/api/v1/villages")
                .insert_header(("authorization", format!("Bearer {admin}")))
                .insert_header(("idempotency-key", key))
                .set_json(b)
        };
        let a = app.send(send(body.clone(), "k-1")).await;
        assert_eq!(a.status, 201, "{}", a.text());
        let b = app.send(send(body.clone(), "k-1")).await;
        assert_eq!(b.status, 201);
        assert_eq!(a.json(), b.json(), "the replay is the first answer");
        assert_eq!(b.header("idempotent-replayed").as_deref(), Some("true"));
        assert_eq!(a.header("etag"), b.header("etag"));
        let list = app
            .get("/api/v1/villages?q=%E6%B5%8B%E8%AF%95%E6%9D%91", &admin)
            .await
            .json();
        assert_eq!(
            list["items"].as_array().map(Vec::len),
            Some(1),
            "only one row"
        );
        let other = app
            .send(send(
                json!({"name": "另一个村", "prefecture": "拉萨市", "county": "堆龙德庆区"}),
                "k-1",
            ))
            .await;
        other.assert_problem(422, "unprocessable");
        // Keys belong to their user: another admin's same key is a separate request.
        let jt = app.login("jt_admin").await;
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/villages")
                    .insert_header(("authorization", format!("Bearer {jt}")))
                    .insert_header(("idempotency-key", "k-1"))
                    .set_json(body.clone()),
            )
            .await;
        assert_eq!(r.status, 201);
        assert_ne!(r.json()["id"], a.json()["id"]);
    }
);

both_backends!(
    tibetan_names_round_trip_and_are_found_by_any_part,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let name_bo = "བཀྲ་ཤིས་སྒང་།";
        let r = app
        .post("/api/v1/villages", &admin, &json!({"name": "扎西岗村", "name_bo": name_bo, "prefecture": "阿里地区", "county": "噶尔县"}))
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let id = r.json()["id"].as_i64().unwrap_or(0);
        assert_eq!(
            app.get(&format!("/api/v1/villages/{id}"), &admin)
                .await
                .json()["name_bo"],
            name_bo
        );
        for part in ["སྒང", "བཀྲ་ཤིས", "扎西", "噶尔"] {
            let q: String = url_encode(part);
            let found = app
                .get(&format!("/api/v1/villages?q={q}"), &admin)
                .await
                .json();
            let ids: Vec<i64> = found["items"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v["id"].as_i64()).collect())
                .unwrap_or_default();
            assert_eq!(ids, vec![id], "search {part}");
        }
        // The same letters in decomposed form (U+0F71 U+0F72 for U+0F73) find the composed name.
        let composed = "ཀཱི་ཐང";
        let r = app
        .post("/api/v1/villages", &admin, &json!({"name": "吉塘村", "name_bo": "\u{0F40}\u{0F73}་ཐང", "prefecture": "昌都市", "county": "卡若区"}))
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let _ = composed;
        let found = app
            .get(
                &format!(
                    "/api/v1/villages?q={}",
                    url_encode("\u{0F40}\u{0F71}\u{0F72}")
                ),
                &admin,
            )
            .await
            .json();
        assert_eq!(found["items"][0]["name"], "吉塘村", "{found}");
        // Wildcards are literal.
        let none = app.get("/api/v1/villages?q=%25", &admin).await.json();
        assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
        // Latin script is not Tibetan.
        let bad = app
        .post("/api/v1/villages", &admin, &json!({"name": "X村", "name_bo": "Tashigang", "prefecture": "阿里地区", "county": "噶尔县"}))
        .await;
        assert_eq!(
            bad.assert_problem(400, "validation")["errors"][0]["field"],
            "name_bo"
        );
    }
);

pub fn url_encode(s: &str) -> String {
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

both_backends!(
    every_write_is_audited_and_the_trail_cannot_change,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = app
            .post("/api/v1/offices", &admin, &json!({"name": "审计测试处"}))
            .await;
        assert_eq!(r.status, 201);
        let id = r.json()["id"].as_i64().unwrap_or(0);
        let etag = r.header("etag").unwrap_or_default();
        let r = app
            .patch(
                &format!("/api/v1/offices/{id}"),
                &admin,
                Some(&etag),
                &json!({"name": "审计测试二处"}),
            )
            .await;
        assert_eq!(r.status, 200);
        let trail = app
            .get(
                &format!("/api/v1/audit?entity=office&entity_id={id}"),
                &admin,
            )
            .await;
        let items = trail.json()["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(items.len(), 2, "{}", trail.text());
        assert_eq!(items[0]["action"], "update");
        assert_eq!(items[0]["before"]["name"], "审计测试处");
        assert_eq!(items[0]["after"]["name"], "审计测试二处");
        assert_eq!(items[0]["actor_username"], "admin");
        assert!(items[0]["request_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        assert_eq!(items[1]["action"], "create");
        assert_eq!(items[1]["before"], Value::Null);
        // Logins are recorded too.
        let logins = app.get("/api/v1/audit?action=login", &admin).await.json();
        assert!(logins["items"].as_array().is_some_and(|a| !a.is_empty()));
        // No endpoint changes the trail, and the database refuses it too.
        let r = app
            .send(
                TestRequest::delete()
                    .uri("/api/v1/audit")
                    .insert_header(("authorization", format!("Bearer {admin}"))),
            )
            .await;
        r.assert_problem(405, "method-not-allowed");
        assert!(app.sql("UPDATE audit_entries SET action = 'x'").is_err());
        assert!(app.sql("DELETE FROM audit_entries").is_err());
        let still = app
            .get(
                &format!("/api/v1/audit?entity=office&entity_id={id}"),
                &admin,
            )
            .await
            .json();
        assert_eq!(still["items"].as_array().map(Vec::len), Some(2));
    }
);

#[test]
fn committed_openapi_matches_the_code() {
    let produced = zhucun_api::openapi::document()
        .to_pretty_json()
        .unwrap_or_default();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        produced.trim() == committed.trim(),
        "openapi/openapi.json is stale: run `cargo run -p zhucun-api -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_operation_is_documented_with_an_id_tag_and_errors() {
    let doc: Value = serde_json::from_str(
        &zhucun_api::openapi::document()
            .to_json()
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    let mut ids = HashSet::new();
    for (path, item) in doc["paths"].as_object().cloned().unwrap_or_default() {
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(ids.insert(id.clone()), "duplicate operationId {id}");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has no tag"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} has no summary"
            );
            if path.starts_with("/api/") {
                assert!(
                    op["responses"]["400"].is_object(),
                    "{method} {path} lacks 400"
                );
            }
        }
    }
    assert!(ids.len() >= 30);
}

both_backends!(concurrent_writes_are_all_kept, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let before = app.get("/api/v1/villages?limit=500", &admin).await.json()["items"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    let (app, admin) = (&app, &admin);
    let creates = (0..24).map(|i| async move {
        let body =
            json!({"name": format!("并发村{i}"), "prefecture": "拉萨市", "county": "城关区"});
        app.post("/api/v1/villages", admin, &body).await
    });
    let answers = futures_util::future::join_all(creates).await;
    for a in &answers {
        assert_eq!(a.status, 201, "{}", a.text());
    }
    let after = app.get("/api/v1/villages?limit=500", admin).await.json()["items"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert_eq!(after, before + 24, "every acknowledged create is there");
    // Concurrent updates of one row: exactly one wins per version, the others get 412.
    let id = answers[0].json()["id"].as_i64().unwrap_or(0);
    let updates = (0..8).map(|i| async move {
        let body = json!({"township": format!("乡{i}")});
        app.patch(
            &format!("/api/v1/villages/{id}"),
            admin,
            Some("\"1\""),
            &body,
        )
        .await
    });
    let results = futures_util::future::join_all(updates).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    let stale = results.iter().filter(|r| r.status == 412).count();
    assert_eq!(
        (ok, stale),
        (1, 7),
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
});

both_backends!(
    saving_without_changes_changes_nothing,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let id = app
            .find_id("/api/v1/villages", &admin, "name", "下地村")
            .await;
        let r = app.get(&format!("/api/v1/villages/{id}"), &admin).await;
        let etag = r.header("etag").unwrap_or_default();
        let v = r.json();
        let same = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                Some(&etag),
                &json!({"name": v["name"], "county": v["county"], "township": v["township"]}),
            )
            .await;
        assert_eq!(same.status, 200, "{}", same.text());
        assert_eq!(same.header("etag"), Some(etag.clone()), "the version stays");
        assert_eq!(same.json()["updated_at"], v["updated_at"]);
        let trail = app
            .get(
                &format!("/api/v1/audit?entity=village&entity_id={id}"),
                &admin,
            )
            .await
            .json();
        assert_eq!(
            trail["items"].as_array().map(Vec::len),
            Some(0),
            "nothing to audit"
        );
        // A real change still goes through, once.
        let changed = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                Some(&etag),
                &json!({"township": "门当乡"}),
            )
            .await;
        assert_eq!(changed.status, 200);
        assert_ne!(changed.header("etag"), Some(etag));
        let trail = app
            .get(
                &format!("/api/v1/audit?entity=village&entity_id={id}"),
                &admin,
            )
            .await
            .json();
        assert_eq!(trail["items"].as_array().map(Vec::len), Some(1));
    }
);

both_backends!(
    if_match_follows_rfc_9110_strong_comparison,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let id = app
            .find_id("/api/v1/villages", &admin, "name", "下地村")
            .await;
        let path = format!("/api/v1/villages/{id}");
        let version = app.get(&path, &admin).await.json()["version"]
            .as_i64()
            .unwrap_or(0);
        let current = format!("\"{version}\"");
        // Well-formed tags that are not the current strong tag: 412, nothing written.
        for tag in [
            "\"abc\"".to_owned(),
            format!("W/{current}"),
            format!("\"{}\"", version + 1),
            "\"1,2\"".to_owned(),
        ] {
            app.patch(&path, &admin, Some(&tag), &json!({"township": "不该写入"}))
                .await
                .assert_problem(412, "precondition-failed");
        }
        assert_ne!(app.get(&path, &admin).await.json()["township"], "不该写入");
        // Only a header that is not a list of entity-tags is a 400.
        for broken in ["abc", "3", "\"3", "W/3"] {
            let r = app
                .patch(
                    &path,
                    &admin,
                    Some(broken),
                    &json!({"township": "不该写入"}),
                )
                .await;
            let p = r.assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], "If-Match", "{broken}: {p}");
        }
        // A list holding the current tag matches; so does `*`.
        let list = format!("\"0\", {current}");
        let r = app
            .patch(&path, &admin, Some(&list), &json!({"township": "列表乡"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let r = app
            .patch(&path, &admin, Some("*"), &json!({"township": "星号乡"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["township"], "星号乡");
    }
);

both_backends!(
    saving_without_changes_writes_nothing,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let id = app
            .find_id("/api/v1/villages", &admin, "name", "亚卡亚村")
            .await;
        let path = format!("/api/v1/villages/{id}");
        let before = app.get(&path, &admin).await;
        let etag = before.header("etag");
        let audit_before = app
            .get(
                &format!("/api/v1/audit?entity=village&entity_id={id}"),
                &admin,
            )
            .await
            .json()["items"]
            .as_array()
            .map(Vec::len);
        let same = before.json();
        let r = app
            .patch(
                &path,
                &admin,
                etag.as_deref(),
                &json!({"name": same["name"], "county": same["county"], "active": true}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("etag"), etag, "the version stays");
        assert_eq!(r.json()["updated_at"], same["updated_at"]);
        let audit_after = app
            .get(
                &format!("/api/v1/audit?entity=village&entity_id={id}"),
                &admin,
            )
            .await
            .json()["items"]
            .as_array()
            .map(Vec::len);
        assert_eq!(audit_before, audit_after, "no audit entry for no change");
    }
);

both_backends!(
    cursors_belong_to_their_list_and_sort,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let page = app
            .get("/api/v1/villages?limit=2&sort=name", &admin)
            .await
            .json();
        let cursor = page["next_cursor"].as_str().unwrap_or_default().to_owned();
        assert!(!cursor.is_empty());
        let ok = app
            .get(
                &format!("/api/v1/villages?limit=2&sort=name&cursor={cursor}"),
                &admin,
            )
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text());
        // The same cursor with another sort, on another list, forged or holding NUL: 400.
        let forge = |json: &str| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
        };
        let forged_kind = forge(r#"{"s":"name","k":{"Int":3},"i":1}"#);
        let forged_nul = forge(r#"{"s":"name","k":{"Text":"a\u0000"},"i":1}"#);
        for url in [
            format!("/api/v1/villages?sort=-name&cursor={cursor}"),
            format!("/api/v1/villages?sort=county&cursor={cursor}"),
            format!("/api/v1/offices?cursor={cursor}"),
            format!("/api/v1/villages?cursor={forged_kind}"),
            format!("/api/v1/villages?cursor={forged_nul}"),
            "/api/v1/villages?cursor=".to_owned(),
            "/api/v1/villages?cursor=%%%".to_owned(),
        ] {
            let r = app.get(&url, &admin).await;
            let p = r.assert_problem(400, "validation");
            assert_eq!(p["errors"][0]["field"], "cursor", "{url}: {p}");
        }
    }
);

both_backends!(
    references_to_closed_rows_follow_each_resources_rule,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        // A closed office cannot be linked from a new cadre.
        let office = app
            .post("/api/v1/offices", &admin, &json!({"name": "将撤销处"}))
            .await
            .json();
        let office_id = office["id"].as_i64().unwrap_or(0);
        let r = app
            .patch(
                &format!("/api/v1/offices/{office_id}"),
                &admin,
                None,
                &json!({"active": false}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let p = app
            .post(
                "/api/v1/cadres",
                &admin,
                &json!({"name": "新干部", "office_id": office_id}),
            )
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "office_id");
        // A closed round stays a round: history (a team of a past round) may still be entered.
        let round = app
            .post(
                "/api/v1/rounds",
                &admin,
                &json!({"number": 77, "starts_on": "2040-10-01", "ends_on": "2041-09-30"}),
            )
            .await
            .json();
        let round_id = round["id"].as_i64().unwrap_or(0);
        app.patch(
            &format!("/api/v1/rounds/{round_id}"),
            &admin,
            None,
            &json!({"active": false}),
        )
        .await;
        let village = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let t = app
            .post(
                "/api/v1/teams",
                &admin,
                &json!({"round_id": round_id, "village_id": village}),
            )
            .await;
        assert_eq!(t.status, 201, "{}", t.text());
        // Another department's row is answered like a missing one.
        let jt = app.login("jt_admin").await;
        let deji = app.find_id("/api/v1/villages", &jt, "name", "德吉村").await;
        let p = app
            .post(
                "/api/v1/teams",
                &admin,
                &json!({"round_id": round_id, "village_id": deji}),
            )
            .await
            .assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "village_id");
    }
);
