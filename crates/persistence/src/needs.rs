//! Residents' needs (群众诉求) loaded with their village's, household's and project's names in one
//! query. The status is not among the values a PATCH writes: only a transition changes it
//! (with its resolution or reason and the day it closed). The queue's order is a stored key
//! (`zhucun_domain::need::queue_key`) that every write keeps, so "oldest open first" pages by
//! keyset like any sort; the year's counts are aggregates.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{households, needs, projects, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Serialize;
use zhucun_domain::need::{queue_key, Status};

/// Every column a create or an update writes (not the status and what closing writes).
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = needs, treat_none_as_null = true)]
pub struct NeedValues {
    pub village_id: i64,
    pub household_id: Option<i64>,
    pub raised_by: Option<String>,
    pub raised_on: NaiveDate,
    /// `zhucun_domain::need::Category` code.
    pub category: String,
    pub description: String,
    /// The description and who raised it, lower-cased (`text::search_key`).
    pub search_text: String,
    pub due_on: Option<NaiveDate>,
    pub project_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = needs)]
pub struct NeedRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: NeedValues,
    pub status: String,
    pub resolution: Option<String>,
    pub satisfaction: Option<String>,
    pub decline_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A need with the names it refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedView {
    pub need: NeedRow,
    pub village_name: String,
    pub household_name: Option<String>,
    pub project_title: Option<String>,
}

impl NeedView {
    pub fn status(&self) -> Status {
        // Only codes of `Status` are ever stored; an unknown one reads as open.
        Status::from_code(&self.need.status).unwrap_or(Status::Open)
    }
}

type Joined = (NeedRow, String, Option<String>, Option<String>);

macro_rules! view_query {
    () => {
        needs::table
            .inner_join(villages::table.on(villages::id.eq(needs::village_id)))
            .left_join(households::table.on(households::id.nullable().eq(needs::household_id)))
            .left_join(projects::table.on(projects::id.nullable().eq(needs::project_id)))
            .select((
                NeedRow::as_select(),
                villages::name,
                households::head_name.nullable(),
                projects::title.nullable(),
            ))
    };
}

fn view((need, village_name, household_name, project_title): Joined) -> NeedView {
    NeedView {
        need,
        village_name,
        household_name,
        project_title,
    }
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<NeedView> {
    let row: Joined = view_query!().filter(needs::id.eq(id)).first(conn)?;
    Ok(view(row))
}

#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub household_id: Option<i64>,
    pub project_id: Option<i64>,
    /// Only needs open or in progress whose due day is before this day (today).
    pub overdue_on: Option<NaiveDate>,
    /// A `LIKE` pattern over `search_text` (escaped with `\`).
    pub search: Option<String>,
}

type Condition = Box<dyn BoxableExpression<needs::table, crate::Backend, SqlType = Bool>>;

const OPEN: [&str; 2] = ["open", "in_progress"];

fn condition(f: &NeedFilter) -> Condition {
    let mut c: Condition = Box::new(needs::department_id.eq(f.department_id));
    if let Some(ids) = &f.only_villages {
        c = Box::new(c.and(needs::village_id.eq_any(ids.clone())));
    }
    if let Some(v) = f.village_id {
        c = Box::new(c.and(needs::village_id.eq(v)));
    }
    if let Some(s) = &f.status {
        c = Box::new(c.and(needs::status.eq(s.clone())));
    }
    if let Some(k) = &f.category {
        c = Box::new(c.and(needs::category.eq(k.clone())));
    }
    if let Some(h) = f.household_id {
        c = Box::new(c.and(needs::household_id.eq(h).assume_not_null()));
    }
    if let Some(p) = f.project_id {
        c = Box::new(c.and(needs::project_id.eq(p).assume_not_null()));
    }
    if let Some(today) = f.overdue_on {
        c = Box::new(
            c.and(needs::status.eq_any(OPEN))
                .and(needs::due_on.lt(today).assume_not_null()),
        );
    }
    if let Some(pattern) = &f.search {
        c = Box::new(c.and(needs::search_text.like(pattern.clone()).escape('\\')));
    }
    c
}

/// The queue (open and in progress first, oldest first) by default; or by the day raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedSort {
    Queue,
    Raised,
}

impl SortBy for NeedSort {
    type Row = NeedView;
    const NAMES: &'static [(&'static str, Self)] =
        &[("queue", NeedSort::Queue), ("raised", NeedSort::Raised)];
    const DEFAULT_DESCENDING: bool = false;
    fn kind(self) -> KeyKind {
        match self {
            NeedSort::Queue => KeyKind::Text,
            NeedSort::Raised => KeyKind::Date,
        }
    }
    fn key(self, row: &NeedView) -> Key {
        match self {
            NeedSort::Queue => Key::Text(queue_key(row.status(), row.need.values.raised_on)),
            NeedSort::Raised => Key::Date(row.need.values.raised_on),
        }
    }
    fn row_id(row: &NeedView) -> i64 {
        row.need.id
    }
}

pub fn list(
    conn: &mut DbConnection,
    filter: &NeedFilter,
    page: &PageRequest<NeedSort>,
) -> QueryResult<Page<NeedView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        needs::table.filter(condition(filter)).select(needs::id)
    );
    let mut q = needs::table
        .filter(condition(filter))
        .select(needs::id)
        .into_boxed();
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        NeedSort::Queue => {
            let after = after.text()?;
            crate::keyset_page!(q, needs::queue_key, needs::id, after, descending);
        }
        NeedSort::Raised => {
            let after = after.date()?;
            crate::keyset_page!(q, needs::raised_on, needs::id, after, descending);
        }
    }
    let ids: Vec<i64> = q.limit(page.limit + 1).load(conn)?;
    let page_ids = Page::from_overfetch(ids, page.limit);
    let mut rows: Vec<Joined> = view_query!()
        .filter(needs::id.eq_any(page_ids.items.clone()))
        .load(conn)?;
    rows.sort_by_key(|r| page_ids.items.iter().position(|id| *id == r.0.id));
    Ok(Page {
        items: rows.into_iter().map(view).collect(),
        has_more: page_ids.has_more,
        total,
    })
}

/// What a transition writes besides the status.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub to: Status,
    pub resolution: Option<String>,
    pub satisfaction: Option<String>,
    pub decline_reason: Option<String>,
    /// The day it closed (resolved or declined), `None` while open.
    pub closed_on: Option<NaiveDate>,
}

/// Moves a need if it is still at `version`; `None` when someone changed it first.
pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    m: &Move,
    now: NaiveDateTime,
) -> QueryResult<Option<NeedView>> {
    let raised_on: NaiveDate = needs::table.find(id).select(needs::raised_on).first(conn)?;
    let n = diesel::update(needs::table.filter(needs::id.eq(id).and(needs::version.eq(version))))
        .set((
            needs::status.eq(m.to.code()),
            needs::queue_key.eq(queue_key(m.to, raised_on)),
            needs::resolution.eq(m.resolution.clone()),
            needs::satisfaction.eq(m.satisfaction.clone()),
            needs::decline_reason.eq(m.decline_reason.clone()),
            needs::closed_on.eq(m.closed_on),
            needs::version.eq(version + 1),
            needs::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

/// A year's needs: raised in it; resolved and declined in it; of those raised in it, how many
/// are still open (or in progress) and how many of those are past their due day today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct YearFigures {
    pub raised: i64,
    pub resolved: i64,
    pub declined: i64,
    pub open: i64,
    pub overdue: i64,
}

/// The needs figures of a year (four aggregate queries).
pub fn year_figures(
    conn: &mut DbConnection,
    department_id: i64,
    villages: Option<&[i64]>,
    (first, last): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> QueryResult<YearFigures> {
    let base = || {
        let mut f = NeedFilter {
            department_id,
            ..NeedFilter::default()
        };
        f.only_villages = villages.map(<[i64]>::to_vec);
        condition(&f)
    };
    let raised_in = || needs::raised_on.ge(first).and(needs::raised_on.le(last));
    let raised: i64 = needs::table
        .filter(base())
        .filter(raised_in())
        .select(count_star())
        .first(conn)?;
    let closed: Vec<(String, i64)> = needs::table
        .filter(base())
        .filter(needs::closed_on.ge(first).assume_not_null())
        .filter(needs::closed_on.le(last).assume_not_null())
        .group_by(needs::status)
        .select((needs::status, count_star()))
        .load(conn)?;
    let of = |s: &str| closed.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
    let open: i64 = needs::table
        .filter(base())
        .filter(raised_in())
        .filter(needs::status.eq_any(OPEN))
        .select(count_star())
        .first(conn)?;
    let overdue: i64 = needs::table
        .filter(base())
        .filter(raised_in())
        .filter(needs::status.eq_any(OPEN))
        .filter(needs::due_on.lt(today).assume_not_null())
        .select(count_star())
        .first(conn)?;
    Ok(YearFigures {
        raised,
        resolved: of("resolved"),
        declined: of("declined"),
        open,
        overdue,
    })
}

/// Needs as a versioned table.
pub struct Needs;

impl Versioned for Needs {
    type Row = NeedView;
    type Values = NeedValues;

    fn id(row: &NeedView) -> i64 {
        row.need.id
    }
    fn version(row: &NeedView) -> i32 {
        row.need.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<NeedView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<NeedValues> {
        needs::table
            .find(id)
            .select(NeedValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &NeedValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<NeedView>> {
        let status: String = needs::table.find(id).select(needs::status).first(conn)?;
        let status = Status::from_code(&status).unwrap_or(Status::Open);
        let n =
            diesel::update(needs::table.filter(needs::id.eq(id).and(needs::version.eq(version))))
                .set((
                    values,
                    needs::queue_key.eq(queue_key(status, values.raised_on)),
                    needs::version.eq(version + 1),
                    needs::updated_at.eq(now),
                ))
                .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Needs {
    /// A new need starts `open`.
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &NeedValues,
        now: NaiveDateTime,
    ) -> QueryResult<NeedView> {
        let id: i64 = diesel::insert_into(needs::table)
            .values((
                values,
                needs::department_id.eq(department_id),
                needs::status.eq(Status::Open.code()),
                needs::queue_key.eq(queue_key(Status::Open, values.raised_on)),
                needs::version.eq(1),
                needs::created_at.eq(now),
                needs::updated_at.eq(now),
            ))
            .returning(needs::id)
            .get_result(conn)?;
        get(conn, id)
    }
}
