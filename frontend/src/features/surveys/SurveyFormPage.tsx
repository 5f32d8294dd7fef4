// A village's survey for a year: created from the village's page (`/villages/:villageId/surveys/new`)
// or corrected (`/surveys/:id/edit`), saved through RecordForm and the outbox like every form.
import { Col, Form, Input, InputNumber, Row, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router-dom";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { detailKey, useIdParam, useRecordPage } from "../../components/RecordPage";
import { isMu, yuanToFen } from "../../lib/amounts";
import { fetchVillage } from "../villages/api";
import { fetchSurvey, LIVESTOCK_KINDS, surveyForm, type SurveyValues } from "./api";

const FIRST_YEAR = 2011;

function useSubject(villageId: number | null, surveyId: number | null): string | undefined {
  const village = useQuery({ queryKey: ["villages", villageId], queryFn: () => fetchVillage(villageId!), enabled: villageId !== null });
  const survey = useQuery({ queryKey: detailKey("surveys", surveyId), queryFn: () => fetchSurvey(surveyId!), enabled: surveyId !== null });
  if (survey.data) return `${survey.data.data.village_name} · ${survey.data.data.year}`;
  return village.data?.data.name;
}

export default function SurveyFormPage() {
  const { t } = useTranslation();
  const params = useParams();
  const [search] = useSearchParams();
  const villageId = params.villageId ? Number(params.villageId) : null;
  const surveyId = useIdParam();
  const lastYear = new Date().getFullYear() + 1;
  const suggested = Number(search.get("year"));
  const year = Number.isInteger(suggested) && suggested >= FIRST_YEAR && suggested <= lastYear ? suggested : undefined;
  const def = useMemo(() => surveyForm(villageId, year), [villageId, year]);
  const page = useRecordPage(def);
  const subject = useSubject(villageId, surveyId);
  if (page.gate) return page.gate;
  const { key, ...formProps } = page.formProps;

  const required = { required: true, message: t("form.required") };
  const count: Rule[] = [required];
  const mu: Rule[] = [required, { validator: (_, v: string) => (!v || isMu(v) ? Promise.resolve() : Promise.reject(new Error(t("survey.muInvalid")))) }];
  const yuan: Rule[] = [required, { validator: (_, v: string) => (!v || yuanToFen(v) !== null ? Promise.resolve() : Promise.reject(new Error(t("survey.yuanInvalid")))) }];
  const countInput = (name: string) => <InputNumber min={0} max={10_000_000} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid={`field-${name}`} />;
  const half = { xs: 24, sm: 12 };

  return (
    <>
      <PageTitle>{page.title}</PageTitle>
      {subject && (
        <Typography.Paragraph type="secondary" data-testid="survey-subject">
          {subject}
        </Typography.Paragraph>
      )}
      {/* A new survey's draft belongs to its village (a department user works on many). */}
      <RecordForm<SurveyValues, Parameters<typeof def.after>[0]>
        key={key}
        {...formProps}
        draftKey={villageId !== null ? `survey.new.${villageId}` : formProps.draftKey}
        testId="survey-form"
      >
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="year" label={t("survey.year")} rules={[required]}>
              <InputNumber min={FIRST_YEAR} max={lastYear} precision={0} inputMode="numeric" style={{ width: "100%" }} data-testid="field-year" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="population" label={t("survey.population")} rules={count}>
              {countInput("population")}
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="households" label={t("survey.households")} rules={count}>
              {countInput("households")}
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="poor_households" label={t("survey.poor_households")} rules={count}>
              {countInput("poor_households")}
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="marginal_households" label={t("survey.marginal_households")} rules={count}>
              {countInput("marginal_households")}
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="pasture_mu" label={t("survey.pasture_mu")} rules={mu} extra={t("survey.muHint")}>
              <Input inputMode="decimal" autoComplete="off" data-testid="field-pasture_mu" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="cultivated_mu" label={t("survey.cultivated_mu")} rules={mu} extra={t("survey.muHint")}>
              <Input inputMode="decimal" autoComplete="off" data-testid="field-cultivated_mu" />
            </Form.Item>
          </Col>
        </Row>
        <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <legend style={{ fontSize: 14, fontWeight: 600, marginBottom: 8, border: 0 }}>{t("survey.livestock")}</legend>
          <Row gutter={16}>
            {LIVESTOCK_KINDS.map((kind) => (
              <Col key={kind} xs={12} sm={8}>
                <Form.Item name={["livestock", kind]} label={t(`survey.${kind}`)} rules={count}>
                  {countInput(`livestock-${kind}`)}
                </Form.Item>
              </Col>
            ))}
          </Row>
        </fieldset>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="per_capita_income_fen" label={t("survey.per_capita_income_fen")} rules={yuan} extra={t("survey.yuanHint")}>
              <Input inputMode="decimal" autoComplete="off" data-testid="field-per_capita_income_fen" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="collective_income_fen" label={t("survey.collective_income_fen")} rules={yuan} extra={t("survey.yuanHint")}>
              <Input inputMode="decimal" autoComplete="off" data-testid="field-collective_income_fen" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="main_industries" label={t("survey.main_industries")}>
          <Input maxLength={200} data-testid="field-main_industries" />
        </Form.Item>
        <Form.Item name="report" label={t("survey.report")}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} data-testid="field-report" />
        </Form.Item>
      </RecordForm>
    </>
  );
}
