//! The Tibet Autonomous Region's 市 and 县 with their administrative codes: the choices of a
//! village's place. Reference data shipped with the program (`zhucun_domain::divisions`), the
//! same for every department, so clients may cache it for a day.

use crate::auth::Bearer;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::divisions::{NOT_RECORDED, TIBET};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list);
}

/// A county-level division (县, 区 or county-level 市).
#[derive(Debug, Serialize, ToSchema)]
pub struct CountyDivision {
    /// 行政区划代码 (GB/T 2260).
    #[schema(example = "540627")]
    pub code: &'static str,
    #[schema(example = "班戈县")]
    pub name: &'static str,
}

/// A prefecture-level division (市 or 地区) with its counties.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrefectureDivision {
    #[schema(example = "540600")]
    pub code: &'static str,
    #[schema(example = "那曲市")]
    pub name: &'static str,
    pub counties: Vec<CountyDivision>,
}

/// The region's divisions, and the value that stands for an unknown place.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "prefectures": [{"code": "540600", "name": "那曲市", "counties": [
        {"code": "540602", "name": "色尼区"}, {"code": "540627", "name": "班戈县"}]}],
    "not_recorded": "未记录"
}))]
pub struct Divisions {
    /// The 7 prefectures in code order, each with its counties (74 in all).
    pub prefectures: Vec<PrefectureDivision>,
    /// Accepted as a village's prefecture or county when the place is not recorded.
    #[schema(example = "未记录")]
    pub not_recorded: &'static str,
}

fn divisions() -> Divisions {
    Divisions {
        prefectures: TIBET
            .iter()
            .map(|p| PrefectureDivision {
                code: p.code,
                name: p.name,
                counties: p
                    .counties
                    .iter()
                    .map(|c| CountyDivision {
                        code: c.code,
                        name: c.name,
                    })
                    .collect(),
            })
            .collect(),
        not_recorded: NOT_RECORDED,
    }
}

/// The Tibet Autonomous Region's prefectures and counties with their codes (any logged-in user;
/// cacheable for a day).
#[utoipa::path(
    tag = "divisions",
    operation_id = "list_divisions",
    responses((status = 200, description = "Prefectures with their counties; `Cache-Control: public, max-age=86400`", body = Divisions)),
    security(("bearer" = []))
)]
#[get("/divisions")]
pub async fn list(state: web::Data<AppState>, bearer: Bearer) -> Result<HttpResponse, ApiError> {
    // Only the login is checked: the list is the same for everyone.
    state.read_as(bearer, |_, _| Ok(())).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=86400"))
        .json(divisions()))
}
