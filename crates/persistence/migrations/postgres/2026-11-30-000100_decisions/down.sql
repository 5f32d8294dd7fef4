DROP TABLE decision_steps;
DROP TABLE disclosures;
DROP TABLE decisions;
ALTER TABLE departments DROP COLUMN major_disclosure_days;
ALTER TABLE departments DROP COLUMN villagers_quorum_percent;
