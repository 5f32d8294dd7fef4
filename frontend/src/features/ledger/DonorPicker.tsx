// The donor of a donation: a search over the department's donors (name, pinyin or initials) and
// 新增捐赠方 right beside it — a short form in a dialog; the new donor is chosen once it is saved.
import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Modal, Select, Space } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormSelect } from "../../components/FormSelect";
import { RecordForm } from "../../components/RecordForm";
import { donorCreate, donorKeys, DONOR_KINDS, fetchDonors, type Donor, type DonorValues } from "./api";

function NewDonorDialog({ open, initialName, onClose, onCreated }: { open: boolean; initialName: string; onClose: () => void; onCreated: (d: Donor) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const required = { required: true, message: t("form.required") };
  return (
    <Modal open={open} title={t("donor.new")} onCancel={onClose} footer={null} destroyOnHidden>
      <RecordForm<DonorValues, Donor>
        draftKey="donor.new"
        fields={["name", "kind", "contact", "notes"]}
        initialValues={{ name: initialName, contact: "", notes: "" }}
        resource="donors"
        label={(v) => v.name ?? ""}
        labelFor={(f) => t(`donor.${f}`)}
        request={(values, headers) => ({ ...donorCreate(values), idempotencyKey: headers.idempotencyKey })}
        onSaved={(donor) => {
          void queryClient.invalidateQueries({ queryKey: donorKeys.all });
          onCreated(donor);
        }}
        onQueued={() => {
          // Without a link the donor exists only once it is sent: it can be chosen afterwards.
          message.info(t("donor.queued"));
          onClose();
        }}
        onCancel={onClose}
        testId="donor-form"
      >
        <Form.Item name="name" label={t("donor.name")} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={200} autoComplete="off" data-testid="field-donor-name" />
        </Form.Item>
        <Form.Item name="kind" label={t("donor.kind")} rules={[required]}>
          <FormSelect<string> options={DONOR_KINDS.map((k) => ({ value: k, label: t(`donor.kinds.${k}`) }))} data-testid="field-donor-kind" />
        </Form.Item>
        <Form.Item name="contact" label={t("donor.contact")}>
          <Input maxLength={200} data-testid="field-donor-contact" />
        </Form.Item>
        <Form.Item name="notes" label={t("donor.notes")}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} data-testid="field-donor-notes" />
        </Form.Item>
      </RecordForm>
    </Modal>
  );
}

/** A Form control: the donor's id. */
export function DonorPicker({ value, onChange, id }: { value?: number | null; onChange?: (v: number | null) => void; id?: string }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [adding, setAdding] = useState(false);
  const [known, setKnown] = useState<Map<number, string>>(() => new Map());
  // Searched after a pause in typing, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const query = { q: q || undefined, limit: 20, sort: "name" };
  const donors = useQuery({ queryKey: donorKeys.list(query), queryFn: () => fetchDonors(query), placeholderData: keepPreviousData });
  const items = donors.data?.items ?? [];
  const options = items.map((d) => ({ value: d.id, label: d.name }));
  if (value != null && !items.some((d) => d.id === value)) options.unshift({ value, label: known.get(value) ?? `#${value}` });
  return (
    <>
      <Space.Compact style={{ width: "100%" }}>
        <Select<number>
          id={id}
          showSearch
          allowClear
          filterOption={false}
          value={value ?? undefined}
          onSearch={setTyped}
          onChange={(v) => {
            const found = items.find((d) => d.id === v);
            if (found) setKnown((m) => new Map(m).set(found.id, found.name));
            onChange?.(v ?? null);
          }}
          loading={donors.isFetching}
          placeholder={t("donor.searchPlaceholder")}
          notFoundContent={donors.isFetching ? undefined : t("donor.none")}
          options={options}
          style={{ flex: 1, minWidth: 0 }}
          data-testid="field-donor_id"
        />
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="donor-add">
          {t("donor.add")}
        </Button>
      </Space.Compact>
      <NewDonorDialog
        open={adding}
        initialName={typed.trim()}
        onClose={() => setAdding(false)}
        onCreated={(d) => {
          setKnown((m) => new Map(m).set(d.id, d.name));
          onChange?.(d.id);
          setAdding(false);
        }}
      />
    </>
  );
}
