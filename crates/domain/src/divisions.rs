//! The Tibet Autonomous Region's prefecture-level and county-level divisions (市/地区 and
//! 县/区/市) with their administrative codes (GB/T 2260, as published by the Ministry of Civil
//! Affairs: 7 prefectures, 74 counties, including 米林市 and 错那市, county-level cities since
//! 2023). Villages name their 市 and 县 from this list, or 未记录 where the source gives no place.

use crate::validation::{field_error, FieldError};

/// "Not recorded": accepted as a prefecture or county for villages whose place is unknown.
pub const NOT_RECORDED: &str = "未记录";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct County {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefecture {
    pub code: &'static str,
    pub name: &'static str,
    pub counties: &'static [County],
}

const fn c(code: &'static str, name: &'static str) -> County {
    County { code, name }
}

/// The Tibet Autonomous Region (540000), prefecture by prefecture, in code order.
pub const TIBET: &[Prefecture] = &[
    Prefecture {
        code: "540100",
        name: "拉萨市",
        counties: &[
            c("540102", "城关区"),
            c("540103", "堆龙德庆区"),
            c("540104", "达孜区"),
            c("540121", "林周县"),
            c("540122", "当雄县"),
            c("540123", "尼木县"),
            c("540124", "曲水县"),
            c("540127", "墨竹工卡县"),
        ],
    },
    Prefecture {
        code: "540200",
        name: "日喀则市",
        counties: &[
            c("540202", "桑珠孜区"),
            c("540221", "南木林县"),
            c("540222", "江孜县"),
            c("540223", "定日县"),
            c("540224", "萨迦县"),
            c("540225", "拉孜县"),
            c("540226", "昂仁县"),
            c("540227", "谢通门县"),
            c("540228", "白朗县"),
            c("540229", "仁布县"),
            c("540230", "康马县"),
            c("540231", "定结县"),
            c("540232", "仲巴县"),
            c("540233", "亚东县"),
            c("540234", "吉隆县"),
            c("540235", "聂拉木县"),
            c("540236", "萨嘎县"),
            c("540237", "岗巴县"),
        ],
    },
    Prefecture {
        code: "540300",
        name: "昌都市",
        counties: &[
            c("540302", "卡若区"),
            c("540321", "江达县"),
            c("540322", "贡觉县"),
            c("540323", "类乌齐县"),
            c("540324", "丁青县"),
            c("540325", "察雅县"),
            c("540326", "八宿县"),
            c("540327", "左贡县"),
            c("540328", "芒康县"),
            c("540329", "洛隆县"),
            c("540330", "边坝县"),
        ],
    },
    Prefecture {
        code: "540400",
        name: "林芝市",
        counties: &[
            c("540402", "巴宜区"),
            c("540421", "工布江达县"),
            c("540423", "墨脱县"),
            c("540424", "波密县"),
            c("540425", "察隅县"),
            c("540426", "朗县"),
            c("540481", "米林市"),
        ],
    },
    Prefecture {
        code: "540500",
        name: "山南市",
        counties: &[
            c("540502", "乃东区"),
            c("540521", "扎囊县"),
            c("540522", "贡嘎县"),
            c("540523", "桑日县"),
            c("540524", "琼结县"),
            c("540525", "曲松县"),
            c("540526", "措美县"),
            c("540527", "洛扎县"),
            c("540528", "加查县"),
            c("540529", "隆子县"),
            c("540531", "浪卡子县"),
            c("540581", "错那市"),
        ],
    },
    Prefecture {
        code: "540600",
        name: "那曲市",
        counties: &[
            c("540602", "色尼区"),
            c("540621", "嘉黎县"),
            c("540622", "比如县"),
            c("540623", "聂荣县"),
            c("540624", "安多县"),
            c("540625", "申扎县"),
            c("540626", "索县"),
            c("540627", "班戈县"),
            c("540628", "巴青县"),
            c("540629", "尼玛县"),
            c("540630", "双湖县"),
        ],
    },
    Prefecture {
        code: "542500",
        name: "阿里地区",
        counties: &[
            c("542521", "普兰县"),
            c("542522", "札达县"),
            c("542523", "噶尔县"),
            c("542524", "日土县"),
            c("542525", "革吉县"),
            c("542526", "改则县"),
            c("542527", "措勤县"),
        ],
    },
];

/// The prefecture of that name.
pub fn prefecture(name: &str) -> Option<&'static Prefecture> {
    TIBET.iter().find(|p| p.name == name)
}

/// Checks a village's 市: one of [`TIBET`] or [`NOT_RECORDED`]. Gives the prefecture when known.
pub fn check_prefecture(name: &str) -> Result<Option<&'static Prefecture>, FieldError> {
    if name == NOT_RECORDED {
        return Ok(None);
    }
    prefecture(name).map(Some).ok_or_else(|| {
        field_error(
            "prefecture",
            format!(
                "must be a prefecture of the Tibet Autonomous Region (拉萨市, 日喀则市, 昌都市, 林芝市, 山南市, 那曲市, 阿里地区) or {NOT_RECORDED}"
            ),
        )
        .coded("unknown_prefecture", Vec::new())
    })
}

/// Checks a village's 县: a county of its prefecture, or [`NOT_RECORDED`]; with an unrecorded
/// prefecture, any county of the region.
pub fn check_county(prefecture: Option<&Prefecture>, name: &str) -> Result<(), FieldError> {
    if name == NOT_RECORDED {
        return Ok(());
    }
    let found = match prefecture {
        Some(p) => p.counties.iter().any(|c| c.name == name),
        None => TIBET
            .iter()
            .any(|p| p.counties.iter().any(|c| c.name == name)),
    };
    if found {
        return Ok(());
    }
    Err(field_error(
        "county",
        match prefecture {
            Some(p) => format!("must be a county of {} or {NOT_RECORDED}", p.name),
            None => format!("must be a county of the Tibet Autonomous Region or {NOT_RECORDED}"),
        },
    )
    .coded(
        "county_not_in_prefecture",
        vec![(
            "prefecture",
            prefecture.map_or("西藏自治区", |p| p.name).to_owned(),
        )],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn seven_prefectures_and_seventy_four_counties() {
        assert_eq!(TIBET.len(), 7);
        assert_eq!(TIBET.iter().map(|p| p.counties.len()).sum::<usize>(), 74);
        let per: Vec<usize> = TIBET.iter().map(|p| p.counties.len()).collect();
        assert_eq!(per, [8, 18, 11, 7, 12, 11, 7]);
    }

    #[test]
    fn codes_are_unique_and_nested() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for p in TIBET {
            assert!(
                p.code.starts_with("54") && p.code.ends_with("00"),
                "{}",
                p.code
            );
            assert!(codes.insert(p.code));
            for c in p.counties {
                assert_eq!(c.code.len(), 6);
                assert!(c.code.chars().all(|d| d.is_ascii_digit()));
                assert_eq!(&c.code[..4], &p.code[..4], "{} in {}", c.name, p.name);
                assert!(codes.insert(c.code), "{}", c.code);
                assert!(names.insert(c.name), "{}", c.name);
            }
        }
    }

    #[test]
    fn places_are_checked_against_the_list() {
        let lhasa = check_prefecture("拉萨市").ok().flatten();
        assert_eq!(lhasa.map(|p| p.code), Some("540100"));
        assert!(check_county(lhasa, "城关区").is_ok());
        assert!(check_county(lhasa, "班戈县").is_err());
        assert!(check_county(lhasa, NOT_RECORDED).is_ok());
        assert_eq!(check_prefecture(NOT_RECORDED), Ok(None));
        assert!(check_county(None, "班戈县").is_ok());
        assert!(check_county(None, "朝阳区").is_err());
        assert!(check_prefecture("北京市").is_err());
        let nagqu = prefecture("那曲市");
        assert_eq!(
            nagqu
                .and_then(|p| p.counties.iter().find(|c| c.name == "班戈县"))
                .map(|c| c.code),
            Some("540627")
        );
    }
}
