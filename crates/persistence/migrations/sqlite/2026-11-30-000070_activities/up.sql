-- 活动: what a work team did in its village on a day (a briefing, a training, a clinic …), with
-- the kind's own figures (the skill of a training, the people a clinic saw, where a study visit
-- went, what party building achieved). Summaries are computed from these rows, never stored.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    held_on DATE NOT NULL,
    -- zhucun_domain::activity::Kind code.
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    search_text TEXT NOT NULL,
    -- Who organised it (the team, a partner institution …), as text; the team too when it was one.
    organiser TEXT NOT NULL,
    team_id BIGINT REFERENCES teams(id),
    participants BIGINT NOT NULL DEFAULT 0,
    beneficiaries BIGINT NOT NULL DEFAULT 0,
    -- Goods or medicine given, in fen.
    value_fen BIGINT NOT NULL DEFAULT 0,
    notes TEXT,
    project_id BIGINT REFERENCES projects(id),
    -- skills_training only.
    skill TEXT,
    -- free_clinic only.
    people_seen BIGINT,
    partner_institution TEXT,
    -- study_visit only.
    destination TEXT,
    -- party_building only: new party members developed; the organisation formed (a
    -- zhucun_domain::activity::Organisation code).
    party_members_developed BIGINT,
    organisation_formed TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_department_held ON activities (department_id, held_on, id);
CREATE INDEX activities_village_held ON activities (village_id, held_on, id);
CREATE INDEX activities_department_kind ON activities (department_id, kind, held_on, id);
CREATE INDEX activities_department_skill ON activities (department_id, skill, id);
CREATE INDEX activities_project ON activities (project_id, id);

-- Who benefited: households of the activity's village.
CREATE TABLE activity_households (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    UNIQUE (activity_id, household_id)
);
CREATE INDEX activity_households_household ON activity_households (household_id, activity_id);
