// 结对覆盖 (department and admin): for a year and optionally a village, the needy households
// (poor, marginal or monitored on the day judged) without a pairing and the active cadres without
// one, each linked — a household to its page (where the team or department pairs it), a cadre to
// the cadres list.
import { Alert, Card, Col, InputNumber, List, Row, Space, Spin, Statistic, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { DownloadButtons } from "../../components/DownloadButton";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { useSearchState } from "../../components/useSearchState";
import { formatDate } from "../../lib/datetime";
import { thisYear } from "../households/api";
import { CategoryTag } from "../households/HouseholdTags";
import { fetchCoverage, pairingKeys, type Coverage } from "./api";

const FIRST_YEAR = 2011;

export default function PairingCoveragePage() {
  const { t, i18n } = useTranslation();
  const search = useSearchState();
  const rawYear = Number(search.get("year"));
  const year = Number.isInteger(rawYear) && rawYear >= FIRST_YEAR && rawYear <= thisYear() + 1 ? rawYear : thisYear();
  const rawVillage = Number(search.get("village"));
  const villageId = Number.isInteger(rawVillage) && rawVillage > 0 ? rawVillage : undefined;
  const query = { year, village_id: villageId };
  const coverage = useQuery({ queryKey: pairingKeys.coverage(query), queryFn: () => fetchCoverage(query) });
  const c: Coverage | undefined = coverage.data;
  return (
    <>
      <PageTitle>{t("coverage.title")}</PageTitle>
      <div className="page-toolbar" data-testid="list-downloads">
        <span>{t("coverage.downloadPairings")}</span>
        <DownloadButtons path="/api/v1/pairings" query={query} baseName={t("nav.pairings")} />
      </div>
      <div className="page-toolbar" data-testid="assistance-downloads">
        <span>{t("coverage.downloadAssistance")}</span>
        <DownloadButtons path="/api/v1/assistance" query={query} baseName={t("nav.assistance")} />
      </div>
      <div className="page-toolbar">
        <label>
          {t("coverage.year")}{" "}
          <InputNumber
            min={FIRST_YEAR}
            max={thisYear() + 1}
            precision={0}
            value={year}
            onChange={(v) => search.set({ year: v ? String(v) : null })}
            style={{ width: 100 }}
            data-testid="coverage-year"
          />
        </label>
        <VillageSelect
          aria-label={t("household.village")}
          placeholder={t("household.allVillages")}
          value={villageId}
          onChange={(v) => search.set({ village: v ? String(v) : null })}
          style={{ minWidth: 180 }}
          data-testid="coverage-village"
        />
      </div>
      {coverage.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={coverage.error.message} />}
      {coverage.isPending && <Spin />}
      {c && (
        <>
          <Typography.Paragraph type="secondary" data-testid="coverage-as-of">
            {t("coverage.asOf", { date: formatDate(c.as_of, i18n.language) })}
          </Typography.Paragraph>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <Card
                size="small"
                className="card-wrap"
                title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("coverage.households")}</h2>}
                data-testid="coverage-households"
              >
                <Space size="large" wrap>
                  <Statistic title={t("coverage.needing")} value={c.households_needing} />
                  <Statistic title={t("coverage.paired")} value={c.households_paired} />
                  <Statistic title={t("coverage.unpaired")} value={c.households_unpaired} valueStyle={c.households_unpaired > 0 ? { color: "#c41d1d" } : undefined} />
                </Space>
                <List
                  size="small"
                  dataSource={c.unpaired_households}
                  data-testid="unpaired-households"
                  locale={{ emptyText: <Typography.Text type="secondary">{t("coverage.allHouseholdsPaired")}</Typography.Text> }}
                  renderItem={(h) => (
                    <List.Item key={h.id} data-testid="unpaired-household">
                      <Space wrap size={[8, 0]}>
                        <Link to={`/households/${h.id}#pairings`}>{h.head_name}</Link>
                        <CategoryTag category={h.category} />
                        <Typography.Text type="secondary">{h.village_name}</Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
                {c.households_unpaired > c.unpaired_households.length && (
                  <Typography.Text type="secondary">{t("coverage.more", { count: c.households_unpaired - c.unpaired_households.length })}</Typography.Text>
                )}
              </Card>
            </Col>
            <Col xs={24} md={12}>
              <Card size="small" className="card-wrap" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("coverage.cadres")}</h2>} data-testid="coverage-cadres">
                <Space size="large" wrap>
                  <Statistic title={t("coverage.cadresActive")} value={c.cadres_active} />
                  <Statistic title={t("coverage.paired")} value={c.cadres_paired} />
                  <Statistic title={t("coverage.unpaired")} value={c.cadres_unpaired} />
                </Space>
                {c.unpaired_cadres.length === 0 ? (
                  <Typography.Paragraph type="secondary">{t("coverage.allCadresPaired")}</Typography.Paragraph>
                ) : (
                  // Up to 500 names: a wrapped list of links, not one row each.
                  <ul className="inline-list" data-testid="unpaired-cadres">
                    {c.unpaired_cadres.map((cadre) => (
                      <li key={cadre.id} data-testid="unpaired-cadre">
                        <Link to={`/cadres/${cadre.id}/edit`}>{cadre.name}</Link>
                      </li>
                    ))}
                  </ul>
                )}
                {c.cadres_unpaired > c.unpaired_cadres.length && (
                  <Typography.Text type="secondary">{t("coverage.more", { count: c.cadres_unpaired - c.unpaired_cadres.length })}</Typography.Text>
                )}
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
