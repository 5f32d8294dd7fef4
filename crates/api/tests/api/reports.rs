//! The annual report: every figure computed from the demo's records and checked against the same
//! records read through other endpoints, and against FIGURES-2019's ranges for rows 1–2.

use crate::both_backends;
use crate::common::*;
use actix_web::http::StatusCode;
use serde_json::Value;

async fn report(app: &TestApp, token: &str, query: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/reports/annual?{query}"), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text());
    r.json()
}

async fn every(app: &TestApp, token: &str, list: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let sep = if list.contains('?') { '&' } else { '?' };
        let page = app
            .get(&format!("{list}{sep}limit=500{cursor}"), token)
            .await
            .json();
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => return items,
        }
    }
}

fn distinct(items: &[Value], field: &str) -> usize {
    items
        .iter()
        .filter_map(|p| p[field].as_i64())
        .collect::<std::collections::HashSet<_>>()
        .len()
}

both_backends!(
    the_2019_report_computes_the_article_s_pairing_figures,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = report(&app, &admin, "year=2019").await;
        assert_eq!(r["year"], 2019);
        assert_eq!(r["department"]["name"], "西藏自治区财政厅");
        assert!(r["village_id"].is_null());
        // FIGURES-2019 row 1: 223 cadres pairing with 176 households; row 2: just under 90,000 yuan.
        assert_eq!(r["pairing"]["cadres"], 223, "{r}");
        assert_eq!(r["pairing"]["households"], 176, "{r}");
        let fen = r["pairing"]["assistance_fen"].as_i64().unwrap();
        assert!((8_500_000..=8_999_999).contains(&fen), "{r}");
        // The parts add up to the whole, and the whole is what the assistance endpoint sums.
        let by_kind: i64 = r["pairing"]["assistance_by_kind"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(Value::as_i64)
            .sum();
        assert_eq!(by_kind, fen);
        let totals = app
            .get("/api/v1/assistance/totals?year=2019&by=kind", &admin)
            .await
            .json();
        assert_eq!(totals["total_fen"].as_i64(), Some(fen), "{totals}");
        // The same counts as the pairings of 2019 read one by one.
        let pairs = every(&app, &admin, "/api/v1/pairings?year=2019").await;
        assert_eq!(
            r["pairing"]["cadres"].as_u64(),
            Some(distinct(&pairs, "cadre_id") as u64)
        );
        assert_eq!(
            r["pairing"]["households"].as_u64(),
            Some(distinct(&pairs, "household_id") as u64)
        );
    }
);

both_backends!(
    stationing_counts_the_teams_of_the_rounds_that_overlap_the_year,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = report(&app, &admin, "year=2019").await;
        // Rounds overlapping 2019, and their teams, read through the lists.
        let rounds: Vec<i64> = every(&app, &admin, "/api/v1/rounds")
            .await
            .iter()
            .filter(|r| {
                r["starts_on"].as_str().unwrap_or("9999") <= "2019-12-31"
                    && r["ends_on"].as_str().unwrap_or("0000") >= "2019-01-01"
            })
            .filter_map(|r| r["id"].as_i64())
            .collect();
        let mut teams = Vec::new();
        let mut rounds_with_teams = 0;
        for id in &rounds {
            let of_round = every(&app, &admin, &format!("/api/v1/teams?round_id={id}")).await;
            rounds_with_teams += usize::from(!of_round.is_empty());
            teams.extend(of_round);
        }
        assert!(!teams.is_empty());
        // Rounds that stationed someone: a round without a team in the villages does not count.
        assert_eq!(
            r["stationing"]["rounds"].as_u64(),
            Some(rounds_with_teams as u64),
            "{r}"
        );
        assert_eq!(
            r["stationing"]["teams"].as_u64(),
            Some(teams.len() as u64),
            "{r}"
        );
        assert_eq!(
            r["stationing"]["villages"].as_u64(),
            Some(distinct(&teams, "village_id") as u64),
            "{r}"
        );
        assert!(
            r["stationing"]["cadres_stationed"].as_i64().unwrap() >= 3 * teams.len() as i64 / 2
        );
    }
);

both_backends!(
    a_village_s_report_and_the_villages_add_up_to_the_department,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let whole = report(&app, &admin, "year=2019").await;
        let mut fen = 0;
        let mut households = 0;
        for name in ["马格达村", "亚卡亚村", "下地村", "琼果村"] {
            let id = app.find_id("/api/v1/villages", &admin, "name", name).await;
            let one = report(&app, &admin, &format!("year=2019&village_id={id}")).await;
            assert_eq!(one["village_id"], id);
            let pairs = every(
                &app,
                &admin,
                &format!("/api/v1/pairings?year=2019&village_id={id}"),
            )
            .await;
            assert_eq!(
                one["pairing"]["households"].as_u64(),
                Some(distinct(&pairs, "household_id") as u64)
            );
            fen += one["pairing"]["assistance_fen"].as_i64().unwrap();
            households += one["pairing"]["households"].as_i64().unwrap();
        }
        // Every 2019 pairing and gift is in these four villages: the parts make the whole.
        assert_eq!(Some(fen), whole["pairing"]["assistance_fen"].as_i64());
        assert_eq!(Some(households), whole["pairing"]["households"].as_i64());
    }
);

both_backends!(
    each_role_gets_its_own_villages_and_tenants_stay_apart,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let magada = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let yakaya = app
            .find_id("/api/v1/villages", &admin, "name", "亚卡亚村")
            .await;
        let team = app.login("team_magada").await;
        let own = report(&app, &team, "year=2019").await;
        let named = report(&app, &team, &format!("year=2019&village_id={magada}")).await;
        assert_eq!(
            own["pairing"], named["pairing"],
            "a team's report is its village's"
        );
        assert!(own["pairing"]["households"].as_i64().unwrap() > 0);
        let other = app
            .get(
                &format!("/api/v1/reports/annual?year=2019&village_id={yakaya}"),
                &team,
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.text());
        let committee = app.login("committee_magada").await;
        assert_eq!(
            report(&app, &committee, "year=2019").await["pairing"],
            own["pairing"]
        );
        let regional = app.login("regional").await;
        let r = app.get("/api/v1/reports/annual?year=2019", &regional).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        // Another department: its own (empty) year, and the finance department's villages do not exist.
        let jt = app.login("jt_admin").await;
        let theirs = report(&app, &jt, "year=2019").await;
        assert_eq!(theirs["department"]["name"], "西藏自治区交通运输厅");
        assert_eq!(theirs["pairing"]["cadres"], 0);
        let r = app
            .get(
                &format!("/api/v1/reports/annual?year=2019&village_id={magada}"),
                &jt,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    bad_years_and_parameters_are_400_problems,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        for query in [
            "year=1999",
            "year=2101",
            "",
            "year=abc",
            "year=2019&colour=red",
        ] {
            let r = app
                .get(&format!("/api/v1/reports/annual?{query}"), &admin)
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text());
            assert_eq!(
                r.headers.get("content-type").and_then(|v| v.to_str().ok()),
                Some("application/problem+json"),
                "{query}"
            );
        }
        let r = app.get("/api/v1/reports/annual?year=1999", &admin).await;
        assert_eq!(r.json()["errors"][0]["field"], "year", "{}", r.text());
    }
);

both_backends!(
    the_2019_report_computes_the_article_s_projects_and_money,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = report(&app, &admin, "year=2019").await;
        let p = &r["projects"];
        let f = &r["funds"];
        let fen = |v: &Value| v.as_i64().unwrap_or(-1);
        let yuan = 100;
        // Row 4: the funds to cooperatives are the breeding cooperative's 300,000 yuan.
        assert_eq!(
            fen(&p["by_category"]["cooperative"]["funds_fen"]),
            300_000 * yuan,
            "{p}"
        );
        // Row 5: goods in kind for industry, ≈ 150,000 yuan.
        assert!(
            (140_000 * yuan..=160_000 * yuan).contains(&fen(&f["in_kind_fen"])),
            "{f}"
        );
        // Row 7: the restaurant's cash donation.
        assert_eq!(fen(&f["by_kind"]["cash_donation"]), 20_000 * yuan, "{f}");
        // Row 8: 区妇联's 10,000 yuan.
        let women = f["donors"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["name"] == "西藏自治区妇女联合会"))
            .map_or(-1, |d| fen(&d["total_fen"]));
        assert_eq!(women, 10_000 * yuan, "{f}");
        // Rows 9 and 17: infrastructure of the villages, 100余万元.
        let infra = fen(&p["by_category"]["infrastructure"]["funds_fen"]);
        assert!((1_000_000 * yuan..1_100_000 * yuan).contains(&infra), "{p}");
        // Row 11: relief goods of six donors, 百余万元.
        assert!(
            (1_000_000 * yuan..1_100_000 * yuan).contains(&fen(&f["relief_goods_fen"])),
            "{f}"
        );
        assert_eq!(f["relief_donors"], 6, "{f}");
        // The sections agree with the ledger and the projects read through their own endpoints.
        let totals = app
            .get("/api/v1/ledger/totals?group_by=kind&year=2019", &admin)
            .await
            .json();
        assert_eq!(f["total_fen"], totals["total"]["received_fen"], "{totals}");
        assert_eq!(f["spent_fen"], totals["total"]["spent_fen"], "{totals}");
        let by_kind: i64 = f["by_kind"]
            .as_object()
            .map(|o| o.values().filter_map(Value::as_i64).sum())
            .unwrap_or(-1);
        assert_eq!(Some(by_kind), totals["total"]["amount_fen"].as_i64());
        let projects = every(&app, &admin, "/api/v1/projects?year=2019").await;
        assert_eq!(p["count"].as_u64(), Some(projects.len() as u64));
        let budget: i64 = projects
            .iter()
            .filter(|p| p["category"] == "infrastructure")
            .filter_map(|p| p["budget_fen"].as_i64())
            .sum();
        assert_eq!(
            fen(&p["by_category"]["infrastructure"]["budget_fen"]),
            budget
        );
        let received: i64 = projects
            .iter()
            .filter_map(|p| p["funds_received_fen"].as_i64())
            .sum();
        let funds: i64 = p["by_category"]
            .as_object()
            .map(|o| o.values().filter_map(|c| c["funds_fen"].as_i64()).sum())
            .unwrap_or(-1);
        assert_eq!(funds, received);
        // One village: only its projects and money.
        let magada = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let team = app.login("team_magada").await;
        let v = report(&app, &team, &format!("year=2019&village_id={magada}")).await;
        assert_eq!(v["projects"]["count"], 2, "{v}");
        assert_eq!(v["funds"]["by_kind"]["cash_donation"], Value::Null, "{v}");
    }
);

both_backends!(
    the_report_as_a_workbook_and_as_csv,
    |app: TestApp| async move {
        use calamine::{Data, Reader, Xlsx};
        let admin = app.login("admin").await;
        let json = report(&app, &admin, "year=2019").await;
        let r = app
            .get("/api/v1/reports/annual?year=2019&format=xlsx", &admin)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        let disposition = r.header("content-disposition").unwrap_or_default();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        // 2019年驻村工作年报-西藏自治区财政厅.xlsx, percent-encoded as RFC 5987 asks.
        assert!(
            disposition.contains("filename*=UTF-8''2019%E5%B9%B4%E9%A9%BB%E6%9D%91"),
            "{disposition}"
        );
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(r.body.clone()))
                .unwrap_or_else(|e| panic!("not a workbook: {e}"));
        assert_eq!(
            book.sheet_names(),
            [
                "概况",
                "驻村",
                "结对帮扶",
                "驻村项目",
                "资金",
                "捐赠方",
                "合作社",
                "活动",
                "群众诉求",
                "驻村考勤",
                "村务公开"
            ]
        );
        let funds = book.worksheet_range("资金").unwrap();
        assert_eq!(funds.get((0, 0)), Some(&Data::String("指标".to_owned())));
        let value_of = |label: &str| -> Option<f64> {
            funds.rows().find_map(|row| match (&row[0], &row[1]) {
                (Data::String(l), Data::Float(v)) if l == label => Some(*v),
                _ => None,
            })
        };
        let total_yuan = json["funds"]["total_fen"].as_f64().unwrap() / 100.0;
        assert_eq!(value_of("到位资金合计（元）"), Some(total_yuan));
        let pairing = book.worksheet_range("结对帮扶").unwrap();
        assert_eq!(
            pairing.get((1, 1)),
            Some(&Data::Float(json["pairing"]["cadres"].as_f64().unwrap()))
        );

        // CSV: a BOM, a header, one row per figure with exact yuan.
        let r = app
            .send(
                actix_web::test::TestRequest::get()
                    .uri("/api/v1/reports/annual?year=2019")
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .insert_header(("accept", "text/csv")),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert!(r
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/csv"));
        let text = r.text();
        assert!(text.starts_with("\u{feff}部分,指标,数值\r\n"), "{text}");
        assert!(
            text.contains("\r\n概况,部门,西藏自治区财政厅\r\n"),
            "{text}"
        );
        let fen = json["funds"]["total_fen"].as_i64().unwrap();
        let line = format!(
            "\r\n资金,到位资金合计（元）,{}.{:02}\r\n",
            fen / 100,
            fen % 100
        );
        assert!(text.contains(&line), "{line} in {text}");
        let rows = text.lines().count();
        let figures: usize = (0..book.sheet_names().len())
            .map(|i| {
                book.worksheet_range_at(i)
                    .and_then(Result::ok)
                    .map_or(0, |s| s.height() - 1)
            })
            .sum();
        assert_eq!(rows, figures + 1);
        // An unknown format is a 400; a village's report is named after the village.
        app.get("/api/v1/reports/annual?year=2019&format=pdf", &admin)
            .await
            .assert_problem(400, "validation");
        let magada = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let r = app
            .get(
                &format!("/api/v1/reports/annual?year=2019&village_id={magada}&format=csv"),
                &admin,
            )
            .await;
        assert!(r.text().contains("概况,村庄,马格达村"), "{}", r.text());
    }
);

both_backends!(
    the_2019_report_computes_the_article_s_activity_figures,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = report(&app, &admin, "year=2019").await;
        let a = &r["activities"];
        // FIGURES-2019 row 3: two new party members.
        assert_eq!(r["party_members_developed"], 2, "{r}");
        assert_eq!(a["party_members_developed"], 2, "{r}");
        // Row 10: the clinic — 146 seen, over 10,000 yuan of medicine, 600+ beneficiaries.
        let clinics = &a["clinics"];
        assert_eq!(clinics["seen"], 146, "{clinics}");
        let medicine = clinics["medicine_fen"].as_i64().unwrap();
        assert!((1_000_000..=1_999_999).contains(&medicine), "{clinics}");
        let served = clinics["beneficiaries"].as_i64().unwrap();
        assert!((600..=699).contains(&served), "{clinics}");
        // Row 13: welding, driving and cooking, each trained at least once.
        for skill in ["电焊", "驾驶", "厨师"] {
            assert!(
                a["trainings_by_skill"][skill]["count"]
                    .as_i64()
                    .unwrap_or(0)
                    >= 1,
                "{skill}: {a}"
            );
        }
        // Rows 14 and 15: study visits, the National Day performance.
        assert!(a["by_kind"]["study_visit"]["count"].as_i64().unwrap() >= 2);
        assert!(a["by_kind"]["cultural_event"]["count"].as_i64().unwrap() >= 1);
        // The summary endpoint computes the same.
        let s = app
            .get("/api/v1/activities/summary?year=2019", &admin)
            .await
            .json();
        assert_eq!(s["figures"], *a);
        // The report's totals are the 2019 activities read one by one.
        let listed = every(&app, &admin, "/api/v1/activities?year=2019").await;
        assert_eq!(a["total"]["count"].as_u64(), Some(listed.len() as u64));
        let sum = |f: &str| listed.iter().filter_map(|x| x[f].as_i64()).sum::<i64>();
        assert_eq!(
            a["total"]["participants"].as_i64(),
            Some(sum("participants"))
        );
        assert_eq!(a["total"]["value_fen"].as_i64(), Some(sum("value_fen")));
        assert_eq!(
            r["party_members_developed"].as_i64(),
            Some(sum("party_members_developed"))
        );
        // Row 12: 马格达村's 旺果节 briefing to 17 + 8 students.
        let magada = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let m = report(&app, &admin, &format!("year=2019&village_id={magada}")).await;
        assert_eq!(
            m["activities"]["by_kind"]["policy_briefing"]["participants"], 25,
            "{m}"
        );
        // Row 16: 下地村's youth league branch and trade union.
        let xiadi = app
            .find_id("/api/v1/villages", &admin, "name", "下地村")
            .await;
        let x = report(&app, &admin, &format!("year=2019&village_id={xiadi}")).await;
        let formed = &x["activities"]["organisations_formed"];
        assert!(
            formed["youth_league_branch"].as_i64().unwrap_or(0) >= 1,
            "{x}"
        );
        assert!(formed["trade_union"].as_i64().unwrap_or(0) >= 1, "{x}");
        // The second department's year has none of it.
        let jt = app.login("jt_admin").await;
        let theirs = report(&app, &jt, "year=2019").await;
        assert_eq!(theirs["activities"]["total"]["count"], 0);
        assert_eq!(theirs["party_members_developed"], 0);
    }
);

both_backends!(
    the_needs_section_counts_the_year_s_needs,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let needs = every(&app, &admin, "/api/v1/needs").await;
        for year in [
            2019,
            chrono::Datelike::year(&chrono::Utc::now().date_naive()),
        ] {
            let r = report(&app, &admin, &format!("year={year}")).await;
            let y = year.to_string();
            let of_year = |f: &str, n: &Value| n[f].as_str().is_some_and(|d| d.starts_with(&y));
            let raised: Vec<&Value> = needs.iter().filter(|n| of_year("raised_on", n)).collect();
            let closed = |s: &str| {
                needs
                    .iter()
                    .filter(|n| n["status"] == s && of_year("closed_on", n))
                    .count()
            };
            let open: Vec<&&Value> = raised
                .iter()
                .filter(|n| matches!(n["status"].as_str(), Some("open" | "in_progress")))
                .collect();
            let overdue = open.iter().filter(|n| n["overdue"] == true).count();
            assert_eq!(
                r["needs"]["raised"].as_u64(),
                Some(raised.len() as u64),
                "{year}: {r}"
            );
            assert_eq!(
                r["needs"]["resolved"].as_u64(),
                Some(closed("resolved") as u64)
            );
            assert_eq!(
                r["needs"]["declined"].as_u64(),
                Some(closed("declined") as u64)
            );
            assert_eq!(r["needs"]["open"].as_u64(), Some(open.len() as u64));
            assert_eq!(r["needs"]["overdue"].as_u64(), Some(overdue as u64));
        }
        // The demo's 2019: the well resolved, the request declined.
        let r = report(&app, &admin, "year=2019").await;
        assert!(r["needs"]["resolved"].as_i64().unwrap() >= 1);
        assert!(r["needs"]["declined"].as_i64().unwrap() >= 1);
    }
);

both_backends!(
    the_comparison_holds_each_year_s_annual_figures,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = app
            .get("/api/v1/reports/annual/compare?from=2016&to=2019", &admin)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let c = r.json();
        let years = c["years"].as_array().unwrap();
        assert_eq!(
            years
                .iter()
                .map(|y| y["year"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            vec![2016, 2017, 2018, 2019]
        );
        // Every year's row agrees with that year's annual report, computed by other queries.
        let mut nonzero = 0;
        for row in years {
            let year = row["year"].as_i64().unwrap();
            let a = report(&app, &admin, &format!("year={year}")).await;
            let sum = |v: &Value, field: &str| -> i64 {
                v.as_object()
                    .map(|o| o.values().filter_map(|x| x[field].as_i64()).sum())
                    .unwrap_or(0)
            };
            let expected = [
                ("villages", a["stationing"]["villages"].as_i64()),
                ("teams", a["stationing"]["teams"].as_i64()),
                (
                    "cadres_stationed",
                    a["stationing"]["cadres_stationed"].as_i64(),
                ),
                ("paired_households", a["pairing"]["households"].as_i64()),
                ("assistance_fen", a["pairing"]["assistance_fen"].as_i64()),
                ("projects", a["projects"]["count"].as_i64()),
                (
                    "project_budget_fen",
                    Some(sum(&a["projects"]["by_category"], "budget_fen")),
                ),
                ("funds_received_fen", a["funds"]["total_fen"].as_i64()),
                ("funds_spent_fen", a["funds"]["spent_fen"].as_i64()),
                (
                    "activities",
                    Some(sum(&a["activities"]["by_kind"], "count")),
                ),
                (
                    "participants",
                    Some(sum(&a["activities"]["by_kind"], "participants")),
                ),
                (
                    "beneficiaries",
                    Some(sum(&a["activities"]["by_kind"], "beneficiaries")),
                ),
                (
                    "party_members_developed",
                    a["party_members_developed"].as_i64(),
                ),
                ("needs_raised", a["needs"]["raised"].as_i64()),
                (
                    "distributed_to_members_fen",
                    a["cooperatives"]["distributed_to_members_fen"].as_i64(),
                ),
            ];
            for (field, want) in expected {
                assert_eq!(row[field].as_i64(), want, "{year} {field}: {row} vs {a}");
                if want.unwrap_or(0) != 0 {
                    nonzero += 1;
                }
            }
        }
        assert!(nonzero > 20, "the demo fills the years: {c}");
        // 2019 has the article's figures; an empty year is zeros, not absent.
        let y2019 = &years[3];
        assert_eq!(y2019["paired_households"], 176);
        let empty = app
            .get("/api/v1/reports/annual/compare?from=2011&to=2011", &admin)
            .await
            .json();
        assert_eq!(empty["years"][0]["funds_received_fen"], 0, "{empty}");
        // One village's comparison; a team sees its own village only.
        let magada = app
            .find_id("/api/v1/villages", &admin, "name", "马格达村")
            .await;
        let team = app.login("team_magada").await;
        let own = app
            .get("/api/v1/reports/annual/compare?from=2019&to=2019", &team)
            .await
            .json();
        let named = app
            .get(
                &format!("/api/v1/reports/annual/compare?from=2019&to=2019&village_id={magada}"),
                &admin,
            )
            .await
            .json();
        assert_eq!(own["years"], named["years"]);
        assert_eq!(named["village_name"], "马格达村");
        assert!(own["years"][0]["paired_households"].as_i64().unwrap() < 176);
        // Another department sees none of it.
        let jt = app.login("jt_admin").await;
        let r = app
            .get(
                &format!("/api/v1/reports/annual/compare?from=2019&to=2019&village_id={magada}"),
                &jt,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        for query in [
            "from=2019&to=2012",
            "from=2000&to=2019",
            "from=2011&to=2031",
            "from=2019",
            "to=2019&from=x",
        ] {
            let r = app
                .get(&format!("/api/v1/reports/annual/compare?{query}"), &admin)
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text());
        }
    }
);

both_backends!(
    presence_and_disclosures_agree_with_their_own_endpoints,
    |app: TestApp| async move {
        let staff = app.login("office_staff").await;
        let magada = app
            .find_id("/api/v1/villages", &staff, "name", "马格达村")
            .await;
        let r = report(&app, &staff, &format!("year=2019&village_id={magada}")).await;
        let p = &r["presence"];
        // The same months summed from the monthly summaries of the village's teams.
        let teams = app
            .get(
                &format!("/api/v1/teams?village_id={magada}&limit=100"),
                &staff,
            )
            .await
            .json();
        let (mut months, mut below, mut days) = (0, 0, 0);
        for t in teams["items"].as_array().unwrap() {
            let id = t["id"].as_i64().unwrap();
            for month in 1..=12 {
                let s = app
                    .get(
                        &format!("/api/v1/presence/summary?month=2019-{month:02}&team_id={id}"),
                        &staff,
                    )
                    .await
                    .json();
                for row in s["items"].as_array().unwrap() {
                    let in_village = row["days_in_village"].as_i64().unwrap();
                    if in_village + row["days_away"].as_i64().unwrap() == 0 {
                        continue;
                    }
                    months += 1;
                    days += in_village;
                    if row["meets_minimum"] == false {
                        below += 1;
                    }
                }
            }
        }
        assert!(months > 0, "the demo records 2019 days: {p}");
        assert_eq!(p["cadre_months"], months, "{p}");
        assert_eq!(p["below_minimum"], below, "{p}");
        let average = (days as f64 * 10.0 / months as f64).round() / 10.0;
        assert_eq!(p["average_days_in_village"].as_f64(), Some(average), "{p}");
        assert!(
            below > 0 && below < months,
            "most above the minimum, a few below: {p}"
        );

        // Disclosures: the overdue items are the calendar's, village by village.
        let mut overdue = 0;
        let villages = app.get("/api/v1/villages?limit=100", &staff).await.json();
        for v in villages["items"].as_array().unwrap() {
            let id = v["id"].as_i64().unwrap();
            let c = app
                .get(
                    &format!("/api/v1/disclosures/calendar?village_id={id}&year=2019"),
                    &staff,
                )
                .await
                .json();
            overdue += c["overdue"].as_i64().unwrap();
            let one = report(&app, &staff, &format!("year=2019&village_id={id}")).await;
            assert_eq!(one["disclosures"]["overdue"], c["overdue"], "{}", v["name"]);
            assert_eq!(one["disclosures"]["due"], c["due"], "{}", v["name"]);
        }
        let all = report(&app, &staff, "year=2019").await;
        assert_eq!(all["disclosures"]["overdue"], overdue);
        assert!(
            overdue > 0,
            "one demo village is behind: {}",
            all["disclosures"]
        );
        assert!(all["disclosures"]["published"].as_i64().unwrap() > 12);
        let year_2012 = report(&app, &staff, "year=2012").await;
        assert_eq!(year_2012["disclosures"]["published"], 0);
        assert_eq!(year_2012["presence"]["cadre_months"], 0);
    }
);

both_backends!(
    a_report_takes_a_trip_of_its_own_and_point_reads_share_the_worker_s,
    |app: TestApp| async move {
        use zhucun_api::trips::trips_made;
        let admin = app.login("admin").await;
        let list = app.get("/api/v1/villages?limit=1", &admin).await.json();
        let village = list["items"][0]["id"].as_i64().expect("a demo village");

        let before = trips_made();
        let r = app
            .get(&format!("/api/v1/villages/{village}"), &admin)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let batched = match app.backend {
            Backend::Sqlite => 1,
            // PostgreSQL's reads wait on the network: a trip each, never a batch.
            Backend::Postgres => 0,
        };
        assert_eq!(
            trips_made() - before,
            batched,
            "a point read in the worker's batch"
        );

        let before = trips_made();
        report(&app, &admin, "year=2019").await;
        assert_eq!(
            trips_made() - before,
            0,
            "the report went alone, not in a batch"
        );
    }
);
