// 市 and 县 chosen from Tibet's administrative divisions (GET /divisions, cached for the session):
// the browser suggests from the list as one types, the county list follows the prefecture, and 未记录 stays available for
// earlier stations whose place the records do not give. The server checks the same list.
import { Form, Input } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";

function useDivisions() {
  return useQuery({
    queryKey: ["divisions"],
    queryFn: () => unwrap(api.GET("/api/v1/divisions")),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function PlaceFields() {
  const { t } = useTranslation();
  const { data } = useDivisions();
  const prefecture: string | undefined = Form.useWatch("prefecture");
  const required = [{ required: true, whitespace: true, message: t("form.required") }];
  const notRecorded = data?.not_recorded ?? "未记录";
  const prefectures = (data?.prefectures ?? []).map((p) => p.name);
  const chosen = data?.prefectures.find((p) => p.name === prefecture);
  const counties = (chosen ? [chosen] : (data?.prefectures ?? [])).flatMap((p) => p.counties.map((c) => c.name));
  return (
    <>
      <Form.Item name="prefecture" label={t("village.prefecture")} rules={required}>
        <Input data-testid="field-prefecture" list="prefecture-options" autoComplete="off" />
      </Form.Item>
      {/* The browser's own suggestion list: accessible, light, and works with any keyboard. */}
      <datalist id="prefecture-options" data-testid="prefecture-options">
        {[...prefectures, notRecorded].map((name, i) => (
          <option key={`${i}-${name}`} value={name} />
        ))}
      </datalist>
      <Form.Item name="county" label={t("village.county")} rules={required}>
        <Input data-testid="field-county" list="county-options" autoComplete="off" />
      </Form.Item>
      <datalist id="county-options" data-testid="county-options">
        {[...counties, notRecorded].map((name, i) => (
          <option key={`${i}-${name}`} value={name} />
        ))}
      </datalist>
    </>
  );
}
