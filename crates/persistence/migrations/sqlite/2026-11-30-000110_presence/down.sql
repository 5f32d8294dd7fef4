DROP TRIGGER IF EXISTS handovers_signed_no_delete;
DROP TRIGGER IF EXISTS handovers_signed_no_update;
DROP TABLE handovers;
DROP TABLE leave_requests;
DROP TABLE presence_days;
