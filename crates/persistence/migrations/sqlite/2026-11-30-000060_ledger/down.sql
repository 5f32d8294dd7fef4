DROP TABLE ledger_confirmations;
DROP TABLE ledger_entries;
DROP TABLE donors;
