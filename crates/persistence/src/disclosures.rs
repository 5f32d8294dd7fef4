//! 村务公开: a village's disclosures loaded with the village's names (Chinese and Tibetan) and the
//! decision they disclose, if any. The status moves only by `set_status` (publication,
//! withdrawal); a PATCH writes only a draft's values. The calendar's facts of a village's year are
//! a few grouped reads of the disclosures and the ledger.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{decisions, disclosures, ledger_entries, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Serialize;
use zhucun_domain::disclosure::{Category, Status};

/// Every column a create or an update (of a draft) writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = disclosures, treat_none_as_null = true)]
pub struct DisclosureValues {
    pub village_id: i64,
    /// `zhucun_domain::disclosure::Category` code.
    pub category: String,
    pub title: String,
    pub body: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = disclosures)]
pub struct DisclosureRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: DisclosureValues,
    pub status: String,
    pub published_on: Option<NaiveDate>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub published_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawal_reason: Option<String>,
    pub decision_id: Option<i64>,
    pub decision_step: Option<i32>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A disclosure with the names it refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosureView {
    pub disclosure: DisclosureRow,
    pub village_name: String,
    pub village_name_bo: Option<String>,
    pub decision_title: Option<String>,
}

impl DisclosureView {
    pub fn status(&self) -> Status {
        Status::from_code(&self.disclosure.status).unwrap_or(Status::Draft)
    }
}

type Joined = (DisclosureRow, String, Option<String>, Option<String>);

macro_rules! view_query {
    () => {
        disclosures::table
            .inner_join(villages::table.on(villages::id.eq(disclosures::village_id)))
            .left_join(decisions::table.on(decisions::id.nullable().eq(disclosures::decision_id)))
            .select((
                DisclosureRow::as_select(),
                villages::name,
                villages::name_bo,
                decisions::title.nullable(),
            ))
    };
}

fn view((disclosure, village_name, village_name_bo, decision_title): Joined) -> DisclosureView {
    DisclosureView {
        disclosure,
        village_name,
        village_name_bo,
        decision_title,
    }
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<DisclosureView> {
    let row: Joined = view_query!().filter(disclosures::id.eq(id)).first(conn)?;
    Ok(view(row))
}

#[derive(Debug, Clone, Default)]
pub struct DisclosureFilter {
    /// `None` only for the public board (which names its village and public statuses).
    pub department_id: Option<i64>,
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    /// Any of these statuses.
    pub statuses: Option<Vec<String>>,
    pub category: Option<String>,
    /// The period overlaps this year: `(first day, last day)`.
    pub within: Option<(NaiveDate, NaiveDate)>,
    pub decision_id: Option<i64>,
}

type Condition = Box<dyn BoxableExpression<disclosures::table, crate::Backend, SqlType = Bool>>;

fn condition(f: &DisclosureFilter) -> Condition {
    let mut c: Condition = match f.department_id {
        Some(d) => Box::new(disclosures::department_id.eq(d)),
        None => Box::new(disclosures::id.eq(disclosures::id)),
    };
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(disclosures::village_id.eq_any(ids.clone())));
    }
    if let Some(v) = f.village_id {
        c = Box::new(c.and(disclosures::village_id.eq(v)));
    }
    if let Some(s) = &f.statuses {
        c = Box::new(c.and(disclosures::status.eq_any(s.clone())));
    }
    if let Some(k) = &f.category {
        c = Box::new(c.and(disclosures::category.eq(k.clone())));
    }
    if let Some((first, last)) = f.within {
        c = Box::new(
            c.and(disclosures::period_from.le(last))
                .and(disclosures::period_to.ge(first)),
        );
    }
    if let Some(d) = f.decision_id {
        c = Box::new(c.and(disclosures::decision_id.eq(d).assume_not_null()));
    }
    c
}

/// By the first day of the period covered (newest first by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisclosureSort {
    Period,
}

impl SortBy for DisclosureSort {
    type Row = DisclosureView;
    const NAMES: &'static [(&'static str, Self)] = &[("period", DisclosureSort::Period)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        KeyKind::Date
    }
    fn key(self, row: &DisclosureView) -> Key {
        Key::Date(row.disclosure.values.period_from)
    }
    fn row_id(row: &DisclosureView) -> i64 {
        row.disclosure.id
    }
}

pub fn list(
    conn: &mut DbConnection,
    filter: &DisclosureFilter,
    page: &PageRequest<DisclosureSort>,
) -> QueryResult<Page<DisclosureView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        disclosures::table
            .filter(condition(filter))
            .select(disclosures::id)
    );
    let mut q = disclosures::table
        .filter(condition(filter))
        .select(disclosures::id)
        .into_boxed();
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        DisclosureSort::Period => {
            let after = after.date()?;
            crate::keyset_page!(
                q,
                disclosures::period_from,
                disclosures::id,
                after,
                descending
            );
        }
    }
    let ids: Vec<i64> = q.limit(page.limit + 1).load(conn)?;
    let page_ids = Page::from_overfetch(ids, page.limit);
    let mut rows: Vec<Joined> = view_query!()
        .filter(disclosures::id.eq_any(page_ids.items.clone()))
        .load(conn)?;
    rows.sort_by_key(|r| page_ids.items.iter().position(|id| *id == r.0.id));
    Ok(Page {
        items: rows.into_iter().map(view).collect(),
        has_more: page_ids.has_more,
        total,
    })
}

/// What a move writes besides the status.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub to: Status,
    pub published_on: Option<NaiveDate>,
    pub published_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawal_reason: Option<String>,
}

/// Moves a disclosure if it is still at `version`; `None` when someone changed it first. A
/// withdrawal keeps the publication's day.
pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    m: &Move,
    now: NaiveDateTime,
) -> QueryResult<Option<DisclosureView>> {
    let target =
        disclosures::table.filter(disclosures::id.eq(id).and(disclosures::version.eq(version)));
    let n = if m.to == Status::Withdrawn {
        diesel::update(target)
            .set((
                disclosures::status.eq(m.to.code()),
                disclosures::withdrawn_at.eq(m.withdrawn_at),
                disclosures::withdrawal_reason.eq(m.withdrawal_reason.clone()),
                disclosures::version.eq(version + 1),
                disclosures::updated_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                disclosures::status.eq(m.to.code()),
                disclosures::published_on.eq(m.published_on),
                disclosures::published_at.eq(m.published_at),
                disclosures::version.eq(version + 1),
                disclosures::updated_at.eq(now),
            ))
            .execute(conn)?
    };
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

/// A disclosure a decision's step publishes at once (category `decision`).
#[allow(clippy::too_many_arguments)]
pub fn insert_published(
    conn: &mut DbConnection,
    department_id: i64,
    values: &DisclosureValues,
    decision_id: i64,
    step: i32,
    published_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(disclosures::table)
        .values((
            values,
            disclosures::department_id.eq(department_id),
            disclosures::status.eq(Status::Published.code()),
            disclosures::published_on.eq(Some(published_on)),
            disclosures::published_at.eq(Some(now)),
            disclosures::decision_id.eq(Some(decision_id)),
            disclosures::decision_step.eq(Some(step)),
            disclosures::version.eq(1),
            disclosures::created_at.eq(now),
            disclosures::updated_at.eq(now),
        ))
        .returning(disclosures::id)
        .get_result(conn)
}

/// `(village, category, from, to, published on)`.
pub type PublishedLine = (i64, Category, NaiveDate, NaiveDate, NaiveDate);

/// The published (and withdrawn) disclosures of some villages whose period overlaps the year:
/// `(village, category, from, to, published on)`.
pub fn published_in(
    conn: &mut DbConnection,
    villages: &[i64],
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<PublishedLine>> {
    let rows: Vec<(i64, String, NaiveDate, NaiveDate, Option<NaiveDate>)> = disclosures::table
        .filter(disclosures::village_id.eq_any(villages.to_vec()))
        .filter(disclosures::status.eq_any([Status::Published.code(), Status::Withdrawn.code()]))
        .filter(disclosures::period_from.le(last))
        .filter(disclosures::period_to.ge(first))
        .select((
            disclosures::village_id,
            disclosures::category,
            disclosures::period_from,
            disclosures::period_to,
            disclosures::published_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(v, c, from, to, on)| Some((v, Category::from_code(&c)?, from, to, on?)))
        .collect())
}

/// The days with entries as `(village, day)`, and the donations as `(village, entry id, day)`.
pub type LedgerFacts = (Vec<(i64, NaiveDate)>, Vec<(i64, i64, NaiveDate)>);

/// The ledger of some villages' year for the calendar: the distinct days with entries, and the
/// donations (cash or in kind, not reversals), each with its village.
pub fn ledger_facts(
    conn: &mut DbConnection,
    villages: &[i64],
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<LedgerFacts> {
    let in_year = || {
        ledger_entries::village_id
            .eq_any(villages.to_vec())
            .and(ledger_entries::entry_date.ge(first))
            .and(ledger_entries::entry_date.le(last))
    };
    let days: Vec<(i64, NaiveDate)> = ledger_entries::table
        .filter(in_year())
        .select((ledger_entries::village_id, ledger_entries::entry_date))
        .distinct()
        .load(conn)?;
    let donations: Vec<(i64, i64, NaiveDate)> = ledger_entries::table
        .filter(in_year())
        .filter(ledger_entries::kind.eq_any(["cash_donation", "in_kind_donation"]))
        .filter(ledger_entries::reverses_id.is_null())
        .order((ledger_entries::entry_date, ledger_entries::id))
        .select((
            ledger_entries::village_id,
            ledger_entries::id,
            ledger_entries::entry_date,
        ))
        .load(conn)?;
    Ok((days, donations))
}

/// How many disclosures of some villages (all of a department's when `None`) were published in
/// a range of days.
pub fn published_count(
    conn: &mut DbConnection,
    department_id: i64,
    villages: Option<&[i64]>,
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<i64> {
    let mut q = disclosures::table
        .filter(disclosures::department_id.eq(department_id))
        .filter(disclosures::published_on.ge(first).assume_not_null())
        .filter(disclosures::published_on.le(last).assume_not_null())
        .into_boxed();
    if let Some(ids) = villages {
        q = q.filter(disclosures::village_id.eq_any(ids.to_vec()));
    }
    q.select(diesel::dsl::count_star()).first(conn)
}

/// Disclosures as a versioned table.
pub struct Disclosures;

impl Versioned for Disclosures {
    type Row = DisclosureView;
    type Values = DisclosureValues;

    fn id(row: &DisclosureView) -> i64 {
        row.disclosure.id
    }
    fn version(row: &DisclosureView) -> i32 {
        row.disclosure.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<DisclosureView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<DisclosureValues> {
        disclosures::table
            .find(id)
            .select(DisclosureValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &DisclosureValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<DisclosureView>> {
        let n = diesel::update(
            disclosures::table.filter(disclosures::id.eq(id).and(disclosures::version.eq(version))),
        )
        .set((
            values,
            disclosures::version.eq(version + 1),
            disclosures::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Disclosures {
    /// A new disclosure is a draft.
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &DisclosureValues,
        now: NaiveDateTime,
    ) -> QueryResult<DisclosureView> {
        let id: i64 = diesel::insert_into(disclosures::table)
            .values((
                values,
                disclosures::department_id.eq(department_id),
                disclosures::status.eq(Status::Draft.code()),
                disclosures::version.eq(1),
                disclosures::created_at.eq(now),
                disclosures::updated_at.eq(now),
            ))
            .returning(disclosures::id)
            .get_result(conn)?;
        get(conn, id)
    }
}

/// A village's names for the public board: `(name, Tibetan name)`.
pub fn village_names(
    conn: &mut DbConnection,
    village_id: i64,
) -> QueryResult<(String, Option<String>)> {
    villages::table
        .find(village_id)
        .select((villages::name, villages::name_bo))
        .first(conn)
}
