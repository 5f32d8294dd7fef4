import { Checkbox, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { OfficeSelect } from "../../components/pickers";
import { RecordPage } from "../../components/RecordPage";
import { cadreForm } from "./api";

export default function CadreFormPage() {
  const { t } = useTranslation();
  return (
    <RecordPage def={cadreForm} testId="cadre-form">
      {({ isNew }) => (
        <>
          <Form.Item name="name" label={t("cadre.name")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
            <Input data-testid="field-name" />
          </Form.Item>
          <Form.Item name="name_bo" label={t("cadre.name_bo")}>
            <Input lang="bo" className="bo" data-testid="field-name_bo" />
          </Form.Item>
          <Form.Item name="office_id" label={t("cadre.office")}>
            <OfficeSelect data-testid="field-office_id" />
          </Form.Item>
          <Form.Item name="position" label={t("cadre.position")}>
            <Input data-testid="field-position" />
          </Form.Item>
          <Form.Item name="phone" label={t("cadre.phone")}>
            <Input inputMode="tel" data-testid="field-phone" />
          </Form.Item>
          {!isNew && (
            <Form.Item name="active" valuePropName="checked">
              <Checkbox>{t("common.active")}</Checkbox>
            </Form.Item>
          )}
        </>
      )}
    </RecordPage>
  );
}
