//! zhucun's HTTP API: actix-web handlers (one module per resource under `routes`), authentication,
//! problem+json errors and the OpenAPI document, plus start-up (`app`) and demo data (`seed`).

pub mod app;
pub mod audit;
pub mod auth;
pub mod backfill;
#[cfg(feature = "bench-baseline")]
pub mod bench_baseline;
pub mod config;
pub mod dto;
pub mod error;
pub mod export;
pub mod generate;
pub mod housekeeping;
pub mod http;
pub mod i18n;
pub mod input_guard;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod paging;
pub mod ratelimit;
pub mod record;
pub mod routes;
pub mod seed;
pub mod state;
pub mod stats_summary;
pub mod trips;
