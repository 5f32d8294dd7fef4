//! Versioned tables: rows carry a `version` that every update bumps, so two people editing the
//! same row cannot overwrite each other (the API turns versions into `ETag`/`If-Match`).
//!
//! [`Versioned`] is what the API's record kit needs of a table; [`versioned_table!`] writes it
//! for the common shape (a department's rows with `id`, `department_id`, `version`, `created_at`,
//! `updated_at`, and a `Values` struct of every column a create or an update writes).

use crate::DbConnection;
use chrono::NaiveDateTime;
use diesel::QueryResult;

pub trait Versioned {
    /// The row as loaded.
    type Row: Clone + Send + 'static;
    /// Every column a create or an update writes; compared to tell "nothing changed".
    type Values: PartialEq + Send + 'static;

    fn id(row: &Self::Row) -> i64;
    fn version(row: &Self::Row) -> i32;
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<Self::Row>;
    /// The values as stored now.
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<Self::Values>;
    /// Writes when the row still has `version`; `Ok(None)` when someone changed it meanwhile.
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &Self::Values,
        now: NaiveDateTime,
    ) -> QueryResult<Option<Self::Row>>;
}

/// A versioned table whose rows are created from their values alone (users are not: they are
/// created with their credentials).
pub trait Creatable: Versioned {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &Self::Values,
        now: NaiveDateTime,
    ) -> QueryResult<Self::Row>;

    /// Creates many rows at once (the spreadsheet import), in the order given: the tables of
    /// [`versioned_table!`] and households with multi-row `INSERT … RETURNING`, others one by one.
    /// The caller keeps a batch within the backends' bind-parameter limits (a few hundred rows).
    fn insert_many(
        conn: &mut DbConnection,
        department_id: i64,
        values: &[&Self::Values],
        now: NaiveDateTime,
    ) -> QueryResult<Vec<Self::Row>> {
        values
            .iter()
            .map(|v| Self::insert(conn, department_id, v, now))
            .collect()
    }
}

/// A versioned table whose rows may be removed (a row entered by mistake), guarded by the version
/// like an update.
pub trait Deletable: Versioned {
    /// Deletes the row when it still has `version`; `Ok(false)` when someone changed it meanwhile.
    fn delete(conn: &mut DbConnection, id: i64, version: i32) -> QueryResult<bool>;
}

/// Declares `pub struct $name` implementing [`Versioned`] for `$table`, plus the module-level
/// functions `get`, `stored`, `insert` and `update` with the same meaning.
#[macro_export]
macro_rules! versioned_table {
    ($name:ident, $table:ident, $row:ty, $values:ty) => {
        /// This table as a versioned table (see `zhucun_persistence::versioned`).
        pub struct $name;

        impl $crate::versioned::Versioned for $name {
            type Row = $row;
            type Values = $values;

            fn id(row: &$row) -> i64 {
                row.id
            }
            fn version(row: &$row) -> i32 {
                row.version
            }
            fn get(conn: &mut $crate::DbConnection, id: i64) -> diesel::QueryResult<$row> {
                get(conn, id)
            }
            fn stored(conn: &mut $crate::DbConnection, id: i64) -> diesel::QueryResult<$values> {
                stored(conn, id)
            }
            fn update(
                conn: &mut $crate::DbConnection,
                id: i64,
                version: i32,
                values: &$values,
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<Option<$row>> {
                update(conn, id, version, values, now)
            }
        }

        impl $crate::versioned::Creatable for $name {
            fn insert(
                conn: &mut $crate::DbConnection,
                department_id: i64,
                values: &$values,
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<$row> {
                insert(conn, department_id, values, now)
            }
            fn insert_many(
                conn: &mut $crate::DbConnection,
                department_id: i64,
                values: &[&$values],
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<Vec<$row>> {
                use diesel::prelude::*;
                use $crate::schema::$table as t;
                if values.is_empty() {
                    return Ok(Vec::new());
                }
                let records: Vec<_> = values
                    .iter()
                    .map(|v| {
                        (
                            *v,
                            t::department_id.eq(department_id),
                            t::version.eq(1),
                            t::created_at.eq(now),
                            t::updated_at.eq(now),
                        )
                    })
                    .collect();
                // RETURNING's order is not promised (SQLite says so); ids follow the VALUES.
                // diesel's MultiConnection has no multi-row INSERT: each backend's own.
                let mut rows: Vec<$row> = $crate::on_backend!(conn, |c| {
                    diesel::insert_into(t::table)
                        .values(records)
                        .returning(<$row>::as_returning())
                        .get_results(c)?
                });
                rows.sort_by_key(|r| r.id);
                Ok(rows)
            }
        }

        pub fn get(conn: &mut $crate::DbConnection, id: i64) -> diesel::QueryResult<$row> {
            use diesel::prelude::*;
            // On the backend's own connection: its statement cache then finds the statement by
            // the query's type, where the two-backend connection renders the SQL text anew on
            // every call to look it up (a point read is the hottest query there is).
            $crate::on_backend!(conn, |c| {
                $crate::schema::$table::table
                    .find(id)
                    .select(<$row>::as_select())
                    .first(c)
            })
        }

        /// The values as stored, to compare with an update's.
        pub fn stored(conn: &mut $crate::DbConnection, id: i64) -> diesel::QueryResult<$values> {
            use diesel::prelude::*;
            $crate::schema::$table::table
                .find(id)
                .select(<$values>::as_select())
                .first(conn)
        }

        pub fn insert(
            conn: &mut $crate::DbConnection,
            department_id: i64,
            values: &$values,
            now: chrono::NaiveDateTime,
        ) -> diesel::QueryResult<$row> {
            use diesel::prelude::*;
            use $crate::schema::$table as t;
            let id: i64 = diesel::insert_into(t::table)
                .values((
                    values,
                    t::department_id.eq(department_id),
                    t::version.eq(1),
                    t::created_at.eq(now),
                    t::updated_at.eq(now),
                ))
                .returning(t::id)
                .get_result(conn)?;
            get(conn, id)
        }

        /// Writes the new values when the row still has `version`; `Ok(None)` when it changed.
        pub fn update(
            conn: &mut $crate::DbConnection,
            id: i64,
            version: i32,
            values: &$values,
            now: chrono::NaiveDateTime,
        ) -> diesel::QueryResult<Option<$row>> {
            use diesel::prelude::*;
            use $crate::schema::$table as t;
            let n = diesel::update(t::table.filter(t::id.eq(id).and(t::version.eq(version))))
                .set((values, t::version.eq(version + 1), t::updated_at.eq(now)))
                .execute(conn)?;
            if n == 0 {
                return Ok(None);
            }
            get(conn, id).map(Some)
        }
    };
}

/// For tables with columns derived from a row's other columns (the pinyin `sort_key` and the
/// `search_text`), which a migration cannot compute in SQL: `without_sort_key` gives a batch of
/// rows stored before the key existed, `set_derived` writes both columns without a new version
/// (nothing a user wrote changes). The start-up backfill uses them.
#[macro_export]
macro_rules! derived_columns {
    ($table:ident, $row:ty) => {
        /// Rows whose sort key is not yet computed, a batch at a time.
        pub fn without_sort_key(
            conn: &mut $crate::DbConnection,
            limit: i64,
        ) -> diesel::QueryResult<Vec<$row>> {
            use diesel::prelude::*;
            use $crate::schema::$table as t;
            t::table
                .filter(t::sort_key.eq(""))
                .order_by(t::id)
                .limit(limit)
                .select(<$row>::as_select())
                .load(conn)
        }

        /// Writes the derived columns of one row.
        pub fn set_derived(
            conn: &mut $crate::DbConnection,
            id: i64,
            sort_key: &str,
            search_text: &str,
        ) -> diesel::QueryResult<()> {
            use diesel::prelude::*;
            use $crate::schema::$table as t;
            diesel::update(t::table.find(id))
                .set((t::sort_key.eq(sort_key), t::search_text.eq(search_text)))
                .execute(conn)?;
            Ok(())
        }
    };
}
