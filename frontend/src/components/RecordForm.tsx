import { Alert, App, Button, Form, Space } from "antd";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, NetworkError } from "../api/client";
import { mapProblemToForm } from "../api/problem";
import { clearDraft, loadDraft, saveDraft } from "../lib/draft";
import { IdempotencyKeys } from "../lib/idempotency";

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

interface Props<V, R> {
  /** Identifies the form's sessionStorage draft, e.g. `village.new` or `village.3`. */
  draftKey: string;
  /** Top-level field names shown by the form, for mapping the server's field errors. */
  fields: readonly string[];
  initialValues: Partial<V>;
  /** The loaded record's ETag; absent for a create. */
  etag?: string;
  /** Loads the record again after a 412 conflict. */
  onReload?: () => Promise<unknown>;
  save: (values: V, headers: SaveHeaders) => Promise<R>;
  onSaved: (result: R) => void;
  onCancel?: () => void;
  children: ReactNode;
  testId?: string;
  /** Fields never written to the draft (passwords). */
  notInDraft?: readonly string[];
}

type Failure = { kind: "conflict" } | { kind: "network" } | { kind: "other"; messages: string[] };

/**
 * A form that saves a record: server field errors beside the fields, a 412 as "changed by someone
 * else" with a reload, a network failure that keeps the input, and a draft that survives a reload.
 */
export function RecordForm<V extends object, R>(props: Props<V, R>) {
  const { draftKey, fields, initialValues, etag, onReload, save, onSaved, onCancel, children, testId, notInDraft } = props;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const keys = useRef(new IdempotencyKeys());
  const [draft] = useState(() => loadDraft<Draft<V>>(draftKey));
  const [hasDraft, setHasDraft] = useState(draft !== null);
  const [baseEtag, setBaseEtag] = useState(draft?.etag ?? etag);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saving, setSaving] = useState(false);
  const startValues = useMemo(() => ({ ...initialValues, ...(draft?.values ?? {}) }), [initialValues, draft]);

  const submit = async (values: V) => {
    setSaving(true);
    setFailure(null);
    try {
      const result = await save(values, { idempotencyKey: keys.current.keyFor(values), ifMatch: baseEtag });
      keys.current.reset();
      clearDraft(draftKey);
      message.success(t("common.saved"));
      onSaved(result);
    } catch (error) {
      if (error instanceof NetworkError) {
        setFailure({ kind: "network" });
      } else if (error instanceof ApiError && error.status === 412) {
        setFailure({ kind: "conflict" });
      } else if (error instanceof ApiError) {
        const mapped = mapProblemToForm(error.problem, fields);
        form.setFields(mapped.fields as Parameters<typeof form.setFields>[0]);
        const messages = mapped.general.length > 0 ? mapped.general : mapped.fields.length > 0 ? [] : [error.message];
        setFailure(messages.length > 0 || mapped.fields.length === 0 ? { kind: "other", messages } : null);
      } else {
        setFailure({ kind: "other", messages: [String(error)] });
      }
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    clearDraft(draftKey);
    setHasDraft(false);
    setFailure(null);
    await onReload?.();
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
        saveDraft(draftKey, { values: values as Partial<V>, etag: baseEtag } satisfies Draft<V>);
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
                setBaseEtag(etag);
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
          description={t("form.conflictHint")}
          data-testid="form-conflict"
          action={
            onReload && (
              <Button size="small" onClick={() => void reload()} data-testid="form-reload">
                {t("form.reload")}
              </Button>
            )
          }
        />
      )}
      {failure?.kind === "network" && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={t("form.network")} data-testid="form-network" />
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
          {t("common.save")}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t("common.cancel")}</Button>}
      </Space>
    </Form>
  );
}

/** `""` from a cleared input means "no value". */
export function blankToNull<T>(value: T | "" | undefined): T | null {
  return value === "" || value === undefined ? null : value;
}
