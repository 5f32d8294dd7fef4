// A household: created from its village (`/villages/:villageId/households/new`) or the list
// (`/households/new`, the village chosen), corrected at `/households/:id/edit`. The category of a
// new household is its history's first entry; later changes go through 变更类别 on its page.
// Saved through RecordForm and the outbox; an ID number is refused by the server (`national_id`).
import { Alert, Col, DatePicker, Form, Input, InputNumber, Row } from "antd";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { FormSelect } from "../../components/FormSelect";
import { VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { VillageName } from "../../components/VillageName";
import { fetchVillage } from "../villages/api";
import { CATEGORIES, CAUSES, householdForm, MONITORING_TYPES, today, type HouseholdValues } from "./api";

/** antd's DatePicker over a `YYYY-MM-DD` string value (what the API takes). */
export function DateField({ value, onChange, testId, ...rest }: { value?: string; onChange?: (v: string) => void; testId: string; id?: string }) {
  return (
    <DatePicker
      {...rest}
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d ? d.format("YYYY-MM-DD") : "")}
      disabledDate={(d) => d.format("YYYY-MM-DD") > today()}
      inputReadOnly={false}
      style={{ width: "100%" }}
      data-testid={testId}
    />
  );
}

/** The department's village picker inside a Form.Item (without `aria-required`, see FormSelect). */
function VillagePicker(props: Parameters<typeof VillageSelect>[0] & { "aria-required"?: unknown }) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <VillageSelect {...rest} />;
}

export default function HouseholdFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const params = useParams();
  const villageId = params.villageId ? Number(params.villageId) : null;
  const def = useMemo(() => householdForm(villageId), [villageId]);
  const page = useRecordPage(def);
  const village = useQuery({ queryKey: ["villages", villageId], queryFn: () => fetchVillage(villageId!), enabled: villageId !== null && page.isNew });
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  const required = { required: true, message: t("form.required") };
  const half = { xs: 24, sm: 12 };
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <Alert type="info" showIcon style={{ marginBottom: 12, maxWidth: 640 }} message={t("household.personalHint")} />
      <RecordForm<HouseholdValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        // Without the village field (fixed by the page, or an edit), a server error about
        // `village_id` is shown as a general message instead of beside a field that is not there.
        fields={page.isNew && villageId === null ? formProps.fields : formProps.fields.filter((f) => f !== "village_id")}
        draftKey={villageId !== null ? `household.new.${villageId}` : formProps.draftKey}
        testId="household-form"
      >
        {page.isNew && villageId === null && (
          <Form.Item name="village_id" label={t("household.village")} rules={[required]}>
            {isVillageUser(role) ? (
              <FormSelect<number> options={(me?.villages ?? []).map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            ) : (
              <VillagePicker data-testid="field-village_id" />
            )}
          </Form.Item>
        )}
        {page.isNew && village.data && (
          <p data-testid="household-village">
            {t("household.village")}：<VillageName name={village.data.data.name} nameBo={village.data.data.name_bo} />
          </p>
        )}
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="head_name" label={t("household.head_name")} rules={[{ ...required, whitespace: true }]}>
              <Input maxLength={100} autoComplete="off" data-testid="field-head_name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="head_name_bo" label={t("household.head_name_bo")}>
              <Input lang="bo" className="bo" maxLength={200} autoComplete="off" data-testid="field-head_name_bo" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="members" label={t("household.members")} rules={[required]}>
              <InputNumber min={1} max={50} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-members" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="phone" label={t("household.phone")}>
              <Input inputMode="tel" autoComplete="off" maxLength={40} data-testid="field-phone" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="member_names" label={t("household.member_names")}>
          <Input maxLength={500} autoComplete="off" data-testid="field-member_names" />
        </Form.Item>
        <Form.Item name="address" label={t("household.address")}>
          <Input maxLength={100} data-testid="field-address" />
        </Form.Item>
        {page.isNew && (
          <Row gutter={16}>
            <Col {...half}>
              <Form.Item name="category" label={t("household.category")} rules={[required]}>
                <FormSelect<string> options={CATEGORIES.map((c) => ({ value: c, label: t(`household.categories.${c}`) }))} data-testid="field-category" />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item noStyle shouldUpdate={(a: HouseholdValues, b: HouseholdValues) => a.category !== b.category}>
                {({ getFieldValue }) =>
                  getFieldValue("category") === "monitored" ? (
                    <Form.Item name="monitoring_type" label={t("household.monitoring_type")} rules={[required]}>
                      <FormSelect<string> options={MONITORING_TYPES.map((m) => ({ value: m, label: t(`household.monitoring.${m}`) }))} data-testid="field-monitoring_type" />
                    </Form.Item>
                  ) : null
                }
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item name="category_since" label={t("household.category_since")} rules={[required]}>
                <DateField testId="field-category_since" />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Form.Item name="causes" label={t("household.causes")}>
          <FormSelect<string[]>
            mode="multiple"
            allowClear
            options={CAUSES.map((c) => ({ value: c, label: t(`household.cause.${c}`) }))}
            data-testid="field-causes"
          />
        </Form.Item>
        <Form.Item name="notes" label={t("household.notes")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} data-testid="field-notes" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
