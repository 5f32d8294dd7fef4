import { Checkbox, Form, Input, InputNumber } from "antd";
import { useTranslation } from "react-i18next";
import { RecordPage } from "../../components/RecordPage";
import { villageForm } from "./api";
import { PlaceFields } from "./PlaceFields";

export default function VillageFormPage() {
  const { t } = useTranslation();
  const required = [{ required: true, whitespace: true, message: t("form.required") }];
  return (
    <RecordPage def={villageForm} testId="village-form">
      {({ isNew }) => (
        <>
          <Form.Item name="name" label={t("village.name")} rules={required}>
            <Input data-testid="field-name" maxLength={100} />
          </Form.Item>
          <Form.Item name="name_bo" label={t("village.name_bo")}>
            <Input lang="bo" className="bo" data-testid="field-name_bo" maxLength={200} />
          </Form.Item>
          <PlaceFields />
          <Form.Item name="township" label={t("village.township")}>
            <Input data-testid="field-township" />
          </Form.Item>
          <Form.Item name="code" label={t("village.code")}>
            <Input data-testid="field-code" />
          </Form.Item>
          <Form.Item name="latitude" label={t("village.latitude")}>
            <InputNumber style={{ width: "100%" }} min={-90} max={90} step={0.000001} data-testid="field-latitude" />
          </Form.Item>
          <Form.Item name="longitude" label={t("village.longitude")}>
            <InputNumber style={{ width: "100%" }} min={-180} max={180} step={0.000001} data-testid="field-longitude" />
          </Form.Item>
          {!isNew && (
            <Form.Item name="active" valuePropName="checked">
              <Checkbox data-testid="field-active">{t("common.active")}</Checkbox>
            </Form.Item>
          )}
        </>
      )}
    </RecordPage>
  );
}
