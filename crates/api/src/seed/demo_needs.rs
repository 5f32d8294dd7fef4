//! The demo's 群众诉求 at every status: 下地村's broken well, resolved through the project
//! "下地村水井、机井建设维修"; 马格达村's collapsed village road, open and past its due day;
//! 琼果村's request declined with a reason; 亚卡亚村's summer-pasture electricity, in progress;
//! a few more open ones; and one of the second department. Every row goes through
//! `routes::needs::values` and `check_links`; every move is made as a transition makes it.

use crate::routes::needs::{check_links, values, Fields};
use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use zhucun_domain::need::Status;
use zhucun_persistence::needs::{self as q, Move, Needs};
use zhucun_persistence::schema::{households, projects};
use zhucun_persistence::{Creatable, DbConnection};

type Error = Box<dyn std::error::Error>;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(4, 0, 0)
        .unwrap_or_default()
        .min(zhucun_persistence::now())
}

/// One need as the demo writes it.
struct N<'a> {
    village: i64,
    household: Option<i64>,
    raised_by: Option<&'a str>,
    raised_on: NaiveDate,
    category: &'a str,
    description: &'a str,
    due_on: Option<NaiveDate>,
    project: Option<i64>,
}

fn raise(conn: &mut DbConnection, department_id: i64, n: N<'_>) -> Result<(i64, i32), Error> {
    let v = values(Fields {
        village_id: n.village,
        household_id: n.household,
        raised_by: n.raised_by,
        raised_on: n.raised_on,
        category: n.category,
        description: n.description,
        due_on: n.due_on,
        project_id: n.project,
    })?;
    check_links(conn, department_id, &v).map_err(|e| e.to_string())?;
    let row = Needs::insert(conn, department_id, &v, at(n.raised_on))?;
    Ok((row.need.id, row.need.version))
}

/// Moves a need as `POST /needs/{id}/transitions` would on `when`.
fn advance(
    conn: &mut DbConnection,
    (id, version): (i64, i32),
    m: &Move,
    when: NaiveDate,
) -> Result<(i64, i32), Error> {
    let row = q::set_status(conn, id, version, m, at(when))?.ok_or("demo need changed")?;
    Ok((id, row.need.version))
}

fn to(status: Status) -> Move {
    Move {
        to: status,
        resolution: None,
        satisfaction: None,
        decline_reason: None,
        closed_on: None,
    }
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
    let today = zhucun_domain::calendar::today_local();
    let ago = |days: u64| today.checked_sub_days(Days::new(days)).unwrap_or(today);
    let ahead = |days: u64| today.checked_add_days(Days::new(days)).unwrap_or(today);
    let first_household = |conn: &mut DbConnection, village: i64| -> Result<i64, Error> {
        Ok(households::table
            .filter(households::village_id.eq(village))
            .order_by(households::id)
            .select(households::id)
            .first(conn)?)
    };
    let well_project: i64 = projects::table
        .filter(projects::department_id.eq(fin))
        .filter(projects::title.eq("下地村水井、机井建设维修"))
        .select(projects::id)
        .first(conn)?;

    let (h_xiadi, h_yakaya, h_qiongguo) = (
        first_household(conn, xiadi)?,
        first_household(conn, yakaya)?,
        first_household(conn, qiongguo)?,
    );

    // 下地村's well: raised by a household, answered by the well project, resolved.
    let well = raise(
        conn,
        fin,
        N {
            village: xiadi,
            household: Some(h_xiadi),
            raised_by: None,
            raised_on: day(2019, 3, 12),
            category: "water",
            description: "村东水井损坏，冬季取水困难",
            due_on: Some(day(2019, 9, 30)),
            project: Some(well_project),
        },
    )?;
    let well = advance(conn, well, &to(Status::InProgress), day(2019, 4, 1))?;
    advance(
        conn,
        well,
        &Move {
            to: Status::Resolved,
            resolution: Some(
                "纳入“下地村水井、机井建设维修”项目，新打机井两眼、维修水井五口，已恢复供水"
                    .to_owned(),
            ),
            satisfaction: Some("群众满意".to_owned()),
            decline_reason: None,
            closed_on: Some(day(2019, 9, 20)),
        },
        day(2019, 9, 20),
    )?;

    // 琼果村: declined, with the reason.
    let wall = raise(
        conn,
        fin,
        N {
            village: qiongguo,
            household: None,
            raised_by: Some("村民 扎西平措"),
            raised_on: day(2019, 5, 10),
            category: "housing",
            description: "申请由村集体出资修建自家院墙",
            due_on: Some(day(2019, 6, 10)),
            project: None,
        },
    )?;
    advance(
        conn,
        wall,
        &Move {
            to: Status::Declined,
            resolution: None,
            satisfaction: None,
            decline_reason: Some(
                "属于个人住房修缮，不在村集体和驻村项目支持范围内；已告知可申请农村危房改造政策"
                    .to_owned(),
            ),
            closed_on: Some(day(2019, 5, 20)),
        },
        day(2019, 5, 20),
    )?;

    // 马格达村's road: open and past its due day.
    raise(
        conn,
        fin,
        N {
            village: magada,
            household: None,
            raised_by: Some("村民代表 次仁"),
            raised_on: ago(90),
            category: "road",
            description: "通村道路雨季塌方，车辆通行困难",
            due_on: Some(ago(10)),
            project: None,
        },
    )?;

    // 亚卡亚村's summer pasture: in progress.
    let power = raise(
        conn,
        fin,
        N {
            village: yakaya,
            household: Some(h_yakaya),
            raised_by: None,
            raised_on: ago(60),
            category: "electricity",
            description: "夏季牧场无电，希望安装太阳能发电设备",
            due_on: Some(ahead(60)),
            project: None,
        },
    )?;
    advance(conn, power, &to(Status::InProgress), ago(45))?;

    // A few more waiting.
    raise(
        conn,
        fin,
        N {
            village: xiadi,
            household: None,
            raised_by: Some("村小学家长代表"),
            raised_on: ago(20),
            category: "education",
            description: "希望协调增加村小学冬季取暖设备",
            due_on: Some(ahead(40)),
            project: None,
        },
    )?;
    raise(
        conn,
        fin,
        N {
            village: qiongguo,
            household: Some(h_qiongguo),
            raised_by: None,
            raised_on: ago(12),
            category: "health",
            description: "家中老人行动不便，希望医生上门看诊",
            due_on: None,
            project: None,
        },
    )?;

    // The second department.
    raise(
        conn,
        jt,
        N {
            village: deji,
            household: None,
            raised_by: Some("德吉村村委会"),
            raised_on: day(2024, 10, 8),
            category: "road",
            description: "村道路灯损坏，夜间出行不便",
            due_on: None,
            project: None,
        },
    )?;
    Ok(())
}
