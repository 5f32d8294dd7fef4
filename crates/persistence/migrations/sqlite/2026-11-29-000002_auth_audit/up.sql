-- One login = one session; its refresh tokens rotate. A used token presented again revokes the session.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Failed logins per (normalised) username, shared by every API instance.
CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- Replays of creates: the first response is kept per user and key.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    etag TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);

CREATE TABLE audit_entries (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    actor_id BIGINT REFERENCES users(id),
    actor_username TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    at TIMESTAMP NOT NULL,
    request_id TEXT NOT NULL
);
CREATE INDEX audit_department_id ON audit_entries (department_id, id);
CREATE INDEX audit_department_entity ON audit_entries (department_id, entity, entity_id, id);
CREATE INDEX audit_department_actor ON audit_entries (department_id, actor_id, id);

-- The audit trail is append-only, whatever the application does.
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
