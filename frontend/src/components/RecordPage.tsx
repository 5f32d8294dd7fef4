// The template for a page that creates or edits one record: load by the `:id` route param with
// its ETag, create vs edit, the shared RecordForm (outbox, 412, drafts), navigation after save.
// A new resource's form page is a `RecordFormDef` in its feature's api.ts plus the fields.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Spin } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import type { OutboxRequest } from "../lib/outbox";
import { PageTitle } from "./PageTitle";
import { RecordForm } from "./RecordForm";

export interface RecordFormDef<T, V> {
  /** Query-key root and outbox resource, e.g. `villages`. */
  resource: string;
  /** i18n prefix for field labels and titles (`village.name`, `village.new`, `village.editTitle`). */
  i18n: string;
  fields: readonly string[];
  fetchOne: (id: number) => Promise<{ data: T; etag: string }>;
  toValues: (record: T) => Partial<V>;
  empty: Partial<V>;
  create: (values: V) => Omit<OutboxRequest, "idempotencyKey">;
  update: (id: number, values: V) => Omit<OutboxRequest, "ifMatch">;
  /** Names the write in the 待同步 list. */
  label: (values: V) => string;
  /** Where to go after saving. */
  after: (saved: T) => string;
  notInDraft?: readonly string[];
}

export function useIdParam(): number | null {
  const value = useParams().id;
  return value ? Number(value) : null;
}

export function detailKey(resource: string, id: number | null) {
  return [resource, id] as const;
}

/** Loads the record for an edit page (nothing on a "new" page) and builds the form's props. */
export function useRecordPage<T, V extends object>(def: RecordFormDef<T, V>) {
  const id = useIdParam();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const loaded = useQuery({ queryKey: detailKey(def.resource, id), queryFn: () => def.fetchOne(id!), enabled: id !== null });
  const record = loaded.data;
  const gate: ReactNode =
    id !== null && loaded.isPending ? (
      <Spin />
    ) : id !== null && loaded.error ? (
      <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />
    ) : null;
  const formProps = {
    key: record?.etag ?? "new",
    draftKey: id === null ? `${def.i18n}.new` : `${def.i18n}.${id}`,
    fields: def.fields,
    initialValues: record ? def.toValues(record.data) : def.empty,
    etag: record?.etag,
    resource: def.resource,
    label: def.label,
    notInDraft: def.notInDraft,
    labelFor: (field: string) => t(`${def.i18n}.${field}`, { defaultValue: field }),
    onReload: () => loaded.refetch(),
    loadCurrent:
      id === null
        ? undefined
        : async () => {
            const fresh = await def.fetchOne(id);
            return { values: def.toValues(fresh.data), etag: fresh.etag };
          },
    request: (values: V, headers: { idempotencyKey: string; ifMatch: string | undefined }): OutboxRequest =>
      id === null
        ? { ...def.create(values), idempotencyKey: headers.idempotencyKey }
        : { ...def.update(id, values), ifMatch: headers.ifMatch },
    onCancel: () => navigate(-1),
    onQueued: () => navigate("/outbox"),
    onSaved: (saved: T) => {
      void queryClient.invalidateQueries({ queryKey: [def.resource] });
      navigate(def.after(saved));
    },
  };
  return { id, isNew: id === null, gate, formProps, title: t(id === null ? `${def.i18n}.new` : `${def.i18n}.editTitle`) };
}

/** The whole page: heading, loading/error state, and the form with `children(isNew)` as fields. */
export function RecordPage<T, V extends object>({
  def,
  testId,
  children,
}: {
  def: RecordFormDef<T, V>;
  testId?: string;
  children: (ctx: { isNew: boolean; id: number | null }) => ReactNode;
}) {
  const page = useRecordPage(def);
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;
  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      <RecordForm<V, T> key={key} {...formProps} testId={testId}>
        {children({ isNew: page.isNew, id: page.id })}
      </RecordForm>
    </>
  );
}
