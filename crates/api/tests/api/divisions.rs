//! 市 and 县 from the region's divisions: the reference list and village validation.

use crate::both_backends;
use crate::common::*;
use serde_json::json;

async fn total_villages(app: &TestApp, admin: &str) -> i64 {
    app.get("/api/v1/villages?limit=1", admin).await.json()["total"]["count"]
        .as_i64()
        .unwrap()
}

both_backends!(
    divisions_list_and_village_places,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = app.get("/api/v1/divisions", &admin).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("public, max-age=86400")
        );
        let d = r.json();
        let prefectures = d["prefectures"].as_array().unwrap();
        assert_eq!(prefectures.len(), 7);
        let counties: usize = prefectures
            .iter()
            .map(|p| p["counties"].as_array().map(Vec::len).unwrap_or(0))
            .sum();
        assert_eq!(counties, 74);
        assert_eq!(prefectures[0]["code"], "540100");
        assert_eq!(
            prefectures[0]["counties"][0],
            json!({"code": "540102", "name": "城关区"})
        );
        assert_eq!(d["not_recorded"], "未记录");
        // Logged-in users only.
        let anon = app.get("/api/v1/divisions", "not-a-token").await;
        assert_eq!(anon.status, 401);

        let before = total_villages(&app, &admin).await;
        let bad = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": "外地村", "prefecture": "北京市", "county": "朝阳区"}),
            )
            .await;
        let p = bad.assert_problem(400, "validation");
        assert_eq!(p["errors"].as_array().map(Vec::len), Some(1), "{p}");
        assert_eq!(p["errors"][0]["field"], "prefecture");
        let bad = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": "错县村", "prefecture": "拉萨市", "county": "班戈县"}),
            )
            .await;
        assert_eq!(
            bad.assert_problem(400, "validation")["errors"][0]["field"],
            "county"
        );
        assert_eq!(
            total_villages(&app, &admin).await,
            before,
            "nothing written"
        );

        for (name, prefecture, county) in [
            ("未记录村", "未记录", "未记录"),
            ("半记录村", "山南市", "未记录"),
            ("错那新村", "山南市", "错那市"),
        ] {
            let r = app
                .post(
                    "/api/v1/villages",
                    &admin,
                    &json!({"name": name, "prefecture": prefecture, "county": county}),
                )
                .await;
            assert_eq!(r.status, 201, "{name}: {}", r.text());
        }
        // An update is checked the same way.
        let id = app
            .find_id("/api/v1/villages", &admin, "name", "半记录村")
            .await;
        let etag = app
            .get(&format!("/api/v1/villages/{id}"), &admin)
            .await
            .header("etag");
        let r = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                etag.as_deref(),
                &json!({"county": "噶尔县"}),
            )
            .await;
        assert_eq!(
            r.assert_problem(400, "validation")["errors"][0]["field"],
            "county"
        );
        let r = app
            .patch(
                &format!("/api/v1/villages/{id}"),
                &admin,
                etag.as_deref(),
                &json!({"county": "乃东区"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
);
