//! The demo's days in the village (驻村考勤) and leave, and one signed handover (交接).
//!
//! The 2019 teams (round 8, the round of FIGURES-2019) of the four current villages record April
//! to June 2019 day by day: most cadres are in the village well above 20 days a month (two days a
//! month away at a meeting in Lhasa); in June a few take long leave approved by the department
//! (they fall below 20 days, with the leave shown), one takes two days approved locally; one cadre
//! left the last days of May unrecorded (days unaccounted). The running team of 马格达村 has a
//! leave request waiting in the leader's queue. 马格达村's 2019 team handed over to the running
//! team, and its leader signed the handover off.

use crate::routes::handovers::draft_sections;
use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use zhucun_domain::presence as rules;
use zhucun_persistence::presence::{self as q, DayValues, Decision, LeaveValues, Membership};
use zhucun_persistence::schema::{rounds, teams, users};
use zhucun_persistence::{handovers, DbConnection};

type Error = Box<dyn std::error::Error>;

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("bad date {y}-{m}-{d}").into())
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(12, 0, 0)
        .unwrap_or_default()
        .min(zhucun_persistence::now())
}

fn user(conn: &mut DbConnection, username: &str) -> Result<(i64, String), Error> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select((users::id, users::display_name))
        .first(conn)?)
}

fn team_of_round(conn: &mut DbConnection, village: i64, number: i32) -> Result<i64, Error> {
    Ok(teams::table
        .inner_join(rounds::table.on(rounds::id.eq(teams::round_id)))
        .filter(teams::village_id.eq(village))
        .filter(rounds::number.eq(number))
        .select(teams::id)
        .first(conn)?)
}

fn record(
    conn: &mut DbConnection,
    m: &Membership,
    from: NaiveDate,
    to: NaiveDate,
    values: &DayValues,
    by: i64,
) -> Result<(), Error> {
    rules::check_range(from, to, Some(zhucun_domain::calendar::today_local()))?;
    rules::check_reason(
        rules::Status::parse("status", &values.status)?,
        values
            .reason
            .as_deref()
            .map(|r| rules::Reason::parse("reason", r))
            .transpose()?,
    )?;
    q::record_days(conn, m, &rules::days(from, to), values, by, at(to))?;
    Ok(())
}

fn in_village(log: Option<&str>) -> DayValues {
    DayValues {
        status: rules::Status::InVillage.code().to_owned(),
        reason: None,
        log: log.map(str::to_owned),
    }
}

fn away(reason: rules::Reason, log: Option<&str>) -> DayValues {
    DayValues {
        status: rules::Status::Away.code().to_owned(),
        reason: Some(reason.code().to_owned()),
        log: log.map(str::to_owned),
    }
}

/// A leave request as `POST /leave` writes it, decided as the approval endpoint decides it.
fn leave(
    conn: &mut DbConnection,
    m: &Membership,
    (from, to): (NaiveDate, NaiveDate),
    note: &str,
    requested_by: i64,
    decided: Option<(i64, &str, &'static str)>,
) -> Result<(), Error> {
    rules::check_range(from, to, None)?;
    let days = i32::try_from(rules::days_inclusive(from, to))?;
    let v = LeaveValues {
        from_date: from,
        to_date: to,
        days,
        reason: rules::Reason::Leave.code().to_owned(),
        note: Some(note.to_owned()),
    };
    let row = q::insert_leave(conn, m, &v, requested_by, at(from))?;
    if let Some((by, name, status)) = decided {
        let d = Decision {
            status,
            by,
            by_name: name.to_owned(),
            note: Some(
                if status == "approved" {
                    "同意"
                } else {
                    "不同意"
                }
                .to_owned(),
            ),
        };
        q::decide_leave(conn, row.leave.id, row.leave.version, &d, at(from))?
            .ok_or("leave not pending")?;
    }
    Ok(())
}

pub(super) fn load(
    conn: &mut DbConnection,
    department_id: i64,
    current: &[(i64, &str)],
) -> Result<(), Error> {
    let (admin, _) = user(conn, "admin")?;
    let (office, office_name) = user(conn, "office_staff")?;
    let mut n = 0usize;
    for &(village, _) in current {
        let team = team_of_round(conn, village, 8)?;
        for m in q::memberships_of_team(conn, team, 50)? {
            for month in 4..=6 {
                let first = day(2019, month, 1)?;
                let last = rules::month_bounds("month", &rules::month_of(first))?.1;
                // Every day in the village but the 10th and 11th (a meeting in Lhasa).
                record(
                    conn,
                    &m,
                    first,
                    day(2019, month, 9)?,
                    &in_village(Some("入户走访，了解群众生产生活情况")),
                    admin,
                )?;
                record(
                    conn,
                    &m,
                    day(2019, month, 10)?,
                    day(2019, month, 11)?,
                    &away(rules::Reason::Meeting, Some("赴拉萨参加驻村工作推进会")),
                    admin,
                )?;
                let mut end = last;
                if month == 5 && n % 4 == 1 {
                    // The last three days of May were not recorded.
                    end = day(2019, 5, 28)?;
                }
                record(
                    conn,
                    &m,
                    day(2019, month, 12)?,
                    end,
                    &in_village(None),
                    admin,
                )?;
            }
            // June: a few long leaves (department), one short one (local).
            if n % 5 == 2 {
                let (from, to) = (day(2019, 6, 12)?, day(2019, 6, 20)?);
                leave(
                    conn,
                    &m,
                    (from, to),
                    "家中老人住院，回家照料",
                    admin,
                    Some((office, &office_name, "approved")),
                )?;
                record(conn, &m, from, to, &away(rules::Reason::Leave, None), admin)?;
            } else if n % 5 == 4 {
                let (from, to) = (day(2019, 6, 24)?, day(2019, 6, 25)?);
                leave(
                    conn,
                    &m,
                    (from, to),
                    "子女开家长会",
                    admin,
                    Some((office, &office_name, "approved")),
                )?;
                record(conn, &m, from, to, &away(rules::Reason::Leave, None), admin)?;
            }
            n += 1;
        }
    }

    // The running team of 马格达村: a member's leave waiting for the leader.
    let Some(&(magada, _)) = current.first() else {
        return Ok(());
    };
    let running = handovers::next_team(conn, department_id, magada, day(2018, 10, 1)?)?
        .ok_or("马格达村 has no running team")?;
    let (leader, leader_name) = user(conn, "team_magada")?;
    let members = q::memberships_of_team(conn, running, 50)?;
    if let Some(m) = members.iter().find(|m| m.is_leader == 0) {
        let today = zhucun_domain::calendar::today_local();
        let from = today
            .checked_add_days(Days::new(7))
            .ok_or("date overflow")?
            .max(m.from_date);
        let to = from.checked_add_days(Days::new(1)).ok_or("date overflow")?;
        leave(conn, m, (from, to), "回拉萨办理子女入学手续", leader, None)?;
    }

    // 马格达村's 2019 team handed over to the running team; its leader signed it off.
    let outgoing = team_of_round(conn, magada, 8)?;
    let sections = draft_sections(conn, department_id, magada).map_err(|e| e.to_string())?;
    let documents = vec![
        "驻村工作日志（2018 年 10 月 – 2019 年 9 月）3 册".to_owned(),
        "建档立卡户花名册及帮扶手册".to_owned(),
        "驻村项目资料（立项、验收材料）".to_owned(),
        "村集体经济及资金台账".to_owned(),
        "驻村工作队公章 1 枚".to_owned(),
    ];
    let drafted = zhucun_persistence::now();
    let row = handovers::insert(
        conn,
        department_id,
        magada,
        (outgoing, running),
        &serde_json::to_string(&sections)?,
        &serde_json::to_string(&documents)?,
        office,
        drafted,
    )?;
    handovers::sign(conn, row.id, row.version, leader, &leader_name, drafted)?
        .ok_or("handover not signed")?;
    Ok(())
}
