//! Spreadsheet import (Excel `.xlsx`) of households, cadres and villages, with a dry run.
//!
//! `GET /imports/{kind}/template` gives a workbook with the Chinese headings, one example row and
//! a sheet 说明 explaining each column. `POST /imports/{kind}` takes such a workbook (multipart
//! field `file`, at most [`MAX_UPLOAD`] bytes) and checks every row with the same `values()` the
//! resource's create and update handlers use (no second set of rules), against the department's
//! rows loaded once (one query per table, never one per row):
//! - a row matches an existing row by its natural key ([`Kind::key_doc`]): households by
//!   village + head's name + address, cadres by name + phone, villages by county + name (none of
//!   these tables has a unique key a spreadsheet carries; the village code is unique and a code
//!   already used by another village is a row error). A matched row is updated when a value
//!   differs, counted as unchanged otherwise; an unmatched row is created. Re-importing the same
//!   file therefore creates nothing.
//! - `dry_run=true` only reads and answers what would happen, with the per-row errors (the row
//!   number as Excel shows it, the column heading, the field error's code and message).
//! - otherwise every row is written in ONE transaction, or none: any row error answers 422
//!   `import_invalid` with the same report and writes nothing.
//! - each written row is audited like a create or update through the API (one entry per row,
//!   households without their personal data), so the audit trail shows who imported what.
//! - access: the role must be allowed to create these rows (admins for cadres and villages; the
//!   department and teams for households); every row is checked again (a team only in its
//!   villages). The department is always the caller's: another department's villages are not
//!   found.

use crate::auth::{Auth, Bearer};
use crate::error::{ApiError, Problem, ProblemField};
use crate::export::{self, XLSX};
use crate::record::{self, Record, Row, Values};
use crate::routes::cadres::{self, Cadres};
use crate::routes::households::{self as hh, Households};
use crate::routes::villages::{self, Villages};
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::household::{Category, Cause, MonitoringType};
use zhucun_domain::validation::{field_error, required};
use zhucun_domain::{Action, FieldError, Invalid, Resource};
use zhucun_persistence::households::NewCategory;
use zhucun_persistence::versioned::{Creatable, Versioned};
use zhucun_persistence::{imports as load, now, DbConnection};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(template).service(import);
}

/// The largest upload accepted (413 beyond).
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;
/// The most data rows one import takes.
pub const MAX_ROWS: usize = 20_000;

/// What is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Households,
    Cadres,
    Villages,
}

impl Kind {
    fn parse(raw: &str) -> Result<Kind, ApiError> {
        match raw {
            "households" => Ok(Kind::Households),
            "cadres" => Ok(Kind::Cadres),
            "villages" => Ok(Kind::Villages),
            _ => Err(ApiError::NotFound),
        }
    }
    fn code(self) -> &'static str {
        match self {
            Kind::Households => "households",
            Kind::Cadres => "cadres",
            Kind::Villages => "villages",
        }
    }
    fn resource(self) -> Resource {
        match self {
            Kind::Households => Resource::Household,
            Kind::Cadres => Resource::Cadre,
            Kind::Villages => Resource::Village,
        }
    }
    /// The sheet's and the file's name.
    fn name(self) -> &'static str {
        match self {
            Kind::Households => "农牧户",
            Kind::Cadres => "干部",
            Kind::Villages => "村庄",
        }
    }
    /// How rows match existing ones (also in the template's 说明).
    pub fn key_doc(self) -> &'static str {
        match self {
            Kind::Households => {
                "按“村 + 户主姓名 + 地址”匹配本部门已有的农牧户：相符则更新（无变化不写），否则新建"
            }
            Kind::Cadres => {
                "按“姓名 + 手机号”匹配本部门已有的干部：相符则更新（无变化不写），否则新建"
            }
            Kind::Villages => {
                "按“县 + 村名”匹配本部门已有的村庄：相符则更新（无变化不写），否则新建"
            }
        }
    }
    fn columns(self) -> &'static [Column] {
        match self {
            Kind::Households => HOUSEHOLD_COLUMNS,
            Kind::Cadres => CADRE_COLUMNS,
            Kind::Villages => VILLAGE_COLUMNS,
        }
    }
}

/// One column of a template: its heading, the API field it fills, and its explanation.
pub struct Column {
    pub heading: &'static str,
    pub field: &'static str,
    pub required: bool,
    pub format: &'static str,
    pub allowed: &'static str,
}

const fn col(
    heading: &'static str,
    field: &'static str,
    required: bool,
    format: &'static str,
    allowed: &'static str,
) -> Column {
    Column {
        heading,
        field,
        required,
        format,
        allowed,
    }
}

const HOUSEHOLD_COLUMNS: &[Column] = &[
    col("村", "village_id", true, "本部门村庄的名称", "本部门在用的村庄"),
    col("户主姓名", "head_name", true, "文字，最多 50 字", ""),
    col("户主藏文姓名", "head_name_bo", false, "藏文，最多 100 字", ""),
    col("家庭人口", "members", true, "整数", "1–50"),
    col("家庭成员", "member_names", false, "文字，最多 500 字", ""),
    col("联系电话", "phone", false, "数字、空格、“+”或“-”", ""),
    col("地址", "address", false, "组或村内地址，最多 100 字", ""),
    col(
        "类别",
        "category",
        true,
        "名称或代码",
        "建档立卡贫困户、边缘户、脱贫户、监测户、一般户",
    ),
    col(
        "监测类型",
        "monitoring_type",
        false,
        "监测户必填，其他类别不填",
        "脱贫不稳定户、边缘易致贫户、突发严重困难户",
    ),
    col(
        "类别起始日期",
        "category_since",
        true,
        "日期，例如 2016-03-01，不晚于今天",
        "",
    ),
    col(
        "致贫原因",
        "causes",
        false,
        "多个用“、”分隔",
        "因病、因残、因学、因灾、缺土地、缺水、缺技术、缺劳力、缺资金、交通条件落后、自身发展动力不足、其他",
    ),
    col("备注", "notes", false, "文字，最多 2000 字", ""),
];

const CADRE_COLUMNS: &[Column] = &[
    col("姓名", "name", true, "文字，最多 50 字", ""),
    col("藏文姓名", "name_bo", false, "藏文，最多 100 字", ""),
    col(
        "处室",
        "office_id",
        false,
        "本部门处室的名称",
        "本部门在用的处室",
    ),
    col("职务", "position", false, "文字，最多 50 字", ""),
    col("手机号", "phone", false, "数字、空格、“+”或“-”", ""),
];

const VILLAGE_COLUMNS: &[Column] = &[
    col("村名", "name", true, "文字，最多 100 字", ""),
    col("藏文村名", "name_bo", false, "藏文，最多 200 字", ""),
    col(
        "市",
        "prefecture",
        true,
        "西藏自治区的地级市（地区），或“未记录”",
        "拉萨市、日喀则市、昌都市、林芝市、山南市、那曲市、阿里地区、未记录",
    ),
    col("县", "county", true, "该市所辖的县（区），或“未记录”", ""),
    col("乡镇", "township", false, "文字，最多 50 字", ""),
    col(
        "行政区划代码",
        "code",
        false,
        "6 到 12 位数字，本部门内不重复",
        "",
    ),
    col("纬度", "latitude", false, "小数，例如 29.65", ""),
    col("经度", "longitude", false, "小数，例如 91.13", ""),
];

// ---------------------------------------------------------------------------------------------
// The answer

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "households", "dry_run": true, "committed": false,
    "rows": 3, "created": 1, "updated": 1, "unchanged": 0, "invalid": 1,
    "errors": [{"row": 4, "column": "家庭人口", "field": "members", "code": "between",
        "message": "must be between 1 and 50", "params": {"min": "1", "max": "50"}}]
}))]
pub struct ImportReport {
    /// `households`, `cadres` or `villages`.
    pub kind: String,
    pub dry_run: bool,
    /// Whether the rows were written (never in a dry run, never with errors).
    pub committed: bool,
    /// Data rows read (empty rows are skipped).
    pub rows: usize,
    /// Rows that create (or would create) a new record.
    pub created: usize,
    /// Rows that change (or would change) a matched record.
    pub updated: usize,
    /// Rows equal to their matched record: nothing to write.
    pub unchanged: usize,
    /// Rows with at least one error.
    pub invalid: usize,
    /// Every error of every row, in row order (at most [`MAX_ERRORS`]).
    pub errors: Vec<RowError>,
}

/// The most errors one answer lists (the counts stay exact).
pub const MAX_ERRORS: usize = 1000;

/// One error of one row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// The row number as Excel shows it (the headings are row 1).
    #[schema(example = 4)]
    pub row: u32,
    /// The column's heading (`null` when the error is about the whole row).
    #[schema(example = "家庭人口")]
    pub column: Option<String>,
    /// The API field the column fills.
    #[schema(example = "members")]
    pub field: String,
    /// Stable, snake_case: what a client translates, as for other field errors.
    #[schema(example = "between")]
    pub code: String,
    #[schema(example = "must be between 1 and 50")]
    pub message: String,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub params: std::collections::BTreeMap<String, String>,
}

/// The 422 of an import with row errors: a problem (`import_invalid`) with the report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRejected {
    #[serde(flatten)]
    pub problem: Problem,
    pub import: ImportReport,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check every row and answer what would happen, writing nothing. Default `false`.
    pub dry_run: Option<bool>,
}

/// The multipart body of an import (documentation only; the handler reads the stream).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The workbook (`.xlsx`), its first sheet with the template's headings in row 1.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// The template workbook of an import: the headings, one example row, and a sheet 说明.
#[utoipa::path(tag = "imports", operation_id = "import_template",
    params(("kind" = String, Path, description = "`households`, `cadres` or `villages`")),
    responses((status = 200, description = "The template workbook",
        content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/imports/{kind}/template")]
pub async fn template(
    state: web::Data<AppState>,
    bearer: Bearer,
    kind: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let kind = Kind::parse(&kind)?;
    let bytes = state
        .read_as(bearer, move |conn, auth| {
            auth.require_own(Action::Create, kind.resource(), None)?;
            let example = example_row(conn, auth, kind)?;
            template_book(kind, &example)
        })
        .await?;
    let file = format!("{}导入模板.xlsx", kind.name());
    let ascii = format!("{}-import-template.xlsx", kind.code());
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            export::attachment(&file, &ascii),
        ))
        .body(bytes))
}

/// Import a workbook: with `dry_run=true` only check it; otherwise write every row in one
/// transaction, or none (422 with the same report when a row has an error).
#[utoipa::path(tag = "imports", operation_id = "import_rows",
    params(("kind" = String, Path, description = "`households`, `cadres` or `villages`"), ImportQuery),
    request_body(content = ImportUpload, content_type = "multipart/form-data",
        description = "The workbook in the field `file` (at most 10 MiB, at most 20,000 rows)"),
    responses(
        (status = 200, description = "The rows checked (dry run) or written", body = ImportReport),
        (status = 413, description = "The file is larger than 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Some rows have errors: nothing was written", body = ImportRejected, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/imports/{kind}")]
pub async fn import(
    state: web::Data<AppState>,
    bearer: Bearer,
    kind: web::Path<String>,
    query: web::Query<ImportQuery>,
    payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let kind = Kind::parse(&kind)?;
    let dry_run = query.dry_run.unwrap_or(false);
    let bytes = upload(payload).await?;
    // The role is checked before the file is judged (a role that may never import these is told
    // so first), then the file is read on the blocking pool inside the same trip.
    let report = if dry_run {
        state
            .read_as(bearer, move |conn, auth| {
                auth.require_own(Action::Create, kind.resource(), None)?;
                let sheet = read_sheet(kind, &bytes)?;
                let (report, _) = plan(conn, auth, kind, &sheet)?;
                Ok(report)
            })
            .await?
    } else {
        state
            .write_as(bearer, move |conn, auth| {
                auth.require_own(Action::Create, kind.resource(), None)?;
                let sheet = read_sheet(kind, &bytes)?;
                let (mut checked, ops) = plan(conn, auth, kind, &sheet)?;
                if checked.report.invalid > 0 {
                    return Ok(checked);
                }
                ops.write(conn, auth)?;
                checked.report.committed = true;
                Ok(checked)
            })
            .await?
    };
    let report = report.finish(dry_run);
    if report.invalid > 0 && !dry_run {
        return Ok(rejected(report));
    }
    Ok(HttpResponse::Ok().json(report))
}

fn rejected(report: ImportReport) -> HttpResponse {
    let err = ApiError::RuleNotMet {
        code: "import_invalid",
        message: format!(
            "{} of {} rows have errors; nothing was imported",
            report.invalid, report.rows
        ),
        params: vec![
            ("invalid", report.invalid.to_string()),
            ("rows", report.rows.to_string()),
        ],
    };
    let body = ImportRejected {
        problem: err.problem(),
        import: report,
    };
    HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type("application/problem+json")
        .json(body)
}

fn bad_file(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Validation(Invalid {
        errors: vec![field_error("file", message).coded(code, Vec::new())],
    })
}

/// The bytes of the multipart field `file`, at most [`MAX_UPLOAD`].
async fn upload(mut payload: Multipart) -> Result<Vec<u8>, ApiError> {
    use actix_multipart::MultipartError as M;
    let mp_error = |e: M| match e {
        M::ContentTypeMissing | M::ContentTypeParse | M::ContentTypeIncompatible => {
            ApiError::UnsupportedMediaType(
                "send the workbook as multipart/form-data in the field `file`".to_owned(),
            )
        }
        M::Payload(actix_web::error::PayloadError::Overflow) => ApiError::PayloadTooLarge,
        other => ApiError::BadRequest(format!("cannot read the upload: {other}")),
    };
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(mp_error)?;
        let is_file = field.name() == Some("file");
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(mp_error)?;
            if buf.len() + chunk.len() > MAX_UPLOAD {
                return Err(ApiError::PayloadTooLarge);
            }
            if is_file {
                buf.extend_from_slice(&chunk);
            }
        }
        if is_file && file.is_none() {
            file = Some(buf);
        }
    }
    file.ok_or_else(|| required("file").into())
}

// ---------------------------------------------------------------------------------------------
// Reading the workbook

/// The data rows of the first sheet: each with its Excel row number and one cell per column of
/// the template (by heading), as text.
pub struct Sheet {
    rows: Vec<(u32, Vec<Option<String>>)>,
}

fn read_sheet(kind: Kind, bytes: &[u8]) -> Result<Sheet, ApiError> {
    use calamine::{Reader, Xlsx};
    let not_xlsx = || bad_file("import_not_xlsx", "is not an Excel workbook (.xlsx)");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(not_xlsx)?
        .map_err(|_| not_xlsx())?;
    let columns = kind.columns();
    let start_row = range.start().map_or(0, |(r, _)| r);
    let mut rows = range.rows();
    let headings: Vec<Option<String>> = rows
        .next()
        .map(|r| r.iter().map(text_of).collect())
        .unwrap_or_default();
    // Which sheet column each template column is in.
    let mut at: Vec<Option<usize>> = vec![None; columns.len()];
    let mut unknown = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        let Some(h) = h else { continue };
        match columns
            .iter()
            .position(|c| c.heading == h.trim_end_matches('*'))
        {
            Some(c) if at[c].is_none() => at[c] = Some(i),
            _ => unknown.push(h.clone()),
        }
    }
    let missing: Vec<&str> = columns
        .iter()
        .zip(&at)
        .filter(|(c, a)| c.required && a.is_none())
        .map(|(c, _)| c.heading)
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        let expected: Vec<&str> = columns.iter().map(|c| c.heading).collect();
        return Err(ApiError::Validation(Invalid {
            errors: vec![field_error(
                "file",
                format!(
                    "row 1 must hold the template's headings ({}); missing: {}; unknown: {}",
                    expected.join("、"),
                    missing.join("、"),
                    unknown.join("、")
                ),
            )
            .coded(
                "import_headings",
                vec![
                    ("expected", expected.join("、")),
                    ("missing", missing.join("、")),
                    ("unknown", unknown.join("、")),
                ],
            )],
        }));
    }
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        let cells: Vec<Option<String>> = at
            .iter()
            .map(|a| a.and_then(|a| r.get(a)).and_then(text_of))
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        if out.len() >= MAX_ROWS {
            return Err(bad_file(
                "import_too_many_rows",
                format!("holds more than {MAX_ROWS} rows; split it"),
            ));
        }
        // Excel numbers rows from 1; the headings are the range's first row.
        let n = start_row
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
            .saturating_add(2);
        out.push((n, cells));
    }
    if out.is_empty() {
        return Err(bad_file("import_empty", "holds no rows below the headings"));
    }
    Ok(Sheet { rows: out })
}

/// A cell as text (`None` when empty): whole numbers without a decimal point (phones, codes),
/// dates as `YYYY-MM-DD`.
fn text_of(cell: &calamine::Data) -> Option<String> {
    use calamine::Data as D;
    let s = match cell {
        D::Empty | D::Error(_) => return None,
        D::String(s) | D::DateTimeIso(s) | D::DurationIso(s) => s.trim().to_owned(),
        D::Int(i) => i.to_string(),
        D::Float(f) => number_text(*f),
        D::Bool(b) => b.to_string(),
        D::DateTime(d) => excel_date(d.as_f64()).map_or_else(
            || number_text(d.as_f64()),
            |d| d.format("%Y-%m-%d").to_string(),
        ),
    };
    (!s.is_empty()).then_some(s)
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// An Excel serial day (1900 system) as a date.
fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // In range: the whole days fit an i64.
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    base.checked_add_signed(chrono::Duration::days(days))
}

// ---------------------------------------------------------------------------------------------
// Planning: every row checked, matched and compared; nothing written

/// What the rows will write.
enum Op<R: Record> {
    Create(record::Values<R>),
    Update {
        before: Row<R>,
        values: record::Values<R>,
    },
}

enum Ops {
    Households(Vec<Op<Households>>),
    Cadres(Vec<Op<Cadres>>),
    Villages(Vec<Op<Villages>>),
}

/// Collects a report's errors and counts while rows are planned.
struct Tally {
    report: ImportReport,
    raw: Vec<(u32, FieldError)>,
}

impl Tally {
    fn new(kind: Kind, rows: usize) -> Self {
        Tally {
            raw: Vec::new(),
            report: ImportReport {
                kind: kind.code().to_owned(),
                dry_run: true,
                committed: false,
                rows,
                created: 0,
                updated: 0,
                unchanged: 0,
                invalid: 0,
                errors: Vec::new(),
            },
        }
    }

    fn checked(self) -> Checked {
        Checked {
            report: self.report,
            raw: self.raw,
        }
    }

    /// Records a row's errors (when any); true when the row is fine.
    fn row(&mut self, row: u32, errors: Vec<FieldError>) -> bool {
        if errors.is_empty() {
            return true;
        }
        self.report.invalid += 1;
        let room = MAX_ERRORS.saturating_sub(self.raw.len());
        self.raw
            .extend(errors.into_iter().take(room).map(|e| (row, e)));
        false
    }
}

/// A report whose row errors are still to be put in the caller's language (which is known on the
/// request's task, not on the blocking pool where the rows are checked).
pub struct Checked {
    report: ImportReport,
    raw: Vec<(u32, FieldError)>,
}

impl Checked {
    fn finish(self, dry_run: bool) -> ImportReport {
        let kind = self.report.kind.clone();
        let columns = Kind::parse(&kind).map(Kind::columns).unwrap_or_default();
        let errors = self
            .raw
            .into_iter()
            .map(|(row, e)| {
                let column = columns
                    .iter()
                    .find(|c| c.field == e.field)
                    .map(|c| c.heading.to_owned());
                let p = ProblemField::from(e);
                RowError {
                    row,
                    column,
                    field: p.field,
                    code: p.code,
                    message: p.message,
                    params: p.params,
                }
            })
            .collect();
        ImportReport {
            dry_run,
            errors,
            ..self.report
        }
    }
}

/// A cell by its column's field.
fn cell<'a>(kind: Kind, cells: &'a [Option<String>], field: &str) -> Option<&'a str> {
    kind.columns()
        .iter()
        .position(|c| c.field == field)
        .and_then(|i| cells.get(i))
        .and_then(|c| c.as_deref())
}

fn number(field: &str, raw: Option<&str>, inv: &mut Vec<FieldError>) -> Option<f64> {
    let raw = raw?;
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            inv.push(field_error(field, "must be a number").coded("import_number", Vec::new()));
            None
        }
    }
}

fn integer(field: &str, raw: Option<&str>, inv: &mut Vec<FieldError>) -> Option<i32> {
    let Some(raw) = raw else {
        inv.push(required(field));
        return None;
    };
    match raw.parse::<i32>() {
        Ok(v) => Some(v),
        Err(_) => {
            inv.push(
                field_error(field, "must be a whole number").coded("import_integer", Vec::new()),
            );
            None
        }
    }
}

fn date(field: &str, raw: Option<&str>, inv: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let Some(raw) = raw else {
        inv.push(required(field));
        return None;
    };
    let parsed = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(raw, f).ok());
    if parsed.is_none() {
        inv.push(
            field_error(field, "must be a date such as 2016-03-01")
                .coded("import_date", Vec::new()),
        );
    }
    parsed
}

/// A coded value written by its Chinese label or its code, as the code (unknown text as it is,
/// for the API's own check to refuse).
fn code_of<T: Copy>(
    raw: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> String {
    let raw = raw.trim();
    all.iter()
        .find(|v| label(**v) == raw)
        .map_or_else(|| raw.to_owned(), |v| code(*v).to_owned())
}

fn duplicate_row(field: &str, first: u32) -> FieldError {
    field_error(
        field,
        format!("repeats row {first} of this file (the same match key)"),
    )
    .coded("import_duplicate_row", vec![("row", first.to_string())])
}

fn ambiguous(field: &str) -> FieldError {
    field_error(
        field,
        "matches several records of your department; correct them in the app first",
    )
    .coded("import_ambiguous", Vec::new())
}

fn errors_of(inv: Invalid) -> Vec<FieldError> {
    inv.errors
}

fn plan(
    conn: &mut DbConnection,
    auth: &Auth,
    kind: Kind,
    sheet: &Sheet,
) -> Result<(Checked, Ops), ApiError> {
    // The role first, as a create through the API checks it.
    auth.require_own(Action::Create, kind.resource(), None)?;
    let tally = Tally::new(kind, sheet.rows.len());
    match kind {
        Kind::Villages => {
            let (t, ops) = plan_villages(conn, auth, tally, sheet)?;
            Ok((t.checked(), Ops::Villages(ops)))
        }
        Kind::Cadres => {
            let (t, ops) = plan_cadres(conn, auth, tally, sheet)?;
            Ok((t.checked(), Ops::Cadres(ops)))
        }
        Kind::Households => {
            let (t, ops) = plan_households(conn, auth, tally, sheet)?;
            Ok((t.checked(), Ops::Households(ops)))
        }
    }
}

/// Counts a planned row: new, changed or unchanged.
fn count<R: Record>(tally: &mut Tally, ops: &mut Vec<Op<R>>, op: Option<Op<R>>, unchanged: bool) {
    match op {
        Some(Op::Create(v)) => {
            tally.report.created += 1;
            ops.push(Op::Create(v));
        }
        Some(op) => {
            tally.report.updated += 1;
            ops.push(op);
        }
        None if unchanged => tally.report.unchanged += 1,
        None => {}
    }
}

fn plan_villages(
    conn: &mut DbConnection,
    auth: &Auth,
    mut tally: Tally,
    sheet: &Sheet,
) -> Result<(Tally, Vec<Op<Villages>>), ApiError> {
    let kind = Kind::Villages;
    let existing = load::villages(conn, auth.department_id())?;
    let mut by_key: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut by_code: HashMap<String, i64> = HashMap::new();
    for (i, (row, _)) in existing.iter().enumerate() {
        by_key
            .entry((row.county.clone(), row.name.clone()))
            .or_default()
            .push(i);
        if let Some(c) = &row.code {
            by_code.insert(c.clone(), row.id);
        }
    }
    let mut seen: HashMap<(String, String), u32> = HashMap::new();
    let mut seen_codes: HashMap<String, u32> = HashMap::new();
    let mut ops = Vec::new();
    for (n, cells) in &sheet.rows {
        let c = |f| cell(kind, cells, f);
        let mut errs = Vec::new();
        let latitude = number("latitude", c("latitude"), &mut errs);
        let longitude = number("longitude", c("longitude"), &mut errs);
        let fields = |deactivated_at| villages::Fields {
            name: c("name").unwrap_or_default(),
            name_bo: c("name_bo"),
            prefecture: c("prefecture").unwrap_or_default(),
            county: c("county").unwrap_or_default(),
            township: c("township"),
            code: c("code"),
            latitude,
            longitude,
            deactivated_at,
        };
        let values = match villages::values(fields(None)) {
            Ok(v) => Some(v),
            Err(inv) => {
                errs.extend(errors_of(inv));
                None
            }
        };
        let mut op = None;
        let mut unchanged = false;
        if let Some(values) = values.filter(|_| errs.is_empty()) {
            let key = (values.county.clone(), values.name.clone());
            let matched = by_key.get(&key).map(Vec::as_slice).unwrap_or_default();
            if let Some(first) = seen.get(&key) {
                errs.push(duplicate_row("name", *first));
            } else if matched.len() > 1 {
                errs.push(ambiguous("name"));
            }
            seen.entry(key).or_insert(*n);
            let matched_row = matched.first().and_then(|i| existing.get(*i));
            if let Some(code) = &values.code {
                let own = matched_row.map(|(r, _)| r.id);
                if by_code.get(code).is_some_and(|id| Some(*id) != own) {
                    errs.push(
                        field_error("code", "is the code of another village")
                            .coded("duplicate", Vec::new()),
                    );
                } else if let Some(first) = seen_codes.get(code) {
                    errs.push(duplicate_row("code", *first));
                }
                seen_codes.entry(code.clone()).or_insert(*n);
            }
            if errs.is_empty() {
                match matched_row {
                    None => op = Some(Op::Create(values)),
                    Some((row, stored)) => {
                        let values = zhucun_persistence::villages::VillageValues {
                            deactivated_at: row.deactivated_at,
                            ..values
                        };
                        match auth.require(Action::Update, Resource::Village, Villages::target(row))
                        {
                            Err(_) => errs.push(forbidden_row("name")),
                            Ok(()) if *stored == values => unchanged = true,
                            Ok(()) => {
                                op = Some(Op::Update {
                                    before: row.clone(),
                                    values,
                                });
                            }
                        }
                    }
                }
            }
        }
        if tally.row(*n, errs) {
            count(&mut tally, &mut ops, op, unchanged);
        }
    }
    Ok((tally, ops))
}

fn forbidden_row(field: &str) -> FieldError {
    field_error(field, "you may not change this record").coded("import_forbidden", Vec::new())
}

fn plan_cadres(
    conn: &mut DbConnection,
    auth: &Auth,
    mut tally: Tally,
    sheet: &Sheet,
) -> Result<(Tally, Vec<Op<Cadres>>), ApiError> {
    let kind = Kind::Cadres;
    let dept = auth.department_id();
    let existing = load::cadres(conn, dept)?;
    let offices = load::offices(conn, dept)?;
    let mut by_key: HashMap<(String, Option<String>), Vec<usize>> = HashMap::new();
    for (i, (row, _)) in existing.iter().enumerate() {
        by_key
            .entry((row.name.clone(), row.phone.clone()))
            .or_default()
            .push(i);
    }
    let mut seen: HashMap<(String, Option<String>), u32> = HashMap::new();
    let mut ops = Vec::new();
    for (n, cells) in &sheet.rows {
        let c = |f| cell(kind, cells, f);
        let mut errs = Vec::new();
        // The office by its name: one of the department's (another department's is not found).
        let office = match c("office_id") {
            None => Some(None),
            Some(name) => match offices.iter().find(|o| o.name == name) {
                Some(o) => Some(Some(o)),
                None => {
                    errs.push(zhucun_domain::validation::no_such(
                        "office_id",
                        "office",
                        true,
                    ));
                    None
                }
            },
        };
        let values = cadres::values(
            c("name").unwrap_or_default(),
            c("name_bo"),
            office.flatten().map(|o| o.id),
            c("position"),
            c("phone"),
            None,
        );
        let values = match values {
            Ok(v) => Some(v),
            Err(inv) => {
                errs.extend(errors_of(inv));
                None
            }
        };
        let mut op = None;
        let mut unchanged = false;
        if let (Some(values), Some(office)) = (values, office) {
            let key = (values.name.clone(), values.phone.clone());
            let matched = by_key.get(&key).map(Vec::as_slice).unwrap_or_default();
            if let Some(first) = seen.get(&key) {
                errs.push(duplicate_row("name", *first));
            } else if matched.len() > 1 {
                errs.push(ambiguous("name"));
            }
            seen.entry(key).or_insert(*n);
            let matched_row = matched.first().and_then(|i| existing.get(*i));
            // A new link needs an active office; a link kept as it was stays valid (as a PATCH).
            let relinked = matched_row.is_none_or(|(r, _)| r.office_id != values.office_id);
            if relinked && office.is_some_and(|o| o.deactivated_at.is_some()) {
                errs.push(zhucun_domain::validation::no_such(
                    "office_id",
                    "office",
                    true,
                ));
            }
            if errs.is_empty() {
                match matched_row {
                    None => op = Some(Op::Create(values)),
                    Some((row, stored)) => {
                        let values = zhucun_persistence::cadres::CadreValues {
                            deactivated_at: row.deactivated_at,
                            ..values
                        };
                        match auth.require(Action::Update, Resource::Cadre, Cadres::target(row)) {
                            Err(_) => errs.push(forbidden_row("name")),
                            Ok(()) if *stored == values => unchanged = true,
                            Ok(()) => {
                                op = Some(Op::Update {
                                    before: row.clone(),
                                    values,
                                });
                            }
                        }
                    }
                }
            }
        }
        if tally.row(*n, errs) {
            count(&mut tally, &mut ops, op, unchanged);
        }
    }
    Ok((tally, ops))
}

fn plan_households(
    conn: &mut DbConnection,
    auth: &Auth,
    mut tally: Tally,
    sheet: &Sheet,
) -> Result<(Tally, Vec<Op<Households>>), ApiError> {
    let kind = Kind::Households;
    let dept = auth.department_id();
    // The villages the caller sees, by name (a team only its own).
    let villages: Vec<_> = load::villages(conn, dept)?
        .into_iter()
        .map(|(row, _)| row)
        .filter(|v| auth.actor.villages.includes(v.id))
        .collect();
    let mut village_by_name: HashMap<&str, Vec<&zhucun_persistence::villages::VillageRow>> =
        HashMap::new();
    for v in &villages {
        village_by_name.entry(v.name.as_str()).or_default().push(v);
    }
    let existing = load::households(conn, dept)?;
    type Key = (i64, String, String);
    let mut by_key: HashMap<Key, Vec<usize>> = HashMap::new();
    for (i, h) in existing.iter().enumerate() {
        let v = &h.values;
        by_key
            .entry((
                v.village_id,
                v.head_name.clone(),
                v.address.clone().unwrap_or_default(),
            ))
            .or_default()
            .push(i);
    }
    let village_names: HashMap<i64, &str> =
        villages.iter().map(|v| (v.id, v.name.as_str())).collect();
    let mut seen: HashMap<Key, u32> = HashMap::new();
    let mut ops = Vec::new();
    for (n, cells) in &sheet.rows {
        let c = |f| cell(kind, cells, f);
        let mut errs = Vec::new();
        let village = match c("village_id") {
            None => {
                errs.push(required("village_id"));
                None
            }
            Some(name) => match village_by_name.get(name).map(Vec::as_slice) {
                Some([v]) => Some(*v),
                Some([_, _, ..]) => {
                    errs.push(ambiguous("village_id"));
                    None
                }
                _ => {
                    errs.push(zhucun_domain::validation::no_such(
                        "village_id",
                        "village",
                        true,
                    ));
                    None
                }
            },
        };
        let members = integer("members", c("members"), &mut errs);
        let since = date("category_since", c("category_since"), &mut errs);
        let category =
            c("category").map(|r| code_of(r, Category::ALL, Category::code, Category::label));
        let monitoring = c("monitoring_type").map(|r| {
            code_of(
                r,
                MonitoringType::ALL,
                MonitoringType::code,
                MonitoringType::label,
            )
        });
        let causes: Vec<String> = c("causes")
            .map(|r| {
                r.split(['、', ',', '，', ';', '；', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| code_of(s, Cause::ALL, Cause::code, Cause::label))
                    .collect()
            })
            .unwrap_or_default();
        if category.is_none() {
            errs.push(required("category"));
        }
        let (Some(village), Some(members), Some(since), Some(category)) =
            (village, members, since, category)
        else {
            // A missing part always pushed an error.
            tally.row(*n, errs);
            continue;
        };
        let values = hh::values(hh::Fields {
            village_id: village.id,
            head_name: c("head_name").unwrap_or_default(),
            head_name_bo: c("head_name_bo"),
            members,
            member_names: c("member_names"),
            phone: c("phone"),
            address: c("address"),
            category: &category,
            monitoring_type: monitoring.as_deref(),
            category_since: since,
            causes: &causes,
            notes: c("notes"),
        });
        let mut op = None;
        let mut unchanged = false;
        match values {
            Err(inv) => errs.extend(errors_of(inv)),
            Ok(values) => {
                let key = (
                    values.village_id,
                    values.head_name.clone(),
                    values.address.clone().unwrap_or_default(),
                );
                let matched = by_key.get(&key).map(Vec::as_slice).unwrap_or_default();
                if let Some(first) = seen.get(&key) {
                    errs.push(duplicate_row("head_name", *first));
                } else if matched.len() > 1 {
                    errs.push(ambiguous("head_name"));
                }
                seen.entry(key).or_insert(*n);
                let matched_row = matched.first().and_then(|i| existing.get(*i));
                match matched_row {
                    None => {
                        if village.deactivated_at.is_some() {
                            errs.push(zhucun_domain::validation::no_such(
                                "village_id",
                                "village",
                                true,
                            ));
                        }
                        if auth
                            .require_own(Action::Create, Resource::Household, Some(village.id))
                            .is_err()
                        {
                            errs.push(forbidden_row("village_id"));
                        }
                        if errs.is_empty() {
                            op = Some(Op::Create(values));
                        }
                    }
                    Some(row) => {
                        let stored = &row.values;
                        // The category changes through its history, as with a PATCH.
                        if stored.category != values.category
                            || stored.monitoring_type != values.monitoring_type
                            || stored.category_since != values.category_since
                        {
                            errs.push(
                                field_error(
                                    "category",
                                    "of a registered household changes through its category history, not an import",
                                )
                                .coded("import_category_changed", Vec::new()),
                            );
                        }
                        let target = zhucun_domain::Target {
                            department_id: row.department_id,
                            village_id: Some(stored.village_id),
                        };
                        if auth
                            .require(Action::Update, Resource::Household, target)
                            .is_err()
                        {
                            errs.push(forbidden_row("village_id"));
                        }
                        if errs.is_empty() {
                            if *stored == values {
                                unchanged = true;
                            } else {
                                let before = zhucun_persistence::households::HouseholdView {
                                    household: row.clone(),
                                    village_name: village_names
                                        .get(&stored.village_id)
                                        .map(|s| (*s).to_owned())
                                        .unwrap_or_default(),
                                };
                                op = Some(Op::Update { before, values });
                            }
                        }
                    }
                }
            }
        }
        if tally.row(*n, errs) {
            count(&mut tally, &mut ops, op, unchanged);
        }
    }
    Ok((tally, ops))
}

// ---------------------------------------------------------------------------------------------
// Writing: in the caller's transaction, each row audited as a create or update through the API

impl Ops {
    fn write(self, conn: &mut DbConnection, auth: &Auth) -> Result<(), ApiError> {
        match self {
            Ops::Villages(ops) => write_ops::<Villages>(conn, auth, ops, |_, _| Ok(())),
            Ops::Cadres(ops) => write_ops::<Cadres>(conn, auth, ops, |_, _| Ok(())),
            Ops::Households(ops) => write_ops::<Households>(conn, auth, ops, |conn, rows| {
                // A new household's category is the first entry of its history.
                let recorded_at = now();
                let entries: Vec<NewCategory> = rows
                    .iter()
                    .map(|row| {
                        let v = &row.household.values;
                        NewCategory {
                            department_id: row.household.department_id,
                            household_id: row.household.id,
                            category: v.category.clone(),
                            monitoring_type: v.monitoring_type.clone(),
                            since: v.category_since,
                            note: None,
                            recorded_by: Some(auth.user.id),
                            recorded_at,
                        }
                    })
                    .collect();
                zhucun_persistence::households::append_categories(conn, &entries)?;
                Ok(())
            }),
        }
    }
}

/// Rows written per batch: one multi-row `INSERT … RETURNING` of the new rows, one of their
/// category-history entries (households) and one of the batch's audit entries, in row order.
const BATCH: usize = 500;

fn write_ops<R>(
    conn: &mut DbConnection,
    auth: &Auth,
    ops: Vec<Op<R>>,
    after_create: impl Fn(&mut DbConnection, &[Row<R>]) -> Result<(), ApiError>,
) -> Result<(), ApiError>
where
    R: Record,
    R::Table: Creatable,
{
    let at = now();
    let ctx = auth.audit();
    let mut ops = ops.into_iter();
    loop {
        let batch: Vec<Op<R>> = ops.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            return Ok(());
        }
        let new: Vec<&Values<R>> = batch
            .iter()
            .filter_map(|op| match op {
                Op::Create(values) => Some(values),
                Op::Update { .. } => None,
            })
            .collect();
        let rows = R::Table::insert_many(conn, auth.department_id(), &new, at)?;
        if rows.len() != new.len() {
            return Err(ApiError::internal("a batch insert returned fewer rows"));
        }
        after_create(conn, &rows)?;
        let mut rows = rows.into_iter();
        let mut entries = Vec::with_capacity(batch.len());
        for op in batch {
            match op {
                Op::Create(_) => {
                    let row = rows
                        .next()
                        .ok_or_else(|| ApiError::internal("a batch insert returned fewer rows"))?;
                    entries.push(record::created_entry::<R>(&ctx, row)?.2);
                }
                Op::Update { before, values } => {
                    let id = R::Table::id(&before);
                    let after =
                        R::Table::update(conn, id, R::Table::version(&before), &values, at)?
                            .ok_or(ApiError::PreconditionFailed)?;
                    let (b, a) = (R::View::from(before), R::View::from(after));
                    let (b, a) = R::audited(Some(&b), Some(&a))?;
                    entries.push(crate::audit::entry(
                        &ctx,
                        "update",
                        R::ENTITY,
                        id,
                        b.as_ref(),
                        a.as_ref(),
                    )?);
                }
            }
        }
        crate::audit::record_many(conn, &entries)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The template

/// The example row: for households a village of the caller's (so the example checks clean).
fn example_row(conn: &mut DbConnection, auth: &Auth, kind: Kind) -> Result<Vec<String>, ApiError> {
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
    Ok(match kind {
        Kind::Households => {
            let village = load::villages(conn, auth.department_id())?
                .into_iter()
                .map(|(r, _)| r)
                .find(|v| v.deactivated_at.is_none() && auth.actor.villages.includes(v.id))
                .map_or_else(|| "（本部门的村名）".to_owned(), |v| v.name);
            let mut row: Vec<String> = s(&[
                "",
                "次仁卓玛（示例）",
                "",
                "5",
                "扎西、格桑旺姆、次仁、拉姆",
                "13908001234",
                "三组",
                "脱贫户",
                "",
                "2020-12-01",
                "因病、缺劳力",
                "导入前请删除示例行",
            ]);
            row[0] = village;
            row
        }
        Kind::Cadres => {
            let office = load::offices(conn, auth.department_id())?
                .into_iter()
                .find(|o| o.deactivated_at.is_none())
                .map(|o| o.name)
                .unwrap_or_default();
            let mut row: Vec<String> = s(&["扎西（示例）", "", "", "科员", "13800000000"]);
            row[2] = office;
            row
        }
        Kind::Villages => s(&[
            "琼果村（示例）",
            "",
            "那曲市",
            "班戈县",
            "佳琼镇",
            "",
            "31.39",
            "90.02",
        ]),
    })
}

fn template_book(kind: Kind, example: &[String]) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let heading = Format::new()
        .set_bold()
        .set_background_color("DDEBF7")
        .set_align(FormatAlign::Center);
    let required = heading.clone().set_font_color("C00000");
    let text = Format::new().set_num_format("@");
    let columns = kind.columns();
    {
        let ws = book.add_worksheet();
        ws.set_name(kind.name()).map_err(xl)?;
        for (i, c) in columns.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            let f = if c.required { &required } else { &heading };
            ws.write_with_format(0, i, c.heading, f).map_err(xl)?;
            // Every column is text, so phones and codes keep their digits.
            ws.set_column_format(i, &text).map_err(xl)?;
            let w = example
                .get(usize::from(i))
                .map_or(0.0, |v| export::width(v))
                .max(export::width(c.heading));
            ws.set_column_width(i, w.min(40.0) + 2.0).map_err(xl)?;
        }
        for (i, v) in example.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            ws.write_string_with_format(1, i, v, &text).map_err(xl)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xl)?;
    }
    let ws = book.add_worksheet();
    ws.set_name("说明").map_err(xl)?;
    for (i, h) in ["列", "必填", "格式", "可选值"].iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(u16::MAX);
        ws.write_with_format(0, i, *h, &heading).map_err(xl)?;
    }
    for (r, c) in columns.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        ws.write(r, 0, c.heading).map_err(xl)?;
        ws.write(r, 1, if c.required { "是" } else { "否" })
            .map_err(xl)?;
        ws.write(r, 2, c.format).map_err(xl)?;
        ws.write(r, 3, c.allowed).map_err(xl)?;
    }
    let after = u32::try_from(columns.len() + 2).unwrap_or(u32::MAX);
    let notes = [
        kind.key_doc().to_owned(),
        "第 1 行为列名，不要修改；数据从第 2 行开始，空行会被跳过；红色列名为必填列。".to_owned(),
        "先“试导入”（dry_run=true）检查每一行，无误后再“确认导入”：全部写入，或有错时一行也不写入。"
            .to_owned(),
        format!("每个文件最多 {MAX_ROWS} 行、10 MiB。"),
    ];
    for (i, n) in notes.iter().enumerate() {
        let r = after.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        ws.write(r, 0, n.as_str()).map_err(xl)?;
    }
    ws.set_column_width(0, 16).map_err(xl)?;
    ws.set_column_width(2, 36).map_err(xl)?;
    ws.set_column_width(3, 60).map_err(xl)?;
    book.save_to_buffer().map_err(xl)
}

fn xl(e: rust_xlsxwriter::XlsxError) -> ApiError {
    ApiError::internal(e)
}
