//! The demo's 四议两公开 and 村务公开 of 2019.
//!
//! Decisions at every step, recorded by each village's committee as `POST /decisions/{id}/steps`
//! records them: 马格达村's meeting room completed (all six steps), 亚卡亚村's livestock
//! purchase with its resolution disclosed, 琼果村's restaurant lease resolved but not yet
//! disclosed, 下地村's street lights past the party members' review, 马格达村's road upkeep
//! discussed, 亚卡亚村's pasture rotation proposed, 琼果村's village rules just put on record —
//! and 下地村's off-road vehicle rejected at the party members' review (a tie). 德吉村 of the
//! second department has one proposal.
//!
//! Disclosures: for each current village, the general matters of every quarter and the finances
//! of every month with ledger entries (sums computed from the ledger), and every donation of
//! 2019 (FIGURES-2019 rows 5, 7, 11) disclosed within days of its entry. 琼果村 is the village
//! that is behind: its December finances and fourth-quarter general matters are not disclosed,
//! nor is its restaurant resolution — the calendar shows them overdue. No household names or
//! phones appear in any text.

use crate::routes::decisions::{values as decision_values, Fields as DecisionFields};
use crate::routes::disclosures::{values as disclosure_values, Fields as DisclosureFields};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use zhucun_domain::decision::{self as rules, Step, Vote};
use zhucun_domain::disclosure::{Category, Status};
use zhucun_persistence::decisions::{self as dq, Decisions, NewStep};
use zhucun_persistence::disclosures::{self as sq, DisclosureValues, Disclosures};
use zhucun_persistence::schema::{donors, ledger_entries, users};
use zhucun_persistence::{Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

/// A donation's day, value, donor name and kind, and item.
type Donation = (
    NaiveDate,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(3, 0, 0)
        .unwrap_or_default()
        .min(zhucun_persistence::now())
}

fn user_id(conn: &mut DbConnection, username: &str) -> Result<i64, Error> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(conn)?)
}

/// One step as the demo records it: the day, the vote (steps 3 and 4), the notes.
struct S<'a> {
    on: NaiveDate,
    vote: Option<(i64, i64, i64, i64)>,
    notes: &'a str,
}

fn s(on: NaiveDate, notes: &str) -> S<'_> {
    S {
        on,
        vote: None,
        notes,
    }
}

fn v(on: NaiveDate, vote: (i64, i64, i64, i64), notes: &str) -> S<'_> {
    S {
        on,
        vote: Some(vote),
        notes,
    }
}

/// A decision with its steps, recorded as the API records them.
#[allow(clippy::too_many_arguments)]
fn decision(
    conn: &mut DbConnection,
    department_id: i64,
    village: i64,
    recorder: i64,
    title: &str,
    description: &str,
    amount_fen: Option<i64>,
    raised_on: NaiveDate,
    steps: &[S<'_>],
) -> Result<i64, Error> {
    let values = decision_values(DecisionFields {
        village_id: village,
        project_id: None,
        title,
        description,
        estimated_amount_fen: amount_fen,
        raised_on,
    })?;
    let row = Decisions::insert(conn, department_id, &values, at(raised_on))?;
    let id = row.decision.id;
    let mut version = row.decision.version;
    let mut status = rules::Status::InProgress;
    let mut last = None;
    for (i, st) in steps.iter().enumerate() {
        let step = Step::from_number(i32::try_from(i + 1)?).ok_or("seven steps")?;
        rules::check_step(status, last, step).map_err(|e| format!("{title}: {e:?}"))?;
        let vote = st.vote.map(|(entitled, present, in_favour, against)| Vote {
            entitled,
            present,
            in_favour,
            against,
        });
        let outcome = vote.and_then(|v| rules::outcome(step, &v, 50));
        let now = at(st.on);
        let disclosure_id = if step.discloses() {
            let values = DisclosureValues {
                village_id: village,
                category: Category::Decision.code().to_owned(),
                title: format!("{}：{title}", step.label()),
                body: st.notes.to_owned(),
                period_from: st.on,
                period_to: st.on,
            };
            Some(sq::insert_published(
                conn,
                department_id,
                &values,
                id,
                step.number(),
                st.on,
                now,
            )?)
        } else {
            None
        };
        status = rules::status_after(step, outcome);
        let new = NewStep {
            department_id,
            decision_id: id,
            step: step.number(),
            held_on: st.on,
            entitled: vote.map(|v| v.entitled),
            present: vote.map(|v| v.present),
            in_favour: vote.map(|v| v.in_favour),
            against: vote.map(|v| v.against),
            quorate: outcome.map(|o| i32::from(o.quorate)),
            passed: outcome.map(|o| i32::from(o.passed())),
            notes: Some(st.notes.to_owned()),
            disclosure_id,
            recorded_by: recorder,
            created_at: now,
        };
        let after = dq::record_step(conn, version, &new, status, now)?.ok_or("demo decision")?;
        version = after.decision.version;
        last = Some(step);
    }
    Ok(id)
}

/// A disclosure drafted and published on `on`, as the API does it.
fn publish(
    conn: &mut DbConnection,
    department_id: i64,
    f: DisclosureFields<'_>,
    on: NaiveDate,
) -> Result<(), Error> {
    let values = disclosure_values(f)?;
    let row = Disclosures::insert(conn, department_id, &values, at(on))?;
    let now = at(on);
    sq::set_status(
        conn,
        row.disclosure.id,
        row.disclosure.version,
        &sq::Move {
            to: Status::Published,
            published_on: Some(on),
            published_at: Some(now),
            withdrawn_at: None,
            withdrawal_reason: None,
        },
        now,
    )?
    .ok_or("demo disclosure")?;
    Ok(())
}

fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.abs();
    let whole = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

fn last_of_month(y: i32, m: u32) -> NaiveDate {
    let next = if m == 12 {
        day(y + 1, 1, 1)
    } else {
        day(y, m + 1, 1)
    };
    next.pred_opt().unwrap_or(next)
}

/// The village's 2019 disclosures: quarterly general matters, monthly finances, every donation.
/// `behind`: leave December's finances and the fourth quarter undisclosed.
fn village_year(
    conn: &mut DbConnection,
    department_id: i64,
    village: i64,
    name: &str,
    behind: bool,
) -> Result<(), Error> {
    let year = 2019;
    let quarters = [
        "村两委换届后工作分工、低保评议结果及本季度驻村工作安排",
        "春耕备耕物资发放、草场补奖政策落实情况及村务监督委员会工作情况",
        "雨季防汛责任分工、集体经济项目进展及村规民约执行情况",
        "冬季取暖物资发放、年度集体收益分配方案及下一年度工作计划",
    ];
    for (q, text) in quarters.iter().enumerate() {
        if behind && q == 3 {
            continue;
        }
        let q = u32::try_from(q)?;
        let from = day(year, 3 * q + 1, 1);
        let to = last_of_month(year, 3 * q + 3);
        let on = to.checked_add_days(Days::new(5)).unwrap_or(to);
        publish(
            conn,
            department_id,
            DisclosureFields {
                village_id: village,
                category: "general",
                title: &format!("{name}{year}年第{}季度村务公开", q + 1),
                body: &format!("本季度公开事项：{text}。如有疑问，请向村务监督委员会反映。"),
                period_from: from,
                period_to: to,
            },
            on,
        )?;
    }
    let entries: Vec<(i64, NaiveDate, String, i64, Option<i64>)> = ledger_entries::table
        .filter(ledger_entries::village_id.eq(village))
        .filter(ledger_entries::entry_date.ge(day(year, 1, 1)))
        .filter(ledger_entries::entry_date.le(day(year, 12, 31)))
        .order((ledger_entries::entry_date, ledger_entries::id))
        .select((
            ledger_entries::id,
            ledger_entries::entry_date,
            ledger_entries::kind,
            ledger_entries::amount_fen,
            ledger_entries::reverses_id,
        ))
        .load(conn)?;
    for month in 1..=12u32 {
        if behind && month == 12 {
            continue;
        }
        let of_month: Vec<_> = entries.iter().filter(|e| e.1.month() == month).collect();
        if of_month.is_empty() {
            continue;
        }
        let income: i64 = of_month
            .iter()
            .filter(|e| e.2 != "expenditure")
            .map(|e| e.3)
            .sum();
        let spent: i64 = of_month
            .iter()
            .filter(|e| e.2 == "expenditure")
            .map(|e| e.3)
            .sum();
        let to = last_of_month(year, month);
        let on = to.checked_add_days(Days::new(5)).unwrap_or(to);
        publish(
            conn,
            department_id,
            DisclosureFields {
                village_id: village,
                category: "finance",
                title: &format!("{name}{year}年{month}月财务收支公开"),
                body: &format!(
                    "本月到村资金及物资（含实物折价）合计 {} 元，本月支出 {} 元，共 {} 笔。\
                     明细账目在村务公开栏张贴，群众可到村委会查阅原始凭证。",
                    yuan(income),
                    yuan(spent),
                    of_month.len()
                ),
                period_from: day(year, month, 1),
                period_to: to,
            },
            on,
        )?;
    }
    // Every donation within days of its entry (organisations by name, individuals not).
    let donations: Vec<Donation> = ledger_entries::table
        .left_join(donors::table.on(donors::id.nullable().eq(ledger_entries::donor_id)))
        .filter(ledger_entries::village_id.eq(village))
        .filter(ledger_entries::entry_date.ge(day(year, 1, 1)))
        .filter(ledger_entries::entry_date.le(day(year, 12, 31)))
        .filter(ledger_entries::kind.eq_any(["cash_donation", "in_kind_donation"]))
        .filter(ledger_entries::reverses_id.is_null())
        .order((ledger_entries::entry_date, ledger_entries::id))
        .select((
            ledger_entries::entry_date,
            ledger_entries::amount_fen,
            donors::name.nullable(),
            donors::kind.nullable(),
            ledger_entries::item,
        ))
        .load(conn)?;
    for (on, fen, donor, kind, item) in donations {
        if behind && on.month() == 12 {
            continue;
        }
        let donor = match (donor, kind.as_deref()) {
            (Some(d), Some(k)) if k != "individual" => d,
            _ => "爱心人士".to_owned(),
        };
        let what = item.map_or_else(|| "现金".to_owned(), |i| format!("物资（{i}）"));
        let published_on = on.checked_add_days(Days::new(7)).unwrap_or(on);
        publish(
            conn,
            department_id,
            DisclosureFields {
                village_id: village,
                category: "finance",
                title: &format!("社会捐赠公示：{donor}"),
                body: &format!(
                    "{on} 收到{donor}捐赠{what}，价值 {} 元，已登记入村级资金台账，\
                     按捐赠用途统一发放使用。",
                    yuan(fen)
                ),
                period_from: on,
                period_to: on,
            },
            published_on,
        )?;
    }
    Ok(())
}

/// `current`: 马格达村, 亚卡亚村, 下地村, 琼果村 with their slugs (the committee users are
/// `committee_<slug>`).
pub fn load(
    conn: &mut DbConnection,
    fin: i64,
    current: &[(i64, &str)],
    jt: i64,
    deji: i64,
) -> Result<(), Error> {
    let [(magada, m_slug), (yakaya, y_slug), (xiadi, x_slug), (qiongguo, q_slug)] = current else {
        return Err("four current villages expected".into());
    };
    let (magada, yakaya, xiadi, qiongguo) = (*magada, *yakaya, *xiadi, *qiongguo);
    let c_magada = user_id(conn, &format!("committee_{m_slug}"))?;
    let c_yakaya = user_id(conn, &format!("committee_{y_slug}"))?;
    let c_xiadi = user_id(conn, &format!("committee_{x_slug}"))?;
    let c_qiongguo = user_id(conn, &format!("committee_{q_slug}"))?;

    decision(
        conn,
        fin,
        magada,
        c_magada,
        "新村委会会议室及院内绿化建设",
        "新建村委会会议室一间，配套厕所、水电，院内绿化约 600 平方米，由驻村工作队协调资金，村委会组织实施。",
        Some(38_000_000),
        day(2019, 3, 18),
        &[
            s(day(2019, 3, 20), "党支部提议建设新村委会会议室及配套设施"),
            s(day(2019, 3, 25), "村两委联席会议商议，同意提交党员大会审议"),
            v(day(2019, 4, 2), (42, 35, 33, 1), "党员大会审议通过"),
            v(day(2019, 4, 9), (56, 47, 45, 2), "村民代表会议表决通过"),
            s(day(2019, 4, 12), "村民代表会议决议：新建村委会会议室及院内绿化，预算 38 万元，由村委会组织实施，村务监督委员会全程监督。"),
            s(day(2019, 10, 28), "会议室及院内绿化已完工并通过验收，实际支出 37.6 万元，明细已在财务公开中列明。"),
        ],
    )?;
    decision(
        conn,
        fin,
        yakaya,
        c_yakaya,
        "养殖专业合作社购买牲畜",
        "使用 30 万元发展资金为养殖专业合作社购买牦牛、绵羊，按入社户出资比例分红。",
        Some(30_000_000),
        day(2019, 4, 1),
        &[
            s(day(2019, 4, 3), "党支部提议合作社购买牲畜扩大养殖规模"),
            s(day(2019, 4, 8), "两委商议同意，明确由合作社理事会负责采购"),
            v(day(2019, 4, 15), (38, 30, 27, 2), "党员大会审议通过"),
            v(day(2019, 4, 22), (64, 51, 46, 3), "村民代表会议表决通过"),
            s(
                day(2019, 4, 26),
                "村民代表会议决议：合作社使用 30 万元发展资金购买牲畜，采购结果另行公开。",
            ),
        ],
    )?;
    decision(
        conn,
        fin,
        qiongguo,
        c_qiongguo,
        "藏餐馆租用村集体闲置房屋",
        "村集体经营的藏餐馆租用村集体闲置房屋两间，租金计入村集体收入。",
        Some(2_000_000),
        day(2019, 11, 4),
        &[
            s(day(2019, 11, 5), "党支部提议将闲置房屋租给村集体藏餐馆"),
            s(day(2019, 11, 12), "两委商议同意，租金按年收取"),
            v(day(2019, 11, 20), (27, 21, 19, 0), "党员大会审议通过"),
            v(day(2019, 12, 2), (48, 30, 26, 2), "村民代表会议表决通过"),
        ],
    )?;
    decision(
        conn,
        fin,
        xiadi,
        c_xiadi,
        "太阳能路灯安装位置",
        "确定新装 40 盏太阳能路灯的安装位置，优先主干道和学校周边。",
        Some(32_000_000),
        day(2019, 5, 6),
        &[
            s(day(2019, 5, 7), "党支部提议路灯优先安装在主干道和学校周边"),
            s(day(2019, 5, 13), "两委商议同意，增加村卫生室门前两盏"),
            v(
                day(2019, 5, 21),
                (31, 24, 22, 1),
                "党员大会审议通过，待村民代表会议表决",
            ),
        ],
    )?;
    decision(
        conn,
        fin,
        magada,
        c_magada,
        "通村道路养护分工",
        "通村道路冬季除雪和日常养护按片区分工到组。",
        None,
        day(2019, 11, 11),
        &[
            s(day(2019, 11, 12), "党支部提议道路养护按片区分工"),
            s(day(2019, 11, 19), "两委商议，待征求各组意见后提交党员大会"),
        ],
    )?;
    decision(
        conn,
        fin,
        yakaya,
        c_yakaya,
        "夏季牧场轮牧方案",
        "夏季牧场分三片轮牧，减轻草场压力。",
        None,
        day(2019, 12, 9),
        &[s(day(2019, 12, 10), "党支部提议制定夏季牧场轮牧方案")],
    )?;
    decision(
        conn,
        fin,
        qiongguo,
        c_qiongguo,
        "修订村规民约",
        "根据新的政策要求修订村规民约，增加移风易俗和环境卫生条款。",
        None,
        day(2019, 12, 16),
        &[],
    )?;
    // Rejected at the party members' review: quorate (20 of 30) but a tie is not a majority.
    decision(
        conn,
        fin,
        xiadi,
        c_xiadi,
        "村集体出资购买越野车",
        "提议由村集体出资购买越野车一辆用于村务。",
        Some(25_000_000),
        day(2019, 6, 3),
        &[
            s(day(2019, 6, 4), "党支部提议购买村务用车"),
            s(day(2019, 6, 10), "两委商议，意见分歧较大，提交党员大会审议"),
            v(
                day(2019, 6, 18),
                (30, 20, 10, 10),
                "赞成与反对票数相同，未过半数，事项终止",
            ),
        ],
    )?;
    // The second department's village.
    let c_deji = users::table
        .filter(users::department_id.eq(jt))
        .order(users::id)
        .select(users::id)
        .first::<i64>(conn)?;
    decision(
        conn,
        jt,
        deji,
        c_deji,
        "村口便桥维修",
        "村口便桥桥面破损，提议维修。",
        Some(8_000_000),
        day(2025, 5, 6),
        &[s(day(2025, 5, 7), "党支部提议维修村口便桥")],
    )?;

    // Drafts not yet published (never on the public board).
    for (department, village, name) in [
        (fin, magada, "马格达村"),
        (fin, yakaya, "亚卡亚村"),
        (jt, deji, "德吉村"),
    ] {
        let values = disclosure_values(DisclosureFields {
            village_id: village,
            category: "general",
            title: &format!("{name}村务公开草稿"),
            body: "草稿：本季度公开事项待村两委会议确定后公开。",
            period_from: day(2020, 1, 1),
            period_to: day(2020, 3, 31),
        })?;
        Disclosures::insert(conn, department, &values, at(day(2020, 3, 25)))?;
    }
    village_year(conn, fin, magada, "马格达村", false)?;
    village_year(conn, fin, yakaya, "亚卡亚村", false)?;
    village_year(conn, fin, xiadi, "下地村", false)?;
    village_year(conn, fin, qiongguo, "琼果村", true)?;
    Ok(())
}
