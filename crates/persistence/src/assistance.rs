//! Assistance (帮扶): what a cadre gave a household, loaded with the cadre's, the household head's
//! and the village's names in one query; totals summed in SQL as integer fen.

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{assistance, cadres, households, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = assistance)]
pub struct AssistanceRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: AssistanceValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = assistance, treat_none_as_null = true)]
pub struct AssistanceValues {
    /// The household's village (copied from the household).
    pub village_id: i64,
    pub household_id: i64,
    pub cadre_id: i64,
    pub given_on: NaiveDate,
    /// `zhucun_domain::household::AssistanceKind` code.
    pub kind: String,
    pub amount_fen: i64,
    pub description: String,
}

/// A record with the names it refers to, fetched in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct AssistanceView {
    pub assistance: AssistanceRow,
    pub cadre_name: String,
    pub household_name: String,
    pub village_name: String,
}

#[derive(Debug, Clone, Default)]
pub struct AssistanceFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub household_id: Option<i64>,
    pub cadre_id: Option<i64>,
    pub kind: Option<String>,
    /// Given on or after this day.
    pub from: Option<NaiveDate>,
    /// Given on or before this day.
    pub to: Option<NaiveDate>,
}

/// Newest first by default; or by amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssistanceSort {
    Date,
    Amount,
}

impl SortBy for AssistanceSort {
    type Row = AssistanceView;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("date", AssistanceSort::Date),
        ("amount", AssistanceSort::Amount),
    ];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        match self {
            AssistanceSort::Date => KeyKind::Date,
            AssistanceSort::Amount => KeyKind::Int,
        }
    }
    fn key(self, row: &AssistanceView) -> Key {
        match self {
            AssistanceSort::Date => Key::Date(row.assistance.values.given_on),
            AssistanceSort::Amount => Key::Int(row.assistance.values.amount_fen),
        }
    }
    fn row_id(row: &AssistanceView) -> i64 {
        row.assistance.id
    }
}

macro_rules! view_query {
    () => {
        assistance::table
            .inner_join(cadres::table.on(cadres::id.eq(assistance::cadre_id)))
            .inner_join(households::table.on(households::id.eq(assistance::household_id)))
            .inner_join(villages::table.on(villages::id.eq(assistance::village_id)))
            .select((
                AssistanceRow::as_select(),
                cadres::name,
                households::head_name,
                villages::name,
            ))
    };
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<AssistanceView> {
    view_query!().filter(assistance::id.eq(id)).first(conn)
}

/// The filters as one condition on the records' own columns: a page, its total and the totals
/// by group all apply the same one.
type Condition = Box<dyn BoxableExpression<assistance::table, crate::Backend, SqlType = Bool>>;

fn condition(f: &AssistanceFilter) -> Condition {
    let mut c: Condition = Box::new(assistance::department_id.eq(f.department_id));
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(assistance::village_id.eq_any(ids.clone())));
    }
    if let Some(v) = f.village_id {
        c = Box::new(c.and(assistance::village_id.eq(v)));
    }
    if let Some(h) = f.household_id {
        c = Box::new(c.and(assistance::household_id.eq(h)));
    }
    if let Some(cadre) = f.cadre_id {
        c = Box::new(c.and(assistance::cadre_id.eq(cadre)));
    }
    if let Some(k) = &f.kind {
        c = Box::new(c.and(assistance::kind.eq(k.clone())));
    }
    if let Some(from) = f.from {
        c = Box::new(c.and(assistance::given_on.ge(from)));
    }
    if let Some(to) = f.to {
        c = Box::new(c.and(assistance::given_on.le(to)));
    }
    c
}

/// The same filters on a page's joined query.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let f: &AssistanceFilter = $filter;
        let mut q = $query
            .filter(assistance::department_id.eq(f.department_id))
            .into_boxed();
        if let Some(ids) = &f.only_villages {
            q = q.filter(assistance::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = f.village_id {
            q = q.filter(assistance::village_id.eq(v));
        }
        if let Some(h) = f.household_id {
            q = q.filter(assistance::household_id.eq(h));
        }
        if let Some(c) = f.cadre_id {
            q = q.filter(assistance::cadre_id.eq(c));
        }
        if let Some(k) = &f.kind {
            q = q.filter(assistance::kind.eq(k.clone()));
        }
        if let Some(from) = f.from {
            q = q.filter(assistance::given_on.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(assistance::given_on.le(to));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &AssistanceFilter,
    page: &PageRequest<AssistanceSort>,
) -> QueryResult<Page<AssistanceView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, crate::keyset::After::Start),
        assistance::table
            .filter(condition(filter))
            .select(assistance::id)
    );
    let mut q = filtered!(view_query!(), filter);
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        AssistanceSort::Date => {
            let after = after.date()?;
            crate::keyset_page!(q, assistance::given_on, assistance::id, after, descending)
        }
        AssistanceSort::Amount => {
            let after = after.int()?;
            crate::keyset_page!(q, assistance::amount_fen, assistance::id, after, descending)
        }
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// What totals are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsBy {
    Household,
    Cadre,
    Village,
    Kind,
}

/// One group of a sum: its key (an id, or the kind's code), how many records and their fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<K> {
    pub key: K,
    pub count: i64,
    pub total_fen: i64,
}

/// Integer fen summed by the database as BIGINT (never through floats); 0 for no rows.
fn sum_fen() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)")
}

/// The count and the sum of every record the filter takes.
pub fn overall(conn: &mut DbConnection, filter: &AssistanceFilter) -> QueryResult<(i64, i64)> {
    assistance::table
        .filter(condition(filter))
        .select((count_star(), sum_fen()))
        .first(conn)
}

/// Sums by an id column (household, cadre or village).
pub fn totals_by_id(
    conn: &mut DbConnection,
    filter: &AssistanceFilter,
    by: TotalsBy,
) -> QueryResult<Vec<Group<i64>>> {
    let rows: Vec<(i64, i64, i64)> = match by {
        // Kinds are codes, not ids: `totals_by_kind`.
        TotalsBy::Kind => return Ok(Vec::new()),
        TotalsBy::Household => assistance::table
            .filter(condition(filter))
            .group_by(assistance::household_id)
            .select((assistance::household_id, count_star(), sum_fen()))
            .load(conn)?,
        TotalsBy::Cadre => assistance::table
            .filter(condition(filter))
            .group_by(assistance::cadre_id)
            .select((assistance::cadre_id, count_star(), sum_fen()))
            .load(conn)?,
        TotalsBy::Village => assistance::table
            .filter(condition(filter))
            .group_by(assistance::village_id)
            .select((assistance::village_id, count_star(), sum_fen()))
            .load(conn)?,
    };
    Ok(rows
        .into_iter()
        .map(|(key, count, total_fen)| Group {
            key,
            count,
            total_fen,
        })
        .collect())
}

/// Sums by kind.
pub fn totals_by_kind(
    conn: &mut DbConnection,
    filter: &AssistanceFilter,
) -> QueryResult<Vec<Group<String>>> {
    let rows: Vec<(String, i64, i64)> = assistance::table
        .filter(condition(filter))
        .group_by(assistance::kind)
        .select((assistance::kind, count_star(), sum_fen()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(key, count, total_fen)| Group {
            key,
            count,
            total_fen,
        })
        .collect())
}

/// The names of the groups' rows, in one query per kind of key.
pub fn names_of(
    conn: &mut DbConnection,
    by: TotalsBy,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    let ids = ids.to_vec();
    match by {
        TotalsBy::Household => households::table
            .filter(households::id.eq_any(ids))
            .select((households::id, households::head_name))
            .load(conn),
        TotalsBy::Cadre => cadres::table
            .filter(cadres::id.eq_any(ids))
            .select((cadres::id, cadres::name))
            .load(conn),
        TotalsBy::Village => villages::table
            .filter(villages::id.eq_any(ids))
            .select((villages::id, villages::name))
            .load(conn),
        TotalsBy::Kind => Ok(Vec::new()),
    }
}

/// Assistance records as a versioned table.
pub struct Assistance;

impl Versioned for Assistance {
    type Row = AssistanceView;
    type Values = AssistanceValues;

    fn id(row: &AssistanceView) -> i64 {
        row.assistance.id
    }
    fn version(row: &AssistanceView) -> i32 {
        row.assistance.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<AssistanceView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<AssistanceValues> {
        assistance::table
            .find(id)
            .select(AssistanceValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &AssistanceValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<AssistanceView>> {
        let n = diesel::update(
            assistance::table.filter(assistance::id.eq(id).and(assistance::version.eq(version))),
        )
        .set((
            values,
            assistance::version.eq(version + 1),
            assistance::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Assistance {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &AssistanceValues,
        now: NaiveDateTime,
    ) -> QueryResult<AssistanceView> {
        let id: i64 = diesel::insert_into(assistance::table)
            .values((
                values,
                assistance::department_id.eq(department_id),
                assistance::version.eq(1),
                assistance::created_at.eq(now),
                assistance::updated_at.eq(now),
            ))
            .returning(assistance::id)
            .get_result(conn)?;
        get(conn, id)
    }
}
