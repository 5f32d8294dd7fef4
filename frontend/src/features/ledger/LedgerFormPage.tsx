// 记一笔: a new ledger entry (`/ledger/new`, or from a project's page with `?village=&project=`).
// The kinds offered follow the role — the department records allocations, the team expenditures
// and donations; a donation comes from a donor (searched, or added right here), goods in kind
// with what, how many and which unit, valued in 元. Amounts are read in 元 by string arithmetic
// (typing 0.3 stores 30 fen) and refused with more than two decimals. Saved through RecordForm and
// the outbox (offline → 待同步, sent once). Entries are never edited afterwards: a mistake is reversed.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Col, Form, Input, Radio, Row, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useAuth } from "../../auth/AuthContext";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { isVillageUser } from "../../components/roles";
import { parseYuan } from "../../lib/amounts";
import { DateField } from "../households/HouseholdFormPage";
import { fetchProjects, projectKeys } from "../projects/api";
import { emptyEntry, ENTRY_FIELDS, isDonation, isQuantity, kindsFor, SOURCES, toCreateBody, type EntryValues, type LedgerEntry } from "./api";
import { DonorPicker } from "./DonorPicker";

const num = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

function VillagePicker(props: Parameters<typeof VillageSelect>[0] & { "aria-required"?: unknown }) {
  const rest = { ...props };
  delete rest["aria-required"];
  return <VillageSelect {...rest} />;
}

function ProjectPicker({ villageId, ...props }: { villageId: number | undefined; value?: number | null; onChange?: (v: number | null) => void; id?: string }) {
  const { t } = useTranslation();
  const query = { village_id: villageId, limit: 500, sort: "title" };
  const projects = useQuery({ queryKey: projectKeys.list(query), queryFn: () => fetchProjects(query), enabled: villageId !== undefined });
  return (
    <FormSelect<number | null>
      {...props}
      allowClear
      showSearch
      optionFilterProp="label"
      disabled={villageId === undefined}
      placeholder={villageId === undefined ? t("project.chooseVillageFirst") : t("ledger.noProject")}
      loading={projects.isFetching}
      onChange={(v) => props.onChange?.(v ?? null)}
      options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
      data-testid="field-project_id"
    />
  );
}

/** The sources an entry of this kind may name (donations: only a donor). */
function sourcesFor(kind: string | undefined): readonly string[] {
  if (isDonation(kind)) return ["donor"];
  if (kind === "allocation") return ["finance", "department", "other"];
  return SOURCES;
}

export default function LedgerFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const villageParam = num(params.get("village"));
  const projectParam = num(params.get("project"));
  const villageUser = isVillageUser(role);
  const myVillages = me?.villages ?? [];
  const fixedVillage = villageParam ?? (villageUser && myVillages.length === 1 ? myVillages[0]?.id : undefined);
  const initialValues = useMemo(() => emptyEntry(role, fixedVillage, projectParam), [role, fixedVillage, projectParam]);
  const kinds = kindsFor(role);
  const required = { required: true, message: t("form.required") };
  const yuan: Rule[] = [
    required,
    {
      validator: (_, v: string) => {
        if (!v) return Promise.resolve();
        const fen = parseYuan(v);
        return fen !== null && fen > 0 ? Promise.resolve() : Promise.reject(new Error(t("ledger.yuanInvalid")));
      },
    },
  ];
  const quantity: Rule[] = [required, { validator: (_, v: string) => (!v || isQuantity(v) ? Promise.resolve() : Promise.reject(new Error(t("ledger.quantityInvalid")))) }];
  const villageName = myVillages.find((v) => v.id === fixedVillage)?.name;
  const half = { xs: 24, sm: 12 };
  if (kinds.length === 0) return <Alert type="info" showIcon message={t("ledger.cannotRecord")} />;
  return (
    <>
      <PageTitle>{t("ledger.new")}</PageTitle>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 640 }}>
        {t("ledger.immutableHint")}
      </Typography.Paragraph>
      <RecordForm<EntryValues, LedgerEntry>
        draftKey={`ledger.new.${fixedVillage ?? ""}.${projectParam ?? ""}`}
        // A village fixed by the page has no field: an error about it is shown above the form.
        fields={fixedVillage === undefined ? ENTRY_FIELDS : ENTRY_FIELDS.filter((f) => f !== "village_id")}
        initialValues={initialValues}
        resource="ledger"
        label={(v) => `${t(`ledger.kinds.${v.kind}`, { defaultValue: v.kind ?? "" })} ${v.amount_fen ?? ""} ${t("ledger.yuan")}`}
        labelFor={(f) => t(`ledger.${f}`)}
        request={(values, headers) => ({ method: "POST", path: "/api/v1/ledger", body: toCreateBody(values, fixedVillage), idempotencyKey: headers.idempotencyKey })}
        onSaved={(entry) => {
          void queryClient.invalidateQueries({ queryKey: ["ledger"] });
          void queryClient.invalidateQueries({ queryKey: ["projects"] });
          navigate(projectParam !== undefined && entry.project_id === projectParam ? `/projects/${projectParam}` : `/ledger?village=${entry.village_id}`);
        }}
        onQueued={() => navigate("/outbox")}
        onCancel={() => navigate(-1)}
        testId="ledger-form"
      >
        {fixedVillage === undefined ? (
          <Form.Item name="village_id" label={t("ledger.village_id")} rules={[required]}>
            {villageUser ? (
              <FormSelect<number> options={myVillages.map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            ) : (
              <VillagePicker data-testid="field-village_id" />
            )}
          </Form.Item>
        ) : (
          villageName && (
            <p data-testid="ledger-form-village">
              {t("ledger.village")}：{villageName}
            </p>
          )
        )}
        <Form.Item name="kind" label={t("ledger.kind")} rules={[required]}>
          <Radio.Group
            {...{ role: "radiogroup" }}
            optionType="button"
            options={kinds.map((k) => ({ value: k, label: t(`ledger.kinds.${k}`) }))}
            data-testid="field-kind"
          />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="date" label={t("ledger.date")} rules={[required]}>
              <DateField testId="field-date" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item noStyle shouldUpdate={(a: EntryValues, b: EntryValues) => a.village_id !== b.village_id}>
              {({ getFieldValue }) => (
                <Form.Item name="project_id" label={t("ledger.project_id")}>
                  <ProjectPicker villageId={(getFieldValue("village_id") as number | undefined) ?? fixedVillage} />
                </Form.Item>
              )}
            </Form.Item>
          </Col>
        </Row>
        <Form.Item noStyle shouldUpdate={(a: EntryValues, b: EntryValues) => a.kind !== b.kind || a.source !== b.source}>
          {({ getFieldValue }) => {
            const kind = getFieldValue("kind") as string | undefined;
            const sources = sourcesFor(kind);
            const source = isDonation(kind) ? "donor" : (getFieldValue("source") as string | undefined);
            const inKind = kind === "in_kind_donation";
            return (
              <>
                {isDonation(kind) ? (
                  <p data-testid="ledger-form-source">
                    {t("ledger.source")}：{t("ledger.sources.donor")}
                  </p>
                ) : (
                  <Form.Item name="source" label={t("ledger.source")} rules={[required]}>
                    <Radio.Group
                      {...{ role: "radiogroup" }}
                      optionType="button"
                      options={sources.map((s) => ({ value: s, label: t(`ledger.sources.${s}`) }))}
                      data-testid="field-source"
                    />
                  </Form.Item>
                )}
                {source === "donor" && (
                  <Form.Item name="donor_id" label={t("ledger.donor_id")} rules={isDonation(kind) ? [required] : []}>
                    <DonorPicker />
                  </Form.Item>
                )}
                {inKind && (
                  <Row gutter={16}>
                    <Col xs={24} sm={10}>
                      <Form.Item name="item" label={t("ledger.item")} rules={[{ ...required, whitespace: true }]}>
                        <Input maxLength={200} data-testid="field-item" />
                      </Form.Item>
                    </Col>
                    <Col xs={12} sm={7}>
                      <Form.Item name="quantity" label={t("ledger.quantity")} rules={quantity}>
                        <Input inputMode="decimal" autoComplete="off" data-testid="field-quantity" />
                      </Form.Item>
                    </Col>
                    <Col xs={12} sm={7}>
                      <Form.Item name="unit" label={t("ledger.unit")} rules={[{ ...required, whitespace: true }]}>
                        <Input maxLength={20} data-testid="field-unit" />
                      </Form.Item>
                    </Col>
                  </Row>
                )}
                <Form.Item name="amount_fen" label={inKind ? t("ledger.value") : t("ledger.amount_fen")} rules={yuan} extra={t("ledger.yuanHint")}>
                  <Input inputMode="decimal" autoComplete="off" suffix={t("ledger.yuan")} data-testid="field-amount_fen" />
                </Form.Item>
              </>
            );
          }}
        </Form.Item>
        <Form.Item name="evidence" label={t("ledger.evidence")} extra={t("ledger.evidenceHint")}>
          <Input maxLength={500} data-testid="field-evidence" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
