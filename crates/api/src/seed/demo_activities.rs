//! The demo's 活动 (FIGURES-2019 rows 3, 10, 12–16), recorded as ordinary activities of the
//! villages where the article places them:
//!
//! - the 下地村 free clinic with 自治区第三人民医院: 146 people seen, 12,800 yuan of medicine,
//!   650 beneficiaries (row 10);
//! - 马格达村's 旺果节 briefing to 17 university students and 8 about to enter (25, row 12);
//! - welding, driving and cooking trainings (row 13);
//! - the study visits of 下地村 and 琼果村 to the 山南 relocation site and 拉萨's meat processing
//!   point, and of 亚卡亚村 to 改则县物玛乡抢古村 (row 14);
//! - the National Day performance 我为祖国母亲献首歌 in 下地村 (row 15);
//! - 下地村's youth league branch and trade union (row 16) and two new party members (row 3);
//! - a few other kinds in 2019, lighter activity in later years, and one activity of the second
//!   department.
//!
//! Every row goes through `routes::activities::values` and `check_links`, as an API write does.

use crate::routes::activities::{check_links, values, Fields};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use zhucun_persistence::activities::Activities;
use zhucun_persistence::schema::{households, teams};
use zhucun_persistence::{Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap_or_default()
        .min(zhucun_domain::calendar::today_local())
}

/// When an activity of `day` was typed in: that evening (Lhasa), never later than now.
fn moment(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(12, 0, 0)
        .unwrap_or_default()
        .min(zhucun_persistence::now())
}

/// The first `n` households of a village (by id).
fn households_of(conn: &mut DbConnection, village: i64, n: i64) -> Result<Vec<i64>, Error> {
    Ok(households::table
        .filter(households::village_id.eq(village))
        .order_by(households::id)
        .select(households::id)
        .limit(n)
        .load(conn)?)
}

/// The team of a village whose name is `name`.
fn team(conn: &mut DbConnection, village: i64, name: &str) -> Result<Option<i64>, Error> {
    Ok(teams::table
        .filter(teams::village_id.eq(village))
        .filter(teams::name.eq(name))
        .select(teams::id)
        .first(conn)
        .optional()?)
}

/// One activity as the demo writes it.
struct A<'a> {
    village: i64,
    team: Option<i64>,
    day: NaiveDate,
    kind: &'a str,
    title: &'a str,
    organiser: &'a str,
    participants: i64,
    beneficiaries: i64,
    yuan: i64,
    notes: Option<&'a str>,
    households: Vec<i64>,
    skill: Option<&'a str>,
    people_seen: Option<i64>,
    partner: Option<&'a str>,
    destination: Option<&'a str>,
    party_members: Option<i64>,
    organisation: Option<&'a str>,
}

impl<'a> A<'a> {
    fn new(
        village: i64,
        team: Option<i64>,
        day: NaiveDate,
        kind: &'a str,
        title: &'a str,
        organiser: &'a str,
        people: i64,
    ) -> Self {
        Self {
            village,
            team,
            day,
            kind,
            title,
            organiser,
            participants: people,
            beneficiaries: people,
            yuan: 0,
            notes: None,
            households: Vec::new(),
            skill: None,
            people_seen: None,
            partner: None,
            destination: None,
            party_members: None,
            organisation: None,
        }
    }
}

fn record(conn: &mut DbConnection, department_id: i64, a: A<'_>) -> Result<i64, Error> {
    let v = values(Fields {
        village_id: a.village,
        date: a.day,
        kind: a.kind,
        title: a.title,
        organiser: a.organiser,
        team_id: a.team,
        participants: a.participants,
        beneficiaries: a.beneficiaries,
        value_fen: a.yuan * 100,
        notes: a.notes,
        project_id: None,
        household_ids: &a.households,
        skill: a.skill,
        people_seen: a.people_seen,
        partner_institution: a.partner,
        destination: a.destination,
        party_members_developed: a.party_members,
        organisation_formed: a.organisation,
    })?;
    check_links(conn, department_id, &v).map_err(|e| e.to_string())?;
    Ok(Activities::insert(conn, department_id, &v, moment(a.day))?
        .activity
        .id)
}

/// `current`: 马格达村, 亚卡亚村, 下地村, 琼果村 with their slugs.
pub fn load(
    conn: &mut DbConnection,
    fin: i64,
    current: &[(i64, &str)],
    jt: i64,
    deji: i64,
) -> Result<(), Error> {
    let [(magada, _), (yakaya, _), (xiadi, _), (qiongguo, _)] = current else {
        return Err("four current villages expected".into());
    };
    let (magada, yakaya, xiadi, qiongguo) = (*magada, *yakaya, *xiadi, *qiongguo);
    let t_magada = team(conn, magada, "驻马格达村工作队（2019）")?;
    let t_yakaya = team(conn, yakaya, "驻亚卡亚村工作队（2019）")?;
    let t_xiadi = team(conn, xiadi, "驻下地村工作队（2019）")?;
    let t_qiongguo = team(conn, qiongguo, "驻琼果村工作队（2019）")?;

    // Row 10: the clinic, with some of the households it served.
    let mut clinic = A::new(
        xiadi,
        t_xiadi,
        date(2019, 7, 16),
        "free_clinic",
        "自治区第三人民医院专家义诊",
        "驻下地村工作队、自治区第三人民医院",
        146,
    );
    clinic.beneficiaries = 650;
    clinic.yuan = 12_800;
    clinic.people_seen = Some(146);
    clinic.partner = Some("自治区第三人民医院");
    clinic.notes = Some("现场看诊146人，送出药品价值1万余元，受益群众600余人。");
    clinic.households = households_of(conn, xiadi, 6)?;
    record(conn, fin, clinic)?;

    // Row 12: 旺果节 briefing to 17 + 8 students.
    let mut briefing = A::new(
        magada,
        t_magada,
        date(2019, 8, 12),
        "policy_briefing",
        "旺果节大学生就业政策宣讲",
        "驻马格达村工作队",
        25,
    );
    briefing.notes =
        Some("向本村17名在校大学生和8名即将踏入大学校门的学生集中讲解就业形势和就业政策。");
    record(conn, fin, briefing)?;

    // Row 13: welding, driving, cooking.
    for (village, team, day, title, skill, people) in [
        (
            yakaya,
            t_yakaya,
            date(2019, 5, 20),
            "电焊技能培训",
            "电焊",
            20,
        ),
        (
            xiadi,
            t_xiadi,
            date(2019, 6, 10),
            "驾驶技能培训",
            "驾驶",
            15,
        ),
        (
            qiongguo,
            t_qiongguo,
            date(2019, 9, 5),
            "藏餐厨师技能培训",
            "厨师",
            12,
        ),
    ] {
        let mut a = A::new(
            village,
            team,
            day,
            "skills_training",
            title,
            "驻村工作队",
            people,
        );
        a.skill = Some(skill);
        record(conn, fin, a)?;
    }

    // Row 14: study visits.
    for (village, team, day, title, destination, people) in [
        (
            xiadi,
            t_xiadi,
            date(2019, 10, 15),
            "赴山南、拉萨参观考察",
            "山南市易地扶贫搬迁安置点、拉萨市牛羊肉销售加工点",
            18,
        ),
        (
            qiongguo,
            t_qiongguo,
            date(2019, 10, 15),
            "赴山南、拉萨参观考察",
            "山南市易地扶贫搬迁安置点、拉萨市牛羊肉销售加工点",
            16,
        ),
        (
            yakaya,
            t_yakaya,
            date(2019, 11, 8),
            "赴改则县物玛乡抢古村学习合作社发展经验",
            "阿里地区改则县物玛乡抢古村",
            10,
        ),
    ] {
        let mut a = A::new(
            village,
            team,
            day,
            "study_visit",
            title,
            "驻村工作队",
            people,
        );
        a.destination = Some(destination);
        record(conn, fin, a)?;
    }

    // Row 15: the National Day performance.
    let mut show = A::new(
        xiadi,
        t_xiadi,
        date(2019, 10, 1),
        "cultural_event",
        "“我为祖国母亲献首歌”文艺汇演",
        "驻下地村工作队、下地村村委会",
        120,
    );
    show.beneficiaries = 600;
    record(conn, fin, show)?;

    // Row 16: the youth league branch and the trade union; row 3: two new party members.
    for (title, organisation, day) in [
        (
            "协助组建下地村团支部",
            "youth_league_branch",
            date(2019, 5, 4),
        ),
        ("协助组建下地村村级工会", "trade_union", date(2019, 6, 18)),
    ] {
        let mut a = A::new(
            xiadi,
            t_xiadi,
            day,
            "party_building",
            title,
            "驻下地村工作队",
            30,
        );
        a.organisation = Some(organisation);
        record(conn, fin, a)?;
    }
    for (village, team, title) in [
        (magada, t_magada, "发展马格达村新党员"),
        (yakaya, t_yakaya, "发展亚卡亚村新党员"),
    ] {
        let mut a = A::new(
            village,
            team,
            date(2019, 7, 1),
            "party_building",
            title,
            "驻村工作队、村党支部",
            1,
        );
        a.party_members = Some(1);
        a.notes = Some("协助村党支部发展新党员1名。");
        record(conn, fin, a)?;
    }

    // Other kinds of 2019.
    let mut relief = A::new(
        qiongguo,
        t_qiongguo,
        date(2019, 2, 2),
        "relief_visit",
        "藏历新年走访慰问困难群众",
        "驻琼果村工作队",
        40,
    );
    relief.yuan = 16_000;
    relief.households = households_of(conn, qiongguo, 4)?;
    record(conn, fin, relief)?;
    record(
        conn,
        fin,
        A::new(
            magada,
            t_magada,
            date(2019, 4, 22),
            "environment",
            "村容村貌环境整治",
            "驻马格达村工作队",
            60,
        ),
    )?;
    record(
        conn,
        fin,
        A::new(
            yakaya,
            t_yakaya,
            date(2019, 3, 15),
            "meeting",
            "合作社社员大会",
            "驻亚卡亚村工作队、亚卡亚村养殖专业合作社",
            45,
        ),
    )?;

    // Later years, lighter: a briefing, a training and a clean-up a year; a new party member
    // every other year.
    let this_year = zhucun_domain::calendar::today_local().year();
    let villages = [magada, yakaya, xiadi, qiongguo];
    let skills = ["缝纫", "唐卡绘画", "电焊", "驾驶", "厨师", "农机维修"];
    for (k, year) in (2020..=this_year).enumerate() {
        let v = villages[k % villages.len()];
        let w = villages[(k + 1) % villages.len()];
        record(
            conn,
            fin,
            A::new(
                v,
                None,
                date(year, 3, 20),
                "policy_briefing",
                "惠民政策宣讲",
                "驻村工作队",
                40 + 5 * i64::try_from(k).unwrap_or(0),
            ),
        )?;
        let mut training = A::new(
            w,
            None,
            date(year, 5, 15),
            "skills_training",
            "农牧民技能培训",
            "驻村工作队",
            18,
        );
        training.skill = Some(skills[k % skills.len()]);
        record(conn, fin, training)?;
        record(
            conn,
            fin,
            A::new(
                v,
                None,
                date(year, 6, 5),
                "environment",
                "环境卫生整治",
                "驻村工作队",
                50,
            ),
        )?;
        if k % 2 == 0 {
            let mut party = A::new(
                w,
                None,
                date(year, 7, 1),
                "party_building",
                "协助村党支部发展新党员",
                "驻村工作队、村党支部",
                1,
            );
            party.party_members = Some(1);
            record(conn, fin, party)?;
        }
    }

    // The second department.
    record(
        conn,
        jt,
        A::new(
            deji,
            None,
            date(2024, 9, 10),
            "policy_briefing",
            "德吉村交通安全宣讲",
            "驻德吉村工作队",
            80,
        ),
    )?;
    Ok(())
}
