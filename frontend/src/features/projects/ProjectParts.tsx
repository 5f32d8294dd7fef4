// Small pieces the project pages share: the stage tag, the category, amounts in 元, and the card
// the board and the village page show for a project.
import { Card, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { formatYuan } from "../../lib/amounts";
import { STAGE_CLASS, type Project } from "./api";

export function StageTag({ stage }: { stage: string }) {
  const { t } = useTranslation();
  return (
    <Tag className={STAGE_CLASS[stage] ?? ""} data-testid="stage-tag" data-stage={stage} style={{ marginInlineEnd: 4 }}>
      {t(`project.stages.${stage}`, { defaultValue: stage })}
    </Tag>
  );
}

/** Fen as `12,345.00 元` (integer arithmetic only). */
export function Yuan({ fen, testId }: { fen: number; testId?: string }) {
  const { t, i18n } = useTranslation();
  return <span data-testid={testId}>{t("project.yuanAmount", { amount: formatYuan(fen, i18n.language) })}</span>;
}

/** A project on the board: title (its page), village, category, year, budget and funds received. */
export function ProjectCard({ project: p, showStage = false }: { project: Project; showStage?: boolean }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ width: "100%" }} data-testid="project-card" data-project-id={p.id}>
      <Link to={`/projects/${p.id}`} data-testid="project-link" style={{ fontSize: 15, fontWeight: 600, display: "block" }}>
        {p.title}
      </Link>
      <div style={{ marginTop: 4 }}>
        {showStage && <StageTag stage={p.stage} />}
        <Tag style={{ marginInlineEnd: 4 }} data-testid="project-category">
          {t(`project.categories.${p.category}`, { defaultValue: p.category })}
        </Tag>
        <Typography.Text type="secondary">{t("project.yearOption", { year: p.year })}</Typography.Text>
      </div>
      <Typography.Text type="secondary" style={{ display: "block", marginTop: 4 }} data-testid="project-village">
        {p.village_name}
      </Typography.Text>
      <div style={{ marginTop: 2 }}>
        {t("project.budget")} <Yuan fen={p.budget_fen} testId="project-budget" />
      </div>
      <div>
        {t("project.fundsReceived")} <Yuan fen={p.funds_received_fen} testId="project-received" />
      </div>
    </Card>
  );
}
