import { Checkbox, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { RecordPage } from "../../components/RecordPage";
import { officeForm } from "./api";

export default function OfficeFormPage() {
  const { t } = useTranslation();
  return (
    <RecordPage def={officeForm} testId="office-form">
      {({ isNew }) => (
        <>
          <Form.Item name="name" label={t("office.name")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
            <Input data-testid="field-name" />
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
