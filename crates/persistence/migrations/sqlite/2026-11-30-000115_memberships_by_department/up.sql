-- A department's memberships overlapping a month or a year (presence overview, reports, statistics).
CREATE INDEX team_members_department_from ON team_members (department_id, from_date);
