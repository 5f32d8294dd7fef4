import { Alert, Form, Input, InputNumber, Spin } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrapWithEtag, type Schemas } from "../../api/client";
import { DateField } from "../../components/DateField";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm, blankToNull } from "../../components/RecordForm";
import { useIdParam, useRecord } from "../../components/useRecord";

type Round = Schemas["Round"];
type Values = Schemas["RoundCreate"];
const FIELDS = ["number", "name", "starts_on", "ends_on"] as const;
const EMPTY: Partial<Values> = {};

const fetchRound = (id: number) => unwrapWithEtag(api.GET("/api/v1/rounds/{id}", { params: { path: { id } } }));

export default function RoundFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useIdParam(useParams().id);
  const loaded = useRecord("rounds", id, fetchRound);
  if (id !== null && loaded.isPending) return <Spin />;
  if (id !== null && loaded.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />;
  const record = loaded.data;
  return (
    <>
      <PageTitle>{id === null ? t("round.new") : t("round.editTitle")}</PageTitle>
      <RecordForm<Values, Round>
        key={record?.etag ?? "new"}
        draftKey={id === null ? "round.new" : `round.${id}`}
        fields={FIELDS}
        initialValues={
          record
            ? { number: record.data.number, name: record.data.name ?? "", starts_on: record.data.starts_on, ends_on: record.data.ends_on }
            : EMPTY
        }
        etag={record?.etag}
        onReload={() => loaded.refetch()}
        onCancel={() => navigate(-1)}
        onSaved={() => {
          void queryClient.invalidateQueries({ queryKey: ["rounds"] });
          navigate("/rounds");
        }}
        save={async (values, headers) => {
          const body = { ...values, name: blankToNull(values.name?.trim()) };
          if (id === null) {
            return (await unwrapWithEtag(api.POST("/api/v1/rounds", { body, params: { header: { "Idempotency-Key": headers.idempotencyKey } } }))).data;
          }
          return (
            await unwrapWithEtag(api.PATCH("/api/v1/rounds/{id}", { body, params: { path: { id }, header: { "If-Match": headers.ifMatch } } }))
          ).data;
        }}
      >
        <Form.Item name="number" label={t("round.number")} rules={[{ required: true, message: t("form.required") }]}>
          <InputNumber min={1} precision={0} style={{ width: "100%" }} data-testid="field-number" />
        </Form.Item>
        <Form.Item name="name" label={t("round.name")}>
          <Input data-testid="field-name" />
        </Form.Item>
        <DateField name="starts_on" label={t("round.starts_on")} rules={[{ required: true, message: t("form.required") }]} testId="field-starts_on" />
        <DateField name="ends_on" label={t("round.ends_on")} rules={[{ required: true, message: t("form.required") }]} testId="field-ends_on" />
      </RecordForm>
    </>
  );
}
