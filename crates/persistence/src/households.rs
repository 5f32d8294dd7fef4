//! Households (农牧户), their category history (append-only) and their yearly 两不愁三保障
//! checklists, each loaded with the names it shows (village; household head) in the same query.

use crate::db::DbConnection;
use crate::keyset::{After, Key, KeyKind, PageRequest, SortBy};
use crate::schema::{household_categories, household_checks, households, pairings, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = households)]
pub struct HouseholdRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: HouseholdValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A household with its village's name, fetched in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct HouseholdView {
    pub household: HouseholdRow,
    pub village_name: String,
}

/// Every column a create or an update writes. The category columns are the current entry of
/// the history: a PATCH keeps them, a category change writes them with a history row.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = households, treat_none_as_null = true)]
pub struct HouseholdValues {
    pub village_id: i64,
    pub head_name: String,
    pub head_name_bo: Option<String>,
    /// `zhucun_domain::pinyin::sort_key` of the head's name.
    pub sort_key: String,
    /// Chinese and Tibetan name, pinyin and initials (`text::search_key_with_pinyin`).
    pub search_text: String,
    pub members: i32,
    pub member_names: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub category: String,
    pub monitoring_type: Option<String>,
    pub category_since: NaiveDate,
    /// Sorted comma-separated cause codes (`household::causes_to_stored`).
    pub causes: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub category: Option<String>,
    pub monitoring_type: Option<String>,
    /// Paired (`true`) or not (`false`) with a cadre in this year.
    pub paired: Option<(bool, i32)>,
    /// A `LIKE` pattern over `search_text` (escaped with `\`).
    pub search: Option<String>,
}

/// By the head's name (pinyin) by default; or most recently changed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdSort {
    Name,
    Updated,
}

/// `updated_at` as a cursor key: microseconds since 1970 (both backends keep microseconds).
fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

fn from_micros(after: After<Key>) -> QueryResult<After<NaiveDateTime>> {
    Ok(match after.int()? {
        After::Start => After::Start,
        After::Row(m, id) => After::Row(
            chrono::DateTime::from_timestamp_micros(m)
                .ok_or_else(|| {
                    diesel::result::Error::QueryBuilderError("cursor time out of range".into())
                })?
                .naive_utc(),
            id,
        ),
    })
}

impl SortBy for HouseholdSort {
    type Row = HouseholdView;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("name", HouseholdSort::Name),
        ("updated", HouseholdSort::Updated),
    ];
    fn kind(self) -> KeyKind {
        match self {
            HouseholdSort::Name => KeyKind::Text,
            HouseholdSort::Updated => KeyKind::Int,
        }
    }
    fn key(self, row: &HouseholdView) -> Key {
        match self {
            HouseholdSort::Name => Key::Text(row.household.values.sort_key.clone()),
            HouseholdSort::Updated => Key::Int(micros(row.household.updated_at)),
        }
    }
    fn row_id(row: &HouseholdView) -> i64 {
        row.household.id
    }
}

macro_rules! view_query {
    () => {
        households::table
            .inner_join(villages::table)
            .select((HouseholdRow::as_select(), villages::name))
    };
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<HouseholdView> {
    view_query!().filter(households::id.eq(id)).first(conn)
}

/// The list's filters (on the households' own columns and an `EXISTS` on pairings), applied
/// alike to a page (joined with the village) and to its total.
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &HouseholdFilter = $filter;
        let mut q = $query
            .filter(households::department_id.eq(filter.department_id))
            .into_boxed();
        if let Some(ids) = &filter.only_villages {
            q = q.filter(households::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = filter.village_id {
            q = q.filter(households::village_id.eq(v));
        }
        if let Some(c) = &filter.category {
            q = q.filter(households::category.eq(c.clone()));
        }
        if let Some(m) = &filter.monitoring_type {
            q = q.filter(households::monitoring_type.eq(m.clone()));
        }
        if let Some((paired, year)) = filter.paired {
            let pairing = diesel::dsl::exists(
                pairings::table
                    .filter(pairings::household_id.eq(households::id))
                    .filter(pairings::year.eq(year))
                    .select(pairings::id),
            );
            q = if paired {
                q.filter(pairing)
            } else {
                q.filter(diesel::dsl::not(pairing))
            };
        }
        if let Some(pattern) = &filter.search {
            q = q.filter(households::search_text.like(pattern.clone()).escape('\\'));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &HouseholdFilter,
    page: &PageRequest<HouseholdSort>,
) -> QueryResult<Page<HouseholdView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        filtered!(households::table.select(households::id), filter)
    );
    let mut q = filtered!(view_query!(), filter);
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        HouseholdSort::Name => {
            let after = after.text()?;
            crate::keyset_page!(q, households::sort_key, households::id, after, descending);
        }
        HouseholdSort::Updated => {
            let after = from_micros(after)?;
            crate::keyset_page!(q, households::updated_at, households::id, after, descending);
        }
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// Households as a versioned table.
pub struct Households;

impl Versioned for Households {
    type Row = HouseholdView;
    type Values = HouseholdValues;

    fn id(row: &HouseholdView) -> i64 {
        row.household.id
    }
    fn version(row: &HouseholdView) -> i32 {
        row.household.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<HouseholdView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<HouseholdValues> {
        households::table
            .find(id)
            .select(HouseholdValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &HouseholdValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<HouseholdView>> {
        let n = diesel::update(
            households::table.filter(households::id.eq(id).and(households::version.eq(version))),
        )
        .set((
            values,
            households::version.eq(version + 1),
            households::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Households {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &HouseholdValues,
        now: NaiveDateTime,
    ) -> QueryResult<HouseholdView> {
        let id: i64 = diesel::insert_into(households::table)
            .values((
                values,
                households::department_id.eq(department_id),
                households::version.eq(1),
                households::created_at.eq(now),
                households::updated_at.eq(now),
            ))
            .returning(households::id)
            .get_result(conn)?;
        get(conn, id)
    }

    fn insert_many(
        conn: &mut DbConnection,
        department_id: i64,
        values: &[&HouseholdValues],
        now: NaiveDateTime,
    ) -> QueryResult<Vec<HouseholdView>> {
        if values.is_empty() {
            return Ok(Vec::new());
        }
        let records: Vec<_> = values
            .iter()
            .map(|v| {
                (
                    *v,
                    households::department_id.eq(department_id),
                    households::version.eq(1),
                    households::created_at.eq(now),
                    households::updated_at.eq(now),
                )
            })
            .collect();
        // RETURNING's order is not promised (SQLite says so); ids follow the VALUES.
        // diesel's MultiConnection has no multi-row INSERT: each backend's own.
        let mut rows: Vec<HouseholdRow> = crate::on_backend!(conn, |c| {
            diesel::insert_into(households::table)
                .values(records)
                .returning(HouseholdRow::as_returning())
                .get_results(c)?
        });
        rows.sort_by_key(|r| r.id);
        // The villages' names, one query for the batch (a view carries its village's name).
        let mut ids: Vec<i64> = rows.iter().map(|r| r.values.village_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names: std::collections::HashMap<i64, String> = villages::table
            .filter(villages::id.eq_any(ids))
            .select((villages::id, villages::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok(rows
            .into_iter()
            .map(|household| HouseholdView {
                village_name: names
                    .get(&household.values.village_id)
                    .cloned()
                    .unwrap_or_default(),
                household,
            })
            .collect())
    }
}

// ---------------------------------------------------------------------------------------------
// Category history

/// One entry of a household's category history. Rows are only ever inserted.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = household_categories)]
pub struct CategoryRow {
    pub id: i64,
    pub household_id: i64,
    pub category: String,
    pub monitoring_type: Option<String>,
    pub since: NaiveDate,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = household_categories)]
pub struct NewCategory {
    pub department_id: i64,
    pub household_id: i64,
    pub category: String,
    pub monitoring_type: Option<String>,
    pub since: NaiveDate,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

/// Appends an entry to a household's history (in the caller's transaction, beside the update of
/// the household's current category).
pub fn append_category(conn: &mut DbConnection, entry: &NewCategory) -> QueryResult<()> {
    diesel::insert_into(household_categories::table)
        .values(entry)
        .execute(conn)
        .map(|_| ())
}

/// Appends many entries at once (the import's new households), in multi-row `INSERT`s.
pub fn append_categories(conn: &mut DbConnection, entries: &[NewCategory]) -> QueryResult<()> {
    for chunk in entries.chunks(BATCH) {
        crate::on_backend!(conn, |c| {
            diesel::insert_into(household_categories::table)
                .values(chunk)
                .execute(c)?
        });
    }
    Ok(())
}

/// Rows per multi-row `INSERT`: well within SQLite's 32,766 and PostgreSQL's 65,535 binds.
const BATCH: usize = 500;

/// The whole history of a household, oldest first (entries of one day in the order recorded).
/// A household changes category a few times in its life: bounded by nature, and capped.
pub fn categories(conn: &mut DbConnection, household_id: i64) -> QueryResult<Vec<CategoryRow>> {
    household_categories::table
        .filter(household_categories::household_id.eq(household_id))
        .order_by((
            household_categories::since.asc(),
            household_categories::id.asc(),
        ))
        .select(CategoryRow::as_select())
        .limit(1000)
        .load(conn)
}

// ---------------------------------------------------------------------------------------------
// Checklists

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = household_checks)]
pub struct CheckRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: CheckValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A checklist with its household head's names and its village's name, in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct CheckView {
    pub check: CheckRow,
    pub head_name: String,
    pub head_name_bo: Option<String>,
    pub village_name: String,
    /// The head's pinyin sort key (the `household` sort).
    #[serde(skip)]
    pub sort_key: String,
}

/// The stored items: each `1` (met) or `0` (not met), with a note; `unmet` counts the zeros.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = household_checks, treat_none_as_null = true)]
pub struct CheckValues {
    pub village_id: i64,
    pub household_id: i64,
    pub year: i32,
    pub food: i32,
    pub food_note: Option<String>,
    pub clothing: i32,
    pub clothing_note: Option<String>,
    pub education: i32,
    pub education_note: Option<String>,
    pub medical: i32,
    pub medical_note: Option<String>,
    pub housing: i32,
    pub housing_note: Option<String>,
    pub water: i32,
    pub water_note: Option<String>,
    pub unmet: i32,
}

#[derive(Debug, Clone, Default)]
pub struct CheckFilter {
    pub department_id: i64,
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub household_id: Option<i64>,
    pub year: Option<i32>,
    /// Only checklists with (`true`) or without (`false`) an unmet item.
    pub unmet: Option<bool>,
}

/// By the household head's name (pinyin) by default; or by year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSort {
    Household,
    Year,
}

impl SortBy for CheckSort {
    type Row = CheckView;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("household", CheckSort::Household),
        ("year", CheckSort::Year),
    ];
    fn kind(self) -> KeyKind {
        match self {
            CheckSort::Household => KeyKind::Text,
            CheckSort::Year => KeyKind::Int,
        }
    }
    fn key(self, row: &CheckView) -> Key {
        match self {
            CheckSort::Household => Key::Text(row.sort_key.clone()),
            CheckSort::Year => Key::Int(i64::from(row.check.values.year)),
        }
    }
    fn row_id(row: &CheckView) -> i64 {
        row.check.id
    }
}

macro_rules! check_query {
    () => {
        household_checks::table
            .inner_join(households::table.inner_join(villages::table))
            .select((
                CheckRow::as_select(),
                households::head_name,
                households::head_name_bo,
                villages::name,
                households::sort_key,
            ))
    };
}

macro_rules! checks_filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &CheckFilter = $filter;
        let mut q = $query
            .filter(household_checks::department_id.eq(filter.department_id))
            .into_boxed();
        if let Some(ids) = &filter.only_villages {
            q = q.filter(household_checks::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = filter.village_id {
            q = q.filter(household_checks::village_id.eq(v));
        }
        if let Some(h) = filter.household_id {
            q = q.filter(household_checks::household_id.eq(h));
        }
        if let Some(y) = filter.year {
            q = q.filter(household_checks::year.eq(y));
        }
        match filter.unmet {
            Some(true) => q = q.filter(household_checks::unmet.gt(0)),
            Some(false) => q = q.filter(household_checks::unmet.eq(0)),
            None => {}
        }
        q
    }};
}

pub fn get_check(conn: &mut DbConnection, id: i64) -> QueryResult<CheckView> {
    check_query!()
        .filter(household_checks::id.eq(id))
        .first::<CheckView>(conn)
}

/// The checklist of a household for a year, if there is one.
pub fn check_of(
    conn: &mut DbConnection,
    household_id: i64,
    year: i32,
) -> QueryResult<Option<CheckView>> {
    check_query!()
        .filter(household_checks::household_id.eq(household_id))
        .filter(household_checks::year.eq(year))
        .first::<CheckView>(conn)
        .optional()
}

pub fn list_checks(
    conn: &mut DbConnection,
    filter: &CheckFilter,
    page: &PageRequest<CheckSort>,
) -> QueryResult<Page<CheckView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, After::Start),
        checks_filtered!(household_checks::table.select(household_checks::id), filter)
    );
    let mut q = checks_filtered!(check_query!(), filter);
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        CheckSort::Household => {
            let after = after.text()?;
            crate::keyset_page!(
                q,
                households::sort_key,
                household_checks::id,
                after,
                descending
            );
        }
        CheckSort::Year => {
            let after = after.int32()?;
            crate::keyset_page!(
                q,
                household_checks::year,
                household_checks::id,
                after,
                descending
            );
        }
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// Checklists as a versioned table.
pub struct Checks;

impl Versioned for Checks {
    type Row = CheckView;
    type Values = CheckValues;

    fn id(row: &CheckView) -> i64 {
        row.check.id
    }
    fn version(row: &CheckView) -> i32 {
        row.check.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<CheckView> {
        get_check(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<CheckValues> {
        household_checks::table
            .find(id)
            .select(CheckValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &CheckValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<CheckView>> {
        let n = diesel::update(
            household_checks::table.filter(
                household_checks::id
                    .eq(id)
                    .and(household_checks::version.eq(version)),
            ),
        )
        .set((
            values,
            household_checks::version.eq(version + 1),
            household_checks::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get_check(conn, id).map(Some)
    }
}

impl Creatable for Checks {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &CheckValues,
        now: NaiveDateTime,
    ) -> QueryResult<CheckView> {
        let id: i64 = diesel::insert_into(household_checks::table)
            .values((
                values,
                household_checks::department_id.eq(department_id),
                household_checks::version.eq(1),
                household_checks::created_at.eq(now),
                household_checks::updated_at.eq(now),
            ))
            .returning(household_checks::id)
            .get_result(conn)?;
        get_check(conn, id)
    }
}

/// A household's checklists, oldest year first (one per year: bounded by the years).
pub fn checks_of(conn: &mut DbConnection, household_id: i64) -> QueryResult<Vec<CheckView>> {
    check_query!()
        .filter(household_checks::household_id.eq(household_id))
        .order_by(household_checks::year.asc())
        .limit(1000)
        .load::<CheckView>(conn)
}
