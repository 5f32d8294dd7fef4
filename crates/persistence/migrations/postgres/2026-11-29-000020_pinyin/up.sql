-- Names sort by pinyin: a key computed in Rust (zhucun_domain::pinyin::sort_key) for every write.
-- Rows already stored get theirs at the next start (the backfill after migrations fills every
-- empty key), since SQL cannot compute pinyin. COLLATE "C": the key is built for bytewise
-- comparison; a linguistic collation ignores the spaces between syllables.
ALTER TABLE villages ADD COLUMN sort_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE cadres ADD COLUMN sort_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE offices ADD COLUMN sort_key TEXT COLLATE "C" NOT NULL DEFAULT '';

-- The name sorts now read the key: the indexes by name have nothing left to serve.
DROP INDEX villages_department_name;
DROP INDEX cadres_department_name;

CREATE INDEX villages_department_sort_key ON villages (department_id, sort_key, id);
CREATE INDEX cadres_department_sort_key ON cadres (department_id, sort_key, id);
CREATE INDEX offices_department_sort_key ON offices (department_id, sort_key, id);
