//! The demo's 结对认亲 and 帮扶: the finance department's 223 cadres paired in 2019 with the
//! households of its current villages that were poor or marginal at the end of 2019 (FIGURES-2019
//! row 1), and the year's assistance by the paired cadres adding up to just under 90,000 yuan
//! (row 2), spread over the year's festivals and winter relief; a few pairings and records of
//! 2024 and 2025 too. Everything is computed deterministically from the rows present; every row
//! goes through the resources' `values()`.

use crate::routes;
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::HashSet;
use zhucun_domain::household::Category;
use zhucun_persistence::schema::{cadres, offices};
use zhucun_persistence::{assistance, pairings, Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

/// The article's "全厅223名干部职工".
pub const CADRES: usize = 223;

/// What the 2019 assistance aims at, in fen (the article's "近9万元"). Amounts are scaled towards
/// it and rounded down, so the sum lands a little below; reports compute the sum from the rows.
const TARGET_2019_FEN: i64 = 8_860_000;

const TIBETAN_PARTS: [&str; 24] = [
    "次仁", "扎西", "格桑", "达瓦", "尼玛", "平措", "旦增", "普布", "拉巴", "边巴", "索朗", "洛桑",
    "白玛", "央金", "卓玛", "德吉", "曲珍", "拉姆", "多吉", "顿珠", "旺堆", "益西", "强巴", "桑珠",
];
const HAN_SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "胡", "朱", "郭",
];
const HAN_GIVEN: [&str; 12] = [
    "建国", "海燕", "志强", "晓梅", "伟", "静", "磊", "丽", "军", "芳", "勇", "红",
];
const POSITIONS: [&str; 5] = ["科员", "科员", "副主任科员", "主任科员", "副处长"];

/// What the demo recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub cadres: usize,
    pub households_2019: usize,
    pub pairings_2019: usize,
    pub assistance_2019: usize,
}

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad demo date".into())
}

fn at(i: usize, n: usize) -> usize {
    if n == 0 {
        0
    } else {
        i % n
    }
}

/// The `n`-th generated name: two Tibetan name parts (most cadres) or a Han name.
fn generated_name(n: usize) -> String {
    if n % 4 == 3 {
        let k = n / 4;
        format!(
            "{}{}",
            HAN_SURNAMES[at(k, HAN_SURNAMES.len())],
            HAN_GIVEN[at(k / HAN_SURNAMES.len() + k, HAN_GIVEN.len())]
        )
    } else {
        let k = n - n / 4;
        let a = at(k, TIBETAN_PARTS.len());
        let b = at(a + 1 + k / TIBETAN_PARTS.len(), TIBETAN_PARTS.len());
        format!("{}{}", TIBETAN_PARTS[a], TIBETAN_PARTS[b])
    }
}

/// Tops the department up to [`CADRES`] cadres with generated names (none repeated, none the
/// same as an existing cadre's), spread over its offices.
fn top_up_cadres(conn: &mut DbConnection, department_id: i64) -> Result<(), Error> {
    let names: Vec<String> = cadres::table
        .filter(cadres::department_id.eq(department_id))
        .select(cadres::name)
        .load(conn)?;
    let office_ids: Vec<i64> = offices::table
        .filter(offices::department_id.eq(department_id))
        .order_by(offices::id)
        .select(offices::id)
        .load(conn)?;
    let mut taken: HashSet<String> = names.iter().cloned().collect();
    let mut count = names.len();
    let mut n = 0;
    while count < CADRES && n < 100_000 {
        let name = generated_name(n);
        if taken.insert(name.clone()) {
            let office = office_ids.get(at(count, office_ids.len())).copied();
            let position = POSITIONS[at(count, POSITIONS.len())];
            let v = routes::cadres::values(&name, None, office, Some(position), None, None)?;
            zhucun_persistence::cadres::insert(conn, department_id, &v, zhucun_persistence::now())?;
            count += 1;
        }
        n += 1;
    }
    Ok(())
}

fn pair(
    conn: &mut DbConnection,
    department_id: i64,
    household: &pairings::HouseholdStanding,
    cadre_id: i64,
    year: i32,
    note: Option<&str>,
) -> Result<(), Error> {
    let v = routes::pairings::values(routes::pairings::Fields {
        village_id: household.village_id,
        household_id: household.id,
        cadre_id,
        year,
        note,
    })?;
    pairings::Pairings::insert(conn, department_id, &v, zhucun_persistence::now())?;
    Ok(())
}

/// One planned assistance record.
struct Gift {
    household: usize,
    cadre_id: i64,
    given_on: NaiveDate,
    kind: &'static str,
    amount_fen: i64,
    description: &'static str,
}

fn give(
    conn: &mut DbConnection,
    department_id: i64,
    households: &[pairings::HouseholdStanding],
    g: &Gift,
) -> Result<(), Error> {
    let h = households
        .get(g.household)
        .ok_or("no such demo household")?;
    let v = routes::assistance::values(routes::assistance::Fields {
        village_id: h.village_id,
        household_id: h.id,
        cadre_id: g.cadre_id,
        given_on: g.given_on,
        kind: g.kind,
        amount_fen: g.amount_fen,
        description: g.description,
    })?;
    assistance::Assistance::insert(conn, department_id, &v, zhucun_persistence::now())?;
    Ok(())
}

/// The 2019 gifts of the `i`-th pairing: a 藏历新年 greeting in cash, and one of: goods at 旺果节,
/// cash at 国庆, winter relief goods, or now and then a service worth nothing in money.
fn gifts_2019(i: usize, household: usize, cadre_id: i64) -> Result<Vec<Gift>, Error> {
    let k = i64::try_from(i).unwrap_or(0);
    let d = u32::try_from(i % 10).unwrap_or(0);
    let mut gifts = vec![Gift {
        household,
        cadre_id,
        given_on: day(2019, 2, 1 + d)?,
        kind: "cash",
        amount_fen: (300 + (k * 53 % 11) * 50) * 100,
        description: "藏历新年慰问金",
    }];
    gifts.push(if i % 15 == 7 {
        Gift {
            household,
            cadre_id,
            given_on: day(2019, 3 + u32::try_from(i % 9).unwrap_or(0), 1 + d * 2)?,
            kind: "service",
            amount_fen: 0,
            description: "协助办理医疗报销和低保手续",
        }
    } else {
        match i % 3 {
            0 => Gift {
                household,
                cadre_id,
                given_on: day(2019, 8, 1 + d)?,
                kind: "goods",
                amount_fen: 12_050 + (k % 7) * 1_530,
                description: "旺果节慰问：酥油、砖茶",
            },
            1 => Gift {
                household,
                cadre_id,
                // 国庆: from 25 September into the holiday week.
                given_on: day(2019, 9, 25)? + chrono::Days::new(u64::from(d)),
                kind: "cash",
                amount_fen: (200 + (k * 31 % 7) * 50) * 100,
                description: "国庆慰问金",
            },
            _ => Gift {
                household,
                cadre_id,
                given_on: day(2019, 12, 1 + d * 2)?,
                kind: "goods",
                amount_fen: 28_000 + (k % 5) * 4_550,
                description: "冬季送温暖：棉被、棉大衣",
            },
        }
    });
    Ok(gifts)
}

/// Pairings and assistance of the department's `villages` (the current ones), as the module
/// comment says. Safe on a department without households: it then only tops up the cadres.
pub fn load(
    conn: &mut DbConnection,
    department_id: i64,
    villages: &[i64],
) -> Result<Summary, Error> {
    top_up_cadres(conn, department_id)?;
    let cadre_ids: Vec<i64> = cadres::table
        .filter(cadres::department_id.eq(department_id))
        .filter(cadres::deactivated_at.is_null())
        .order_by(cadres::id)
        .select(cadres::id)
        .load(conn)?;
    let households: Vec<_> =
        pairings::standing_on(conn, department_id, Some(villages), day(2019, 12, 31)?)?
            .into_iter()
            .filter(|h| {
                matches!(
                    Category::from_code(&h.category),
                    Some(Category::Poor | Category::Marginal)
                )
            })
            .collect();
    let mut summary = Summary {
        cadres: cadre_ids.len(),
        households_2019: households.len(),
        ..Summary::default()
    };
    let (c, h) = (cadre_ids.len(), households.len());
    if c == 0 || h == 0 {
        return Ok(summary);
    }

    // 2019: every cadre and every household at least once — one-to-one first, the cadres beyond
    // the households as second cadres — and a few cadres with a second household (一对多).
    let mut pairs: Vec<(usize, i64)> = Vec::new();
    let mut seen = HashSet::new();
    for i in 0..c.max(h) {
        let p = (at(i, h), cadre_ids[at(i, c)]);
        if seen.insert(p) {
            pairs.push(p);
        }
    }
    for (k, &cadre_id) in cadre_ids.iter().enumerate().take(8.min(h)) {
        let p = (at(k * 37 + h / 2, h), cadre_id);
        if seen.insert(p) {
            pairs.push(p);
        }
    }
    let notes = [
        Some("结对认亲，每季度入户走访"),
        None,
        Some("帮助孩子联系就学"),
        Some("协助发展牦牛养殖"),
    ];
    for (i, &(household, cadre_id)) in pairs.iter().enumerate() {
        pair(
            conn,
            department_id,
            &households[household],
            cadre_id,
            2019,
            notes[at(i, notes.len())],
        )?;
    }
    summary.pairings_2019 = pairs.len();

    // 2019 assistance by the paired cadres, every amount scaled towards the year's target and
    // rounded down (cash to whole yuan, goods to 角), so the sum lands a little below it.
    let mut gifts = Vec::new();
    for (i, &(household, cadre_id)) in pairs.iter().enumerate() {
        gifts.extend(gifts_2019(i, household, cadre_id)?);
    }
    let base: i64 = gifts.iter().map(|g| g.amount_fen).sum();
    for g in gifts.iter_mut().filter(|g| g.amount_fen > 0) {
        let scaled =
            i128::from(g.amount_fen) * i128::from(TARGET_2019_FEN) / i128::from(base.max(1));
        let unit = if g.kind == "cash" { 100 } else { 10 };
        let rounded = i64::try_from(scaled).unwrap_or(0) / unit * unit;
        g.amount_fen = rounded.max(unit);
    }
    for g in &gifts {
        give(conn, department_id, &households, g)?;
    }
    summary.assistance_2019 = gifts.len();

    // Later years, lighter: a dozen households kept their cadre.
    for (year, losar) in [(2024, day(2024, 2, 10)?), (2025, day(2025, 2, 28)?)] {
        for i in 0..12.min(h) {
            let cadre_id = cadre_ids[at(i * 7 + 3, c)];
            pair(
                conn,
                department_id,
                &households[i],
                cadre_id,
                year,
                Some("巩固拓展脱贫攻坚成果，持续结对"),
            )?;
            give(
                conn,
                department_id,
                &households,
                &Gift {
                    household: i,
                    cadre_id,
                    given_on: losar,
                    kind: if i % 2 == 0 { "cash" } else { "goods" },
                    amount_fen: if i % 2 == 0 { 50_000 } else { 36_880 },
                    description: if i % 2 == 0 {
                        "藏历新年慰问金"
                    } else {
                        "藏历新年慰问：青稞、清油"
                    },
                },
            )?;
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_are_many_and_distinct_enough() {
        let names: HashSet<String> = (0..400).map(generated_name).collect();
        assert!(names.len() >= 207, "{}", names.len());
        assert!(names.iter().all(|n| !n.is_empty()));
    }
}
