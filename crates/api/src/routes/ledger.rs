//! The funds ledger (资金台账): every yuan and every good that reaches a village or is spent
//! there, as immutable entries. The department records allocations; team members record
//! expenditures and the donations they bring in (cash or in kind, valued in fen). An entry is
//! never changed or removed (`PATCH` and `DELETE` are 405): a mistake is corrected by
//! `POST /ledger/{id}/reversal`, a negative entry on the original's date pointing at it (once;
//! a reversal is never reversed). The village committee confirms receipt of an entry of its
//! village, once. Totals are summed by the database from the entries, reversals included, so
//! they agree with the entries to the fen.

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::dto::utc;
use crate::error::ApiError;
use crate::export;
use crate::http::{create_once, Idempotency};
use crate::paging::ListRequest;
use crate::record::{self, own_opt, Linkable, Planned, Record};
use crate::routes::donors::Donors;
use crate::routes::projects::Projects;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::ledger::{self as rules, Kind, Quantity, Refusal, Source};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Role, Target};
use zhucun_persistence::ledger::{
    self as q, EntryValues, EntryView, LedgerFilter, LedgerSort, Sums, TotalsBy,
};
use zhucun_persistence::{Creatable, DbConnection};

pub fn configure(cfg: &mut ServiceConfig) {
    // The literal paths before `{id}`.
    cfg.service(totals)
        .service(list)
        .service(create)
        .service(read)
        .service(reverse)
        .service(confirm);
}

/// The committee's confirmation of receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerConfirmation {
    #[schema(example = "committee_yakaya")]
    pub by_username: String,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    #[schema(example = 31)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    pub project_id: Option<i64>,
    #[schema(example = "亚卡亚村养殖专业合作社养殖项目")]
    pub project_title: Option<String>,
    /// The day the money or goods moved (a reversal carries its original's day).
    #[schema(example = "2019-05-20")]
    pub date: NaiveDate,
    /// allocation 拨付, expenditure 支出, cash_donation 现金捐赠, in_kind_donation 实物捐赠.
    #[schema(example = "allocation")]
    pub kind: String,
    /// finance 财政资金, department 厅自有资金, donor 社会捐赠, other 其他.
    #[schema(example = "department")]
    pub source: String,
    pub donor_id: Option<i64>,
    #[schema(example = "西藏信托有限公司")]
    pub donor_name: Option<String>,
    /// Goods in kind: what.
    #[schema(example = "草种")]
    pub item: Option<String>,
    /// Goods in kind: how many, as an exact decimal.
    #[schema(example = "15")]
    pub quantity: Option<String>,
    #[schema(example = "吨")]
    pub unit: Option<String>,
    /// Fen; negative for a reversal.
    #[schema(example = 30000000)]
    pub amount_fen: i64,
    /// `in` (allocations and donations reaching the village) or `out` (expenditures).
    #[schema(example = "in")]
    pub direction: String,
    /// What proves it (a document number, a receipt).
    #[schema(example = "藏财农〔2019〕45号")]
    pub evidence: Option<String>,
    /// For a reversal: the entry it reverses.
    pub reverses_id: Option<i64>,
    #[schema(example = "金额录入错误")]
    pub reversal_reason: Option<String>,
    /// The reversal of this entry, if it has been reversed.
    pub reversed_by_id: Option<i64>,
    pub confirmation: Option<LedgerConfirmation>,
    /// Whether the village committee may confirm it now (an original entry that stands, not yet
    /// confirmed).
    pub confirmable: bool,
    #[schema(example = "office_staff")]
    pub created_by_username: String,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
}

fn kind_of(code: &str) -> Kind {
    // Only codes of `Kind` are ever stored.
    Kind::from_code(code).unwrap_or(Kind::Allocation)
}

impl From<EntryView> for LedgerEntry {
    fn from(v: EntryView) -> Self {
        let confirmable = rules::awaits_confirmation(v.state());
        let e = v.entry;
        let s = e.values;
        Self {
            id: e.id,
            village_id: s.village_id,
            village_name: v.village_name,
            project_id: s.project_id,
            project_title: v.project_title,
            date: s.entry_date,
            direction: if kind_of(&s.kind).is_incoming() {
                "in"
            } else {
                "out"
            }
            .to_owned(),
            kind: s.kind,
            source: s.source,
            donor_id: s.donor_id,
            donor_name: v.donor_name,
            item: s.item,
            quantity: s
                .quantity_milli
                .and_then(Quantity::from_milli)
                .map(|q| q.to_string()),
            unit: s.unit,
            amount_fen: s.amount_fen,
            evidence: s.evidence,
            reverses_id: s.reverses_id,
            reversal_reason: s.reversal_reason,
            reversed_by_id: v.reversed_by_id,
            confirmation: v.confirmation.map(|c| LedgerConfirmation {
                by_username: c.username,
                at: utc(c.at),
            }),
            confirmable,
            created_by_username: s.created_by_username,
            created_at: utc(e.created_at),
        }
    }
}

crate::list_type!(LedgerEntryList, LedgerEntry);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"village_id": 3, "project_id": 7, "date": "2019-05-20",
    "kind": "in_kind_donation", "source": "donor", "donor_id": 2, "item": "草种",
    "quantity": "15", "unit": "吨", "amount_fen": 15000000, "evidence": "捐赠清单 2019-017"}))]
pub struct LedgerEntryCreate {
    pub village_id: i64,
    /// A project of the same village.
    pub project_id: Option<i64>,
    /// Not before 2011-10-01, not in the future.
    pub date: NaiveDate,
    /// The department records `allocation`; team members `expenditure`, `cash_donation` and
    /// `in_kind_donation`.
    pub kind: String,
    /// Donations come from a `donor` (with `donor_id`).
    pub source: String,
    pub donor_id: Option<i64>,
    /// Goods in kind (and only they): what, how many (at most three decimals), which unit.
    pub item: Option<String>,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    /// Fen, at least 1 (goods valued in fen).
    pub amount_fen: i64,
    pub evidence: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    /// Why the entry was wrong (required).
    #[schema(example = "金额录入错误，应为 2.8 万元")]
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `date` or `amount`; prefix `-` for descending. Default `-date` (newest first).
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    pub project_id: Option<i64>,
    /// A kind code.
    pub kind: Option<String>,
    /// A source code.
    pub source: Option<String>,
    pub donor_id: Option<i64>,
    /// Dated in this year.
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// Dated on or after this day.
    pub from: Option<NaiveDate>,
    /// Dated on or before this day.
    pub to: Option<NaiveDate>,
    /// `true`: only entries waiting for the village committee's confirmation.
    pub unconfirmed: Option<bool>,
    /// Only entries dated at least this many days ago (with `unconfirmed=true`: what has waited
    /// too long).
    #[param(minimum = 0, maximum = 36500, example = 30)]
    pub older_than_days: Option<i64>,
    /// Text in the item, the evidence note or a reversal's reason.
    pub q: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// The filters the list and the totals share (the query structs repeat the fields: a flattened
/// struct would read every number of a query string as text).
#[derive(Debug)]
pub struct LedgerFilterQuery {
    pub village_id: Option<i64>,
    pub project_id: Option<i64>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub donor_id: Option<i64>,
    pub year: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unconfirmed: Option<bool>,
    pub older_than_days: Option<i64>,
    pub q: Option<String>,
}

/// Both query structs give their filter fields the same way.
macro_rules! filter_of {
    ($q:expr) => {
        LedgerFilterQuery {
            village_id: $q.village_id,
            project_id: $q.project_id,
            kind: $q.kind,
            source: $q.source,
            donor_id: $q.donor_id,
            year: $q.year,
            from: $q.from,
            to: $q.to,
            unconfirmed: $q.unconfirmed,
            older_than_days: $q.older_than_days,
            q: $q.q,
        }
    };
}

impl LedgerFilterQuery {
    /// The checked filter, within the caller's scope (set by the caller).
    fn parse(self) -> Result<LedgerFilter, ApiError> {
        let mut inv = Invalid::new();
        let today = zhucun_domain::calendar::today_local();
        let kind = self
            .kind
            .as_deref()
            .and_then(|k| inv.check(Kind::parse("kind", k)))
            .map(|k| k.code().to_owned());
        let source = self
            .source
            .as_deref()
            .and_then(|s| inv.check(Source::parse("source", s)))
            .map(|s| s.code().to_owned());
        let mut from = self.from;
        let mut to = self.to;
        if let Some(y) = self.year {
            if inv
                .check(zhucun_domain::survey::year("year", y, today))
                .is_some()
            {
                from = tighter(NaiveDate::from_ymd_opt(y, 1, 1), from, true);
                to = tighter(NaiveDate::from_ymd_opt(y, 12, 31), to, false);
            }
        }
        if let Some(days) = self.older_than_days {
            if (0..=36_500).contains(&days) {
                let cutoff = today.checked_sub_days(chrono::Days::new(days.unsigned_abs()));
                to = tighter(cutoff, to, false);
            } else {
                inv.push(zhucun_domain::validation::between(
                    "older_than_days",
                    0,
                    36_500,
                ));
            }
        }
        inv.into_result()?;
        Ok(LedgerFilter {
            department_id: 0,
            only_villages: None,
            village_id: self.village_id,
            project_id: self.project_id,
            kind,
            source,
            donor_id: self.donor_id,
            from,
            to,
            awaiting_confirmation: self.unconfirmed.unwrap_or(false),
            search: self
                .q
                .as_deref()
                .and_then(text::search_query)
                .map(|s| text::like_contains(&s)),
            for_project: None,
        })
    }
}

/// The later of two optional lower bounds / the earlier of two upper bounds.
fn tighter(a: Option<NaiveDate>, b: Option<NaiveDate>, later: bool) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if later { a.max(b) } else { a.min(b) }),
        (a, b) => a.or(b),
    }
}

/// Narrows a parsed filter to what the caller may list.
fn scoped(auth: &Auth, mut filter: LedgerFilter) -> Result<LedgerFilter, ApiError> {
    let scope = list_scope(&auth.actor, Resource::LedgerEntry).map_err(ApiError::from)?;
    filter.department_id = scope.department_id;
    filter.only_villages = scope.villages;
    Ok(filter)
}

/// Ledger entries as records: created once, never updated (see [`crate::record`]).
pub struct LedgerEntries;

impl Record for LedgerEntries {
    type Table = q::Ledger;
    type View = LedgerEntry;
    const RESOURCE: Resource = Resource::LedgerEntry;
    const ENTITY: &'static str = "ledger_entry";

    fn target(v: &EntryView) -> Target {
        Target {
            department_id: v.entry.department_id,
            village_id: Some(v.entry.values.village_id),
        }
    }
    fn active(_: &EntryView) -> bool {
        true
    }
}

/// An entry's fields as a request gives them.
pub struct Fields<'a> {
    pub village_id: i64,
    pub project_id: Option<i64>,
    pub date: NaiveDate,
    pub kind: &'a str,
    pub source: &'a str,
    pub donor_id: Option<i64>,
    pub item: Option<&'a str>,
    pub quantity: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub amount_fen: i64,
    pub evidence: Option<&'a str>,
}

/// Who writes an entry.
pub struct Author<'a> {
    pub user_id: i64,
    pub username: &'a str,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
/// The references (village, project, donor) are checked against the database by the caller.
pub fn values(f: Fields<'_>, author: Author<'_>) -> Result<EntryValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let date = inv.check(zhucun_domain::household::assistance_date(
        "date", f.date, today,
    ));
    let kind = inv.check(Kind::parse("kind", f.kind));
    let source = inv.check(Source::parse("source", f.source));
    let amount = inv.check(rules::amount("amount_fen", f.amount_fen));
    let item = inv.check(text::optional_line("item", f.item, 100));
    let unit = inv.check(text::optional_line("unit", f.unit, 20));
    let quantity = match f.quantity.map(str::trim).filter(|q| !q.is_empty()) {
        Some(raw) => inv
            .check(Quantity::parse("quantity", raw))
            .map(|q| Some(q.milli())),
        None => Some(None),
    };
    let evidence = inv.check(text::optional_text("evidence", f.evidence, 2000));
    if let (Some(kind), Some(source)) = (kind, source) {
        for e in rules::check_shape(rules::Shape {
            kind,
            source,
            has_donor: f.donor_id.is_some(),
            item: f.item,
            quantity: f.quantity,
            unit: f.unit,
        }) {
            // One message per field: a quantity that does not parse is not also "not in kind".
            if !inv.errors.iter().any(|x| x.field == e.field) {
                inv.push(e);
            }
        }
    }
    let (
        Some(date),
        Some(kind),
        Some(source),
        Some(amount),
        Some(item),
        Some(unit),
        Some(quantity),
        Some(evidence),
    ) = (date, kind, source, amount, item, unit, quantity, evidence)
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(EntryValues {
        village_id: f.village_id,
        project_id: f.project_id,
        entry_date: date,
        kind: kind.code().to_owned(),
        source: source.code().to_owned(),
        donor_id: f.donor_id,
        item,
        quantity_milli: quantity,
        unit,
        amount_fen: amount,
        evidence,
        reverses_id: None,
        reversal_reason: None,
        created_by: author.user_id,
        created_by_username: author.username.to_owned(),
    })
}

/// The village must be the department's, the project one of that village, the donor the
/// department's.
pub fn check_links(
    conn: &mut DbConnection,
    department_id: i64,
    values: &EntryValues,
) -> Result<(), ApiError> {
    record::own::<Villages>(
        conn,
        department_id,
        values.village_id,
        "village_id",
        Linkable::Any,
    )?;
    let project = own_opt::<Projects>(
        conn,
        department_id,
        values.project_id,
        "project_id",
        Linkable::Any,
    )?;
    if let Some(p) = project {
        if p.project.values.village_id != values.village_id {
            return Err(crate::error::coded(
                "project_id",
                "project_other_village",
                "the project must be one of the entry's village",
            ));
        }
    }
    own_opt::<Donors>(
        conn,
        department_id,
        values.donor_id,
        "donor_id",
        Linkable::Any,
    )?;
    Ok(())
}

/// The role may record this kind of entry (else a 403 naming the rule).
fn may_record(auth: &Auth, kind: Kind) -> Result<(), ApiError> {
    if rules::may_record(auth.role, kind) {
        Ok(())
    } else {
        Err(ApiError::ForbiddenBecause {
            code: "ledger_kind_not_yours",
            message:
                "the department records allocations; team members record expenditures and donations"
                    .to_owned(),
        })
    }
}

fn refused(r: Refusal) -> ApiError {
    ApiError::Refused {
        code: r.code(),
        message: r.message().to_owned(),
    }
}

/// A unique violation: another request did the same first (two reversals or confirmations
/// racing), answered like the rule that catches it when they do not race.
fn or_refused(e: diesel::result::Error, refusal: Refusal) -> ApiError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => refused(refusal),
        other => other.into(),
    }
}

/// List ledger entries of the villages the caller may see. With `format=csv` or `format=xlsx`
/// (or the matching `Accept`) the whole list with these filters and this sort is a download —
/// CSV streamed page by page, a workbook of at most 100,000 rows — with a totals row at the end.
#[utoipa::path(tag = "ledger", operation_id = "list_ledger_entries", params(LedgerQuery),
    responses((status = 200, description = "One page of ledger entries, or the whole list as a download",
        content((LedgerEntryList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/ledger")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<LedgerQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<LedgerSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let filter = filter_of!(query).parse()?;
    if form != export::Form::Json {
        let for_totals = filter.clone();
        return export::download(
            state,
            bearer,
            form,
            EXPORT,
            req.page,
            move |conn, auth, page| Ok(q::list(conn, &scoped(auth, filter.clone())?, page)?),
            Some(move |conn: &mut DbConnection, auth: &Auth| {
                let all = q::overall(conn, &scoped(auth, for_totals.clone())?)?;
                Ok(export_total(&all))
            }),
        )
        .await;
    }
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let filter = scoped(auth, filter)?;
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(HttpResponse::Ok().json(LedgerEntryList {
        items,
        next_cursor,
        total,
    }))
}

/// The ledger as a spreadsheet: one row per entry, amounts in yuan (reversals negative).
const EXPORT: export::Table<LedgerEntry> = export::Table {
    name: "资金台账",
    ascii_name: "ledger",
    columns: &[
        "编号",
        "日期",
        "村",
        "项目",
        "类别",
        "来源",
        "捐赠方",
        "物品",
        "数量",
        "单位",
        "金额（元）",
        "凭证",
        "冲正编号",
        "冲正原因",
        "村委会确认",
        "确认时间",
        "录入人",
    ],
    cells: |e| {
        use export::{label, Cell};
        vec![
            Cell::from(e.id),
            Cell::from(e.date),
            Cell::from(e.village_name.clone()),
            Cell::from(e.project_title.clone()),
            Cell::from(label(&e.kind, Kind::from_code, Kind::label)),
            Cell::from(label(&e.source, Source::from_code, Source::label)),
            Cell::from(e.donor_name.clone()),
            Cell::from(e.item.clone()),
            Cell::from(e.quantity.clone()),
            Cell::from(e.unit.clone()),
            Cell::Fen(e.amount_fen),
            Cell::from(e.evidence.clone()),
            Cell::from(e.reverses_id),
            Cell::from(e.reversal_reason.clone()),
            Cell::from(e.confirmation.as_ref().map(|c| c.by_username.clone())),
            Cell::from(
                e.confirmation
                    .as_ref()
                    .map(|c| zhucun_domain::calendar::local_minute(c.at)),
            ),
            Cell::from(e.created_by_username.clone()),
        ]
    },
};

/// The totals row under the entries: how many, received, spent and what is left.
fn export_total(all: &zhucun_persistence::ledger::Sums) -> Vec<export::Cell> {
    use export::Cell;
    vec![
        Cell::from("合计"),
        Cell::from(format!("{} 笔", all.entries)),
        Cell::from(format!("收入 {} 元", export::yuan(all.received_fen))),
        Cell::from(format!("支出 {} 元", export::yuan(all.spent_fen))),
        Cell::from(format!(
            "结余 {} 元",
            export::yuan(all.received_fen - all.spent_fen)
        )),
    ]
}

/// Record an entry: the department an allocation, a team member of the village an expenditure
/// or a donation. Entries are never changed afterwards (a mistake is reversed).
#[utoipa::path(tag = "ledger", operation_id = "create_ledger_entry", request_body = LedgerEntryCreate,
    params(Idempotency),
    responses((status = 201, description = "Recorded", body = LedgerEntry),
        (status = 403, description = "The role may not record this kind (`ledger_kind_not_yours`) or none at all", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/ledger")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<LedgerEntryCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let request = serde_json::to_value(&b).map_err(ApiError::internal)?;
    record::create::<LedgerEntries, _, _>(&state, bearer, idem, request, move |conn, auth| {
        let values = values(
            Fields {
                village_id: b.village_id,
                project_id: b.project_id,
                date: b.date,
                kind: &b.kind,
                source: &b.source,
                donor_id: b.donor_id,
                item: b.item.as_deref(),
                quantity: b.quantity.as_deref(),
                unit: b.unit.as_deref(),
                amount_fen: b.amount_fen,
                evidence: b.evidence.as_deref(),
            },
            Author {
                user_id: auth.user.id,
                username: &auth.user.username,
            },
        );
        // The kind decides who may record it: told before the other fields are judged.
        if let Some(kind) = Kind::from_code(b.kind.trim()) {
            may_record(auth, kind)?;
        }
        let values = values?;
        check_links(conn, auth.department_id(), &values)?;
        Ok(Planned {
            village_id: Some(values.village_id),
            values,
        })
    })
    .await
}

/// One ledger entry.
#[utoipa::path(tag = "ledger", operation_id = "get_ledger_entry", params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "The entry", body = LedgerEntry)), security(("bearer" = [])))]
#[get("/ledger/{id:[0-9]+}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<LedgerEntries>(&state, bearer, id.into_inner()).await
}

/// Reverse an entry recorded by mistake: a negative entry of the same amount, kind, village,
/// project, source and day, pointing at it, with the reason. By whoever may record that kind in
/// that village. An entry is reversed at most once (409 `already_reversed`); a reversal is never
/// reversed (409 `reversal_of_reversal`).
#[utoipa::path(tag = "ledger", operation_id = "reverse_ledger_entry",
    params(("id" = i64, Path, description = "Entry id"), Idempotency),
    request_body = ReversalRequest,
    responses((status = 201, description = "The reversal entry", body = LedgerEntry),
        (status = 409, description = "Already reversed, or a reversal", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/conflict", "code": "already_reversed",
                "title": "Conflict", "status": 409, "detail": "this entry has already been reversed"}))),
    security(("bearer" = [])))]
#[post("/ledger/{id}/reversal")]
pub async fn reverse(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    id: web::Path<i64>,
    body: web::Json<ReversalRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let reason = text::optional_text("reason", Some(&b.reason), 2000)?
        .ok_or_else(|| ApiError::from(zhucun_domain::validation::required("reason")))?;
    let created = state
        .write_as(bearer, move |conn, auth| {
            let original = record::load::<LedgerEntries>(conn, auth, Action::Read, id)?;
            auth.require(
                Action::Create,
                Resource::LedgerEntry,
                LedgerEntries::target(&original),
            )?;
            may_record(auth, kind_of(&original.entry.values.kind))?;
            rules::check_reversal(original.state()).map_err(refused)?;
            create_once(conn, auth.user.id, &idem, &b, |conn| {
                let values = EntryValues {
                    amount_fen: -original.entry.values.amount_fen,
                    reverses_id: Some(id),
                    reversal_reason: Some(reason),
                    created_by: auth.user.id,
                    created_by_username: auth.user.username.clone(),
                    ..original.entry.values.clone()
                };
                let row = q::Ledger::insert(
                    conn,
                    original.entry.department_id,
                    &values,
                    zhucun_persistence::now(),
                )
                .map_err(|e| or_refused(e, Refusal::AlreadyReversed))?;
                record::created::<LedgerEntries>(conn, auth, row)
            })
        })
        .await?;
    Ok(created.into_response())
}

/// Confirm receipt of an entry of the village (the village committee of that village only;
/// once). Another village's committee does not see the entry (404); other roles may not
/// confirm (403 `confirmation_by_committee`).
#[utoipa::path(tag = "ledger", operation_id = "confirm_ledger_entry",
    params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, description = "The entry with its confirmation", body = LedgerEntry),
        (status = 403, description = "Not the village committee (`confirmation_by_committee`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already confirmed, or a reversal / reversed entry (`already_confirmed`, `not_confirmable`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/ledger/{id}/confirmation")]
pub async fn confirm(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let after = state
        .write_as(bearer, move |conn, auth| {
            let before = record::load::<LedgerEntries>(conn, auth, Action::Read, id)?;
            if auth.role != Role::VillageCommittee {
                return Err(ApiError::ForbiddenBecause {
                    code: "confirmation_by_committee",
                    message: "only the village committee of the entry's village confirms receipt"
                        .to_owned(),
                });
            }
            rules::check_confirmation(before.state()).map_err(refused)?;
            let now = zhucun_persistence::now();
            if !q::confirm(
                conn,
                before.entry.department_id,
                id,
                auth.user.id,
                &auth.user.username,
                now,
            )? {
                return Err(refused(Refusal::AlreadyConfirmed));
            }
            let after = q::get(conn, id)?;
            let (b, a) = (
                LedgerEntry::from(before.clone()),
                LedgerEntry::from(after.clone()),
            );
            audit::record(
                conn,
                &auth.audit(),
                "confirm",
                LedgerEntries::ENTITY,
                id,
                Some(&b),
                Some(&a),
            )?;
            Ok(after)
        })
        .await?;
    record::respond::<LedgerEntries>(StatusCode::OK, after)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TotalsQuery {
    /// `village`, `project`, `source`, `kind`, `donor` or `year`.
    #[param(example = "source")]
    pub group_by: String,
    pub village_id: Option<i64>,
    pub project_id: Option<i64>,
    /// A kind code.
    pub kind: Option<String>,
    /// A source code.
    pub source: Option<String>,
    pub donor_id: Option<i64>,
    /// Dated in this year.
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// Dated on or after this day.
    pub from: Option<NaiveDate>,
    /// Dated on or before this day.
    pub to: Option<NaiveDate>,
    /// `true`: only entries waiting for the village committee's confirmation.
    pub unconfirmed: Option<bool>,
    /// Only entries dated at least this many days ago (with `unconfirmed=true`: what has waited
    /// too long).
    #[param(minimum = 0, maximum = 36500, example = 30)]
    pub older_than_days: Option<i64>,
    /// Text in the item, the evidence note or a reversal's reason.
    pub q: Option<String>,
}

/// Sums in fen of the entries a filter takes, reversals included.
#[derive(Debug, Serialize, ToSchema, Default)]
pub struct LedgerSums {
    /// How many entries (reversals count as entries).
    #[schema(example = 12)]
    pub entries: i64,
    /// Allocations and donations, in cash or in kind.
    #[schema(example = 131000000)]
    pub received_fen: i64,
    /// Expenditures.
    #[schema(example = 95000000)]
    pub spent_fen: i64,
    /// Every amount (received + spent, as both are positive amounts of their own kind).
    #[schema(example = 226000000)]
    pub amount_fen: i64,
}

impl From<Sums> for LedgerSums {
    fn from(s: Sums) -> Self {
        Self {
            entries: s.entries,
            received_fen: s.received_fen,
            spent_fen: s.spent_fen,
            amount_fen: s.amount_fen,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerGroup {
    /// The group: a village, project or donor id, a source or kind code, or a year — as text;
    /// `null` for entries without a project or donor.
    #[schema(example = "department")]
    pub key: Option<String>,
    /// The village's name, project's title or donor's name; `null` for codes and years.
    pub label: Option<String>,
    #[serde(flatten)]
    pub sums: LedgerSums,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"group_by": "source", "groups": [
    {"key": "department", "label": null, "entries": 3, "received_fen": 131000000, "spent_fen": 0, "amount_fen": 131000000},
    {"key": "donor", "label": null, "entries": 9, "received_fen": 117000000, "spent_fen": 0, "amount_fen": 117000000}],
    "total": {"entries": 12, "received_fen": 248000000, "spent_fen": 0, "amount_fen": 248000000}}))]
pub struct LedgerTotals {
    #[schema(example = "source")]
    pub group_by: String,
    pub groups: Vec<LedgerGroup>,
    /// The sums of every entry the filter takes (equal to the groups' sums added up).
    pub total: LedgerSums,
}

/// Totals of the ledger by a group, with the list's filters: sums in fen that agree with the
/// entries to the fen, reversals included (at most 5000 groups).
#[utoipa::path(tag = "ledger", operation_id = "ledger_totals", params(TotalsQuery),
    responses((status = 200, description = "The sums by group and in all", body = LedgerTotals)), security(("bearer" = [])))]
#[get("/ledger/totals")]
pub async fn totals(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<TotalsQuery>,
) -> Result<web::Json<LedgerTotals>, ApiError> {
    let query = query.into_inner();
    let by = match query.group_by.trim() {
        "village" => TotalsBy::Village,
        "project" => TotalsBy::Project,
        "source" => TotalsBy::Source,
        "kind" => TotalsBy::Kind,
        "donor" => TotalsBy::Donor,
        "year" => TotalsBy::Year,
        _ => {
            return Err(zhucun_domain::validation::one_of(
                "group_by",
                &["village", "project", "source", "kind", "donor", "year"],
            )
            .into())
        }
    };
    let group_by = query.group_by.trim().to_owned();
    let filter = filter_of!(query).parse()?;
    let (groups, total) = state
        .read_as(bearer, move |conn, auth| {
            let filter = scoped(auth, filter)?;
            let groups = q::totals(conn, &filter, by)?;
            let ids: Vec<i64> = groups
                .iter()
                .filter_map(|(k, _)| k.as_deref().and_then(|k| k.parse().ok()))
                .collect();
            let names = if matches!(by, TotalsBy::Year) {
                Vec::new()
            } else {
                q::names_of(conn, by, &ids)?
            };
            let total = q::overall(conn, &filter)?;
            let groups: Vec<LedgerGroup> = groups
                .into_iter()
                .map(|(key, sums)| {
                    let label = key
                        .as_deref()
                        .and_then(|k| k.parse::<i64>().ok())
                        .and_then(|id| names.iter().find(|(i, _)| *i == id))
                        .map(|(_, n)| n.clone());
                    LedgerGroup {
                        key,
                        label,
                        sums: sums.into(),
                    }
                })
                .collect();
            Ok((groups, total))
        })
        .await?;
    Ok(web::Json(LedgerTotals {
        group_by,
        groups,
        total: total.into(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(kind: &'static str, source: &'static str) -> Fields<'static> {
        Fields {
            village_id: 1,
            project_id: None,
            date: NaiveDate::from_ymd_opt(2019, 5, 20).unwrap_or_default(),
            kind,
            source,
            donor_id: None,
            item: None,
            quantity: None,
            unit: None,
            amount_fen: 100,
            evidence: None,
        }
    }

    const AUTHOR: Author<'static> = Author {
        user_id: 1,
        username: "office_staff",
    };

    fn bad_fields(r: Result<EntryValues, Invalid>) -> Vec<String> {
        match r {
            Ok(_) => Vec::new(),
            Err(inv) => inv.errors.into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn every_bad_field_at_once() {
        let f = Fields {
            amount_fen: 0,
            date: NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default(),
            quantity: Some("1.2345"),
            ..fields("gift", "bank")
        };
        assert_eq!(
            bad_fields(values(f, AUTHOR)),
            ["date", "kind", "source", "amount_fen", "quantity"]
        );
    }

    #[test]
    fn goods_in_kind_keep_exact_quantities() {
        let f = Fields {
            donor_id: Some(2),
            item: Some("草种"),
            quantity: Some("15.5"),
            unit: Some("吨"),
            ..fields("in_kind_donation", "donor")
        };
        let v = values(f, AUTHOR).map_err(|e| e.to_string());
        assert_eq!(v.as_ref().map(|v| v.quantity_milli), Ok(Some(15_500)));
        assert_eq!(
            v.map(|v| v.created_by_username),
            Ok("office_staff".to_owned())
        );
    }
}
