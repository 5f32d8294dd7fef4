-- 结对认亲: a cadre paired with a household for a year. Many-to-many: a cadre may pair with several
-- households and a household may have several cadres; the same pair once per year.
-- village_id is the household's village, copied so lists and coverage filter by village with an index.
CREATE TABLE pairings (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    cadre_id BIGINT NOT NULL REFERENCES cadres(id),
    year INTEGER NOT NULL,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (household_id, cadre_id, year)
);
CREATE INDEX pairings_department_year ON pairings (department_id, year, id);
CREATE INDEX pairings_cadre_year ON pairings (cadre_id, year);
CREATE INDEX pairings_village_year ON pairings (village_id, year, household_id);

-- 帮扶: what a cadre gave a household. Money and the value of goods in fen; a service may be 0.
CREATE TABLE assistance (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    cadre_id BIGINT NOT NULL REFERENCES cadres(id),
    given_on DATE NOT NULL,
    kind TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    description TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX assistance_department_given_on ON assistance (department_id, given_on, id);
CREATE INDEX assistance_household_given_on ON assistance (household_id, given_on, id);
CREATE INDEX assistance_cadre_given_on ON assistance (cadre_id, given_on, id);
CREATE INDEX assistance_village_given_on ON assistance (village_id, given_on, id);
