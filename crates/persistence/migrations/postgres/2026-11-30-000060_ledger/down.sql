DROP TABLE ledger_confirmations;
DROP FUNCTION ledger_confirmations_immutable();
DROP TABLE ledger_entries;
DROP FUNCTION ledger_entries_immutable();
DROP TABLE donors;
