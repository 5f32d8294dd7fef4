// A village matter put on record (`/decisions/new`) or its text corrected while in progress
// (`/decisions/:id/edit`): the village (when one has several), the title, the description, the
// estimated amount in 元 and the day. Saved through RecordForm and the outbox; the steps are
// recorded on the decision's page.
import { Form, Input } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { FormSelect } from "../../components/FormSelect";
import { RecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { parseYuan } from "../../lib/amounts";
import { decisionForm } from "./api";

export default function DecisionFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const villages = me?.villages ?? [];
  const only = isVillageUser(role) && villages.length === 1 ? villages[0]?.id : undefined;
  const def = useMemo(() => decisionForm(only), [only]);
  const required = { required: true, message: t("form.required") };
  return (
    <RecordPage def={def} testId="decision-form">
      {({ isNew }) => (
        <>
          {isNew && only === undefined && (
            <Form.Item name="village_id" label={t("decisionForm.village_id")} rules={[required]}>
              <FormSelect<number> options={villages.map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            </Form.Item>
          )}
          <Form.Item name="title" label={t("decisionForm.title")} rules={[required]}>
            <Input maxLength={200} data-testid="field-title" />
          </Form.Item>
          <Form.Item name="description" label={t("decisionForm.description")} rules={[required]}>
            <Input.TextArea rows={4} maxLength={5000} data-testid="field-description" />
          </Form.Item>
          <Form.Item
            name="estimated_amount_fen"
            label={t("decisionForm.estimated_amount_fen")}
            rules={[{ validator: (_, v: string) => (!v || parseYuan(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("coop.yuanInvalid")))) }]}
          >
            <Input inputMode="decimal" suffix="元" data-testid="field-estimated_amount_fen" />
          </Form.Item>
          <DateField name="raised_on" label={t("decisionForm.raised_on")} rules={[required]} allowClear={false} testId="field-raised_on" />
        </>
      )}
    </RecordPage>
  );
}
