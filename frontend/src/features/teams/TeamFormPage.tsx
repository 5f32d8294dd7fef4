import { Checkbox, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { requiredChoice } from "../../components/rules";
import { RoundSelect, VillageSelect } from "../../components/pickers";
import { RecordPage } from "../../components/RecordPage";
import { teamForm } from "./api";

export default function TeamFormPage() {
  const { t } = useTranslation();
  return (
    <RecordPage def={teamForm} testId="team-form">
      {({ isNew }) => (
        <>
          <Form.Item name="round_id" label={t("team.round")} rules={[requiredChoice(t("form.required"))]}>
            <RoundSelect disabled={!isNew} />
          </Form.Item>
          <Form.Item name="village_id" label={t("team.village")} rules={[requiredChoice(t("form.required"))]}>
            <VillageSelect disabled={!isNew} />
          </Form.Item>
          <Form.Item name="name" label={t("team.name")}>
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
