DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries;
DROP FUNCTION IF EXISTS audit_entries_append_only();
DROP TABLE audit_entries;
DROP TABLE idempotency_keys;
DROP TABLE login_throttle;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
