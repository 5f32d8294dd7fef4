import { Alert, Checkbox, Form, Input, Spin } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrapWithEtag, type Schemas } from "../../api/client";
import { PageTitle } from "../../components/PageTitle";
import { OfficeSelect } from "../../components/pickers";
import { RecordForm, blankToNull } from "../../components/RecordForm";
import { useIdParam, useRecord } from "../../components/useRecord";

type Cadre = Schemas["Cadre"];
type Values = Schemas["CadrePatch"];
const FIELDS = ["name", "name_bo", "office_id", "position", "phone", "active"] as const;
const EMPTY: Values = {};

const fetchCadre = (id: number) => unwrapWithEtag(api.GET("/api/v1/cadres/{id}", { params: { path: { id } } }));

export default function CadreFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useIdParam(useParams().id);
  const loaded = useRecord("cadres", id, fetchCadre);
  if (id !== null && loaded.isPending) return <Spin />;
  if (id !== null && loaded.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />;
  const record = loaded.data;
  return (
    <>
      <PageTitle>{id === null ? t("cadre.new") : t("cadre.editTitle")}</PageTitle>
      <RecordForm<Values, Cadre>
        key={record?.etag ?? "new"}
        draftKey={id === null ? "cadre.new" : `cadre.${id}`}
        fields={FIELDS}
        initialValues={
          record
            ? {
                name: record.data.name,
                name_bo: record.data.name_bo ?? "",
                office_id: record.data.office_id ?? null,
                position: record.data.position ?? "",
                phone: record.data.phone ?? "",
                active: record.data.active,
              }
            : EMPTY
        }
        etag={record?.etag}
        onReload={() => loaded.refetch()}
        onCancel={() => navigate(-1)}
        onSaved={() => {
          void queryClient.invalidateQueries({ queryKey: ["cadres"] });
          navigate("/cadres");
        }}
        save={async (values, headers) => {
          const body = {
            name: (values.name ?? "").trim(),
            name_bo: blankToNull(values.name_bo?.trim().normalize("NFC")),
            office_id: values.office_id ?? null,
            position: blankToNull(values.position?.trim()),
            phone: blankToNull(values.phone?.trim()),
          };
          if (id === null) {
            return (await unwrapWithEtag(api.POST("/api/v1/cadres", { body, params: { header: { "Idempotency-Key": headers.idempotencyKey } } }))).data;
          }
          return (
            await unwrapWithEtag(
              api.PATCH("/api/v1/cadres/{id}", { body: { ...body, active: values.active }, params: { path: { id }, header: { "If-Match": headers.ifMatch } } }),
            )
          ).data;
        }}
      >
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
        {id !== null && (
          <Form.Item name="active" valuePropName="checked">
            <Checkbox>{t("common.active")}</Checkbox>
          </Form.Item>
        )}
      </RecordForm>
    </>
  );
}
