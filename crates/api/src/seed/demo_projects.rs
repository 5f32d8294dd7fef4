//! The demo's 驻村项目 (FIGURES-2019 rows 4, 6, 9, 17 — the projects; their money comes with the
//! ledger): 亚卡亚村's breeding-cooperative project (300,000 yuan, for livestock) and its irrigation
//! seepage-control works (950,000 yuan); the 2019 infrastructure of the current villages — wells
//! and 机井, solar street lights, roads and bridges, 马格达村's new village-committee compound —
//! with budgets adding up to 1,030,000 yuan; 琼果村's Tibetan restaurant, completed; this year's
//! projects at every stage; one project a year back to 2012 in the earlier villages; and one of
//! the second department. Every row goes through `routes::projects::values`, every stage move is
//! an event like one made through the API.
//!
//! The irrigation works are recorded as `industry` (farm and pasture irrigation), so the 2019
//! `infrastructure` budgets of the current villages are exactly the article's row 9. The village
//! collective's restaurant and the grass-seed support (row 5, goods in kind for the grass-planting
//! cooperative) are `industry` too: the `cooperative` category holds the breeding cooperative's
//! project alone, whose 300,000 yuan are the article's funds to cooperatives (row 4).

use crate::routes::projects::{values, Beneficiaries, Fields};
use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use zhucun_domain::project::Stage;
use zhucun_persistence::projects::{self as q, NewEvent, Projects};
use zhucun_persistence::schema::users;
use zhucun_persistence::{Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

/// One demo project: (title, category, year, budget in yuan, beneficiary households, people,
/// stage, description).
type Spec<'a> = (&'a str, &'a str, i32, i64, i64, i64, Stage, &'a str);

fn user_id(conn: &mut DbConnection, username: &str) -> Result<(i64, String), Error> {
    let id = users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(conn)?;
    Ok((id, username.to_owned()))
}

/// Inserts a project and walks it from `proposed` to its stage, one event per move: the team's
/// user for the moves into `mature` and `declared`, the department's for the later ones.
fn project(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
    team: &(i64, String),
    department: &(i64, String),
    spec: &Spec<'_>,
) -> Result<i64, Error> {
    let &(title, category, year, yuan, households, people, stage, description) = spec;
    let v = values(Fields {
        village_id,
        team_id: None,
        year,
        title,
        category,
        office_id: None,
        supporting_unit: None,
        budget_fen: yuan * 100,
        funding_source: Some(if category == "cooperative" {
            "厅机关自有资金"
        } else {
            "财政专项资金"
        }),
        beneficiaries: &Beneficiaries { households, people },
        description: Some(description),
        problems: None,
        measures: None,
    })?;
    let created = Projects::insert(conn, department_id, &v, moment(year, 0))?;
    let id = created.project.id;
    let mut path: Vec<Stage> = Vec::new();
    let mut s = Stage::Proposed;
    let goal = if stage == Stage::Cancelled {
        Stage::Mature
    } else {
        stage
    };
    while s != goal {
        let Some(next) = s.next() else { break };
        path.push(next);
        s = next;
    }
    if stage == Stage::Cancelled {
        path.push(Stage::Cancelled);
    }
    let mut from = Stage::Proposed;
    for (version, (k, to)) in (created.project.version..).zip(path.into_iter().enumerate()) {
        let who = if matches!(to, Stage::Mature | Stage::Declared) {
            team
        } else {
            department
        };
        let at = moment(year, k + 1);
        q::set_stage(conn, id, version, to.code(), at)?.ok_or("demo project changed")?;
        q::insert_event(
            conn,
            &NewEvent {
                department_id,
                project_id: id,
                from_stage: from.code().to_owned(),
                to_stage: to.code().to_owned(),
                comment: (to == Stage::Cancelled).then(|| "资金未落实，项目取消".to_owned()),
                actor_id: who.0,
                actor_username: who.1.clone(),
                at,
            },
        )?;
        from = to;
    }
    Ok(id)
}

/// A plausible moment of a project's `step`th move in its year (a month apart from March), never
/// later than now.
fn moment(year: i32, step: usize) -> NaiveDateTime {
    let month = u32::try_from(3 + step).unwrap_or(12).min(12);
    let t = chrono::NaiveDate::from_ymd_opt(year, month, 10)
        .and_then(|d| d.and_hms_opt(2, 0, 0))
        .unwrap_or_default();
    t.min(zhucun_persistence::now())
}

/// `current`: 马格达村, 亚卡亚村, 下地村, 琼果村 with their team users' slugs; `earlier`: the
/// earlier stations in order of their rounds (2012 on).
pub fn load(
    conn: &mut DbConnection,
    fin: i64,
    current: &[(i64, &str)],
    earlier: &[i64],
    jt: i64,
    deji: i64,
) -> Result<(), Error> {
    let department = user_id(conn, "office_staff")?;
    let this_year = zhucun_domain::calendar::today_local().year();
    use Stage::*;
    let by_village: [&[Spec<'_>]; 4] = [
        // 马格达村
        &[
            (
                "马格达村新村委会基础设施建设",
                "infrastructure",
                2019,
                320_000,
                0,
                0,
                Accepted,
                "新村委会厕所、水电及院内绿化和会议室等基础设施建设",
            ),
            (
                "马格达村道路桥梁维修",
                "infrastructure",
                2019,
                250_000,
                120,
                610,
                Accepted,
                "维修村内道路和两座便桥",
            ),
            (
                "马格达村饮水管网延伸工程",
                "infrastructure",
                this_year,
                180_000,
                40,
                200,
                Proposed,
                "将自来水管网延伸到新建居住点",
            ),
            (
                "马格达村人工种草基地",
                "industry",
                this_year,
                260_000,
                60,
                300,
                Mature,
                "建设人工种草基地，缓解冬春饲草不足",
            ),
            (
                "马格达村双语幼儿园改造",
                "education",
                this_year,
                400_000,
                0,
                80,
                Coordinating,
                "改造幼儿园教室和活动场地",
            ),
        ],
        // 亚卡亚村
        &[
            (
                "亚卡亚村养殖专业合作社养殖项目",
                "cooperative",
                2019,
                300_000,
                61,
                290,
                Accepted,
                "为养殖专业合作社解决发展资金，主要用于购买牲畜",
            ),
            (
                "亚卡亚村灌溉防渗水工程项目",
                "industry",
                2019,
                950_000,
                180,
                900,
                Accepted,
                "农牧业灌溉渠道防渗水改造",
            ),
            (
                "亚卡亚村人工种草合作社草种扶持",
                "industry",
                2019,
                150_000,
                42,
                200,
                Accepted,
                "协调草种 15 吨支持人工种草合作社（实物）",
            ),
            (
                "亚卡亚村牦牛育肥基地",
                "industry",
                this_year,
                500_000,
                50,
                240,
                Declared,
                "建设牦牛育肥棚圈",
            ),
            (
                "亚卡亚村卫生室设备更新",
                "health",
                this_year,
                90_000,
                0,
                1100,
                Implementing,
                "更新村卫生室诊疗设备",
            ),
        ],
        // 下地村
        &[
            (
                "下地村水井、机井建设维修",
                "infrastructure",
                2019,
                280_000,
                150,
                760,
                Accepted,
                "新打机井两眼，维修水井五口",
            ),
            (
                "下地村文化活动室",
                "culture",
                this_year,
                150_000,
                0,
                0,
                Completed,
                "建设村文化活动室",
            ),
            (
                "下地村民族手工艺培训",
                "education",
                this_year,
                60_000,
                30,
                30,
                Cancelled,
                "组织民族手工艺技能培训",
            ),
        ],
        // 琼果村
        &[
            (
                "琼果村太阳能路灯安装",
                "infrastructure",
                2019,
                180_000,
                0,
                0,
                Accepted,
                "在村内主干道安装太阳能路灯",
            ),
            (
                "琼果村集体藏餐馆",
                "industry",
                2019,
                20_000,
                35,
                35,
                Completed,
                "村集体经营的藏餐馆，启动资金向社会力量争取，餐馆已正式营业",
            ),
            (
                "琼果村党员活动室规范化建设",
                "organisation_building",
                this_year,
                80_000,
                0,
                0,
                Accepted,
                "规范化建设村党员活动室",
            ),
        ],
    ];
    for ((village, slug), specs) in current.iter().zip(by_village) {
        let team = user_id(conn, &format!("team_{slug}"))?;
        for spec in specs {
            project(conn, fin, *village, &team, &department, spec)?;
        }
    }
    // Earlier stations: a project a year from 2012 (the teams' users are gone; the department
    // moved them).
    let earlier_kinds = [
        ("人畜饮水工程", "infrastructure", 350_000),
        ("牲畜棚圈建设", "industry", 280_000),
        ("村级组织活动场所维修", "organisation_building", 150_000),
        ("农牧民技能培训", "education", 60_000),
    ];
    for (i, &village) in earlier.iter().enumerate() {
        let year = 2012 + i32::try_from(i).unwrap_or(0);
        let (what, category, yuan) = earlier_kinds[i % earlier_kinds.len()];
        let name: String = users_village_name(conn, village)?;
        let title = format!("{name}{what}");
        let spec: Spec<'_> = (&title, category, year, yuan, 40, 200, Accepted, what);
        project(conn, fin, village, &department, &department, &spec)?;
    }
    let jt_admin = user_id(conn, "jt_admin")?;
    project(
        conn,
        jt,
        deji,
        &jt_admin,
        &jt_admin,
        &(
            "德吉村通村公路维修",
            "infrastructure",
            this_year,
            600_000,
            90,
            420,
            Proposed,
            "维修通村公路",
        ),
    )?;
    Ok(())
}

fn users_village_name(conn: &mut DbConnection, village: i64) -> Result<String, Error> {
    use zhucun_persistence::schema::villages;
    Ok(villages::table
        .find(village)
        .select(villages::name)
        .first(conn)?)
}
