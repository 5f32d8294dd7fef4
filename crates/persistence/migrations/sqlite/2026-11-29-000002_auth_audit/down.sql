DROP TRIGGER IF EXISTS audit_entries_no_delete;
DROP TRIGGER IF EXISTS audit_entries_no_update;
DROP TABLE audit_entries;
DROP TABLE idempotency_keys;
DROP TABLE login_throttle;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
