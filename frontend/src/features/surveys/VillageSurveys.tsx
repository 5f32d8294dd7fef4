// The "村情调研" section of a village's page: its surveys by year with the key figures, every
// figure in the expanded row, links to add a year, correct one, and compare the years.
import { EditOutlined, LineChartOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Space, Table, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { formatCount, formatMu, formatYuan } from "../../lib/amounts";
import { fetchSurveys, LIVESTOCK_KINDS, surveyKeys, villageSurveysQuery, type Survey } from "./api";

/** The year a new survey is most likely for: this year, else next year, if not recorded yet. */
export function nextYear(recorded: number[], today = new Date()): number | undefined {
  const year = today.getFullYear();
  return [year, year + 1].find((y) => !recorded.includes(y));
}

export function SurveyFigures({ survey }: { survey: Survey }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatCount(v, i18n.language);
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid={`survey-figures-${survey.year}`}>
      <Descriptions.Item label={t("survey.population")}>{n(survey.population)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.households")}>{n(survey.households)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.poor_households")}>{n(survey.poor_households)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.marginal_households")}>{n(survey.marginal_households)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.pasture_mu")}>{formatMu(survey.pasture_mu, i18n.language)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.cultivated_mu")}>{formatMu(survey.cultivated_mu, i18n.language)}</Descriptions.Item>
      {LIVESTOCK_KINDS.map((kind) => (
        <Descriptions.Item key={kind} label={t(`survey.${kind}`)}>
          {n(survey.livestock[kind] ?? 0)}
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t("survey.per_capita_income_fen")}>{formatYuan(survey.per_capita_income_fen, i18n.language)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.collective_income_fen")}>{formatYuan(survey.collective_income_fen, i18n.language)}</Descriptions.Item>
      <Descriptions.Item label={t("survey.main_industries")}>{survey.main_industries}</Descriptions.Item>
      <Descriptions.Item label={t("survey.report")} span={3}>
        <span style={{ whiteSpace: "pre-wrap" }}>{survey.report}</span>
      </Descriptions.Item>
    </Descriptions>
  );
}

export function VillageSurveys({ villageId }: { villageId: number }) {
  const { t, i18n } = useTranslation();
  const canWrite = useCanWrite("surveys");
  const query = villageSurveysQuery(villageId);
  const surveys = useQuery({ queryKey: surveyKeys.list(query), queryFn: () => fetchSurveys(query), enabled: Number.isFinite(villageId) });
  // The form's chunk arrives while the page is read, so "add" works after the link drops too.
  useEffect(() => {
    if (canWrite) import("./SurveyFormPage").catch(() => undefined);
  }, [canWrite]);
  const items = surveys.data?.items ?? [];
  const year = nextYear(items.map((s) => s.year));
  const n = (v: number) => formatCount(v, i18n.language);
  return (
    <Card
      size="small"
      id="surveys"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("survey.list")}</h2>}
      style={{ marginTop: 16 }}
      data-testid="village-surveys"
      extra={
        <Space wrap size="small">
          <Link to={`/villages/${villageId}/surveys/compare`} data-testid="survey-compare">
            <LineChartOutlined /> {t("survey.compare")}
          </Link>
          {canWrite && (
            <Link to={`/villages/${villageId}/surveys/new${year ? `?year=${year}` : ""}`}>
              <Button size="small" type="primary" icon={<PlusOutlined />} data-testid="survey-new" tabIndex={-1}>
                {t("survey.add")}
              </Button>
            </Link>
          )}
        </Space>
      }
    >
      {surveys.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={surveys.error.message} />}
      <Table<Survey>
        rowKey="id"
        size="small"
        loading={surveys.isFetching}
        dataSource={items}
        pagination={false}
        scroll={{ x: "max-content" }}
        // antd's own empty text is too pale for WCAG AA contrast.
        locale={{ emptyText: <Typography.Text type="secondary">{t("survey.none")}</Typography.Text> }}
        data-testid="survey-table"
        expandable={{ expandedRowRender: (survey) => <SurveyFigures survey={survey} /> }}
        columns={[
          { title: t("survey.year"), dataIndex: "year", render: (y: number) => <strong>{y}</strong> },
          { title: t("survey.population"), dataIndex: "population", align: "right", render: n },
          { title: t("survey.households"), dataIndex: "households", align: "right", render: n },
          { title: t("survey.poor_households"), dataIndex: "poor_households", align: "right", render: n },
          {
            title: t("survey.per_capita_income_fen"),
            dataIndex: "per_capita_income_fen",
            align: "right",
            render: (fen: number) => formatYuan(fen, i18n.language),
          },
          ...(canWrite
            ? [
                {
                  title: t("common.actions"),
                  key: "actions",
                  render: (_: unknown, survey: Survey) => (
                    <Link to={`/surveys/${survey.id}/edit`} data-testid={`survey-edit-${survey.year}`} aria-label={`${t("common.edit")} ${survey.year}`}>
                      <EditOutlined /> {t("common.edit")}
                    </Link>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
