-- The server keeps the login checks it has made (session ⋈ user ⋈ department, see
-- crates/persistence/src/login_cache.rs) and must see at once when one of them may have changed:
-- a logout or revocation (sessions), a password change, a disabled or edited user (users), a
-- department's operator flag. These triggers count every such change in `login_epoch` (one row),
-- whichever process or tool makes it; a request reads the count (one small read in its own trip)
-- and checks again from the tables when it moved.
CREATE TABLE login_epoch (
    id INTEGER PRIMARY KEY,
    epoch BIGINT NOT NULL
);
INSERT INTO login_epoch (id, epoch) VALUES (1, 0);

CREATE TRIGGER sessions_login_updated AFTER UPDATE ON sessions
BEGIN
    UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
CREATE TRIGGER sessions_login_deleted AFTER DELETE ON sessions
BEGIN
    UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
CREATE TRIGGER users_login_updated AFTER UPDATE ON users
BEGIN
    UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
CREATE TRIGGER users_login_deleted AFTER DELETE ON users
BEGIN
    UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
CREATE TRIGGER departments_login_updated AFTER UPDATE OF is_operator ON departments
BEGIN
    UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
CREATE TRIGGER departments_login_deleted AFTER DELETE ON departments
BEGIN
    UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;
END;
