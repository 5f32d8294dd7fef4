// A cooperative's member: added at `/cooperatives/:coopId/members/new`, corrected at
// `/cooperatives/:coopId/members/:id/edit`. The household link is optional and offers the
// households of the cooperative's village only (the server refuses any other). Contributions are
// typed in 元 and sent as integer fen; their total shows as they are typed.
import { useQuery } from "@tanstack/react-query";
import { Alert, Col, Form, Input, Row, Spin, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { DateField } from "../../components/DateField";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage } from "../../components/RecordPage";
import { formatYuan } from "../../lib/amounts";
import { fetchHousehold, fetchHouseholds, householdKeys } from "../households/api";
import { capitalOf, coopKeys, fetchCooperative, isYuanOrBlank, memberForm, type MemberValues } from "./api";

/** Households of one village, searched by the head's name (Chinese, Tibetan, pinyin). */
function HouseholdPicker({ villageId, value, onChange, id }: { villageId: number; value?: number | null; onChange?: (v: number | null) => void; id?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const query = { village_id: villageId, q: q.trim() || undefined, limit: 50 };
  const found = useQuery({ queryKey: householdKeys.list(query), queryFn: () => fetchHouseholds(query) });
  // The chosen household's name, when it is not among the results shown.
  const listed = (found.data?.items ?? []).some((h) => h.id === value);
  const chosen = useQuery({ queryKey: ["households", value], queryFn: () => fetchHousehold(value!), enabled: value != null && !listed });
  const options = (found.data?.items ?? []).map((h) => ({ value: h.id, label: h.head_name_bo ? `${h.head_name} ${h.head_name_bo}` : h.head_name }));
  if (value != null && !listed && chosen.data) options.unshift({ value, label: chosen.data.data.head_name });
  return (
    <FormSelect<number | null>
      id={id}
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={t("coopMember.householdSearch")}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? <Spin size="small" /> : undefined}
      options={options}
      data-testid="field-household_id"
    />
  );
}

export default function MemberFormPage() {
  const { t, i18n } = useTranslation();
  const coopId = Number(useParams().coopId);
  const def = useMemo(() => memberForm(coopId), [coopId]);
  const page = useRecordPage(def);
  const coop = useQuery({ queryKey: coopKeys.detail(coopId), queryFn: () => fetchCooperative(coopId), enabled: Number.isFinite(coopId) });
  if (page.gate) return page.gate;
  if (coop.isPending) return <Spin />;
  if (coop.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={coop.error.message} />;
  const c = coop.data.data;
  const { key, ...formProps } = page.formProps;
  const required = { required: true, message: t("form.required") };
  const third = { xs: 24, sm: 8 };
  const half = { xs: 24, sm: 12 };
  const yuan: Rule[] = [{ validator: (_, v: string) => (isYuanOrBlank(v) ? Promise.resolve() : Promise.reject(new Error(t("coop.yuanInvalid")))) }];
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <p data-testid="member-form-coop">{t("coopMember.cooperative", { name: c.name })}</p>
      <RecordForm<MemberValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        draftKey={page.isNew ? `coopMember.new.${coopId}` : formProps.draftKey}
        testId="member-form"
      >
        <Form.Item name="name" label={t("coopMember.name")} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={100} autoComplete="off" data-testid="field-name" />
        </Form.Item>
        <Form.Item name="household_id" label={t("coopMember.household_id")} extra={t("coopMember.householdHint")}>
          <HouseholdPicker villageId={c.village_id} />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <DateField name="joined_on" label={t("coopMember.joined_on")} rules={[required]} allowClear={false} testId="field-joined_on" />
          </Col>
          <Col {...half}>
            <DateField name="left_on" label={t("coopMember.left_on")} extra={t("coopMember.leftHint")} testId="field-left_on" />
          </Col>
        </Row>
        <Row gutter={16}>
          {(["cash_fen", "land_fen", "livestock_fen"] as const).map((f) => (
            <Col {...third} key={f}>
              <Form.Item name={f} label={t(`coopMember.${f}`)} rules={yuan}>
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
            const capital = capitalOf(getFieldsValue(["cash_fen", "land_fen", "livestock_fen"]) as Partial<MemberValues>);
            return (
              <p data-testid="member-capital" aria-live="polite">
                {t("coopMember.capital", { amount: capital === null ? "—" : formatYuan(capital, i18n.language) })}
              </p>
            );
          }}
        </Form.Item>
        <Form.Item name="note" label={t("coopMember.note")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="field-note" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
