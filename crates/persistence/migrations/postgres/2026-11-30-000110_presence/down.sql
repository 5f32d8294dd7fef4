DROP TABLE handovers;
DROP FUNCTION handovers_signed_immutable();
DROP TABLE leave_requests;
DROP TABLE presence_days;
