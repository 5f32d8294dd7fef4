-- Every instance keeps the login checks it has made (session ⋈ user ⋈ department, see
-- crates/persistence/src/login_cache.rs) and must hear at once when one of them may have changed:
-- a logout or revocation (sessions), a password change, a disabled or edited user (users), a
-- department's operator flag. Each of these statements notifies the channel `zhucun_login`. Every
-- pooled connection listens on it, and PostgreSQL delivers the notice (at commit) to a listening
-- connection ahead of the answer to any later query on it, so the query a request runs anyway
-- tells it whether its cached check still holds: no extra round trip. Statement-level triggers:
-- one notice per statement, also for a statement that touched no row (harmless: the caches only
-- re-check).
CREATE FUNCTION zhucun_login_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('zhucun_login', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_login_changed AFTER UPDATE OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION zhucun_login_changed();
CREATE TRIGGER users_login_changed AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION zhucun_login_changed();
CREATE TRIGGER departments_login_changed AFTER UPDATE OF is_operator OR DELETE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION zhucun_login_changed();
