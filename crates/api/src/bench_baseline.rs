//! Bare baseline routes for `bench/run.sh`, compiled only with the `bench-baseline` feature (never in
//! the default build): the same pool, the same blocking-pool helper (`AppState::read`), the same
//! diesel queries and JSON shapes as `GET /api/v1/villages/{id}` and `GET /api/v1/villages`, but no
//! authentication, no access policy and no ETag. Every endpoint figure is then reported as a ratio
//! to these, measured in the same run. Not part of the OpenAPI document.

use crate::error::ApiError;
use crate::routes::villages::{Village, VillageList};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use zhucun_persistence::keyset::{After, PageRequest};
use zhucun_persistence::villages::{self as q, VillageFilter, VillageSort};

/// Registers `GET /bench/bare/villages/{id}` and `GET /bench/bare/villages`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bench/bare/villages/{id}", web::get().to(village))
        .route("/bench/bare/villages", web::get().to(villages));
}

fn json(text: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .body(text)
}

/// One village: one pool trip, one primary-key read, serialised as the API's `Village`.
async fn village(state: web::Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state.read(move |conn| Ok(q::get(conn, id)?)).await?;
    let text = serde_json::to_string(&Village::from(row)).map_err(ApiError::internal)?;
    Ok(json(text))
}

#[derive(Deserialize)]
struct BareQuery {
    limit: Option<i64>,
    department_id: Option<i64>,
}

/// The first page of a department's villages by name: the same query the list endpoint runs for an
/// admin (one pool trip, one select of `limit + 1` rows), serialised as the API's `VillageList`.
async fn villages(
    state: web::Data<AppState>,
    query: web::Query<BareQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let filter = VillageFilter {
        department_id: query.department_id.unwrap_or(1),
        ..VillageFilter::default()
    };
    let page = state
        .read(move |conn| {
            let page = PageRequest {
                sort: VillageSort::Name,
                descending: false,
                after: After::Start,
                limit,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let list = VillageList {
        total: page.total.map(Into::into),
        items: page.items.into_iter().map(Village::from).collect(),
        next_cursor: None,
    };
    let text = serde_json::to_string(&list).map_err(ApiError::internal)?;
    Ok(json(text))
}
