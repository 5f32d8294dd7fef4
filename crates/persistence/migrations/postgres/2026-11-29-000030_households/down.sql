DROP TABLE household_checks;
DROP TABLE household_categories;
DROP TABLE households;
