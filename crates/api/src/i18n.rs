//! Server messages in the caller's language. Every problem and field error carries a stable
//! `code` (and `params`) for clients to translate themselves; a caller that sends
//! `Accept-Language: zh…` (curl users, integrators) also gets `detail` and field messages in
//! Chinese. English is the default.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

tokio::task_local! {
    /// The language of the request being answered, set by the app's middleware.
    pub static CURRENT_LANG: Lang;
}

/// The first language of `Accept-Language` that we speak (by quality, then order); English
/// otherwise.
pub fn negotiate(header: Option<&str>) -> Lang {
    let Some(header) = header else {
        return Lang::En;
    };
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut bits = part.trim().split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let lang = if tag.starts_with("zh") {
            Lang::Zh
        } else if tag.starts_with("en") {
            Lang::En
        } else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, l)| l)
}

pub fn current() -> Lang {
    CURRENT_LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// The Chinese template of a field error's code; `{name}` is replaced by the parameter.
fn field_zh(code: &str) -> Option<&'static str> {
    Some(match code {
        "required" => "必填",
        "empty" => "不能为空",
        "too_long" => "不能超过 {max} 个字符",
        "too_short" => "至少需要 {min} 个字符",
        "between" => "必须在 {min} 到 {max} 之间",
        "one_of" => "必须是以下之一：{allowed}",
        "no_such" => "本部门没有这个{entity}",
        "no_such_active" => "本部门没有这个在用的{entity}",
        "duplicate" => "已有相同的记录",
        "mu_decimal" => "须为亩数，最多一位小数，例如 12500.5",
        "exceeds_households" => "不能多于全村户数",
        "shares_exceed_households" => "贫困户与边缘户之和不能多于全村户数",
        "username_format" => "须为 3–64 个字符：小写字母、数字、“.”“_”或“-”",
        "password_is_username" => "不能与用户名相同",
        "required_for_team" => "驻村队员账号必须关联干部（其驻村关系决定可见的村庄）",
        "required_for_committee" => "村委会账号必须关联村庄",
        "only_committee_village" => "只有村委会账号关联村庄",
        "not_tibetan" => "须使用藏文书写",
        "control_characters" => "不能包含控制字符",
        "invisible_characters" => "不能包含方向控制符等不可见字符",
        "before_programme" => "不能早于驻村工作开始日期（{date}）",
        "not_after" => "必须晚于 {other}",
        "before" => "不能早于 {other}",
        "after_round" => "不能晚于本批次结束日期（{end}）",
        "outside_round" => "必须在本批次期间（{start} – {end}）",
        "digits" => "须为 {min} 到 {max} 位数字",
        "required_with" => "填写 {other} 时必填",
        "unknown_field" => "不是本请求的字段",
        "wrong_type" => "类型或格式不正确",
        "unknown_parameter" => "不是本列表的参数",
        "if_match_syntax" => "须为 * 或带引号的版本标记，例如 \"3\"",
        "header_unreadable" => "无法读取",
        "idempotency_key_syntax" => "须为 1–255 个可见 ASCII 字符",
        "bad_cursor" => "不是本列表此排序的游标，请不带游标重新开始",
        "nul_character" => "不能包含空字符（U+0000）",
        "raw_url_bytes" => "网址中的中文、藏文等非 ASCII 字符须按 UTF-8 百分号编码（curl 请用 -G --data-urlencode）",
        "membership_overlap" => "该干部在这段时间已是其他工作队的成员",
        "own_department" => "不能停用本部门",
        "year_span" => "起止年份须在 2011–2100 之间，且起始不晚于结束",
        "wrong_password" => "当前密码不正确",
        "phone_format" => "须为电话号码：数字、空格、“+”或“-”",
        "unknown_prefecture" => "须为西藏自治区的地级市（地区），或“未记录”",
        "county_not_in_prefecture" => "须为{prefecture}所辖的县（区），或“未记录”",
        "monitoring_type_required" => "监测户必须填写监测类型",
        "monitoring_type_only_monitored" => "只有监测户填写监测类型",
        "since_before_current" => "不能早于当前类别的起始日期（{date}）",
        "not_future" => "不能晚于今天",
        "repeated" => "{value} 重复出现",
        "national_id" => "不能包含身份证号（系统不保存身份证号）",
        "same_category" => "与当前类别相同，无需变更",
        "quantity_decimal" => "须为大于 0 的数量，最多三位小数，例如 15.5",
        "donation_source" => "捐赠的来源须为“社会捐赠”",
        "donor_without_source" => "只有来源为“社会捐赠”的台账填写捐赠方",
        "goods_only_in_kind" => "只有实物捐赠填写物品、数量和单位",
        "project_other_village" => "项目须属于同一村庄",
        "not_for_kind" => "这类活动不填写此项（只属于“{kind}”）",
        "not_for_status" => "只有转为“{status}”时填写此项",
        "household_other_village" => "农牧户须属于同一村庄",
        "household_or_raised_by" => "请选择提出诉求的农牧户，或填写提出人（二选一）",
        "no_accounts" => "该合作社还没有这一年的账目，请先录入",
        "not_more_than" => "不能多于 {other}",
        "period_too_long" => "公开期间最长一年",
        "range_reversed" => "结束日期不能早于开始日期",
        "range_too_long" => "一次最多 {max} 天",
        "reason_only_away" => "只有离村的日子填写原因",
        "month_format" => "月份须写作 YYYY-MM，例如 2019-06",
        "outside_membership" => "须在该干部的驻村期间内",
        "too_many" => "最多 {max} 项",
        // Excel import (routes/imports.rs).
        "import_not_xlsx" => "不是 Excel 工作簿（.xlsx）",
        "import_empty" => "列名下面没有数据行",
        "import_headings" => {
            "第 1 行须为模板的列名（{expected}）；缺少：{missing}；无法识别：{unknown}"
        }
        "import_too_many_rows" => "行数过多，请拆分文件",
        "import_number" => "须为数字",
        "import_integer" => "须为整数",
        "import_date" => "须为日期，例如 2016-03-01",
        "import_duplicate_row" => "与本文件第 {row} 行重复（匹配键相同）",
        "import_ambiguous" => "与本部门多条记录相符，请先在系统中更正",
        "import_category_changed" => "已登记农牧户的类别须通过类别记录变更，不能通过导入修改",
        "import_forbidden" => "无权修改这条记录",
        "scope_regional_only" => "权限范围 {scope} 只授予区域级客户端",
        // statistics
        "division_code" => "须为西藏自治区的行政区划代码（见 /divisions），例如 540200",
        "year_or_range" => "请填写 year，或同时填写 from 和 to（二选一）",
        _ => return None,
    })
}

/// Chinese names of the entities that `no_such` names.
fn entity_zh(entity: &str) -> &str {
    match entity {
        "office" => "处室",
        "village" => "村庄",
        "cadre" => "干部",
        "round" => "批次",
        "team" => "工作队",
        "user" => "用户",
        "department" => "部门",
        "household" => "农牧户",
        "pairing" => "结对",
        "assistance" => "帮扶记录",
        "project" => "驻村项目",
        "donor" => "捐赠方",
        "ledger_entry" => "台账记录",
        "activity" => "活动",
        "need" => "群众诉求",
        "cooperative" => "合作社",
        "cooperative_member" => "合作社成员",
        other => other,
    }
}

/// The Chinese detail of a problem by its code, where the English one carries nothing the code
/// does not already say.
pub fn problem_zh(code: &str, params: &BTreeMap<String, String>) -> Option<String> {
    // The stages a project may move to, by their Chinese names (none: 无).
    let mut params = params.clone();
    if let Some(allowed) = params.get_mut("allowed") {
        let names: Vec<&str> = allowed
            .split(", ")
            .filter(|c| !c.is_empty())
            .map(|c| {
                zhucun_domain::project::Stage::from_code(c)
                    .map(|s| s.label())
                    .or_else(|| zhucun_domain::need::Status::from_code(c).map(|s| s.label()))
                    .or_else(|| zhucun_domain::disclosure::Status::from_code(c).map(|s| s.label()))
                    .unwrap_or(c)
            })
            .collect();
        *allowed = if names.is_empty() {
            "无".to_owned()
        } else {
            names.join("、")
        };
    }
    if let Some(s) = params.get_mut("status") {
        if let Some(status) = zhucun_domain::decision::Status::from_code(s) {
            *s = status.label().to_owned();
        }
    }
    let params = &params;
    let t = match code {
        "validation" => "请求有误，请查看各字段的说明",
        "bad_request" => "请求格式不正确",
        "unauthorized" => "未登录或登录已失效，请重新登录",
        "forbidden" => "您的角色无权进行此操作",
        "not_found" => "没有这个资源",
        "method_not_allowed" => "此资源不支持该方法",
        "conflict" => "与已有记录冲突",
        "precondition_failed" => "该记录已被他人修改，请重新加载后再试",
        "payload_too_large" => "请求内容过大",
        "unsupported_media_type" => "请以 application/json 发送请求体",
        "idempotency_key_reused" => "该幂等键已用于另一请求，请换一个新的键",
        "too_many_requests" => "尝试过于频繁，请 {seconds} 秒后再试",
        "unavailable" => "数据库繁忙，请稍后再试",
        "internal" => "发生意外错误，已记录",
        "self_demotion" => "不能停用自己或取消自己的管理员角色，请让其他管理员操作",
        "last_admin" => "这是本部门最后一位在用的管理员",
        "illegal_transition" => "现在不能转到这一阶段或状态；您现在可以转到：{allowed}",
        "project_final" => "项目已验收或已取消，不能再修改",
        "project_past_declared" => "项目已过申报阶段，只有厅机关可以修改",
        "ledger_kind_not_yours" => {
            "您的角色不能记录这类台账：厅机关记录拨付，驻村工作队记录支出和捐赠"
        }
        "confirmation_by_committee" => "只有本村村委会可以确认收到",
        "already_reversed" => "这笔台账已经冲销过",
        "reversal_of_reversal" => "冲销记录不能再冲销，请重新记一笔",
        "already_confirmed" => "村委会已经确认过这笔台账",
        "not_confirmable" => "冲销记录或已冲销的台账不需要确认",
        "distribution_below_sixty_percent" => "按交易量返还的盈余不得低于可分配盈余的 60%：至少应为 {required_fen} 分，方案为 {planned_fen} 分，还差 {short_fen} 分",
        "no_surplus" => "本年度可分配盈余为 {distributable_fen} 分，没有可分配的盈余",
        "no_basis" => "没有成员可作为这部分分配的依据（无交易量或无出资）",
        "distribution_exists" => "该年度的盈余已经分配过，每年只能分配一次",
        "accounts_distributed" => "该年度的盈余已经分配，年度账目已关闭，不能再修改",
        "export_too_large" => "Excel 文件最多 {max_rows} 行，请缩小筛选范围或下载 CSV",
        "decision_step_out_of_order" => "现在不能记录这一步：下一步应为第 {next_step} 步",
        "decision_stopped" => "该事项已结束（{status}），不能再记录步骤或修改",
        "committee_only" => "只有本村村委会可以记录四议两公开的步骤、公开或撤回公开内容",
        "disclosure_not_draft" => "已公开或已撤回的公开内容不能修改，只能撤回",
        "presence_own_or_leader" => "驻村干部只能登记自己的考勤和请假；工作队队长可以为本队队员登记",
        "leave_overlaps" => "这段时间已有待审批或已批准的请假",
        "leave_decided" => "这条请假申请已经审批过",
        "leave_needs_department" => "请假天数超过本部门的本地审批上限，只能由厅机关审批",
        "leave_not_team_leader" => "只有该干部所在工作队的队长可以审批",
        "leave_own_request" => "队长本人的请假由厅机关审批",
        "handover_exists" => "这个工作队的交接书已经起草，请修改已有的交接书",
        "handover_no_incoming_team" => "该村还没有下一批次的工作队，无法交接",
        "handover_signed" => "交接书已签收，不能再修改",
        "handover_incoming_leader_only" => "只有接任工作队的队长可以签收交接书",
        "import_invalid" => "{rows} 行中有 {invalid} 行有错误，未导入任何数据",
        // API clients.
        "insufficient_scope" => "API 客户端的令牌不能访问此接口，或缺少所需的权限范围",
        "regional_operator_only" => "只有运营部门的管理员可以创建区域级 API 客户端",
        "client_revoked" => "该 API 客户端已吊销，不能再修改或轮换密钥",
        _ => return None,
    };
    Some(fill(t, params))
}

/// The Chinese message of a field error, if its code has one.
pub fn field_message_zh(code: &str, params: &BTreeMap<String, String>) -> Option<String> {
    let t = field_zh(code)?;
    let mut params = params.clone();
    if let Some(e) = params.get_mut("entity") {
        *e = entity_zh(e).to_owned();
    }
    if let Some(k) = params.get_mut("kind") {
        if let Some(kind) = zhucun_domain::activity::Kind::from_code(k) {
            *k = kind.label().to_owned();
        }
    }
    if let Some(s) = params.get_mut("status") {
        if let Some(status) = zhucun_domain::need::Status::from_code(s) {
            *s = status.label().to_owned();
        }
    }
    Some(fill(t, &params))
}

fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = template.to_owned();
    for (k, v) in params {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_what_we_speak() {
        assert_eq!(negotiate(None), Lang::En);
        assert_eq!(negotiate(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(negotiate(Some("en-US,zh;q=0.5")), Lang::En);
        assert_eq!(negotiate(Some("fr, zh-Hans;q=0.7")), Lang::Zh);
        assert_eq!(negotiate(Some("bo, fr")), Lang::En);
        assert_eq!(negotiate(Some("zh;q=0, en")), Lang::En);
    }

    #[test]
    fn templates_take_their_parameters() {
        let p: BTreeMap<String, String> =
            [("max".to_owned(), "100".to_owned())].into_iter().collect();
        assert_eq!(
            field_message_zh("too_long", &p).as_deref(),
            Some("不能超过 100 个字符")
        );
        let p: BTreeMap<String, String> = [("entity".to_owned(), "office".to_owned())]
            .into_iter()
            .collect();
        assert_eq!(
            field_message_zh("no_such_active", &p).as_deref(),
            Some("本部门没有这个在用的处室")
        );
        assert_eq!(field_message_zh("no_such_code", &p), None);
    }
}
