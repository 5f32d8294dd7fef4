//! Black-box tests of the API, in-process, every one on SQLite and on PostgreSQL.

// Tests fail by panicking; that is what they are for.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod access;
mod activities;
mod api_clients;
mod assistance;
mod auth;
mod common;
mod conventions;
mod cooperatives;
mod decisions;
mod disclosures;
mod divisions;
mod exports;
mod fixtures;
mod handovers;
mod hardening;
mod households;
mod imports;
mod ledger;
mod needs;
mod operations;
mod organisation;
mod pairings;
mod pinyin;
mod presence;
mod problems;
mod projects;
mod reports;
mod stats;
mod surveys;
mod totals;
