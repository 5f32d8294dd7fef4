//! The demo's 合作社 (FIGURES-2019 rows 4, 5 and 7): 亚卡亚村's breeding cooperative (the five rule
//! documents adopted, members who brought cash and livestock, 2019 accounts and a 2019 surplus
//! distribution that passes the 60 % rule) and its grass-planting cooperative, and 琼果村's
//! village-collective restaurant. Members are heads of the village's demo households, linked to
//! them. Every row goes through the same rules as the API (`routes::cooperatives::values`,
//! `zhucun_domain::cooperative::plan`).

use crate::routes::cooperatives::{values, Fields, RuleDocuments};
use chrono::NaiveDate;
use diesel::prelude::*;
use zhucun_domain::cooperative::{self as rules, MemberBasis};
use zhucun_persistence::cooperatives::distributions::{self as dq, NewDistribution};
use zhucun_persistence::cooperatives::members::{MemberValues, Members};
use zhucun_persistence::cooperatives::years::{YearValues, Years};
use zhucun_persistence::cooperatives::Cooperatives;
use zhucun_persistence::schema::households;
use zhucun_persistence::{Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(d: NaiveDate) -> chrono::NaiveDateTime {
    d.and_hms_opt(4, 0, 0)
        .unwrap_or_default()
        .min(zhucun_persistence::now())
}

/// One demo cooperative: its fields, and how many of the village's households join (from the
/// `skip`th), each bringing cash and livestock valued in fen by a simple pattern.
struct Spec<'a> {
    name: &'a str,
    kind: &'a str,
    founded: NaiveDate,
    rules: RuleDocuments,
    skip: usize,
    members: usize,
}

/// Returns (cooperative id, [(member id, capital fen)]).
fn cooperative(
    conn: &mut DbConnection,
    fin: i64,
    village: i64,
    spec: &Spec<'_>,
) -> Result<(i64, Vec<(i64, i64)>), Error> {
    let v = values(Fields {
        village_id: village,
        name: spec.name,
        kind: spec.kind,
        founded_on: spec.founded,
        registration_number: None,
        rules: &spec.rules,
        notes: None,
    })?;
    let coop = Cooperatives::insert(conn, fin, &v, at(spec.founded))?;
    let id = coop.cooperative.id;
    let heads: Vec<(i64, String)> = households::table
        .filter(households::village_id.eq(village))
        .order_by(households::id.asc())
        .select((households::id, households::head_name))
        .offset(i64::try_from(spec.skip).unwrap_or(0))
        .limit(i64::try_from(spec.members).unwrap_or(0))
        .load(conn)?;
    let mut members = Vec::new();
    for (k, (household, name)) in heads.into_iter().enumerate() {
        let k = i64::try_from(k).unwrap_or(0);
        let cash = 200_000 + (k % 4) * 100_000;
        let livestock = if spec.kind == "breeding" {
            600_000 + (k % 3) * 300_000
        } else {
            0
        };
        let m = MemberValues {
            cooperative_id: id,
            village_id: village,
            name,
            household_id: Some(household),
            joined_on: spec.founded,
            left_on: None,
            cash_fen: cash,
            land_fen: 0,
            livestock_fen: livestock,
            note: None,
        };
        let row = Members::insert(conn, fin, &m, at(spec.founded))?;
        members.push((row.id, cash + livestock));
    }
    Ok((id, members))
}

pub fn load(
    conn: &mut DbConnection,
    fin: i64,
    [magada, yakaya, qiongguo]: [i64; 3],
    jt: i64,
    deji: i64,
) -> Result<(), Error> {
    let all_rules = RuleDocuments {
        investment: Some(day(2018, 6, 1)),
        finance: Some(day(2018, 6, 1)),
        safety: Some(day(2018, 7, 15)),
        members: Some(day(2018, 6, 1)),
        wages: Some(day(2019, 3, 1)),
    };
    let (breeding, members) = cooperative(
        conn,
        fin,
        yakaya,
        &Spec {
            name: "亚卡亚村养殖专业合作社",
            kind: "breeding",
            founded: day(2018, 5, 10),
            rules: all_rules,
            skip: 0,
            members: 12,
        },
    )?;
    cooperative(
        conn,
        fin,
        yakaya,
        &Spec {
            name: "亚卡亚村人工种草合作社",
            kind: "grass_planting",
            founded: day(2019, 4, 2),
            rules: RuleDocuments {
                investment: Some(day(2019, 4, 2)),
                finance: Some(day(2019, 4, 2)),
                members: Some(day(2019, 4, 2)),
                ..RuleDocuments::default()
            },
            skip: 12,
            members: 8,
        },
    )?;
    cooperative(
        conn,
        fin,
        qiongguo,
        &Spec {
            name: "琼果村集体藏餐馆",
            kind: "restaurant",
            founded: day(2019, 7, 1),
            rules: RuleDocuments {
                finance: Some(day(2019, 7, 1)),
                safety: Some(day(2019, 7, 1)),
                wages: Some(day(2019, 7, 1)),
                ..RuleDocuments::default()
            },
            skip: 0,
            members: 5,
        },
    )?;

    // Later ones: a handicraft cooperative in 马格达村, and one of the second department.
    cooperative(
        conn,
        fin,
        magada,
        &Spec {
            name: "马格达村民族手工艺合作社",
            kind: "handicraft",
            founded: day(2023, 3, 18),
            rules: RuleDocuments {
                members: Some(day(2023, 3, 18)),
                ..RuleDocuments::default()
            },
            skip: 0,
            members: 6,
        },
    )?;
    cooperative(
        conn,
        jt,
        deji,
        &Spec {
            name: "德吉村运输合作社",
            kind: "transport",
            founded: day(2024, 5, 6),
            rules: RuleDocuments::default(),
            skip: 0,
            members: 4,
        },
    )?;

    // The breeding cooperative's 2019: accounts and a distribution that passes the 60 % rule,
    // 65 % back by trade volume (the milk and yak the members sold through it).
    let accounts = YearValues {
        cooperative_id: breeding,
        village_id: yakaya,
        year: 2019,
        revenue_fen: 68_000_000,
        costs_fen: 41_000_000,
        losses_made_good_fen: 0,
        reserves_fen: 2_700_000,
    };
    Years::insert(conn, fin, &accounts, at(day(2020, 1, 15)))?;
    let distributable = rules::Accounts {
        revenue_fen: accounts.revenue_fen,
        costs_fen: accounts.costs_fen,
        losses_made_good_fen: accounts.losses_made_good_fen,
        reserves_fen: accounts.reserves_fen,
    }
    .distributable_fen();
    let by_trade = distributable * 65 / 100;
    let bases: Vec<MemberBasis> = members
        .iter()
        .enumerate()
        .map(|(k, &(member_id, capital_fen))| MemberBasis {
            member_id,
            trade_fen: 1_000_000 + i64::try_from(k % 5).unwrap_or(0) * 450_000,
            capital_fen,
        })
        .collect();
    let shares = rules::plan(distributable, by_trade, &bases).map_err(|e| format!("{e:?}"))?;
    let rows: Vec<(i64, i64, i64, i64, i64)> = shares
        .iter()
        .zip(&bases)
        .map(|(s, b)| {
            (
                s.member_id,
                b.trade_fen,
                b.capital_fen,
                s.by_trade_fen,
                s.by_capital_fen,
            )
        })
        .collect();
    dq::insert(
        conn,
        &NewDistribution {
            department_id: fin,
            cooperative_id: breeding,
            village_id: yakaya,
            year: 2019,
            distributable_fen: distributable,
            by_trade_fen: by_trade,
            by_capital_fen: distributable - by_trade,
            created_by_username: "team_yakaya".to_owned(),
            created_at: at(day(2020, 1, 20)),
        },
        &rows,
    )?;
    Ok(())
}
