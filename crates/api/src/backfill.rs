//! Columns derived from a row's other columns that a migration cannot compute in SQL: the pinyin
//! sort key and the search text of villages, cadres and offices. A migration adds such a column
//! empty; at start-up, after migrations, every row with an empty sort key gets its derived columns
//! from the same functions the resources' `values()` use. A name is never empty, so a computed
//! key never is, and later starts find nothing to do (one indexed query per table).

use diesel::Connection;
use zhucun_domain::pinyin::sort_key;
use zhucun_persistence::{cadres, offices, villages, DbConnection};

use crate::routes;

/// Rows fixed per transaction: a large database is filled in bounded steps.
const BATCH: i64 = 500;

/// Fills the derived columns of rows stored before they existed; gives how many rows changed.
pub fn derived_columns(conn: &mut DbConnection) -> diesel::QueryResult<usize> {
    let mut total = 0;
    loop {
        let n = conn.transaction(|conn| {
            let mut n = 0;
            for r in villages::without_sort_key(conn, BATCH)? {
                let search = routes::villages::search_text(
                    &r.name,
                    r.name_bo.as_deref(),
                    &r.prefecture,
                    &r.county,
                    r.township.as_deref(),
                    r.code.as_deref(),
                );
                villages::set_derived(conn, r.id, &sort_key(&r.name), &search)?;
                n += 1;
            }
            for r in cadres::without_sort_key(conn, BATCH)? {
                let search = routes::cadres::search_text(
                    &r.name,
                    r.name_bo.as_deref(),
                    r.position.as_deref(),
                );
                cadres::set_derived(conn, r.id, &sort_key(&r.name), &search)?;
                n += 1;
            }
            for r in offices::without_sort_key(conn, BATCH)? {
                let search = routes::offices::search_text(&r.name);
                offices::set_derived(conn, r.id, &sort_key(&r.name), &search)?;
                n += 1;
            }
            diesel::QueryResult::Ok(n)
        })?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}
