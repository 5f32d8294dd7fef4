//! The demo world (`zhucun serve --demo`): the finance department of the source article with its
//! offices, cadres, current and earlier villages, rounds since October 2011 and their teams, users
//! of every role, and a second department so tenancy shows. Every row goes through the same
//! validation and the same search keys as an API write (the resources' `values` functions).

use super::{department, user, Error, Logins, PasswordSource};
use crate::routes;
use chrono::NaiveDate;
use zhucun_domain::Role;
use zhucun_persistence::members::{self, MemberValues};
use zhucun_persistence::{cadres, offices, rounds, teams, villages, DbConnection};

fn now() -> chrono::NaiveDateTime {
    zhucun_persistence::now()
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad demo date".into())
}

fn office(conn: &mut DbConnection, department_id: i64, name: &str) -> Result<i64, Error> {
    let v = routes::offices::values(name, None)?;
    Ok(offices::insert(conn, department_id, &v, now())?.id)
}

struct Place<'a> {
    name: &'a str,
    name_bo: &'a str,
    prefecture: &'a str,
    county: &'a str,
    active: bool,
}

fn village(conn: &mut DbConnection, department_id: i64, p: &Place<'_>) -> Result<i64, Error> {
    let v = routes::villages::values(routes::villages::Fields {
        name: p.name,
        name_bo: Some(p.name_bo),
        prefecture: p.prefecture,
        county: p.county,
        township: None,
        code: None,
        latitude: None,
        longitude: None,
        deactivated_at: if p.active { None } else { Some(now()) },
    })?;
    Ok(villages::insert(conn, department_id, &v, now())?.id)
}

fn cadre(
    conn: &mut DbConnection,
    department_id: i64,
    name: &str,
    office_id: i64,
    position: &str,
) -> Result<i64, Error> {
    let v = routes::cadres::values(name, None, Some(office_id), Some(position), None, None)?;
    Ok(cadres::insert(conn, department_id, &v, now())?.id)
}

fn team(
    conn: &mut DbConnection,
    department_id: i64,
    round_id: i64,
    village_id: i64,
    name: &str,
) -> Result<i64, Error> {
    let v = routes::teams::values(round_id, village_id, Some(name), None)?;
    Ok(teams::insert(conn, department_id, &v, now())?.team.id)
}

fn member(
    conn: &mut DbConnection,
    department_id: i64,
    team_id: i64,
    cadre_id: i64,
    leader: bool,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<(), Error> {
    let v = MemberValues {
        team_id,
        cadre_id,
        is_leader: i32::from(leader),
        from_date: from,
        to_date: to,
    };
    members::insert_member(conn, department_id, &v, now())?;
    Ok(())
}

/// A village's survey for a year: plausible figures of a Tibetan pastoral village, growing
/// incomes, poor households falling to none after 2019 (Tibet's last counties left poverty then).
fn survey(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
    i: usize,
    year: i32,
) -> Result<(), Error> {
    use zhucun_persistence::Creatable;
    let k = i64::try_from(i).unwrap_or(0);
    let t = i64::from(year - 2015);
    let households = 180 + 35 * k + 2 * t;
    let poor = if year <= 2019 {
        (60 - 12 * t).max(0) + 5 * k
    } else {
        0
    };
    let livestock = routes::surveys::Livestock {
        yaks: 2400 + 600 * k + 40 * t,
        sheep: 6800 + 1500 * k - 60 * t,
        goats: 1200 + 300 * k,
        horses: 80 + 20 * k,
        other: 10,
    };
    let pasture = format!("{}.{}", 26_000 + 12_000 * k, (k + t) % 10);
    let cultivated = format!("{}", 600 + 400 * k);
    let report = format!(
        "{year}年村情调研：以牧为主，兼营种植；{}。",
        if year <= 2019 {
            "重点推进脱贫攻坚"
        } else {
            "巩固拓展脱贫攻坚成果"
        }
    );
    let v = routes::surveys::values(routes::surveys::Fields {
        village_id,
        year,
        population: households * 5 - 7 * k,
        households,
        poor_households: poor,
        marginal_households: 3 + k + t % 3,
        pasture_mu: &pasture,
        cultivated_mu: &cultivated,
        livestock: &livestock,
        per_capita_income_fen: (6_200 + 1_150 * t + 300 * k) * 100,
        collective_income_fen: (20_000 + 45_000 * t + 10_000 * k) * 100,
        main_industries: Some(
            [
                "牦牛养殖、人工种草",
                "牦牛养殖、藏鸡养殖",
                "绵羊养殖、藏餐馆",
                "绵羊养殖、民族手工艺",
                "农牧结合",
            ][i % 5],
        ),
        report: Some(&report),
    })?;
    zhucun_persistence::surveys::Surveys::insert(conn, department_id, &v, now())?;
    Ok(())
}

/// The stations of the source article: four current villages and eight earlier ones. The Tibetan
/// spellings are demo transliterations; prefectures and counties the article does not give are
/// recorded as 未记录 rather than guessed.
const CURRENT: [(&str, Place<'static>); 4] = [
    (
        "magada",
        Place {
            name: "马格达村",
            name_bo: "མ་དགེ་མདའ།",
            prefecture: "日喀则市",
            county: "南木林县",
            active: true,
        },
    ),
    (
        "yakaya",
        Place {
            name: "亚卡亚村",
            name_bo: "ཡ་ཁ་ཡ།",
            prefecture: "日喀则市",
            county: "萨嘎县",
            active: true,
        },
    ),
    (
        "xiadi",
        Place {
            name: "下地村",
            name_bo: "ཤ་སྡེ།",
            prefecture: "那曲市",
            county: "班戈县",
            active: true,
        },
    ),
    (
        "qiongguo",
        Place {
            name: "琼果村",
            name_bo: "ཁྱུང་མགོ།",
            prefecture: "那曲市",
            county: "班戈县",
            active: true,
        },
    ),
];

const EARLIER: [Place<'static>; 8] = [
    Place {
        name: "曲水村",
        name_bo: "ཆུ་ཤུར།",
        prefecture: "拉萨市",
        county: "曲水县",
        active: false,
    },
    Place {
        name: "才纳村",
        name_bo: "ཚལ་ན།",
        prefecture: "拉萨市",
        county: "曲水县",
        active: false,
    },
    Place {
        name: "曲甫村",
        name_bo: "ཆུ་ཕུ།",
        prefecture: "未记录",
        county: "未记录",
        active: false,
    },
    Place {
        name: "茶巴郎村",
        name_bo: "ཁྲ་པ་ལང་།",
        prefecture: "未记录",
        county: "未记录",
        active: false,
    },
    Place {
        name: "扎勒村",
        name_bo: "བྲག་ལེབ།",
        prefecture: "未记录",
        county: "未记录",
        active: false,
    },
    Place {
        name: "勒加库村",
        name_bo: "ལེ་རྒྱ་ཁུ།",
        prefecture: "未记录",
        county: "未记录",
        active: false,
    },
    Place {
        name: "亚木村",
        name_bo: "ཡ་མུ།",
        prefecture: "未记录",
        county: "未记录",
        active: false,
    },
    Place {
        name: "杰村",
        name_bo: "རྗེ།",
        prefecture: "未记录",
        county: "未记录",
        active: false,
    },
];

const CADRES: [&str; 16] = [
    "次仁多吉",
    "扎西",
    "格桑",
    "卓玛",
    "达瓦",
    "尼玛",
    "平措",
    "旦增",
    "普布",
    "拉巴",
    "央金",
    "边巴",
    "索朗",
    "德吉",
    "白玛",
    "洛桑",
];

pub(super) fn load(
    conn: &mut DbConnection,
    admin_pw: &PasswordSource,
    demo_pw: &PasswordSource,
    logins: &mut Logins,
) -> Result<(), Error> {
    let fin = department(conn, "西藏自治区财政厅", Some("财政厅"), true)?;
    let mut office_ids = Vec::new();
    for name in [
        "办公室",
        "预算处",
        "国库处",
        "农业农村处",
        "社会保障处",
        "驻村工作办公室",
    ] {
        office_ids.push(office(conn, fin, name)?);
    }
    let zhucun_office = office_ids.last().copied().unwrap_or_default();

    // Rounds: one a year from October 2011 up to the one running today.
    let today = zhucun_domain::calendar::today_local();
    let running =
        chrono::Datelike::year(&today) - 2010 - i32::from(chrono::Datelike::month(&today) < 10);
    let mut round_ids = Vec::new();
    for n in 1..=running.max(9) {
        let start = date(2010 + n, 10, 1)?;
        let end = date(2011 + n, 9, 30)?;
        let v = routes::rounds::values(n, Some(&format!("第{n}批")), start, end, None)?;
        round_ids.push((rounds::insert(conn, fin, &v, now())?.id, start, end));
    }

    let mut cadre_ids = Vec::new();
    for (i, name) in CADRES.iter().enumerate() {
        let office = office_ids
            .get(i % office_ids.len())
            .copied()
            .unwrap_or(zhucun_office);
        let position = if i % 4 == 0 { "副处长" } else { "科员" };
        cadre_ids.push(cadre(conn, fin, name, office, position)?);
    }

    // Earlier stations, one round each, with a team of three.
    let mut earlier_villages = Vec::new();
    for (i, place) in EARLIER.iter().enumerate() {
        let v = village(conn, fin, place)?;
        earlier_villages.push(v);
        if let Some(&(round_id, start, end)) = round_ids.get(i) {
            let t = team(conn, fin, round_id, v, &format!("驻{}工作队", place.name))?;
            for k in 0..3 {
                // Round 8 also has the 2019 teams below: its earlier station gets other cadres.
                let index = if i == 7 {
                    [3, 7, 11][k]
                } else {
                    (i * 3 + k) % cadre_ids.len()
                };
                let c = cadre_ids[index];
                member(conn, fin, t, c, k == 0, start, Some(end))?;
            }
        }
    }

    // Current stations: a 2019 team (round 8) for history and the team of the running round.
    let (r2019, s2019, e2019) = round_ids.get(7).copied().ok_or("round 8 missing")?;
    let (rnow, snow, _) = round_ids.last().copied().ok_or("no running round")?;
    let mut current_villages = Vec::new();
    for (i, (slug, place)) in CURRENT.iter().enumerate() {
        let v = village(conn, fin, place)?;
        current_villages.push(v);
        for year in 2015..=2025 {
            survey(conn, fin, v, i, year)?;
        }
        let old = team(
            conn,
            fin,
            r2019,
            v,
            &format!("驻{}工作队（2019）", place.name),
        )?;
        let current = team(conn, fin, rnow, v, &format!("驻{}工作队", place.name))?;
        let mut leader = None;
        for k in 0..4 {
            let c = cadre_ids[i * 4 + k];
            member(conn, fin, current, c, k == 0, snow, None)?;
            if k == 0 {
                leader = Some(c);
            }
            // The 2019 team had the next group of cadres (no one in two villages at once).
            let c_old = cadre_ids[(i * 4 + k + 4) % cadre_ids.len()];
            if k < 3 {
                member(conn, fin, old, c_old, k == 0, s2019, Some(e2019))?;
            }
        }
        let leader_name = leader
            .and_then(|c| cadre_ids.iter().position(|&x| x == c))
            .and_then(|p| CADRES.get(p))
            .copied()
            .unwrap_or("队长");
        user(
            conn,
            logins,
            demo_pw,
            fin,
            &format!("team_{slug}"),
            leader_name,
            Role::Team,
            None,
            None,
            leader,
        )?;
        user(
            conn,
            logins,
            demo_pw,
            fin,
            &format!("committee_{slug}"),
            &format!("{}村委会", place.name.trim_end_matches('村')),
            Role::VillageCommittee,
            None,
            Some(v),
            None,
        )?;
    }

    user(
        conn,
        logins,
        admin_pw,
        fin,
        "admin",
        "系统管理员",
        Role::Admin,
        None,
        None,
        None,
    )?;
    user(
        conn,
        logins,
        demo_pw,
        fin,
        "office_staff",
        "驻村办工作人员",
        Role::Department,
        Some(zhucun_office),
        None,
        None,
    )?;
    user(
        conn,
        logins,
        demo_pw,
        fin,
        "regional",
        "自治区强基办",
        Role::Regional,
        None,
        None,
        None,
    )?;

    // A second department, so tenancy is visible.
    let jt = department(conn, "西藏自治区交通运输厅", Some("交通运输厅"), false)?;
    office(conn, jt, "驻村工作办公室")?;
    let deji = village(
        conn,
        jt,
        &Place {
            name: "德吉村",
            name_bo: "བདེ་སྐྱིད།",
            prefecture: "山南市",
            county: "乃东区",
            active: true,
        },
    )?;
    for year in 2024..=2025 {
        survey(conn, jt, deji, 4, year)?;
    }
    super::demo_households::load(conn, fin, &current_villages, jt, deji)?;
    // The finance department's 结对认亲 and 帮扶 of 2019 (and a little of later years), of the
    // households just loaded: 223 cadres in all.
    super::demo_pairings::load(conn, fin, &current_villages)?;
    user(
        conn,
        logins,
        demo_pw,
        jt,
        "jt_admin",
        "交通运输厅管理员",
        Role::Admin,
        None,
        None,
        None,
    )?;
    // 驻村项目 at every stage, with their events (after the users who moved them).
    let current: Vec<(i64, &str)> = current_villages
        .iter()
        .copied()
        .zip(CURRENT.iter().map(|(slug, _)| *slug))
        .collect();
    super::demo_projects::load(conn, fin, &current, &earlier_villages, jt, deji)?;
    super::demo_ledger::load(conn, fin, &current, &earlier_villages, jt, deji)?;
    // 活动 of 2019 as the article lists them (and later years'), and 群众诉求 at every status.
    super::demo_activities::load(conn, fin, &current, jt, deji)?;
    super::demo_needs::load(conn, fin, &current, jt, deji)?;
    let [magada, yakaya, _, qiongguo] = current_villages[..] else {
        return Err("four current villages expected".into());
    };
    super::demo_cooperatives::load(conn, fin, [magada, yakaya, qiongguo], jt, deji)?;
    // 四议两公开 at every step and the villages' 村务公开 of 2019 (after the ledger they disclose).
    super::demo_decisions::load(conn, fin, &current, jt, deji)?;
    // 驻村考勤 and leave of the 2019 teams, and 马格达村's signed handover (after the ledger,
    // projects and needs its snapshot reads).
    super::demo_presence::load(conn, fin, &current)?;
    Ok(())
}
