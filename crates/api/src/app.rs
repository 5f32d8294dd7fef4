//! Building the app: routes, middleware, error handling, docs, the SPA; and starting it.

use crate::auth::jwt::JwtKeys;
use crate::auth::password::Passwords;
use crate::config::Config;
use crate::error::{json_error, path_error, query_error, ApiError};
use crate::http::{request_id_for, RequestId, REQUEST_ID};
use crate::openapi::RouteTable;
use crate::routes;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{middleware, web, App, HttpMessage, HttpRequest, HttpResponse, HttpServer};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;
use zhucun_persistence::{DatabaseUrl, Db};

/// Largest JSON body accepted (the organisation module's bodies are small).
pub const JSON_LIMIT: usize = 64 * 1024;

/// Everything a running app shares.
#[derive(Clone)]
pub struct Shared {
    pub state: web::Data<AppState>,
    pub openapi: Arc<OpenApi>,
    pub routes: Arc<RouteTable>,
    pub static_dir: Option<PathBuf>,
}

impl Shared {
    pub fn new(state: AppState, static_dir: Option<PathBuf>) -> Self {
        let openapi = crate::openapi::document();
        let routes = RouteTable::from_openapi(&openapi);
        let static_dir = static_dir.filter(|d| d.join("index.html").is_file());
        Self {
            state: web::Data::new(state),
            openapi: Arc::new(openapi),
            routes: Arc::new(routes),
            static_dir,
        }
    }
}

/// The app, as served and as tested in-process.
pub fn app(
    shared: Shared,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    // The docs come first: the `/api/v1` scope would otherwise claim `/api/v1/openapi.json`.
    let docs = App::new()
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .url("/api/v1/openapi.json", (*shared.openapi).clone())
                // No calls to an outside validator: the docs work offline and leak nothing.
                .config(
                    utoipa_swagger_ui::Config::from("/api/v1/openapi.json").validator_url("none"),
                ),
        )
        .service(web::redirect("/docs", "/docs/"));
    let (app, _) = routes::register(docs.into_utoipa_app()).split_for_parts();
    let mut app = app
        .app_data(shared.state.clone())
        .app_data(web::Data::new(shared.routes.clone()))
        .app_data(web::Data::new(StaticDir(shared.static_dir.clone())))
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT)
                .error_handler(|e, _| json_error(e).into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|e, _| query_error(e).into()))
        .app_data(web::PathConfig::default().error_handler(|e, _| path_error(e).into()))
        // The operator's metrics: 404 unless configured (crate::metrics); not in the OpenAPI
        // document, as it is not part of the API.
        .route("/metrics", web::get().to(crate::metrics::scrape));
    #[cfg(feature = "bench-baseline")] // bench/run.sh's bare baseline routes
    {
        app = app.configure(crate::bench_baseline::configure);
    }
    if let Some(dir) = &shared.static_dir {
        let assets = dir.clone();
        app = app.configure(move |cfg| crate::http::assets::configure(cfg, assets));
        app = app.service(
            actix_files::Files::new("/", dir)
                .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
                .index_file("index.html")
                .prefer_utf8(true)
                .default_handler(web::to(fallback)),
        );
    }
    app.default_service(web::to(fallback))
        .wrap(middleware::from_fn(crate::input_guard::refuse_nul))
        .wrap(middleware::from_fn(crate::http::raw_url::refuse_marked))
        .wrap(middleware::from_fn(crate::ratelimit::limit_public))
        .wrap(middleware::Compress::default())
        .wrap(
            middleware::DefaultHeaders::new()
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::REFERRER_POLICY, "no-referrer"))
                .add((header::X_FRAME_OPTIONS, "DENY")),
        )
        .wrap(middleware::from_fn(crate::metrics::track))
        .wrap_fn(|req, srv| {
            let id = request_id_for(&req);
            req.extensions_mut().insert(RequestId(id.clone()));
            let method = req.method().to_string();
            let path = req.path().to_owned();
            let started = std::time::Instant::now();
            let lang = crate::i18n::negotiate(
                req.headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            );
            let fut = crate::error::CURRENT_REQUEST_ID.scope(
                id.clone(),
                crate::i18n::CURRENT_LANG.scope(lang, srv.call(req)),
            );
            async move {
                let mut res = fut.await?;
                if let Ok(v) = HeaderValue::from_str(&id) {
                    res.headers_mut()
                        .insert(header::HeaderName::from_static(REQUEST_ID), v);
                }
                if path.starts_with("/api/") && !res.headers().contains_key(header::CACHE_CONTROL) {
                    res.headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                } else if matches!(
                    path.as_str(),
                    "/" | "/index.html" | "/sw.js" | "/registerSW.js" | "/manifest.webmanifest"
                ) && !res.headers().contains_key(header::CACHE_CONTROL)
                {
                    // The app shell and its service worker: always revalidated, so a new version
                    // reaches phones (the worker then offers it to the user).
                    res.headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                } else if path.starts_with("/assets/") && res.status().is_success() {
                    // Vite names assets by content hash: a phone on a weak link fetches each once.
                    res.headers_mut().insert(
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=31536000, immutable"),
                    );
                }
                tracing::info!(
                    request_id = %id,
                    method = %method,
                    path = %path,
                    status = res.status().as_u16(),
                    micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                    "request"
                );
                Ok(res)
            }
        })
}

#[derive(Clone)]
struct StaticDir(Option<PathBuf>);

/// Unknown routes: 405 for a wrong method on an API route, the SPA's `index.html` for client-side
/// routes, a 404 problem otherwise.
async fn fallback(
    req: HttpRequest,
    routes: web::Data<Arc<RouteTable>>,
    static_dir: web::Data<StaticDir>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(allow) = routes.allowed(path) {
        // The method is one of the route's: its parameter did not fit (`/pairings/abc` for
        // `/pairings/{id:[0-9]+}`), so there is no such resource.
        if allow.split(", ").any(|m| m == req.method().as_str()) {
            return Err(ApiError::NotFound);
        }
        return Err(ApiError::MethodNotAllowed(allow));
    }
    let is_api = path.starts_with("/api")
        || path.starts_with("/docs")
        || path == "/healthz"
        || path == "/readyz";
    if !is_api && req.method() == actix_web::http::Method::GET {
        if let Some(dir) = &static_dir.0 {
            let index = dir.join("index.html");
            let html = web::block(move || std::fs::read(index))
                .await?
                .map_err(ApiError::internal)?;
            return Ok(HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .body(html));
        }
    }
    Err(ApiError::NotFound)
}

/// Opens the database, applies migrations, ensures the first admin (and demo data when asked).
pub fn prepare(config: &Config, demo: bool) -> Result<AppState, Box<dyn std::error::Error>> {
    let url = DatabaseUrl::parse(&config.database_url)?;
    let db = Db::open(url, config.pool_size)?;
    // Held until set-up is done; another process on the same SQLite file waits here.
    let _setup_lock = match db.url() {
        DatabaseUrl::Sqlite(path) => Some(zhucun_persistence::migrations::sqlite_setup_lock(path)?),
        DatabaseUrl::Postgres(_) => None,
    };
    {
        let mut conn = db.writer()?;
        zhucun_persistence::migrations::with_setup_lock(
            &mut conn,
            |conn| -> Result<(), Box<dyn std::error::Error>> {
                let applied = zhucun_persistence::migrations::run_pending(conn)?;
                if !applied.is_empty() {
                    tracing::info!(migrations = ?applied, "applied migrations");
                }
                let filled = crate::backfill::derived_columns(conn)?;
                if filled > 0 {
                    tracing::info!(rows = filled, "computed pinyin sort keys and search texts");
                }
                crate::seed::bootstrap(conn, config, demo)
            },
        )?;
    }
    let jwt = JwtKeys::load(config.jwt_secret.as_deref(), &config.data_dir)?;
    zhucun_persistence::idempotency_expiry::set_ttl(config.limits.idempotency_ttl);
    Ok(AppState {
        db,
        jwt: Arc::new(jwt),
        passwords: Passwords::new()?,
        public_limiter: Arc::new(crate::ratelimit::PublicLimiter::new(
            &config.limits.public_rate,
            config.limits.trusted_proxies.clone(),
        )),
        metrics: crate::metrics::Metrics::for_settings(&config.limits.metrics)?,
        stats_min_cell: config.limits.stats_min_cell.max(1),
        stats_read_policy: if config.limits.stats_refresh.is_zero() {
            crate::stats_summary::Policy::Changed
        } else {
            crate::stats_summary::Policy::Missing
        },
    })
}

/// A bound, not yet running server; the port is known before it runs (tests bind port 0).
pub struct Application {
    pub port: u16,
    /// The port of the separate `/metrics` listener (`ZHUCUN_METRICS_BIND`), when configured.
    pub metrics_port: Option<u16>,
    server: Server,
    metrics_server: Option<Server>,
}

/// The API's server: what `HttpServer::new(…).listen(…)` builds (its defaults kept, the request
/// timeout 30 s), with each connection's stream wrapped in [`RawUrlGuard`] so a raw non-ASCII
/// byte in the first request line gets a problem+json 400 instead of the parser's empty one.
///
/// [`RawUrlGuard`]: crate::http::raw_url::RawUrlGuard
fn api_server(
    listener: TcpListener,
    workers: Option<usize>,
    shared: Shared,
) -> std::io::Result<Server> {
    use actix_http::{HttpService, Protocol};
    use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
    use actix_web::dev::AppConfig;
    let addr = listener.local_addr()?;
    let mut builder = actix_server::Server::build();
    if let Some(workers) = workers {
        builder = builder.workers(workers);
    }
    let shutdown = builder.graceful_shutdown_signal();
    let builder = builder.listen(format!("zhucun-{addr}"), listener, move || {
        let shutdown = shutdown.clone();
        let app = app(shared.clone())
            .into_factory()
            .map_err(|e: actix_web::Error| e.error_response());
        let http = HttpService::build()
            .graceful_shutdown_signal(move || {
                let signal = shutdown.clone();
                async move { signal.notified().await }
            })
            .keep_alive(actix_http::KeepAlive::default())
            .client_request_timeout(std::time::Duration::from_secs(30))
            .client_disconnect_timeout(std::time::Duration::from_secs(1))
            .h1_allow_half_closed(true)
            .local_addr(addr)
            .finish(map_config(app, |_| AppConfig::default()));
        fn_service(|io: actix_web::rt::net::TcpStream| async move {
            let peer = io.peer_addr().ok();
            Ok((
                crate::http::raw_url::RawUrlGuard::new(io),
                Protocol::Http1,
                peer,
            ))
        })
        .and_then(http)
    })?;
    Ok(builder.run())
}

impl Application {
    pub fn build(config: &Config, demo: bool) -> Result<Self, Box<dyn std::error::Error>> {
        // Listen first: a wrong or busy address fails before anything is migrated or seeded.
        let listener = TcpListener::bind(&config.bind).map_err(|e| {
            format!(
                "cannot listen on {:?} (ZHUCUN_BIND / --bind): {e}",
                config.bind
            )
        })?;
        let metrics_listener = match &config.limits.metrics.bind {
            Some(addr) => Some(TcpListener::bind(addr).map_err(|e| {
                format!("cannot listen on {addr:?} (ZHUCUN_METRICS_BIND / --metrics-bind): {e}")
            })?),
            None => None,
        };
        let state = prepare(config, demo)?;
        let port = listener.local_addr()?.port();
        crate::housekeeping::start(state.clone());
        crate::stats_summary::start(state.db.clone(), config.limits.stats_refresh);
        let shared = Shared::new(state, config.static_dir.clone());
        let (metrics_port, metrics_server) = match metrics_listener {
            Some(listener) => {
                let port = listener.local_addr()?.port();
                let state = shared.state.clone();
                let server = HttpServer::new(move || crate::metrics::listener_app(state.clone()))
                    .listen(listener)?
                    .workers(1)
                    .run();
                (Some(port), Some(server))
            }
            None => (None, None),
        };
        if shared.static_dir.is_none() {
            tracing::warn!(
                "no built SPA found; serving the API only (build frontend/ to get the web app)"
            );
        }
        Ok(Self {
            port,
            metrics_port,
            server: api_server(listener, config.workers, shared)?,
            metrics_server,
        })
    }

    pub async fn run(self) -> std::io::Result<()> {
        if let Some(metrics) = self.metrics_server {
            // Stops with the API: both servers answer the same signals.
            actix_web::rt::spawn(metrics);
        }
        self.server.await
    }
}
