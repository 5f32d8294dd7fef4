-- 驻村考勤: a cadre's day in the village or away (with a reason), optionally what was done (the
-- 驻村日志). One record per cadre per day (UNIQUE). No GPS, photos or online time: by design.
CREATE TABLE presence_days (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    team_member_id BIGINT NOT NULL REFERENCES team_members(id),
    cadre_id BIGINT NOT NULL REFERENCES cadres(id),
    day DATE NOT NULL,
    -- zhucun_domain::presence::Status / Reason codes.
    status TEXT NOT NULL,
    reason TEXT,
    log TEXT,
    recorded_by BIGINT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (cadre_id, day)
);
CREATE INDEX presence_days_team_day ON presence_days (team_id, day, id);
CREATE INDEX presence_days_member_day ON presence_days (team_member_id, day, id);
CREATE INDEX presence_days_department_day ON presence_days (department_id, day, id);

-- 请假: a leave request for a range of days; decided (approved or refused) once, by whom and when.
CREATE TABLE leave_requests (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    team_member_id BIGINT NOT NULL REFERENCES team_members(id),
    cadre_id BIGINT NOT NULL REFERENCES cadres(id),
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    days INTEGER NOT NULL,
    -- zhucun_domain::presence::Reason code.
    reason TEXT NOT NULL,
    note TEXT,
    -- zhucun_domain::presence::LeaveStatus code.
    status TEXT NOT NULL,
    requested_by BIGINT REFERENCES users(id),
    decided_by BIGINT REFERENCES users(id),
    decided_by_name TEXT,
    decided_at TIMESTAMP,
    decision_note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX leave_requests_team ON leave_requests (team_id, from_date, id);
CREATE INDEX leave_requests_cadre ON leave_requests (cadre_id, from_date, id);
CREATE INDEX leave_requests_department_status ON leave_requests (department_id, status, from_date, id);

-- 交接: the outgoing team's handover to the next round's team of the same village. `content` is
-- the drafted snapshot (JSON sections), `documents` the JSON list of documents handed over.
-- Signed, it never changes again (the triggers).
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    village_id BIGINT NOT NULL REFERENCES villages(id),
    outgoing_team_id BIGINT NOT NULL UNIQUE REFERENCES teams(id),
    incoming_team_id BIGINT NOT NULL REFERENCES teams(id),
    -- zhucun_domain::handover::Status code.
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    documents TEXT NOT NULL,
    drafted_at TIMESTAMP NOT NULL,
    drafted_by BIGINT REFERENCES users(id),
    signed_by BIGINT REFERENCES users(id),
    signed_by_name TEXT,
    signed_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX handovers_incoming ON handovers (incoming_team_id);
CREATE INDEX handovers_department ON handovers (department_id, village_id, id);
CREATE TRIGGER handovers_signed_no_update BEFORE UPDATE ON handovers
WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed handover is immutable'); END;
CREATE TRIGGER handovers_signed_no_delete BEFORE DELETE ON handovers
WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed handover is immutable'); END;
