use crate::both_backends;
use crate::common::*;
use actix_web::test::TestRequest;
use base64::Engine;
use serde_json::json;

fn claims(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_default()
}

async fn refresh(app: &TestApp, token: &str) -> Resp {
    app.send(
        TestRequest::post()
            .uri("/api/v1/auth/refresh")
            .set_json(json!({ "refresh_token": token })),
    )
    .await
}

both_backends!(
    login_returns_tokens_and_me_works,
    |app: TestApp| async move {
        let r = app.login_full("admin", ADMIN_PASSWORD).await;
        assert_eq!(r.status, 200, "{}", r.text());
        let t = r.json();
        assert_eq!(t["token_type"], "Bearer");
        assert_eq!(t["expires_in"], 900);
        assert_eq!(t["role"], "admin");
        assert!(t["refresh_token"].as_str().is_some_and(|s| s.len() >= 40));
        let c = claims(t["access_token"].as_str().unwrap_or_default());
        assert_eq!(c["iss"], "zhucun");
        assert_eq!(c["aud"], "zhucun-api");
        assert_eq!(
            c["exp"].as_i64().unwrap_or(0) - c["iat"].as_i64().unwrap_or(0),
            900
        );
        let me = app
            .get("/api/v1/me", t["access_token"].as_str().unwrap_or_default())
            .await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["username"], "admin");
        assert_eq!(me.json()["role"], "admin");
        assert_eq!(me.json()["department"]["name"], "西藏自治区财政厅");
        assert_eq!(me.json()["sees_all_villages"], true);
    }
);

both_backends!(
    wrong_password_and_unknown_user_look_the_same,
    |app: TestApp| async move {
        let wrong = app.login_full("admin", "not the password").await;
        let unknown = app.login_full("nobody_here", "not the password").await;
        let mut a = wrong.assert_problem(401, "unauthorized");
        let mut b = unknown.assert_problem(401, "unauthorized");
        // Only the request ids may differ.
        a["request_id"] = serde_json::Value::Null;
        b["request_id"] = serde_json::Value::Null;
        assert_eq!(
            a, b,
            "the answers must not reveal whether the username exists"
        );
        // Usernames are case-insensitive at login.
        assert_eq!(app.login_full("ADMIN", ADMIN_PASSWORD).await.status, 200);
    }
);

both_backends!(
    repeated_failures_are_throttled_per_username,
    |app: TestApp| async move {
        for _ in 0..5 {
            app.login_full("office_staff", "wrong password")
                .await
                .assert_problem(401, "unauthorized");
        }
        // The sixth failure locks the username …
        app.login_full("office_staff", "wrong password")
            .await
            .assert_problem(401, "unauthorized");
        // … so even the right password is refused for now, with a Retry-After.
        let r = app.login_full("office_staff", DEMO_PASSWORD).await;
        r.assert_problem(429, "too-many-requests");
        let retry: u64 = r
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        assert!((1..=60).contains(&retry), "retry-after {retry}");
        // Other usernames are not affected.
        assert_eq!(app.login_full("regional", DEMO_PASSWORD).await.status, 200);
    }
);

both_backends!(
    refresh_rotates_and_reuse_ends_the_login,
    |app: TestApp| async move {
        let t = app.login_full("office_staff", DEMO_PASSWORD).await.json();
        assert_eq!(t["role"], "department");
        let first = t["refresh_token"].as_str().unwrap_or_default().to_owned();
        let r = refresh(&app, &first).await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["role"], "department");
        let second = r.json()["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let access = r.json()["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_ne!(first, second);
        assert_eq!(app.get("/api/v1/me", &access).await.status, 200);
        // Presenting the spent token again: refused, and the whole login ends.
        refresh(&app, &first)
            .await
            .assert_problem(401, "unauthorized");
        refresh(&app, &second)
            .await
            .assert_problem(401, "unauthorized");
        app.get("/api/v1/me", &access)
            .await
            .assert_problem(401, "unauthorized");
        refresh(&app, "made-up")
            .await
            .assert_problem(401, "unauthorized");
    }
);

both_backends!(logout_revokes_the_login, |app: TestApp| async move {
    let t = app.login_full("office_staff", DEMO_PASSWORD).await.json();
    let access = t["access_token"].as_str().unwrap_or_default();
    let refresh_token = t["refresh_token"].as_str().unwrap_or_default();
    let other = app.login("office_staff").await;
    let r = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/logout")
                .set_json(json!({ "refresh_token": refresh_token })),
        )
        .await;
    assert_eq!(r.status, 204);
    app.get("/api/v1/me", access)
        .await
        .assert_problem(401, "unauthorized");
    refresh(&app, refresh_token)
        .await
        .assert_problem(401, "unauthorized");
    // Only that login ended.
    assert_eq!(app.get("/api/v1/me", &other).await.status, 200);
});

both_backends!(
    password_change_ends_every_login,
    |app: TestApp| async move {
        let a = app.login("office_staff").await;
        let b = app.login("office_staff").await;
        let weak = app
            .post(
                "/api/v1/me/password",
                &a,
                &json!({"current_password": DEMO_PASSWORD, "new_password": "short"}),
            )
            .await;
        let p = weak.assert_problem(400, "validation");
        assert_eq!(p["errors"][0]["field"], "new_password");
        let wrong = app
        .post("/api/v1/me/password", &a, &json!({"current_password": "nope nope nope", "new_password": "a new long passphrase"}))
        .await;
        assert_eq!(
            wrong.assert_problem(400, "validation")["errors"][0]["field"],
            "current_password"
        );
        let ok = app
        .post("/api/v1/me/password", &a, &json!({"current_password": DEMO_PASSWORD, "new_password": "a new long passphrase"}))
        .await;
        assert_eq!(ok.status, 204, "{}", ok.text());
        app.get("/api/v1/me", &a)
            .await
            .assert_problem(401, "unauthorized");
        app.get("/api/v1/me", &b)
            .await
            .assert_problem(401, "unauthorized");
        app.login_full("office_staff", DEMO_PASSWORD)
            .await
            .assert_problem(401, "unauthorized");
        assert_eq!(
            app.login_full("office_staff", "a new long passphrase")
                .await
                .status,
            200
        );
    }
);

both_backends!(
    disabling_a_user_ends_their_logins,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let staff = app.login("office_staff").await;
        let id = app
            .find_id("/api/v1/users", &admin, "username", "office_staff")
            .await;
        let r = app
            .patch(
                &format!("/api/v1/users/{id}"),
                &admin,
                None,
                &json!({"disabled": true}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        app.get("/api/v1/me", &staff)
            .await
            .assert_problem(401, "unauthorized");
        app.login_full("office_staff", DEMO_PASSWORD)
            .await
            .assert_problem(401, "unauthorized");
        // An admin cannot disable themselves.
        let me = app
            .find_id("/api/v1/users", &admin, "username", "admin")
            .await;
        app.patch(
            &format!("/api/v1/users/{me}"),
            &admin,
            None,
            &json!({"disabled": true}),
        )
        .await
        .assert_problem(409, "conflict");
        // An admin reset sets a new password and ends the user's logins.
        let r = app
            .patch(
                &format!("/api/v1/users/{id}"),
                &admin,
                None,
                &json!({"disabled": false}),
            )
            .await;
        assert_eq!(r.status, 200);
        let r = app
            .post(
                &format!("/api/v1/users/{id}/password"),
                &admin,
                &json!({"new_password": "reset by the admin"}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text());
        assert_eq!(
            app.login_full("office_staff", "reset by the admin")
                .await
                .status,
            200
        );
    }
);

both_backends!(
    expired_and_forged_tokens_are_refused,
    |app: TestApp| async move {
        let access = app.login("admin").await;
        let c = claims(&access);
        let keys = zhucun_api::auth::jwt::JwtKeys::from_secret(JWT_SECRET.as_bytes())
            .unwrap_or_else(|_| panic!("keys"));
        let uid: i64 = c["sub"].as_str().unwrap_or_default().parse().unwrap_or(0);
        let sid = c["sid"].as_str().unwrap_or_default();
        let expired = keys
            .issue(uid, sid, chrono::Utc::now().timestamp() - 3600)
            .unwrap_or_default();
        let p = app
            .get("/api/v1/me", &expired)
            .await
            .assert_problem(401, "unauthorized");
        assert!(p["detail"].as_str().unwrap_or_default().contains("expired"));
        let fresh = keys
            .issue(uid, sid, chrono::Utc::now().timestamp())
            .unwrap_or_default();
        assert_eq!(
            app.get("/api/v1/me", &fresh).await.status,
            200,
            "a valid token of the same key works"
        );
        let other = zhucun_api::auth::jwt::JwtKeys::from_secret(&[9u8; 40])
            .unwrap_or_else(|_| panic!("keys"));
        let forged = other
            .issue(uid, sid, chrono::Utc::now().timestamp())
            .unwrap_or_default();
        app.get("/api/v1/me", &forged)
            .await
            .assert_problem(401, "unauthorized");
        let r = app.send(TestRequest::get().uri("/api/v1/me")).await;
        r.assert_problem(401, "unauthorized");
        assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
        app.send(
            TestRequest::get()
                .uri("/api/v1/me")
                .insert_header(("authorization", "Basic YTpi")),
        )
        .await
        .assert_problem(401, "unauthorized");
        // Bytes that are not text, and a valid token with a non-ASCII character after it: refused,
        // not read as a token and not a 400/500.
        let not_text = actix_web::http::header::HeaderValue::from_bytes(b"Bearer \xff\xfe")
            .unwrap_or_else(|e| panic!("{e}"));
        let after = actix_web::http::header::HeaderValue::from_str(&format!("Bearer {fresh}é"))
            .unwrap_or_else(|e| panic!("{e}"));
        for value in [not_text, after] {
            app.send(
                TestRequest::get()
                    .uri("/api/v1/me")
                    .insert_header(("authorization", value)),
            )
            .await
            .assert_problem(401, "unauthorized");
        }
    }
);

// Every request below after the first reads through the process's cache of login checks (a
// village read), so each change must reach a check cached a moment before, whether it is made
// through this server or behind its back (raw SQL: another instance, the CLI, an operator).
both_backends!(
    a_cached_login_check_sees_every_change,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let village = app.get("/api/v1/villages?limit=1", &admin).await.json()["items"][0]["id"]
            .as_i64()
            .unwrap_or_default();
        let path = format!("/api/v1/villages/{village}");
        let staff = app.login("office_staff").await;
        for _ in 0..2 {
            let r = app.get(&path, &staff).await;
            assert_eq!(r.status, 200, "{}", r.text());
        }
        // Disabled behind the server's back, then enabled again: the login works again.
        app.sql("UPDATE users SET disabled_at = CURRENT_TIMESTAMP WHERE username = 'office_staff'")
            .unwrap_or_else(|e| panic!("{e}"));
        app.get(&path, &staff)
            .await
            .assert_problem(401, "unauthorized");
        app.sql("UPDATE users SET disabled_at = NULL WHERE username = 'office_staff'")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(app.get(&path, &staff).await.status, 200);
        // A role taken away behind the server's back: a team member without a cadre sees no
        // village.
        app.sql("UPDATE users SET role = 'team' WHERE username = 'office_staff'")
            .unwrap_or_else(|e| panic!("{e}"));
        let r = app.get(&path, &staff).await;
        assert!(
            matches!(r.status.as_u16(), 403 | 404),
            "{} {}",
            r.status,
            r.text()
        );
        app.sql("UPDATE users SET role = 'department' WHERE username = 'office_staff'")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(app.get(&path, &staff).await.status, 200);
        // The login ended behind the server's back.
        app.sql(
            "UPDATE sessions SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = \
             (SELECT id FROM users WHERE username = 'office_staff')",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        app.get(&path, &staff)
            .await
            .assert_problem(401, "unauthorized");
        // Logout through the API, with the check of that login cached.
        let t = app.login_full("office_staff", DEMO_PASSWORD).await.json();
        let access = t["access_token"].as_str().unwrap_or_default();
        assert_eq!(app.get(&path, access).await.status, 200);
        let r = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/auth/logout")
                    .set_json(json!({ "refresh_token": t["refresh_token"] })),
            )
            .await;
        assert_eq!(r.status, 204);
        app.get(&path, access)
            .await
            .assert_problem(401, "unauthorized");
        // The admin's own login, cached all along, was never disturbed.
        assert_eq!(app.get(&path, &admin).await.status, 200);
    }
);
