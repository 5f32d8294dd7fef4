//! The `zhucun` binary as an operator uses it: migrate, openapi, first start, bad configuration.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn zhucun() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zhucun"));
    c.env_remove("DATABASE_URL")
        .env_remove("ZHUCUN_ADMIN_PASSWORD")
        .env_remove("ZHUCUN_DEMO_PASSWORD")
        .env_remove("ZHUCUN_JWT_SECRET")
        .env("ZHUCUN_LOG", "warn");
    c
}

fn temp_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("zhucun-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn migrate_applies_once_and_refuses_unknown_schemes() {
    let dir = temp_dir();
    let url = format!("sqlite://{}", dir.join("z.db").display());
    let first = zhucun()
        .args(["migrate"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // Every migration folder of the backend, counted from the source tree (not a number to bump).
    let folders = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../persistence/migrations/sqlite"),
    )
    .unwrap()
    .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
    .count();
    assert!(folders >= 3);
    assert!(
        String::from_utf8_lossy(&first.stdout)
            .starts_with(&format!("applied {folders} migration(s)")),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let again = zhucun()
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("applied 0 migration(s)"));

    let bad = zhucun()
        .args(["migrate"])
        .env("DATABASE_URL", "mysql://localhost/zhucun")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("sqlite://") && err.contains("postgres://"),
        "{err}"
    );
    // A typo in the scheme creates no file anywhere.
    let typo = zhucun()
        .args(["migrate"])
        .env("DATABASE_URL", "postgress://localhost/zhucun")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!typo.status.success());
    assert!(!dir.join("postgress:").exists());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn openapi_command_prints_the_committed_document() {
    let out = zhucun().arg("openapi").output().unwrap();
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(printed, committed);
}

/// Starts `serve` and returns the lines it printed up to the "listening" log line.
fn first_start_output(dir: &std::path::Path) -> Vec<String> {
    let mut child = zhucun()
        .args(["serve", "--bind", "127.0.0.1:0", "--log-format", "text"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("z.db").display()),
        )
        .env("ZHUCUN_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        BufReader::new(out)
            .lines()
            .map_while(Result::ok)
            .for_each(|l| {
                let _ = tx.send(l);
            })
    });
    std::thread::spawn(move || {
        BufReader::new(err)
            .lines()
            .map_while(Result::ok)
            .for_each(|l| {
                let _ = tx2.send(l);
            })
    });
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        let done = line.contains("zhucun is listening");
        lines.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    // stdout and stderr are read by two threads: lines written before "listening" on the other
    // stream may still be on their way. The process has ended, so both readers reach the end of
    // their pipe and drop their senders; collect until then.
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        lines.push(line);
    }
    assert!(
        lines.iter().any(|l| l.contains("zhucun is listening")),
        "server did not start: {lines:?}"
    );
    lines
}

#[test]
fn first_start_creates_the_admin_and_prints_its_password_once() {
    let dir = temp_dir();
    let first = first_start_output(&dir);
    let admin_line = first
        .iter()
        .find(|l| l.trim_start().starts_with("admin "))
        .cloned()
        .unwrap_or_default();
    let password = admin_line
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        password.len(),
        16,
        "a generated password is printed: {first:?}"
    );
    assert!(
        dir.join("jwt.key").is_file(),
        "the JWT key is generated in the data folder"
    );
    let second = first_start_output(&dir);
    assert!(
        !second.iter().any(|l| l.contains(&password)),
        "printed only at the first start"
    );
    let _ = std::fs::remove_dir_all(dir);
}
