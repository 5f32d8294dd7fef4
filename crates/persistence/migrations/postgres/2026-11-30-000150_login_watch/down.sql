DROP TRIGGER departments_login_changed ON departments;
DROP TRIGGER users_login_changed ON users;
DROP TRIGGER sessions_login_changed ON sessions;
DROP FUNCTION zhucun_login_changed();
