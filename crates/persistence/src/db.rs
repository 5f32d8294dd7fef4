//! Connections: one diesel connection type over both backends, chosen from the URL scheme (never by
//! trial, so a mistyped PostgreSQL URL cannot silently become an empty SQLite file), and pools.

use crate::login_cache::LoginCache;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Where the data lives, parsed from `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // PostgreSQL URLs may carry a password: never print them whole.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DatabaseUrl::Postgres(_) => f.write_str("postgres://…"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres:// (or postgresql://); got {0:?}")]
    UnknownScheme(String),
    #[error("DATABASE_URL sqlite:// needs a file path, e.g. sqlite://data/zhucun.db")]
    EmptySqlitePath,
    #[error("cannot create the folder for the SQLite file {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("cannot set up the connection: {0}")]
    Setup(#[from] diesel::result::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error("cannot lock {path} for setting up the SQLite database: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DbError::EmptySqlitePath);
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            let scheme = url.split("://").next().unwrap_or_default();
            Err(DbError::UnknownScheme(scheme.to_owned()))
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }

    /// The folder beside the SQLite file, the natural home of the other local state.
    pub fn sqlite_folder(&self) -> Option<&Path> {
        match self {
            DatabaseUrl::Sqlite(p) => p.parent(),
            DatabaseUrl::Postgres(_) => None,
        }
    }
}

/// Opens connections of the variant named by the URL, with SQLite's pragmas on every connection.
/// The pools' connections also listen for login changes ([`LoginCache::listen`]).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
    logins: Arc<LoginCache>,
}

impl Manager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self {
            url,
            logins: Arc::default(),
        }
    }

    pub fn establish(&self) -> Result<DbConnection, DbError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => Ok(DbConnection::Pg(PgConnection::establish(url)?)),
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers run beside the writer. FULL syncs every commit: NORMAL would
                // survive a crash of the process but may lose the last acknowledged commits on a
                // power cut, and acknowledged records of public money must not be lost (the cost,
                // about 2 ms a commit, is small for a department's write rate). Foreign keys are
                // off by default in SQLite and must be turned on per connection.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        let mut conn = self.establish()?;
        self.logins.listen(&mut conn)?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::Setup)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::connection::TransactionManager;
        // A connection that lost its server while this thread used it is dropped on return.
        LOST.with(|lost| lost.replace(false))
            || std::thread::panicking()
            || <DbConnection as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

thread_local! {
    /// Set when a query on this thread found its connection closed; read when the connection
    /// goes back to the pool (on the same thread, right after), which then drops it.
    static LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a query error means the connection itself is gone (the server restarted, the network
/// dropped it). Notes it for the pool, so the dead connection is not handed out again: this
/// replaces testing every connection with a round trip when it is taken from the pool.
pub fn connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind as K, Error as E};
    let lost = match e {
        E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _)
        | E::BrokenTransactionManager => true,
        // PostgreSQL ending the session (a restart or shutdown: SQLSTATE class 57, "operator
        // intervention") reaches diesel as an error of unknown kind; only its text tells.
        E::DatabaseError(_, info) => ends_the_session(info.message()),
        // The connection died between the last statement and COMMIT: the commit fails and so
        // does the rollback diesel then tries.
        E::RollbackErrorOnCommit {
            commit_error,
            rollback_error,
        } => connection_lost(commit_error) || connection_lost(rollback_error),
        _ => false,
    };
    if lost {
        LOST.with(|l| l.set(true));
    }
    lost
}

/// libpq's and the server's words for a session that is over (57P01–57P03, lost sockets).
fn ends_the_session(message: &str) -> bool {
    const ENDED: [&str; 9] = [
        "terminating connection due to administrator command",
        "terminating connection because of crash of another server process",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "server closed the connection unexpectedly",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
    ];
    ENDED.iter().any(|m| message.contains(m))
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// The pools of one database. SQLite allows one writer at a time: every write goes through a pool
/// of exactly one connection, so a read-then-write transaction never meets another writer (which
/// SQLite would answer with "database is locked" at once, whatever the busy timeout). Readers use
/// their own pool and run beside the writer thanks to WAL. PostgreSQL uses one pool for both.
#[derive(Clone)]
pub struct Db {
    url: DatabaseUrl,
    reader: Pool,
    writer: Pool,
    logins: Arc<LoginCache>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("url", &self.url).finish()
    }
}

impl Db {
    pub fn open(url: DatabaseUrl, pool_size: u32) -> Result<Self, DbError> {
        if let DatabaseUrl::Sqlite(path) = &url {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                    path: parent.to_owned(),
                    source,
                })?;
            }
        }
        let manager = Manager::new(url.clone());
        // Failed connection attempts are not logged one by one: a start-up against a database that
        // is down gives one clear error (the pool's, naming the last cause), and at run time the
        // request that waited logs it once (`ApiError` from `PoolError`).
        // No round trip to test a connection on every checkout (it cost a fifth of a point
        // read): a PostgreSQL connection that died with its server or the network is found by
        // the query that meets it (answered 503, retry), and dropped on return (`connection_lost`).
        // Idle connections are recycled so few stale ones linger after an outage.
        let build = |size: u32| {
            r2d2::Pool::builder()
                .max_size(size.max(1))
                .min_idle(Some(1))
                .test_on_check_out(false)
                .idle_timeout(Some(Duration::from_secs(300)))
                .connection_timeout(Duration::from_secs(5))
                .error_handler(Box::new(r2d2::NopErrorHandler))
                .build(manager.clone())
        };
        let (reader, writer) = match &url {
            DatabaseUrl::Sqlite(path) => {
                // The writer connects first so the WAL switch happens before readers open.
                let writer = build(1)?;
                let reader = build(pool_size)?;
                if let DbConnection::Sqlite(keep_open) = manager.establish()? {
                    manager.logins.watch_wal(path, keep_open);
                }
                (reader, writer)
            }
            DatabaseUrl::Postgres(_) => {
                let pool = build(pool_size)?;
                (pool.clone(), pool)
            }
        };
        Ok(Self {
            url,
            reader,
            writer,
            logins: Arc::clone(&manager.logins),
        })
    }

    /// The login checks made through this database's pools (see [`LoginCache`]).
    pub fn logins(&self) -> &Arc<LoginCache> {
        &self.logins
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn reader(&self) -> Result<PooledConn, r2d2::PoolError> {
        self.reader.get()
    }

    pub fn writer(&self) -> Result<PooledConn, r2d2::PoolError> {
        self.writer.get()
    }

    /// The pools' usage now (for `/metrics`): SQLite's `reader` and `writer`, PostgreSQL's one
    /// `shared` pool.
    pub fn pool_usage(&self) -> Vec<PoolUsage> {
        let usage = |name: &'static str, pool: &Pool| {
            let state = pool.state();
            PoolUsage {
                name,
                connections: state.connections,
                idle: state.idle_connections,
                max_size: pool.max_size(),
            }
        };
        match self.url {
            DatabaseUrl::Sqlite(_) => {
                vec![usage("reader", &self.reader), usage("writer", &self.writer)]
            }
            DatabaseUrl::Postgres(_) => vec![usage("shared", &self.reader)],
        }
    }
}

/// One pool's connections at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    pub name: &'static str,
    /// Open connections, in use or idle.
    pub connections: u32,
    pub idle: u32,
    pub max_size: u32,
}

/// Runs the same expression on the concrete connection of either backend, for the few statements
/// the multi-backend connection cannot express (`ON CONFLICT`, `RETURNING` of whole rows).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Pg($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

#[cfg(test)]
mod tests {
    /// A server error as diesel hands it over, with only its message.
    #[derive(Debug)]
    struct ServerSaid(&'static str);

    impl diesel::result::DatabaseErrorInformation for ServerSaid {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn a_restarting_postgresql_counts_as_a_lost_connection_and_other_errors_do_not() {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        let said = |m: &'static str| E::DatabaseError(K::Unknown, Box::new(ServerSaid(m)));
        assert!(super::connection_lost(&said(
            "FATAL:  terminating connection due to administrator command"
        )));
        assert!(super::connection_lost(&said(
            "FATAL:  the database system is shutting down"
        )));
        assert!(super::connection_lost(&said(
            "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally"
        )));
        assert!(super::connection_lost(&said(
            "could not receive data from server: Connection reset by peer"
        )));
        // A COMMIT on a connection that died, and the rollback after it.
        assert!(super::connection_lost(&E::RollbackErrorOnCommit {
            commit_error: Box::new(said("server closed the connection unexpectedly")),
            rollback_error: Box::new(said("no connection to the server")),
        }));
        assert!(!super::connection_lost(&E::RollbackErrorOnCommit {
            commit_error: Box::new(said("deadlock detected")),
            rollback_error: Box::new(said("division by zero")),
        }));
        assert!(!super::connection_lost(&said("division by zero")));
        assert!(!super::connection_lost(&E::NotFound));
    }

    use super::*;

    #[test]
    fn url_scheme_chooses_the_backend() {
        assert!(matches!(
            DatabaseUrl::parse("sqlite://data/z.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("sqlite://"),
            Err(DbError::EmptySqlitePath)
        ));
        let err = DatabaseUrl::parse("mysql://h/db")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("sqlite://") && err.contains("postgres://"),
            "{err}"
        );
        assert!(DatabaseUrl::parse("postgre://typo/db").is_err());
        assert!(DatabaseUrl::parse("data/zhucun.db").is_err());
    }

    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }

    fn pragma(conn: &mut SqliteConnection, name: &str) -> String {
        use diesel::RunQueryDsl;
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
        ))
        .get_result::<Setting>(conn)
        .map(|s| s.value)
        .unwrap_or_default()
    }

    #[test]
    fn sqlite_connections_are_set_up_safely() {
        let dir = std::env::temp_dir().join(format!("zhucun-db-{}", std::process::id()));
        let db = Db::open(DatabaseUrl::Sqlite(dir.join("nested/z.db")), 2).expect("open");
        for mut conn in [db.writer().expect("writer"), db.reader().expect("reader")] {
            let DbConnection::Sqlite(c) = &mut *conn else {
                panic!("sqlite expected")
            };
            assert_eq!(pragma(c, "foreign_keys"), "1");
            assert_eq!(pragma(c, "journal_mode"), "wal");
            assert_eq!(pragma(c, "synchronous"), "2", "FULL");
            assert_eq!(pragma(c, "busy_timeout"), "5000");
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    /// `.cargo/config.toml`'s `LIBSQLITE3_FLAGS` reached the bundled SQLite (a build without
    /// them still works, only slower: this says so rather than a benchmark).
    #[test]
    fn sqlite_is_built_with_the_flags_of_the_cargo_config() {
        use diesel::{Connection, RunQueryDsl};
        #[derive(diesel::QueryableByName)]
        struct Option_ {
            #[diesel(sql_type = diesel::sql_types::Text)]
            compile_options: String,
        }
        let mut c = SqliteConnection::establish(":memory:").expect("in memory");
        let options: Vec<String> =
            diesel::sql_query("SELECT compile_options FROM pragma_compile_options")
                .load::<Option_>(&mut c)
                .expect("compile options")
                .into_iter()
                .map(|o| o.compile_options)
                .collect();
        for wanted in ["ENABLE_QPSG", "THREADSAFE=2", "DEFAULT_MEMSTATUS=0"] {
            assert!(
                options.iter().any(|o| o == wanted),
                "{wanted} in {options:?}"
            );
        }
        assert!(!options.iter().any(|o| o == "ENABLE_STAT4"), "{options:?}");
    }

    #[test]
    fn sqlite_reads_the_login_count_only_after_a_commit() {
        use diesel::connection::SimpleConnection;
        let dir = std::env::temp_dir().join(format!("zhucun-wal-{}", std::process::id()));
        let path = dir.join("z.db");
        let db = Db::open(DatabaseUrl::Sqlite(path.clone()), 2).expect("open");
        crate::migrations::run_pending(&mut db.writer().expect("writer")).expect("migrate");
        let logins = db.logins();
        let mut conn = db.reader().expect("reader");
        logins.before(&mut conn).expect("first look");
        let reads = logins.epoch_reads();
        let generation = logins.generation();
        // Nothing committed: the WAL index says so, no query.
        logins.before(&mut conn).expect("again");
        logins.before(&mut conn).expect("again");
        assert_eq!(logins.epoch_reads(), reads, "no commit, no read");
        // A commit by another connection (as by another process) that changes no login: the
        // count is read once, and nothing is forgotten.
        let mut other = SqliteConnection::establish(&path.to_string_lossy()).expect("other");
        other
            .batch_execute("CREATE TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (1);")
            .expect("commit");
        logins.before(&mut conn).expect("after a commit");
        assert_eq!(logins.epoch_reads(), reads + 1);
        assert_eq!(logins.generation(), generation);
        logins.before(&mut conn).expect("again");
        assert_eq!(logins.epoch_reads(), reads + 1, "seen once");
        // A login changed elsewhere (the triggers count it): every cached check is forgotten.
        other
            .batch_execute("UPDATE login_epoch SET epoch = epoch + 1 WHERE id = 1;")
            .expect("login change");
        logins.before(&mut conn).expect("after a login change");
        assert!(logins.generation() > generation, "a login change is seen");
        drop(conn);
        drop(db);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn debug_never_prints_a_postgres_password() {
        let url = DatabaseUrl::parse("postgres://u:secret@h/db");
        assert!(!format!("{url:?}").contains("secret"));
    }
}
