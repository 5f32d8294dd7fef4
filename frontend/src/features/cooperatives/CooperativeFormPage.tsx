// A cooperative: founded from its village's page (`/villages/:villageId/cooperatives/new`) or the
// list (`/cooperatives/new`, the village chosen), corrected at `/cooperatives/:id/edit`. The five
// rule documents are dates (adopted on) or empty (缺). Saved through RecordForm and the outbox.
import { useQuery } from "@tanstack/react-query";
import { Col, Form, Input, Row, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { VillageName } from "../../components/VillageName";
import { fetchVillage } from "../villages/api";
import { cooperativeForm, coopKeys, fetchCooperative, KINDS, RULES, type CooperativeValues } from "./api";

function VillagePicker(props: Parameters<typeof VillageSelect>[0] & { "aria-required"?: unknown }) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <VillageSelect {...rest} />;
}

export default function CooperativeFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const params = useParams();
  const villageId = params.villageId ? Number(params.villageId) : null;
  const def = useMemo(() => cooperativeForm(villageId), [villageId]);
  const page = useRecordPage(def);
  const village = useQuery({ queryKey: ["villages", villageId], queryFn: () => fetchVillage(villageId!), enabled: villageId !== null && page.isNew });
  const record = useQuery({ queryKey: coopKeys.detail(page.id ?? 0), queryFn: () => fetchCooperative(page.id!), enabled: page.id !== null });
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  const required = { required: true, message: t("form.required") };
  const half = { xs: 24, sm: 12 };
  const chooseVillage = page.isNew && villageId === null;
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <RecordForm<CooperativeValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        draftKey={villageId !== null ? `coop.new.${villageId}` : formProps.draftKey}
        // Without a village field (fixed by the page, or an edit) an error about it shows above the form.
        fields={chooseVillage ? formProps.fields : formProps.fields.filter((f) => f !== "village_id")}
        testId="coop-form"
      >
        {chooseVillage && (
          <Form.Item name="village_id" label={t("coop.village_id")} rules={[required]}>
            {isVillageUser(role) ? (
              <FormSelect<number> options={(me?.villages ?? []).map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            ) : (
              <VillagePicker data-testid="field-village_id" />
            )}
          </Form.Item>
        )}
        {page.isNew && village.data && (
          <p data-testid="coop-form-village">
            {t("coop.village")}：<VillageName name={village.data.data.name} nameBo={village.data.data.name_bo} />
          </p>
        )}
        {!page.isNew && record.data && (
          <p data-testid="coop-form-village">
            {t("coop.village")}：{record.data.data.village_name}
          </p>
        )}
        <Form.Item name="name" label={t("coop.name")} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={100} autoComplete="off" data-testid="field-name" />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="kind" label={t("coop.kind")} rules={[required]}>
              <FormSelect<string> options={KINDS.map((k) => ({ value: k, label: t(`coop.kinds.${k}`) }))} data-testid="field-kind" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <DateField name="founded_on" label={t("coop.founded_on")} rules={[required]} allowClear={false} testId="field-founded_on" />
          </Col>
        </Row>
        <Form.Item name="registration_number" label={t("coop.registration_number")}>
          <Input maxLength={50} autoComplete="off" data-testid="field-registration_number" />
        </Form.Item>
        <fieldset style={{ border: 0, padding: 0, margin: 0 }} data-testid="field-rules">
          <legend style={{ fontSize: 15, fontWeight: 600, marginBottom: 4 }}>{t("coop.rulesTitle")}</legend>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t("coop.rulesHint")}
          </Typography.Paragraph>
          <Row gutter={16}>
            {RULES.map((r) => (
              <Col {...half} key={r}>
                <DateField name={["rules", r]} label={t(`coop.ruleNames.${r}`)} testId={`field-rules-${r}`} />
              </Col>
            ))}
          </Row>
        </fieldset>
        <Form.Item name="notes" label={t("coop.notes")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} data-testid="field-notes" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
