//! The demo's 资金台账 (FIGURES-2019 rows 4–9 and 11): the money and goods behind the article's
//! projects, recorded as ordinary entries by the users who would record them —
//! allocations by `office_staff`, expenditures and donations by the village's team user — and
//! confirmed (most of them) by the village committee:
//!
//! - 亚卡亚村's breeding cooperative: 300,000 yuan allocated (row 4), most of it spent on livestock;
//! - 15 t of grass seed in kind, valued 150,000 yuan (row 5);
//! - the irrigation seepage-control works: 950,000 yuan in two allocations (row 6);
//! - 琼果村's restaurant: a 20,000 yuan cash donation (row 7);
//! - 区妇联's women's activity funds: 5,000 yuan each to 下地村 and 琼果村 (row 8);
//! - the 2019 infrastructure of the current villages funded at their budgets (rows 9 and 17);
//! - relief goods from six donors worth 1,046,800 yuan (row 11), one of them entered with a wrong
//!   value, reversed with a reason and entered again;
//! - this year's money, some of it still waiting for the committee; earlier years' allocations
//!   back to 2012; and an entry of the second department.
//!
//! Every entry goes through `routes::ledger::values` and `check_links`, as one made through the
//! API does.

use crate::routes::donors;
use crate::routes::ledger::{check_links, values, Author, Fields};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use zhucun_persistence::donors::Donors;
use zhucun_persistence::ledger::{self as q, Ledger};
use zhucun_persistence::schema::{projects, users};
use zhucun_persistence::{Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

struct User {
    id: i64,
    username: String,
}

fn user(conn: &mut DbConnection, username: &str) -> Result<User, Error> {
    let id = users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(conn)?;
    Ok(User {
        id,
        username: username.to_owned(),
    })
}

fn project(conn: &mut DbConnection, department_id: i64, title: &str) -> Result<i64, Error> {
    Ok(projects::table
        .filter(projects::department_id.eq(department_id))
        .filter(projects::title.eq(title))
        .select(projects::id)
        .first(conn)?)
}

fn donor(
    conn: &mut DbConnection,
    department_id: i64,
    name: &str,
    kind: &str,
) -> Result<i64, Error> {
    let v = donors::values(name, kind, None, None)?;
    Ok(Donors::insert(conn, department_id, &v, moment(date(2019, 1, 5)))?.id)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// When an entry of `day` was typed in: that morning (Lhasa), never later than now.
fn moment(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(3, 0, 0)
        .unwrap_or_default()
        .min(zhucun_persistence::now())
}

/// Relief goods: (donor, village, team user, committee user, entered wrong (1) or not (0), item,
/// quantity, unit, yuan, day).
type Relief<'a> = (
    i64,
    i64,
    &'a User,
    &'a User,
    i64,
    &'a str,
    &'a str,
    &'a str,
    i64,
    NaiveDate,
);

/// One entry as the demo writes it.
struct Entry<'a> {
    village: i64,
    project: Option<i64>,
    day: NaiveDate,
    kind: &'a str,
    source: &'a str,
    donor: Option<i64>,
    goods: Option<(&'a str, &'a str, &'a str)>,
    yuan: i64,
    evidence: &'a str,
}

impl<'a> Entry<'a> {
    fn new(village: i64, day: NaiveDate, kind: &'a str, source: &'a str, yuan: i64) -> Self {
        Self {
            village,
            project: None,
            day,
            kind,
            source,
            donor: None,
            goods: None,
            yuan,
            evidence: "",
        }
    }
    fn project(mut self, id: i64) -> Self {
        self.project = Some(id);
        self
    }
    fn donor(mut self, id: i64) -> Self {
        self.donor = Some(id);
        self
    }
    fn goods(mut self, item: &'a str, quantity: &'a str, unit: &'a str) -> Self {
        self.goods = Some((item, quantity, unit));
        self
    }
    fn evidence(mut self, note: &'a str) -> Self {
        self.evidence = note;
        self
    }
}

fn record(
    conn: &mut DbConnection,
    department_id: i64,
    by: &User,
    e: Entry<'_>,
) -> Result<i64, Error> {
    let v = values(
        Fields {
            village_id: e.village,
            project_id: e.project,
            date: e.day,
            kind: e.kind,
            source: e.source,
            donor_id: e.donor,
            item: e.goods.map(|g| g.0),
            quantity: e.goods.map(|g| g.1),
            unit: e.goods.map(|g| g.2),
            amount_fen: e.yuan * 100,
            evidence: (!e.evidence.is_empty()).then_some(e.evidence),
        },
        Author {
            user_id: by.id,
            username: &by.username,
        },
    )?;
    check_links(conn, department_id, &v).map_err(|e| e.to_string())?;
    Ok(Ledger::insert(conn, department_id, &v, moment(e.day))?
        .entry
        .id)
}

fn confirm(
    conn: &mut DbConnection,
    department_id: i64,
    entry: i64,
    by: &User,
    day: NaiveDate,
) -> Result<(), Error> {
    q::confirm(conn, department_id, entry, by.id, &by.username, moment(day))?;
    Ok(())
}

/// `current`: 马格达村, 亚卡亚村, 下地村, 琼果村 with their slugs; `earlier`: the earlier stations
/// in order of their rounds (2012 on), each with its one project.
pub fn load(
    conn: &mut DbConnection,
    fin: i64,
    current: &[(i64, &str)],
    earlier: &[i64],
    jt: i64,
    deji: i64,
) -> Result<(), Error> {
    let [(magada, _), (yakaya, _), (xiadi, _), (qiongguo, _)] = current else {
        return Err("four current villages expected".into());
    };
    let (magada, yakaya, xiadi, qiongguo) = (*magada, *yakaya, *xiadi, *qiongguo);
    let office = user(conn, "office_staff")?;
    let team = |conn: &mut DbConnection, slug: &str| user(conn, &format!("team_{slug}"));
    let committee = |conn: &mut DbConnection, slug: &str| user(conn, &format!("committee_{slug}"));
    let (t_magada, t_yakaya, t_xiadi, t_qiongguo) = (
        team(conn, "magada")?,
        team(conn, "yakaya")?,
        team(conn, "xiadi")?,
        team(conn, "qiongguo")?,
    );
    let (c_magada, c_yakaya, c_xiadi, c_qiongguo) = (
        committee(conn, "magada")?,
        committee(conn, "yakaya")?,
        committee(conn, "xiadi")?,
        committee(conn, "qiongguo")?,
    );

    // Donors.
    let red_cross = donor(conn, fin, "西藏自治区红十字会", "ngo")?;
    let zhenjiang = donor(conn, fin, "镇江市民政局", "government")?;
    let trust = donor(conn, fin, "西藏信托有限公司", "enterprise")?;
    let equity = donor(conn, fin, "西藏股权投资有限公司", "enterprise")?;
    let cib = donor(conn, fin, "兴业银行拉萨分行", "enterprise")?;
    let hotline = donor(conn, fin, "12349便民服务中心", "ngo")?;
    let women = donor(conn, fin, "西藏自治区妇女联合会", "government")?;
    let agri = donor(conn, fin, "西藏自治区农业农村厅", "government")?;
    let benefactors = donor(conn, fin, "拉萨爱心企业联合会", "ngo")?;

    // Row 4: the breeding cooperative's 300,000 yuan, spent mostly on livestock.
    let breeding = project(conn, fin, "亚卡亚村养殖专业合作社养殖项目")?;
    let e = record(
        conn,
        fin,
        &office,
        Entry::new(
            yakaya,
            date(2019, 4, 18),
            "allocation",
            "department",
            300_000,
        )
        .project(breeding)
        .evidence("财厅驻村〔2019〕12号"),
    )?;
    confirm(conn, fin, e, &c_yakaya, date(2019, 4, 26))?;
    let e = record(
        conn,
        fin,
        &t_yakaya,
        Entry::new(
            yakaya,
            date(2019, 5, 20),
            "expenditure",
            "department",
            268_000,
        )
        .project(breeding)
        .evidence("购买牦牛 67 头，收据 2019-031"),
    )?;
    confirm(conn, fin, e, &c_yakaya, date(2019, 5, 28))?;

    // Row 5: 15 t of grass seed in kind, for the grass-planting cooperative's project.
    let grass = project(conn, fin, "亚卡亚村人工种草合作社草种扶持")?;
    let e = record(
        conn,
        fin,
        &t_yakaya,
        Entry::new(
            yakaya,
            date(2019, 5, 6),
            "in_kind_donation",
            "donor",
            150_000,
        )
        .project(grass)
        .donor(agri)
        .goods("燕麦草种", "15", "吨")
        .evidence("人工种草合作社产业扶持"),
    )?;
    confirm(conn, fin, e, &c_yakaya, date(2019, 5, 9))?;

    // Row 6: the irrigation works' 950,000 yuan.
    let irrigation = project(conn, fin, "亚卡亚村灌溉防渗水工程项目")?;
    for (day, yuan, note) in [
        (date(2019, 6, 3), 600_000, "藏财农〔2019〕45号"),
        (date(2019, 9, 16), 350_000, "藏财农〔2019〕87号"),
    ] {
        let e = record(
            conn,
            fin,
            &office,
            Entry::new(yakaya, day, "allocation", "finance", yuan)
                .project(irrigation)
                .evidence(note),
        )?;
        confirm(conn, fin, e, &c_yakaya, day + chrono::Days::new(7))?;
    }
    record(
        conn,
        fin,
        &t_yakaya,
        Entry::new(
            yakaya,
            date(2019, 10, 30),
            "expenditure",
            "finance",
            912_500,
        )
        .project(irrigation)
        .evidence("工程结算单 2019-009"),
    )?;

    // Row 7: the restaurant's start-up donation.
    let restaurant = project(conn, fin, "琼果村集体藏餐馆")?;
    let e = record(
        conn,
        fin,
        &t_qiongguo,
        Entry::new(
            qiongguo,
            date(2019, 7, 12),
            "cash_donation",
            "donor",
            20_000,
        )
        .project(restaurant)
        .donor(benefactors)
        .evidence("捐赠协议 2019-05"),
    )?;
    confirm(conn, fin, e, &c_qiongguo, date(2019, 7, 15))?;

    // Row 8: 区妇联's women's activity funds.
    for (village, c) in [(xiadi, &c_xiadi), (qiongguo, &c_qiongguo)] {
        let e = record(
            conn,
            fin,
            &office,
            Entry::new(village, date(2019, 3, 8), "allocation", "donor", 5_000)
                .donor(women)
                .evidence("妇女活动经费"),
        )?;
        confirm(conn, fin, e, c, date(2019, 3, 20))?;
    }

    // Rows 9 and 17: the 2019 infrastructure, funded at its budgets.
    for (village, c, title, note) in [
        (
            magada,
            &c_magada,
            "马格达村新村委会基础设施建设",
            "财厅驻村〔2019〕21号",
        ),
        (
            magada,
            &c_magada,
            "马格达村道路桥梁维修",
            "财厅驻村〔2019〕22号",
        ),
        (
            xiadi,
            &c_xiadi,
            "下地村水井、机井建设维修",
            "财厅驻村〔2019〕23号",
        ),
        (
            qiongguo,
            &c_qiongguo,
            "琼果村太阳能路灯安装",
            "财厅驻村〔2019〕24号",
        ),
    ] {
        let id = project(conn, fin, title)?;
        let budget: i64 = projects::table
            .find(id)
            .select(projects::budget_fen)
            .first(conn)?;
        let e = record(
            conn,
            fin,
            &office,
            Entry::new(
                village,
                date(2019, 5, 10),
                "allocation",
                "finance",
                budget / 100,
            )
            .project(id)
            .evidence(note),
        )?;
        confirm(conn, fin, e, c, date(2019, 5, 17))?;
    }

    // Row 11: relief goods from six donors (1,046,800 yuan), one entered wrong and reversed.
    let relief: [Relief<'_>; 9] = [
        (
            red_cross,
            magada,
            &t_magada,
            &c_magada,
            0,
            "大米",
            "500",
            "袋",
            98_000,
            date(2019, 1, 28),
        ),
        (
            red_cross,
            yakaya,
            &t_yakaya,
            &c_yakaya,
            0,
            "棉被",
            "800",
            "床",
            152_000,
            date(2019, 1, 29),
        ),
        (
            zhenjiang,
            xiadi,
            &t_xiadi,
            &c_xiadi,
            0,
            "衣物",
            "1200",
            "套",
            186_000,
            date(2019, 2, 1),
        ),
        (
            trust,
            qiongguo,
            &t_qiongguo,
            &c_qiongguo,
            0,
            "面粉",
            "600",
            "袋",
            87_600,
            date(2019, 2, 2),
        ),
        (
            equity,
            magada,
            &t_magada,
            &c_magada,
            0,
            "清油",
            "900",
            "桶",
            121_500,
            date(2019, 9, 25),
        ),
        (
            cib,
            yakaya,
            &t_yakaya,
            &c_yakaya,
            0,
            "奶粉",
            "1000",
            "罐",
            168_000,
            date(2019, 9, 26),
        ),
        (
            cib,
            xiadi,
            &t_xiadi,
            &c_xiadi,
            0,
            "鞋子",
            "700",
            "双",
            84_000,
            date(2019, 12, 20),
        ),
        (
            hotline,
            qiongguo,
            &t_qiongguo,
            &c_qiongguo,
            0,
            "棉衣",
            "450",
            "件",
            90_000,
            date(2019, 12, 22),
        ),
        (
            zhenjiang,
            magada,
            &t_magada,
            &c_magada,
            1,
            "酥油",
            "1100",
            "斤",
            59_700,
            date(2019, 12, 23),
        ),
    ];
    for (donor_id, village, by, c, wrong, item, qty, unit, yuan, day) in relief {
        let goods = |yuan: i64| {
            Entry::new(village, day, "in_kind_donation", "donor", yuan)
                .donor(donor_id)
                .goods(item, qty, unit)
                .evidence("慰问品清单")
        };
        if wrong == 1 {
            // Typed as 597,000 instead of 59,700; reversed and entered again.
            let bad = record(conn, fin, by, goods(yuan * 10))?;
            let original = q::get(conn, bad)?;
            let reversal = zhucun_persistence::ledger::EntryValues {
                amount_fen: -original.entry.values.amount_fen,
                reverses_id: Some(bad),
                reversal_reason: Some("金额多录一位，应为 59,700 元".to_owned()),
                ..original.entry.values
            };
            Ledger::insert(conn, fin, &reversal, moment(day + chrono::Days::new(2)))?;
        }
        let e = record(conn, fin, by, goods(yuan))?;
        if day.month() < 12 {
            confirm(conn, fin, e, c, day + chrono::Days::new(3))?;
        }
    }

    // This year's money: allocations to the projects under way, some spending, donations; the
    // most recent still waiting for the committee.
    let this_year = zhucun_domain::calendar::today_local().year();
    let clinic = project(conn, fin, "亚卡亚村卫生室设备更新")?;
    let e = record(
        conn,
        fin,
        &office,
        Entry::new(
            yakaya,
            date(this_year, 4, 8),
            "allocation",
            "finance",
            90_000,
        )
        .project(clinic)
        .evidence("财厅驻村〔当年〕06号"),
    )?;
    confirm(conn, fin, e, &c_yakaya, date(this_year, 4, 15))?;
    record(
        conn,
        fin,
        &t_yakaya,
        Entry::new(
            yakaya,
            date(this_year, 6, 2),
            "expenditure",
            "finance",
            41_800,
        )
        .project(clinic)
        .evidence("诊疗设备采购发票 0006"),
    )?;
    let hall = project(conn, fin, "下地村文化活动室")?;
    record(
        conn,
        fin,
        &office,
        Entry::new(
            xiadi,
            date(this_year, 5, 12),
            "allocation",
            "finance",
            150_000,
        )
        .project(hall)
        .evidence("财厅驻村〔当年〕09号"),
    )?;
    let school = project(conn, fin, "马格达村双语幼儿园改造")?;
    record(
        conn,
        fin,
        &office,
        Entry::new(
            magada,
            date(this_year, 7, 1),
            "allocation",
            "department",
            120_000,
        )
        .project(school)
        .evidence("财厅驻村〔当年〕14号"),
    )?;
    record(
        conn,
        fin,
        &t_qiongguo,
        Entry::new(
            qiongguo,
            date(this_year, 9, 18),
            "in_kind_donation",
            "donor",
            36_000,
        )
        .donor(red_cross)
        .goods("棉被", "180", "床")
        .evidence("冬季慰问品"),
    )?;

    // Earlier years: each earlier station's project funded at its budget in its year.
    for &village in earlier {
        let rows: Vec<(i64, i64, i32)> = projects::table
            .filter(projects::village_id.eq(village))
            .select((projects::id, projects::budget_fen, projects::year))
            .load(conn)?;
        for (id, budget, year) in rows {
            record(
                conn,
                fin,
                &office,
                Entry::new(
                    village,
                    date(year, 5, 15),
                    "allocation",
                    "finance",
                    budget / 100,
                )
                .project(id)
                .evidence("财厅驻村专项"),
            )?;
        }
    }

    // The second department: a donor and a road-maintenance allocation of its own, waiting.
    donor(conn, jt, "西藏交通建设爱心基金", "ngo")?;
    let jt_admin = user(conn, "jt_admin")?;
    record(
        conn,
        jt,
        &jt_admin,
        Entry::new(
            deji,
            date(this_year, 8, 3),
            "allocation",
            "department",
            80_000,
        )
        .evidence("交通厅驻村经费"),
    )?;
    Ok(())
}
