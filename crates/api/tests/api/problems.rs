//! Every kind of bad input gets a clear problem+json 4xx and changes nothing.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use serde_json::json;

fn auth(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}

async fn village_count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/villages?limit=500", token).await.json()["items"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0)
}

both_backends!(
    bad_input_is_a_problem_and_writes_nothing,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let before = village_count(&app, &admin).await;

        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/villages")
                    .insert_header(auth(&admin))
                    .insert_header(("content-type", "application/json"))
                    .set_payload("{\"name\": "),
            )
            .await;
        r.assert_problem(400, "bad-request");

        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/villages")
                    .insert_header(auth(&admin))
                    .insert_header(("content-type", "text/plain"))
                    .set_payload("name=x"),
            )
            .await;
        r.assert_problem(415, "unsupported-media-type");

        let huge = "村".repeat(40_000);
        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": huge, "prefecture": "a", "county": "b"}),
            )
            .await;
        r.assert_problem(413, "payload-too-large");

        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"prefecture": "拉萨市", "county": "城关区"}),
            )
            .await;
        let p = r.assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "name");
        assert_eq!(p["errors"][0]["message"], "is required");

        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": "村", "prefecture": "拉萨市", "county": "城关区", "nmae": 1}),
            )
            .await;
        assert_eq!(
            r.assert_problem(400, "validation")["errors"][0]["field"],
            "nmae"
        );

        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": 5, "prefecture": "拉萨市", "county": "城关区"}),
            )
            .await;
        r.assert_problem(400, "validation");

        // Several field errors at once, each named.
        let r = app
        .post("/api/v1/villages", &admin, &json!({"name": " ", "prefecture": "", "county": "城关区", "code": "12ab", "latitude": 95.0, "longitude": 1.0}))
        .await;
        let p = r.assert_problem(400, "validation");
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            vec!["name", "prefecture", "code", "latitude"],
            "{p}"
        );

        let r = app
            .post(
                "/api/v1/villages",
                &admin,
                &json!({"name": "村\u{0}名", "prefecture": "拉萨市", "county": "城关区"}),
            )
            .await;
        r.assert_problem(400, "validation");

        assert_eq!(
            village_count(&app, &admin).await,
            before,
            "nothing was written"
        );
        let audit = app.get("/api/v1/audit?entity=village", &admin).await.json();
        assert_eq!(
            audit["items"].as_array().map(Vec::len),
            Some(0),
            "nothing was audited"
        );
    }
);

both_backends!(routes_methods_and_paths, |app: TestApp| async move {
    let admin = app.login("admin").await;
    app.get("/api/v1/nothing-here", &admin)
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v2/villages", &admin)
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v1/villages/999999", &admin)
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v1/villages/abc", &admin)
        .await
        .assert_problem(404, "not-found");
    app.get("/api/v1/villages/99999999999999999999999", &admin)
        .await
        .assert_problem(404, "not-found");
    let r = app
        .send(
            TestRequest::delete()
                .uri("/api/v1/villages/1")
                .insert_header(auth(&admin)),
        )
        .await;
    r.assert_problem(405, "method-not-allowed");
    assert_eq!(r.header("allow").as_deref(), Some("GET, PATCH"));
    let r = app
        .send(
            TestRequest::put()
                .uri("/api/v1/villages")
                .insert_header(auth(&admin)),
        )
        .await;
    assert_eq!(r.assert_problem(405, "method-not-allowed")["status"], 405);
    let r = app.get("/api/v1/audit?since=yesterday", &admin).await;
    r.assert_problem(400, "bad-request");
    let r = app.get("/api/v1/villages?active=maybe", &admin).await;
    r.assert_problem(400, "bad-request");
    let r = app
        .send(
            TestRequest::post()
                .uri("/api/v1/villages")
                .insert_header(auth(&admin))
                .insert_header(("idempotency-key", "x".repeat(300)))
                .set_json(json!({})),
        )
        .await;
    r.assert_problem(400, "validation");
});

both_backends!(
    request_ids_are_echoed_and_health_answers,
    |app: TestApp| async move {
        let r = app
            .send(
                TestRequest::get()
                    .uri("/healthz")
                    .insert_header(("x-request-id", "abc-123")),
            )
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-request-id").as_deref(), Some("abc-123"));
        let r = app
            .send(
                TestRequest::get()
                    .uri("/readyz")
                    .insert_header(("x-request-id", "bad id with spaces")),
            )
            .await;
        assert_eq!(r.status, 200);
        let id = r.header("x-request-id").unwrap_or_default();
        assert_eq!(id.len(), 36, "a fresh UUID replaces an unusable id");
        let r = app
            .send(
                TestRequest::get()
                    .uri("/api/v1/villages")
                    .insert_header(("x-request-id", "req-7")),
            )
            .await;
        r.assert_problem(401, "unauthorized");
        assert_eq!(
            r.header("x-request-id").as_deref(),
            Some("req-7"),
            "errors carry the id too"
        );
    }
);

both_backends!(
    responses_are_compressed_when_asked,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = app
            .send(
                TestRequest::get()
                    .uri("/api/v1/villages?limit=500")
                    .insert_header(auth(&admin))
                    .insert_header(("accept-encoding", "gzip")),
            )
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
        let docs = app.send(TestRequest::get().uri("/docs/")).await;
        assert_eq!(docs.status, 200);
        assert!(
            docs.text().contains("swagger"),
            "the docs page is served locally"
        );
        // The page's set-up script points at our document and turns the outside validator off.
        let init = app
            .send(TestRequest::get().uri("/docs/swagger-initializer.js"))
            .await;
        assert_eq!(init.status, 200);
        let script = init.text();
        assert!(script.contains("/api/v1/openapi.json"), "{script}");
        assert!(script.contains("\"validatorUrl\": \"none\""), "{script}");
        let spec = app
            .send(TestRequest::get().uri("/api/v1/openapi.json"))
            .await;
        assert_eq!(spec.status, 200);
        assert_eq!(spec.json()["openapi"], "3.1.0");
    }
);

/// A built SPA in a new folder: `index.html` and the given files under `assets/`.
fn spa_dir(assets: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhucun-spa-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>zhucun</title>",
    )
    .unwrap();
    for (name, text) in assets {
        std::fs::write(dir.join("assets").join(name), text).unwrap();
    }
    dir
}

#[actix_rt::test]
async fn the_spa_is_served_beside_the_api() {
    let dir = spa_dir(&[("app-1a2b.js", "console.log(1)")]);
    let app = TestApp::spawn_with_spa(Backend::Sqlite, Some(dir.clone())).await;
    let root = app.send(TestRequest::get().uri("/")).await;
    assert_eq!(root.status, 200);
    assert!(root.text().contains("<title>zhucun</title>"));
    // Client-side routes fall back to index.html …
    let route = app.send(TestRequest::get().uri("/villages/3/edit")).await;
    assert_eq!(route.status, 200);
    assert!(route.text().contains("<title>zhucun</title>"));
    // … assets are cached for good (their names change with their content) …
    let asset = app
        .send(TestRequest::get().uri("/assets/app-1a2b.js"))
        .await;
    assert_eq!(asset.status, 200);
    assert_eq!(
        asset.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    // … and the API keeps answering problems, never the page.
    app.send(TestRequest::get().uri("/api/v1/nope"))
        .await
        .assert_problem(404, "not-found");
    app.send(TestRequest::get().uri("/api/nope"))
        .await
        .assert_problem(404, "not-found");
    app.send(TestRequest::post().uri("/somewhere"))
        .await
        .assert_problem(404, "not-found");
    let _ = std::fs::remove_dir_all(dir);
}

#[actix_rt::test]
async fn the_spas_precompressed_assets_are_sent_to_browsers_that_take_them() {
    // Distinct contents, so the answer shows which file was sent (the server never decodes them).
    let dir = spa_dir(&[
        ("app-1a2b.js", "console.log('plain')"),
        ("app-1a2b.js.gz", "gzip copy"),
        ("app-1a2b.js.br", "brotli copy"),
        ("only-gz.css", "a{}"),
        ("only-gz.css.gz", "gzip css"),
    ]);
    let app = TestApp::spawn_with_spa(Backend::Sqlite, Some(dir.clone())).await;
    let get = |accept: Option<&'static str>, uri: &'static str| {
        let mut req = TestRequest::get().uri(uri);
        if let Some(accept) = accept {
            req = req.insert_header(("accept-encoding", accept));
        }
        req
    };

    // A browser (Chromium lists gzip first): Brotli, typed as the script it is.
    let r = app
        .send(get(Some("gzip, deflate, br, zstd"), "/assets/app-1a2b.js"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "brotli copy");
    assert_eq!(r.header("content-encoding").as_deref(), Some("br"));
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(r.header("vary").as_deref(), Some("accept-encoding"));
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    // gzip only, or Brotli wanted less: the gzip copy.
    for accept in ["gzip", "br;q=0.5, gzip", "gzip, br;q=0"] {
        let r = app.send(get(Some(accept), "/assets/app-1a2b.js")).await;
        assert_eq!(r.text(), "gzip copy", "{accept}");
        assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    }
    // A file with only a gzip copy, asked for with Brotli first.
    let r = app.send(get(Some("br, gzip"), "/assets/only-gz.css")).await;
    assert_eq!(r.text(), "gzip css");
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    // No coding accepted: the plain file.
    for accept in [None, Some("identity")] {
        let r = app.send(get(accept, "/assets/app-1a2b.js")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), "console.log('plain')", "{accept:?}");
        assert_eq!(r.header("content-encoding"), None);
    }
    // A range is of the plain file.
    let r = app
        .send(get(Some("br, gzip"), "/assets/app-1a2b.js").insert_header(("range", "bytes=0-6")))
        .await;
    assert_eq!(r.status, 206);
    assert_eq!(r.text(), "console");
    // HEAD answers as GET would (the HTTP layer leaves the body out).
    let r = app
        .send(
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri("/assets/app-1a2b.js")
                .insert_header(("accept-encoding", "br")),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding").as_deref(), Some("br"));
    // A script that is not there is a 404, not the app's page in its place; nor is any way out
    // of the directory.
    for uri in [
        "/assets/gone-9z9z.js",
        "/assets/..%2Findex.html",
        "/assets/.hidden",
    ] {
        app.send(get(None, uri))
            .await
            .assert_problem(404, "not-found");
    }
    let _ = std::fs::remove_dir_all(dir);
}

both_backends!(
    problems_carry_codes_and_speak_chinese_when_asked,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let bad = json!({"name": "", "prefecture": "拉萨市", "county": "城关区", "code": "12ab"});
        // English by default, with stable codes and parameters.
        let r = app.post("/api/v1/villages", &admin, &bad).await;
        let p = r.assert_problem(400, "validation");
        assert_eq!(p["code"], "validation");
        let by_field = |p: &serde_json::Value, f: &str| {
            p["errors"]
                .as_array()
                .and_then(|e| e.iter().find(|x| x["field"] == f).cloned())
                .unwrap_or_default()
        };
        assert_eq!(by_field(&p, "name")["code"], "empty");
        assert_eq!(by_field(&p, "name")["message"], "must not be empty");
        assert_eq!(by_field(&p, "code")["code"], "digits");
        assert_eq!(by_field(&p, "code")["params"]["max"], "12");
        // Chinese for a caller that asks for it; the codes stay the same.
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/villages")
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .insert_header(("accept-language", "zh-CN,zh;q=0.9,en;q=0.5"))
                    .set_json(&bad),
            )
            .await;
        let p = r.assert_problem(400, "validation");
        assert_eq!(by_field(&p, "name")["message"], "不能为空");
        assert_eq!(by_field(&p, "code")["message"], "须为 6 到 12 位数字");
        assert_eq!(by_field(&p, "code")["code"], "digits");
        assert_eq!(p["detail"], "请求有误，请查看各字段的说明");
        let r = app
            .send(
                TestRequest::get()
                    .uri("/api/v1/villages/999999")
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .insert_header(("accept-language", "zh")),
            )
            .await;
        let p = r.assert_problem(404, "not-found");
        assert_eq!(p["code"], "not_found");
        assert_eq!(p["detail"], "没有这个资源");
    }
);
