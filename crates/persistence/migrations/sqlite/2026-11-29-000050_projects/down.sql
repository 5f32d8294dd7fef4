DROP TRIGGER IF EXISTS project_events_no_delete;
DROP TRIGGER IF EXISTS project_events_no_update;
DROP TABLE project_events;
DROP TABLE projects;
