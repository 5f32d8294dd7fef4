//! Migrations, one folder per backend with the same names (a test checks), embedded in the binary.

use crate::db::{DbConnection, DbError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs `f` while holding the installation-wide set-up lock: on PostgreSQL an advisory lock, so
/// instances starting together migrate and seed one after another; SQLite's single writer
/// connection already serialises them.
pub fn with_setup_lock<T, E: From<DbError>>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::connection::SimpleConnection;
    const KEY: &str = "7261626";
    let is_pg = matches!(conn, DbConnection::Pg(_));
    if is_pg {
        conn.batch_execute(&format!("SELECT pg_advisory_lock({KEY})"))
            .map_err(|e| E::from(DbError::Setup(e)))?;
    }
    let result = f(conn);
    if is_pg {
        if let Err(e) = conn.batch_execute(&format!("SELECT pg_advisory_unlock({KEY})")) {
            tracing::warn!(error = %e, "could not release the set-up lock; it ends with the connection");
        }
    }
    result
}

/// SQLite: an exclusive lock on `<file>.setup-lock` beside the database, held (until the returned
/// file is dropped) while migrating and seeding. Two processes started together on one new file set
/// it up one after the other: the second waits, then finds the work done, instead of failing on a
/// UNIQUE constraint halfway through the demo data. (PostgreSQL: `with_setup_lock`'s advisory lock.)
pub fn sqlite_setup_lock(db_file: &std::path::Path) -> Result<std::fs::File, DbError> {
    let mut name = db_file.as_os_str().to_owned();
    name.push(".setup-lock");
    let path = std::path::PathBuf::from(name);
    let lock = || -> std::io::Result<std::fs::File> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        file.lock()?;
        Ok(file)
    };
    lock().map_err(|source| DbError::Lock {
        path: path.clone(),
        source,
    })
}

/// Applies every pending migration; returns the names applied.
pub fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let applied = match conn {
        DbConnection::Pg(c) => c
            .run_pending_migrations(POSTGRES)
            .map(|v| v.iter().map(|m| m.to_string()).collect()),
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map(|v| v.iter().map(|m| m.to_string()).collect()),
    };
    applied.map_err(|e| DbError::Migration(e.to_string()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    fn names(folder: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(folder);
        let mut out = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            for file in ["up.sql", "down.sql"] {
                assert!(
                    entry.path().join(file).is_file(),
                    "{folder}/{name} lacks {file}"
                );
            }
            out.insert(name);
        }
        out
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = names("sqlite");
        let postgres = names("postgres");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres, "migration folders drifted apart");
    }
}
