// An activity (`/activities/new`, `/activities/:id/edit`), a form that fits a phone: the common
// fields, then only the fields of the chosen kind (the skill of a training with the department's
// suggestions, the people seen and partner of a clinic, a study visit's destination, party
// building's results), then the optional links: the households of the village who benefited and
// a project of the same village. Saved through RecordForm and the outbox; the value in 元 as fen.
import { useQuery } from "@tanstack/react-query";
import { AutoComplete, Col, Form, Input, InputNumber, Row } from "antd";
import type { Rule } from "antd/es/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { HouseholdsPicker, ProjectPicker } from "../../components/villageLinks";
import { parseYuan } from "../../lib/amounts";
import { activityForm, activityKeys, fetchSkills, KINDS, MAX_HOUSEHOLDS, ORGANISATIONS, type ActivityValues } from "./api";

function VillagePicker(props: Parameters<typeof VillageSelect>[0] & { "aria-required"?: unknown }) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <VillageSelect {...rest} />;
}

function SkillInput(props: { value?: string | null; onChange?: (v: string) => void; id?: string }) {
  const skills = useQuery({ queryKey: activityKeys.skills, queryFn: fetchSkills });
  return (
    <AutoComplete
      id={props.id}
      value={props.value ?? ""}
      onChange={(v: string) => props.onChange?.(v)}
      options={(skills.data?.items ?? []).map((s) => ({ value: s.skill }))}
      filterOption={(input, option) => (option?.value ?? "").includes(input.trim())}
      data-testid="field-skill"
    />
  );
}

export default function ActivityFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const myVillages = me?.villages ?? [];
  const onlyVillage = isVillageUser(role) && myVillages.length === 1 ? myVillages[0]?.id : undefined;
  const def = useMemo(() => activityForm(onlyVillage), [onlyVillage]);
  const page = useRecordPage(def);
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  const required = { required: true, message: t("form.required") };
  const half = { xs: 24, sm: 12 };
  const count = (name: keyof ActivityValues, testId: string, needed = false) => (
    <Form.Item name={name} label={t(`activity.${name}`)} rules={needed ? [required] : undefined}>
      <InputNumber min={0} max={10_000_000} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid={testId} />
    </Form.Item>
  );
  const yuan: Rule[] = [{ validator: (_, v: string) => (!v || parseYuan(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("coop.yuanInvalid")))) }];
  const chooseVillage = page.isNew && onlyVillage === undefined;
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <RecordForm<ActivityValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        fields={chooseVillage ? formProps.fields : formProps.fields.filter((f) => f !== "village_id")}
        testId="activity-form"
      >
        {chooseVillage && (
          <Form.Item name="village_id" label={t("activity.village")} rules={[required]}>
            {isVillageUser(role) ? (
              <FormSelect<number> options={myVillages.map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            ) : (
              <VillagePicker data-testid="field-village_id" />
            )}
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="kind" label={t("activity.kind")} rules={[required]}>
              <FormSelect<string> options={KINDS.map((k) => ({ value: k, label: t(`activity.kinds.${k}`) }))} data-testid="field-kind" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <DateField name="date" label={t("activity.date")} rules={[required]} allowClear={false} testId="field-date" />
          </Col>
        </Row>
        <Form.Item name="title" label={t("activity.title")} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={200} autoComplete="off" data-testid="field-title" />
        </Form.Item>
        <Form.Item name="organiser" label={t("activity.organiser")} rules={[{ ...required, whitespace: true }]} extra={t("activity.organiserHint")}>
          <Input maxLength={200} autoComplete="off" data-testid="field-organiser" />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a: ActivityValues, b: ActivityValues) => a.kind !== b.kind}>
          {({ getFieldValue }) => {
            const kind = getFieldValue("kind") as string | undefined;
            return (
              <div data-testid="kind-fields" data-kind={kind ?? ""}>
                {kind === "skills_training" && (
                  <Form.Item name="skill" label={t("activity.skill")} rules={[{ ...required, whitespace: true }]} extra={t("activity.skillHint")}>
                    <SkillInput />
                  </Form.Item>
                )}
                {kind === "free_clinic" && (
                  <Row gutter={16}>
                    <Col {...half}>{count("people_seen", "field-people_seen", true)}</Col>
                    <Col {...half}>
                      <Form.Item name="partner_institution" label={t("activity.partner_institution")}>
                        <Input maxLength={200} data-testid="field-partner_institution" />
                      </Form.Item>
                    </Col>
                  </Row>
                )}
                {kind === "study_visit" && (
                  <Form.Item name="destination" label={t("activity.destination")} rules={[{ ...required, whitespace: true }]}>
                    <Input maxLength={200} data-testid="field-destination" />
                  </Form.Item>
                )}
                {kind === "party_building" && (
                  <Row gutter={16}>
                    <Col {...half}>{count("party_members_developed", "field-party_members_developed")}</Col>
                    <Col {...half}>
                      <Form.Item name="organisation_formed" label={t("activity.organisation_formed")}>
                        <FormSelect<string>
                          allowClear
                          options={ORGANISATIONS.map((o) => ({ value: o, label: t(`activity.organisations.${o}`) }))}
                          data-testid="field-organisation_formed"
                        />
                      </Form.Item>
                    </Col>
                  </Row>
                )}
              </div>
            );
          }}
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>{count("participants", "field-participants")}</Col>
          <Col {...half}>{count("beneficiaries", "field-beneficiaries")}</Col>
        </Row>
        <Form.Item name="value_fen" label={t("activity.value_fen")} rules={yuan} extra={t("activity.valueHint")}>
          <Input inputMode="decimal" autoComplete="off" suffix="元" data-testid="field-value_fen" />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a: ActivityValues, b: ActivityValues) => a.village_id !== b.village_id}>
          {({ getFieldValue }) => {
            const villageId = onlyVillage ?? (getFieldValue("village_id") as number | undefined);
            return (
              <>
                <Form.Item name="household_ids" label={t("activity.household_ids")} extra={t("activity.householdsHint", { max: MAX_HOUSEHOLDS })}>
                  <HouseholdsPicker villageId={villageId} max={MAX_HOUSEHOLDS} testId="field-household_ids" />
                </Form.Item>
                <Form.Item name="project_id" label={t("activity.project_id")} extra={t("activity.projectHint")}>
                  <ProjectPicker villageId={villageId} testId="field-project_id" />
                </Form.Item>
              </>
            );
          }}
        </Form.Item>
        <Form.Item name="notes" label={t("activity.notes")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} data-testid="field-notes" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
