DROP TABLE stats_summary_state;
DROP TABLE stats_summary;
