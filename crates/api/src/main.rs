//! The `zhucun` binary: `serve`, `migrate`, `generate`, `openapi`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use zhucun_api::config::Config;
use zhucun_domain::auth::PASSWORD_MIN;

#[derive(Parser)]
#[command(
    name = "zhucun",
    version,
    about = "Village-stationed work teams (驻村工作队) management"
)]
struct Cli {
    /// sqlite://PATH (embedded, the default) or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/zhucun.db",
        global = true
    )]
    database_url: String,
    /// Folder for local state such as the generated JWT key (default: beside the SQLite file, or ./data).
    #[arg(long, env = "ZHUCUN_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    #[arg(long, env = "ZHUCUN_DB_POOL_SIZE", default_value_t = 8, global = true)]
    pool_size: u32,
    /// Log as JSON lines (default) or human-readable text.
    #[arg(long, env = "ZHUCUN_LOG_FORMAT", default_value = "json", global = true)]
    log_format: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API (and the SPA when built).
    Serve {
        #[arg(long, env = "ZHUCUN_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// On an empty database, load the demo data of the source article.
        #[arg(long)]
        demo: bool,
        /// The built SPA to serve at `/`.
        #[arg(long, env = "ZHUCUN_STATIC_DIR", default_value = "frontend/dist")]
        static_dir: PathBuf,
        #[arg(long, env = "ZHUCUN_WORKERS")]
        workers: Option<usize>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Refresh the region statistics now and exit. The servers refresh them after writes through
    /// the API by themselves (ZHUCUN_STATS_REFRESH_SECONDS); this is for rows changed in the
    /// database directly.
    RefreshStats,
    /// Ask a running server on this machine whether it is ready (GET /readyz); exit 0 if it is.
    /// For container health checks: no curl needed in the image.
    Healthcheck {
        /// The address the server listens on; 0.0.0.0 / [::] are asked on the loopback address.
        #[arg(long, env = "ZHUCUN_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Fill a new database with a synthetic region (trials and benchmarks): departments, villages
    /// over Tibet's counties, a round a year with a team in every village, households and the
    /// village work of every year. Runs the migrations first; the same seed gives the same rows.
    /// The accounts gen_regional, gen_admin_NN and gen_office_NN get ZHUCUN_ADMIN_PASSWORD or one
    /// generated password, printed once.
    Generate {
        #[arg(long, default_value_t = 70)]
        departments: u32,
        #[arg(long, default_value_t = 5541)]
        villages: u32,
        /// Rounds (years) up to the running one, 1 to 15.
        #[arg(long, default_value_t = 15)]
        rounds: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write into a database that already has data (a trial database only: the
        /// generated rows are mixed with what is there).
        #[arg(long)]
        force: bool,
        /// On PostgreSQL, keep the row-by-row foreign-key checks during the load (about twice
        /// as slow; by default a superuser's load skips them like pg_restore --disable-triggers).
        #[arg(long)]
        check_references: bool,
    },
}

/// See the security notes of the README.
#[derive(clap::Args)]
struct LimitArgs {
    /// Proxies (IPs or CIDR networks, comma-separated) whose X-Forwarded-For/Forwarded name the
    /// client; default none: the TCP peer is the client.
    #[arg(long, env = "ZHUCUN_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// Requests one client address may send at once to the endpoints open without a login.
    #[arg(long, env = "ZHUCUN_PUBLIC_RATE_BURST", default_value_t = 30)]
    public_rate_burst: u32,
    /// Then this many a minute.
    #[arg(long, env = "ZHUCUN_PUBLIC_RATE_PER_MINUTE", default_value_t = 30)]
    public_rate_per_minute: u32,
    /// How long a create's first answer is replayed for its Idempotency-Key.
    #[arg(long, env = "ZHUCUN_IDEMPOTENCY_TTL_HOURS", default_value_t = 24)]
    idempotency_ttl_hours: u32,
    /// A separate address serving only GET /metrics (e.g. 127.0.0.1:9090). /metrics is exposed
    /// only with this or ZHUCUN_METRICS_TOKEN (the token is read from the environment only).
    #[arg(long, env = "ZHUCUN_METRICS_BIND")]
    metrics_bind: Option<String>,
    /// Region-wide statistics withhold cells about fewer households than this.
    #[arg(long, env = "ZHUCUN_STATS_MIN_CELL", default_value_t = 3)]
    stats_min_cell: u32,
    /// How often (seconds) each instance refreshes the region statistics when data changed;
    /// 0: a statistics read refreshes them first whenever data changed (small installations).
    #[arg(long, env = "ZHUCUN_STATS_REFRESH_SECONDS", default_value_t = 300)]
    stats_refresh_seconds: u64,
}

impl LimitArgs {
    fn limits(&self) -> Result<zhucun_api::limits::Limits, String> {
        use zhucun_api::ratelimit::{RateSettings, TrustedProxies};
        if self.public_rate_burst == 0 || self.public_rate_per_minute == 0 {
            return Err(
                "ZHUCUN_PUBLIC_RATE_BURST and ZHUCUN_PUBLIC_RATE_PER_MINUTE must be at least 1"
                    .to_owned(),
            );
        }
        if self.idempotency_ttl_hours == 0 {
            return Err("ZHUCUN_IDEMPOTENCY_TTL_HOURS must be at least 1".to_owned());
        }
        // Empty means unset (compose passes `${ZHUCUN_METRICS_TOKEN:-}`).
        let metrics_token = env_secret("ZHUCUN_METRICS_TOKEN", 0, true)?;
        let min = zhucun_api::metrics::MetricsSettings::TOKEN_MIN;
        if metrics_token
            .as_ref()
            .is_some_and(|t| t.chars().count() < min)
        {
            return Err(format!(
                "ZHUCUN_METRICS_TOKEN must be at least {min} characters (e.g. openssl rand -hex 32)"
            ));
        }
        if self.stats_min_cell == 0 {
            return Err("ZHUCUN_STATS_MIN_CELL must be at least 1".to_owned());
        }
        Ok(zhucun_api::limits::Limits {
            public_rate: RateSettings::per_minute(
                self.public_rate_burst,
                self.public_rate_per_minute,
            ),
            trusted_proxies: TrustedProxies::parse(&self.trusted_proxies)
                .map_err(|e| format!("ZHUCUN_TRUSTED_PROXIES: {e}"))?,
            idempotency_ttl: chrono::Duration::hours(i64::from(self.idempotency_ttl_hours)),
            metrics: zhucun_api::metrics::MetricsSettings {
                token: metrics_token,
                bind: self.metrics_bind.clone().filter(|b| !b.trim().is_empty()),
            },
            stats_min_cell: self.stats_min_cell,
            stats_refresh: std::time::Duration::from_secs(self.stats_refresh_seconds),
        })
    }
}

fn init_logs(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("ZHUCUN_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    // Colours only for a person at a terminal: files, journald and pipes get plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    if format == "text" {
        builder.init();
    } else {
        builder.json().flatten_event(true).init();
    }
}

/// A secret from the environment: unset is `None`; shorter than `min` characters is a mistake
/// worth stopping for, and so is an empty value unless `empty_is_unset`.
fn env_secret(name: &str, min: usize, empty_is_unset: bool) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
        Ok(v) if v.is_empty() && empty_is_unset => Ok(None),
        Ok(v) if v.is_empty() => Err(format!(
            "{name} is set but empty: unset it to have one generated, or give a value"
        )),
        Ok(v) if v.chars().count() < min => Err(format!(
            "{name} must be at least {min} characters (the rule for every password)"
        )),
        Ok(v) => Ok(Some(v)),
    }
}

/// The default SQLite file's folder (`data/`) is created at the first start; any other missing
/// folder is most likely a typo, which must not start a new, empty system with new passwords.
fn refuse_missing_sqlite_folder(url: &zhucun_persistence::DatabaseUrl) -> Result<(), String> {
    let Some(folder) = url.sqlite_folder().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    if folder.is_dir() || folder == std::path::Path::new("data") {
        return Ok(());
    }
    Err(format!(
        "the folder {} of DATABASE_URL does not exist; create it first if this is the path you \
         meant (only the default data/ is created by itself)",
        folder.display()
    ))
}

/// GET /readyz over plain HTTP/1.0 with short timeouts; Ok when the answer is 200.
fn healthcheck(bind: &str) -> Result<(), String> {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
    use std::time::Duration;
    let mut addr: SocketAddr = bind
        .to_socket_addrs()
        .map_err(|e| format!("ZHUCUN_BIND / --bind {bind:?}: {e}"))?
        .next()
        .ok_or_else(|| format!("ZHUCUN_BIND / --bind {bind:?} names no address"))?;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let timeout = Duration::from_secs(3);
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| format!("not ready: cannot connect to {addr}: {e}"))?;
    let io = |e: std::io::Error| format!("not ready: {addr}: {e}");
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    stream
        .write_all(format!("GET /readyz HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
        .map_err(io)?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).map_err(io)?;
    let status_line = String::from_utf8_lossy(&head[..n]);
    let status = status_line.split_whitespace().nth(1).unwrap_or("?");
    if status == "200" {
        println!("ready");
        Ok(())
    } else {
        Err(format!("not ready: /readyz answered {status}"))
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zhucun: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    if let Command::Openapi = cli.command {
        let doc = zhucun_api::openapi::document();
        println!("{}", doc.to_pretty_json()?);
        return Ok(());
    }
    if let Command::Healthcheck { bind } = &cli.command {
        return healthcheck(bind).map_err(Into::into);
    }
    init_logs(&cli.log_format);
    let url = zhucun_persistence::DatabaseUrl::parse(&cli.database_url)?;
    refuse_missing_sqlite_folder(&url)?;
    let data_dir = cli.data_dir.clone().unwrap_or_else(|| {
        url.sqlite_folder()
            .filter(|p| !p.as_os_str().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("data"))
    });
    let mut config = Config {
        database_url: cli.database_url,
        bind: String::new(),
        data_dir,
        jwt_secret: env_secret("ZHUCUN_JWT_SECRET", 0, false)?,
        // Compose files pass `${ZHUCUN_ADMIN_PASSWORD:-}`: empty means "generate one".
        admin_password: env_secret("ZHUCUN_ADMIN_PASSWORD", PASSWORD_MIN, true)?,
        demo_password: env_secret("ZHUCUN_DEMO_PASSWORD", PASSWORD_MIN, true)?,
        department_name: std::env::var("ZHUCUN_DEPARTMENT_NAME")
            .ok()
            .filter(|s| !s.trim().is_empty()),
        static_dir: None,
        pool_size: cli.pool_size,
        workers: None,
        limits: zhucun_api::limits::Limits::default(),
    };
    match cli.command {
        Command::RefreshStats => {
            let db = zhucun_persistence::Db::open(url, 1)?;
            let started = std::time::Instant::now();
            let policy = zhucun_api::stats_summary::Policy::Always;
            use zhucun_api::stats_summary::Refreshed;
            match zhucun_api::stats_summary::refresh(&db, policy)? {
                Refreshed::Now(s) => {
                    println!(
                        "statistics summary taken at {} in {:.1} s",
                        zhucun_api::dto::utc(s.as_of)
                            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                        started.elapsed().as_secs_f64()
                    );
                    Ok(())
                }
                Refreshed::NotDue(_) | Refreshed::Busy(_) => Err(
                    "another instance is refreshing the statistics summary now; it will be as new"
                        .into(),
                ),
            }
        }
        Command::Migrate => {
            let db = zhucun_persistence::Db::open(url, 1)?;
            let mut conn = db.writer()?;
            let applied = zhucun_persistence::migrations::with_setup_lock(&mut conn, |c| {
                zhucun_persistence::migrations::run_pending(c)
            })?;
            if applied.is_empty() {
                println!("the database is up to date: no migration to apply");
            } else {
                println!("applied {} migration(s):", applied.len());
                for name in &applied {
                    println!("  {name}");
                }
            }
            Ok(())
        }
        Command::Serve {
            bind,
            demo,
            static_dir,
            workers,
            limits,
        } => {
            config.limits = limits.limits()?;
            config.bind = bind;
            config.static_dir = Some(static_dir);
            config.workers = workers;
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let app = zhucun_api::app::Application::build(&config, demo)?;
                tracing::info!(port = app.port, bind = %config.bind, "zhucun is listening");
                app.run().await?;
                tracing::info!("zhucun stopped");
                Ok(())
            })
        }
        Command::Generate {
            departments,
            villages,
            rounds,
            seed,
            force,
            check_references,
        } => {
            let db = zhucun_persistence::Db::open(url, 1)?;
            let mut conn = db.writer()?;
            zhucun_persistence::migrations::with_setup_lock(&mut conn, |c| {
                zhucun_persistence::migrations::run_pending(c)
            })?;
            let (password, shown) = match &config.admin_password {
                Some(p) => (p.clone(), "(ZHUCUN_ADMIN_PASSWORD)".to_owned()),
                None => {
                    let p = zhucun_api::auth::password::generate_password();
                    (p.clone(), p)
                }
            };
            let hash = zhucun_api::auth::password::hash_blocking(&password)?;
            let scale = zhucun_api::generate::Scale {
                departments,
                villages,
                rounds,
                seed,
            };
            let options = zhucun_api::generate::Options {
                force,
                check_references,
            };
            let summary = zhucun_api::generate::run(&mut conn, scale, options, &hash)?;
            println!(
                "generated {} rows in {:.1} s (seed {seed}):",
                summary.tables.iter().map(|(_, n)| n).sum::<u64>(),
                summary.elapsed.as_secs_f64()
            );
            for (table, rows) in &summary.tables {
                println!("  {table:<16} {rows}");
            }
            for (table, total) in &summary.totals {
                println!("  total {table:<30} {total}");
            }
            drop(conn);
            // The region statistics of what was just written, so the trial starts with them.
            let started = std::time::Instant::now();
            eprintln!("generate: statistics summary");
            zhucun_api::stats_summary::refresh(&db, zhucun_api::stats_summary::Policy::Always)?;
            println!(
                "statistics summary taken in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            println!("accounts gen_regional, gen_admin_NN, gen_office_NN: password {shown}");
            Ok(())
        }
        Command::Openapi | Command::Healthcheck { .. } => Ok(()),
    }
}
