#!/usr/bin/env bash
# Checks Cargo.lock against the RustSec advisory database. Offline by default: the snapshot in
# ZHUCUN_ADVISORY_DB (default ../shared/advisory-db beside this checkout); exceptions, each with
# its reason, are in .cargo/audit.toml. Run it before a release and whenever Cargo.lock changes.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${ZHUCUN_ADVISORY_DB:-../shared/advisory-db}"
if [ ! -d "$db" ]; then
    echo "no advisory database at $db: set ZHUCUN_ADVISORY_DB to a copy of github.com/rustsec/advisory-db" >&2
    exit 1
fi
if ! cargo audit --version >/dev/null 2>&1; then
    echo "==> installing cargo-audit"
    cargo install cargo-audit --locked
fi
cargo audit --db "$db" --no-fetch --deny warnings
