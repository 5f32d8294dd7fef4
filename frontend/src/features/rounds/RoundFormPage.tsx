import { Form, Input, InputNumber } from "antd";
import { useTranslation } from "react-i18next";
import { DateField } from "../../components/DateField";
import { RecordPage } from "../../components/RecordPage";
import { roundForm } from "./api";

export default function RoundFormPage() {
  const { t } = useTranslation();
  const required = [{ required: true, message: t("form.required") }];
  return (
    <RecordPage def={roundForm} testId="round-form">
      {() => (
        <>
          <Form.Item name="number" label={t("round.number")} rules={required}>
            <InputNumber min={1} precision={0} style={{ width: "100%" }} data-testid="field-number" />
          </Form.Item>
          <Form.Item name="name" label={t("round.name")}>
            <Input data-testid="field-name" />
          </Form.Item>
          <DateField name="starts_on" label={t("round.starts_on")} rules={required} testId="field-starts_on" />
          <DateField name="ends_on" label={t("round.ends_on")} rules={required} testId="field-ends_on" />
        </>
      )}
    </RecordPage>
  );
}
