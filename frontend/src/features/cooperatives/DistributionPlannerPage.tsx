// 盈余分配方案 (`/cooperatives/:id/distributions/new`): choose a year with accounts, type each
// member's trade volume and the amount going back by trade volume (元), and the page shows, as the
// numbers are typed, the 60 % check and each member's share. The check is the server's: the
// planner sends the plan with `"preview": true` (debounced) and shows its answer — the shares, or
// the 422 `distribution_below_sixty_percent` naming the shortfall (shown in 元), or another
// refusal. 保存方案 stores it through RecordForm and the outbox (offline it waits in 待同步 and the
// server checks it when sent; a 409 on `year` means the year already has a plan).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Card, Col, Form, Input, Row, Spin, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { fieldMessage, problemMessage, type Translate } from "../../api/problem";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { formatYuan, parseYuan } from "../../lib/amounts";
import { useOnline } from "../../lib/useOnline";
import {
  classifyPreviewError,
  coopKeys,
  fetchCooperative,
  fetchDistributions,
  fetchMembers,
  fetchYears,
  isYuanOrBlank,
  PLAN_FIELDS,
  planBody,
  planCreate,
  percentOf,
  previewPlan,
  requiredByTrade,
  sharesInYear,
  type Distribution,
  type Member,
  type PlanValues,
  type PreviewState,
  type YearAccounts,
} from "./api";
import { Yuan } from "./CoopParts";
import { SharesList } from "./SharesList";

const PREVIEW_DELAY_MS = 400;

/** `value` once it has stayed the same for `ms` (compared as JSON). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const json = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(json) as T), ms);
    return () => clearTimeout(timer);
  }, [json, ms]);
  return settled;
}

/** The plan as typed, and the server's verdict on it (a debounced preview; the figures shown are the typed ones). */
function usePlanPreview(coopId: number) {
  const online = useOnline();
  const values = Form.useWatch([], { preserve: true }) as Partial<PlanValues> | undefined;
  const body = useMemo(() => planBody(values ?? {}), [values]);
  const settled = useDebounced(body, PREVIEW_DELAY_MS);
  const typing = JSON.stringify(body) !== JSON.stringify(settled);
  const preview = useQuery({
    queryKey: coopKeys.preview(coopId, settled),
    queryFn: () => previewPlan(coopId, settled!),
    enabled: settled !== null && online,
    retry: false,
    staleTime: 60_000,
    gcTime: 60_000,
  });
  let state: PreviewState;
  if (body === null) state = { kind: "incomplete" };
  else if (!online) state = { kind: "offline" };
  else if (typing || preview.isPending || preview.isFetching) state = { kind: "checking" };
  else if (preview.error) state = classifyPreviewError(preview.error);
  else if (preview.data) state = { kind: "ok", plan: preview.data };
  else state = { kind: "checking" };
  return { values, state };
}

/** The 60 % check, right under the amount it judges: the year's figures, the verdict. */
function PlanCheck({ coopId, years }: { coopId: number; years: YearAccounts[] }) {
  const { t, i18n } = useTranslation();
  const { values, state } = usePlanPreview(coopId);
  const yuan = (fen: number) => formatYuan(fen, i18n.language);
  const accounts = years.find((y) => y.year === values?.year);
  const planned = parseYuan(values?.by_trade_fen);
  return (
    <Card size="small" className="card-wrap" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("coopPlan.check")}</h2>} style={{ marginBottom: 16 }} data-testid="plan-check" data-state={state.kind}>
      {accounts && (
        <dl className="coop-figures" style={{ marginBottom: 8 }}>
          <div>
            <dt>{t("coopPlan.distributable")}</dt>
            <dd>
              <Yuan fen={accounts.distributable_fen} testId="plan-distributable" />
            </dd>
          </div>
          <div>
            <dt>{t("coopPlan.required")}</dt>
            <dd>
              <Yuan fen={requiredByTrade(accounts.distributable_fen)} testId="plan-required" />
            </dd>
          </div>
          {planned !== null && (
            <>
              <div>
                <dt>{t("coopPlan.planned")}</dt>
                <dd data-testid="plan-planned">
                  <Yuan fen={planned} /> ({t("coopPlan.percent", { percent: percentOf(planned, accounts.distributable_fen) })})
                </dd>
              </div>
              {planned <= accounts.distributable_fen && (
                <div>
                  <dt>{t("coopPlan.byCapital")}</dt>
                  <dd>
                    <Yuan fen={accounts.distributable_fen - planned} testId="plan-by-capital" />
                  </dd>
                </div>
              )}
            </>
          )}
        </dl>
      )}
      <div aria-live="polite" data-testid="plan-verdict">
        {state.kind === "incomplete" && <Typography.Text type="secondary">{t("coopPlan.incomplete")}</Typography.Text>}
        {state.kind === "checking" && (
          <span>
            <Spin size="small" /> {t("coopPlan.checking")}
          </span>
        )}
        {state.kind === "offline" && <Alert type="info" showIcon message={t("coopPlan.offline")} data-testid="plan-offline" />}
        {state.kind === "short" && (
          <Alert
            type="error"
            showIcon
            message={t("coopPlan.fail", { amount: yuan(state.shortFen) })}
            description={problemMessage(state.problem.problem, t as unknown as Translate, state.problem.status)}
            data-testid="plan-short"
          />
        )}
        {state.kind === "refused" && (
          <Alert
            type="error"
            showIcon
            message={t("coopPlan.refused")}
            description={
              (state.problem.problem?.errors ?? []).length > 0
                ? (state.problem.problem?.errors ?? []).map((e, i) => <div key={i}>{fieldMessage(e, t as unknown as Translate)}</div>)
                : problemMessage(state.problem.problem, t as unknown as Translate, state.problem.status) || state.problem.message
            }
            data-testid="plan-refused"
          />
        )}
        {state.kind === "ok" && <Alert type="success" showIcon message={t("coopPlan.pass")} data-testid="plan-pass" />}
      </div>
    </Card>
  );
}

/** Each member's share, under the trade volumes it follows from (once the plan passes). */
function PlanShares({ coopId }: { coopId: number }) {
  const { t } = useTranslation();
  const { state } = usePlanPreview(coopId);
  return (
    <Card size="small" className="card-wrap" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("coopPlan.shares")}</h2>} style={{ marginBottom: 16 }} data-testid="plan-shares-card">
      {state.kind === "ok" ? (
        <SharesList plan={state.plan} testId="plan-shares" />
      ) : state.kind === "checking" ? (
        <span>
          <Spin size="small" /> {t("coopPlan.checking")}
        </span>
      ) : (
        <Typography.Text type="secondary">{t("coopPlan.sharesAfterCheck")}</Typography.Text>
      )}
    </Card>
  );
}

/** The first year with something to distribute and no plan yet (newest first). */
function defaultYear(years: YearAccounts[], planned: Set<number>): number | undefined {
  return [...years].sort((a, b) => b.year - a.year).find((y) => y.distributable_fen > 0 && !planned.has(y.year))?.year;
}

function TradeInputs({ members, rules }: { members: Member[]; rules: Rule[] }) {
  const { t } = useTranslation();
  const year = Form.useWatch("year") as number | undefined;
  const sharing = year ? members.filter((m) => sharesInYear(m, year)) : [];
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }} data-testid="plan-trade">
      <legend style={{ fontSize: 15, fontWeight: 600, marginBottom: 4 }}>{t("coopPlan.tradeTitle")}</legend>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t("coopPlan.tradeHint")}
      </Typography.Paragraph>
      {year && sharing.length === 0 && <Typography.Text type="secondary">{t("coopPlan.noMembers")}</Typography.Text>}
      <Row gutter={16}>
        {sharing.map((m) => (
          <Col xs={24} sm={12} key={m.id}>
            <Form.Item name={["trade", String(m.id)]} label={m.name} rules={rules}>
              <Input inputMode="decimal" autoComplete="off" suffix="元" data-testid={`trade-${m.id}`} data-member-name={m.name} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </fieldset>
  );
}

export default function DistributionPlannerPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const coopId = Number(useParams().id);
  const enabled = Number.isFinite(coopId);
  const coop = useQuery({ queryKey: coopKeys.detail(coopId), queryFn: () => fetchCooperative(coopId), enabled });
  const years = useQuery({ queryKey: coopKeys.years(coopId), queryFn: () => fetchYears(coopId), enabled });
  const members = useQuery({ queryKey: coopKeys.members(coopId), queryFn: () => fetchMembers(coopId), enabled });
  const plans = useQuery({ queryKey: coopKeys.distributions(coopId), queryFn: () => fetchDistributions(coopId), enabled });
  const loading = [coop, years, members, plans].find((q) => q.isPending);
  const failed = [coop, years, members, plans].find((q) => q.error);
  if (failed?.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={failed.error.message} />;
  if (loading) return <Spin />;
  const c = coop.data!.data;
  const withAccounts = years.data!.items;
  const planned = new Set((plans.data!.items as Distribution[]).map((d) => d.year));
  const choosable = withAccounts.filter((y) => y.distributable_fen > 0);
  const required = { required: true, message: t("form.required") };
  const yuanRule: Rule = { validator: (_, v: string) => (isYuanOrBlank(v) ? Promise.resolve() : Promise.reject(new Error(t("coop.yuanInvalid")))) };
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: coopKeys.all });
  };
  return (
    <>
      <PageTitle>{t("coopPlan.title")}</PageTitle>
      <p data-testid="plan-coop">
        <Link to={`/cooperatives/${c.id}`}>{c.name}</Link>
      </p>
      {choosable.length === 0 ? (
        <Alert
          type="info"
          showIcon
          message={t("coopPlan.noYears")}
          action={<Link to={`/cooperatives/${c.id}/years/new`}>{t("coop.addYear")}</Link>}
          data-testid="plan-no-years"
        />
      ) : (
        <RecordForm<PlanValues, Distribution>
          draftKey={`coopPlan.new.${c.id}`}
          fields={PLAN_FIELDS}
          initialValues={{ year: defaultYear(withAccounts, planned), by_trade_fen: "", trade: {} }}
          resource="cooperatives"
          label={(values) => `${c.name} · ${t("coopPlan.label", { year: values.year ?? "" })}`}
          request={(values, headers) => ({ ...planCreate(c.id, values), idempotencyKey: headers.idempotencyKey })}
          onSaved={() => {
            done();
            navigate(`/cooperatives/${c.id}#distributions`);
          }}
          onQueued={() => {
            done();
            navigate("/outbox");
          }}
          onCancel={() => navigate(-1)}
          saveLabel={t("coopPlan.save")}
          testId="plan-form"
        >
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t("coopPlan.storedHint")}
          </Typography.Paragraph>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="year" label={t("coopPlan.year")} rules={[required]}>
                <FormSelect<number>
                  options={[...choosable]
                    .sort((a, b) => b.year - a.year)
                    .map((y) => ({
                      value: y.year,
                      disabled: planned.has(y.year),
                      label: planned.has(y.year)
                        ? t("coopPlan.yearHasPlan", { year: y.year })
                        : t("coopPlan.yearOption", { year: y.year, amount: formatYuan(y.distributable_fen, i18n.language) }),
                    }))}
                  data-testid="field-year"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="by_trade_fen" label={t("coopPlan.by_trade_fen")} extra={t("coopPlan.byTradeHint")} rules={[required, yuanRule]}>
                <Input inputMode="decimal" autoComplete="off" suffix="元" data-testid="field-by_trade_fen" />
              </Form.Item>
            </Col>
          </Row>
          <PlanCheck coopId={c.id} years={withAccounts} />
          <TradeInputs members={members.data!.items} rules={[yuanRule]} />
          <PlanShares coopId={c.id} />
        </RecordForm>
      )}
    </>
  );
}
