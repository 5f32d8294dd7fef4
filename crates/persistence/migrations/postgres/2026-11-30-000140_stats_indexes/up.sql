-- Region-wide statistics (/stats/*, issue 13): every figure of a year over every village is one
-- grouped query filtered by the year alone (no department), so each table the statistics read gets
-- an index that leads with the year or date and carries the grouped and summed columns (an
-- index-only scan on PostgreSQL once vacuumed). Measured on `zhucun generate` at region scale
-- (5,541 villages, 15 years): bench/README.md.
CREATE INDEX pairings_year_village ON pairings (year, village_id, household_id);
CREATE INDEX assistance_given_on_village ON assistance (given_on, village_id, household_id, amount_fen);
CREATE INDEX projects_year_village ON projects (year, village_id, stage, category, budget_fen);
CREATE INDEX ledger_entry_date_village ON ledger_entries (entry_date, village_id, source, kind, amount_fen);
CREATE INDEX activities_held_on_village ON activities (held_on, village_id, kind, participants, beneficiaries);
CREATE INDEX needs_closed_on_village ON needs (closed_on, village_id, status);
CREATE INDEX presence_days_day_cadre ON presence_days (day, cadre_id, status);
