//! The round handover (交接): `POST /teams/{id}/handover` drafts the outgoing team's document —
//! open projects with their stage, ledger entries the committee has not confirmed, open needs,
//! the ledger balance by source, and a free list of documents handed over — as a **snapshot**
//! stored with the handover, so the document signed is the document drafted. While a draft it
//! may be corrected (`PATCH`: the documents; `redraft: true` takes the snapshot again); the
//! leader of the incoming team (the team of the next round in the same village) signs it off;
//! signed, it never changes (409 `handover_signed`; database triggers refuse it on both
//! backends) and reads from both teams (`GET /teams/{either}/handover`).
//!
//! The sections are a list: a new one (the decisions in progress) is one more [`SectionKey`]
//! and one more arm in [`draft_sections`].

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::dto::utc;
use crate::error::ApiError;
use crate::http::{create_once, json_with_etag, Idempotency, IfMatch};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::handover::{self as rules, SectionKey, Status};
use zhucun_domain::{Action, Resource, Role, Target};
use zhucun_persistence::handovers::{self as q, HandoverRow};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(draft)
        .service(read)
        .service(update)
        .service(sign);
}

/// One line of a section.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SectionItem {
    /// The row it names (a project, ledger entry, need), if any.
    #[schema(example = 12)]
    pub ref_id: Option<i64>,
    #[schema(example = "马格达村饮水工程")]
    pub label: String,
    #[schema(example = "implementing · 2019")]
    pub detail: Option<String>,
    /// Money in fen, where the line is an amount.
    #[schema(example = 150000000)]
    pub amount_fen: Option<i64>,
}

/// A section of the document as drafted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Section {
    /// open_projects, unconfirmed_ledger, open_needs, ledger_balance (more may follow).
    #[schema(example = "open_projects")]
    pub key: String,
    #[schema(example = "在建项目")]
    pub title: String,
    pub items: Vec<SectionItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Handover {
    #[schema(example = 1)]
    pub id: i64,
    pub village_id: i64,
    pub outgoing_team_id: i64,
    pub incoming_team_id: i64,
    /// draft or signed.
    #[schema(example = "signed")]
    pub status: String,
    /// The snapshot taken when drafted, in print order.
    pub sections: Vec<Section>,
    /// The documents handed over.
    #[schema(example = json!(["驻村工作日志 2019 年 3 册", "建档立卡户花名册"]))]
    pub documents: Vec<String>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub drafted_at: DateTime<Utc>,
    /// The incoming leader who signed it (display name) and when.
    #[schema(example = "次仁")]
    pub signed_by_name: Option<String>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub signed_at: Option<DateTime<Utc>>,
    pub version: i32,
}

fn view(row: HandoverRow) -> Result<(Handover, i32), ApiError> {
    let sections: Vec<Section> = serde_json::from_str(&row.content).map_err(ApiError::internal)?;
    let documents: Vec<String> =
        serde_json::from_str(&row.documents).map_err(ApiError::internal)?;
    Ok((
        Handover {
            id: row.id,
            village_id: row.village_id,
            outgoing_team_id: row.outgoing_team_id,
            incoming_team_id: row.incoming_team_id,
            status: row.status,
            sections,
            documents,
            drafted_at: utc(row.drafted_at),
            signed_by_name: row.signed_by_name,
            signed_at: row.signed_at.map(utc),
            version: row.version,
        },
        row.version,
    ))
}

/// Takes the snapshot of a village's open matters, section by section.
pub fn draft_sections(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
) -> Result<Vec<Section>, ApiError> {
    let mut out = Vec::new();
    for &key in SectionKey::ALL {
        let items: Vec<SectionItem> = match key {
            SectionKey::OpenProjects => q::open_projects(conn, village_id)?
                .into_iter()
                .map(|(id, title, stage, year, budget)| SectionItem {
                    ref_id: Some(id),
                    label: title,
                    detail: Some(format!(
                        "{} · {year}",
                        zhucun_domain::project::Stage::from_code(&stage)
                            .map_or(stage.as_str(), |s| s.label())
                    )),
                    amount_fen: Some(budget),
                })
                .collect(),
            SectionKey::UnconfirmedLedger => q::unconfirmed_entries(conn, village_id)?
                .into_iter()
                .map(|(id, date, kind, source, amount, item)| SectionItem {
                    ref_id: Some(id),
                    label: format!(
                        "{date} {}",
                        zhucun_domain::ledger::Kind::from_code(&kind)
                            .map_or(kind.as_str(), |k| k.label())
                    ),
                    detail: Some(match item {
                        Some(i) => format!(
                            "{} · {i}",
                            zhucun_domain::ledger::Source::from_code(&source)
                                .map_or(source.as_str(), |s| s.label())
                        ),
                        None => zhucun_domain::ledger::Source::from_code(&source)
                            .map_or(source.clone(), |s| s.label().to_owned()),
                    }),
                    amount_fen: Some(amount),
                })
                .collect(),
            SectionKey::OpenNeeds => q::open_needs(conn, village_id)?
                .into_iter()
                .map(
                    |(id, raised_on, category, description, status)| SectionItem {
                        ref_id: Some(id),
                        label: description,
                        detail: Some(format!(
                            "{raised_on} · {} · {}",
                            zhucun_domain::need::Category::from_code(&category)
                                .map_or(category.as_str(), |c| c.label()),
                            zhucun_domain::need::Status::from_code(&status)
                                .map_or(status.as_str(), |s| s.label())
                        )),
                        amount_fen: None,
                    },
                )
                .collect(),
            SectionKey::LedgerBalance => q::balance_by_source(conn, department_id, village_id)?
                .into_iter()
                .map(|(source, sums)| {
                    let source = source.unwrap_or_default();
                    SectionItem {
                        ref_id: None,
                        label: zhucun_domain::ledger::Source::from_code(&source)
                            .map_or(source.clone(), |s| s.label().to_owned()),
                        detail: Some(format!(
                            "收入 {} 分 · 支出 {} 分 · {} 笔",
                            sums.received_fen, sums.spent_fen, sums.entries
                        )),
                        // The balance: what reached the village less what was spent.
                        amount_fen: Some(sums.received_fen - sums.spent_fen),
                    }
                })
                .collect(),
            SectionKey::DecisionsInProgress => q::decisions_in_progress(conn, village_id)?
                .into_iter()
                .map(|(id, title, raised_on, last_step, amount)| {
                    use zhucun_domain::decision::Step;
                    let done = Step::from_number(last_step).map_or_else(
                        || "尚未记录步骤".to_owned(),
                        |s| format!("已完成：{}", s.label()),
                    );
                    let next = Step::from_number(last_step)
                        .map_or(Some(Step::Proposal), Step::next)
                        .map_or_else(String::new, |s| format!(" · 下一步：{}", s.label()));
                    SectionItem {
                        ref_id: Some(id),
                        label: title,
                        detail: Some(format!("{raised_on} 提出 · {done}{next}")),
                        amount_fen: amount,
                    }
                })
                .collect(),
        };
        out.push(Section {
            key: key.code().to_owned(),
            title: key.label().to_owned(),
            items,
        });
    }
    Ok(out)
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"documents": ["驻村工作日志 2019 年 3 册", "建档立卡户花名册", "村集体经济台账"]}))]
pub struct HandoverDraft {
    /// The documents handed over, one line each (at most 200).
    #[serde(default)]
    pub documents: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"documents": ["驻村工作日志 2019 年 3 册", "建档立卡户花名册"], "redraft": true}))]
pub struct HandoverPatch {
    /// The documents handed over (replaces the list).
    pub documents: Option<Vec<String>>,
    /// `true`: take the snapshot of the sections again (today's figures).
    #[serde(default)]
    pub redraft: bool,
}

fn load_team(
    conn: &mut DbConnection,
    auth: &Auth,
    action: Action,
    team_id: i64,
) -> Result<(i64, i64, chrono::NaiveDate), ApiError> {
    let (department_id, village_id, starts) =
        q::team_place(conn, team_id)?.ok_or(ApiError::NotFound)?;
    auth.require(
        action,
        Resource::Handover,
        Target {
            department_id,
            village_id: Some(village_id),
        },
    )?;
    Ok((department_id, village_id, starts))
}

fn load(
    conn: &mut DbConnection,
    auth: &Auth,
    action: Action,
    team_id: i64,
) -> Result<HandoverRow, ApiError> {
    load_team(conn, auth, Action::Read, team_id)?;
    let row = q::of_team(conn, team_id)?.ok_or(ApiError::NotFound)?;
    auth.require(
        action,
        Resource::Handover,
        Target {
            department_id: row.department_id,
            village_id: Some(row.village_id),
        },
    )?;
    Ok(row)
}

fn signed_refusal() -> ApiError {
    ApiError::Refused {
        code: rules::SignRefusal::AlreadySigned.code(),
        message: "the handover is signed: it never changes".to_owned(),
    }
}

/// Draft the handover of an outgoing team to the team of the next round in the same village:
/// the open projects with their stage, unconfirmed ledger entries, open needs and the ledger
/// balance by source as of today (a snapshot kept with the handover), and the documents handed
/// over. The team of the village or the department drafts it. A team with a handover already is
/// a 409 `handover_exists`; a village without a next round's team a 409 `handover_no_incoming_team`.
#[utoipa::path(tag = "handovers", operation_id = "draft_handover",
    params(("id" = i64, Path, description = "Outgoing team id"), Idempotency),
    request_body = HandoverDraft,
    responses((status = 201, description = "Drafted", body = Handover),
        (status = 409, description = "A handover exists (`handover_exists`) or no next team (`handover_no_incoming_team`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/teams/{id}/handover")]
pub async fn draft(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    idem: Idempotency,
    body: web::Json<HandoverDraft>,
) -> Result<HttpResponse, ApiError> {
    let team_id = id.into_inner();
    let b = body.into_inner();
    let documents = rules::documents("documents", &b.documents)?;
    let created = state
        .write_as(bearer, move |conn, auth| {
            let (department_id, village_id, starts) =
                load_team(conn, auth, Action::Create, team_id)?;
            create_once(conn, auth.user.id, &idem, &b, |conn| {
                if q::of_team(conn, team_id)?.is_some_and(|h| h.outgoing_team_id == team_id) {
                    return Err(ApiError::Refused {
                        code: "handover_exists",
                        message: "this team's handover is drafted already: change that one"
                            .to_owned(),
                    });
                }
                let incoming = q::next_team(conn, department_id, village_id, starts)?.ok_or(
                    ApiError::Refused {
                        code: "handover_no_incoming_team",
                        message: "the village has no team of a later round to hand over to yet"
                            .to_owned(),
                    },
                )?;
                let sections = draft_sections(conn, department_id, village_id)?;
                let content = serde_json::to_string(&sections).map_err(ApiError::internal)?;
                let docs = serde_json::to_string(&documents).map_err(ApiError::internal)?;
                let row = q::insert(
                    conn,
                    department_id,
                    village_id,
                    (team_id, incoming),
                    &content,
                    &docs,
                    auth.user.id,
                    zhucun_persistence::now(),
                )?;
                let (view, version) = view(row)?;
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "handover",
                    view.id,
                    audit::NONE,
                    Some(&view),
                )?;
                Ok((view, version))
            })
        })
        .await?;
    Ok(created.into_response())
}

/// The handover a team gave (as the outgoing team) or received (as the incoming team).
#[utoipa::path(tag = "handovers", operation_id = "get_handover",
    params(("id" = i64, Path, description = "Outgoing or incoming team id")),
    responses((status = 200, description = "The handover", body = Handover)), security(("bearer" = [])))]
#[get("/teams/{id}/handover")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let team_id = id.into_inner();
    let row = state
        .read_as(bearer, move |conn, auth| {
            load(conn, auth, Action::Read, team_id)
        })
        .await?;
    let (v, version) = view(row)?;
    json_with_etag(StatusCode::OK, &v, version)
}

/// Correct a draft: the documents handed over, or `redraft: true` to take the sections' snapshot
/// again. A signed handover is a 409 `handover_signed`.
#[utoipa::path(tag = "handovers", operation_id = "update_handover",
    params(("id" = i64, Path, description = "Outgoing or incoming team id"), IfMatch),
    request_body = HandoverPatch,
    responses((status = 200, description = "The changed draft", body = Handover),
        (status = 409, description = "Signed already (`handover_signed`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/teams/{id}/handover")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<HandoverPatch>,
) -> Result<HttpResponse, ApiError> {
    let team_id = id.into_inner();
    let p = body.into_inner();
    let documents = match &p.documents {
        Some(d) => Some(rules::documents("documents", d)?),
        None => None,
    };
    let row = state
        .write_as(bearer, move |conn, auth| {
            let row = load(conn, auth, Action::Update, team_id)?;
            let status = Status::from_code(&row.status).unwrap_or(Status::Signed);
            rules::may_change(status).map_err(|_| signed_refusal())?;
            if_match.check(row.version)?;
            let docs = match &documents {
                Some(d) => serde_json::to_string(d).map_err(ApiError::internal)?,
                None => row.documents.clone(),
            };
            let content = if p.redraft {
                let sections = draft_sections(conn, row.department_id, row.village_id)?;
                Some(serde_json::to_string(&sections).map_err(ApiError::internal)?)
            } else {
                None
            };
            if docs == row.documents && content.as_ref().is_none_or(|c| *c == row.content) {
                return Ok(row);
            }
            let after = q::update_draft(
                conn,
                row.id,
                row.version,
                &docs,
                content.as_deref().map(|c| (c, auth.user.id)),
                zhucun_persistence::now(),
            )?
            .ok_or(ApiError::PreconditionFailed)?;
            audit::record(
                conn,
                &auth.audit(),
                "update",
                "handover",
                row.id,
                Some(&view(row)?.0),
                Some(&view(after.clone())?.0),
            )?;
            Ok(after)
        })
        .await?;
    let (v, version) = view(row)?;
    json_with_etag(StatusCode::OK, &v, version)
}

/// Sign the handover off: only the leader of the incoming team (403
/// `handover_incoming_leader_only` for anyone else, the department included); once (409
/// `handover_signed`). Signed, it never changes and reads from both teams.
#[utoipa::path(tag = "handovers", operation_id = "sign_handover",
    params(("id" = i64, Path, description = "Outgoing or incoming team id"), IfMatch),
    responses((status = 200, description = "Signed", body = Handover),
        (status = 403, description = "Not the incoming team's leader (`handover_incoming_leader_only`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Signed already (`handover_signed`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/teams/{id}/handover/sign")]
pub async fn sign(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let team_id = id.into_inner();
    let row = state
        .write_as(bearer, move |conn, auth| {
            let row = load(conn, auth, Action::Update, team_id)?;
            let status = Status::from_code(&row.status).unwrap_or(Status::Signed);
            let leads = auth.role == Role::Team
                && match auth.user.cadre_id {
                    Some(c) => {
                        zhucun_persistence::presence::leads_team(conn, c, row.incoming_team_id)?
                    }
                    None => false,
                };
            rules::may_sign(status, leads).map_err(|e| match e {
                rules::SignRefusal::AlreadySigned => signed_refusal(),
                rules::SignRefusal::NotIncomingLeader => ApiError::ForbiddenBecause {
                    code: e.code(),
                    message: "only the leader of the incoming team signs the handover off"
                        .to_owned(),
                },
            })?;
            if_match.check(row.version)?;
            let after = q::sign(
                conn,
                row.id,
                row.version,
                auth.user.id,
                &auth.user.display_name,
                zhucun_persistence::now(),
            )?
            .ok_or(ApiError::PreconditionFailed)?;
            audit::record(
                conn,
                &auth.audit(),
                "sign",
                "handover",
                row.id,
                Some(&view(row)?.0),
                Some(&view(after.clone())?.0),
            )?;
            Ok(after)
        })
        .await?;
    let (v, version) = view(row)?;
    json_with_etag(StatusCode::OK, &v, version)
}
