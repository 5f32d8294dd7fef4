//! Demo households (农牧户): the finance department's 176 households that were poor or marginal
//! at the end of 2019 (FIGURES-2019 row 1) in its four current villages, most lifted out of
//! poverty in 2020 and a few monitored since, plus ordinary households; checklists for 2019 and
//! this year; and a few households of 交通运输厅's 德吉村. Deterministic: every choice follows from
//! the household's index. Every row goes through the resource's `values`.

use super::Error;
use crate::routes::households::{self as routes, CheckItems, CheckMark, Fields};
use chrono::{Datelike, NaiveDate};
use zhucun_persistence::households::{self as q, NewCategory};
use zhucun_persistence::{Creatable, DbConnection};

/// Common parts of Tibetan names: the Chinese transliteration and the Tibetan spelling (without
/// the closing shad).
const NAME_PARTS: [(&str, &str); 28] = [
    ("扎西", "བཀྲ་ཤིས"),
    ("次仁", "ཚེ་རིང"),
    ("格桑", "སྐལ་བཟང"),
    ("多吉", "རྡོ་རྗེ"),
    ("卓玛", "སྒྲོལ་མ"),
    ("旺姆", "དབང་མོ"),
    ("达瓦", "ཟླ་བ"),
    ("尼玛", "ཉི་མ"),
    ("平措", "ཕུན་ཚོགས"),
    ("旦增", "བསྟན་འཛིན"),
    ("普布", "ཕུར་བུ"),
    ("拉巴", "ལྷག་པ"),
    ("央金", "དབྱངས་ཅན"),
    ("边巴", "སྤེན་པ"),
    ("索朗", "བསོད་ནམས"),
    ("德吉", "བདེ་སྐྱིད"),
    ("白玛", "པདྨ"),
    ("洛桑", "བློ་བཟང"),
    ("顿珠", "དོན་གྲུབ"),
    ("巴桑", "པ་སངས"),
    ("曲珍", "ཆོས་སྒྲོན"),
    ("拉姆", "ལྷ་མོ"),
    ("罗布", "ནོར་བུ"),
    ("加措", "རྒྱ་མཚོ"),
    ("强巴", "བྱམས་པ"),
    ("米玛", "མིག་དམར"),
    ("桑珠", "བསམ་གྲུབ"),
    ("欧珠", "དངོས་གྲུབ"),
];

const GROUPS: [&str; 5] = ["一组", "二组", "三组", "四组", "五组"];

const CAUSES: [&str; 12] = [
    "illness",
    "labour",
    "skills",
    "capital",
    "disability",
    "schooling",
    "transport",
    "water",
    "land",
    "disaster",
    "motivation",
    "other",
];

/// The k-th distinct two-part name: (Chinese, Tibetan). Distinct for k < 28 × 27.
fn name(k: usize) -> (String, String) {
    let n = NAME_PARTS.len();
    let i = (k * 11) % n;
    let j = (i + 1 + k / n) % n;
    let (zh1, bo1) = NAME_PARTS[i];
    let (zh2, bo2) = NAME_PARTS[j];
    // After a final ང the shad is preceded by a tsheg (སྐལ་བཟང་།).
    let end = if bo2.ends_with('ང') {
        "་།"
    } else {
        "།"
    };
    (format!("{zh1}{zh2}"), format!("{bo1}་{bo2}{end}"))
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Error> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad demo date".into())
}

/// One step of a household's history: category, monitoring type, from.
type Step = (&'static str, Option<&'static str>, NaiveDate);

/// A household's category history, oldest first, for the k-th household of the department;
/// `needy` households were poor or marginal on 2019-12-31.
fn history(k: usize, needy: bool) -> Result<Vec<Step>, Error> {
    let m = |x: usize| u32::try_from(x).unwrap_or(0);
    if !needy {
        return Ok(vec![("ordinary", None, date(2016, 1 + m(k % 12), 1)?)]);
    }
    let marginal = k % 7 == 3;
    let first = if marginal {
        (
            "marginal",
            None,
            date(2017 + (k % 3) as i32, 1 + m(k % 12), 10)?,
        )
    } else {
        (
            "poor",
            None,
            date(2014 + (k % 3) as i32, 1 + m(k % 12), 1 + m(k % 28))?,
        )
    };
    let mut steps = vec![first];
    // Most poor households were lifted out of poverty in 2020; marginal ones stay marginal.
    if !marginal {
        steps.push(("lifted", None, date(2020, 1 + m(k % 11), 1 + m(k % 28))?));
    }
    // A few are monitored since 2021–2024 (防返贫监测).
    if k % 11 == 5 {
        let kind = if marginal {
            "marginal_at_risk"
        } else if k.is_multiple_of(2) {
            "unstable_lifted"
        } else {
            "sudden_hardship"
        };
        steps.push((
            "monitored",
            Some(kind),
            date(2021 + (k % 4) as i32, 3 + m(k % 9), 15)?,
        ));
    }
    Ok(steps)
}

fn mark(met: bool, note: &str) -> CheckMark {
    CheckMark {
        met,
        note: (!met).then(|| note.to_owned()),
    }
}

/// The k-th household's checklist for a year: a few unmet items, more in 2019.
fn checklist(k: usize, year: i32) -> CheckItems {
    let in_2019 = year == 2019;
    CheckItems {
        food: mark(true, ""),
        clothing: mark(true, ""),
        education: mark(!(in_2019 && k % 17 == 4), "一名适龄儿童辍学，正在劝返"),
        medical: mark(!(in_2019 && k % 9 == 2), "慢性病签约服务未落实"),
        housing: mark(
            !(in_2019 && k % 13 == 6) && k % 41 != 7,
            "房屋为危房，待改造",
        ),
        water: mark(
            !(in_2019 && k % 10 == 8) && k % 37 != 11,
            "冬季自来水管冻裂，需挑水",
        ),
    }
}

/// Writes one household with its whole history; returns its id.
#[allow(clippy::too_many_arguments)]
fn household(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
    k: usize,
    (head_name, head_name_bo): (&str, &str),
    steps: &[Step],
) -> Result<i64, Error> {
    let (category, monitoring_type, since) = *steps.last().ok_or("a household without history")?;
    let members = 2 + i32::try_from((k * 5) % 8).unwrap_or(0);
    let others: Vec<&str> = (1..=(k % 3))
        .map(|o| NAME_PARTS[(k * 3 + o) % NAME_PARTS.len()].0)
        .collect();
    let member_names = (!others.is_empty()).then(|| others.join("、"));
    let phone = k
        .is_multiple_of(2)
        .then(|| format!("1390891{:04}", k % 10_000));
    let mut causes = vec![CAUSES[k % CAUSES.len()].to_owned()];
    if k.is_multiple_of(3) {
        causes.push(CAUSES[(k + 5) % CAUSES.len()].to_owned());
    }
    if category == "ordinary" {
        causes.clear();
    }
    let notes = (k % 8 == 1).then_some("家中有在读大学生，已落实教育资助");
    let values = routes::values(Fields {
        village_id,
        head_name,
        head_name_bo: Some(head_name_bo),
        members,
        member_names: member_names.as_deref(),
        phone: phone.as_deref(),
        address: Some(GROUPS[k % GROUPS.len()]),
        category,
        monitoring_type,
        category_since: since,
        causes: &causes,
        notes,
    })?;
    let row = q::Households::insert(conn, department_id, &values, zhucun_persistence::now())?;
    let id = row.household.id;
    for &(category, monitoring_type, since) in steps {
        let note = match category {
            "lifted" => Some("2020年脱贫退出"),
            "monitored" => Some("纳入防返贫动态监测"),
            _ => None,
        };
        q::append_category(
            conn,
            &NewCategory {
                department_id,
                household_id: id,
                category: category.to_owned(),
                monitoring_type: monitoring_type.map(str::to_owned),
                since,
                note: note.map(str::to_owned),
                recorded_by: None,
                recorded_at: zhucun_persistence::now(),
            },
        )?;
    }
    Ok(id)
}

fn check(
    conn: &mut DbConnection,
    department_id: i64,
    village_id: i64,
    household_id: i64,
    k: usize,
    year: i32,
) -> Result<(), Error> {
    let v = routes::check_values(household_id, village_id, year, &checklist(k, year))?;
    q::Checks::insert(conn, department_id, &v, zhucun_persistence::now())?;
    Ok(())
}

/// Households of the finance department's current villages (in `CURRENT` order: 马格达村,
/// 亚卡亚村, 下地村, 琼果村): (poor or marginal at the end of 2019, ordinary) per village.
const SPLIT: [(usize, usize); 4] = [(48, 8), (46, 8), (42, 7), (40, 7)];

pub(super) fn load(
    conn: &mut DbConnection,
    fin: i64,
    fin_villages: &[i64],
    jt: i64,
    deji: i64,
) -> Result<(), Error> {
    let this_year = zhucun_domain::calendar::today_local().year();
    let mut k = 0;
    for (&village_id, &(needy, ordinary)) in fin_villages.iter().zip(SPLIT.iter()) {
        for n in 0..needy + ordinary {
            let is_needy = n < needy;
            let (zh, bo) = name(k);
            let steps = history(k, is_needy)?;
            let id = household(conn, fin, village_id, k, (&zh, &bo), &steps)?;
            if is_needy {
                check(conn, fin, village_id, id, k, 2019)?;
                check(conn, fin, village_id, id, k, this_year)?;
            }
            k += 1;
        }
    }
    // 交通运输厅's 德吉村: a lifted, a monitored and two ordinary households.
    let jt_households: [(&str, &str, &[Step]); 4] = [
        (
            "边巴次仁",
            "སྤེན་པ་ཚེ་རིང་།",
            &[
                ("poor", None, date(2015, 4, 1)?),
                ("lifted", None, date(2019, 11, 20)?),
            ],
        ),
        (
            "拉巴卓玛",
            "ལྷག་པ་སྒྲོལ་མ།",
            &[
                ("poor", None, date(2016, 3, 1)?),
                ("lifted", None, date(2019, 12, 10)?),
                ("monitored", Some("unstable_lifted"), date(2022, 6, 1)?),
            ],
        ),
        (
            "次旺多吉",
            "ཚེ་དབང་རྡོ་རྗེ།",
            &[("ordinary", None, date(2016, 1, 1)?)],
        ),
        (
            "白玛央宗",
            "པདྨ་དབྱངས་འཛོམས།",
            &[("ordinary", None, date(2016, 1, 1)?)],
        ),
    ];
    for (i, (zh, bo, steps)) in jt_households.iter().enumerate() {
        let id = household(conn, jt, deji, 1000 + i, (zh, bo), steps)?;
        check(conn, jt, deji, id, 1000 + i, this_year)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_in_both_scripts() {
        let total: usize = SPLIT.iter().map(|(a, b)| a + b).sum();
        let names: std::collections::BTreeSet<String> = (0..total).map(|k| name(k).0).collect();
        assert_eq!(names.len(), total);
        let (zh, bo) = name(0);
        assert_eq!(zh, "扎西次仁");
        assert_eq!(bo, "བཀྲ་ཤིས་ཚེ་རིང་།");
    }

    #[test]
    fn the_needy_households_of_2019_add_up_to_176() {
        assert_eq!(SPLIT.iter().map(|(a, _)| a).sum::<usize>(), 176);
        let end_2019 = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
        for k in 0..300 {
            let steps = history(k, true).unwrap();
            let at_end = steps.iter().rev().find(|s| s.2 <= end_2019).unwrap();
            assert!(matches!(at_end.0, "poor" | "marginal"), "{k}: {steps:?}");
            assert!(steps.windows(2).all(|w| w[0].2 <= w[1].2), "{k}: in order");
        }
    }
}
