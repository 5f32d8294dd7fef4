// 登记诉求 / 编辑诉求 (`/needs/new?village=`, `/needs/:id/edit`), a form that fits a phone: who
// raised it — a household of the village (optional picker) or a person in words —, when, the
// category, what, by when it should be answered, and optionally the project of the same village
// that answers it. Saved through RecordForm and the outbox. The status moves on the queue's cards.
import { Col, Form, Input, Radio, Row } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { HouseholdPicker, ProjectPicker } from "../../components/villageLinks";
import { CATEGORIES, needForm, type Need, type NeedValues } from "./api";

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

function VillagePicker(props: Parameters<typeof VillageSelect>[0] & { "aria-required"?: unknown }) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <VillageSelect {...rest} />;
}

export default function NeedFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const [params] = useSearchParams();
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const fixedVillage = num(params.get("village")) ?? (villageUser && myVillages.length === 1 ? myVillages[0]?.id : undefined);
  const def = useMemo(() => needForm(fixedVillage), [fixedVillage]);
  const page = useRecordPage(def);
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  const required = { required: true, message: t("form.required") };
  const half = { xs: 24, sm: 12 };
  const chooseVillage = page.isNew && fixedVillage === undefined;
  const fields = chooseVillage ? formProps.fields : formProps.fields.filter((f) => f !== "village_id");
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <RecordForm<NeedValues, Need> key={key} {...formProps} fields={fields} testId="need-form">
        {chooseVillage && (
          <Form.Item name="village_id" label={t("need.village")} rules={[required]}>
            {villageUser ? (
              <FormSelect<number> options={myVillages.map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            ) : (
              <VillagePicker data-testid="field-village_id" />
            )}
          </Form.Item>
        )}
        <Form.Item name="raised_kind" label={t("need.raisedKind")}>
          <Radio.Group
            optionType="button"
            options={[
              { value: "person", label: t("need.raisedByPerson") },
              { value: "household", label: t("need.raisedByHousehold") },
            ]}
            data-testid="field-raised_kind"
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a: NeedValues, b: NeedValues) => a.raised_kind !== b.raised_kind || a.village_id !== b.village_id}>
          {({ getFieldValue }) => {
            const villageId = fixedVillage ?? (getFieldValue("village_id") as number | undefined);
            return getFieldValue("raised_kind") === "household" ? (
              <Form.Item name="household_id" label={t("need.household_id")} extra={t("need.householdHint")}>
                <HouseholdPicker villageId={villageId} testId="field-household_id" />
              </Form.Item>
            ) : (
              <Form.Item name="raised_by" label={t("need.raised_by")} extra={t("need.raisedByHint")}>
                <Input maxLength={200} autoComplete="off" data-testid="field-raised_by" />
              </Form.Item>
            );
          }}
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="category" label={t("need.category")} rules={[required]}>
              <FormSelect<string> options={CATEGORIES.map((c) => ({ value: c, label: t(`need.categories.${c}`) }))} data-testid="field-category" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <DateField name="raised_on" label={t("need.raised_on")} rules={[required]} allowClear={false} testId="field-raised_on" />
          </Col>
        </Row>
        <Form.Item name="description" label={t("need.description")} rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} data-testid="field-description" />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <DateField name="due_on" label={t("need.due_on")} testId="field-due_on" />
          </Col>
          <Col {...half}>
            <Form.Item noStyle shouldUpdate={(a: NeedValues, b: NeedValues) => a.village_id !== b.village_id}>
              {({ getFieldValue }) => (
                <Form.Item name="project_id" label={t("need.project_id")} extra={t("need.projectHint")}>
                  <ProjectPicker villageId={fixedVillage ?? (getFieldValue("village_id") as number | undefined)} testId="field-project_id" />
                </Form.Item>
              )}
            </Form.Item>
          </Col>
        </Row>
      </RecordForm>
    </>
  );
}
