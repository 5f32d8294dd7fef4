// The "add assistance" form, short enough for a phone: date (today), kind, amount in 元,
// description; the cadre is optional (the server takes the household's only paired cadre of that
// year). `/households/:householdId/assistance/new` or `/assistance/:id/edit`; saved through
// RecordForm and the outbox (offline → 待同步, sent once when the link returns).
import { Form, Input, Radio, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { detailKey, useRecordPage } from "../../components/RecordPage";
import { yuanToFen } from "../../lib/amounts";
import { fetchHousehold, householdKeys } from "../households/api";
import { DateField } from "../households/HouseholdFormPage";
import { HeadName } from "../households/HouseholdTags";
import { assistanceForm, fetchAssistance, fetchPairings, householdPairingsQuery, KINDS, pairingKeys, type AssistanceValues } from "./api";

export default function AssistanceFormPage() {
  const { t } = useTranslation();
  const params = useParams();
  const fromRoute = params.householdId ? Number(params.householdId) : null;
  const def = useMemo(() => assistanceForm(fromRoute), [fromRoute]);
  const page = useRecordPage(def);
  const householdId = fromRoute ?? (page.formProps.initialValues as Partial<AssistanceValues>).household_id ?? null;
  const household = useQuery({ queryKey: householdKeys.detail(householdId ?? 0), queryFn: () => fetchHousehold(householdId!), enabled: householdId !== null });
  // The cadres paired with this household (any year) are the likely givers.
  const pq = householdPairingsQuery(householdId ?? 0);
  const pairings = useQuery({ queryKey: pairingKeys.list(pq), queryFn: () => fetchPairings(pq), enabled: householdId !== null });
  // Editing: the recorded cadre is offered by name even when no pairing names them.
  const record = useQuery({ queryKey: detailKey("assistance", page.id), queryFn: () => fetchAssistance(page.id!), enabled: page.id !== null });
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  const cadres = new Map<number, string>();
  if (record.data) cadres.set(record.data.data.cadre_id, record.data.data.cadre_name);
  for (const p of pairings.data?.items ?? []) if (!cadres.has(p.cadre_id)) cadres.set(p.cadre_id, `${p.cadre_name}（${p.year}）`);
  const required = { required: true, message: t("form.required") };
  const yuan: Rule[] = [
    required,
    { validator: (_, v: string) => (!v || yuanToFen(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("assistance.yuanInvalid")))) },
  ];
  const h = household.data?.data;
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      {h && (
        <Typography.Paragraph type="secondary" data-testid="assistance-subject">
          <HeadName name={h.head_name} nameBo={h.head_name_bo} /> · {h.village_name}
        </Typography.Paragraph>
      )}
      <RecordForm<AssistanceValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        draftKey={fromRoute !== null ? `assistance.new.${fromRoute}` : formProps.draftKey}
        testId="assistance-form"
      >
        <Form.Item name="given_on" label={t("assistance.given_on")} rules={[required]}>
          <DateField testId="field-given_on" />
        </Form.Item>
        <Form.Item name="kind" label={t("assistance.kind")} rules={[required]}>
          <Radio.Group
            {...{ role: "radiogroup" }}
            optionType="button"
            options={KINDS.map((k) => ({ value: k, label: t(`assistance.kinds.${k}`) }))}
            data-testid="field-kind"
          />
        </Form.Item>
        <Form.Item name="amount_fen" label={t("assistance.amount_fen")} rules={yuan} extra={t("assistance.yuanHint")}>
          <Input inputMode="decimal" autoComplete="off" suffix={t("assistance.yuan")} data-testid="field-amount_fen" />
        </Form.Item>
        <Form.Item name="description" label={t("assistance.description")} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={500} data-testid="field-description" />
        </Form.Item>
        <Form.Item name="cadre_id" label={t("assistance.cadre_id")} extra={t("assistance.cadreHint")}>
          <FormSelect<number>
            allowClear
            placeholder={t("assistance.cadreDefault")}
            options={[...cadres].map(([value, label]) => ({ value, label }))}
            data-testid="field-cadre_id"
          />
        </Form.Item>
      </RecordForm>
    </>
  );
}
