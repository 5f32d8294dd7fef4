-- 合作社: a village's cooperatives, their members with what each contributed, the five rule
-- documents (the day each was adopted, or NULL), the yearly accounts and the surplus
-- distributions (60 % back to members by trade volume, the rest by capital).
CREATE TABLE cooperatives (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    search_text TEXT NOT NULL,
    -- zhucun_domain::cooperative::Kind code.
    kind TEXT NOT NULL,
    founded_on DATE NOT NULL,
    registration_number TEXT,
    rule_investment_on DATE,
    rule_finance_on DATE,
    rule_safety_on DATE,
    rule_members_on DATE,
    rule_wages_on DATE,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (village_id, name)
);
CREATE INDEX cooperatives_department_sort_key ON cooperatives (department_id, sort_key, id);
CREATE INDEX cooperatives_village ON cooperatives (village_id, id);

CREATE TABLE cooperative_members (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    cooperative_id BIGINT NOT NULL REFERENCES cooperatives(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    name TEXT NOT NULL,
    household_id BIGINT REFERENCES households(id),
    joined_on DATE NOT NULL,
    left_on DATE,
    -- Contributions valued in fen.
    cash_fen BIGINT NOT NULL DEFAULT 0,
    land_fen BIGINT NOT NULL DEFAULT 0,
    livestock_fen BIGINT NOT NULL DEFAULT 0,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (cooperative_id, name)
);
CREATE INDEX cooperative_members_cooperative ON cooperative_members (cooperative_id, id);

CREATE TABLE cooperative_years (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    cooperative_id BIGINT NOT NULL REFERENCES cooperatives(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    year INTEGER NOT NULL,
    revenue_fen BIGINT NOT NULL,
    costs_fen BIGINT NOT NULL,
    losses_made_good_fen BIGINT NOT NULL,
    reserves_fen BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (cooperative_id, year)
);

-- A year's distribution, as planned and stored once; its shares per member.
CREATE TABLE cooperative_distributions (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    cooperative_id BIGINT NOT NULL REFERENCES cooperatives(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    year INTEGER NOT NULL,
    distributable_fen BIGINT NOT NULL,
    by_trade_fen BIGINT NOT NULL,
    by_capital_fen BIGINT NOT NULL,
    created_by_username TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (cooperative_id, year)
);
CREATE TABLE distribution_shares (
    id INTEGER PRIMARY KEY,
    distribution_id BIGINT NOT NULL REFERENCES cooperative_distributions(id),
    member_id BIGINT NOT NULL REFERENCES cooperative_members(id),
    trade_fen BIGINT NOT NULL,
    capital_fen BIGINT NOT NULL,
    by_trade_fen BIGINT NOT NULL,
    by_capital_fen BIGINT NOT NULL,
    UNIQUE (distribution_id, member_id)
);
