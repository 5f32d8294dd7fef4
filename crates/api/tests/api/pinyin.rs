//! Names sort by pinyin and are found by pinyin and initials (issue 7).

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};
use zhucun_domain::pinyin::sort_key;

/// Every item of a list, walked page by page with `limit`.
async fn walk(app: &TestApp, token: &str, path: &str, limit: usize) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
            None => format!("{path}{sep}limit={limit}"),
        };
        let r = app.get(&url, token).await;
        assert_eq!(r.status, 200, "{url}: {}", r.text());
        let page = r.json();
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
        assert!(out.len() < 10_000, "runaway paging on {path}");
    }
}

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
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

fn names(items: &[Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn by_pinyin(mut names: Vec<String>) -> Vec<String> {
    names.sort_by_key(|n| sort_key(n));
    names
}

both_backends!(lists_sort_by_pinyin, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let villages = names(&walk(&app, &admin, "/api/v1/villages", 2).await, "name");
    assert!(villages.len() >= 12, "{villages:?}");
    assert_eq!(villages, by_pinyin(villages.clone()));
    let six: Vec<&String> = villages
        .iter()
        .filter(|n| {
            [
                "马格达村",
                "亚卡亚村",
                "下地村",
                "琼果村",
                "才纳村",
                "曲水村",
            ]
            .contains(&n.as_str())
        })
        .collect();
    assert_eq!(
        six,
        [
            "才纳村",
            "马格达村",
            "琼果村",
            "曲水村",
            "下地村",
            "亚卡亚村"
        ]
    );
    let mut reversed = names(
        &walk(&app, &admin, "/api/v1/villages?sort=-name", 3).await,
        "name",
    );
    reversed.reverse();
    assert_eq!(reversed, villages);

    let cadres = names(&walk(&app, &admin, "/api/v1/cadres", 3).await, "name");
    assert!(cadres.len() >= 16);
    assert_eq!(cadres, by_pinyin(cadres.clone()));

    for name in ["组织处", "办公室", "驻村工作处"] {
        let r = app
            .post("/api/v1/offices", &admin, &json!({"name": name}))
            .await;
        assert!(r.status == 201 || r.status == 409, "{}", r.text());
    }
    let offices = names(&walk(&app, &admin, "/api/v1/offices", 1).await, "name");
    assert_eq!(offices, by_pinyin(offices.clone()));
    let ban = offices.iter().position(|n| n == "办公室");
    let zu = offices.iter().position(|n| n == "组织处");
    assert!(ban < zu, "ban gong shi before zu zhi chu: {offices:?}");

    // Teams by village follow the villages' pinyin order.
    let teams = names(
        &walk(&app, &admin, "/api/v1/teams?sort=village", 2).await,
        "village_name",
    );
    assert!(!teams.is_empty());
    assert_eq!(teams, by_pinyin(teams.clone()));
});

both_backends!(
    stored_rows_get_their_keys_at_start,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let before = names(&walk(&app, &admin, "/api/v1/villages", 500).await, "name");
        // As rows stored before the keys existed: empty keys and the old search text.
        app.sql("UPDATE villages SET sort_key = '', search_text = name; UPDATE cadres SET sort_key = ''; UPDATE offices SET sort_key = ''")
        .unwrap();
        app.restart();
        let after = names(&walk(&app, &admin, "/api/v1/villages", 500).await, "name");
        assert_eq!(after, before);
        let found = app
            .get(&format!("/api/v1/villages?q={}", enc("南木林")), &admin)
            .await
            .json();
        assert_eq!(
            names(found["items"].as_array().unwrap(), "name"),
            ["马格达村"]
        );
        let found = app.get("/api/v1/villages?q=mgd", &admin).await.json();
        assert_eq!(
            names(found["items"].as_array().unwrap(), "name"),
            ["马格达村"]
        );
        let cadres = names(&walk(&app, &admin, "/api/v1/cadres", 500).await, "name");
        assert_eq!(cadres, by_pinyin(cadres.clone()));
    }
);

both_backends!(
    search_matches_pinyin_and_initials,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let search = |list: &'static str, q: &'static str| {
            let (app, admin) = (&app, &admin);
            async move {
                let r = app
                    .get(&format!("/api/v1/{list}?q={}&limit=500", enc(q)), admin)
                    .await;
                assert_eq!(r.status, 200, "{}", r.text());
                names(r.json()["items"].as_array().unwrap(), "name")
            }
        };
        for q in ["mageda", "MaGeDa", "mgd", "magedacun", "马格达", "མ་དགེ"] {
            assert_eq!(search("villages", q).await, ["马格达村"], "q={q}");
        }
        // Initials of several villages; every hit really has them.
        let cun = search("villages", "qsc").await;
        assert_eq!(cun, ["曲水村"]);
        assert!(search("villages", "zzzq").await.is_empty());

        assert_eq!(search("cadres", "cirenduoji").await, ["次仁多吉"]);
        assert_eq!(search("cadres", "crdj").await, ["次仁多吉"]);
        // The demo has 223 cadres (结对认亲), several of them 次仁 something: every hit has it.
        let cirens = search("cadres", "次仁").await;
        assert!(cirens.iter().any(|n| n == "次仁多吉"), "{cirens:?}");
        assert!(cirens.iter().all(|n| n.contains("次仁")), "{cirens:?}");

        let r = app
            .post("/api/v1/offices", &admin, &json!({"name": "扶贫开发处"}))
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(search("offices", "fpkfc").await, ["扶贫开发处"]);
        assert_eq!(search("offices", "fupin").await, ["扶贫开发处"]);
        assert_eq!(search("offices", "zhucungongzuo").await, ["驻村工作办公室"]);

        // A rename recomputes the pinyin.
        let id = app
            .find_id("/api/v1/villages", &admin, "name", "下地村")
            .await;
        let v = app.get(&format!("/api/v1/villages/{id}"), &admin).await;
        let etag = v.header("etag");
        let r = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                etag.as_deref(),
                &json!({"name": "上地村"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(search("villages", "shangdi").await, ["上地村"]);
        assert!(search("villages", "xiadi").await.is_empty());
    }
);
