-- 捐赠方: the department's donors, reused across ledger entries.
CREATE TABLE donors (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    search_text TEXT NOT NULL,
    -- zhucun_domain::ledger::DonorKind code.
    kind TEXT NOT NULL,
    contact TEXT,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (department_id, name)
);
CREATE INDEX donors_department_sort_key ON donors (department_id, sort_key, id);

-- 资金台账: money and goods reaching a village, and what is spent. Rows are never changed or
-- removed (triggers refuse it): a mistake is corrected by a reversal, a negative entry pointing
-- at the original (at most one: the UNIQUE on reverses_id).
CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    project_id BIGINT REFERENCES projects(id),
    entry_date DATE NOT NULL,
    -- zhucun_domain::ledger::Kind / Source codes.
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    donor_id BIGINT REFERENCES donors(id),
    -- Goods in kind: what, how many (whole thousandths of the unit), which unit.
    item TEXT,
    quantity_milli BIGINT,
    unit TEXT,
    -- Fen; negative exactly for a reversal.
    amount_fen BIGINT NOT NULL,
    evidence TEXT,
    reverses_id BIGINT UNIQUE REFERENCES ledger_entries(id),
    reversal_reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_by_username TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK ((reverses_id IS NULL AND amount_fen > 0) OR (reverses_id IS NOT NULL AND amount_fen < 0))
);
CREATE INDEX ledger_department_date ON ledger_entries (department_id, entry_date, id);
CREATE INDEX ledger_department_amount ON ledger_entries (department_id, amount_fen, id);
CREATE INDEX ledger_village_date ON ledger_entries (village_id, entry_date, id);
CREATE INDEX ledger_project ON ledger_entries (project_id, kind);
CREATE INDEX ledger_donor ON ledger_entries (donor_id, id);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END;

-- The village committee's confirmation of receipt: one per entry, never changed.
CREATE TABLE ledger_confirmations (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    entry_id BIGINT NOT NULL UNIQUE REFERENCES ledger_entries(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    username TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE TRIGGER ledger_confirmations_no_update BEFORE UPDATE ON ledger_confirmations
BEGIN SELECT RAISE(ABORT, 'ledger confirmations are immutable'); END;
CREATE TRIGGER ledger_confirmations_no_delete BEFORE DELETE ON ledger_confirmations
BEGIN SELECT RAISE(ABORT, 'ledger confirmations are immutable'); END;
