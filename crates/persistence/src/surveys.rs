//! Village surveys (村情调研): one row per village per year, loaded with the village's name.

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{village_surveys, villages};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = village_surveys)]
pub struct SurveyRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: SurveyValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// A survey with its village's name, fetched in the same query.
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct SurveyView {
    pub survey: SurveyRow,
    pub village_name: String,
    /// The village's pinyin sort key (the `village` sort).
    #[serde(skip)]
    pub village_sort_key: String,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = village_surveys, treat_none_as_null = true)]
pub struct SurveyValues {
    pub village_id: i64,
    pub year: i32,
    pub population: i64,
    pub households: i64,
    pub poor_households: i64,
    pub marginal_households: i64,
    pub pasture_mu_tenths: i64,
    pub cultivated_mu_tenths: i64,
    pub yaks: i64,
    pub sheep: i64,
    pub goats: i64,
    pub horses: i64,
    pub other_livestock: i64,
    pub per_capita_income_fen: i64,
    pub collective_income_fen: i64,
    pub main_industries: Option<String>,
    pub report: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SurveyFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub year: Option<i32>,
    pub years: Option<(i32, i32)>,
}

/// Newest year first by default; or by village name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveySort {
    Year,
    Village,
}

impl SortBy for SurveySort {
    type Row = SurveyView;
    const NAMES: &'static [(&'static str, Self)] =
        &[("year", SurveySort::Year), ("village", SurveySort::Village)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        match self {
            SurveySort::Year => KeyKind::Int,
            SurveySort::Village => KeyKind::Text,
        }
    }
    fn key(self, row: &SurveyView) -> Key {
        match self {
            SurveySort::Year => Key::Int(i64::from(row.survey.values.year)),
            SurveySort::Village => Key::Text(row.village_sort_key.clone()),
        }
    }
    fn row_id(row: &SurveyView) -> i64 {
        row.survey.id
    }
}

macro_rules! view_query {
    () => {
        village_surveys::table.inner_join(villages::table).select((
            SurveyRow::as_select(),
            villages::name,
            villages::sort_key,
        ))
    };
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<SurveyView> {
    view_query!().filter(village_surveys::id.eq(id)).first(conn)
}

/// The list's filters (on the surveys' own columns), applied alike to a page (joined with the
/// village) and to its total (surveys alone: the join is on a required reference).
macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let filter: &SurveyFilter = $filter;
        let mut q = $query
            .filter(village_surveys::department_id.eq(filter.department_id))
            .into_boxed();
        if let Some(ids) = &filter.only_villages {
            q = q.filter(village_surveys::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = filter.village_id {
            q = q.filter(village_surveys::village_id.eq(v));
        }
        if let Some(y) = filter.year {
            q = q.filter(village_surveys::year.eq(y));
        }
        if let Some((from, to)) = filter.years {
            q = q.filter(village_surveys::year.between(from, to));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &SurveyFilter,
    page: &PageRequest<SurveySort>,
) -> QueryResult<Page<SurveyView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, crate::keyset::After::Start),
        filtered!(village_surveys::table.select(village_surveys::id), filter)
    );
    let mut q = filtered!(view_query!(), filter);
    let (after, descending) = (page.after.clone(), page.descending);
    match page.sort {
        SurveySort::Year => {
            let after = after.int32()?;
            crate::keyset_page!(
                q,
                village_surveys::year,
                village_surveys::id,
                after,
                descending
            )
        }
        SurveySort::Village => {
            let after = after.text()?;
            crate::keyset_page!(
                q,
                villages::sort_key,
                village_surveys::id,
                after,
                descending
            )
        }
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// A village's surveys in a span of years, oldest first (at most one per year, so bounded).
pub fn of_village(
    conn: &mut DbConnection,
    village_id: i64,
    from: i32,
    to: i32,
) -> QueryResult<Vec<SurveyValues>> {
    village_surveys::table
        .filter(village_surveys::village_id.eq(village_id))
        .filter(village_surveys::year.between(from, to))
        .order_by(village_surveys::year.asc())
        .select(SurveyValues::as_select())
        .load(conn)
}

/// Surveys as a versioned table.
pub struct Surveys;

impl Versioned for Surveys {
    type Row = SurveyView;
    type Values = SurveyValues;

    fn id(row: &SurveyView) -> i64 {
        row.survey.id
    }
    fn version(row: &SurveyView) -> i32 {
        row.survey.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<SurveyView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<SurveyValues> {
        village_surveys::table
            .find(id)
            .select(SurveyValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &SurveyValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<SurveyView>> {
        let t = village_surveys::table;
        let n = diesel::update(
            t.filter(
                village_surveys::id
                    .eq(id)
                    .and(village_surveys::version.eq(version)),
            ),
        )
        .set((
            values,
            village_surveys::version.eq(version + 1),
            village_surveys::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Surveys {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &SurveyValues,
        now: NaiveDateTime,
    ) -> QueryResult<SurveyView> {
        let id: i64 = diesel::insert_into(village_surveys::table)
            .values((
                values,
                village_surveys::department_id.eq(department_id),
                village_surveys::version.eq(1),
                village_surveys::created_at.eq(now),
                village_surveys::updated_at.eq(now),
            ))
            .returning(village_surveys::id)
            .get_result(conn)?;
        get(conn, id)
    }
}
