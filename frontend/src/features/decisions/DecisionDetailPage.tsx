// One decision (四议两公开): its six steps with what each recorded (the day, who came, how they
// voted, whether the vote passed), and — for the village committee while the matter is in
// progress — the form of the step that comes next, with the vote check shown as numbers are typed
// (⅔ of the party members present at step 3, the department's quorum at step 4, more than half in
// favour at both). Recording a step is an online action; the server's refusal is shown in Chinese.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Spin, Steps, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, ApiError, unwrap } from "../../api/client";
import { problemMessage } from "../../api/problem";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { PageTitle } from "../../components/PageTitle";
import { useOnline } from "../../lib/useOnline";
import { today } from "../households/api";
import { checkVote, decisionKeys, discloses, fetchDecision, recordStep, STEP_CODES, votes, type Decision } from "./api";
import { StatusTag } from "./DecisionListPage";

interface StepValues {
  held_on?: string;
  entitled?: number | null;
  present?: number | null;
  in_favour?: number | null;
  against?: number | null;
  notes?: string;
}

function VoteCheckText({ step, values, quorum }: { step: number; values: StepValues; quorum: number }) {
  const { t } = useTranslation();
  const c = checkVote(step, values.entitled, values.present, values.in_favour, quorum);
  if (!votes(step)) return null;
  if (!c) return <Typography.Paragraph type="secondary">{t("decision.check.enter")}</Typography.Paragraph>;
  const rule = step === 3 ? t("decision.check.twoThirds") : t("decision.check.quorum", { percent: quorum });
  return (
    <Alert
      type={c.passed ? "success" : "warning"}
      showIcon
      data-testid="vote-check"
      style={{ marginBottom: 12 }}
      message={c.passed ? t("decision.check.passes") : t("decision.check.fails")}
      description={
        <>
          <div>{t("decision.check.present", { present: values.present, needed: c.needed, rule, ok: c.quorate ? "✓" : "✗" })}</div>
          <div>{t("decision.check.favour", { favour: values.in_favour, needed: c.favourNeeded, ok: c.majority ? "✓" : "✗" })}</div>
        </>
      }
    />
  );
}

function StepForm({ d, etag, quorum, onDone }: { d: Decision; etag: string; quorum: number; onDone: (d: Decision, etag: string) => void }) {
  const { t } = useTranslation();
  const online = useOnline();
  const [form] = Form.useForm<StepValues>();
  const values = Form.useWatch([], form) ?? {};
  const [error, setError] = useState<string | null>(null);
  const step = d.next_step ?? 0;
  const save = useMutation({
    mutationFn: (v: StepValues) =>
      recordStep(d.id, etag, {
        step,
        held_on: v.held_on ?? today(),
        entitled: v.entitled ?? null,
        present: v.present ?? null,
        in_favour: v.in_favour ?? null,
        against: v.against ?? null,
        notes: v.notes?.trim() ? v.notes.trim() : null,
      }),
    onSuccess: (r) => {
      setError(null);
      form.resetFields();
      onDone(r.data, r.etag);
    },
    onError: (e) => setError(e instanceof ApiError ? problemMessage(e.problem, t, e.status) : t("form.network")),
  });
  const required = { required: true, message: t("form.required") };
  const count = (name: keyof StepValues, needed: boolean) => (
    <Form.Item name={name} label={t(`decision.${name}`)} rules={needed ? [required] : undefined}>
      <InputNumber min={0} max={1_000_000} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid={`step-${name}`} />
    </Form.Item>
  );
  return (
    <Card size="small" title={t("decision.record", { n: step, name: t(`decision.step.${STEP_CODES[step - 1]}`) })} data-testid="step-form">
      {!online && <Alert type="info" showIcon message={t("decision.offline")} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="step-error" />}
      <Form form={form} layout="vertical" initialValues={{ held_on: today() }} onFinish={(v) => save.mutate(v)}>
        <DateField name="held_on" label={t("decision.held_on")} rules={[required]} allowClear={false} testId="step-held_on" />
        {votes(step) && (
          <>
            {count("entitled", true)}
            {count("present", true)}
            {count("in_favour", true)}
            {count("against", false)}
            <VoteCheckText step={step} values={values} quorum={quorum} />
          </>
        )}
        <Form.Item name="notes" label={discloses(step) ? t("decision.disclosureText") : t("decision.notes")} rules={discloses(step) ? [required] : undefined} extra={discloses(step) ? t("decision.noPersonal") : undefined}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="step-notes" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={save.isPending} disabled={!online} data-testid="step-submit">
          {t("decision.save")}
        </Button>
      </Form>
    </Card>
  );
}

export default function DecisionDetailPage() {
  const { t } = useTranslation();
  const { role } = useAuth();
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const one = useQuery({ queryKey: decisionKeys.one(id), queryFn: () => fetchDecision(id) });
  const dept = useQuery({ queryKey: ["departments", "mine"], queryFn: () => unwrap(api.GET("/api/v1/departments")) });
  const quorum = dept.data?.items[0]?.settings.villagers_quorum_percent ?? 50;
  if (one.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={one.error.message} />;
  if (!one.data) return <Spin />;
  const { data: d, etag } = one.data;
  const current = Math.min(d.last_step, 5);
  const stepStatus = d.status === "rejected" ? "error" : d.status === "completed" ? "finish" : "process";
  return (
    <>
      <PageTitle>{d.title}</PageTitle>
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t("decision.village")}>{d.village_name}</Descriptions.Item>
        <Descriptions.Item label={t("decision.status.label")}>
          <StatusTag d={d} />
        </Descriptions.Item>
        <Descriptions.Item label={t("decision.raised_on")}>{d.raised_on}</Descriptions.Item>
        {d.estimated_amount_fen != null && <Descriptions.Item label={t("decision.amount")}>{(d.estimated_amount_fen / 100).toFixed(2)} 元</Descriptions.Item>}
      </Descriptions>
      <Typography.Paragraph>{d.description}</Typography.Paragraph>
      {(role === "team" || role === "village_committee") && d.status === "in_progress" && (
        <Typography.Paragraph>
          <Link to={`/decisions/${d.id}/edit`} data-testid="decision-edit">
            {t("decision.edit")}
          </Link>
        </Typography.Paragraph>
      )}
      <Steps
        direction="vertical"
        size="small"
        current={d.status === "completed" ? 6 : current}
        status={stepStatus}
        data-testid="decision-steps"
        items={STEP_CODES.map((code, i) => {
          const s = d.steps.find((x) => x.step === i + 1);
          return {
            title: t(`decision.step.${code}`),
            description: s ? (
              <div data-testid={`step-${i + 1}`}>
                <div>{s.held_on}</div>
                {s.present != null && <div>{t("decision.numbers", { entitled: s.entitled, present: s.present, favour: s.in_favour ?? 0, against: s.against ?? 0 })}</div>}
                {s.passed != null && <Tag className={s.passed ? "tag-ok" : "tag-error"}>{s.passed ? t("decision.passed") : t("decision.failed")}</Tag>}
                {s.notes && <div>{s.notes}</div>}
                {s.disclosure_id != null && (
                  <Link to={`/public/villages/${d.village_id}`} data-testid="step-disclosure">
                    {t("decision.onBoard")}
                  </Link>
                )}
              </div>
            ) : undefined,
          };
        })}
      />
      {role === "village_committee" && d.next_step != null && (
        <StepForm
          d={d}
          etag={etag}
          quorum={quorum}
          onDone={(data, tag) => {
            queryClient.setQueryData(decisionKeys.one(id), { data, etag: tag });
            void queryClient.invalidateQueries({ queryKey: decisionKeys.all });
          }}
        />
      )}
      {role === "team" && d.next_step != null && <Alert type="info" showIcon message={t("decision.committeeRecords")} />}
    </>
  );
}
