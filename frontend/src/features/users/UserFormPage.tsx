import { Alert, Checkbox, Form, Input, Select, Spin } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrapWithEtag, type Schemas } from "../../api/client";
import { ROLES } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { CadreSelect, OfficeSelect, VillageSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { useIdParam, useRecord } from "../../components/useRecord";

type User = Schemas["User"];
/** The form holds the create fields plus the patch-only `disabled` flag. */
type Values = Partial<Schemas["UserCreate"]> & Schemas["UserPatch"];
const FIELDS = ["username", "display_name", "role", "password", "office_id", "village_id", "cadre_id", "disabled"] as const;
const EMPTY: Values = { role: "department" };

const fetchUser = (id: number) => unwrapWithEtag(api.GET("/api/v1/users/{id}", { params: { path: { id } } }));

export default function UserFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useIdParam(useParams().id);
  const loaded = useRecord("users", id, fetchUser);
  if (id !== null && loaded.isPending) return <Spin />;
  if (id !== null && loaded.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />;
  const record = loaded.data;
  return (
    <>
      <PageTitle>{id === null ? t("user.new") : t("user.editTitle")}</PageTitle>
      <RecordForm<Values, User>
        key={record?.etag ?? "new"}
        draftKey={id === null ? "user.new" : `user.${id}`}
        fields={FIELDS}
        notInDraft={["password"]}
        initialValues={
          record
            ? {
                username: record.data.username,
                display_name: record.data.display_name,
                role: record.data.role,
                office_id: record.data.office_id ?? null,
                village_id: record.data.village_id ?? null,
                cadre_id: record.data.cadre_id ?? null,
                disabled: record.data.disabled,
              }
            : EMPTY
        }
        etag={record?.etag}
        onReload={() => loaded.refetch()}
        onCancel={() => navigate(-1)}
        onSaved={() => {
          void queryClient.invalidateQueries({ queryKey: ["users"] });
          navigate("/users");
        }}
        save={async (values, headers) => {
          const common = {
            display_name: (values.display_name ?? "").trim(),
            role: values.role ?? "department",
            office_id: values.office_id ?? null,
            village_id: values.village_id ?? null,
            cadre_id: values.cadre_id ?? null,
          };
          if (id === null) {
            const body: Schemas["UserCreate"] = {
              ...common,
              username: (values.username ?? "").trim(),
              password: values.password ?? "",
            };
            return (await unwrapWithEtag(api.POST("/api/v1/users", { body, params: { header: { "Idempotency-Key": headers.idempotencyKey } } }))).data;
          }
          return (
            await unwrapWithEtag(
              api.PATCH("/api/v1/users/{id}", {
                body: { ...common, disabled: values.disabled ?? false },
                params: { path: { id }, header: { "If-Match": headers.ifMatch } },
              }),
            )
          ).data;
        }}
      >
        <Form.Item name="username" label={t("user.username")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
          <Input disabled={id !== null} autoComplete="off" data-testid="field-username" />
        </Form.Item>
        <Form.Item name="display_name" label={t("user.display_name")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
          <Input data-testid="field-display_name" />
        </Form.Item>
        <Form.Item name="role" label={t("user.role")} rules={[{ required: true, message: t("form.required") }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="field-role" />
        </Form.Item>
        {id === null && (
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
        {id !== null && (
          <Form.Item name="disabled" valuePropName="checked">
            <Checkbox data-testid="field-disabled">{t("user.disabled")}</Checkbox>
          </Form.Item>
        )}
      </RecordForm>
    </>
  );
}
