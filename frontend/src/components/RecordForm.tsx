import { Alert, App, Button, Form, Space, Table } from "antd";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ApiError } from "../api/client";
import { currentOwner, outbox as appOutbox } from "../api/outbox";
import { mapProblemToForm, type Translate } from "../api/problem";
import { clearDraft, loadDraft, saveDraft } from "../lib/draft";
import { IdempotencyKeys } from "../lib/idempotency";
import type { Outbox, OutboxRequest } from "../lib/outbox";

export interface SaveHeaders {
  /** For creates: the same key for every retry of the same input. */
  idempotencyKey: string;
  /** For updates: the ETag of the version the user started editing from. */
  ifMatch: string | undefined;
}

interface Draft<V> {
  values: Partial<V>;
  etag?: string;
}

/** The record as the server has it now (after a 412), as form values. */
export interface CurrentRecord<V> {
  values: Partial<V>;
  etag: string;
}

export interface RecordFormProps<V, R> {
  /** Identifies the form's sessionStorage draft, e.g. `village.new` or `village.3`. */
  draftKey: string;
  /** Top-level field names shown by the form, for mapping the server's field errors. */
  fields: readonly string[];
  initialValues: Partial<V>;
  /** The loaded record's ETag; absent for a create. */
  etag?: string;
  /** Loads the record again after a 412 conflict ("take theirs"). */
  onReload?: () => Promise<unknown>;
  /** Fetches the record as it is now, to show what the other person changed after a 412. */
  loadCurrent?: () => Promise<CurrentRecord<V>>;
  /** The write for these values: a POST (gets the Idempotency-Key) or a PATCH (gets If-Match). */
  request: (values: V, headers: SaveHeaders) => OutboxRequest;
  /** Query-key root refreshed after a queued write is sent, e.g. `villages`. */
  resource: string;
  /** Names the queued write in the 待同步 list. */
  label: (values: V) => string;
  /** Field name → label for the conflict table. */
  labelFor?: (field: string) => string;
  onSaved: (result: R) => void;
  /** The write was kept in the outbox (no connection); default: stay, with a notice. */
  onQueued?: () => void;
  onCancel?: () => void;
  children: ReactNode;
  testId?: string;
  /** Fields never written to the draft (passwords). */
  notInDraft?: readonly string[];
  /** The save button's text when "保存" says too little (e.g. 保存方案). */
  saveLabel?: string;
  /** Replaces the app's outbox (tests). */
  outbox?: Pick<Outbox, "submit">;
  /** A refusal the form words itself (e.g. a 409 naming statuses): messages shown above the form. */
  onRefused?: (error: ApiError) => string[] | undefined;
}

interface DiffRow {
  field: string;
  theirs: unknown;
  yours: unknown;
}

type Failure =
  | { kind: "conflict"; current?: CurrentRecord<unknown>; diff?: DiffRow[] }
  | { kind: "queued" }
  | { kind: "other"; messages: string[] };

function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === "" ? null : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "✓" : "✗";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Fields the other person changed since `base`, with their value and the one being submitted. */
export function conflictDiff(fields: readonly string[], base: object, theirs: object, yours: object): DiffRow[] {
  const b = base as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const y = yours as Record<string, unknown>;
  return fields.filter((f) => f in t && !same(b[f], t[f])).map((f) => ({ field: f, theirs: t[f], yours: y[f] }));
}

/**
 * A form that saves a record through the outbox: server field errors beside the fields (translated
 * by code), a 412 as "changed by someone else" with what they changed and a choice, no connection →
 * kept in 待同步 and sent later with the same Idempotency-Key, and a draft that survives a reload.
 */
export function RecordForm<V extends object, R>(props: RecordFormProps<V, R>) {
  const { draftKey, fields, initialValues, etag, onReload, loadCurrent, request, resource, label, labelFor } = props;
  const { onSaved, onQueued, onCancel, children, testId, notInDraft, saveLabel } = props;
  const sender = props.outbox ?? appOutbox;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const keys = useRef(new IdempotencyKeys());
  const [draft] = useState(() => loadDraft<Draft<V>>(draftKey));
  const [hasDraft, setHasDraft] = useState(draft !== null);
  const baseEtag = useRef(draft?.etag ?? etag);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saving, setSaving] = useState(false);
  // A second press of save (Enter twice, a click while the page navigates away after a success)
  // must not send the record twice: one submit at a time, and a success keeps its Idempotency-Key
  // for the same values, so pressing save again replays that answer instead of creating a copy.
  const inFlight = useRef(false);
  const startValues = useMemo(() => ({ ...initialValues, ...(draft?.values ?? {}) }), [initialValues, draft]);

  const conflict = async (values: V) => {
    if (!loadCurrent) return setFailure({ kind: "conflict" });
    try {
      const current = await loadCurrent();
      setFailure({ kind: "conflict", current, diff: conflictDiff(fields, initialValues, current.values, values) });
    } catch {
      setFailure({ kind: "conflict" });
    }
  };

  const submit = async (values: V) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSaving(true);
    setFailure(null);
    try {
      const req = request(values, { idempotencyKey: keys.current.keyFor(values), ifMatch: baseEtag.current });
      const result = await sender.submit(req, { resource, label: label(values), owner: currentOwner() });
      if (result.kind === "queued") {
        clearDraft(draftKey);
        setHasDraft(false);
        message.info(t("outbox.queued"));
        if (onQueued) onQueued();
        else setFailure({ kind: "queued" });
        return;
      }
      const response = result.response;
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) {
        clearDraft(draftKey);
        message.success(t("common.saved"));
        onSaved(body as R);
        return;
      }
      if (response.status === 412) {
        await conflict(values);
        return;
      }
      const error = new ApiError(response.status, body);
      const own = props.onRefused?.(error);
      if (own) {
        setFailure({ kind: "other", messages: own });
        return;
      }
      const mapped = mapProblemToForm(error.problem, fields, t as unknown as Translate);
      form.setFields(mapped.fields as Parameters<typeof form.setFields>[0]);
      const messages = mapped.general.length > 0 ? mapped.general : mapped.fields.length > 0 ? [] : [error.message];
      setFailure(messages.length > 0 || mapped.fields.length === 0 ? { kind: "other", messages } : null);
    } catch (error) {
      // Only when the outbox could not keep the write (no IndexedDB) and the link failed too.
      setFailure({ kind: "other", messages: [error instanceof TypeError ? t("form.network") : String(error)] });
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  };

  const reload = async () => {
    clearDraft(draftKey);
    setHasDraft(false);
    setFailure(null);
    await onReload?.();
  };

  const keepMine = (current: CurrentRecord<unknown>) => {
    baseEtag.current = current.etag;
    setFailure(null);
    form.submit();
  };

  return (
    <Form<V>
      form={form}
      layout="vertical"
      initialValues={startValues}
      onFinish={submit}
      onValuesChange={(_changed, all) => {
        const values: Record<string, unknown> = { ...form.getFieldsValue(true), ...all };
        for (const name of notInDraft ?? []) delete values[name];
        saveDraft(draftKey, { values: values as Partial<V>, etag: baseEtag.current } satisfies Draft<V>);
      }}
      style={{ maxWidth: 640 }}
      data-testid={testId}
      scrollToFirstError
    >
      {hasDraft && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("form.draftRestored")}
          data-testid="draft-restored"
          action={
            <Button
              size="small"
              onClick={() => {
                clearDraft(draftKey);
                setHasDraft(false);
                baseEtag.current = etag;
                form.setFieldsValue(initialValues as Parameters<typeof form.setFieldsValue>[0]);
              }}
            >
              {t("form.discardDraft")}
            </Button>
          }
        />
      )}
      {failure?.kind === "conflict" && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("form.conflict")}
          data-testid="form-conflict"
          description={
            <>
              {failure.diff && failure.diff.length > 0 ? (
                <Table<DiffRow>
                  size="small"
                  rowKey="field"
                  pagination={false}
                  dataSource={failure.diff}
                  data-testid="conflict-diff"
                  columns={[
                    { title: t("conflict.field"), dataIndex: "field", render: (f: string) => labelFor?.(f) ?? f },
                    { title: t("conflict.theirs"), dataIndex: "theirs", render: show },
                    { title: t("conflict.yours"), dataIndex: "yours", render: show },
                  ]}
                />
              ) : (
                <div>{failure.diff ? t("conflict.noFieldDiff") : t("form.conflictHint")}</div>
              )}
              <Space wrap style={{ marginTop: 8 }}>
                {failure.current && (
                  <Button size="small" type="primary" onClick={() => keepMine(failure.current!)} data-testid="form-keep-mine">
                    {t("conflict.keepMine")}
                  </Button>
                )}
                {onReload && (
                  <Button size="small" onClick={() => void reload()} data-testid="form-reload">
                    {failure.current ? t("conflict.takeTheirs") : t("form.reload")}
                  </Button>
                )}
              </Space>
            </>
          }
        />
      )}
      {failure?.kind === "queued" && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("outbox.queued")}
          action={<Link to="/outbox">{t("outbox.title")}</Link>}
          data-testid="form-queued"
        />
      )}
      {failure?.kind === "other" && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t("form.failed")}
          description={failure.messages.length > 0 ? failure.messages.map((m) => <div key={m}>{m}</div>) : undefined}
          data-testid="form-error"
        />
      )}
      {children}
      <Space>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="form-save">
          {saveLabel ?? t("common.save")}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t("common.cancel")}</Button>}
      </Space>
    </Form>
  );
}

export { blankToNull } from "../lib/values";
