-- 驻村项目: a village's projects and their stage pipeline (成熟一个、申报一个、协调一个、实施一个).
-- Funds received and spent are derived from the ledger, never stored here.
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    -- The work team that runs it (a team of the same village), if named.
    team_id BIGINT REFERENCES teams(id),
    -- The project's year (2011 .. next year): the year it belongs to in reports and filters.
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    search_text TEXT NOT NULL,
    -- zhucun_domain::project::Category code.
    category TEXT NOT NULL,
    -- The department's office responsible for it (责任处室), if named.
    office_id BIGINT REFERENCES offices(id),
    supporting_unit TEXT,
    budget_fen BIGINT NOT NULL,
    funding_source TEXT,
    beneficiary_households BIGINT NOT NULL DEFAULT 0,
    beneficiary_people BIGINT NOT NULL DEFAULT 0,
    description TEXT,
    problems TEXT,
    measures TEXT,
    -- zhucun_domain::project::Stage code; changed only by a transition (with a project_events row).
    stage TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX projects_department_updated ON projects (department_id, updated_at, id);
CREATE INDEX projects_department_budget ON projects (department_id, budget_fen, id);
CREATE INDEX projects_department_sort_key ON projects (department_id, sort_key, id);
CREATE INDEX projects_village_updated ON projects (village_id, updated_at, id);
CREATE INDEX projects_team ON projects (team_id, id);
CREATE INDEX projects_department_stage ON projects (department_id, stage, id);
CREATE INDEX projects_department_category ON projects (department_id, category, id);
CREATE INDEX projects_department_year ON projects (department_id, year, id);

-- Every stage move of a project: who, when, from, to, comment. Append-only.
CREATE TABLE project_events (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    project_id BIGINT NOT NULL REFERENCES projects(id),
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    comment TEXT,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    actor_username TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX project_events_project ON project_events (project_id, id);
CREATE TRIGGER project_events_no_update BEFORE UPDATE ON project_events
BEGIN SELECT RAISE(ABORT, 'project events are append-only'); END;
CREATE TRIGGER project_events_no_delete BEFORE DELETE ON project_events
BEGIN SELECT RAISE(ABORT, 'project events are append-only'); END;
