//! The funds ledger (资金台账): immutable entries loaded with their village's, project's and
//! donor's names and the committee's confirmation in one query, the reversals of a page in a
//! second; totals summed by the database as integer fen (reversals are negative entries, so every
//! sum already includes them).
//!
//! Nothing here updates or deletes an entry (the tables' triggers would refuse it): an entry is
//! inserted once, a reversal is another entry, a confirmation a row of its own.

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{donors, ledger_confirmations, ledger_entries, projects, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = ledger_entries)]
pub struct EntryRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: EntryValues,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
}

/// Every column an entry is written with (once).
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, Queryable, Selectable)]
#[diesel(table_name = ledger_entries)]
pub struct EntryValues {
    pub village_id: i64,
    pub project_id: Option<i64>,
    pub entry_date: NaiveDate,
    /// `zhucun_domain::ledger::Kind` code.
    pub kind: String,
    /// `zhucun_domain::ledger::Source` code.
    pub source: String,
    pub donor_id: Option<i64>,
    pub item: Option<String>,
    /// Goods in kind: whole thousandths of the unit.
    pub quantity_milli: Option<i64>,
    pub unit: Option<String>,
    /// Negative exactly for a reversal.
    pub amount_fen: i64,
    pub evidence: Option<String>,
    pub reverses_id: Option<i64>,
    pub reversal_reason: Option<String>,
    pub created_by: i64,
    pub created_by_username: String,
}

/// The committee's confirmation of receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confirmation {
    pub username: String,
    pub at: NaiveDateTime,
}

/// An entry with the names it refers to, its confirmation and the entry reversing it, if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryView {
    pub entry: EntryRow,
    pub village_name: String,
    pub project_title: Option<String>,
    pub donor_name: Option<String>,
    pub confirmation: Option<Confirmation>,
    pub reversed_by_id: Option<i64>,
}

impl EntryView {
    /// The state the reversal and confirmation rules judge.
    pub fn state(&self) -> zhucun_domain::ledger::EntryState {
        zhucun_domain::ledger::EntryState {
            is_reversal: self.entry.values.reverses_id.is_some(),
            reversed: self.reversed_by_id.is_some(),
            confirmed: self.confirmation.is_some(),
        }
    }
}

type Joined = (
    EntryRow,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
);

macro_rules! view_query {
    () => {
        ledger_entries::table
            .inner_join(villages::table.on(villages::id.eq(ledger_entries::village_id)))
            .left_join(projects::table.on(projects::id.nullable().eq(ledger_entries::project_id)))
            .left_join(donors::table.on(donors::id.nullable().eq(ledger_entries::donor_id)))
            .left_join(
                ledger_confirmations::table
                    .on(ledger_confirmations::entry_id.eq(ledger_entries::id)),
            )
            .select((
                EntryRow::as_select(),
                villages::name,
                projects::title.nullable(),
                donors::name.nullable(),
                ledger_confirmations::username.nullable(),
                ledger_confirmations::at.nullable(),
            ))
    };
}

/// The reversal of each of `ids` that has one: `(original, reversal)`.
fn reversals_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Option<i64>, i64)> = ledger_entries::table
        .filter(ledger_entries::reverses_id.eq_any(ids.to_vec()))
        .select((ledger_entries::reverses_id, ledger_entries::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(original, id)| original.map(|o| (o, id)))
        .collect())
}

fn assemble(conn: &mut DbConnection, rows: Vec<Joined>) -> QueryResult<Vec<EntryView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let reversals = reversals_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(entry, village_name, project_title, donor_name, by, at)| {
            let reversed_by_id = reversals
                .iter()
                .find(|(o, _)| *o == entry.id)
                .map(|(_, r)| *r);
            EntryView {
                confirmation: by
                    .zip(at)
                    .map(|(username, at)| Confirmation { username, at }),
                entry,
                village_name,
                project_title,
                donor_name,
                reversed_by_id,
            }
        })
        .collect())
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<EntryView> {
    let row: Joined = view_query!()
        .filter(ledger_entries::id.eq(id))
        .first(conn)?;
    assemble(conn, vec![row])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub project_id: Option<i64>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub donor_id: Option<i64>,
    /// Dated on or after.
    pub from: Option<NaiveDate>,
    /// Dated on or before.
    pub to: Option<NaiveDate>,
    /// Only entries that wait for the committee's confirmation (originals that stand, not yet
    /// confirmed).
    pub awaiting_confirmation: bool,
    /// A `LIKE` pattern over the item, the evidence note and a reversal's reason.
    pub search: Option<String>,
    /// `Some(true)`: only entries for a project; `Some(false)`: only entries for none (goods
    /// handed out in relief visits rather than put into a project).
    pub for_project: Option<bool>,
}

/// An entry that is no reversal, has none and has no confirmation (a condition in SQL, the same
/// as `zhucun_domain::ledger::awaits_confirmation`).
const AWAITING: &str = "(ledger_entries.reverses_id IS NULL \
     AND NOT EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_id = ledger_entries.id) \
     AND NOT EXISTS (SELECT 1 FROM ledger_confirmations c WHERE c.entry_id = ledger_entries.id))";

/// The filters as one condition on the entries' own columns: a page, its total and the totals by
/// group all apply the same one (a page then loads its rows' names by id).
type Condition = Box<dyn BoxableExpression<ledger_entries::table, crate::Backend, SqlType = Bool>>;

fn condition(f: &LedgerFilter) -> Condition {
    let mut c: Condition = Box::new(ledger_entries::department_id.eq(f.department_id));
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(ledger_entries::village_id.eq_any(ids.clone())));
    }
    if let Some(v) = f.village_id {
        c = Box::new(c.and(ledger_entries::village_id.eq(v)));
    }
    if let Some(p) = f.project_id {
        c = Box::new(c.and(ledger_entries::project_id.eq(p).assume_not_null()));
    }
    if let Some(k) = &f.kind {
        c = Box::new(c.and(ledger_entries::kind.eq(k.clone())));
    }
    if let Some(s) = &f.source {
        c = Box::new(c.and(ledger_entries::source.eq(s.clone())));
    }
    if let Some(d) = f.donor_id {
        c = Box::new(c.and(ledger_entries::donor_id.eq(d).assume_not_null()));
    }
    if let Some(from) = f.from {
        c = Box::new(c.and(ledger_entries::entry_date.ge(from)));
    }
    if let Some(to) = f.to {
        c = Box::new(c.and(ledger_entries::entry_date.le(to)));
    }
    if f.awaiting_confirmation {
        c = Box::new(c.and(sql::<Bool>(AWAITING)));
    }
    match f.for_project {
        Some(true) => c = Box::new(c.and(ledger_entries::project_id.is_not_null())),
        Some(false) => c = Box::new(c.and(ledger_entries::project_id.is_null())),
        None => {}
    }
    if let Some(pattern) = &f.search {
        c = Box::new(
            c.and(
                ledger_entries::item
                    .like(pattern.clone())
                    .escape('\\')
                    .or(ledger_entries::evidence.like(pattern.clone()).escape('\\'))
                    .or(ledger_entries::reversal_reason
                        .like(pattern.clone())
                        .escape('\\'))
                    .assume_not_null(),
            ),
        );
    }
    c
}

/// Newest first by default; or by amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerSort {
    Date,
    Amount,
}

impl SortBy for LedgerSort {
    type Row = EntryView;
    const NAMES: &'static [(&'static str, Self)] =
        &[("date", LedgerSort::Date), ("amount", LedgerSort::Amount)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        match self {
            LedgerSort::Date => KeyKind::Date,
            LedgerSort::Amount => KeyKind::Int,
        }
    }
    fn key(self, row: &EntryView) -> Key {
        match self {
            LedgerSort::Date => Key::Date(row.entry.values.entry_date),
            LedgerSort::Amount => Key::Int(row.entry.values.amount_fen),
        }
    }
    fn row_id(row: &EntryView) -> i64 {
        row.entry.id
    }
}

pub fn list(
    conn: &mut DbConnection,
    filter: &LedgerFilter,
    page: &PageRequest<LedgerSort>,
) -> QueryResult<Page<EntryView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, crate::keyset::After::Start),
        ledger_entries::table
            .filter(condition(filter))
            .select(ledger_entries::id)
    );
    let mut q = ledger_entries::table
        .filter(condition(filter))
        .select(ledger_entries::id)
        .into_boxed();
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        LedgerSort::Date => {
            let after = after.date()?;
            crate::keyset_page!(
                q,
                ledger_entries::entry_date,
                ledger_entries::id,
                after,
                descending
            )
        }
        LedgerSort::Amount => {
            let after = after.int()?;
            crate::keyset_page!(
                q,
                ledger_entries::amount_fen,
                ledger_entries::id,
                after,
                descending
            )
        }
    }
    let ids: Vec<i64> = q.limit(page.limit + 1).load(conn)?;
    let page_ids = Page::from_overfetch(ids, page.limit);
    // The page's rows with their names, in the page's order.
    let mut rows: Vec<Joined> = view_query!()
        .filter(ledger_entries::id.eq_any(page_ids.items.clone()))
        .load(conn)?;
    rows.sort_by_key(|r| page_ids.items.iter().position(|id| *id == r.0.id));
    let page_rows = Page {
        items: rows,
        has_more: page_ids.has_more,
        total: None,
    };
    Ok(Page {
        items: assemble(conn, page_rows.items)?,
        has_more: page_rows.has_more,
        total,
    })
}

/// What totals are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsBy {
    Village,
    Project,
    Source,
    Kind,
    Donor,
    Year,
}

/// One group of the totals: its key (an id, a code or a year, as text; `None` for entries
/// without a project or donor), and its sums in fen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Sums {
    pub entries: i64,
    /// Every amount, reversals included.
    pub amount_fen: i64,
    /// Amounts of allocations and donations (money and goods reaching the village).
    pub received_fen: i64,
    /// Amounts of expenditures.
    pub spent_fen: i64,
}

/// The three sums as BIGINT computed by the database (never through floats); 0 for no rows.
pub(crate) fn sums() -> (
    diesel::expression::SqlLiteral<BigInt>,
    diesel::expression::SqlLiteral<BigInt>,
    diesel::expression::SqlLiteral<BigInt>,
) {
    (
        sql::<BigInt>("CAST(COALESCE(SUM(ledger_entries.amount_fen), 0) AS BIGINT)"),
        sql::<BigInt>(
            "CAST(COALESCE(SUM(CASE WHEN ledger_entries.kind <> 'expenditure' \
             THEN ledger_entries.amount_fen ELSE 0 END), 0) AS BIGINT)",
        ),
        sql::<BigInt>(
            "CAST(COALESCE(SUM(CASE WHEN ledger_entries.kind = 'expenditure' \
             THEN ledger_entries.amount_fen ELSE 0 END), 0) AS BIGINT)",
        ),
    )
}

type SumRow = (i64, i64, i64, i64);

fn to_sums((entries, amount_fen, received_fen, spent_fen): SumRow) -> Sums {
    Sums {
        entries,
        amount_fen,
        received_fen,
        spent_fen,
    }
}

/// The sums of every entry the filter takes.
pub fn overall(conn: &mut DbConnection, filter: &LedgerFilter) -> QueryResult<Sums> {
    let (amount, received, spent) = sums();
    let row: SumRow = ledger_entries::table
        .filter(condition(filter))
        .select((count_star(), amount, received, spent))
        .first(conn)?;
    Ok(to_sums(row))
}

/// The most groups a totals answer holds (villages, projects and donors of a department are
/// far fewer; years since 2011 a handful).
pub const MAX_GROUPS: i64 = 5000;

/// Sums by a group, keyed as text (ids and years as their decimal digits), in key order.
pub fn totals(
    conn: &mut DbConnection,
    filter: &LedgerFilter,
    by: TotalsBy,
) -> QueryResult<Vec<(Option<String>, Sums)>> {
    macro_rules! grouped {
        ($col:expr, $key:ty) => {{
            let (amount, received, spent) = sums();
            let rows: Vec<($key, i64, i64, i64, i64)> = ledger_entries::table
                .filter(condition(filter))
                .group_by($col)
                .select(($col, count_star(), amount, received, spent))
                .order_by($col)
                .limit(MAX_GROUPS)
                .load(conn)?;
            rows
        }};
    }
    fn sums_of((e, a, r, s): (i64, i64, i64, i64)) -> Sums {
        to_sums((e, a, r, s))
    }
    Ok(match by {
        TotalsBy::Village => grouped!(ledger_entries::village_id, i64)
            .into_iter()
            .map(|(k, e, a, r, s)| (Some(k.to_string()), sums_of((e, a, r, s))))
            .collect(),
        TotalsBy::Project => grouped!(ledger_entries::project_id, Option<i64>)
            .into_iter()
            .map(|(k, e, a, r, s)| (k.map(|k| k.to_string()), sums_of((e, a, r, s))))
            .collect(),
        TotalsBy::Donor => grouped!(ledger_entries::donor_id, Option<i64>)
            .into_iter()
            .map(|(k, e, a, r, s)| (k.map(|k| k.to_string()), sums_of((e, a, r, s))))
            .collect(),
        TotalsBy::Source => grouped!(ledger_entries::source, String)
            .into_iter()
            .map(|(k, e, a, r, s)| (Some(k), sums_of((e, a, r, s))))
            .collect(),
        TotalsBy::Kind => grouped!(ledger_entries::kind, String)
            .into_iter()
            .map(|(k, e, a, r, s)| (Some(k), sums_of((e, a, r, s))))
            .collect(),
        TotalsBy::Year => {
            // By day in SQL (a portable key), folded into years here: at most one row per day.
            let mut years: Vec<(Option<String>, Sums)> = Vec::new();
            for (day, e, a, r, s) in grouped!(ledger_entries::entry_date, NaiveDate) {
                let key = Some(day.year().to_string());
                match years.last_mut() {
                    Some((k, sums)) if *k == key => {
                        sums.entries += e;
                        sums.amount_fen += a;
                        sums.received_fen += r;
                        sums.spent_fen += s;
                    }
                    _ => years.push((key, sums_of((e, a, r, s)))),
                }
            }
            years
        }
    })
}

/// Funds received and spent per project (for the projects of a page, in one query): the sums of
/// their entries, reversals included. Projects without entries are absent.
pub fn project_funds(
    conn: &mut DbConnection,
    project_ids: &[i64],
) -> QueryResult<Vec<(i64, Sums)>> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (amount, received, spent) = sums();
    let rows: Vec<(Option<i64>, i64, i64, i64, i64)> = ledger_entries::table
        .filter(ledger_entries::project_id.eq_any(project_ids.to_vec()))
        .group_by(ledger_entries::project_id)
        .select((
            ledger_entries::project_id,
            count_star(),
            amount,
            received,
            spent,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(p, entries, amount_fen, received_fen, spent_fen)| {
            p.map(|p| (p, to_sums((entries, amount_fen, received_fen, spent_fen))))
        })
        .collect())
}

/// The names of groups' rows (villages, projects or donors), in one query.
pub fn names_of(
    conn: &mut DbConnection,
    by: TotalsBy,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    let ids = ids.to_vec();
    match by {
        TotalsBy::Village => villages::table
            .filter(villages::id.eq_any(ids))
            .select((villages::id, villages::name))
            .load(conn),
        TotalsBy::Project => projects::table
            .filter(projects::id.eq_any(ids))
            .select((projects::id, projects::title))
            .load(conn),
        TotalsBy::Donor => donors::table
            .filter(donors::id.eq_any(ids))
            .select((donors::id, donors::name))
            .load(conn),
        TotalsBy::Source | TotalsBy::Kind | TotalsBy::Year => Ok(Vec::new()),
    }
}

/// Records the committee's confirmation of an entry; `Ok(false)` when it was already confirmed
/// (the unique entry id: two confirmations racing, one wins).
pub fn confirm(
    conn: &mut DbConnection,
    department_id: i64,
    entry_id: i64,
    user_id: i64,
    username: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        ledger_confirmations::department_id.eq(department_id),
        ledger_confirmations::entry_id.eq(entry_id),
        ledger_confirmations::user_id.eq(user_id),
        ledger_confirmations::username.eq(username),
        ledger_confirmations::at.eq(at),
    );
    let n = crate::on_backend!(conn, |c| {
        diesel::insert_into(ledger_confirmations::table)
            .values(row)
            .on_conflict(ledger_confirmations::entry_id)
            .do_nothing()
            .execute(c)
    })?;
    Ok(n == 1)
}

/// The ledger as a table of records that are created and never changed: the "version" a client
/// sees as `ETag` counts the two things that can still happen to an entry — its confirmation and
/// its reversal — so a cached copy is known stale after either.
pub struct Ledger;

impl Versioned for Ledger {
    type Row = EntryView;
    type Values = EntryValues;

    fn id(row: &EntryView) -> i64 {
        row.entry.id
    }
    fn version(row: &EntryView) -> i32 {
        1 + i32::from(row.confirmation.is_some()) + i32::from(row.reversed_by_id.is_some())
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<EntryView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<EntryValues> {
        ledger_entries::table
            .find(id)
            .select(EntryValues::as_select())
            .first(conn)
    }
    /// Entries are never updated: the access policy refuses it before this is reached, and the
    /// table's triggers would refuse it after.
    fn update(
        _conn: &mut DbConnection,
        _id: i64,
        _version: i32,
        _values: &EntryValues,
        _now: NaiveDateTime,
    ) -> QueryResult<Option<EntryView>> {
        Ok(None)
    }
}

impl Creatable for Ledger {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &EntryValues,
        now: NaiveDateTime,
    ) -> QueryResult<EntryView> {
        let id: i64 = diesel::insert_into(ledger_entries::table)
            .values((
                values,
                ledger_entries::department_id.eq(department_id),
                ledger_entries::created_at.eq(now),
            ))
            .returning(ledger_entries::id)
            .get_result(conn)?;
        get(conn, id)
    }
}
