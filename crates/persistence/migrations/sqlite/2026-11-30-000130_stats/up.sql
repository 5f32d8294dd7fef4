-- Region-wide statistics (/stats/*) filter by year or day across every department and group by
-- village: these indexes lead with what they filter on and carry the village.
CREATE INDEX villages_prefecture_county ON villages (prefecture, county, id);
CREATE INDEX villages_county ON villages (county, id);
CREATE INDEX pairings_year_village ON pairings (year, village_id, household_id);
CREATE INDEX assistance_given_on_village ON assistance (given_on, village_id);
CREATE INDEX projects_year_village ON projects (year, village_id);
CREATE INDEX ledger_entries_entry_date_village ON ledger_entries (entry_date, village_id);
CREATE INDEX activities_held_on_village ON activities (held_on, village_id);
CREATE INDEX needs_status_closed_village ON needs (status, closed_on, village_id);
CREATE INDEX presence_days_day_cadre ON presence_days (day, cadre_id);
CREATE INDEX teams_round_village ON teams (round_id, village_id);
CREATE INDEX rounds_starts_ends ON rounds (starts_on, ends_on);
