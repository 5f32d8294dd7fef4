# Sourced by scripts/test.sh and .ci/run: makes sure the PostgreSQL the tests use is reachable and
# has the database named in ZHUCUN_TEST_PG, or says plainly what is missing and stops.
# The tests never skip PostgreSQL: both backends are real and both are tested.

ensure_test_postgres() {
    local url="${ZHUCUN_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
    local hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
    local host="${hostport%%:*}" port="${hostport##*:}"
    [ "$port" = "$hostport" ] && port=5432
    local db="${url##*/}"; db="${db%%\?*}"

    if ! command -v pg_isready >/dev/null || ! command -v psql >/dev/null; then
        echo "The tests need PostgreSQL (server and client), none found. On Debian:" >&2
        echo "  apt-get install postgresql && pg_ctlcluster \$(ls /etc/postgresql) main start" >&2
        echo "and a role that connects without a password (ZHUCUN_TEST_PG=$url)." >&2
        return 1
    fi
    if ! pg_isready -q -h "$host" -p "$port"; then
        local version=""
        if [ -d /etc/postgresql ]; then version="$(ls /etc/postgresql | head -n1)"; fi
        if [ -n "$version" ] && command -v pg_ctlcluster >/dev/null; then
            echo "==> starting PostgreSQL $version"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
            for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
        fi
    fi
    if ! pg_isready -q -h "$host" -p "$port"; then
        echo "PostgreSQL is not accepting connections at $host:$port (ZHUCUN_TEST_PG=$url)." >&2
        echo "Start it (pg_ctlcluster <version> main start) or point ZHUCUN_TEST_PG at one that runs." >&2
        return 1
    fi
    local admin_url="${url%/*}/postgres"
    if ! psql "$admin_url" -Atqc "SELECT 1" >/dev/null 2>&1; then
        echo "PostgreSQL at $host:$port refuses ${url%/*} without a password; the tests need a role" >&2
        echo "that connects by trust or a ~/.pgpass entry (ZHUCUN_TEST_PG=$url)." >&2
        return 1
    fi
    if [ "$(psql "$admin_url" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
        echo "==> creating the test database $db"
        psql "$admin_url" -qc "CREATE DATABASE \"$db\"" >/dev/null
    fi
}
