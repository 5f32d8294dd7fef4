//! API clients (OAuth 2.0 client credentials): create / rotate / revoke with the secret shown
//! once, the token endpoint's flows and errors (RFC 6749 §4.4, §5.2), and scope enforcement as a
//! table: a client token works only on the GETs of its scopes, never on writes or personal data.

use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use base64::Engine;
use serde_json::{json, Value};
use std::net::SocketAddr;

const TOKEN: &str = "/api/v1/auth/token";

/// A token request from its own client address (the public limiter counts per address).
async fn token_req(app: &TestApp, basic: Option<(&str, &str)>, form: &str, peer: &str) -> Resp {
    let mut req = TestRequest::post()
        .uri(TOKEN)
        .peer_addr(peer.parse::<SocketAddr>().unwrap())
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload(form.to_owned());
    if let Some((id, secret)) = basic {
        let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        req = req.insert_header(("authorization", format!("Basic {b64}")));
    }
    app.send(req).await
}

/// Creates a client as `token`'s user; returns (row id, client_id, secret).
async fn create(app: &TestApp, token: &str, name: &str, scopes: &[&str]) -> (i64, String, String) {
    let r = app
        .post(
            "/api/v1/api-clients",
            token,
            &json!({"name": name, "scopes": scopes}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let b = r.json();
    (
        b["client"]["id"].as_i64().unwrap(),
        b["client"]["client_id"].as_str().unwrap().to_owned(),
        b["client_secret"].as_str().unwrap().to_owned(),
    )
}

async fn access_token(app: &TestApp, id: &str, secret: &str) -> String {
    let r = token_req(
        app,
        Some((id, secret)),
        "grant_type=client_credentials",
        "10.9.0.1:1000",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["access_token"].as_str().unwrap().to_owned()
}

trait Coded {
    fn coded(&self, status: u16, kind: &str, code: &str);
}

impl Coded for Resp {
    /// A problem of this status and kind with this specific `code`.
    fn coded(&self, status: u16, kind: &str, code: &str) {
        let p = self.assert_problem(status, kind);
        assert_eq!(p["code"], code, "{p}");
    }
}

fn oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status.as_u16(), status, "{}", r.text());
    assert_eq!(r.json()["error"], error, "{}", r.text());
    assert!(r.json()["error_description"].is_string(), "{}", r.text());
}

both_backends!(
    create_rotate_revoke_show_the_secret_once,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = app
        .post(
            "/api/v1/api-clients",
            &admin,
            &json!({"name": "统计报送程序", "scopes": ["reports:read", "ledger:read", "ledger:read"]}),
        )
        .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        let b = r.json();
        let secret = b["client_secret"].as_str().unwrap().to_owned();
        let client_id = b["client"]["client_id"].as_str().unwrap().to_owned();
        let id = b["client"]["id"].as_i64().unwrap();
        assert!(secret.len() >= 43, "{secret}");
        assert!(
            client_id.starts_with("zc_") && client_id.len() == 23,
            "{client_id}"
        );
        assert_eq!(
            b["client"]["scopes"],
            json!(["reports:read", "ledger:read"])
        );
        assert_eq!(b["client"]["state"], "active");
        assert_eq!(b["client"]["created_by"], "admin");
        assert_eq!(b["client"]["last_used_at"], Value::Null);

        // Never again: not on the row, the list or the audit trail.
        let one = app.get(&format!("/api/v1/api-clients/{id}"), &admin).await;
        assert_eq!(one.status, 200);
        assert!(!one.text().contains(&secret));
        assert!(one.json().get("client_secret").is_none());
        let list = app.get("/api/v1/api-clients", &admin).await;
        assert_eq!(list.status, 200);
        assert!(!list.text().contains(&secret));
        assert!(list.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id));
        let audit = app.get("/api/v1/audit?limit=50", &admin).await;
        assert_eq!(audit.status, 200, "{}", audit.text());
        assert!(audit.text().contains("api_client"), "{}", audit.text());
        assert!(!audit.text().contains(&secret));

        // A token by HTTP Basic; last_used_at is set.
        let r = token_req(
            &app,
            Some((&client_id, &secret)),
            "grant_type=client_credentials",
            "10.9.1.1:1000",
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        let t = r.json();
        assert_eq!(t["token_type"], "Bearer");
        assert_eq!(t["expires_in"], 900);
        assert_eq!(t["scope"], "reports:read ledger:read");
        let old_token = t["access_token"].as_str().unwrap().to_owned();
        assert_eq!(app.get("/api/v1/ledger", &old_token).await.status, 200);
        let used = app.get(&format!("/api/v1/api-clients/{id}"), &admin).await;
        assert!(used.json()["last_used_at"].is_string(), "{}", used.text());

        // Rotate: a new secret, shown once; the old secret and the old token stop at once.
        let etag = used.header("etag").unwrap();
        let r = app
            .send(
                TestRequest::post()
                    .uri(&format!("/api/v1/api-clients/{id}/rotate"))
                    .insert_header(("authorization", format!("Bearer {admin}")))
                    .insert_header(("if-match", etag)),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let new_secret = r.json()["client_secret"].as_str().unwrap().to_owned();
        assert_ne!(new_secret, secret);
        assert!(r.json()["client"]["rotated_at"].is_string());
        app.get("/api/v1/ledger", &old_token)
            .await
            .assert_problem(401, "unauthorized");
        let r = token_req(
            &app,
            Some((&client_id, &secret)),
            "grant_type=client_credentials",
            "10.9.1.2:1000",
        )
        .await;
        oauth_error(&r, 401, "invalid_client");
        let new_token = access_token(&app, &client_id, &new_secret).await;
        assert_eq!(app.get("/api/v1/ledger", &new_token).await.status, 200);

        // PATCH the scopes: a removed scope stops at once for tokens already issued.
        let cur = app.get(&format!("/api/v1/api-clients/{id}"), &admin).await;
        let r = app
            .patch(
                &format!("/api/v1/api-clients/{id}"),
                &admin,
                cur.header("etag").as_deref(),
                &json!({"scopes": ["reports:read"], "name": "报送程序"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["scopes"], json!(["reports:read"]));
        app.get("/api/v1/ledger", &new_token)
            .await
            .coded(403, "forbidden", "insufficient_scope");
        // A stale If-Match is a 412.
        let r = app
            .patch(
                &format!("/api/v1/api-clients/{id}"),
                &admin,
                cur.header("etag").as_deref(),
                &json!({"name": "又改"}),
            )
            .await;
        assert_eq!(r.status, 412, "{}", r.text());

        // Revoke: the token and the secret stop at once; the client stays listed as revoked.
        let r = app
            .send(
                TestRequest::post()
                    .uri(&format!("/api/v1/api-clients/{id}/revoke"))
                    .insert_header(("authorization", format!("Bearer {admin}"))),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["state"], "revoked");
        assert!(r.json().get("client_secret").is_none());
        app.get("/api/v1/reports/annual?year=2019", &new_token)
            .await
            .assert_problem(401, "unauthorized");
        let r = token_req(
            &app,
            None,
            &format!(
                "grant_type=client_credentials&client_id={client_id}&client_secret={new_secret}"
            ),
            "10.9.1.3:1000",
        )
        .await;
        oauth_error(&r, 400, "invalid_client");
        let r = app
            .send(
                TestRequest::post()
                    .uri(&format!("/api/v1/api-clients/{id}/rotate"))
                    .insert_header(("authorization", format!("Bearer {admin}"))),
            )
            .await;
        r.coded(409, "conflict", "client_revoked");
        let r = app
            .patch(
                &format!("/api/v1/api-clients/{id}"),
                &admin,
                None,
                &json!({"name": "复活"}),
            )
            .await;
        r.coded(409, "conflict", "client_revoked");
        let revoked = app.get("/api/v1/api-clients?revoked=true", &admin).await;
        assert!(revoked.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["state"] == "revoked"));
    }
);

both_backends!(token_endpoint_follows_rfc_6749, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let (_, id, secret) = create(&app, &admin, "报送", &["reports:read", "projects:read"]).await;
    let peer = "10.9.2.1:1000";

    // Form authentication, with a narrower scope.
    let r = token_req(
        &app,
        None,
        &format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=projects%3Aread"
        ),
        peer,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["scope"], "projects:read");
    let narrow = r.json()["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/projects", &narrow).await.status, 200);
    app.get("/api/v1/reports/annual?year=2019", &narrow)
        .await
        .coded(403, "forbidden", "insufficient_scope");

    // Errors in RFC 6749 §5.2's format.
    let basic = Some((id.as_str(), secret.as_str()));
    let r = token_req(
        &app,
        Some((&id, "wrong")),
        "grant_type=client_credentials",
        peer,
    )
    .await;
    oauth_error(&r, 401, "invalid_client");
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
    let r = token_req(
        &app,
        None,
        &format!("grant_type=client_credentials&client_id={id}&client_secret=wrong"),
        peer,
    )
    .await;
    oauth_error(&r, 400, "invalid_client");
    let r = token_req(&app, basic, "grant_type=password", peer).await;
    oauth_error(&r, 400, "unsupported_grant_type");
    let r = token_req(&app, basic, "scope=reports%3Aread", peer).await;
    oauth_error(&r, 400, "invalid_request");
    let r = token_req(
        &app,
        basic,
        "grant_type=client_credentials&scope=ledger%3Aread",
        peer,
    )
    .await;
    oauth_error(&r, 400, "invalid_scope");
    let r = token_req(
        &app,
        basic,
        "grant_type=client_credentials&scope=stats%3Aread",
        peer,
    )
    .await;
    oauth_error(&r, 400, "invalid_scope");
    let r = token_req(
        &app,
        basic,
        "grant_type=client_credentials&scope=nonsense",
        peer,
    )
    .await;
    oauth_error(&r, 400, "invalid_scope");
    let r = token_req(
        &app,
        basic,
        &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
        peer,
    )
    .await;
    oauth_error(&r, 400, "invalid_request");
    let r = token_req(
        &app,
        basic,
        "grant_type=client_credentials&grant_type=client_credentials",
        peer,
    )
    .await;
    oauth_error(&r, 400, "invalid_request");
    let r = app
        .send(
            TestRequest::post()
                .uri(TOKEN)
                .peer_addr(peer.parse::<SocketAddr>().unwrap())
                .set_json(json!({"grant_type": "client_credentials"})),
        )
        .await;
    oauth_error(&r, 400, "invalid_request");
    let r = token_req(&app, None, "grant_type=client_credentials", peer).await;
    oauth_error(&r, 401, "invalid_client");

    // An expired client token (signed with the test secret) is refused.
    let keys = zhucun_api::auth::jwt::JwtKeys::from_secret(JWT_SECRET.as_bytes()).unwrap();
    let good = access_token(&app, &id, &secret).await;
    let claims = keys.verify_client(&good).unwrap();
    let past = chrono::Utc::now().timestamp() - 3600;
    let expired = keys
        .issue_client(claims.cid, &claims.scope, claims.rot, past, 900)
        .unwrap();
    app.get("/api/v1/projects", &expired)
        .await
        .assert_problem(401, "unauthorized");

    // A client token is no user token and a user token no client token; user tokens keep
    // working where they did.
    app.get("/api/v1/me", &good)
        .await
        .coded(403, "forbidden", "insufficient_scope");
    assert!(keys.verify(&good).is_err());
    assert!(keys.verify_client(&admin).is_err());
    assert_eq!(app.get("/api/v1/projects", &admin).await.status, 200);
    assert_eq!(app.get("/api/v1/me", &admin).await.status, 200);

    // Repeated failures lock the client id (counted before the secret is checked): even the
    // right secret is then a 429.
    let mut locked = false;
    for i in 0..12 {
        let r = token_req(
            &app,
            Some((&id, "wrong")),
            "grant_type=client_credentials",
            &format!("10.9.3.{i}:1000"),
        )
        .await;
        if r.status == 429 {
            locked = true;
            break;
        }
    }
    assert!(locked, "no lock after repeated wrong secrets");
    let r = token_req(
        &app,
        basic,
        "grant_type=client_credentials",
        "10.9.4.1:1000",
    )
    .await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
});

/// One row of the enforcement table: (scopes of the client, method, path, expected status).
type Case = (&'static [&'static str], &'static str, String, u16);

both_backends!(
    client_tokens_only_reach_their_scopes,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let jt = app.login("jt_admin").await;
        let entry = app.get("/api/v1/ledger?limit=1", &admin).await.json()["items"][0]["id"]
            .as_i64()
            .unwrap();
        let jt_entry = app.get("/api/v1/ledger?limit=1", &jt).await.json()["items"][0]["id"]
            .as_i64()
            .unwrap();
        let project = app.get("/api/v1/projects?limit=1", &admin).await.json()["items"][0]["id"]
            .as_i64()
            .unwrap();
        const R: &[&str] = &["reports:read"];
        const P: &[&str] = &["projects:read"];
        const L: &[&str] = &["ledger:read"];
        const ALL: &[&str] = &["reports:read", "projects:read", "ledger:read"];
        #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        (R,   "GET",   "/api/v1/reports/annual?year=2019".into(), 200),
        (R,   "GET",   "/api/v1/reports/annual/compare?from=2018&to=2019".into(), 200),
        (R,   "GET",   "/api/v1/projects".into(), 403),
        (R,   "GET",   "/api/v1/ledger".into(), 403),
        (P,   "GET",   "/api/v1/projects".into(), 200),
        (P,   "GET",   format!("/api/v1/projects/{project}"), 200),
        (P,   "GET",   "/api/v1/reports/annual?year=2019".into(), 403),
        (L,   "GET",   "/api/v1/ledger".into(), 200),
        (L,   "GET",   format!("/api/v1/ledger/{entry}"), 200),
        (L,   "GET",   "/api/v1/ledger/totals?group_by=kind".into(), 200),
        (L,   "GET",   "/api/v1/projects".into(), 403),
        // Another department's row does not exist for the client.
        (L,   "GET",   format!("/api/v1/ledger/{jt_entry}"), 404),
        // Writes, personal data and everything not in the table: refused whatever the scopes.
        (ALL, "POST",  "/api/v1/ledger".into(), 403),
        (ALL, "PATCH", format!("/api/v1/projects/{project}"), 403),
        (ALL, "POST",  "/api/v1/api-clients".into(), 403),
        (ALL, "GET",   format!("/api/v1/projects/{project}/events"), 403),
        (ALL, "GET",   "/api/v1/households".into(), 403),
        (ALL, "GET",   "/api/v1/users".into(), 403),
        (ALL, "GET",   "/api/v1/cadres".into(), 403),
        (ALL, "GET",   "/api/v1/pairings".into(), 403),
        (ALL, "GET",   "/api/v1/api-clients".into(), 403),
        (ALL, "GET",   "/api/v1/audit".into(), 403),
        (ALL, "GET",   "/api/v1/me".into(), 403),
    ];
        let mut tokens: Vec<(&[&str], String)> = Vec::new();
        for scopes in [R, P, L, ALL] {
            let (_, id, secret) =
                create(&app, &admin, &format!("客户端{}", scopes.len()), scopes).await;
            tokens.push((scopes, access_token(&app, &id, &secret).await));
        }
        for (scopes, method, path, expected) in &cases {
            let token = &tokens.iter().find(|(s, _)| s == scopes).unwrap().1;
            let req = match *method {
                "GET" => TestRequest::get(),
                "POST" => TestRequest::post().set_json(json!({})),
                _ => TestRequest::patch().set_json(json!({})),
            };
            let r = app
                .send(
                    req.uri(path)
                        .insert_header(("authorization", format!("Bearer {token}"))),
                )
                .await;
            assert_eq!(
                r.status.as_u16(),
                *expected,
                "{scopes:?} {method} {path}: {}",
                r.text()
            );
            if *expected == 403 {
                assert_eq!(r.json()["code"], "insufficient_scope", "{method} {path}");
            }
        }
        // The ledger list shows only the client's department.
        let l = &tokens.iter().find(|(s, _)| *s == L).unwrap().1;
        let items = app.get("/api/v1/ledger?limit=500", l).await.json()["items"].clone();
        let ids: Vec<i64> = items
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["id"].as_i64())
            .collect();
        assert!(ids.contains(&entry) && !ids.contains(&jt_entry));
    }
);

both_backends!(
    only_admins_manage_clients_and_regional_is_the_operators,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let jt = app.login("jt_admin").await;
        let (fin_id, _, _) = create(&app, &admin, "财政厅程序", &["ledger:read"]).await;
        let (jt_id, _, _) = create(&app, &jt, "交通厅程序", &["projects:read"]).await;

        // Another department's clients do not exist for the admin; other roles see none.
        app.get(&format!("/api/v1/api-clients/{jt_id}"), &admin)
            .await
            .assert_problem(404, "not-found");
        let list = app.get("/api/v1/api-clients", &jt).await.json();
        assert!(list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != fin_id));
        for user in [
            "office_staff",
            "team_magada",
            "committee_magada",
            "regional",
        ] {
            let t = app.login(user).await;
            app.get(&format!("/api/v1/api-clients/{fin_id}"), &t)
                .await
                .assert_problem(404, "not-found");
            app.get("/api/v1/api-clients", &t)
                .await
                .assert_problem(403, "forbidden");
            let r = app
                .post(
                    "/api/v1/api-clients",
                    &t,
                    &json!({"name": "x", "scopes": ["reports:read"]}),
                )
                .await;
            r.assert_problem(403, "forbidden");
            let r = app
                .patch(
                    &format!("/api/v1/api-clients/{fin_id}"),
                    &t,
                    None,
                    &json!({"name": "x"}),
                )
                .await;
            // A write the role may never make is refused (the policy's Update column: F).
            assert_eq!(r.status, 403, "{user}: {}", r.text());
        }

        // Regional clients (stats:read): only the operator department's admins.
        let r = app
            .post(
                "/api/v1/api-clients",
                &jt,
                &json!({"name": "区域", "scopes": ["stats:read"], "regional": true}),
            )
            .await;
        r.coded(403, "forbidden", "regional_operator_only");
        let r = app
            .post(
                "/api/v1/api-clients",
                &admin,
                &json!({"name": "区域", "scopes": ["stats:read"]}),
            )
            .await;
        let p = r.assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "scopes");
        assert_eq!(p["errors"][0]["code"], "scope_regional_only");
        let r = app
            .post(
                "/api/v1/api-clients",
                &admin,
                &json!({"name": "区域统计", "scopes": ["stats:read"], "regional": true}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["client"]["regional"], true);

        // Bad input writes nothing.
        let before = app.get("/api/v1/api-clients", &admin).await.json()["total"].clone();
        for body in [
            json!({"name": "", "scopes": ["reports:read"]}),
            json!({"name": "x", "scopes": []}),
            json!({"name": "x", "scopes": ["households:read"]}),
            json!({"name": "x", "scopes": ["reports:read"], "secret": "mine"}),
        ] {
            let r = app.post("/api/v1/api-clients", &admin, &body).await;
            assert_eq!(r.status, 400, "{body}: {}", r.text());
        }
        let after = app.get("/api/v1/api-clients", &admin).await.json()["total"].clone();
        assert_eq!(before, after);
    }
);

both_backends!(
    a_regional_client_reads_the_statistics_the_regional_office_reads,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let r = app
            .post(
                "/api/v1/api-clients",
                &admin,
                &json!({"name": "强基办统计接口", "scopes": ["stats:read"], "regional": true}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text());
        let b = r.json();
        let id = b["client"]["client_id"].as_str().unwrap().to_owned();
        let secret = b["client_secret"].as_str().unwrap().to_owned();
        let client = access_token(&app, &id, &secret).await;
        let regional = app.login("regional").await;
        for path in [
            "/api/v1/stats/departments?year=2019",
            "/api/v1/stats/departments?from=2018&to=2019",
            "/api/v1/stats/counties?year=2019",
            "/api/v1/stats/villages?year=2019&county=540221",
        ] {
            let by_client = app.get(path, &client).await;
            assert_eq!(by_client.status, 200, "{path}: {}", by_client.text());
            let by_user = app.get(path, &regional).await;
            assert_eq!(by_user.status, 200, "{path}: {}", by_user.text());
            // The same figures of the same summary (a login in between may have refreshed it).
            let (mut a, mut b) = (by_client.json(), by_user.json());
            a["as_of"] = Value::Null;
            b["as_of"] = Value::Null;
            assert_eq!(a, b, "{path}");
        }
        // stats:read reaches the statistics only: no department's report, no personal data.
        for path in [
            "/api/v1/reports/annual?year=2019",
            "/api/v1/households",
            "/api/v1/cadres",
        ] {
            app.get(path, &client)
                .await
                .coded(403, "forbidden", "insufficient_scope");
        }
        // A department client has no stats:read, so the statistics are closed to it.
        let (_, dept_id, dept_secret) = create(&app, &admin, "年报", &["reports:read"]).await;
        let dept = access_token(&app, &dept_id, &dept_secret).await;
        app.get("/api/v1/stats/departments?year=2019", &dept)
            .await
            .coded(403, "forbidden", "insufficient_scope");
    }
);
