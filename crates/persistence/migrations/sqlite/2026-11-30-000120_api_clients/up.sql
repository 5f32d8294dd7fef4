-- API clients (OAuth 2.0 client credentials): a program of a department (or, for the operator
-- department, of the region) reading reports and statistics with a short-lived token. The secret
-- is shown once and stored only as its SHA-256 (see crates/api/src/routes/api_clients.rs).
CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    name TEXT NOT NULL,
    -- Public identifier: zc_ + 20 lowercase hex characters.
    client_id TEXT NOT NULL,
    -- Lowercase hex SHA-256 of the secret.
    secret_hash TEXT NOT NULL,
    -- Space-separated scopes (reports:read projects:read ledger:read stats:read).
    scopes TEXT NOT NULL,
    -- 1: a regional client of the operator department (acts as the regional role).
    regional INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_by_name TEXT NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    rotated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (client_id)
);
CREATE INDEX api_clients_department ON api_clients (department_id, id);
