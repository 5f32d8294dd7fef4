//! The `zhucun` binary: `serve`, `migrate`, `openapi`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use zhucun_api::config::Config;

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
    /// Print the OpenAPI document.
    Openapi,
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
        Ok(zhucun_api::limits::Limits {
            public_rate: RateSettings::per_minute(
                self.public_rate_burst,
                self.public_rate_per_minute,
            ),
            trusted_proxies: TrustedProxies::parse(&self.trusted_proxies)
                .map_err(|e| format!("ZHUCUN_TRUSTED_PROXIES: {e}"))?,
            idempotency_ttl: chrono::Duration::hours(i64::from(self.idempotency_ttl_hours)),
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
    init_logs(&cli.log_format);
    let url = zhucun_persistence::DatabaseUrl::parse(&cli.database_url)?;
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
        jwt_secret: std::env::var("ZHUCUN_JWT_SECRET").ok(),
        admin_password: std::env::var("ZHUCUN_ADMIN_PASSWORD")
            .ok()
            .filter(|s| !s.is_empty()),
        demo_password: std::env::var("ZHUCUN_DEMO_PASSWORD")
            .ok()
            .filter(|s| !s.is_empty()),
        static_dir: None,
        pool_size: cli.pool_size,
        workers: None,
        limits: zhucun_api::limits::Limits::default(),
    };
    match cli.command {
        Command::Migrate => {
            let db = zhucun_persistence::Db::open(url, 1)?;
            let mut conn = db.writer()?;
            let applied = zhucun_persistence::migrations::with_setup_lock(&mut conn, |c| {
                zhucun_persistence::migrations::run_pending(c)
            })?;
            println!(
                "applied {} migration(s): {}",
                applied.len(),
                applied.join(", ")
            );
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
                Ok(())
            })
        }
        Command::Openapi => Ok(()),
    }
}
