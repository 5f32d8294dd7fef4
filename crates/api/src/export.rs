//! Lists as downloads. A list a department officer takes to Excel answers, with the same filters
//! and sort as its JSON pages, `?format=csv` (or `Accept: text/csv`) as CSV streamed page by page —
//! UTF-8 with a BOM so Excel reads Chinese and Tibetan, one row per item, RFC 4180 quoting — and
//! `?format=xlsx` (or the spreadsheet `Accept`) as a workbook with Chinese headings, yuan as
//! currency and a frozen header row.
//!
//! The CSV holds one page ([`PAGE`] rows) in memory at a time however long the list: each page is
//! read when the client has taken the previous one (the body is a stream polled by actix), in a
//! read of its own that checks the login again, continuing after the last row sent (keyset), so a
//! row changed meanwhile is neither skipped nor repeated. The first page is read before the answer
//! starts, so a refused filter is still a problem+json; a failure later cuts the download short
//! (no final chunk), which clients see as an incomplete transfer, never as a complete file.
//! A workbook is written page by page in rust_xlsxwriter's constant-memory mode (rows go to a
//! temporary file) and sent whole once zipped, so it holds at most [`MAX_XLSX_ROWS`] rows; a
//! longer list is refused with 422 `export_too_large` naming the CSV.

use crate::auth::{Auth, Bearer};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use zhucun_persistence::keyset::{After, PageRequest, SortBy};
use zhucun_persistence::{DbConnection, Page};

/// Rows read per page of a download.
pub const PAGE: i64 = 1000;
/// The most rows a workbook holds.
pub const MAX_XLSX_ROWS: usize = 100_000;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";

/// Which form of an answer the request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Json,
    Xlsx,
    Csv,
}

/// `format` (`json`, `xlsx`, `csv`) wins; without it the `Accept` header chooses; JSON otherwise.
pub fn form_of(format: Option<&str>, accept: Option<&str>) -> Result<Form, ApiError> {
    match format.map(str::trim) {
        Some("json") => return Ok(Form::Json),
        Some("xlsx") => return Ok(Form::Xlsx),
        Some("csv") => return Ok(Form::Csv),
        Some(_) => {
            return Err(
                zhucun_domain::validation::one_of("format", &["json", "xlsx", "csv"]).into(),
            )
        }
        None => {}
    }
    let accept = accept.unwrap_or("").to_ascii_lowercase();
    Ok(if accept.contains("spreadsheetml") {
        Form::Xlsx
    } else if accept.contains("text/csv") {
        Form::Csv
    } else {
        Form::Json
    })
}

/// The form a list request asks for, from its `format` parameter and `Accept` header.
pub fn requested(req: &actix_web::HttpRequest, format: Option<&str>) -> Result<Form, ApiError> {
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    form_of(format, accept)
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// Money in fen, written in yuan.
    Fen(i64),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}
impl From<i32> for Cell {
    fn from(n: i32) -> Self {
        Cell::Int(i64::from(n))
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}
impl From<chrono::NaiveDate> for Cell {
    fn from(d: chrono::NaiveDate) -> Self {
        Cell::Text(d.format("%Y-%m-%d").to_string())
    }
}

/// What a list exports: its name (the sheet and the file name, in Chinese), the column headings,
/// and each item's cells in the headings' order.
pub struct Table<T> {
    /// The sheet's name and the file name's stem: `资金台账` → `资金台账-2026-11-30.csv`.
    pub name: &'static str,
    /// ASCII stem of the fallback file name (RFC 6266): `ledger`.
    pub ascii_name: &'static str,
    pub columns: &'static [&'static str],
    pub cells: fn(&T) -> Vec<Cell>,
}

/// A code's Chinese label (`cash_donation` → 现金捐赠); an unknown code as it is.
pub fn label<T: Copy>(
    code: &str,
    parse: fn(&str) -> Option<T>,
    name: fn(T) -> &'static str,
) -> String {
    parse(code).map_or_else(|| code.to_owned(), |v| name(v).to_owned())
}

/// Yuan with two decimals from fen, exactly.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// One CSV field, quoted when it must be (RFC 4180).
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn csv_line(out: &mut String, cells: impl IntoIterator<Item = Cell>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match cell {
            Cell::Text(t) => out.push_str(&csv_field(&t)),
            Cell::Int(n) => out.push_str(&n.to_string()),
            Cell::Fen(f) => out.push_str(&yuan(f)),
            Cell::Empty => {}
        }
    }
    out.push_str("\r\n");
}

/// `attachment` with an ASCII fallback name and the Chinese one (RFC 6266 / RFC 5987).
pub fn disposition(name: &str, ascii_name: &str, ext: &str) -> String {
    let day = zhucun_domain::calendar::today_local();
    attachment(
        &format!("{name}-{day}.{ext}"),
        &format!("{ascii_name}-{day}.{ext}"),
    )
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<the full name, percent-encoded>`.
pub fn attachment(full_name: &str, ascii_name: &str) -> String {
    let encoded: String = full_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}")
}

/// Reads one page of the list as the user (the login checked again for every page).
async fn read_page<S, F>(
    state: &web::Data<AppState>,
    bearer: &Bearer,
    fetch: &F,
    page: PageRequest<S>,
) -> Result<Page<S::Row>, ApiError>
where
    S: SortBy,
    S::Row: Send + 'static,
    F: Fn(&mut DbConnection, &Auth, &PageRequest<S>) -> Result<Page<S::Row>, ApiError>
        + Clone
        + Send
        + 'static,
{
    let fetch = fetch.clone();
    state
        .read_as(bearer.clone(), move |conn, auth| fetch(conn, auth, &page))
        .await
}

/// The request after the page's last row, or `None` after the last page.
fn after<S: SortBy>(page: &PageRequest<S>, rows: &Page<S::Row>) -> Option<PageRequest<S>> {
    if !rows.has_more {
        return None;
    }
    rows.items.last().map(|last| PageRequest {
        after: After::Row(page.sort.key(last), S::row_id(last)),
        ..page.clone()
    })
}

/// A list envelope made of its parts (every `list_type!` is one).
pub trait Envelope: serde::Serialize {
    type Item;
    fn new(
        items: Vec<Self::Item>,
        next_cursor: Option<String>,
        total: Option<crate::paging::ListTotal>,
    ) -> Self;
}

/// A list handler's answer: one page as JSON, or (`format=csv|xlsx` or the matching `Accept`) the
/// whole list with the same filters and sort as a download. `fetch` reads one page as the user.
pub async fn list<S, L, F>(
    state: web::Data<AppState>,
    bearer: Bearer,
    form: Form,
    req: crate::paging::ListRequest<S>,
    fetch: F,
    table: Table<L::Item>,
) -> Result<HttpResponse, ApiError>
where
    S: SortBy + std::fmt::Debug,
    S::Row: Send + 'static,
    L: Envelope,
    L::Item: From<S::Row> + 'static,
    F: Fn(&mut DbConnection, &Auth, &PageRequest<S>) -> Result<Page<S::Row>, ApiError>
        + Clone
        + Send
        + 'static,
{
    if form == Form::Json {
        let page = req.page.clone();
        let rows = state
            .read_as(bearer, move |conn, auth| fetch(conn, auth, &page))
            .await?;
        let (items, next_cursor, total) = req.finish(rows);
        return Ok(HttpResponse::Ok().json(L::new(items, next_cursor, total)));
    }
    download(
        state,
        bearer,
        form,
        table,
        req.page,
        fetch,
        None::<NoFooter>,
    )
    .await
}

/// A small table that is not paged (a team's month, a few dozen rows) as a download in `form`.
pub async fn small<T: Send + 'static>(
    form: Form,
    table: Table<T>,
    items: Vec<T>,
) -> Result<HttpResponse, ApiError> {
    match form {
        Form::Json => Err(ApiError::internal("download asked for JSON")),
        Form::Csv => {
            let mut out = String::from("\u{feff}");
            csv_line(&mut out, table.columns.iter().map(|c| Cell::from(*c)));
            for item in &items {
                csv_line(&mut out, (table.cells)(item));
            }
            Ok(HttpResponse::Ok()
                .content_type(CSV)
                .insert_header((
                    actix_web::http::header::CONTENT_DISPOSITION,
                    disposition(table.name, table.ascii_name, "csv"),
                ))
                .body(out))
        }
        Form::Xlsx => {
            let (name, ascii_name, columns, cells) =
                (table.name, table.ascii_name, table.columns, table.cells);
            let bytes = web::block(move || -> Result<Vec<u8>, ApiError> {
                let mut book = rust_xlsxwriter::Workbook::new();
                let mut sheet = Sheet::new(&mut book, name, columns)?;
                for item in &items {
                    sheet.row(&cells(item))?;
                }
                sheet.finish()?;
                book.save_to_buffer().map_err(ApiError::internal)
            })
            .await
            .map_err(ApiError::internal)??;
            Ok(HttpResponse::Ok()
                .content_type(XLSX)
                .insert_header((
                    actix_web::http::header::CONTENT_DISPOSITION,
                    disposition(name, ascii_name, "xlsx"),
                ))
                .body(bytes))
        }
    }
}

/// A list without a totals row ([`download`]'s `footer`).
pub type NoFooter = fn(&mut DbConnection, &Auth) -> Result<Vec<Cell>, ApiError>;

/// What a CSV download reads next.
enum Step<S> {
    Page(PageRequest<S>),
    Footer,
    Done,
}

/// Answers the list as a download in `form` (CSV or xlsx; JSON is the handler's own answer).
/// `page` is the list's parsed request: its sort is kept, its cursor and limit are not (a
/// download is the whole list with its filters). `fetch` reads one page as the list does.
/// `footer`, when given, computes a last row (the list's totals) after the last page.
pub async fn download<S, T, F, G>(
    state: web::Data<AppState>,
    bearer: Bearer,
    form: Form,
    table: Table<T>,
    page: PageRequest<S>,
    fetch: F,
    footer: Option<G>,
) -> Result<HttpResponse, ApiError>
where
    S: SortBy + std::fmt::Debug,
    S::Row: Send + 'static,
    T: From<S::Row> + 'static,
    F: Fn(&mut DbConnection, &Auth, &PageRequest<S>) -> Result<Page<S::Row>, ApiError>
        + Clone
        + Send
        + 'static,
    G: Fn(&mut DbConnection, &Auth) -> Result<Vec<Cell>, ApiError> + Clone + Send + 'static,
{
    let start = PageRequest {
        after: After::Start,
        limit: PAGE,
        ..page
    };
    let first = read_page(&state, &bearer, &fetch, start.clone()).await?;
    match form {
        Form::Json => Err(ApiError::internal("download asked for JSON")),
        Form::Csv => {
            let mut head = String::from("\u{feff}");
            csv_line(&mut head, table.columns.iter().map(|c| Cell::from(*c)));
            let cells = table.cells;
            let body = move |rows: Page<S::Row>| -> web::Bytes {
                let mut out = String::with_capacity(rows.items.len() * 128);
                for row in rows.items {
                    csv_line(&mut out, cells(&T::from(row)));
                }
                web::Bytes::from(out)
            };
            let has_footer = footer.is_some();
            let step = move |next: Option<PageRequest<S>>| match next {
                Some(p) => Step::Page(p),
                None if has_footer => Step::Footer,
                None => Step::Done,
            };
            let next = step(after(&start, &first));
            let first_chunk = {
                let mut b = head.into_bytes();
                b.extend_from_slice(&body(first));
                web::Bytes::from(b)
            };
            // The first chunk is ready; each later one is read when the client takes the last.
            let rest = futures_util::stream::unfold(next, move |next| {
                let (state, bearer, fetch, footer) =
                    (state.clone(), bearer.clone(), fetch.clone(), footer.clone());
                async move {
                    let read = match next {
                        Step::Done => return None,
                        Step::Page(page) => read_page(&state, &bearer, &fetch, page.clone())
                            .await
                            .map(|rows| {
                                let following = step(after(&page, &rows));
                                (body(rows), following)
                            }),
                        Step::Footer => match footer {
                            None => return None,
                            Some(f) => state
                                .read_as(bearer.clone(), move |conn, auth| f(conn, auth))
                                .await
                                .map(|cells| {
                                    let mut line = String::new();
                                    csv_line(&mut line, cells);
                                    (web::Bytes::from(line), Step::Done)
                                }),
                        },
                    };
                    Some(match read {
                        Ok((chunk, following)) => (Ok(chunk), following),
                        Err(e) => {
                            tracing::warn!(error = %e, "a CSV download stopped part way");
                            (Err(actix_web::Error::from(e)), Step::Done)
                        }
                    })
                }
            });
            let stream = futures_util::StreamExt::chain(
                futures_util::stream::once(async move { Ok::<_, actix_web::Error>(first_chunk) }),
                rest,
            );
            Ok(HttpResponse::Ok()
                .content_type(CSV)
                .insert_header((
                    actix_web::http::header::CONTENT_DISPOSITION,
                    disposition(table.name, table.ascii_name, "csv"),
                ))
                .streaming(stream))
        }
        Form::Xlsx => {
            // One blocking task reads the pages and writes each row as it comes, the workbook in
            // constant-memory mode (rows go to a temporary file), so the memory held is one page
            // and the compressed workbook; the connection is held for the build.
            let bytes = state
                .read_as_once(bearer, move |conn, auth| {
                    let mut book = rust_xlsxwriter::Workbook::new();
                    let mut sheet = Sheet::new(&mut book, table.name, table.columns)?;
                    let (mut next, mut rows) = (after(&start, &first), first);
                    let mut written = 0usize;
                    loop {
                        written += rows.items.len();
                        if written > MAX_XLSX_ROWS {
                            return Err(ApiError::RuleNotMet {
                                code: "export_too_large",
                                message: format!(
                                    "a workbook holds at most {MAX_XLSX_ROWS} rows; narrow the filters or download CSV (format=csv)"
                                ),
                                params: vec![("max_rows", MAX_XLSX_ROWS.to_string())],
                            });
                        }
                        for row in rows.items {
                            sheet.row(&(table.cells)(&T::from(row)))?;
                        }
                        let Some(page) = next else { break };
                        rows = fetch(conn, auth, &page)?;
                        next = after(&page, &rows);
                    }
                    if let Some(f) = footer {
                        sheet.row(&f(conn, auth)?)?;
                    }
                    sheet.finish()?;
                    book.save_to_buffer().map_err(ApiError::internal)
                })
                .await?;
            Ok(HttpResponse::Ok()
                .content_type(XLSX)
                .insert_header((
                    actix_web::http::header::CONTENT_DISPOSITION,
                    disposition(table.name, table.ascii_name, "xlsx"),
                ))
                .body(bytes))
        }
    }
}

/// Display width of a text in Excel's character units (CJK and Tibetan count double).
pub fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.1 })
        .sum()
}

/// A download's one sheet, written row by row: a bold frozen header row, yuan as currency,
/// widths fitted to the longest cell (up to 60 characters).
struct Sheet<'a> {
    ws: &'a mut rust_xlsxwriter::Worksheet,
    money: rust_xlsxwriter::Format,
    widths: Vec<f64>,
    next_row: u32,
}

impl<'a> Sheet<'a> {
    fn new(
        book: &'a mut rust_xlsxwriter::Workbook,
        name: &str,
        columns: &[&str],
    ) -> Result<Self, ApiError> {
        use rust_xlsxwriter::{Format, FormatAlign};
        let ws = book
            .add_worksheet_with_constant_memory()
            .map_err(ApiError::internal)?;
        ws.set_name(name).map_err(ApiError::internal)?;
        let header = Format::new()
            .set_bold()
            .set_background_color("DDEBF7")
            .set_align(FormatAlign::Center);
        for (c, title) in columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_with_format(0, c, *title, &header)
                .map_err(ApiError::internal)?;
        }
        ws.set_freeze_panes(1, 0).map_err(ApiError::internal)?;
        Ok(Sheet {
            ws,
            money: Format::new().set_num_format("¥#,##0.00"),
            widths: columns.iter().map(|c| width(c)).collect(),
            next_row: 1,
        })
    }

    fn row(&mut self, cells: &[Cell]) -> Result<(), ApiError> {
        let r = self.next_row;
        self.next_row = self.next_row.saturating_add(1);
        for (c, cell) in cells.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            let w = match cell {
                Cell::Text(t) => {
                    self.ws
                        .write(r, col, t.as_str())
                        .map_err(ApiError::internal)?;
                    width(t)
                }
                Cell::Int(n) => {
                    // Counts and ids are far below 2^53: exact as spreadsheet numbers.
                    #[allow(clippy::cast_precision_loss)]
                    self.ws
                        .write(r, col, *n as f64)
                        .map_err(ApiError::internal)?;
                    width(&n.to_string())
                }
                Cell::Fen(f) => {
                    #[allow(clippy::cast_precision_loss)]
                    self.ws
                        .write_with_format(r, col, *f as f64 / 100.0, &self.money)
                        .map_err(ApiError::internal)?;
                    width(&yuan(*f)) + 3.0
                }
                Cell::Empty => 0.0,
            };
            if let Some(max) = self.widths.get_mut(c) {
                *max = max.max(w.min(60.0));
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), ApiError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws
                .set_column_width(u16::try_from(c).unwrap_or(u16::MAX), w + 2.0)
                .map_err(ApiError::internal)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must_and_writes_yuan_exactly() {
        let mut out = String::new();
        csv_line(
            &mut out,
            vec![
                Cell::from("拉萨市,城关区"),
                Cell::from("他说\"好\""),
                Cell::from("བཀྲ་ཤིས།"),
                Cell::Fen(-5),
                Cell::Int(42),
                Cell::Empty,
            ],
        );
        assert_eq!(
            out,
            "\"拉萨市,城关区\",\"他说\"\"好\"\"\",བཀྲ་ཤིས།,-0.05,42,\r\n"
        );
        assert_eq!(yuan(123_456), "1234.56");
    }

    #[test]
    fn the_form_comes_from_format_then_accept() {
        assert_eq!(form_of(Some("csv"), Some(XLSX)).ok(), Some(Form::Csv));
        assert_eq!(form_of(None, Some("text/csv")).ok(), Some(Form::Csv));
        assert_eq!(form_of(None, Some(XLSX)).ok(), Some(Form::Xlsx));
        assert_eq!(form_of(None, Some("*/*")).ok(), Some(Form::Json));
        assert!(form_of(Some("pdf"), None).is_err());
    }

    #[test]
    fn the_file_name_is_encoded_for_both_kinds_of_client() {
        let d = disposition("资金台账", "ledger", "csv");
        assert!(d.starts_with("attachment; filename=\"ledger-"), "{d}");
        assert!(d.contains("filename*=UTF-8''%E8%B5%84%E9%87%91"), "{d}");
    }
}
