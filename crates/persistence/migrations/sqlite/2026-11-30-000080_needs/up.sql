-- 群众诉求: a difficulty residents raised (a broken well, a road, medicine), who raised it, and
-- where it stands: open → in_progress → resolved / declined. The status changes only by a
-- transition (POST /needs/{id}/transitions), which also writes the resolution or the reason.
CREATE TABLE needs (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    -- Raised by a household of the village, or by someone named in free text (one of the two).
    household_id BIGINT REFERENCES households(id),
    raised_by TEXT,
    raised_on DATE NOT NULL,
    -- zhucun_domain::need::Category code.
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    search_text TEXT NOT NULL,
    due_on DATE,
    project_id BIGINT REFERENCES projects(id),
    -- zhucun_domain::need::Status code.
    status TEXT NOT NULL,
    -- '0' + raised_on while open or in progress, '1' + raised_on after: the queue's order
    -- (oldest open first), kept by every write.
    queue_key TEXT NOT NULL,
    resolution TEXT,
    satisfaction TEXT,
    decline_reason TEXT,
    -- The day (Asia/Shanghai) it was resolved or declined.
    closed_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX needs_department_queue ON needs (department_id, queue_key, id);
CREATE INDEX needs_department_raised ON needs (department_id, raised_on, id);
CREATE INDEX needs_village_queue ON needs (village_id, queue_key, id);
CREATE INDEX needs_department_status ON needs (department_id, status, due_on);
CREATE INDEX needs_department_closed ON needs (department_id, closed_on);
CREATE INDEX needs_household ON needs (household_id);
CREATE INDEX needs_project ON needs (project_id);
