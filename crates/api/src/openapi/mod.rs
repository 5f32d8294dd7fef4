//! The OpenAPI document: handlers registered with `service(...)` add themselves; this adds the
//! description, the bearer scheme and the problem responses every operation can give.

mod conventions;

use crate::error::Problem;
use actix_web::App;
use conventions::Conventions;
use utoipa::openapi::OpenApi;
use utoipa::OpenApi as _;
use utoipa_actix_web::AppExt;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "zhucun API",
        description = "Village-stationed work teams (驻村工作队): organisation, people and villages of a department.\n\n\
Log in with `POST /api/v1/auth/login`, then send `Authorization: Bearer <access_token>`. \
Errors are RFC 9457 `application/problem+json`. Lists take `limit` (≤ 500) and `cursor`. \
Updates take `If-Match` with the `ETag` you loaded; creates take an optional `Idempotency-Key`.",
        version = "1.0.0",
        license(name = "Apache-2.0")
    ),
    components(schemas(Problem)),
    modifiers(&Conventions),
    tags(
        (name = "auth", description = "Log in, refresh, log out"),
        (name = "me", description = "The logged-in user"),
        (name = "departments", description = "Departments (tenants)"),
        (name = "offices", description = "Offices (处室) of a department"),
        (name = "users", description = "User accounts (admin)"),
        (name = "cadres", description = "Cadres (干部)"),
        (name = "villages", description = "Villages where teams are stationed"),
        (name = "divisions", description = "The region's 市 and 县 with their codes (a village's place)"),
        (name = "rounds", description = "Yearly rounds (驻村批次)"),
        (name = "teams", description = "Work teams and their members"),
        (name = "surveys", description = "Village surveys (村情调研), one per village per year"),
        (name = "households", description = "农牧户: households with their category history (never rewritten) and the yearly 两不愁三保障 + safe drinking water checklist. Personal data (member names, phone) only for the department and the team and committee of the village; no national ID numbers"),
        (name = "pairings", description = "结对认亲: cadres paired with households for a year (many-to-many), and the year's coverage"),
        (name = "assistance", description = "帮扶: what cadres gave households (cash, goods valued, services) in fen, and totals"),
        (name = "reports", description = "年度总结: the annual report computed from the records (sections grow with the modules)"),
        (name = "projects", description = "驻村项目: a village's projects, their stage pipeline (proposed → mature → declared → coordinating → implementing → completed → accepted, or cancelled) moved by transitions with an event each, and the IATI activity status derived from the stage. Funds come from the ledger"),
        (name = "ledger", description = "资金台账: immutable entries of money and goods reaching a village (allocations, cash and in-kind donations) and of what is spent; reversals instead of edits (PATCH and DELETE are 405), the village committee's confirmation of receipt, totals that agree with the entries to the fen; and the department's donors (捐赠方)"),
        (name = "activities", description = "活动: policy briefings, skills trainings (with the skill), free clinics (people seen, medicine value, partner), cultural events, study visits (destination), donation drives, relief visits, clean-ups, meetings and party building (new party members, organisations formed) held in a village, with participants, beneficiaries (optionally the households) and the value given in fen; kind-specific fields only for their kind; summaries by kind, skill and clinic computed from the records"),
        (name = "needs", description = "群众诉求: difficulties residents raised (by a household or in words), their category and due day, moved open → in_progress → resolved / declined by transitions (declining says why, resolving how); the committee raises and moves them too; the queue lists the oldest open first"),
        (name = "cooperatives", description = "合作社: a village's cooperatives, their members and contributions (cash, land, livestock valued in fen), the five rule documents, yearly accounts, and surplus distributions under the 60 % rule (at least 60 % of the distributable surplus back to members by trade volume; shares to the fen)"),
        (name = "decisions", description = "四议两公开: a village matter decided by six ordered steps (党支部提议, 两委商议, 党员大会审议, 村民（代表）会议决议, 决议公开, 实施结果公开) recorded by the village committee; the party members' meeting needs ⅔ of the members present and more than half of those present in favour, the villagers' meeting the department's quorum and a majority, else the decision stops as rejected; steps 5 and 6 publish disclosures"),
        (name = "disclosures", description = "村务公开: a village's disclosures (general, finance, major, decision) drafted, published by the committee and withdrawn with a reason; the disclosure calendar of what is due and overdue (general matters quarterly, finances monthly, donations within 30 days, resolutions within the department's days)"),
        (name = "public", description = "The village's public disclosure board, without login: only published (and withdrawn, as withdrawn) disclosures, no personal data, paginated, rate-limited per client, cacheable with ETag"),
        (name = "presence", description = "驻村考勤 and 请假: days in the village recorded as days, not clicks (a range at once, also after the fact; in the village or away with a reason; optionally the day's log), one record per cadre per day (a new range replaces days recorded before); leave requests decided by the team leader up to the department's local limit and by the department beyond it; the team's month per cadre sorted by name (days in the village against the minimum, approved leave, days unaccounted). No GPS, photos, online time or rankings. The village committee does not see them"),
        (name = "handovers", description = "交接: the outgoing team's handover to the next round's team of the village — open projects with their stage, unconfirmed ledger entries, open needs, the ledger balance by source (a snapshot taken when drafted) and the documents handed over; signed off by the incoming team's leader, then immutable"),
        (name = "imports", description = "Excel import of households, cadres and villages: a template per kind (Chinese headings, an example row, a sheet 说明), a dry run answering per-row errors (row as Excel numbers it, column heading, code, message) with nothing written, and a commit writing every row in one transaction or none. Rows match existing records by a natural key (households: village + head's name + address; cadres: name + phone; villages: county + name), so importing the same file again creates nothing"),
        (name = "statistics", description = "区域统计: region-wide figures per department, county and village for the regional office (regional users and stats:read clients); no personal data, cells about fewer than 3 households withheld"),
        (name = "audit", description = "The audit trail (admin)"),
        (name = "api_clients", description = "API 客户端: programs of a department (or, for the operator, of the region) that read reports, projects, the ledger or statistics with an OAuth 2.0 client-credentials token from `POST /api/v1/auth/token`; the secret is shown once (on create and rotate); revoking or rotating ends the client's tokens at once"),
        (name = "health", description = "Liveness and readiness")
    )
)]
pub struct ApiDoc;

/// The document as served and committed: the base, the paths the routes register, and the
/// conventions applied to every operation.
pub fn document() -> OpenApi {
    let (_, mut api) =
        crate::routes::register(App::new().into_utoipa_app().openapi(base())).split_for_parts();
    // Modifiers of the derive run on the base document only; apply them to the collected paths.
    utoipa::Modify::modify(&Conventions, &mut api);
    utoipa::Modify::modify(&conventions::ClientScopes, &mut api);
    api
}

pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

/// Paths and methods of the API, to tell "wrong method" (405) from "no such route" (404).
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<&'static str>)>,
}

impl RouteTable {
    pub fn from_openapi(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let mut methods = Vec::new();
                if item.get.is_some() {
                    methods.push("GET");
                }
                if item.post.is_some() {
                    methods.push("POST");
                }
                if item.put.is_some() {
                    methods.push("PUT");
                }
                if item.patch.is_some() {
                    methods.push("PATCH");
                }
                if item.delete.is_some() {
                    methods.push("DELETE");
                }
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods allowed on `path`, if it is a route of the API. A literal segment wins over a
    /// parameter (`/pairings/coverage` is not `/pairings/{id}`): only the matching routes with
    /// the fewest parameters count.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut allowed: Vec<&str> = Vec::new();
        let mut fewest = usize::MAX;
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p);
            if !matches {
                continue;
            }
            let params = segments.iter().filter(|s| s.starts_with('{')).count();
            if params < fewest {
                fewest = params;
                allowed.clear();
            }
            if params == fewest {
                allowed.extend(methods.iter().copied());
            }
        }
        if allowed.is_empty() {
            None
        } else {
            allowed.sort_unstable();
            allowed.dedup();
            Some(allowed.join(", "))
        }
    }
}
