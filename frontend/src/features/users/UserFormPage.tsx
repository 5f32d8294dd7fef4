import { Checkbox, Form, Input, Select } from "antd";
import { useTranslation } from "react-i18next";
import { requiredChoice } from "../../components/rules";
import { ROLES } from "../../auth/AuthContext";
import { CadreSelect, OfficeSelect, VillageSelect } from "../../components/pickers";
import { RecordPage } from "../../components/RecordPage";
import { userForm } from "./api";

export default function UserFormPage() {
  const { t } = useTranslation();
  const required = [{ required: true, whitespace: true, message: t("form.required") }];
  return (
    <RecordPage def={userForm} testId="user-form">
      {({ isNew }) => (
        <>
          <Form.Item name="username" label={t("user.username")} rules={required}>
            <Input disabled={!isNew} autoComplete="off" data-testid="field-username" />
          </Form.Item>
          <Form.Item name="display_name" label={t("user.display_name")} rules={required}>
            <Input data-testid="field-display_name" />
          </Form.Item>
          <Form.Item name="role" label={t("user.role")} rules={[requiredChoice(t("form.required"))]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="field-role" />
          </Form.Item>
          {isNew && (
            <Form.Item name="password" label={t("user.password")} rules={[{ required: true, min: 10 }]}>
              <Input.Password autoComplete="new-password" data-testid="field-password" />
            </Form.Item>
          )}
          <Form.Item name="office_id" label={t("user.office")}>
            <OfficeSelect />
          </Form.Item>
          <Form.Item name="village_id" label={t("user.village")}>
            <VillageSelect />
          </Form.Item>
          <Form.Item name="cadre_id" label={t("user.cadre")}>
            <CadreSelect />
          </Form.Item>
          {!isNew && (
            <Form.Item name="disabled" valuePropName="checked">
              <Checkbox data-testid="field-disabled">{t("user.disabled")}</Checkbox>
            </Form.Item>
          )}
        </>
      )}
    </RecordPage>
  );
}
