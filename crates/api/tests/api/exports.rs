//! Lists as downloads (`format=csv|xlsx`): the same rows as the JSON pages with the same filters,
//! streamed page by page without skipping or repeating a row, Chinese and Tibetan text quoted and
//! readable by Excel (BOM), workbooks read back, and the same access rules as the list.

use crate::both_backends;
use crate::common::*;
use actix_web::http::StatusCode;
use serde_json::Value;

/// Parses RFC 4180 CSV (quoted fields with doubled quotes, CRLF rows).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

fn fen_of(yuan: &str) -> i64 {
    let (neg, digits) = match yuan.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, yuan),
    };
    let (whole, frac) = digits.split_once('.').expect("yuan with two decimals");
    assert_eq!(frac.len(), 2, "{yuan}");
    let fen = whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if neg {
        -fen
    } else {
        fen
    }
}

async fn csv(app: &TestApp, token: &str, query: &str) -> Vec<Vec<String>> {
    let r = app.get(&format!("/api/v1/ledger?{query}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let disposition = r.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment; filename=\"ledger-")
            && disposition.contains("filename*=UTF-8''%E8%B5%84%E9%87%91%E5%8F%B0%E8%B4%A6-"),
        "{disposition}"
    );
    let text = r.text();
    let body = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    parse_csv(body)
}

both_backends!(
    the_ledger_downloads_as_the_list_with_its_totals,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let rows = csv(&app, &admin, "format=csv&year=2019").await;
        assert_eq!(rows[0][0], "编号");
        assert_eq!(rows[0][10], "金额（元）");
        let list = app
            .get("/api/v1/ledger?year=2019&limit=500", &admin)
            .await
            .json();
        let items = list["items"].as_array().unwrap();
        let entries = &rows[1..rows.len() - 1];
        assert_eq!(entries.len(), items.len(), "one row per entry");
        // The same entries in the same order (the list's default sort, newest first).
        for (row, item) in entries.iter().zip(items) {
            assert_eq!(row[0], item["id"].as_i64().unwrap().to_string());
            assert_eq!(row[1], item["date"].as_str().unwrap());
            assert_eq!(row[2], item["village_name"].as_str().unwrap());
            assert_eq!(fen_of(&row[10]), item["amount_fen"].as_i64().unwrap());
        }
        // The totals row is the totals endpoint's.
        let totals = app
            .get("/api/v1/ledger/totals?year=2019&group_by=kind", &admin)
            .await
            .json();
        let last = rows.last().unwrap();
        assert_eq!(last[0], "合计");
        assert_eq!(last[1], format!("{} 笔", items.len()));
        let received = totals["total"]["received_fen"].as_i64().unwrap();
        assert_eq!(
            fen_of(last[2].trim_start_matches("收入 ").trim_end_matches(" 元")),
            received,
            "{last:?} {totals}"
        );
        // Filters narrow the download like the list: one kind, through Accept instead of format.
        let r = app
            .send(
                actix_web::test::TestRequest::get()
                    .uri("/api/v1/ledger?kind=in_kind_donation")
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .insert_header(("accept", "text/csv")),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let kinds = parse_csv(r.text().trim_start_matches('\u{feff}'));
        assert!(kinds.len() > 2);
        assert!(
            kinds[1..kinds.len() - 1].iter().all(|r| r[4] == "实物捐赠"),
            "{kinds:?}"
        );
        // Bad formats and filters are problems, as for the list.
        app.get("/api/v1/ledger?format=pdf", &admin)
            .await
            .assert_problem(400, "validation");
        let r = app.get("/api/v1/ledger?format=csv&kind=gift", &admin).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    }
);

both_backends!(
    a_long_ledger_streams_every_row_once_and_a_workbook_reads_back,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let magada = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let before = app.get("/api/v1/ledger?limit=1", &admin).await.json()["total"]["count"]
            .as_i64()
            .unwrap();
        // 2,345 entries of the same few days: pages of 1,000 break inside runs of equal dates,
        // where only the id keeps the order. Tibetan and a comma in the evidence need quoting.
        let n = 2345;
        // A date literal each backend reads as a date.
        let day = |d: &str| match app.backend {
            Backend::Sqlite => format!("'{d}'"),
            Backend::Postgres => format!("DATE '{d}'"),
        };
        let (d1, d2) = (day("2020-03-01"), day("2020-03-02"));
        app.sql(&format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             INSERT INTO ledger_entries (department_id, village_id, entry_date, kind, source, \
             amount_fen, evidence, created_by, created_by_username, created_at) \
             SELECT 1, {magada}, CASE WHEN i % 3 = 0 THEN {d1} ELSE {d2} END, \
             'allocation', 'department', i, 'བཀྲ་ཤིས། 凭证,第' || i || '号', 1, 'admin', CURRENT_TIMESTAMP FROM n"
        ))
        .unwrap();
        let rows = csv(&app, &admin, "format=csv&year=2020&sort=-date").await;
        let entries = &rows[1..rows.len() - 1];
        assert_eq!(entries.len(), n as usize);
        let amounts: std::collections::BTreeSet<i64> =
            entries.iter().map(|r| fen_of(&r[10])).collect();
        assert_eq!(amounts.len(), n as usize, "no row twice");
        assert_eq!(
            amounts.iter().sum::<i64>(),
            n * (n + 1) / 2,
            "every row once"
        );
        assert!(
            entries.iter().all(|r| r[11].starts_with("བཀྲ་ཤིས། 凭证,第")),
            "quoted Tibetan"
        );
        // Newest day first, then as the list orders equal days.
        let days: Vec<&str> = entries.iter().map(|r| r[1].as_str()).collect();
        assert!(
            days.windows(2).all(|w| w[0] >= w[1]),
            "sorted by date descending"
        );
        let first_page = app
            .get("/api/v1/ledger?year=2020&sort=-date&limit=500", &admin)
            .await
            .json();
        let ids: Vec<String> = first_page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].to_string())
            .collect();
        let csv_ids: Vec<String> = entries.iter().take(500).map(|r| r[0].clone()).collect();
        assert_eq!(ids, csv_ids, "the download's order is the list's");

        let r = app
            .get("/api/v1/ledger?format=xlsx&year=2020", &admin)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
        assert_eq!(book.sheet_names(), vec!["资金台账".to_owned()]);
        let sheet = book.worksheet_range("资金台账").unwrap();
        assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("编号".into())));
        assert_eq!(sheet.height(), n as usize + 2, "header, entries, totals");
        let sum: f64 = (1..=n as u32)
            .filter_map(|row| match sheet.get_value((row, 10)) {
                Some(Data::Float(y)) => Some(*y),
                _ => None,
            })
            .sum();
        assert_eq!((sum * 100.0).round() as i64, n * (n + 1) / 2);
        let total = app.get("/api/v1/ledger?limit=1", &admin).await.json()["total"]["count"]
            .as_i64()
            .unwrap();
        assert!(total > before);
    }
);

both_backends!(
    a_download_shows_only_what_the_list_shows,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let yakaya = app
            .find_id("/api/v1/villages", &admin, "name", "亚卡亚村")
            .await;
        let team = app.login("team_magada").await;
        let rows = csv(&app, &team, "format=csv").await;
        let entries = &rows[1..rows.len() - 1];
        assert!(!entries.is_empty());
        assert!(entries.iter().all(|r| r[2] == "马格达村"), "{entries:?}");
        // Another village of the department, or the department of another tenant: as the list.
        let r = app
            .get(
                &format!("/api/v1/ledger?format=csv&village_id={yakaya}"),
                &team,
            )
            .await;
        let page = app
            .get(&format!("/api/v1/ledger?village_id={yakaya}"), &team)
            .await;
        assert_eq!(r.status, page.status, "{}", r.text());
        let jt = app.login("jt_admin").await;
        let theirs = csv(&app, &jt, "format=csv").await;
        assert!(theirs[1..theirs.len() - 1]
            .iter()
            .all(|r| r[2] != "马格达村" && r[2] != "亚卡亚村"));
        let r = app.get("/api/v1/ledger?format=csv", "not-a-token").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let _: Value = r.json();
    }
);

both_backends!(
    every_officer_list_downloads_its_filtered_rows,
    |app: TestApp| async move {
        let staff = app.login("office_staff").await;
        // (list with filters, sheet name, a column heading): each download holds the list's rows.
        for (list, sheet, heading) in [
            ("/api/v1/households?category=lifted", "农户", "户主"),
            ("/api/v1/pairings?year=2019", "结对认亲", "干部"),
            ("/api/v1/assistance?year=2019", "帮扶记录", "金额（元）"),
            ("/api/v1/projects?year=2019", "驻村项目", "预算（元）"),
            ("/api/v1/activities?year=2019", "驻村活动", "参加人数"),
            ("/api/v1/needs", "群众诉求", "状态"),
        ] {
            let sep = if list.contains('?') { '&' } else { '?' };
            let page = app.get(&format!("{list}{sep}limit=1"), &staff).await.json();
            let total = &page["total"];
            assert_eq!(total["exact"], true, "{list}: {page}");
            let count = total["count"].as_u64().unwrap() as usize;
            assert!(count > 0, "{list}: the demo has rows");
            let r = app.get(&format!("{list}{sep}format=csv"), &staff).await;
            assert_eq!(r.status, StatusCode::OK, "{list}: {}", r.text());
            let text = r.text();
            let rows = parse_csv(text.strip_prefix('\u{feff}').expect("BOM"));
            assert!(
                rows[0].iter().any(|h| h == heading),
                "{list}: {:?}",
                rows[0]
            );
            assert_eq!(rows.len(), count + 1, "{list}: header and one row per item");
            assert!(
                rows.iter().all(|r| r.len() == rows[0].len()),
                "{list}: rectangular"
            );
            let first_id = page["items"][0]["id"].as_i64().unwrap().to_string();
            assert_eq!(rows[1][0], first_id, "{list}: the list's order");

            let r = app.get(&format!("{list}{sep}format=xlsx"), &staff).await;
            assert_eq!(r.status, StatusCode::OK, "{list}");
            use calamine::{Reader, Xlsx};
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
            assert_eq!(book.sheet_names(), vec![sheet.to_owned()], "{list}");
            let range = book.worksheet_range(sheet).unwrap();
            assert_eq!(range.height(), count + 1, "{list}");
        }
        // The needs download's statuses are the list's, in Chinese.
        let r = app
            .get("/api/v1/needs?status=resolved&format=csv", &staff)
            .await;
        let rows = parse_csv(r.text().trim_start_matches('\u{feff}'));
        assert!(rows.len() > 1);
        assert!(rows[1..].iter().all(|r| r[9] == "已解决"), "{rows:?}");
        // Personal data follows the role: the department sees phones, the admin does not.
        let with_phone = |token: String| {
            let app = &app;
            async move {
                let r = app.get("/api/v1/households?format=csv", &token).await;
                let rows = parse_csv(r.text().trim_start_matches('\u{feff}'));
                let phone = rows[0].iter().position(|h| h == "电话").unwrap();
                rows[1..].iter().filter(|r| !r[phone].is_empty()).count()
            }
        };
        assert!(with_phone(staff.clone()).await > 0);
        assert_eq!(with_phone(app.login("admin").await).await, 0);
    }
);

both_backends!(
    a_team_s_month_downloads_as_its_summary,
    |app: TestApp| async move {
        let staff = app.login("office_staff").await;
        let team = app
            .find_id("/api/v1/teams", &staff, "name", "驻马格达村工作队（2019）")
            .await;
        let path = format!("/api/v1/presence/summary?month=2019-06&team_id={team}");
        let json = app.get(&path, &staff).await.json();
        let items = json["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{json}");
        let r = app.get(&format!("{path}&format=csv"), &staff).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let text = r.text();
        let rows = parse_csv(text.strip_prefix('\u{feff}').expect("BOM"));
        assert_eq!(rows[0][0], "干部");
        assert_eq!(rows.len(), items.len() + 1);
        for (row, item) in rows[1..].iter().zip(items) {
            assert_eq!(row[0], item["cadre_name"].as_str().unwrap());
            assert_eq!(
                row[3],
                item["days_in_village"].as_i64().unwrap().to_string()
            );
            assert_eq!(row[7] == "是", item["meets_minimum"] == true);
        }
        let r = app.get(&format!("{path}&format=xlsx"), &staff).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
        let sheet = book.worksheet_range("驻村考勤月汇总").unwrap();
        assert_eq!(sheet.height(), items.len() + 1);
        // The committee sees no presence, downloaded or not.
        let committee = app.login("committee_magada").await;
        let page = app.get(&path, &committee).await;
        let download = app.get(&format!("{path}&format=csv"), &committee).await;
        assert_eq!(download.status, page.status);
        assert!(download.status.is_client_error(), "{}", download.text());
    }
);
