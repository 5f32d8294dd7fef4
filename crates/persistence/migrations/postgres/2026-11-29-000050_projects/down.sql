DROP TABLE project_events;
DROP FUNCTION project_events_append_only();
DROP TABLE projects;
