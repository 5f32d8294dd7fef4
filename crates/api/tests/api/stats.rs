//! Region-wide statistics: who may read them, that they equal the sums of the departments' annual
//! reports, small-cell suppression, the place filters, bad input and the downloads.

use crate::both_backends;
use crate::common::*;
use actix_web::http::StatusCode;
use serde_json::Value;

async fn ok(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get(path, token).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    r.json()
}

both_backends!(
    only_regional_users_read_statistics,
    |app: TestApp| async move {
        for path in [
            "/api/v1/stats/departments?year=2019",
            "/api/v1/stats/counties?year=2019",
            "/api/v1/stats/villages?year=2019&county=540221",
        ] {
            for user in [
                "admin",
                "office_staff",
                "team_magada",
                "committee_magada",
                "jt_admin",
            ] {
                let token = app.login(user).await;
                app.get(path, &token).await.assert_problem(403, "forbidden");
            }
            let regional = app.login("regional").await;
            ok(&app, &regional, path).await;
        }
        let r = app.get("/api/v1/stats/departments?year=2019", "").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
);

/// The figures of a row that the annual report has too, as (name, stats value, report value).
fn pairs(row: &Value, report: &Value) -> Vec<(String, Value, Value)> {
    let f = &row["figures"];
    let mut out = vec![
        (
            "villages".to_owned(),
            f["villages_stationed"].clone(),
            report["stationing"]["villages"].clone(),
        ),
        (
            "teams".to_owned(),
            f["teams"].clone(),
            report["stationing"]["teams"].clone(),
        ),
        (
            "cadres".to_owned(),
            f["cadres_stationed"].clone(),
            report["stationing"]["cadres_stationed"].clone(),
        ),
        (
            "households".to_owned(),
            f["households_paired"].clone(),
            report["pairing"]["households"].clone(),
        ),
        (
            "assistance".to_owned(),
            f["assistance_fen"].clone(),
            report["pairing"]["assistance_fen"].clone(),
        ),
        (
            "projects".to_owned(),
            f["projects"].clone(),
            report["projects"]["count"].clone(),
        ),
        (
            "by_stage".to_owned(),
            f["projects_by_stage"].clone(),
            report["projects"]["by_stage"].clone(),
        ),
        (
            "by_category".to_owned(),
            f["projects_by_category"].clone(),
            report["projects"]["by_category"].clone(),
        ),
        (
            "funds".to_owned(),
            f["funds_received_fen"].clone(),
            report["funds"]["total_fen"].clone(),
        ),
        (
            "spent".to_owned(),
            f["funds_spent_fen"].clone(),
            report["funds"]["spent_fen"].clone(),
        ),
        (
            "by_source".to_owned(),
            f["funds_by_source"].clone(),
            report["funds"]["by_source"].clone(),
        ),
        (
            "by_kind".to_owned(),
            f["funds_by_kind"].clone(),
            report["funds"]["by_kind"].clone(),
        ),
        (
            "activities".to_owned(),
            f["activities"].clone(),
            report["activities"]["total"]["count"].clone(),
        ),
        (
            "needs".to_owned(),
            f["needs_resolved"].clone(),
            report["needs"]["resolved"].clone(),
        ),
        (
            "presence".to_owned(),
            f["presence_below_minimum"].clone(),
            report["presence"]["below_minimum"].clone(),
        ),
        (
            "disclosures".to_owned(),
            f["disclosures_overdue"].clone(),
            report["disclosures"]["overdue"].clone(),
        ),
    ];
    let kinds = report["activities"]["by_kind"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (kind, k) in kinds {
        let s = &f["activities_by_kind"][&kind];
        for field in ["count", "participants", "beneficiaries"] {
            out.push((
                format!("{kind}.{field}"),
                s[field].clone(),
                k[field].clone(),
            ));
        }
    }
    out
}

both_backends!(
    departments_equal_their_annual_reports,
    |app: TestApp| async move {
        let regional = app.login("regional").await;
        let logins = [
            ("西藏自治区财政厅", app.login("admin").await),
            ("西藏自治区交通运输厅", app.login("jt_admin").await),
        ];
        for year in [2019, 2020, 2024] {
            let stats = ok(
                &app,
                &regional,
                &format!("/api/v1/stats/departments?year={year}"),
            )
            .await;
            assert_eq!(stats["from"], year);
            assert_eq!(stats["min_cell"], 3);
            let y = &stats["years"][0];
            assert_eq!(y["year"], year);
            let rows = y["departments"].as_array().unwrap();
            for (name, token) in &logins {
                let row = rows
                    .iter()
                    .find(|r| r["department_name"] == *name)
                    .unwrap_or_else(|| panic!("{name} in {y}"));
                let report = ok(&app, token, &format!("/api/v1/reports/annual?year={year}")).await;
                for (figure, s, r) in pairs(row, &report) {
                    if row["figures"]["suppressed"]
                        .as_array()
                        .is_some_and(|a| !a.is_empty())
                        && (figure == "households" || figure == "assistance")
                    {
                        assert!(s.is_null(), "{name} {year} {figure}");
                        continue;
                    }
                    assert_eq!(s, r, "{name} {year} {figure}: stats {s}, report {r}");
                }
            }
            // The total is the sum of the rows.
            for field in ["teams", "projects", "funds_received_fen", "activities"] {
                let sum: i64 = rows
                    .iter()
                    .filter_map(|r| r["figures"][field].as_i64())
                    .sum();
                assert_eq!(y["total"][field].as_i64(), Some(sum), "{field}");
            }
        }
        // The demo's 2019 is the article's year: something to compare.
        let y2019 = ok(&app, &regional, "/api/v1/stats/departments?year=2019").await;
        assert_eq!(
            y2019["years"][0]["departments"][0]["figures"]["households_paired"],
            176
        );
        // Year by year: each year the same as asked alone.
        let range = ok(
            &app,
            &regional,
            "/api/v1/stats/departments?from=2018&to=2020",
        )
        .await;
        let years = range["years"].as_array().unwrap();
        assert_eq!(years.len(), 3);
        assert_eq!(years[1]["year"], 2019);
        assert_eq!(years[1], y2019["years"][0]);
    }
);

both_backends!(
    counties_and_villages_filter_by_code_and_add_up,
    |app: TestApp| async move {
        let regional = app.login("regional").await;
        let all = ok(&app, &regional, "/api/v1/stats/counties?year=2019").await;
        assert!(all["prefecture"].is_null());
        let counties = all["counties"].as_array().unwrap();
        // Every county of the reference (74), then the villages whose place is not recorded.
        assert!(counties.len() >= 74, "{}", counties.len());
        assert_eq!(counties[0]["county"]["code"], "540102");
        let unrecorded = counties
            .iter()
            .find(|c| c["county"]["name"] == "未记录")
            .unwrap();
        assert!(unrecorded["county"]["code"].is_null());
        let departments = ok(&app, &regional, "/api/v1/stats/departments?year=2019").await;
        for field in ["teams", "projects", "funds_received_fen", "activities"] {
            assert_eq!(
                all["total"][field], departments["years"][0]["total"][field],
                "{field}"
            );
        }

        // 日喀则市: only its counties; 南木林县 has 马格达村.
        let shigatse = ok(
            &app,
            &regional,
            "/api/v1/stats/counties?year=2019&prefecture=540200",
        )
        .await;
        assert_eq!(shigatse["prefecture"]["name"], "日喀则市");
        let rows = shigatse["counties"].as_array().unwrap();
        assert!(rows.iter().all(|r| r["prefecture"]["code"] == "540200"));
        let namling = rows
            .iter()
            .find(|r| r["county"]["code"] == "540221")
            .unwrap();
        assert_eq!(namling["county"]["name"], "南木林县");
        assert_eq!(namling["villages"], 1);

        let villages = ok(
            &app,
            &regional,
            "/api/v1/stats/villages?year=2019&county=540221",
        )
        .await;
        assert_eq!(villages["county"]["name"], "南木林县");
        assert_eq!(villages["prefecture"]["code"], "540200");
        let list = villages["villages"].as_array().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["village_name"], "马格达村");
        assert_eq!(list[0]["department_name"], "西藏自治区财政厅");
        // No names of people, no household rows: only the village's figures.
        let text = serde_json::to_string(&villages).unwrap();
        for field in ["head_name", "cadre_name", "phone", "household_id"] {
            assert!(!text.contains(field), "{field} in {text}");
        }
        // The county's total is its row of the counties.
        assert_eq!(villages["total"], namling["figures"]);
    }
);

both_backends!(
    small_cells_are_withheld_with_their_complement,
    |app: TestApp| async move {
        let regional = app.login("regional").await;
        // 班戈县 has 下地村 and 琼果村. Keep two pairings (and their households' assistance) of
        // 2019 in 下地村 and move the rest to another year.
        let before = ok(
            &app,
            &regional,
            "/api/v1/stats/villages?year=2019&county=540627",
        )
        .await;
        let rows = before["villages"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{before}");
        app.sql(
            "UPDATE pairings SET year = 2011 WHERE year = 2019 \
             AND village_id = (SELECT id FROM villages WHERE name = '下地村') \
             AND household_id NOT IN (SELECT household_id FROM pairings p \
               WHERE p.year = 2019 AND p.village_id = pairings.village_id \
               ORDER BY household_id LIMIT 2); \
             UPDATE assistance SET given_on = '2011-06-01' \
             WHERE given_on BETWEEN '2019-01-01' AND '2019-12-31' \
             AND village_id = (SELECT id FROM villages WHERE name = '下地村') \
             AND household_id NOT IN (SELECT household_id FROM pairings p \
               WHERE p.year = 2019 AND p.village_id = assistance.village_id)",
        )
        .unwrap();
        app.refresh_stats();
        let after = ok(
            &app,
            &regional,
            "/api/v1/stats/villages?year=2019&county=540627",
        )
        .await;
        let row = |name: &str| {
            after["villages"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["village_name"] == name)
                .unwrap()
                .clone()
        };
        let xiadi = row("下地村");
        assert!(xiadi["figures"]["households_paired"].is_null(), "{xiadi}");
        assert!(xiadi["figures"]["assistance_fen"].is_null(), "{xiadi}");
        let suppressed = xiadi["figures"]["suppressed"].as_array().unwrap();
        assert!(suppressed.contains(&Value::from("households_paired")));
        // The other village of the county is withheld too, or the county's total would give
        // 下地村's households away by subtraction.
        let qiongguo = row("琼果村");
        if qiongguo["figures"]["households_paired"].is_null() {
            assert!(!after["total"]["households_paired"].is_null());
        } else {
            assert!(after["total"]["households_paired"].is_null(), "{after}");
        }
        // Other figures of the village are still there.
        assert!(xiadi["figures"]["teams"].is_i64());

        // The CSV shows the withheld cells as "<3".
        let csv = app
            .get(
                "/api/v1/stats/villages?year=2019&county=540627&format=csv",
                &regional,
            )
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.text().contains("<3"), "{}", csv.text());

        // A smaller threshold publishes it.
        let loose = TestApp::spawn_with(app.backend, None, |c| c.limits.stats_min_cell = 1).await;
        let regional = loose.login("regional").await;
        let all = ok(
            &loose,
            &regional,
            "/api/v1/stats/villages?year=2019&county=540627",
        )
        .await;
        assert_eq!(all["min_cell"], 1);
        assert!(all["villages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["figures"]["suppressed"].as_array().unwrap().is_empty()));
    }
);

both_backends!(bad_years_and_codes_are_400s, |app: TestApp| async move {
    let regional = app.login("regional").await;
    for (path, field, code) in [
        ("/api/v1/stats/departments?year=2010", "year", "between"),
        ("/api/v1/stats/departments", "year", "year_or_range"),
        (
            "/api/v1/stats/departments?year=2019&from=2018&to=2019",
            "year",
            "year_or_range",
        ),
        (
            "/api/v1/stats/departments?from=2000&to=2030",
            "from",
            "between",
        ),
        (
            "/api/v1/stats/departments?from=2011&to=2040",
            "to",
            "invalid",
        ),
        (
            "/api/v1/stats/counties?year=2019&prefecture=999999",
            "prefecture",
            "division_code",
        ),
        (
            "/api/v1/stats/counties?year=2019&prefecture=540221",
            "prefecture",
            "division_code",
        ),
        (
            "/api/v1/stats/villages?year=2019&county=540200",
            "county",
            "division_code",
        ),
        (
            "/api/v1/stats/villages?year=2019&county=abc",
            "county",
            "division_code",
        ),
        (
            "/api/v1/stats/villages?year=3000&county=540221",
            "year",
            "between",
        ),
    ] {
        let r = app.get(path, &regional).await;
        let body = r.assert_problem(400, "validation");
        let errors = body["errors"].as_array().cloned().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{path}: {body}"
        );
    }
    let r = app.get("/api/v1/stats/villages?year=2019", &regional).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
});

both_backends!(
    statistics_download_as_csv_with_chinese_headings,
    |app: TestApp| async move {
        let regional = app.login("regional").await;
        for (path, heading) in [
            ("/api/v1/stats/departments?year=2019&format=csv", "部门"),
            (
                "/api/v1/stats/counties?year=2019&prefecture=540200&format=csv",
                "县（区）",
            ),
            (
                "/api/v1/stats/villages?year=2019&county=540221&format=csv",
                "村",
            ),
        ] {
            let r = app.get(path, &regional).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(r.header("content-type").unwrap().starts_with("text/csv"));
            assert!(r
                .header("content-disposition")
                .unwrap()
                .contains("attachment"));
            let text = r.text();
            let first = text
                .trim_start_matches('\u{feff}')
                .lines()
                .next()
                .unwrap()
                .to_owned();
            assert!(first.starts_with("年份,"), "{first}");
            assert!(first.contains(heading), "{first}");
            assert!(first.contains("结对户数"), "{first}");
            assert!(text.contains("合计"), "{text}");
        }
        let csv = app
            .get("/api/v1/stats/departments?year=2019&format=csv", &regional)
            .await
            .text();
        assert!(csv.contains("西藏自治区财政厅"));
        let x = app
            .get("/api/v1/stats/departments?year=2019&format=xlsx", &regional)
            .await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.header("content-type").unwrap().contains("spreadsheetml"));
    }
);

/// With a background refresh period, reads serve the stored summary and say when it was taken:
/// a write shows once the summary is refreshed, never half (the figures and `as_of` move
/// together); a summary never taken is computed by the first read.
async fn served_as_of_until_refreshed(backend: Backend) {
    let app = TestApp::spawn_with(backend, None, |c| {
        c.limits.stats_refresh = std::time::Duration::from_secs(3600);
    })
    .await;
    let regional = app.login("regional").await;
    let path = "/api/v1/stats/departments?year=2020";
    let first = ok(&app, &regional, path).await;
    let as_of = first["as_of"].as_str().unwrap().to_owned();
    let activities = |v: &Value| v["years"][0]["total"]["activities"].as_i64().unwrap();

    let team = app.login("team_magada").await;
    let office = app.login("office_staff").await;
    let magada = app
        .find_id("/api/v1/villages", &office, "name", "马格达村")
        .await;
    let r = app
        .post(
            "/api/v1/activities",
            &team,
            &serde_json::json!({"village_id": magada, "date": "2020-07-16", "kind": "free_clinic",
                "title": "县医院专家义诊", "organiser": "驻马格达村工作队",
                "participants": 80, "beneficiaries": 300, "value_fen": 560_000,
                "people_seen": 80, "partner_institution": "南木林县人民医院"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // Not refreshed yet: the same figures, labelled with the same time.
    let stale = ok(&app, &regional, path).await;
    assert_eq!(stale["as_of"], as_of.as_str());
    assert_eq!(activities(&stale), activities(&first));

    // The background pass (run here directly) notices the write's audit entry.
    let url = zhucun_persistence::DatabaseUrl::parse(&app.database_url).unwrap();
    let db = zhucun_persistence::Db::open(url, 1).unwrap();
    let policy = zhucun_api::stats_summary::Policy::Changed;
    let done = zhucun_api::stats_summary::refresh(&db, policy).unwrap();
    assert!(
        matches!(done, zhucun_api::stats_summary::Refreshed::Now(_)),
        "{done:?}"
    );
    let fresh = ok(&app, &regional, path).await;
    assert_eq!(activities(&fresh), activities(&first) + 1, "{fresh}");
    let later = fresh["as_of"].as_str().unwrap();
    let time = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    assert!(time(later) > time(&as_of), "{later} after {as_of}");

    // Nothing changed since: the next pass leaves the summary as it is.
    let skipped = zhucun_api::stats_summary::refresh(&db, policy).unwrap();
    assert!(
        matches!(skipped, zhucun_api::stats_summary::Refreshed::NotDue(_)),
        "{skipped:?}"
    );
    let again = ok(&app, &regional, path).await;
    assert_eq!(again["as_of"], later);
}

#[actix_rt::test]
async fn served_as_of_until_refreshed_sqlite() {
    served_as_of_until_refreshed(Backend::Sqlite).await;
}

#[actix_rt::test]
async fn served_as_of_until_refreshed_postgres() {
    served_as_of_until_refreshed(Backend::Postgres).await;
}

/// Several instances on PostgreSQL: while one holds the refresh (its advisory lock), another
/// skips its own — a read that needs a summary never taken answers 503 to retry, and a pass with
/// one stored leaves it as it is; once the lock is released the refresh runs.
#[actix_rt::test]
async fn another_instance_refreshing_is_waited_out_on_postgres() {
    use diesel::connection::SimpleConnection;
    use zhucun_api::stats_summary::{refresh, Policy, Refreshed};
    let app = TestApp::spawn_with(Backend::Postgres, None, |c| {
        c.limits.stats_refresh = std::time::Duration::from_secs(3600);
    })
    .await;
    let regional = app.login("regional").await;
    let path = "/api/v1/stats/departments?year=2019";
    // "Another instance" holds the lock of this schema in an open transaction.
    let mut other = crate::fixtures::connect(&app);
    other
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({})",
            zhucun_persistence::stats_summary::REFRESH_LOCK
        ))
        .unwrap();
    let r = app.get(path, &regional).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text());
    let url = zhucun_persistence::DatabaseUrl::parse(&app.database_url).unwrap();
    let db = zhucun_persistence::Db::open(url, 1).unwrap();
    let busy = refresh(&db, Policy::Always).unwrap();
    assert_eq!(busy, Refreshed::Busy(None));
    // Released: this instance refreshes, and reads are served.
    other.batch_execute("COMMIT").unwrap();
    let done = refresh(&db, Policy::Always).unwrap();
    assert!(matches!(done, Refreshed::Now(_)), "{done:?}");
    let first = ok(&app, &regional, path).await;
    // Held again: a pass skips and the stored summary keeps being served.
    other
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({})",
            zhucun_persistence::stats_summary::REFRESH_LOCK
        ))
        .unwrap();
    let skipped = refresh(&db, Policy::Always).unwrap();
    assert!(matches!(skipped, Refreshed::Busy(Some(_))), "{skipped:?}");
    let again = ok(&app, &regional, path).await;
    assert_eq!(again, first);
    other.batch_execute("COMMIT").unwrap();
}
