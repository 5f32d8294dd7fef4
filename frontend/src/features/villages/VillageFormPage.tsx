import { Alert, Checkbox, Form, Input, InputNumber, Spin } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrapWithEtag, type Schemas } from "../../api/client";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm, blankToNull } from "../../components/RecordForm";
import { fetchVillage, type Village } from "./api";

type Values = Schemas["VillageCreate"] & Pick<Schemas["VillagePatch"], "active">;
const FIELDS = ["name", "name_bo", "prefecture", "county", "township", "code", "latitude", "longitude", "active"] as const;

function toValues(v: Village): Values {
  return {
    name: v.name,
    name_bo: v.name_bo ?? "",
    prefecture: v.prefecture,
    county: v.county,
    township: v.township ?? "",
    code: v.code ?? "",
    latitude: v.latitude ?? null,
    longitude: v.longitude ?? null,
    active: v.active,
  };
}

function toBody(values: Values): Schemas["VillageCreate"] {
  return {
    name: values.name.trim(),
    name_bo: blankToNull(values.name_bo?.trim().normalize("NFC")),
    prefecture: values.prefecture.trim(),
    county: values.county.trim(),
    township: blankToNull(values.township?.trim()),
    code: blankToNull(values.code?.trim()),
    latitude: values.latitude ?? null,
    longitude: values.longitude ?? null,
  };
}

const EMPTY: Partial<Values> = {};

export default function VillageFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const idParam = useParams().id;
  const id = idParam ? Number(idParam) : null;
  const loaded = useQuery({ queryKey: ["villages", id], queryFn: () => fetchVillage(id!), enabled: id !== null });

  if (id !== null && loaded.isPending) return <Spin />;
  if (id !== null && loaded.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />;
  const record = loaded.data;

  const saved = (village: Village) => {
    void queryClient.invalidateQueries({ queryKey: ["villages"] });
    navigate(`/villages/${village.id}`);
  };

  return (
    <>
      <PageTitle>{id === null ? t("village.new") : t("village.editTitle")}</PageTitle>
      <RecordForm<Values, Village>
        key={record?.etag ?? "new"}
        draftKey={id === null ? "village.new" : `village.${id}`}
        fields={FIELDS}
        initialValues={record ? toValues(record.data) : EMPTY}
        etag={record?.etag}
        onReload={() => loaded.refetch()}
        testId="village-form"
        onCancel={() => navigate(-1)}
        onSaved={saved}
        save={async (values, headers) => {
          const body = toBody(values);
          if (id === null) {
            const created = await unwrapWithEtag(
              api.POST("/api/v1/villages", { body, params: { header: { "Idempotency-Key": headers.idempotencyKey } } }),
            );
            return created.data;
          }
          const updated = await unwrapWithEtag(
            api.PATCH("/api/v1/villages/{id}", { body: { ...body, active: values.active ?? true }, params: { path: { id }, header: { "If-Match": headers.ifMatch } } }),
          );
          return updated.data;
        }}
      >
        <Form.Item name="name" label={t("village.name")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
          <Input data-testid="field-name" maxLength={100} />
        </Form.Item>
        <Form.Item name="name_bo" label={t("village.name_bo")}>
          <Input lang="bo" className="bo" data-testid="field-name_bo" maxLength={200} />
        </Form.Item>
        <Form.Item name="prefecture" label={t("village.prefecture")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
          <Input data-testid="field-prefecture" />
        </Form.Item>
        <Form.Item name="county" label={t("village.county")} rules={[{ required: true, whitespace: true, message: t("form.required") }]}>
          <Input data-testid="field-county" />
        </Form.Item>
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
        {id !== null && (
          <Form.Item name="active" valuePropName="checked">
            <Checkbox data-testid="field-active">{t("common.active")}</Checkbox>
          </Form.Item>
        )}
      </RecordForm>
    </>
  );
}
