-- 农牧户: the households a team helps. Personal data (names, phone) — no national ID numbers.
-- `category`/`monitoring_type`/`category_since` are the current entry of the category history
-- (household_categories), kept beside the row so lists filter by an index; both are written in one
-- transaction and the history is never updated or deleted.
CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    head_name TEXT NOT NULL,
    head_name_bo TEXT,
    sort_key TEXT NOT NULL,
    search_text TEXT NOT NULL,
    members INTEGER NOT NULL,
    member_names TEXT,
    phone TEXT,
    address TEXT,
    category TEXT NOT NULL,
    monitoring_type TEXT,
    category_since DATE NOT NULL,
    -- Coded causes of poverty (zhucun_domain::household::Cause), comma-separated, sorted, no repeats.
    causes TEXT NOT NULL DEFAULT '',
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX households_department_sort_key ON households (department_id, sort_key, id);
CREATE INDEX households_village_sort_key ON households (village_id, sort_key, id);
CREATE INDEX households_department_category ON households (department_id, category, id);

-- The category history: one row per change, from the date it holds. Append-only.
CREATE TABLE household_categories (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    category TEXT NOT NULL,
    monitoring_type TEXT,
    since DATE NOT NULL,
    note TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX household_categories_household ON household_categories (household_id, since, id);

-- 两不愁三保障 + safe drinking water, once per household per year: each item met (1) / not met (0).
CREATE TABLE household_checks (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    year INTEGER NOT NULL,
    food INTEGER NOT NULL,
    food_note TEXT,
    clothing INTEGER NOT NULL,
    clothing_note TEXT,
    education INTEGER NOT NULL,
    education_note TEXT,
    medical INTEGER NOT NULL,
    medical_note TEXT,
    housing INTEGER NOT NULL,
    housing_note TEXT,
    water INTEGER NOT NULL,
    water_note TEXT,
    -- How many of the six items are not met (written with the row, so "who has an unmet item" is an index read).
    unmet INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (household_id, year)
);
CREATE INDEX household_checks_department_year_unmet ON household_checks (department_id, year, unmet, id);

-- The history is append-only, whatever the application does (like the audit trail).
CREATE TRIGGER household_categories_no_update BEFORE UPDATE ON household_categories
BEGIN SELECT RAISE(ABORT, 'household category history is append-only'); END;
CREATE TRIGGER household_categories_no_delete BEFORE DELETE ON household_categories
BEGIN SELECT RAISE(ABORT, 'household category history is append-only'); END;
