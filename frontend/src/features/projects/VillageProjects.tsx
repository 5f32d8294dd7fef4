// The "驻村项目" section of a village's page: its projects (most recently changed first) with their
// stage, and a link to the board filtered by the village.
import { PlusOutlined, ProjectOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, List, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { fetchProjects, projectKeys } from "./api";
import { StageTag, Yuan } from "./ProjectParts";

const SHOWN = 10;

export function VillageProjects({ villageId }: { villageId: number }) {
  const { t } = useTranslation();
  const canWrite = useCanWrite("projects");
  const query = { village_id: villageId, limit: SHOWN, sort: "-updated" };
  const projects = useQuery({ queryKey: projectKeys.list(query), queryFn: () => fetchProjects(query) });
  useEffect(() => {
    import("./ProjectBoardPage").catch(() => undefined);
    import("./ProjectDetailPage").catch(() => undefined);
  }, []);
  const items = projects.data?.items ?? [];
  const total = projects.data?.total;
  const more = total ? (total.exact ? total.count - items.length : null) : null;
  return (
    <Card
      size="small"
      id="projects"
      className="card-wrap"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("project.villageSection")}</h2>}
      style={{ marginTop: 16 }}
      data-testid="village-projects"
      extra={
        canWrite && (
          <Link to={`/villages/${villageId}/projects/new`} tabIndex={-1}>
            <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="village-project-new">
              {t("project.add")}
            </Button>
          </Link>
        )
      }
    >
      {projects.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={projects.error.message} />}
      <List
        size="small"
        loading={projects.isPending}
        dataSource={items}
        locale={{ emptyText: <Typography.Text type="secondary">{t("project.villageNone")}</Typography.Text> }}
        renderItem={(p) => (
          <List.Item key={p.id} data-testid="village-project">
            <div>
              <Link to={`/projects/${p.id}`}>{p.title}</Link>
              <div>
                <StageTag stage={p.stage} />
                <Typography.Text type="secondary">
                  {t("project.yearOption", { year: p.year })} · {t("project.budget")} <Yuan fen={p.budget_fen} />
                </Typography.Text>
              </div>
            </div>
          </List.Item>
        )}
      />
      <div style={{ marginTop: 8 }}>
        <Link to={`/projects?village=${villageId}`} data-testid="village-projects-link">
          <ProjectOutlined /> {more && more > 0 ? t("project.villageMore", { count: more }) : t("project.villageBoard")}
        </Link>
      </div>
    </Card>
  );
}
