DROP INDEX offices_department_sort_key;
DROP INDEX cadres_department_sort_key;
DROP INDEX villages_department_sort_key;

CREATE INDEX villages_department_name ON villages (department_id, name, id);
CREATE INDEX cadres_department_name ON cadres (department_id, name, id);

ALTER TABLE offices DROP COLUMN sort_key;
ALTER TABLE cadres DROP COLUMN sort_key;
ALTER TABLE villages DROP COLUMN sort_key;
