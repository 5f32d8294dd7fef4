-- Region-wide statistics (/stats/*) read from a summary refreshed from the modules' rows, not
-- from those rows on every request: one row per place and year with its figures (compact JSON,
-- written and read only by crates/api/src/stats_summary.rs), and the time the summary was taken.
-- A place is the region (level 'region'), a department (its id), a prefecture, a county (under
-- its prefecture) or a village (its id, under its county). Places and years without figures have
-- no row.
CREATE TABLE stats_summary (
    level TEXT NOT NULL,
    year INTEGER NOT NULL,
    parent TEXT NOT NULL,
    place TEXT NOT NULL,
    figures TEXT NOT NULL,
    PRIMARY KEY (level, year, parent, place)
);
-- One row (id 1): when the summary was taken (UTC), the newest audit entry it includes (the
-- writes since then make it stale) and the layout of its figures (a new layout rebuilds it).
CREATE TABLE stats_summary_state (
    id INTEGER PRIMARY KEY,
    as_of TIMESTAMP NOT NULL,
    watermark BIGINT NOT NULL,
    layout INTEGER NOT NULL
);
