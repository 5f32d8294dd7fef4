// A household's pairings (结对认亲) by year with the cadres' names; writers add one (cadre, year,
// note) through RecordForm and the outbox, and remove a wrong one (DELETE with its If-Match, also
// through the outbox).
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, List, Popconfirm, Row, Space, Tag, Typography } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { currentOwner, outbox } from "../../api/outbox";
import { problemMessage, type Problem } from "../../api/problem";
import { useCanWrite } from "../../components/guards";
import { RecordForm } from "../../components/RecordForm";
import { thisYear, type Household } from "../households/api";
import { deletePairingRequest, fetchPairings, householdPairingsQuery, pairingKeys, pairingRequest, type Pairing, type PairingValues } from "./api";
import { CadrePicker } from "./CadrePicker";

export function HouseholdPairings({ household }: { household: Household }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canWrite = useCanWrite("pairings");
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const query = householdPairingsQuery(household.id);
  const pairings = useQuery({ queryKey: pairingKeys.list(query), queryFn: () => fetchPairings(query) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["pairings"] });
  const remove = async (pairing: Pairing) => {
    const result = await outbox.submit(deletePairingRequest(pairing), {
      resource: "pairings",
      label: `${pairing.year} ${pairing.cadre_name} · ${household.head_name}`,
      owner: currentOwner(),
    });
    if (result.kind === "queued") return void message.info(t("outbox.queued"));
    if (result.response.ok) {
      message.success(t("pairing.removed"));
      return void refresh();
    }
    const body = (await result.response.json().catch(() => null)) as Problem | null;
    message.error(problemMessage(body, t as never, result.response.status));
  };
  const required = { required: true, message: t("form.required") };
  const year = thisYear();
  return (
    <Card
      size="small"
      id="pairings"
      className="card-wrap"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("pairing.list")}</h2>}
      style={{ marginTop: 16 }}
      data-testid="household-pairings"
      extra={
        canWrite &&
        !adding && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="pairing-add">
            {t("pairing.add")}
          </Button>
        )
      }
    >
      {pairings.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={pairings.error.message} />}
      {adding && (
        <Card size="small" type="inner" title={t("pairing.add")} style={{ marginBottom: 12 }}>
          <RecordForm<PairingValues, Pairing>
            draftKey={`pairing.new.${household.id}`}
            fields={["cadre_id", "year", "note"]}
            initialValues={{ year }}
            resource="pairings"
            label={(v) => `${v.year} · ${household.head_name}`}
            labelFor={(f) => t(`pairing.${f}`)}
            request={(values, headers) => ({ ...pairingRequest(household.id, values), idempotencyKey: headers.idempotencyKey })}
            onSaved={() => {
              setAdding(false);
              void refresh();
            }}
            onQueued={() => setAdding(false)}
            onCancel={() => setAdding(false)}
            testId="pairing-form"
          >
            <Row gutter={16}>
              <Col xs={24} sm={14}>
                <Form.Item name="cadre_id" label={t("pairing.cadre_id")} rules={[required]}>
                  <CadrePicker villageId={household.village_id} data-testid="field-cadre_id" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={10}>
                <Form.Item name="year" label={t("pairing.year")} rules={[required]}>
                  <InputNumber min={2011} max={year + 1} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-year" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="note" label={t("pairing.note")}>
              <Input maxLength={500} data-testid="field-note" />
            </Form.Item>
          </RecordForm>
        </Card>
      )}
      <List<Pairing>
        size="small"
        loading={pairings.isPending}
        dataSource={pairings.data?.items ?? []}
        data-testid="pairing-list"
        locale={{ emptyText: <Typography.Text type="secondary">{t("pairing.none")}</Typography.Text> }}
        renderItem={(p) => (
          <List.Item
            key={p.id}
            data-testid="pairing-item"
            actions={
              canWrite
                ? [
                    <Popconfirm key="delete" title={t("pairing.removeConfirm")} onConfirm={() => void remove(p)} okText={t("common.yes")} cancelText={t("common.no")}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`${t("pairing.remove")} ${p.year} ${p.cadre_name}`} data-testid="pairing-remove" />
                    </Popconfirm>,
                  ]
                : undefined
            }
          >
            <Space wrap size={[8, 0]}>
              <Tag className={p.year === year ? "tag-info" : ""}>{p.year}</Tag>
              <strong>{p.cadre_name}</strong>
              {p.note && <Typography.Text type="secondary">{p.note}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
