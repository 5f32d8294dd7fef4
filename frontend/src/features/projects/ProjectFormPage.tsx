// A project: proposed from its village (`/villages/:villageId/projects/new`) or the board
// (`/projects/new`, the village chosen), corrected at `/projects/:id/edit` (the team while it is
// proposed, mature or declared; the department until it is accepted or cancelled — the server
// answers `project_past_declared` / `project_final` otherwise). Saved through RecordForm and the
// outbox. The budget is read in 元 and sent as integer fen by string arithmetic.
import { useQuery } from "@tanstack/react-query";
import { Col, Form, Input, InputNumber, Row } from "antd";
import type { Rule } from "antd/es/form";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { OfficeSelect, VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { useRecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { VillageName } from "../../components/VillageName";
import { parseYuan } from "../../lib/amounts";
import { thisYear } from "../households/api";
import { fetchTeams, teamKeys, teamLabel } from "../teams/api";
import { fetchVillage } from "../villages/api";
import { CATEGORIES, fetchProject, projectForm, projectKeys, type ProjectValues } from "./api";

/** A picker inside a Form.Item without `aria-required` on its <div> (see FormSelect). */
function withoutAriaRequired<P extends object>(props: P & { "aria-required"?: unknown }): P {
  const rest = { ...props };
  delete rest["aria-required"];
  return rest;
}

function VillagePicker(props: Parameters<typeof VillageSelect>[0] & { "aria-required"?: unknown }) {
  return <VillageSelect {...withoutAriaRequired(props)} />;
}

function OfficePicker(props: Parameters<typeof OfficeSelect>[0] & { "aria-required"?: unknown }) {
  return <OfficeSelect {...withoutAriaRequired(props)} />;
}

/** The teams of the chosen village (newest round first). */
function TeamPicker({ villageId, ...props }: { villageId: number | undefined; value?: number | null; onChange?: (v: number | null) => void; id?: string }) {
  const { t } = useTranslation();
  const query = { village_id: villageId ?? 0, limit: 500, sort: "-round" };
  const teams = useQuery({ queryKey: teamKeys.list(query), queryFn: () => fetchTeams(query), enabled: villageId !== undefined });
  // Another village chosen: a team of the previous one no longer fits.
  const { value, onChange } = props;
  const items = teams.data?.items;
  useEffect(() => {
    if (value != null && items && !items.some((team) => team.id === value)) onChange?.(null);
  }, [value, items, onChange]);
  return (
    <FormSelect<number | null>
      {...props}
      allowClear
      disabled={villageId === undefined}
      placeholder={villageId === undefined ? t("project.chooseVillageFirst") : undefined}
      loading={teams.isFetching}
      onChange={(v) => props.onChange?.(v ?? null)}
      options={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: teamLabel(team) }))}
      data-testid="field-team_id"
    />
  );
}

export default function ProjectFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const params = useParams();
  const villageId = params.villageId ? Number(params.villageId) : null;
  const def = useMemo(() => projectForm(villageId), [villageId]);
  const page = useRecordPage(def);
  const village = useQuery({ queryKey: ["villages", villageId], queryFn: () => fetchVillage(villageId!), enabled: villageId !== null && page.isNew });
  // Editing: the village is fixed; it is named above the fields (the record is already loaded).
  const record = useQuery({ queryKey: projectKeys.detail(page.id ?? 0), queryFn: () => fetchProject(page.id!), enabled: page.id !== null });
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  const required = { required: true, message: t("form.required") };
  const half = { xs: 24, sm: 12 };
  const yuan: Rule[] = [
    required,
    { validator: (_, v: string) => (!v || parseYuan(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("project.yuanInvalid")))) },
  ];
  const recordVillage = (formProps.initialValues as Partial<ProjectValues>).village_id;
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <RecordForm<ProjectValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        draftKey={villageId !== null ? `project.new.${villageId}` : formProps.draftKey}
        // Without a village field (fixed by the page, or an edit) an error about it shows above the form.
        fields={page.isNew && villageId === null ? formProps.fields : formProps.fields.filter((f) => f !== "village_id")}
        testId="project-form"
      >
        {page.isNew && villageId === null && (
          <Form.Item name="village_id" label={t("project.village_id")} rules={[required]}>
            {isVillageUser(role) ? (
              <FormSelect<number> options={(me?.villages ?? []).map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            ) : (
              <VillagePicker data-testid="field-village_id" />
            )}
          </Form.Item>
        )}
        {page.isNew && village.data && (
          <p data-testid="project-form-village">
            {t("project.village")}：<VillageName name={village.data.data.name} nameBo={village.data.data.name_bo} />
          </p>
        )}
        {!page.isNew && record.data && (
          <p data-testid="project-form-village">
            {t("project.village")}：{record.data.data.village_name}
          </p>
        )}
        <Form.Item name="title" label={t("project.title")} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={200} autoComplete="off" data-testid="field-title" />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="category" label={t("project.category")} rules={[required]}>
              <FormSelect<string> options={CATEGORIES.map((c) => ({ value: c, label: t(`project.categories.${c}`) }))} data-testid="field-category" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="year" label={t("project.year")} rules={[required]}>
              <InputNumber min={2011} max={thisYear() + 1} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-year" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="budget_fen" label={t("project.budget_fen")} rules={yuan} extra={t("project.yuanHint")}>
              <Input inputMode="decimal" autoComplete="off" suffix="元" data-testid="field-budget_fen" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="funding_source" label={t("project.funding_source")}>
              <Input maxLength={200} data-testid="field-funding_source" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name={["beneficiaries", "households"]} label={t("project.households")}>
              <InputNumber min={0} max={10_000_000} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-households" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name={["beneficiaries", "people"]} label={t("project.people")}>
              <InputNumber min={0} max={10_000_000} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-people" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item noStyle shouldUpdate={(a: ProjectValues, b: ProjectValues) => a.village_id !== b.village_id}>
              {({ getFieldValue }) => {
                const chosen = (getFieldValue("village_id") as number | undefined) ?? villageId ?? recordVillage;
                return (
                  <Form.Item name="team_id" label={t("project.team_id")} extra={t("project.teamHint")}>
                    <TeamPicker villageId={chosen ?? undefined} />
                  </Form.Item>
                );
              }}
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="office_id" label={t("project.office_id")}>
              <OfficePicker data-testid="field-office_id" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="supporting_unit" label={t("project.supporting_unit")}>
          <Input maxLength={200} data-testid="field-supporting_unit" />
        </Form.Item>
        <Form.Item name="description" label={t("project.description")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} maxLength={20_000} data-testid="field-description" />
        </Form.Item>
        <Form.Item name="problems" label={t("project.problems")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} maxLength={20_000} data-testid="field-problems" />
        </Form.Item>
        <Form.Item name="measures" label={t("project.measures")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} maxLength={20_000} data-testid="field-measures" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
