// A cooperative's accounts for a year: recorded at `/cooperatives/:coopId/years/new` (the year
// chosen; a year that already has accounts is refused here, since a PUT without If-Match would
// replace them unseen), corrected at `/cooperatives/:coopId/years/:id/edit` (`:id` is the year;
// the PUT carries the accounts' If-Match). Amounts in 元, sent as integer fen; the distributable
// surplus shows as they are typed (the server computes it the same way). Through the outbox.
import { useQuery } from "@tanstack/react-query";
import { Alert, Col, Form, Input, InputNumber, Row, Spin, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage, type RecordFormDef } from "../../components/RecordPage";
import { formatYuan, parseYuan } from "../../lib/amounts";
import { thisYear } from "../households/api";
import {
  ACCOUNT_FIELDS,
  accountsPut,
  accountsToValues,
  coopKeys,
  distributableOf,
  fetchCooperative,
  fetchYear,
  fetchYears,
  FIRST_YEAR,
  type AccountValues,
  type YearAccounts,
} from "./api";

function yearForm(coopId: number): RecordFormDef<YearAccounts, AccountValues> {
  const put = (year: number, values: AccountValues) => accountsPut(coopId, year, values);
  return {
    resource: "cooperatives",
    i18n: "coopYear",
    fields: ACCOUNT_FIELDS,
    fetchOne: (year) => fetchYear(coopId, year),
    toValues: accountsToValues,
    empty: { year: thisYear() - 1, revenue_fen: "", costs_fen: "", losses_made_good_fen: "", reserves_fen: "" },
    // A new year: no If-Match (the server creates it); the page has checked the year is free.
    create: (values) => put(values.year ?? 0, values),
    update: (year, values) => put(year, values),
    label: (values) => String(values.year ?? ""),
    after: () => `/cooperatives/${coopId}#years`,
  };
}

export default function YearFormPage() {
  const { t, i18n } = useTranslation();
  const coopId = Number(useParams().coopId);
  const def = useMemo(() => yearForm(coopId), [coopId]);
  const page = useRecordPage(def);
  const coop = useQuery({ queryKey: coopKeys.detail(coopId), queryFn: () => fetchCooperative(coopId), enabled: Number.isFinite(coopId) });
  const years = useQuery({ queryKey: coopKeys.years(coopId), queryFn: () => fetchYears(coopId), enabled: page.isNew });
  if (page.gate) return page.gate;
  if (coop.isPending) return <Spin />;
  if (coop.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={coop.error.message} />;
  const { key, ...formProps } = page.formProps;
  const taken = new Set((years.data?.items ?? []).map((y) => y.year));
  const required = { required: true, message: t("form.required") };
  const half = { xs: 24, sm: 12 };
  const amount = (needed: boolean): Rule[] => [
    ...(needed ? [required] : []),
    { validator: (_, v: string) => (!v || v.trim() === "" || parseYuan(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("coop.yuanInvalid")))) },
  ];
  const yearRules: Rule[] = [
    required,
    { validator: (_, v: number | null) => (v != null && page.isNew && taken.has(v) ? Promise.reject(new Error(t("coopYear.yearExists"))) : Promise.resolve()) },
  ];
  return (
    <>
      <PageTitle>{page.isNew ? page.title : t("coop.editYear", { year: page.id })}</PageTitle>
      <p data-testid="year-form-coop">{t("coopYear.cooperative", { name: coop.data.data.name })}</p>
      <RecordForm<AccountValues, YearAccounts>
        key={key}
        {...formProps}
        draftKey={page.isNew ? `coopYear.new.${coopId}` : `coopYear.${coopId}.${page.id}`}
        // Editing, the year is fixed by the page: an error about it shows above the form.
        fields={page.isNew ? formProps.fields : formProps.fields.filter((f) => f !== "year")}
        testId="year-form"
      >
        {page.isNew && (
          <Form.Item name="year" label={t("coopYear.year")} rules={yearRules}>
            <InputNumber min={FIRST_YEAR} max={thisYear()} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-year" />
          </Form.Item>
        )}
        <Row gutter={16}>
          {(
            [
              ["revenue_fen", true],
              ["costs_fen", true],
              ["losses_made_good_fen", false],
              ["reserves_fen", false],
            ] as const
          ).map(([f, needed]) => (
            <Col {...half} key={f}>
              <Form.Item name={f} label={t(`coopYear.${f}`)} rules={amount(needed)}>
                <Input inputMode="decimal" autoComplete="off" suffix="元" data-testid={`field-${f}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t("coop.yuanHint")}
        </Typography.Paragraph>
        <Form.Item noStyle shouldUpdate>
          {({ getFieldsValue }) => {
            const surplus = distributableOf(getFieldsValue() as Partial<AccountValues>);
            return (
              <p data-testid="year-distributable" aria-live="polite" data-fen={surplus ?? ""}>
                <strong>{t("coopYear.distributable", { amount: surplus === null ? "—" : formatYuan(surplus, i18n.language) })}</strong>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {t("coopYear.distributableHint")}
                </Typography.Text>
              </p>
            );
          }}
        </Form.Item>
      </RecordForm>
    </>
  );
}
