DROP TRIGGER departments_login_deleted;
DROP TRIGGER departments_login_updated;
DROP TRIGGER users_login_deleted;
DROP TRIGGER users_login_updated;
DROP TRIGGER sessions_login_deleted;
DROP TRIGGER sessions_login_updated;
DROP TABLE login_epoch;
