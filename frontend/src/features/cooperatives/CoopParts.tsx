// Small pieces the cooperative pages share: the kind tag, amounts in 元, the five rule documents as
// a checklist (adopted on a date, or 缺), and the card the list and the village page show.
import { CheckCircleFilled, CloseCircleFilled } from "@ant-design/icons";
import { Card, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { formatYuan } from "../../lib/amounts";
import { formatDate } from "../../lib/datetime";
import { RULES, type Cooperative, type RuleDocuments } from "./api";

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Tag className="tag-info" data-testid="coop-kind" style={{ marginInlineEnd: 4 }}>
      {t(`coop.kinds.${kind}`, { defaultValue: kind })}
    </Tag>
  );
}

/** Fen as `12,345.00 元` (integer arithmetic only). */
export function Yuan({ fen, testId }: { fen: number; testId?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <span data-testid={testId} data-fen={fen} style={{ whiteSpace: "nowrap" }}>
      {t("coop.yuanAmount", { amount: formatYuan(fen, i18n.language) })}
    </span>
  );
}

/** 投入与分配, 财务管理, 安全生产, 社员守则, 工资待遇: each adopted on its day, or 缺. */
export function RulesChecklist({ rules }: { rules: RuleDocuments }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="coop-rules" data-testid="coop-rules">
      {RULES.map((r) => {
        const day = rules[r];
        return (
          <li key={r} data-testid={`coop-rule-${r}`} data-present={day ? "true" : "false"}>
            {day ? (
              <CheckCircleFilled style={{ color: "#237804" }} aria-hidden />
            ) : (
              <CloseCircleFilled style={{ color: "#c41d1d" }} aria-hidden />
            )}
            <span className="coop-rule-name">{t(`coop.ruleNames.${r}`)}</span>
            {day ? (
              <Typography.Text type="secondary">{t("coop.ruleAdopted", { date: formatDate(day, i18n.language) })}</Typography.Text>
            ) : (
              <Tag className="tag-error" style={{ marginInlineEnd: 0 }}>
                {t("coop.ruleMissing")}
              </Tag>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A cooperative in a list: name (its page), kind, village, members, capital and rules present. */
export function CoopCard({ coop: c, showVillage = true }: { coop: Cooperative; showVillage?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Card size="small" style={{ width: "100%" }} data-testid="coop-card" data-coop-id={c.id}>
      <Link to={`/cooperatives/${c.id}`} data-testid="coop-link" style={{ fontSize: 15, fontWeight: 600, display: "block", overflowWrap: "anywhere" }}>
        {c.name}
      </Link>
      <div style={{ marginTop: 4 }}>
        <KindTag kind={c.kind} />
        <Tag className={c.rules_present === 5 ? "tag-ok" : "tag-warning"} data-testid="coop-rules-present">
          {t("coop.rulesPresent", { count: c.rules_present })}
        </Tag>
      </div>
      <Typography.Text type="secondary" style={{ display: "block", marginTop: 4 }}>
        {showVillage ? `${c.village_name} · ` : ""}
        {t("coop.foundedOn", { date: formatDate(c.founded_on, i18n.language) })}
      </Typography.Text>
      <div style={{ marginTop: 2 }}>
        {t("coop.membersCount", { count: c.members })} · {t("coop.capital")} <Yuan fen={c.capital_fen} testId="coop-capital" />
      </div>
    </Card>
  );
}
