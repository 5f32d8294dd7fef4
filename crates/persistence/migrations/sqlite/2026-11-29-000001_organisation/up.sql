-- Organisation: tenants (departments) and what they are made of.
-- Timestamps are UTC. Flags are integers 0/1 (portable across both backends through diesel).
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    short_name TEXT,
    is_operator INTEGER NOT NULL DEFAULT 0,
    min_days_in_village INTEGER NOT NULL DEFAULT 20,
    local_leave_max_days INTEGER NOT NULL DEFAULT 3,
    min_team_size INTEGER NOT NULL DEFAULT 3,
    deactivated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE offices (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    name TEXT NOT NULL,
    search_text TEXT NOT NULL,
    deactivated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (department_id, name)
);

CREATE TABLE cadres (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    office_id BIGINT REFERENCES offices(id),
    name TEXT NOT NULL,
    name_bo TEXT,
    position TEXT,
    phone TEXT,
    search_text TEXT NOT NULL,
    deactivated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cadres_department_name ON cadres (department_id, name, id);
CREATE INDEX cadres_office ON cadres (office_id);

CREATE TABLE villages (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    name TEXT NOT NULL,
    name_bo TEXT,
    prefecture TEXT NOT NULL,
    county TEXT NOT NULL,
    township TEXT,
    code TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    search_text TEXT NOT NULL,
    deactivated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (department_id, code)
);
CREATE INDEX villages_department_name ON villages (department_id, name, id);
CREATE INDEX villages_department_county ON villages (department_id, county, id);
CREATE INDEX villages_department_prefecture ON villages (department_id, prefecture, county);

CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    number INTEGER NOT NULL,
    name TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    deactivated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (department_id, number)
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    round_id BIGINT NOT NULL REFERENCES rounds(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    name TEXT,
    deactivated_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, village_id)
);
CREATE INDEX teams_department_village ON teams (department_id, village_id, id);

CREATE TABLE team_members (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    cadre_id BIGINT NOT NULL REFERENCES cadres(id),
    is_leader INTEGER NOT NULL DEFAULT 0,
    from_date DATE NOT NULL,
    to_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX team_members_team ON team_members (team_id, id);
CREATE INDEX team_members_cadre ON team_members (cadre_id, from_date);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'department', 'team', 'village_committee', 'regional')),
    office_id BIGINT REFERENCES offices(id),
    village_id BIGINT REFERENCES villages(id),
    cadre_id BIGINT REFERENCES cadres(id),
    password_hash TEXT NOT NULL,
    search_text TEXT NOT NULL,
    disabled_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_department_username ON users (department_id, username, id);
