// A disclosure's draft (`/disclosures/new`, `/disclosures/:id/edit`): the village (for staff),
// the category, the title, the text and the period it covers. Saved through RecordForm and the
// outbox; publishing is the committee's, from the list.
import { Form, Input } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { FormSelect } from "../../components/FormSelect";
import { RecordPage } from "../../components/RecordPage";
import { isVillageUser } from "../../components/roles";
import { CATEGORIES, disclosureForm } from "./api";

export default function DisclosureFormPage() {
  const { t } = useTranslation();
  const { me, role } = useAuth();
  const villages = me?.villages ?? [];
  const only = isVillageUser(role) && villages.length === 1 ? villages[0]?.id : undefined;
  const def = useMemo(() => disclosureForm(only), [only]);
  const required = { required: true, message: t("form.required") };
  return (
    <RecordPage def={def} testId="disclosure-form">
      {({ isNew }) => (
        <>
          {isNew && only === undefined && (
            <Form.Item name="village_id" label={t("disclosure.village_id")} rules={[required]}>
              <FormSelect<number> options={villages.map((v) => ({ value: v.id, label: v.name }))} data-testid="field-village_id" />
            </Form.Item>
          )}
          <Form.Item name="category" label={t("disclosure.category")} rules={[required]}>
            <FormSelect<string> options={CATEGORIES.map((c) => ({ value: c, label: t(`disclosure.categoryName.${c}`) }))} data-testid="field-category" />
          </Form.Item>
          <Form.Item name="title" label={t("disclosure.title")} rules={[required]}>
            <Input maxLength={200} data-testid="field-title" />
          </Form.Item>
          <Form.Item name="body" label={t("disclosure.body")} rules={[required]} extra={t("decision.noPersonal")}>
            <Input.TextArea rows={6} maxLength={20000} data-testid="field-body" />
          </Form.Item>
          <DateField name="period_from" label={t("disclosure.period_from")} rules={[required]} testId="field-period_from" />
          <DateField name="period_to" label={t("disclosure.period_to")} rules={[required]} testId="field-period_to" />
        </>
      )}
    </RecordPage>
  );
}
