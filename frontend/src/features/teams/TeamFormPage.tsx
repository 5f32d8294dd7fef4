import { Alert, Checkbox, Form, Input, Spin } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrapWithEtag, type Schemas } from "../../api/client";
import { PageTitle } from "../../components/PageTitle";
import { RoundSelect, VillageSelect } from "../../components/pickers";
import { RecordForm, blankToNull } from "../../components/RecordForm";
import { useIdParam, useRecord } from "../../components/useRecord";

type Team = Schemas["Team"];
type Values = Partial<Schemas["TeamCreate"]> & Schemas["TeamPatch"];
const FIELDS = ["round_id", "village_id", "name", "active"] as const;
const EMPTY: Values = {};

export const fetchTeam = (id: number) => unwrapWithEtag(api.GET("/api/v1/teams/{id}", { params: { path: { id } } }));

export default function TeamFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useIdParam(useParams().id);
  const loaded = useRecord("teams", id, fetchTeam);
  if (id !== null && loaded.isPending) return <Spin />;
  if (id !== null && loaded.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={loaded.error.message} />;
  const record = loaded.data;
  return (
    <>
      <PageTitle>{id === null ? t("team.new") : t("team.editTitle")}</PageTitle>
      <RecordForm<Values, Team>
        key={record?.etag ?? "new"}
        draftKey={id === null ? "team.new" : `team.${id}`}
        fields={FIELDS}
        initialValues={
          record
            ? { round_id: record.data.round_id, village_id: record.data.village_id, name: record.data.name ?? "", active: record.data.active }
            : EMPTY
        }
        etag={record?.etag}
        onReload={() => loaded.refetch()}
        onCancel={() => navigate(-1)}
        onSaved={(team) => {
          void queryClient.invalidateQueries({ queryKey: ["teams"] });
          navigate(`/teams/${team.id}`);
        }}
        save={async (values, headers) => {
          const name = blankToNull(values.name?.trim());
          if (id === null) {
            const body = { round_id: values.round_id ?? 0, village_id: values.village_id ?? 0, name };
            return (await unwrapWithEtag(api.POST("/api/v1/teams", { body, params: { header: { "Idempotency-Key": headers.idempotencyKey } } }))).data;
          }
          return (
            await unwrapWithEtag(
              api.PATCH("/api/v1/teams/{id}", { body: { name, active: values.active }, params: { path: { id }, header: { "If-Match": headers.ifMatch } } }),
            )
          ).data;
        }}
      >
        <Form.Item name="round_id" label={t("team.round")} rules={[{ required: true, message: t("form.required") }]}>
          <RoundSelect disabled={id !== null} />
        </Form.Item>
        <Form.Item name="village_id" label={t("team.village")} rules={[{ required: true, message: t("form.required") }]}>
          <VillageSelect disabled={id !== null} />
        </Form.Item>
        <Form.Item name="name" label={t("team.name")}>
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
