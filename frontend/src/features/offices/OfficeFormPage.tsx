import { Alert, Checkbox, Form, Input, Spin } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrapWithEtag, type Schemas } from "../../api/client";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { useIdParam, useRecord } from "../../components/useRecord";

type Office = Schemas["Office"];
type Values = Schemas["OfficePatch"];
const FIELDS = ["name", "active"] as const;
const EMPTY: Values = { active: true };

const fetchOffice = (id: number) => unwrapWithEtag(api.GET("/api/v1/offices/{id}", { params: { path: { id } } }));

export default function OfficeFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useIdParam(useParams().id);
  const loaded = useRecord("offices", id, fetchOffice);
  if (id !== null && loaded.isPending) return <Spin />;
  if (id !== null && loaded.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />;
  const record = loaded.data;
  return (
    <>
      <PageTitle>{id === null ? t("office.new") : t("office.editTitle")}</PageTitle>
      <RecordForm<Values, Office>
        key={record?.etag ?? "new"}
        draftKey={id === null ? "office.new" : `office.${id}`}
        fields={FIELDS}
        initialValues={record ? { name: record.data.name, active: record.data.active } : EMPTY}
        etag={record?.etag}
        onReload={() => loaded.refetch()}
        onCancel={() => navigate(-1)}
        onSaved={() => {
          void queryClient.invalidateQueries({ queryKey: ["offices"] });
          navigate("/offices");
        }}
        save={async (values, headers) => {
          const name = (values.name ?? "").trim();
          if (id === null) {
            return (await unwrapWithEtag(api.POST("/api/v1/offices", { body: { name }, params: { header: { "Idempotency-Key": headers.idempotencyKey } } }))).data;
          }
          return (
            await unwrapWithEtag(
              api.PATCH("/api/v1/offices/{id}", { body: { name, active: values.active }, params: { path: { id }, header: { "If-Match": headers.ifMatch } } }),
            )
          ).data;
        }}
      >
        <Form.Item name="name" label={t("office.name")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
          <Input data-testid="field-name" />
        </Form.Item>
        {id !== null && (
          <Form.Item name="active" valuePropName="checked">
            <Checkbox>{t("common.active")}</Checkbox>
          </Form.Item>
        )}
      </RecordForm>
    </>
  );
}
