//! zhucun's storage: one diesel schema for SQLite and PostgreSQL, row models separate from the API's
//! types, and query functions that take `&mut DbConnection` so they compose inside a transaction.

pub mod activities;
pub mod api_clients;
pub mod assistance;
pub mod audit;
pub mod cadres;
pub mod constraints;
pub mod cooperatives;
pub mod db;
pub mod decisions;
pub mod departments;
pub mod disclosures;
pub mod donors;
pub mod handovers;
pub mod households;
pub mod idempotency;
pub mod idempotency_expiry;
pub mod imports;
pub mod keyset;
pub mod ledger;
pub mod login_cache;
pub mod members;
pub mod migrations;
pub mod needs;
pub mod offices;
pub mod pairings;
pub mod presence;
pub mod projects;
pub mod report_years;
pub mod reports;
pub mod rounds;
pub mod schema;
pub mod sessions;
pub mod stamp;
pub mod stats;
pub mod stats_summary;
pub mod surveys;
pub mod teams;
pub mod throttle;
pub mod total;
pub mod users;
pub mod versioned;
pub mod villages;

pub use db::{connection_lost, DatabaseUrl, Db, DbConnection, DbError};

/// The backend of [`DbConnection`] (boxed queries name it).
pub type Backend = <DbConnection as diesel::Connection>::Backend;
pub use versioned::{Creatable, Deletable, Versioned};

/// Now, in UTC, at the precision both backends keep (microseconds).
pub fn now() -> chrono::NaiveDateTime {
    let n = chrono::Utc::now().naive_utc();
    n.with_nanosecond_floor()
}

trait MicrosFloor {
    fn with_nanosecond_floor(self) -> Self;
}

impl MicrosFloor for chrono::NaiveDateTime {
    fn with_nanosecond_floor(self) -> Self {
        use chrono::Timelike;
        let micros = self.nanosecond() / 1_000 * 1_000;
        self.with_nanosecond(micros).unwrap_or(self)
    }
}

/// One page of a list: the rows, whether more follow, and on the first page the list's total.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
    pub total: Option<total::Total>,
}

impl<T> Page<T> {
    /// Cuts a result fetched with `limit + 1` rows into a page.
    pub fn from_overfetch(mut items: Vec<T>, limit: i64) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let has_more = items.len() > limit;
        items.truncate(limit);
        Self {
            items,
            has_more,
            total: None,
        }
    }

    pub fn with_total(self, total: Option<total::Total>) -> Self {
        Self { total, ..self }
    }
}
