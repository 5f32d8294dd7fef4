DROP TRIGGER IF EXISTS household_categories_no_change ON household_categories;
DROP FUNCTION IF EXISTS household_categories_append_only();
DROP TABLE household_checks;
DROP TABLE household_categories;
DROP TABLE households;
