DROP INDEX presence_days_day_cadre;
DROP INDEX needs_closed_on_village;
DROP INDEX activities_held_on_village;
DROP INDEX ledger_entry_date_village;
DROP INDEX projects_year_village;
DROP INDEX assistance_given_on_village;
DROP INDEX pairings_year_village;
