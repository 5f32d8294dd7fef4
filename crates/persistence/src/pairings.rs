//! Pairings (结对认亲): a cadre with a household for a year, loaded with the cadre's name, the
//! household head's name and the village's name in one query; and what pairing coverage reads.

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{cadres, household_categories, households, pairings, villages};
use crate::versioned::{Creatable, Deletable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = pairings)]
pub struct PairingRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: PairingValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = pairings, treat_none_as_null = true)]
pub struct PairingValues {
    /// The household's village (copied from the household).
    pub village_id: i64,
    pub household_id: i64,
    pub cadre_id: i64,
    pub year: i32,
    pub note: Option<String>,
}

/// A pairing with the names it refers to, fetched in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct PairingView {
    pub pairing: PairingRow,
    pub cadre_name: String,
    #[serde(skip)]
    pub cadre_sort_key: String,
    pub household_name: String,
    #[serde(skip)]
    pub household_sort_key: String,
    pub village_name: String,
}

#[derive(Debug, Clone, Default)]
pub struct PairingFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub year: Option<i32>,
    pub cadre_id: Option<i64>,
    pub household_id: Option<i64>,
}

/// Newest year first by default; or by the household head's or the cadre's name (pinyin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingSort {
    Year,
    Household,
    Cadre,
}

impl SortBy for PairingSort {
    type Row = PairingView;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("year", PairingSort::Year),
        ("household", PairingSort::Household),
        ("cadre", PairingSort::Cadre),
    ];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        match self {
            PairingSort::Year => KeyKind::Int,
            PairingSort::Household | PairingSort::Cadre => KeyKind::Text,
        }
    }
    fn key(self, row: &PairingView) -> Key {
        match self {
            PairingSort::Year => Key::Int(i64::from(row.pairing.values.year)),
            PairingSort::Household => Key::Text(row.household_sort_key.clone()),
            PairingSort::Cadre => Key::Text(row.cadre_sort_key.clone()),
        }
    }
    fn row_id(row: &PairingView) -> i64 {
        row.pairing.id
    }
}

macro_rules! view_query {
    () => {
        pairings::table
            .inner_join(cadres::table.on(cadres::id.eq(pairings::cadre_id)))
            .inner_join(households::table.on(households::id.eq(pairings::household_id)))
            .inner_join(villages::table.on(villages::id.eq(pairings::village_id)))
            .select((
                PairingRow::as_select(),
                cadres::name,
                cadres::sort_key,
                households::head_name,
                households::sort_key,
                villages::name,
            ))
    };
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<PairingView> {
    view_query!().filter(pairings::id.eq(id)).first(conn)
}

/// The list's filters (on the pairings' own columns), applied alike to a page and to its total.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &PairingFilter = $filter;
        let mut q = $query
            .filter(pairings::department_id.eq(filter.department_id))
            .into_boxed();
        if let Some(ids) = &filter.only_villages {
            q = q.filter(pairings::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = filter.village_id {
            q = q.filter(pairings::village_id.eq(v));
        }
        if let Some(y) = filter.year {
            q = q.filter(pairings::year.eq(y));
        }
        if let Some(c) = filter.cadre_id {
            q = q.filter(pairings::cadre_id.eq(c));
        }
        if let Some(h) = filter.household_id {
            q = q.filter(pairings::household_id.eq(h));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &PairingFilter,
    page: &PageRequest<PairingSort>,
) -> QueryResult<Page<PairingView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, crate::keyset::After::Start),
        filtered!(pairings::table.select(pairings::id), filter)
    );
    let mut q = filtered!(view_query!(), filter);
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        PairingSort::Year => {
            let after = after.int32()?;
            crate::keyset_page!(q, pairings::year, pairings::id, after, descending)
        }
        PairingSort::Household => {
            let after = after.text()?;
            crate::keyset_page!(q, households::sort_key, pairings::id, after, descending)
        }
        PairingSort::Cadre => {
            let after = after.text()?;
            crate::keyset_page!(q, cadres::sort_key, pairings::id, after, descending)
        }
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// Where a household sits: its department and village (`None`: no such household).
pub fn household_place(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(i64, i64)>> {
    households::table
        .find(id)
        .select((households::department_id, households::village_id))
        .first(conn)
        .optional()
}

/// The cadres paired with a household in a year (at most a handful).
pub fn paired_cadres(
    conn: &mut DbConnection,
    household_id: i64,
    year: i32,
) -> QueryResult<Vec<i64>> {
    pairings::table
        .filter(pairings::household_id.eq(household_id))
        .filter(pairings::year.eq(year))
        .order_by(pairings::cadre_id)
        .select(pairings::cadre_id)
        .load(conn)
}

/// A household with the category it had on a day (by the category history).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdStanding {
    pub id: i64,
    pub village_id: i64,
    pub village_name: String,
    pub head_name: String,
    pub sort_key: String,
    pub category: String,
}

/// The households of a department (or of some of its villages) with their category on `day`:
/// the last entry of each household's history dated on or before it. Households whose history
/// starts later did not exist yet and are left out. One query over the history, in household order.
pub fn standing_on(
    conn: &mut DbConnection,
    department_id: i64,
    villages_only: Option<&[i64]>,
    day: NaiveDate,
) -> QueryResult<Vec<HouseholdStanding>> {
    let mut q = household_categories::table
        .inner_join(households::table.on(households::id.eq(household_categories::household_id)))
        .inner_join(villages::table.on(villages::id.eq(households::village_id)))
        .filter(households::department_id.eq(department_id))
        .filter(household_categories::since.le(day))
        .select((
            households::id,
            households::village_id,
            villages::name,
            households::head_name,
            households::sort_key,
            household_categories::category,
        ))
        .order_by((
            households::id.asc(),
            household_categories::since.asc(),
            household_categories::id.asc(),
        ))
        .into_boxed();
    if let Some(ids) = villages_only {
        q = q.filter(households::village_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(i64, i64, String, String, String, String)> = q.load(conn)?;
    let mut out: Vec<HouseholdStanding> = Vec::new();
    for (id, village_id, village_name, head_name, sort_key, category) in rows {
        let s = HouseholdStanding {
            id,
            village_id,
            village_name,
            head_name,
            sort_key,
            category,
        };
        match out.last_mut() {
            // Later entries of the same household replace earlier ones.
            Some(last) if last.id == id => *last = s,
            _ => out.push(s),
        }
    }
    Ok(out)
}

/// The households with a pairing in a year (in some villages, or all of the department).
pub fn paired_households(
    conn: &mut DbConnection,
    department_id: i64,
    year: i32,
    villages_only: Option<&[i64]>,
) -> QueryResult<Vec<i64>> {
    let mut q = pairings::table
        .filter(pairings::department_id.eq(department_id))
        .filter(pairings::year.eq(year))
        .select(pairings::household_id)
        .distinct()
        .into_boxed();
    if let Some(ids) = villages_only {
        q = q.filter(pairings::village_id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

/// The cadres with a pairing in a year, anywhere in the department.
pub fn pairing_cadres(
    conn: &mut DbConnection,
    department_id: i64,
    year: i32,
) -> QueryResult<Vec<i64>> {
    pairings::table
        .filter(pairings::department_id.eq(department_id))
        .filter(pairings::year.eq(year))
        .select(pairings::cadre_id)
        .distinct()
        .load(conn)
}

/// The department's cadres active on `day` (not deactivated by then): id, name, sort key, by name.
pub fn cadres_active_on(
    conn: &mut DbConnection,
    department_id: i64,
    day: NaiveDate,
) -> QueryResult<Vec<(i64, String, String)>> {
    let end_of_day = day
        .succ_opt()
        .unwrap_or(day)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    cadres::table
        .filter(cadres::department_id.eq(department_id))
        .filter(
            cadres::deactivated_at
                .is_null()
                .or(cadres::deactivated_at.ge(end_of_day)),
        )
        .order_by((cadres::sort_key.asc(), cadres::id.asc()))
        .select((cadres::id, cadres::name, cadres::sort_key))
        .load(conn)
}

/// Pairings as a versioned table.
pub struct Pairings;

impl Versioned for Pairings {
    type Row = PairingView;
    type Values = PairingValues;

    fn id(row: &PairingView) -> i64 {
        row.pairing.id
    }
    fn version(row: &PairingView) -> i32 {
        row.pairing.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<PairingView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<PairingValues> {
        pairings::table
            .find(id)
            .select(PairingValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &PairingValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<PairingView>> {
        let n = diesel::update(
            pairings::table.filter(pairings::id.eq(id).and(pairings::version.eq(version))),
        )
        .set((
            values,
            pairings::version.eq(version + 1),
            pairings::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Pairings {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &PairingValues,
        now: NaiveDateTime,
    ) -> QueryResult<PairingView> {
        let id: i64 = diesel::insert_into(pairings::table)
            .values((
                values,
                pairings::department_id.eq(department_id),
                pairings::version.eq(1),
                pairings::created_at.eq(now),
                pairings::updated_at.eq(now),
            ))
            .returning(pairings::id)
            .get_result(conn)?;
        get(conn, id)
    }
}

impl Deletable for Pairings {
    fn delete(conn: &mut DbConnection, id: i64, version: i32) -> QueryResult<bool> {
        let n = diesel::delete(
            pairings::table.filter(pairings::id.eq(id).and(pairings::version.eq(version))),
        )
        .execute(conn)?;
        Ok(n > 0)
    }
}
