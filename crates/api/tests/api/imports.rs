//! Excel import (`/imports/{kind}`): workbooks written here by rust_xlsxwriter (the server reads
//! them with calamine), the template round trip, dry run vs commit vs re-import, one bad row
//! writing nothing, bad files, and access.

use crate::both_backends;
use crate::common::*;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::Value;

const HOUSEHOLD_HEADINGS: &[&str] = &[
    "村",
    "户主姓名",
    "户主藏文姓名",
    "家庭人口",
    "家庭成员",
    "联系电话",
    "地址",
    "类别",
    "监测类型",
    "类别起始日期",
    "致贫原因",
    "备注",
];

/// A workbook with `headings` in row 1 and `rows` below (numbers where a cell parses as one, as
/// a person typing into Excel gets).
fn workbook(headings: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in headings.iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let (r, c) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(n) if !v.starts_with('0') => ws.write(r, c, n).unwrap(),
                _ => ws.write(r, c, *v).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

fn household(village: &str, name: &str, members: &str, address: &str) -> Vec<&'static str> {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    vec![
        leak(village),
        leak(name),
        "",
        leak(members),
        "",
        "",
        leak(address),
        "脱贫户",
        "",
        "2020-12-01",
        "因病、缺劳力",
        "",
    ]
}

/// Percent-encodes a query value (Chinese in a URI).
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

const BOUNDARY: &str = "----zhucunImportBoundary7MA4YWxk";

fn multipart(file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\
Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, token: &str, kind: &str, dry_run: bool, file: &[u8]) -> Resp {
    app.send(
        TestRequest::post()
            .uri(&format!("/api/v1/imports/{kind}?dry_run={dry_run}"))
            .insert_header(("authorization", format!("Bearer {token}")))
            .insert_header((
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ))
            .set_payload(multipart(file)),
    )
    .await
}

/// The report of a 200 answer.
async fn report(app: &TestApp, token: &str, kind: &str, dry_run: bool, file: &[u8]) -> Value {
    let r = upload(app, token, kind, dry_run, file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

fn counts(r: &Value) -> (u64, u64, u64, u64) {
    (
        r["created"].as_u64().unwrap(),
        r["updated"].as_u64().unwrap(),
        r["unchanged"].as_u64().unwrap(),
        r["invalid"].as_u64().unwrap(),
    )
}

/// How many households the search `q` finds.
async fn households_named(app: &TestApp, token: &str, q: &str) -> usize {
    let r = app
        .get(&format!("/api/v1/households?limit=500&q={}", enc(q)), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["items"].as_array().unwrap().len()
}

/// The id of the household whose head is `name`.
async fn household_id(app: &TestApp, token: &str, name: &str) -> i64 {
    let r = app
        .get(
            &format!("/api/v1/households?limit=500&q={}", enc(name)),
            token,
        )
        .await;
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["head_name"] == name)
        .and_then(|h| h["id"].as_i64())
        .unwrap_or_else(|| panic!("no household {name}"))
}

both_backends!(
    templates_download_and_their_example_rows_check_clean,
    |app: TestApp| async move {
        use calamine::Reader;
        let admin = app.login("admin").await;
        let office = app.login("office_staff").await;
        for (kind, token, first) in [
            ("households", &office, "村"),
            ("cadres", &admin, "姓名"),
            ("villages", &admin, "村名"),
        ] {
            let r = app
                .get(&format!("/api/v1/imports/{kind}/template"), token)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{kind}: {}", r.text());
            assert_eq!(
                r.header("content-type").as_deref(),
                Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            );
            assert!(r
                .header("content-disposition")
                .unwrap_or_default()
                .starts_with("attachment"));
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(std::io::Cursor::new(r.body.clone())).unwrap();
            let names = book.sheet_names();
            assert_eq!(names.len(), 2, "{names:?}");
            assert_eq!(names[1], "说明");
            let sheet = book.worksheet_range_at(0).unwrap().unwrap();
            assert_eq!(sheet.get((0, 0)).unwrap().to_string(), first);
            assert_eq!(sheet.height(), 2, "headings and one example row");
            let notes = book.worksheet_range("说明").unwrap();
            assert!(notes
                .rows()
                .any(|r| r.iter().any(|c| c.to_string().contains("匹配"))));
            // The example row as it is checks clean (and a dry run writes nothing).
            let dry = report(&app, token, kind, true, &r.body).await;
            assert_eq!(dry["rows"], 1, "{dry}");
            assert_eq!(dry["invalid"], 0, "{dry}");
            assert_eq!(dry["committed"], false, "{dry}");
        }
        // Who may not import these may not have their template either.
        let team = app.login("team_magada").await;
        let r = app.get("/api/v1/imports/cadres/template", &team).await;
        r.assert_problem(403, "forbidden");
        let r = app.get("/api/v1/imports/teams/template", &admin).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    households_dry_run_commit_and_reimport,
    |app: TestApp| async move {
        let office = app.login("office_staff").await;
        let good = vec![
            household("马格达村", "导入甲", "4", "一组"),
            household("马格达村", "导入乙", "5", "二组"),
            household("马格达村", "导入丙", "3", ""),
        ];
        let file = workbook(HOUSEHOLD_HEADINGS, &good);

        // Dry run: what would happen, nothing written.
        let dry = report(&app, &office, "households", true, &file).await;
        assert_eq!(counts(&dry), (3, 0, 0, 0), "{dry}");
        assert_eq!(households_named(&app, &office, "导入").await, 0);

        // One bad row (and a row repeating another's key): errors by row and column, nothing written.
        let mut bad = good.clone();
        bad.push(household("马格达村", "导入丁", "0", ""));
        bad.push(household("马格达村", "导入甲", "4", "一组"));
        let bad = workbook(HOUSEHOLD_HEADINGS, &bad);
        let dry = report(&app, &office, "households", true, &bad).await;
        assert_eq!(dry["invalid"], 2, "{dry}");
        let errors = dry["errors"].as_array().unwrap();
        let members = errors
            .iter()
            .find(|e| e["row"] == 5)
            .expect("row 5 refused");
        assert_eq!(members["column"], "家庭人口");
        assert_eq!(members["field"], "members");
        assert_eq!(members["code"], "between");
        let repeated = errors
            .iter()
            .find(|e| e["row"] == 6)
            .expect("row 6 refused");
        assert_eq!(repeated["code"], "import_duplicate_row");
        assert_eq!(repeated["params"]["row"], "2");
        let r = upload(&app, &office, "households", false, &bad).await;
        let p = r.assert_problem(422, "unprocessable");
        assert_eq!(p["code"], "import_invalid");
        assert_eq!(p["import"]["invalid"], 2, "{p}");
        assert_eq!(p["import"]["committed"], false);
        assert!(p["import"]["errors"].as_array().unwrap().len() >= 2);
        assert_eq!(households_named(&app, &office, "导入").await, 0);

        // Messages in Chinese for a Chinese client.
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/imports/households?dry_run=true")
                    .insert_header(("authorization", format!("Bearer {office}")))
                    .insert_header(("accept-language", "zh-CN"))
                    .insert_header((
                        "content-type",
                        format!("multipart/form-data; boundary={BOUNDARY}"),
                    ))
                    .set_payload(multipart(&bad)),
            )
            .await;
        let row5 = r.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["row"] == 5)
            .cloned()
            .unwrap();
        assert!(row5["message"].as_str().unwrap().contains("之间"), "{row5}");

        // Commit: every row, audited, with its category history.
        let done = report(&app, &office, "households", false, &file).await;
        assert_eq!(counts(&done), (3, 0, 0, 0), "{done}");
        assert_eq!(done["committed"], true);
        assert_eq!(households_named(&app, &office, "导入").await, 3);
        let id = household_id(&app, &office, "导入甲").await;
        let history = app
            .get(&format!("/api/v1/households/{id}/categories"), &office)
            .await;
        assert_eq!(history.status, StatusCode::OK, "{}", history.text());
        let admin = app.login("admin").await;
        let audit = app
            .get(
                &format!("/api/v1/audit?entity=household&entity_id={id}&limit=500"),
                &admin,
            )
            .await;
        assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
        let created = audit.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["action"] == "create"
                    && e["entity_id"].as_str().and_then(|s| s.parse::<i64>().ok()) == Some(id)
            })
            .count();
        assert_eq!(created, 1, "one audit entry for the imported row");

        // The same file again: nothing new, all unchanged.
        let again = report(&app, &office, "households", false, &file).await;
        assert_eq!(counts(&again), (0, 0, 3, 0), "{again}");
        assert_eq!(households_named(&app, &office, "导入").await, 3);

        // One changed cell: one update.
        let mut changed = good.clone();
        changed[1] = household("马格达村", "导入乙", "6", "二组");
        let changed = workbook(HOUSEHOLD_HEADINGS, &changed);
        let upd = report(&app, &office, "households", false, &changed).await;
        assert_eq!(counts(&upd), (0, 1, 2, 0), "{upd}");
        let id = household_id(&app, &office, "导入乙").await;
        let h = app.get(&format!("/api/v1/households/{id}"), &office).await;
        assert_eq!(h.json()["members"], 6);
        assert_eq!(h.json()["version"], 2);

        // A changed category is refused: it changes through the history.
        let mut recat = good.clone();
        recat[0][7] = "一般户";
        let recat = workbook(HOUSEHOLD_HEADINGS, &recat);
        let dry = report(&app, &office, "households", true, &recat).await;
        assert_eq!(dry["invalid"], 1, "{dry}");
        assert_eq!(dry["errors"][0]["code"], "import_category_changed");
    }
);

both_backends!(bad_files_are_refused, |app: TestApp| async move {
    let office = app.login("office_staff").await;
    let r = upload(&app, &office, "households", true, b"head_name,members\n").await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["code"], "import_not_xlsx", "{p}");

    let empty = workbook(HOUSEHOLD_HEADINGS, &[]);
    let r = upload(&app, &office, "households", true, &empty).await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["code"], "import_empty", "{p}");

    let wrong = workbook(&["姓名", "人口"], &[vec!["扎西", "3"]]);
    let r = upload(&app, &office, "households", true, &wrong).await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["code"], "import_headings", "{p}");
    assert!(p["errors"][0]["params"]["missing"]
        .as_str()
        .unwrap()
        .contains("户主姓名"));

    let huge = vec![0u8; 10 * 1024 * 1024 + 1];
    let r = upload(&app, &office, "households", true, &huge).await;
    r.assert_problem(413, "payload-too-large");

    let r = app
        .post(
            "/api/v1/imports/households?dry_run=true",
            &office,
            &serde_json::json!({}),
        )
        .await;
    r.assert_problem(415, "unsupported-media-type");

    let r = app
        .send(
            TestRequest::post()
                .uri("/api/v1/imports/households?dry_run=true")
                .insert_header(("authorization", format!("Bearer {office}")))
                .insert_header((
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                ))
                .set_payload(format!("--{BOUNDARY}--\r\n")),
        )
        .await;
    let p = r.assert_problem(400, "validation");
    assert_eq!(p["errors"][0]["field"], "file", "{p}");
});

both_backends!(access_follows_the_create_rules, |app: TestApp| async move {
    let row = vec![household("马格达村", "导入戊", "4", "")];
    let file = workbook(HOUSEHOLD_HEADINGS, &row);
    for user in ["committee_magada", "regional", "admin"] {
        let token = app.login(user).await;
        let r = upload(&app, &token, "households", true, &file).await;
        r.assert_problem(403, "forbidden");
    }
    let team = app.login("team_magada").await;
    for kind in ["cadres", "villages"] {
        let r = upload(&app, &team, kind, true, &file).await;
        r.assert_problem(403, "forbidden");
    }
    // A team imports households of its own village only.
    let dry = report(&app, &team, "households", true, &file).await;
    assert_eq!(counts(&dry), (1, 0, 0, 0), "{dry}");
    let other = workbook(
        HOUSEHOLD_HEADINGS,
        &[household("亚卡亚村", "导入己", "4", "")],
    );
    let dry = report(&app, &team, "households", true, &other).await;
    assert_eq!(dry["invalid"], 1, "{dry}");
    assert_eq!(dry["errors"][0]["column"], "村");
    assert_eq!(dry["errors"][0]["code"], "no_such_active");
    // Another department's village names match nothing.
    let office = app.login("office_staff").await;
    let foreign = workbook(
        HOUSEHOLD_HEADINGS,
        &[household("德吉村", "导入庚", "4", "")],
    );
    let dry = report(&app, &office, "households", true, &foreign).await;
    assert_eq!(dry["errors"][0]["code"], "no_such_active", "{dry}");
    // The templates follow the same rules: whoever may import a kind downloads its template.
    let template = |kind: &str| format!("/api/v1/imports/{kind}/template");
    for (user, kind, status) in [
        ("office_staff", "households", 200),
        ("team_magada", "households", 200),
        ("committee_magada", "households", 403),
        ("regional", "households", 403),
        ("admin", "households", 403),
        ("admin", "cadres", 200),
        ("admin", "villages", 200),
        ("team_magada", "cadres", 403),
        ("team_magada", "villages", 403),
        ("jt_admin", "cadres", 200),
    ] {
        let token = app.login(user).await;
        let r = app.get(&template(kind), &token).await;
        assert_eq!(r.status, status, "{user} {kind}: {}", r.text());
    }
    app.get(&template("pairings"), &office)
        .await
        .assert_problem(404, "not-found");
});

both_backends!(cadres_and_villages_import_once, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let headings = ["姓名", "藏文姓名", "处室", "职务", "手机号"];
    let rows = vec![
        vec!["导入干部一", "", "", "科员", "13800000001"],
        vec!["导入干部二", "", "", "", ""],
    ];
    let file = workbook(&headings, &rows);
    let done = report(&app, &admin, "cadres", false, &file).await;
    assert_eq!(counts(&done), (2, 0, 0, 0), "{done}");
    let again = report(&app, &admin, "cadres", false, &file).await;
    assert_eq!(counts(&again), (0, 0, 2, 0), "{again}");
    let r = app
        .get(
            &format!("/api/v1/cadres?q={}&limit=50", enc("导入干部")),
            &admin,
        )
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 2);
    let phone = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "导入干部一")
        .map(|c| c["phone"].clone())
        .unwrap();
    assert_eq!(
        phone, "13800000001",
        "a phone typed as a number keeps its digits"
    );
    let unknown = workbook(&headings, &[vec!["导入干部三", "", "没有的处室", "", ""]]);
    let dry = report(&app, &admin, "cadres", true, &unknown).await;
    assert_eq!(dry["errors"][0]["column"], "处室", "{dry}");

    let headings = [
        "村名",
        "藏文村名",
        "市",
        "县",
        "乡镇",
        "行政区划代码",
        "纬度",
        "经度",
    ];
    let rows = vec![vec![
        "导入村",
        "",
        "那曲市",
        "班戈县",
        "",
        "540627100299",
        "31.4",
        "90.0",
    ]];
    let file = workbook(&headings, &rows);
    let done = report(&app, &admin, "villages", false, &file).await;
    assert_eq!(counts(&done), (1, 0, 0, 0), "{done}");
    let again = report(&app, &admin, "villages", false, &file).await;
    assert_eq!(counts(&again), (0, 0, 1, 0), "{again}");
    let moved = workbook(
        &headings,
        &[vec![
            "导入村",
            "",
            "那曲市",
            "班戈县",
            "佳琼镇",
            "540627100299",
            "31.4",
            "90.0",
        ]],
    );
    let upd = report(&app, &admin, "villages", false, &moved).await;
    assert_eq!(counts(&upd), (0, 1, 0, 0), "{upd}");
    // The code of another village is refused by row, not by a 409 for the whole file.
    let taken = workbook(
        &headings,
        &[vec![
            "导入二村",
            "",
            "那曲市",
            "班戈县",
            "",
            "540627100299",
            "",
            "",
        ]],
    );
    let dry = report(&app, &admin, "villages", true, &taken).await;
    assert_eq!(dry["errors"][0]["column"], "行政区划代码", "{dry}");
    assert_eq!(dry["errors"][0]["code"], "duplicate");
    let bad = workbook(
        &headings,
        &[vec!["导入三村", "", "那曲市", "拉萨", "", "", "北纬", ""]],
    );
    let dry = report(&app, &admin, "villages", true, &bad).await;
    let codes: Vec<&str> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"import_number"), "{dry}");
    assert!(codes.contains(&"county_not_in_prefecture"), "{dry}");
});

both_backends!(
    a_large_import_is_written_in_batches_each_row_audited_in_order,
    |app: TestApp| async move {
        let office = app.login("office_staff").await;
        let admin = app.login("admin").await;
        let names: Vec<String> = (0..600).map(|i| format!("批量{i:03}")).collect();
        let first: Vec<_> = names[..2]
            .iter()
            .map(|n| household("马格达村", n, "3", "一组"))
            .collect();
        let done = report(
            &app,
            &office,
            "households",
            false,
            &workbook(HOUSEHOLD_HEADINGS, &first),
        )
        .await;
        assert_eq!(counts(&done), (2, 0, 0, 0), "{done}");
        // 600 rows: one unchanged, one changed, 598 new across the batches of 500 (mixed with
        // the update in the first batch).
        let rows: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, n)| household("马格达村", n, if i == 1 { "4" } else { "3" }, "一组"))
            .collect();
        let done = report(
            &app,
            &office,
            "households",
            false,
            &workbook(HOUSEHOLD_HEADINGS, &rows),
        )
        .await;
        assert_eq!(counts(&done), (598, 1, 1, 0), "{done}");
        for name in ["批量002", "批量499", "批量500", "批量599"] {
            let id = household_id(&app, &office, name).await;
            // Its category history starts with the imported category.
            let history = app
                .get(&format!("/api/v1/households/{id}/categories"), &office)
                .await
                .json();
            let items = history["items"].as_array().unwrap();
            assert_eq!(items.len(), 1, "{name}: {history}");
            assert_eq!(items[0]["since"], "2020-12-01", "{name}: {history}");
            // One create entry, the view as a POST records it (with the village's name).
            let audit = app
                .get(
                    &format!("/api/v1/audit?entity=household&entity_id={id}&limit=50"),
                    &admin,
                )
                .await
                .json();
            let entries = audit["items"].as_array().unwrap();
            assert_eq!(entries.len(), 1, "{name}: {audit}");
            assert_eq!(entries[0]["action"], "create", "{name}: {audit}");
            let after = &entries[0]["after"];
            assert_eq!(after["id"], id, "{name}: {audit}");
            assert_eq!(after["head_name"], name, "{name}: {audit}");
            assert_eq!(after["village_name"], "马格达村", "{name}: {audit}");
            assert_eq!(after["version"], 1, "{name}: {audit}");
        }
        // The update is audited with its before and after.
        let id = household_id(&app, &office, "批量001").await;
        let audit = app
            .get(
                &format!("/api/v1/audit?entity=household&entity_id={id}&action=update&limit=50"),
                &admin,
            )
            .await
            .json();
        let entries = audit["items"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{audit}");
        assert_eq!(entries[0]["before"]["members"], 3, "{audit}");
        assert_eq!(entries[0]["after"]["members"], 4, "{audit}");
        // The trail keeps the sheet's order: the newest entries are its last rows.
        let newest = app
            .get("/api/v1/audit?entity=household&limit=2", &admin)
            .await
            .json();
        let ids: Vec<String> = newest["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["entity_id"].as_str().unwrap().to_owned())
            .collect();
        let last = household_id(&app, &office, "批量599").await.to_string();
        let before_last = household_id(&app, &office, "批量598").await.to_string();
        assert_eq!(ids, vec![last, before_last], "{newest}");
    }
);
