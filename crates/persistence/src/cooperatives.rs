//! Cooperatives (合作社) with their village's name and their members' count and capital (summed
//! in one more query for a whole page); members; yearly accounts; distributions with their shares
//! (written once, in one transaction).

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::{
    cooperative_distributions, cooperative_members, cooperative_years, cooperatives,
    distribution_shares, villages,
};
use crate::versioned::{Creatable, Versioned};
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = cooperatives)]
pub struct CooperativeRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: CooperativeValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = cooperatives, treat_none_as_null = true)]
pub struct CooperativeValues {
    pub village_id: i64,
    pub name: String,
    pub sort_key: String,
    pub search_text: String,
    pub kind: String,
    pub founded_on: NaiveDate,
    pub registration_number: Option<String>,
    pub rule_investment_on: Option<NaiveDate>,
    pub rule_finance_on: Option<NaiveDate>,
    pub rule_safety_on: Option<NaiveDate>,
    pub rule_members_on: Option<NaiveDate>,
    pub rule_wages_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// A cooperative with its village's name and its current members' count and capital.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CooperativeView {
    pub cooperative: CooperativeRow,
    pub village_name: String,
    /// Members who have not left.
    pub members: i64,
    /// Their contributions (cash, land, livestock) in fen.
    pub capital_fen: i64,
}

type Joined = (CooperativeRow, String);

/// Members not left by `day`: count and capital per cooperative, in one query.
fn with_members(conn: &mut DbConnection, rows: Vec<Joined>) -> QueryResult<Vec<CooperativeView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0.id).collect();
    let today = zhucun_domain::calendar::today_local();
    let sums: Vec<(i64, i64, i64)> = if ids.is_empty() {
        Vec::new()
    } else {
        cooperative_members::table
            .filter(cooperative_members::cooperative_id.eq_any(ids))
            .filter(
                cooperative_members::left_on
                    .is_null()
                    .or(cooperative_members::left_on.gt(today)),
            )
            .group_by(cooperative_members::cooperative_id)
            .select((
                cooperative_members::cooperative_id,
                count_star(),
                sql::<BigInt>(
                    "CAST(COALESCE(SUM(cooperative_members.cash_fen + cooperative_members.land_fen \
                     + cooperative_members.livestock_fen), 0) AS BIGINT)",
                ),
            ))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|(cooperative, village_name)| {
            let (members, capital_fen) = sums
                .iter()
                .find(|(id, _, _)| *id == cooperative.id)
                .map_or((0, 0), |(_, n, c)| (*n, *c));
            CooperativeView {
                cooperative,
                village_name,
                members,
                capital_fen,
            }
        })
        .collect())
}

macro_rules! view_query {
    () => {
        cooperatives::table
            .inner_join(villages::table)
            .select((CooperativeRow::as_select(), villages::name))
    };
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<CooperativeView> {
    let row: Joined = view_query!().filter(cooperatives::id.eq(id)).first(conn)?;
    with_members(conn, vec![row])?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

#[derive(Debug, Clone, Default)]
pub struct CooperativeFilter {
    pub department_id: i64,
    pub only_villages: Option<Vec<i64>>,
    pub village_id: Option<i64>,
    pub kind: Option<String>,
    pub search: Option<String>,
}

/// By name (pinyin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CooperativeSort {
    Name,
}

impl SortBy for CooperativeSort {
    type Row = CooperativeView;
    const NAMES: &'static [(&'static str, Self)] = &[("name", CooperativeSort::Name)];
    fn kind(self) -> KeyKind {
        KeyKind::Text
    }
    fn key(self, row: &CooperativeView) -> Key {
        Key::Text(row.cooperative.values.sort_key.clone())
    }
    fn row_id(row: &CooperativeView) -> i64 {
        row.cooperative.id
    }
}

macro_rules! filtered {
    ($query:expr, $filter:expr) => {{
        let f: &CooperativeFilter = $filter;
        let mut q = $query
            .filter(cooperatives::department_id.eq(f.department_id))
            .into_boxed();
        if let Some(ids) = &f.only_villages {
            q = q.filter(cooperatives::village_id.eq_any(ids.clone()));
        }
        if let Some(v) = f.village_id {
            q = q.filter(cooperatives::village_id.eq(v));
        }
        if let Some(k) = &f.kind {
            q = q.filter(cooperatives::kind.eq(k.clone()));
        }
        if let Some(pattern) = &f.search {
            q = q.filter(cooperatives::search_text.like(pattern.clone()).escape('\\'));
        }
        q
    }};
}

pub fn list(
    conn: &mut DbConnection,
    filter: &CooperativeFilter,
    page: &PageRequest<CooperativeSort>,
) -> QueryResult<Page<CooperativeView>> {
    let total = crate::first_page_total!(
        conn,
        matches!(page.after, crate::keyset::After::Start),
        filtered!(cooperatives::table.select(cooperatives::id), filter)
    );
    let mut q = filtered!(view_query!(), filter);
    let (after, descending) = (page.after.clone().text()?, page.descending);
    crate::keyset_page!(
        q,
        cooperatives::sort_key,
        cooperatives::id,
        after,
        descending
    );
    let rows: Vec<Joined> = q.limit(page.limit + 1).load(conn)?;
    let page_rows = Page::from_overfetch(rows, page.limit);
    Ok(Page {
        items: with_members(conn, page_rows.items)?,
        has_more: page_rows.has_more,
        total,
    })
}

/// Cooperatives as a versioned table.
pub struct Cooperatives;

impl Versioned for Cooperatives {
    type Row = CooperativeView;
    type Values = CooperativeValues;

    fn id(row: &CooperativeView) -> i64 {
        row.cooperative.id
    }
    fn version(row: &CooperativeView) -> i32 {
        row.cooperative.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<CooperativeView> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<CooperativeValues> {
        cooperatives::table
            .find(id)
            .select(CooperativeValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &CooperativeValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<CooperativeView>> {
        let n = diesel::update(
            cooperatives::table.filter(
                cooperatives::id
                    .eq(id)
                    .and(cooperatives::version.eq(version)),
            ),
        )
        .set((
            values,
            cooperatives::version.eq(version + 1),
            cooperatives::updated_at.eq(now),
        ))
        .execute(conn)?;
        if n == 0 {
            return Ok(None);
        }
        get(conn, id).map(Some)
    }
}

impl Creatable for Cooperatives {
    fn insert(
        conn: &mut DbConnection,
        department_id: i64,
        values: &CooperativeValues,
        now: NaiveDateTime,
    ) -> QueryResult<CooperativeView> {
        let id: i64 = diesel::insert_into(cooperatives::table)
            .values((
                values,
                cooperatives::department_id.eq(department_id),
                cooperatives::version.eq(1),
                cooperatives::created_at.eq(now),
                cooperatives::updated_at.eq(now),
            ))
            .returning(cooperatives::id)
            .get_result(conn)?;
        get(conn, id)
    }
}

/// Members.
pub mod members {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
    #[diesel(table_name = cooperative_members)]
    pub struct MemberRow {
        pub id: i64,
        pub department_id: i64,
        #[diesel(embed)]
        pub values: MemberValues,
        pub version: i32,
        #[diesel(deserialize_as = crate::stamp::Stamp)]
        pub created_at: NaiveDateTime,
        #[diesel(deserialize_as = crate::stamp::Stamp)]
        pub updated_at: NaiveDateTime,
    }

    #[derive(
        Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable,
    )]
    #[diesel(table_name = cooperative_members, treat_none_as_null = true)]
    pub struct MemberValues {
        pub cooperative_id: i64,
        pub village_id: i64,
        pub name: String,
        pub household_id: Option<i64>,
        pub joined_on: NaiveDate,
        pub left_on: Option<NaiveDate>,
        pub cash_fen: i64,
        pub land_fen: i64,
        pub livestock_fen: i64,
        pub note: Option<String>,
    }

    crate::versioned_table!(Members, cooperative_members, MemberRow, MemberValues);

    /// The most members a cooperative's list answers.
    pub const MAX_MEMBERS: i64 = 5000;

    /// A cooperative's members, by joining day then id.
    pub fn of(conn: &mut DbConnection, cooperative_id: i64) -> QueryResult<Vec<MemberRow>> {
        cooperative_members::table
            .filter(cooperative_members::cooperative_id.eq(cooperative_id))
            .order_by((
                cooperative_members::joined_on.asc(),
                cooperative_members::id.asc(),
            ))
            .select(MemberRow::as_select())
            .limit(MAX_MEMBERS)
            .load(conn)
    }
}

/// Yearly accounts.
pub mod years {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
    #[diesel(table_name = cooperative_years)]
    pub struct YearRow {
        pub id: i64,
        pub department_id: i64,
        #[diesel(embed)]
        pub values: YearValues,
        pub version: i32,
        #[diesel(deserialize_as = crate::stamp::Stamp)]
        pub created_at: NaiveDateTime,
        #[diesel(deserialize_as = crate::stamp::Stamp)]
        pub updated_at: NaiveDateTime,
    }

    #[derive(
        Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable,
    )]
    #[diesel(table_name = cooperative_years, treat_none_as_null = true)]
    pub struct YearValues {
        pub cooperative_id: i64,
        pub village_id: i64,
        pub year: i32,
        pub revenue_fen: i64,
        pub costs_fen: i64,
        pub losses_made_good_fen: i64,
        pub reserves_fen: i64,
    }

    crate::versioned_table!(Years, cooperative_years, YearRow, YearValues);

    pub fn of(conn: &mut DbConnection, cooperative_id: i64) -> QueryResult<Vec<YearRow>> {
        cooperative_years::table
            .filter(cooperative_years::cooperative_id.eq(cooperative_id))
            .order_by(cooperative_years::year.asc())
            .select(YearRow::as_select())
            .limit(200)
            .load(conn)
    }

    pub fn find(
        conn: &mut DbConnection,
        cooperative_id: i64,
        year: i32,
    ) -> QueryResult<Option<YearRow>> {
        cooperative_years::table
            .filter(cooperative_years::cooperative_id.eq(cooperative_id))
            .filter(cooperative_years::year.eq(year))
            .select(YearRow::as_select())
            .first(conn)
            .optional()
    }
}

/// Distributions and their shares.
pub mod distributions {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, Insertable)]
    #[diesel(table_name = cooperative_distributions)]
    pub struct NewDistribution {
        pub department_id: i64,
        pub cooperative_id: i64,
        pub village_id: i64,
        pub year: i32,
        pub distributable_fen: i64,
        pub by_trade_fen: i64,
        pub by_capital_fen: i64,
        pub created_by_username: String,
        #[diesel(deserialize_as = crate::stamp::Stamp)]
        pub created_at: NaiveDateTime,
    }

    #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
    #[diesel(table_name = cooperative_distributions)]
    pub struct DistributionRow {
        pub id: i64,
        #[diesel(embed)]
        pub values: NewDistribution,
    }

    #[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize, Insertable)]
    #[diesel(table_name = distribution_shares)]
    pub struct ShareValues {
        pub distribution_id: i64,
        pub member_id: i64,
        pub trade_fen: i64,
        pub capital_fen: i64,
        pub by_trade_fen: i64,
        pub by_capital_fen: i64,
    }

    /// A stored distribution with its shares and the members' names, in member order.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct DistributionView {
        pub distribution: DistributionRow,
        pub shares: Vec<(ShareValues, String)>,
    }

    /// Stores a distribution and its shares (in the caller's transaction).
    pub fn insert(
        conn: &mut DbConnection,
        d: &NewDistribution,
        shares: &[(i64, i64, i64, i64, i64)],
    ) -> QueryResult<i64> {
        let id: i64 = diesel::insert_into(cooperative_distributions::table)
            .values(d)
            .returning(cooperative_distributions::id)
            .get_result(conn)?;
        let rows: Vec<ShareValues> = shares
            .iter()
            .map(
                |&(member_id, trade_fen, capital_fen, by_trade_fen, by_capital_fen)| ShareValues {
                    distribution_id: id,
                    member_id,
                    trade_fen,
                    capital_fen,
                    by_trade_fen,
                    by_capital_fen,
                },
            )
            .collect();
        // One statement per share (the multi-backend connection has no batch insert); a plan
        // has as many shares as the cooperative has members, inside one transaction.
        for row in &rows {
            diesel::insert_into(distribution_shares::table)
                .values(row)
                .execute(conn)?;
        }
        Ok(id)
    }

    /// Whether the cooperative's surplus of `year` has been distributed (its accounts are closed).
    pub fn exists(conn: &mut DbConnection, cooperative_id: i64, year: i32) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            cooperative_distributions::table
                .filter(cooperative_distributions::cooperative_id.eq(cooperative_id))
                .filter(cooperative_distributions::year.eq(year)),
        ))
        .get_result(conn)
    }

    /// A cooperative's distributions, newest year first, with their shares (two queries).
    pub fn of(conn: &mut DbConnection, cooperative_id: i64) -> QueryResult<Vec<DistributionView>> {
        let rows: Vec<DistributionRow> = cooperative_distributions::table
            .filter(cooperative_distributions::cooperative_id.eq(cooperative_id))
            .order_by(cooperative_distributions::year.desc())
            .select(DistributionRow::as_select())
            .limit(200)
            .load(conn)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let shares: Vec<(ShareValues, String)> = if ids.is_empty() {
            Vec::new()
        } else {
            distribution_shares::table
                .inner_join(cooperative_members::table)
                .filter(distribution_shares::distribution_id.eq_any(ids))
                .order_by(distribution_shares::id.asc())
                .select((ShareValues::as_select(), cooperative_members::name))
                .load(conn)?
        };
        Ok(rows
            .into_iter()
            .map(|distribution| DistributionView {
                shares: shares
                    .iter()
                    .filter(|(s, _)| s.distribution_id == distribution.id)
                    .cloned()
                    .collect(),
                distribution,
            })
            .collect())
    }
}

/// The figures of the annual report: cooperatives of the villages founded by the year's end, their
/// members and capital at its end, the year's distributable surplus and what was distributed back to members.
pub fn report(
    conn: &mut DbConnection,
    department_id: i64,
    villages: Option<&[i64]>,
    year: i32,
) -> QueryResult<(i64, i64, i64, i64, i64)> {
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let mut c = cooperatives::table
        .filter(cooperatives::department_id.eq(department_id))
        .filter(cooperatives::founded_on.le(end))
        .select(cooperatives::id)
        .into_boxed();
    if let Some(ids) = villages {
        c = c.filter(cooperatives::village_id.eq_any(ids));
    }
    let ids: Vec<i64> = c.load(conn)?;
    if ids.is_empty() {
        return Ok((0, 0, 0, 0, 0));
    }
    let (members, capital): (i64, i64) = cooperative_members::table
        .filter(cooperative_members::cooperative_id.eq_any(ids.clone()))
        .filter(cooperative_members::joined_on.le(end))
        .filter(
            cooperative_members::left_on
                .is_null()
                .or(cooperative_members::left_on.gt(end)),
        )
        .select((
            count_star(),
            sql::<BigInt>(
                "CAST(COALESCE(SUM(cooperative_members.cash_fen + cooperative_members.land_fen \
                 + cooperative_members.livestock_fen), 0) AS BIGINT)",
            ),
        ))
        .first(conn)?;
    let surplus: i64 = cooperative_years::table
        .filter(cooperative_years::cooperative_id.eq_any(ids.clone()))
        .filter(cooperative_years::year.eq(year))
        .select(sql::<BigInt>(
            "CAST(COALESCE(SUM(cooperative_years.revenue_fen - cooperative_years.costs_fen \
             - cooperative_years.losses_made_good_fen - cooperative_years.reserves_fen), 0) AS BIGINT)",
        ))
        .first(conn)?;
    let distributed: i64 = cooperative_distributions::table
        .filter(cooperative_distributions::cooperative_id.eq_any(ids.clone()))
        .filter(cooperative_distributions::year.eq(year))
        .select(sql::<BigInt>(
            "CAST(COALESCE(SUM(cooperative_distributions.distributable_fen), 0) AS BIGINT)",
        ))
        .first(conn)?;
    Ok((
        i64::try_from(ids.len()).unwrap_or(i64::MAX),
        members,
        capital,
        surplus,
        distributed,
    ))
}
