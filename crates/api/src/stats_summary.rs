//! The region-wide statistics summary: every figure of `/stats/*` computed once for every place
//! (the region, each department, prefecture, county and village) and every year the endpoints
//! accept, stored (`zhucun_persistence::stats_summary`) and read by the endpoints, which then only
//! pick rows and withhold small cells. Computing the figures takes one grouped query per figure
//! family over the whole region (seconds at Tibet's scale, `bench/README.md`); reading them takes
//! a few hundred rows.
//!
//! The summary is refreshed, not kept in the writes' transactions, and every answer carries its
//! `as_of` time. It is due when it was never taken, when its layout is older than this code's,
//! when an audit entry newer than its watermark exists (every write of the modules appends one in
//! its own transaction), or when the local day changed (disclosure items fall overdue by the
//! calendar alone). With `ZHUCUN_STATS_REFRESH_SECONDS` > 0 (default 300) every instance checks
//! that often in the background and reads serve the stored summary; with 0 a read that finds it
//! due refreshes it first (small installations, tests). A summary never taken, or of an older
//! layout, is computed by the read that needs it either way.
//!
//! Several instances: the refresh holds a PostgreSQL transaction advisory lock, so one instance
//! computes and the others skip (a read that needs a summary never taken while another instance
//! computes it gets a 503 to retry). In one process a mutex serialises refreshes, and a refresh
//! that waited re-checks whether it is still due. The figures are computed from one snapshot: on
//! PostgreSQL one `REPEATABLE READ` transaction that also writes the summary (one connection, so
//! a refresh never waits for a second one from a pool its waiting readers hold); on SQLite a read
//! transaction, then the one writer. `as_of` is taken just before the snapshot, so the label never
//! claims more than the snapshot holds. A write whose audit entry got a lower
//! id than the watermark but committed after the snapshot (two writes committing out of id order
//! while a refresh starts) is picked up at the next day's refresh at the latest.

use crate::error::ApiError;
use crate::routes::stats::{ActivityKindStats, CategoryStats, StatsFigures};
use chrono::{Datelike, NaiveDate};
use diesel::Connection;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Duration;
use zhucun_persistence::stats::{self as q, Place, VillagePlace, VillageYear};
use zhucun_persistence::stats_summary::{self as store, SummaryRow, SummaryState};
use zhucun_persistence::{Db, DbConnection};

/// The layout of the stored figures ([`Stored`]); a summary of another layout is rebuilt.
pub const LAYOUT: i32 = 1;
/// The years the summary covers: every year the endpoints accept.
pub const FIRST_YEAR: i32 = 2011;
pub const LAST_YEAR: i32 = 2100;
/// The default background refresh interval (`ZHUCUN_STATS_REFRESH_SECONDS`).
pub const DEFAULT_REFRESH_SECONDS: u64 = 300;

/// The summary's levels (`stats_summary.level`). The parent of a county is its prefecture's name,
/// of a village its county's name; the others have none (empty).
pub mod level {
    pub const REGION: &str = "region";
    pub const DEPARTMENT: &str = "department";
    pub const PREFECTURE: &str = "prefecture";
    pub const COUNTY: &str = "county";
    pub const VILLAGE: &str = "village";
}

/// A row being summed: the villages' figures, the distinct cadres, the overdue disclosure items.
#[derive(Debug, Default)]
pub(crate) struct Acc {
    f: VillageYear,
    cadres: BTreeSet<i64>,
    disclosures_overdue: i64,
}

/// year → village → figures.
type ByYear = BTreeMap<i32, BTreeMap<i64, Acc>>;

/// The figures of every village, year by year from `from` to `to`: each figure family in one
/// grouped query over the whole range, the disclosure calendar of each village and year from
/// facts read once. Years after today's have no overdue disclosure items (their dates are all
/// to come), so their calendars are not drawn.
fn gather_years(
    conn: &mut DbConnection,
    from: i32,
    to: i32,
    today: NaiveDate,
) -> Result<(Vec<VillagePlace>, ByYear), ApiError> {
    let villages = q::places(conn, &Place::All)?;
    let ids: Vec<i64> = villages.iter().map(|v| v.id).collect();
    let figures = q::years(conn, from, to, today)?;
    // Each department's time limit for major matters.
    let days: BTreeMap<i64, u32> = zhucun_persistence::departments::disclosure_days(conn)?
        .into_iter()
        .map(|(id, d)| (id, u32::try_from(d).unwrap_or(7)))
        .collect();
    let department_of: BTreeMap<i64, i64> =
        villages.iter().map(|v| (v.id, v.department_id)).collect();
    let range = (
        NaiveDate::from_ymd_opt(from, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(to.min(today.year()), 12, 31).unwrap_or(NaiveDate::MAX),
    );
    let facts = crate::routes::disclosures::facts_by_village(conn, &ids, range)?;
    let mut years = BTreeMap::new();
    for (year, figures) in figures {
        let mut by_village: BTreeMap<i64, Acc> = BTreeMap::new();
        for (v, f) in figures.villages {
            by_village.entry(v).or_default().f = f;
        }
        for (v, cadre) in figures.cadres {
            by_village.entry(v).or_default().cadres.insert(cadre);
        }
        if year <= today.year() {
            for (v, facts) in &facts {
                let limit = department_of
                    .get(v)
                    .and_then(|d| days.get(d))
                    .copied()
                    .unwrap_or(7);
                let overdue = zhucun_domain::disclosure::calendar(year, facts, today, limit)
                    .iter()
                    .filter(|i| i.state == zhucun_domain::disclosure::State::Overdue)
                    .count();
                if overdue > 0 {
                    by_village.entry(*v).or_default().disclosures_overdue =
                        i64::try_from(overdue).unwrap_or(i64::MAX);
                }
            }
        }
        years.insert(year, by_village);
    }
    Ok((villages, years))
}

impl Acc {
    pub(crate) fn absorb(&mut self, o: &Acc) {
        let (a, b) = (&mut self.f, &o.f);
        a.stationed += b.stationed;
        a.teams += b.teams;
        a.households_paired += b.households_paired;
        a.households_assisted += b.households_assisted;
        a.assistance_count += b.assistance_count;
        a.assistance_fen += b.assistance_fen;
        a.projects += b.projects;
        for (k, n) in &b.projects_by_stage {
            *a.projects_by_stage.entry(k.clone()).or_default() += n;
        }
        for (k, (n, budget, funds)) in &b.projects_by_category {
            let c = a.projects_by_category.entry(k.clone()).or_default();
            c.0 += n;
            c.1 += budget;
            c.2 += funds;
        }
        a.funds_received_fen += b.funds_received_fen;
        a.funds_spent_fen += b.funds_spent_fen;
        for (k, fen) in &b.funds_by_source {
            *a.funds_by_source.entry(k.clone()).or_default() += fen;
        }
        for (k, fen) in &b.funds_by_kind {
            *a.funds_by_kind.entry(k.clone()).or_default() += fen;
        }
        a.activities += b.activities;
        for (k, (n, p, ben)) in &b.activities_by_kind {
            let c = a.activities_by_kind.entry(k.clone()).or_default();
            c.0 += n;
            c.1 += p;
            c.2 += ben;
        }
        a.needs_resolved += b.needs_resolved;
        a.presence_below_minimum += b.presence_below_minimum;
        self.cadres.extend(o.cadres.iter().copied());
        self.disclosures_overdue += o.disclosures_overdue;
    }

    pub(crate) fn figures(&self) -> StatsFigures {
        let f = &self.f;
        StatsFigures {
            villages_stationed: f.stationed,
            teams: f.teams,
            cadres_stationed: i64::try_from(self.cadres.len()).unwrap_or(i64::MAX),
            households_paired: Some(f.households_paired),
            households_assisted: Some(f.households_assisted),
            assistance_count: Some(f.assistance_count),
            assistance_fen: Some(f.assistance_fen),
            projects: f.projects,
            projects_by_stage: f.projects_by_stage.clone(),
            projects_by_category: f
                .projects_by_category
                .iter()
                .map(|(k, (count, budget_fen, funds_fen))| {
                    (
                        k.clone(),
                        CategoryStats {
                            count: *count,
                            budget_fen: *budget_fen,
                            funds_fen: *funds_fen,
                        },
                    )
                })
                .collect(),
            funds_received_fen: f.funds_received_fen,
            funds_spent_fen: f.funds_spent_fen,
            funds_by_source: f
                .funds_by_source
                .iter()
                .filter(|(_, fen)| **fen != 0)
                .map(|(k, fen)| (k.clone(), *fen))
                .collect(),
            funds_by_kind: f.funds_by_kind.clone(),
            activities: f.activities,
            activities_by_kind: f
                .activities_by_kind
                .iter()
                .map(|(k, (count, participants, beneficiaries))| {
                    (
                        k.clone(),
                        ActivityKindStats {
                            count: *count,
                            participants: *participants,
                            beneficiaries: *beneficiaries,
                        },
                    )
                })
                .collect(),
            needs_resolved: f.needs_resolved,
            presence_below_minimum: f.presence_below_minimum,
            disclosures_overdue: self.disclosures_overdue,
            suppressed: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.f == VillageYear::default() && self.cadres.is_empty() && self.disclosures_overdue == 0
    }
}

// ---- the stored form ----

/// A place's figures as stored: the scalars in a fixed order, the breakdowns by code (absent when
/// empty). Compact, since the region has some 80,000 village-years with figures.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    /// villages stationed, teams, cadres, households paired, households assisted, assistance
    /// count, assistance fen, projects, funds received, funds spent, activities, needs resolved,
    /// presence below minimum, disclosures overdue.
    n: [i64; 14],
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    s: BTreeMap<String, i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    c: BTreeMap<String, (i64, i64, i64)>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    fs: BTreeMap<String, i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    fk: BTreeMap<String, i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    a: BTreeMap<String, (i64, i64, i64)>,
}

fn encode(f: &StatsFigures) -> Result<String, ApiError> {
    let stored = Stored {
        n: [
            f.villages_stationed,
            f.teams,
            f.cadres_stationed,
            f.households_paired.unwrap_or(0),
            f.households_assisted.unwrap_or(0),
            f.assistance_count.unwrap_or(0),
            f.assistance_fen.unwrap_or(0),
            f.projects,
            f.funds_received_fen,
            f.funds_spent_fen,
            f.activities,
            f.needs_resolved,
            f.presence_below_minimum,
            f.disclosures_overdue,
        ],
        s: f.projects_by_stage.clone(),
        c: f.projects_by_category
            .iter()
            .map(|(k, c)| (k.clone(), (c.count, c.budget_fen, c.funds_fen)))
            .collect(),
        fs: f.funds_by_source.clone(),
        fk: f.funds_by_kind.clone(),
        a: f.activities_by_kind
            .iter()
            .map(|(k, a)| (k.clone(), (a.count, a.participants, a.beneficiaries)))
            .collect(),
    };
    serde_json::to_string(&stored).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The figures of a stored row (nothing withheld yet).
pub fn decode(figures: &str) -> Result<StatsFigures, ApiError> {
    let s: Stored = serde_json::from_str(figures)
        .map_err(|e| ApiError::Internal(format!("statistics summary row: {e}")))?;
    let [stationed, teams, cadres, paired, assisted, count, fen, projects, received, spent, activities, needs, presence, overdue] =
        s.n;
    Ok(StatsFigures {
        villages_stationed: stationed,
        teams,
        cadres_stationed: cadres,
        households_paired: Some(paired),
        households_assisted: Some(assisted),
        assistance_count: Some(count),
        assistance_fen: Some(fen),
        projects,
        projects_by_stage: s.s,
        projects_by_category: s
            .c
            .into_iter()
            .map(|(k, (count, budget_fen, funds_fen))| {
                (
                    k,
                    CategoryStats {
                        count,
                        budget_fen,
                        funds_fen,
                    },
                )
            })
            .collect(),
        funds_received_fen: received,
        funds_spent_fen: spent,
        funds_by_source: s.fs,
        funds_by_kind: s.fk,
        activities,
        activities_by_kind: s
            .a
            .into_iter()
            .map(|(k, (count, participants, beneficiaries))| {
                (
                    k,
                    ActivityKindStats {
                        count,
                        participants,
                        beneficiaries,
                    },
                )
            })
            .collect(),
        needs_resolved: needs,
        presence_below_minimum: presence,
        disclosures_overdue: overdue,
        suppressed: Vec::new(),
    })
}

// ---- computing the summary ----

/// Every place's figures of every year: villages, then their departments, prefectures, counties
/// and the region (the sum of the departments). Places and years without figures have no row.
fn build(conn: &mut DbConnection, today: NaiveDate) -> Result<Vec<SummaryRow>, ApiError> {
    let (villages, years) = gather_years(conn, FIRST_YEAR, LAST_YEAR, today)?;
    let place: BTreeMap<i64, &VillagePlace> = villages.iter().map(|v| (v.id, v)).collect();
    let mut rows = Vec::new();
    let mut push = |level: &str, year: i32, parent: &str, key: String, acc: &Acc| {
        if acc.is_empty() {
            return Ok::<(), ApiError>(());
        }
        rows.push(SummaryRow {
            level: level.to_owned(),
            year,
            parent: parent.to_owned(),
            place: key,
            figures: encode(&acc.figures())?,
        });
        Ok(())
    };
    for (year, by_village) in &years {
        let mut departments: BTreeMap<i64, Acc> = BTreeMap::new();
        let mut prefectures: BTreeMap<&str, Acc> = BTreeMap::new();
        let mut counties: BTreeMap<(&str, &str), Acc> = BTreeMap::new();
        let mut region = Acc::default();
        for (v, acc) in by_village {
            let Some(p) = place.get(v) else {
                // A village beyond the bound of `places`: counted in the region only.
                region.absorb(acc);
                continue;
            };
            departments.entry(p.department_id).or_default().absorb(acc);
            prefectures
                .entry(p.prefecture.as_str())
                .or_default()
                .absorb(acc);
            counties
                .entry((p.prefecture.as_str(), p.county.as_str()))
                .or_default()
                .absorb(acc);
            push(level::VILLAGE, *year, &p.county, v.to_string(), acc)?;
        }
        for (d, acc) in &departments {
            region.absorb(acc);
            push(level::DEPARTMENT, *year, "", d.to_string(), acc)?;
        }
        for (p, acc) in &prefectures {
            push(level::PREFECTURE, *year, "", (*p).to_owned(), acc)?;
        }
        for ((p, c), acc) in &counties {
            push(level::COUNTY, *year, p, (*c).to_owned(), acc)?;
        }
        push(level::REGION, *year, "", String::new(), &region)?;
    }
    Ok(rows)
}

// ---- when and how it is refreshed ----

/// Serialises the refreshes of this process.
static REFRESHING: Mutex<()> = Mutex::new(());

/// When a read or a background pass finds the summary due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Only when missing or of an older layout (reads with a background refresh running).
    Missing,
    /// Also when writes happened since, or the local day changed.
    Changed,
    /// Now, whatever changed (after writes that bypass the API and its audit trail).
    Always,
}

/// The stored summary's state when it is not due under `policy`; `None` when it is.
fn current(conn: &mut DbConnection, policy: Policy) -> Result<Option<SummaryState>, ApiError> {
    let Some(s) = store::state(conn)? else {
        return Ok(None);
    };
    let due = s.layout != LAYOUT
        || match policy {
            Policy::Missing => false,
            Policy::Always => true,
            Policy::Changed => {
                store::watermark(conn)? != s.watermark
                    || zhucun_domain::calendar::local_day(crate::dto::utc(s.as_of))
                        != zhucun_domain::calendar::today_local()
            }
        };
    Ok((!due).then_some(s))
}

/// How a refresh on PostgreSQL failed: it lost a race to another instance's (the snapshot is taken
/// by the statement that takes the lock, an instant before it is held, so a refresh committed in
/// that instant is not in it and its rows collide with this one's), or anything else.
enum PgRefresh {
    Raced,
    Failed(ApiError),
}

impl From<diesel::result::Error> for PgRefresh {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error};
        match e {
            Error::DatabaseError(K::SerializationFailure | K::UniqueViolation, _) => {
                PgRefresh::Raced
            }
            e => PgRefresh::Failed(e.into()),
        }
    }
}

/// What [`refresh_if_due`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// Took a new summary.
    Now(SummaryState),
    /// The stored one was not due (possibly just taken by another refresh of this process).
    NotDue(SummaryState),
    /// Another instance is taking one now; the stored one, if any.
    Busy(Option<SummaryState>),
}

impl Refreshed {
    /// The summary to read now.
    pub fn state(&self) -> Option<SummaryState> {
        match *self {
            Refreshed::Now(s) | Refreshed::NotDue(s) => Some(s),
            Refreshed::Busy(s) => s,
        }
    }
}

/// Refreshes the summary if it is due under `policy`, computing it from `conn` (outside any
/// transaction) and writing it (PostgreSQL: on `conn`; SQLite: on the writer).
pub fn refresh_if_due(
    conn: &mut DbConnection,
    db: &Db,
    policy: Policy,
) -> Result<Refreshed, ApiError> {
    if let Some(s) = current(conn, policy)? {
        return Ok(Refreshed::NotDue(s));
    }
    let _one = match REFRESHING.try_lock() {
        Ok(one) => one,
        Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => {
            let one = REFRESHING.lock().unwrap_or_else(|p| p.into_inner());
            // Another refresh of this process ran while this one waited.
            if let Some(s) = current(conn, policy)? {
                return Ok(Refreshed::NotDue(s));
            }
            one
        }
    };
    let as_of = zhucun_persistence::now();
    let compute = |conn: &mut DbConnection| -> Result<(Vec<SummaryRow>, SummaryState), ApiError> {
        let watermark = store::watermark(conn)?;
        let today = zhucun_domain::calendar::local_day(crate::dto::utc(as_of));
        let rows = build(conn, today)?;
        let new = SummaryState {
            as_of,
            watermark,
            layout: LAYOUT,
        };
        Ok((rows, new))
    };
    let refreshed = if matches!(conn, DbConnection::Pg(_)) {
        // One connection reads the snapshot and writes the summary, under the lock that keeps
        // the other instances from doing the same meanwhile.
        let done = store::snapshot(conn, true, |conn| -> Result<_, PgRefresh> {
            if !store::try_refresh_lock(conn)? {
                return Ok(None);
            }
            let (rows, new) = compute(conn).map_err(PgRefresh::Failed)?;
            store::replace(conn, &rows, &new)?;
            Ok(Some((rows.len(), new)))
        });
        match done {
            Ok(done) => done,
            // Another instance's refresh committed between this snapshot and its lock: theirs
            // stands.
            Err(PgRefresh::Raced) => None,
            Err(PgRefresh::Failed(e)) => return Err(e),
        }
    } else {
        // SQLite: the snapshot on this reader, the write on the one writer (its own pool).
        let (rows, new) = store::snapshot(conn, false, compute)?;
        let mut writer = db.writer()?;
        writer.transaction(|w| store::replace(w, &rows, &new))?;
        Some((rows.len(), new))
    };
    if let Some((rows, new)) = &refreshed {
        tracing::info!(
            rows,
            watermark = new.watermark,
            "statistics summary refreshed"
        );
    }
    match refreshed {
        Some((_, new)) => Ok(Refreshed::Now(new)),
        None => Ok(Refreshed::Busy(store::state(conn)?)),
    }
}

/// Refreshes the summary if anything changed (the background pass), or now with
/// [`Policy::Always`] (the generator, whose rows have no audit trail).
pub fn refresh(db: &Db, policy: Policy) -> Result<Refreshed, ApiError> {
    let mut conn = db.reader()?;
    refresh_if_due(&mut conn, db, policy)
}

/// Starts the background refresh (every `every`; never when zero) on the current actix system,
/// on the blocking pool.
pub fn start(db: Db, every: Duration) {
    if every.is_zero() {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            let db = db.clone();
            match actix_web::web::block(move || refresh(&db, Policy::Changed)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "statistics summary refresh failed; trying again later")
                }
                Err(e) => tracing::warn!(error = %e, "statistics summary refresh did not run"),
            }
        }
    });
}

/// Reads from the summary: refreshes it first when due under `policy`, then runs `f` in one
/// snapshot with the summary's state (so the rows and `as_of` belong together).
pub fn read<T, F>(
    conn: &mut DbConnection,
    db: &Db,
    policy: Policy,
    f: F,
) -> Result<(T, chrono::DateTime<chrono::Utc>), ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
{
    if refresh_if_due(conn, db, policy)?.state().is_none() {
        return Err(ApiError::Unavailable(
            "the statistics are being computed by another instance; try again in a minute"
                .to_owned(),
        ));
    }
    store::snapshot(conn, false, |conn| {
        let state = store::state(conn)?.ok_or_else(|| {
            ApiError::Unavailable("the statistics are being computed; try again".to_owned())
        })?;
        Ok((f(conn)?, crate::dto::utc(state.as_of)))
    })
}

/// The figures of the rows given, by (year, parent, place).
pub fn decode_rows(
    rows: Vec<SummaryRow>,
) -> Result<BTreeMap<(i32, String, String), StatsFigures>, ApiError> {
    rows.into_iter()
        .map(|r| Ok(((r.year, r.parent, r.place), decode(&r.figures)?)))
        .collect()
}

/// The figures of a place and year without anything recorded.
pub fn zero() -> StatsFigures {
    Acc::default().figures()
}
