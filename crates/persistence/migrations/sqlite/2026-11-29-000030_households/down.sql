DROP TRIGGER IF EXISTS household_categories_no_delete;
DROP TRIGGER IF EXISTS household_categories_no_update;
DROP TABLE household_checks;
DROP TABLE household_categories;
DROP TABLE households;
