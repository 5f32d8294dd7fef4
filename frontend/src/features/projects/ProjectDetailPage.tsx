// A project's page: its fields (budget in 元, beneficiaries, office, supporting unit, description,
// problems, measures), the IATI status derived from its stage, the moves this user may make now
// (ProjectMoves) and the timeline of its stage moves (who, when in Beijing time, from → to, why).
import { EditOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Descriptions, Spin, Tag, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { formatCount } from "../../lib/amounts";
import { formatDateTime } from "../../lib/datetime";
import { fetchTeams, teamKeys, teamLabel } from "../teams/api";
import { fetchEvents, fetchProject, mayEdit, projectKeys, STAGES, type Project, type ProjectEvent } from "./api";
import { ProjectLedger } from "../ledger/LedgerSections";
import { ProjectMoves } from "./ProjectMoves";
import { StageTag, Yuan } from "./ProjectParts";

const sectionTitle = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

/** What a move was: forward, a return one stage back, or a cancel. */
function eventKind(e: ProjectEvent): "forward" | "return" | "cancel" {
  if (e.to === "cancelled") return "cancel";
  const from = STAGES.indexOf(e.from as (typeof STAGES)[number]);
  const to = STAGES.indexOf(e.to as (typeof STAGES)[number]);
  return to < from ? "return" : "forward";
}

const KIND_CLASS = { forward: "tag-info", return: "tag-warning", cancel: "tag-error" } as const;

function StageTimeline({ project }: { project: Project }) {
  const { t, i18n } = useTranslation();
  const events = useQuery({ queryKey: [...projectKeys.events(project.id), project.version], queryFn: () => fetchEvents(project.id) });
  const items = [...(events.data?.items ?? [])].reverse();
  return (
    <Card size="small" id="timeline" className="card-wrap" title={sectionTitle(t("project.timeline"))} style={{ marginTop: 16 }} data-testid="project-timeline">
      {events.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={events.error.message} />}
      {events.isPending ? (
        <Spin />
      ) : (
        <Timeline
          items={[
            ...items.map((e, index) => {
              const kind = eventKind(e);
              return {
                key: e.id,
                color: index === 0 ? "#0958d9" : "#595959",
                children: (
                  <div data-testid="timeline-event" data-to={e.to}>
                    <Typography.Text strong>{formatDateTime(e.at, i18n.language)}</Typography.Text>{" "}
                    <Tag className={KIND_CLASS[kind]}>{t(`project.kinds.${kind}`)}</Tag>
                    <div>
                      <StageTag stage={e.from} /> → <StageTag stage={e.to} />
                    </div>
                    <Typography.Text type="secondary">{t("project.eventBy", { user: e.actor_username })}</Typography.Text>
                    {e.comment && (
                      <div style={{ whiteSpace: "pre-wrap" }} data-testid="timeline-comment">
                        {e.comment}
                      </div>
                    )}
                  </div>
                ),
              };
            }),
            {
              key: "created",
              color: "#595959",
              children: (
                <div data-testid="timeline-created">
                  <Typography.Text strong>{formatDateTime(project.created_at, i18n.language)}</Typography.Text>{" "}
                  <StageTag stage="proposed" />
                </div>
              ),
            },
          ]}
        />
      )}
      {!events.isPending && items.length === 0 && (
        <Typography.Text type="secondary" data-testid="timeline-none">
          {t("project.timelineNone")}
        </Typography.Text>
      )}
    </Card>
  );
}

function TeamName({ villageId, teamId }: { villageId: number; teamId: number }) {
  const query = { village_id: villageId, limit: 500 };
  const teams = useQuery({ queryKey: teamKeys.list(query), queryFn: () => fetchTeams(query) });
  const team = teams.data?.items.find((x) => x.id === teamId);
  return team ? <Link to={`/teams/${team.id}`}>{teamLabel(team)}</Link> : null;
}

export default function ProjectDetailPage() {
  const { t, i18n } = useTranslation();
  const { role } = useAuth();
  const id = Number(useParams().id);
  const project = useQuery({ queryKey: projectKeys.detail(id), queryFn: () => fetchProject(id), enabled: Number.isFinite(id) });
  if (project.isPending) return <Spin />;
  if (project.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={project.error.message} />;
  const p = project.data.data;
  const text = (value: string | null | undefined) => <span style={{ whiteSpace: "pre-wrap" }}>{value ?? ""}</span>;
  return (
    <>
      <PageTitle
        extra={
          mayEdit(role, p.stage) && (
            <Link to={`/projects/${p.id}/edit`} tabIndex={-1}>
              <Button icon={<EditOutlined />} data-testid="project-edit">
                {t("common.edit")}
              </Button>
            </Link>
          )
        }
      >
        <span data-testid="project-title">{p.title}</span>
      </PageTitle>
      <Card size="small">
        <div style={{ marginBottom: 8 }} data-testid="project-stage">
          <StageTag stage={p.stage} />
          <Tag>{t(`project.categories.${p.category}`, { defaultValue: p.category })}</Tag>
          <Typography.Text type="secondary">{t("project.yearOption", { year: p.year })}</Typography.Text>
        </div>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small" data-testid="project-facts">
          <Descriptions.Item label={t("project.village")}>
            <Link to={`/villages/${p.village_id}`}>{p.village_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("project.team_id")}>{p.team_id != null && <TeamName villageId={p.village_id} teamId={p.team_id} />}</Descriptions.Item>
          <Descriptions.Item label={t("project.budget")}>
            <Yuan fen={p.budget_fen} testId="project-budget" />
          </Descriptions.Item>
          <Descriptions.Item label={t("project.funding_source")}>{p.funding_source}</Descriptions.Item>
          <Descriptions.Item label={t("project.beneficiaries")}>
            <span data-testid="project-beneficiaries">
              {t("project.beneficiariesValue", {
                households: formatCount(p.beneficiaries.households ?? 0, i18n.language),
                people: formatCount(p.beneficiaries.people ?? 0, i18n.language),
              })}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("project.office_id")}>{p.office_name}</Descriptions.Item>
          <Descriptions.Item label={t("project.supporting_unit")}>{p.supporting_unit}</Descriptions.Item>
          <Descriptions.Item label={t("project.iati")}>
            <span data-testid="project-iati">
              {t("project.iatiValue", { status: t(`project.iatiStatuses.${p.iati_status}`, { defaultValue: p.iati_status }), code: p.iati_status_code })}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("project.description")} span={3}>
            {text(p.description)}
          </Descriptions.Item>
          <Descriptions.Item label={t("project.problems")} span={3}>
            {text(p.problems)}
          </Descriptions.Item>
          <Descriptions.Item label={t("project.measures")} span={3}>
            {text(p.measures)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <ProjectMoves project={p} etag={project.data.etag} />
      <ProjectLedger project={p} />
      <StageTimeline project={p} />
    </>
  );
}
