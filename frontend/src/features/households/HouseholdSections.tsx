// Sections of a household's page: the category history (newest first) with 变更类别, and this
// year's checklist (两不愁三保障 + 饮水安全). Both write through RecordForm and the outbox: the
// category change with the household's If-Match, the checklist with the checklist's own.
import { CheckCircleFilled, CloseCircleFilled, EditOutlined, SwapOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Form, Input, List, Radio, Row, Space, Tag, Timeline, Typography } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FormSelect } from "../../components/FormSelect";
import { RecordForm } from "../../components/RecordForm";
import { formatDate } from "../../lib/datetime";
import {
  CATEGORIES,
  categoryRequest,
  CHECK_ITEMS,
  checkRequest,
  checkToValues,
  fetchCategories,
  fetchChecks,
  householdKeys,
  MONITORING_TYPES,
  today,
  type CategoryValues,
  type Check,
  type CheckValues,
  type Household,
} from "./api";
import { DateField } from "./HouseholdFormPage";
import { CategoryTag } from "./HouseholdTags";

const sectionTitle = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

export function CategoryHistory({ household, etag, canWrite }: { household: Household; etag: string; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [changing, setChanging] = useState(false);
  const history = useQuery({ queryKey: householdKeys.categories(household.id), queryFn: () => fetchCategories(household.id) });
  const entries = [...(history.data?.items ?? [])].reverse();
  const required = { required: true, message: t("form.required") };
  return (
    <Card
      size="small"
      id="categories"
      className="card-wrap"
      title={sectionTitle(t("household.history"))}
      style={{ marginTop: 16 }}
      data-testid="household-history"
      extra={
        canWrite &&
        !changing && (
          <Button size="small" icon={<SwapOutlined />} onClick={() => setChanging(true)} data-testid="category-change">
            {t("household.changeCategory")}
          </Button>
        )
      }
    >
      {history.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={history.error.message} />}
      {changing && (
        <Card size="small" type="inner" title={t("household.changeCategoryTitle")} style={{ marginBottom: 16 }}>
          <RecordForm<CategoryValues, Household>
            key={etag}
            draftKey={`household.category.${household.id}`}
            fields={["category", "monitoring_type", "since", "note"]}
            initialValues={{ since: today() }}
            etag={etag}
            resource="households"
            label={(v) => `${household.head_name} · ${t(`household.categories.${v.category}`, { defaultValue: v.category })}`}
            labelFor={(f) => t(`household.${f}`)}
            request={(values, headers) => categoryRequest(household.id, values, headers.ifMatch)}
            onReload={() => queryClient.invalidateQueries({ queryKey: householdKeys.detail(household.id) })}
            onSaved={() => {
              setChanging(false);
              void queryClient.invalidateQueries({ queryKey: ["households"] });
            }}
            onQueued={() => setChanging(false)}
            onCancel={() => setChanging(false)}
            testId="category-form"
          >
            <Row gutter={16}>
              <Col xs={24} sm={12}>
                <Form.Item name="category" label={t("household.category")} rules={[required]}>
                  <FormSelect<string>
                    options={CATEGORIES.map((c) => ({ value: c, label: t(`household.categories.${c}`) }))}
                    data-testid="field-category"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item noStyle shouldUpdate={(a: CategoryValues, b: CategoryValues) => a.category !== b.category}>
                  {({ getFieldValue }) =>
                    getFieldValue("category") === "monitored" ? (
                      <Form.Item name="monitoring_type" label={t("household.monitoring_type")} rules={[required]}>
                        <FormSelect<string>
                          options={MONITORING_TYPES.map((m) => ({ value: m, label: t(`household.monitoring.${m}`) }))}
                          data-testid="field-monitoring_type"
                        />
                      </Form.Item>
                    ) : null
                  }
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="since" label={t("household.since")} rules={[required]}>
                  <DateField testId="field-since" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="note" label={t("household.note")}>
              <Input maxLength={500} data-testid="field-note" />
            </Form.Item>
          </RecordForm>
        </Card>
      )}
      {entries.length === 0 && !history.isPending ? (
        <Typography.Text type="secondary">{t("household.historyNone")}</Typography.Text>
      ) : (
        <Timeline
          data-testid="history-timeline"
          items={entries.map((e, index) => ({
            key: e.id,
            color: index === 0 ? "#0958d9" : "#595959",
            children: (
              <div data-testid="history-entry">
                <Typography.Text strong>{formatDate(e.since, i18n.language)}</Typography.Text>{" "}
                <CategoryTag category={e.category} monitoringType={e.monitoring_type} />
                {index === 0 && <Tag className="tag-info">{t("household.current")}</Tag>}
                {e.note && <div style={{ whiteSpace: "pre-wrap" }}>{e.note}</div>}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

function Mark({ met }: { met: boolean }) {
  const { t } = useTranslation();
  return met ? (
    <Tag className="tag-ok" icon={<CheckCircleFilled aria-hidden />}>
      {t("household.met")}
    </Tag>
  ) : (
    <Tag className="tag-error" icon={<CloseCircleFilled aria-hidden />}>
      {t("household.unmet")}
    </Tag>
  );
}

export function YearCheck({ household, year, canWrite }: { household: Household; year: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const checks = useQuery({ queryKey: householdKeys.checks(household.id), queryFn: () => fetchChecks(household.id) });
  const check: Check | undefined = checks.data?.items.find((c) => c.year === year);
  const etag = check ? `"${check.version}"` : undefined;
  const required = { required: true, message: t("form.required") };
  return (
    <Card
      size="small"
      id="check"
      className="card-wrap"
      title={sectionTitle(t("household.check", { year }))}
      style={{ marginTop: 16 }}
      data-testid="household-check"
      extra={
        canWrite &&
        !editing && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="check-edit">
            {t("household.checkEdit")}
          </Button>
        )
      }
    >
      {checks.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={checks.error.message} />}
      {editing ? (
        <RecordForm<CheckValues, Check>
          key={etag ?? "new"}
          draftKey={`household.check.${household.id}.${year}`}
          fields={CHECK_ITEMS}
          initialValues={checkToValues(check)}
          etag={etag}
          resource="households"
          label={() => `${household.head_name} · ${year}`}
          labelFor={(f) => t(`household.checkItems.${f}`)}
          request={(values, headers) => checkRequest(household.id, year, values, headers.ifMatch)}
          onReload={() => checks.refetch()}
          loadCurrent={async () => {
            const fresh = await fetchChecks(household.id);
            const current = fresh.items.find((c) => c.year === year);
            return { values: checkToValues(current), etag: current ? `"${current.version}"` : "*" };
          }}
          onSaved={() => {
            setEditing(false);
            void queryClient.invalidateQueries({ queryKey: householdKeys.checks(household.id) });
          }}
          onQueued={() => setEditing(false)}
          onCancel={() => setEditing(false)}
          testId="check-form"
        >
          {CHECK_ITEMS.map((item) => (
            <fieldset key={item} style={{ border: 0, padding: 0, margin: "0 0 8px" }} data-testid={`check-${item}`}>
              <legend style={{ fontWeight: 600, fontSize: 14, marginBottom: 4 }}>{t(`household.checkItems.${item}`)}</legend>
              <Form.Item name={[item, "met"]} rules={[required]} style={{ marginBottom: 4 }}>
                <Radio.Group
                  // antd passes `role` through (pickAttrs) but does not type it; a radiogroup may be aria-required.
                  {...{ role: "radiogroup" }}
                  optionType="button"
                  aria-label={t(`household.checkItems.${item}`)}
                  options={[
                    { value: true, label: t("household.met") },
                    { value: false, label: t("household.unmet") },
                  ]}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a: CheckValues, b: CheckValues) => a[item]?.met !== b[item]?.met}>
                {({ getFieldValue }) => (
                  <Form.Item name={[item, "note"]} style={{ marginBottom: 8 }} hidden={getFieldValue([item, "met"]) !== false && !getFieldValue([item, "note"])}>
                    <Input placeholder={t("household.checkNote")} aria-label={`${t(`household.checkItems.${item}`)} ${t("household.checkNote")}`} maxLength={500} data-testid={`check-${item}-note`} />
                  </Form.Item>
                )}
              </Form.Item>
            </fieldset>
          ))}
        </RecordForm>
      ) : check ? (
        <>
          <Space style={{ marginBottom: 8 }}>
            {check.unmet === 0 ? <Tag className="tag-ok">{t("household.checkAllMet")}</Tag> : <Tag className="tag-error">{t("household.checkUnmet", { count: check.unmet })}</Tag>}
          </Space>
          <List
            size="small"
            data-testid="check-items"
            dataSource={[...CHECK_ITEMS]}
            renderItem={(item) => (
              <List.Item key={item} data-testid={`check-item-${item}`}>
                <div>
                  <Space wrap>
                    <span>{t(`household.checkItems.${item}`)}</span>
                    <Mark met={check[item].met} />
                  </Space>
                  {check[item].note && <div style={{ color: "rgba(0,0,0,0.65)" }}>{check[item].note}</div>}
                </div>
              </List.Item>
            )}
          />
        </>
      ) : (
        !checks.isPending && (
          <Typography.Text type="secondary" data-testid="check-none">
            {t("household.checkNone", { year })}
          </Typography.Text>
        )
      )}
    </Card>
  );
}
