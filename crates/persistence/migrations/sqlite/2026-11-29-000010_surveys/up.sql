-- 村情调研: one survey per village per year. Areas in tenths of a 亩, money in fen.
CREATE TABLE village_surveys (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    year INTEGER NOT NULL,
    population BIGINT NOT NULL,
    households BIGINT NOT NULL,
    poor_households BIGINT NOT NULL,
    marginal_households BIGINT NOT NULL,
    pasture_mu_tenths BIGINT NOT NULL,
    cultivated_mu_tenths BIGINT NOT NULL,
    yaks BIGINT NOT NULL,
    sheep BIGINT NOT NULL,
    goats BIGINT NOT NULL,
    horses BIGINT NOT NULL,
    other_livestock BIGINT NOT NULL,
    per_capita_income_fen BIGINT NOT NULL,
    collective_income_fen BIGINT NOT NULL,
    main_industries TEXT,
    report TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (village_id, year)
);
CREATE INDEX village_surveys_department_year ON village_surveys (department_id, year, id);
