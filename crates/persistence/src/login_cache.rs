//! The login checks a process has made (session ⋈ user ⋈ department), kept so that a request whose
//! check has not changed needs no query of its own for it, without delaying a logout, a password
//! change, a disabled user or a changed operator flag by even one request.
//!
//! What tells a cached check is stale is the database itself, through the triggers of migration
//! 000150 on `sessions`, `users` and `departments` (so a change made by another instance, the CLI
//! or an operator's SQL counts as much as one made here):
//!
//! * **PostgreSQL**: the triggers notify the channel `zhucun_login`; every pooled connection listens
//!   on it. A notice is written to every listening connection at commit, ahead of the answer to any
//!   query sent on it later, so once the request's own query has been answered, the notices already
//!   read from that connection tell whether anything changed before it ran: the request checks
//!   them **after** its work ([`LoginCache::after`]) and, if any arrived, checks the login again
//!   from the tables and redoes the work. A connection opened now did not hear what happened
//!   before it listened: opening one forgets every cached check.
//! * **SQLite**: the triggers count changes in `login_epoch`; the request reads the count **before**
//!   using the cache ([`LoginCache::before`], one small read in the trip it makes anyway). That read
//!   is skipped while nothing at all has been committed to the database since the count was last
//!   read, which SQLite's WAL index says without a query or a lock: its header (the first 48 bytes
//!   of the `-shm` file, shared by every connection of every process) holds a counter that each
//!   commit moves ("iChange", <https://www.sqlite.org/walformat.html>), and it is what SQLite's
//!   own readers compare to know whether the database changed under them. One `pread` of those
//!   bytes replaces a read transaction (a lock and an unlock) and a statement. The header is read
//!   before the count and kept with it, so a commit between the two shows as a changed header
//!   next time; any doubt (a short read, no WAL) reads the count. A connection of the cache's own
//!   keeps the database open for the life of the process, so SQLite never removes or truncates the
//!   `-shm` file under it (it does so only when the last connection closes or a first one opens).
//!
//! Each cached check carries the generation it was read in; anything that may have changed a login
//! moves the generation on, and a check of an older generation is never used.

use crate::db::DbConnection;
use crate::sessions::SessionUser;
use diesel::prelude::*;
use diesel::QueryResult;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The PostgreSQL channel the triggers notify.
pub const CHANNEL: &str = "zhucun_login";

/// At most this many checks are kept; past it the cache starts again empty (a department's users
/// are far fewer; the bound only keeps a flood of distinct logins from growing it).
const CAPACITY: usize = 10_000;

/// See the module documentation. One per [`crate::Db`], shared by its pools' connections.
#[derive(Debug, Default)]
pub struct LoginCache {
    generation: AtomicU64,
    /// SQLite: the last `login_epoch` count seen (it starts at 0 with an empty cache: nothing
    /// to forget before the first change).
    epoch: AtomicI64,
    /// SQLite: how many times the count was read (tests and the bench look at it).
    epoch_reads: AtomicU64,
    /// SQLite in WAL mode: the WAL index header, to skip reading the count when nothing changed.
    wal: OnceLock<WalWatch>,
    checks: Mutex<HashMap<String, Cached>>,
}

/// The first copy of SQLite's WAL index header (`-shm` file, offset 0).
type WalHeader = [u8; 48];

/// The `-shm` file of a SQLite database in WAL mode, opened for reading, with the header seen
/// when the count was last read, and the connection that keeps the file in place.
struct WalWatch {
    shm: std::fs::File,
    seen: Mutex<Option<WalHeader>>,
    _keeps_open: Mutex<diesel::SqliteConnection>,
}

impl std::fmt::Debug for WalWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WalWatch")
    }
}

impl WalWatch {
    /// The header now; `None` when it cannot be read whole.
    #[cfg(unix)]
    fn header(&self) -> Option<WalHeader> {
        use std::os::unix::fs::FileExt;
        let mut header = [0u8; 48];
        match self.shm.read_at(&mut header, 0) {
            Ok(48) => Some(header),
            _ => None,
        }
    }

    #[cfg(not(unix))]
    fn header(&self) -> Option<WalHeader> {
        None
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Option<WalHeader>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug)]
struct Cached {
    generation: u64,
    check: Arc<SessionUser>,
}

/// A cached check handed out, with the generation it belongs to.
#[derive(Debug, Clone)]
pub struct Hit {
    pub generation: u64,
    pub check: Arc<SessionUser>,
}

impl LoginCache {
    /// The generation now: read it before reading a check from the tables, and store the check
    /// under it ([`LoginCache::put`]).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets every cached check (a login may have changed, or a connection that did not hear
    /// the earlier notices was opened).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether nothing has moved the generation since `generation`.
    pub fn holds(&self, generation: u64) -> bool {
        self.generation() == generation
    }

    /// The cached check of a login, when there is one of the current generation.
    pub fn get(&self, session_id: &str) -> Option<Hit> {
        let current = self.generation();
        let checks = self.checks.lock().unwrap_or_else(PoisonError::into_inner);
        checks
            .get(session_id)
            .filter(|c| c.generation == current)
            .map(|c| Hit {
                generation: c.generation,
                check: Arc::clone(&c.check),
            })
    }

    /// Keeps a check read from the tables in `generation` (read before the check). A check whose
    /// generation has passed meanwhile is not kept.
    pub fn put(&self, session_id: &str, generation: u64, check: SessionUser) {
        if !self.holds(generation) {
            return;
        }
        let mut checks = self.checks.lock().unwrap_or_else(PoisonError::into_inner);
        if checks.len() >= CAPACITY {
            checks.clear();
        }
        checks.insert(
            session_id.to_owned(),
            Cached {
                generation,
                check: Arc::new(check),
            },
        );
    }

    /// Before a request uses the cache on `conn`. SQLite: reads the trigger-kept change count and
    /// moves the generation on when it moved. PostgreSQL: nothing (see [`LoginCache::after`]).
    pub fn before(&self, conn: &mut DbConnection) -> QueryResult<()> {
        use crate::schema::login_epoch;
        let DbConnection::Sqlite(c) = conn else {
            return Ok(());
        };
        // Nothing committed since the count was last read: it cannot have moved.
        let watch = self.wal.get();
        let header = watch.and_then(WalWatch::header);
        if let (Some(watch), Some(header)) = (watch, header) {
            if *watch.seen() == Some(header) {
                return Ok(());
            }
        }
        self.epoch_reads.fetch_add(1, Ordering::Relaxed);
        let epoch: i64 = login_epoch::table
            .find(1)
            .select(login_epoch::epoch)
            .first(c)?;
        // Forget first, then note the count: a request that finds the new count noted finds the
        // cache already emptied.
        if self.epoch.load(Ordering::Acquire) != epoch {
            self.invalidate();
            self.epoch.store(epoch, Ordering::Release);
        }
        // The header read before the count: a commit since shows as a different one.
        if let (Some(watch), Some(header)) = (watch, header) {
            *watch.seen() = Some(header);
        }
        Ok(())
    }

    /// SQLite: how many times [`LoginCache::before`] has read the change count.
    pub fn epoch_reads(&self) -> u64 {
        self.epoch_reads.load(Ordering::Relaxed)
    }

    /// SQLite: watch the WAL index of the database at `path`, through `keep_open`, a connection
    /// that has read from it in WAL mode and is kept for the life of the cache. Without WAL, or
    /// if the `-shm` file cannot be opened, the count is read on every request as before.
    pub fn watch_wal(&self, path: &Path, mut keep_open: diesel::SqliteConnection) {
        #[derive(QueryableByName)]
        struct Mode {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        let wal = diesel::sql_query("PRAGMA journal_mode")
            .get_result::<Mode>(&mut keep_open)
            .is_ok_and(|m| m.journal_mode.eq_ignore_ascii_case("wal"));
        // A read opens the WAL index (the `-shm` file) if no connection has yet.
        let read = diesel::sql_query("PRAGMA schema_version")
            .execute(&mut keep_open)
            .is_ok();
        let mut shm = path.as_os_str().to_owned();
        shm.push("-shm");
        if let (true, true, Ok(shm)) = (wal, read, std::fs::File::open(shm)) {
            let _ = self.wal.set(WalWatch {
                shm,
                seen: Mutex::new(None),
                _keeps_open: Mutex::new(keep_open),
            });
        }
    }

    /// After a request's queries on `conn`. PostgreSQL: takes the notices that reached the
    /// connection (no round trip: they were read with the answers) and moves the generation on if
    /// there was any; a connection that cannot be read counts as a change. SQLite: nothing.
    pub fn after(&self, conn: &mut DbConnection) {
        let DbConnection::Pg(c) = conn else {
            return;
        };
        let mut changed = false;
        for notice in c.notifications_iter() {
            match notice {
                Ok(n) => changed |= n.channel == CHANNEL,
                // The connection cannot be read (it failed with its query, and the pool drops
                // it): its notices are lost, so count a change. The iterator would keep answering
                // the same error.
                Err(_) => {
                    changed = true;
                    break;
                }
            }
        }
        if changed {
            self.invalidate();
        }
    }

    /// A pooled connection was opened: PostgreSQL makes it listen, then forgets every cached
    /// check (it did not hear what happened before).
    pub fn listen(&self, conn: &mut DbConnection) -> QueryResult<()> {
        use diesel::connection::SimpleConnection;
        if let DbConnection::Pg(c) = conn {
            c.batch_execute(&format!("LISTEN {CHANNEL}"))?;
            self.invalidate();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::UserRow;

    fn check(id: i64) -> SessionUser {
        let t = chrono::NaiveDateTime::default();
        SessionUser {
            user: UserRow {
                id,
                department_id: 1,
                username: format!("u{id}"),
                display_name: "某".to_owned(),
                role: "admin".to_owned(),
                office_id: None,
                village_id: None,
                cadre_id: None,
                disabled_at: None,
                version: 1,
                created_at: t,
                updated_at: t,
            },
            revoked: false,
            operator: false,
        }
    }

    #[test]
    fn a_check_is_used_only_in_its_generation() {
        let cache = LoginCache::default();
        assert!(cache.get("s").is_none());
        let g = cache.generation();
        cache.put("s", g, check(1));
        let hit = cache.get("s").expect("kept");
        assert_eq!(hit.check.user.id, 1);
        assert!(cache.holds(hit.generation));
        cache.invalidate();
        assert!(!cache.holds(hit.generation));
        assert!(cache.get("s").is_none());
    }

    #[test]
    fn a_check_read_before_a_change_is_not_kept() {
        let cache = LoginCache::default();
        let g = cache.generation();
        cache.invalidate(); // a logout committed while the check was being read
        cache.put("s", g, check(1));
        assert!(cache.get("s").is_none());
    }

    #[test]
    fn the_cache_is_bounded() {
        let cache = LoginCache::default();
        let g = cache.generation();
        for i in 0..(CAPACITY as i64 + 5) {
            cache.put(&format!("s{i}"), g, check(i));
        }
        let kept = cache.checks.lock().map(|c| c.len()).unwrap_or_default();
        assert!(kept <= CAPACITY, "{kept}");
        assert!(cache.get(&format!("s{}", CAPACITY + 4)).is_some());
    }
}
