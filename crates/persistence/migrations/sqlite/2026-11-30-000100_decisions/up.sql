-- 四议两公开 and 村务公开. A department sets the quorum of the villagers' (representatives')
-- meeting (percent of those entitled present) and the days a resolution must be disclosed in.
ALTER TABLE departments ADD COLUMN villagers_quorum_percent INTEGER NOT NULL DEFAULT 50;
ALTER TABLE departments ADD COLUMN major_disclosure_days INTEGER NOT NULL DEFAULT 7;

-- A village matter decided by the six steps (zhucun_domain::decision). The status and the last
-- step change only by recording a step (POST /decisions/{id}/steps).
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    project_id BIGINT REFERENCES projects(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    estimated_amount_fen BIGINT,
    -- The day the matter was put on record; the year filter reads it.
    raised_on DATE NOT NULL,
    -- zhucun_domain::decision::Status code: in_progress, rejected, completed.
    status TEXT NOT NULL,
    -- 0 before the first step, then 1–6.
    last_step INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX decisions_department_raised ON decisions (department_id, raised_on, id);
CREATE INDEX decisions_village_raised ON decisions (village_id, raised_on, id);
CREATE INDEX decisions_department_status ON decisions (department_id, status, raised_on, id);
CREATE INDEX decisions_project ON decisions (project_id);

-- 村务公开: a disclosure of a village. draft → published → withdrawn (with a reason; it stays
-- visible as withdrawn). A decision's steps 5 and 6 make one of category 'decision'.
CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    -- zhucun_domain::disclosure::Category code: general, finance, major, decision.
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    -- zhucun_domain::disclosure::Status code: draft, published, withdrawn.
    status TEXT NOT NULL,
    -- The day (Asia/Shanghai) it was published, and the moment.
    published_on DATE,
    published_at TIMESTAMP,
    withdrawn_at TIMESTAMP,
    withdrawal_reason TEXT,
    decision_id BIGINT REFERENCES decisions(id),
    decision_step INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX disclosures_department_period ON disclosures (department_id, period_from, id);
CREATE INDEX disclosures_village_period ON disclosures (village_id, period_from, id);
CREATE INDEX disclosures_village_status ON disclosures (village_id, status, period_from, id);
CREATE INDEX disclosures_department_status ON disclosures (department_id, status, period_from, id);
CREATE INDEX disclosures_department_category ON disclosures (department_id, category, period_from, id);
CREATE INDEX disclosures_decision ON disclosures (decision_id);

-- One record per step of a decision: the day, who came and how they voted, what the
-- arithmetic said, the notes, and the disclosure a publishing step made. Never changed.
CREATE TABLE decision_steps (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    step INTEGER NOT NULL,
    held_on DATE NOT NULL,
    entitled BIGINT,
    present BIGINT,
    in_favour BIGINT,
    against BIGINT,
    -- 0/1 for a voting step (3, 4), else NULL.
    quorate INTEGER,
    passed INTEGER,
    notes TEXT,
    disclosure_id BIGINT REFERENCES disclosures(id),
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (decision_id, step)
);
