//! The annual report as a spreadsheet (`.xlsx`, one sheet per section, yuan as currency, Chinese
//! headings, a frozen header row, fitted widths) or as CSV (UTF-8 with a BOM so Excel reads the
//! Chinese, one row per figure). Both are built from the same table of figures, so they cannot
//! disagree with each other or with the JSON.

use crate::export::{csv_field, label, width, yuan};
use crate::routes::reports::AnnualReport;
use zhucun_domain::{activity, cooperative, household, ledger, project};

/// One figure of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Count(i64),
    /// Money in fen, shown in yuan.
    Fen(i64),
    Text(String),
}

/// A section of the report as rows of (label, value).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub rows: Vec<(String, Value)>,
}

/// The report's figures, section by section, with Chinese labels.
pub fn sheets(r: &AnnualReport) -> Vec<Sheet> {
    use Value::{Count, Fen, Text};
    let mut out = vec![Sheet {
        name: "概况",
        rows: vec![
            ("年度".to_owned(), Count(i64::from(r.year))),
            ("部门".to_owned(), Text(r.department.name.clone())),
            (
                "村庄".to_owned(),
                Text(
                    r.village_name
                        .clone()
                        .unwrap_or_else(|| "全部驻村村".to_owned()),
                ),
            ),
        ],
    }];
    let s = &r.stationing;
    out.push(Sheet {
        name: "驻村",
        rows: vec![
            ("驻村村数".to_owned(), Count(s.villages)),
            ("工作队数".to_owned(), Count(s.teams)),
            ("驻村干部人数".to_owned(), Count(s.cadres_stationed)),
            ("驻村批次数".to_owned(), Count(s.rounds)),
        ],
    });
    let p = &r.pairing;
    let mut rows = vec![
        ("结对干部人数".to_owned(), Count(p.cadres)),
        ("结对户数".to_owned(), Count(p.households)),
        ("帮扶资金合计（元）".to_owned(), Fen(p.assistance_fen)),
    ];
    for (kind, fen) in &p.assistance_by_kind {
        let l = label(
            kind,
            household::AssistanceKind::from_code,
            household::AssistanceKind::label,
        );
        rows.push((format!("帮扶：{l}（元）"), Fen(*fen)));
    }
    out.push(Sheet {
        name: "结对帮扶",
        rows,
    });
    let pr = &r.projects;
    let mut rows = vec![("项目数".to_owned(), Count(pr.count))];
    for (stage, n) in &pr.by_stage {
        let l = label(stage, project::Stage::from_code, project::Stage::label);
        rows.push((format!("阶段：{l}"), Count(*n)));
    }
    for (category, c) in &pr.by_category {
        let l = label(
            category,
            project::Category::from_code,
            project::Category::label,
        );
        rows.push((format!("{l}：项目数"), Count(c.count)));
        rows.push((format!("{l}：预算（元）"), Fen(c.budget_fen)));
        rows.push((format!("{l}：到位资金（元）"), Fen(c.funds_fen)));
    }
    out.push(Sheet {
        name: "驻村项目",
        rows,
    });
    let f = &r.funds;
    let mut rows = vec![
        ("到位资金合计（元）".to_owned(), Fen(f.total_fen)),
        ("支出合计（元）".to_owned(), Fen(f.spent_fen)),
    ];
    for (source, fen) in &f.by_source {
        let l = label(source, ledger::Source::from_code, ledger::Source::label);
        rows.push((format!("来源：{l}（元）"), Fen(*fen)));
    }
    for (kind, fen) in &f.by_kind {
        let l = label(kind, ledger::Kind::from_code, ledger::Kind::label);
        rows.push((format!("类别：{l}（元）"), Fen(*fen)));
    }
    rows.push(("产业扶持实物（元）".to_owned(), Fen(f.in_kind_fen)));
    rows.push(("慰问品（元）".to_owned(), Fen(f.relief_goods_fen)));
    rows.push(("慰问品捐赠单位数".to_owned(), Count(f.relief_donors)));
    rows.push(("待村委会确认笔数".to_owned(), Count(f.unconfirmed)));
    out.push(Sheet {
        name: "资金", rows
    });
    out.push(Sheet {
        name: "捐赠方",
        rows: f
            .donors
            .iter()
            .map(|d| (d.name.clone(), Fen(d.total_fen)))
            .collect(),
    });
    let c = &r.cooperatives;
    out.push(Sheet {
        name: "合作社",
        rows: vec![
            ("合作社数".to_owned(), Count(c.count)),
            ("成员数".to_owned(), Count(c.members)),
            ("成员出资（元）".to_owned(), Fen(c.capital_fen)),
            ("可分配盈余（元）".to_owned(), Fen(c.surplus_fen)),
            (
                "返还成员（元）".to_owned(),
                Fen(c.distributed_to_members_fen),
            ),
        ],
    });
    // The rule's share is part of the cooperatives' story; keep the constant visible.
    if let Some(s) = out.last_mut().filter(|_| c.surplus_fen > 0) {
        s.rows.push((
            "按交易量返还最低比例（%）".to_owned(),
            Count(cooperative::MIN_TRADE_PERCENT),
        ));
    }
    let a = &r.activities;
    let mut rows = vec![
        ("活动次数".to_owned(), Count(a.total.count)),
        ("参加人次".to_owned(), Count(a.total.participants)),
        ("受益人数".to_owned(), Count(a.total.beneficiaries)),
        ("物资、药品价值（元）".to_owned(), Fen(a.total.value_fen)),
        ("发展党员".to_owned(), Count(r.party_members_developed)),
    ];
    for (kind, k) in &a.by_kind {
        let l = label(kind, activity::Kind::from_code, activity::Kind::label);
        rows.push((format!("{l}：次数"), Count(k.count)));
        rows.push((format!("{l}：参加人次"), Count(k.participants)));
        rows.push((format!("{l}：受益人数"), Count(k.beneficiaries)));
        rows.push((format!("{l}：价值（元）"), Fen(k.value_fen)));
    }
    for (skill, t) in &a.trainings_by_skill {
        rows.push((format!("技能培训：{skill}：次数"), Count(t.count)));
        rows.push((
            format!("技能培训：{skill}：参加人次"),
            Count(t.participants),
        ));
    }
    rows.push(("义诊：次数".to_owned(), Count(a.clinics.count)));
    rows.push(("义诊：看诊人数".to_owned(), Count(a.clinics.seen)));
    rows.push(("义诊：受益人数".to_owned(), Count(a.clinics.beneficiaries)));
    rows.push((
        "义诊：药品价值（元）".to_owned(),
        Fen(a.clinics.medicine_fen),
    ));
    for (organisation, n) in &a.organisations_formed {
        let l = label(
            organisation,
            activity::Organisation::from_code,
            activity::Organisation::label,
        );
        rows.push((format!("组建：{l}"), Count(*n)));
    }
    out.push(Sheet {
        name: "活动", rows
    });
    let n = &r.needs;
    out.push(Sheet {
        name: "群众诉求",
        rows: vec![
            ("提出".to_owned(), Count(n.raised)),
            ("已解决".to_owned(), Count(n.resolved)),
            ("未采纳".to_owned(), Count(n.declined)),
            ("仍在办理".to_owned(), Count(n.open)),
            ("已逾期".to_owned(), Count(n.overdue)),
        ],
    });
    let p = &r.presence;
    out.push(Sheet {
        name: "驻村考勤",
        rows: vec![
            ("有考勤记录的人·月".to_owned(), Count(p.cadre_months)),
            (
                format!("在村不足 {} 天的人·月", p.min_days_in_village),
                Count(p.below_minimum),
            ),
            (
                "月均在村天数".to_owned(),
                Text(format!("{:.1}", p.average_days_in_village)),
            ),
            (
                "无考勤记录的人·月".to_owned(),
                Count(p.months_without_records),
            ),
        ],
    });
    let d = &r.disclosures;
    out.push(Sheet {
        name: "村务公开",
        rows: vec![
            ("本年公开".to_owned(), Count(d.published)),
            ("逾期未公开".to_owned(), Count(d.overdue)),
            ("待公开".to_owned(), Count(d.due)),
        ],
    });
    out
}

/// The report as CSV: a BOM, a header row, then `section,figure,value` per figure.
pub fn csv(r: &AnnualReport) -> String {
    let mut out = String::from("\u{feff}部分,指标,数值\r\n");
    for sheet in sheets(r) {
        for (label, value) in sheet.rows {
            let v = match value {
                Value::Count(n) => n.to_string(),
                Value::Fen(f) => yuan(f),
                Value::Text(t) => t,
            };
            out.push_str(&format!(
                "{},{},{}\r\n",
                csv_field(sheet.name),
                csv_field(&label),
                csv_field(&v)
            ));
        }
    }
    out
}

/// The report as an `.xlsx` workbook: one sheet per section.
pub fn xlsx(r: &AnnualReport) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("DDEBF7")
        .set_align(FormatAlign::Center);
    let money = Format::new().set_num_format("¥#,##0.00");
    for sheet in sheets(r) {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        ws.write_with_format(0, 0, "指标", &header)?;
        ws.write_with_format(0, 1, "数值", &header)?;
        ws.set_freeze_panes(1, 0)?;
        let mut label_width = width("指标");
        let mut value_width = 12.0_f64;
        for (i, (label, value)) in sheet.rows.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ws.write(row, 0, label.as_str())?;
            label_width = label_width.max(width(label));
            match value {
                Value::Count(n) => {
                    // Counts are far below 2^53: exact as spreadsheet numbers.
                    #[allow(clippy::cast_precision_loss)]
                    ws.write(row, 1, *n as f64)?;
                }
                Value::Fen(f) => {
                    #[allow(clippy::cast_precision_loss)]
                    let y = *f as f64 / 100.0;
                    ws.write_with_format(row, 1, y, &money)?;
                    value_width = value_width.max(width(&yuan(*f)) + 4.0);
                }
                Value::Text(t) => {
                    ws.write(row, 1, t.as_str())?;
                    value_width = value_width.max(width(t));
                }
            }
        }
        ws.set_column_width(0, label_width + 2.0)?;
        ws.set_column_width(1, value_width + 2.0)?;
    }
    book.save_to_buffer()
}

/// `attachment` with an ASCII fallback name and the Chinese one (RFC 6266 / RFC 5987).
pub fn disposition(r: &AnnualReport, ext: &str) -> String {
    let place = r.village_name.as_deref().unwrap_or(&r.department.name);
    crate::export::attachment(
        &format!("{}年驻村工作年报-{place}.{ext}", r.year),
        &format!("annual-report-{}.{ext}", r.year),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_is_exact() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(123_456), "1234.56");
        assert_eq!(yuan(-5), "-0.05");
        assert_eq!(yuan(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn csv_quotes_what_it_must() {
        assert_eq!(csv_field("马格达村"), "马格达村");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("他说\"好\""), "\"他说\"\"好\"\"\"");
        assert_eq!(csv_field("མ་དགེ་མདའ།"), "མ་དགེ་མདའ།");
    }
}
