// Optional links of a village's record to the same village's households and projects (needs,
// activities): pickers that offer that village's rows only (the server refuses any other with
// `household_other_village` / `project_other_village`). Households are searched on the server by
// the head's name (Chinese, Tibetan, pinyin); the names of the chosen ones are kept as they are
// seen, so a chosen household stays named while another search is shown.
import { useQuery } from "@tanstack/react-query";
import { Spin } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";
import { FormSelect } from "./FormSelect";

/** One page of a village's households (the API's maximum page). */
const HOUSEHOLD_OPTIONS = 500;

function useVillageHouseholds(villageId: number | undefined, q: string) {
  const query = { village_id: villageId, q: q.trim() || undefined, limit: HOUSEHOLD_OPTIONS, sort: "name" };
  return useQuery({
    queryKey: ["households", "list", query],
    queryFn: () => unwrap(api.GET("/api/v1/households", { params: { query } })),
    enabled: villageId !== undefined,
  });
}

type Labels = Map<number, string>;

function useHouseholdOptions(villageId: number | undefined, q: string, chosen: readonly number[]) {
  const found = useVillageHouseholds(villageId, q);
  const labels = useRef<Labels>(new Map());
  const options = (found.data?.items ?? []).map((h) => ({ value: h.id, label: h.head_name_bo ? `${h.head_name} ${h.head_name_bo}` : h.head_name }));
  for (const o of options) labels.current.set(o.value, o.label);
  const listed = new Set(options.map((o) => o.value));
  for (const id of chosen) if (!listed.has(id)) options.unshift({ value: id, label: labels.current.get(id) ?? `#${id}` });
  return { found, options };
}

interface PickerBase {
  villageId: number | undefined;
  id?: string;
  testId: string;
}

/** One household of the village, or none. */
export function HouseholdPicker({ villageId, value, onChange, id, testId }: PickerBase & { value?: number | null; onChange?: (v: number | null) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const { found, options } = useHouseholdOptions(villageId, q, value != null ? [value] : []);
  return (
    <FormSelect<number | null>
      id={id}
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      disabled={villageId === undefined}
      placeholder={villageId === undefined ? t("project.chooseVillageFirst") : t("links.householdSearch")}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? <Spin size="small" /> : undefined}
      options={options}
      data-testid={testId}
    />
  );
}

/** Several households of the village (at most `max`). */
export function HouseholdsPicker({
  villageId,
  value,
  onChange,
  id,
  testId,
  max,
}: PickerBase & { value?: number[]; onChange?: (v: number[]) => void; max: number }) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const chosen = value ?? [];
  const { found, options } = useHouseholdOptions(villageId, q, chosen);
  return (
    <FormSelect<number[]>
      id={id}
      mode="multiple"
      allowClear
      showSearch
      filterOption={false}
      onSearch={setQ}
      onBlur={() => setQ("")}
      value={chosen}
      onChange={(v) => onChange?.((v ?? []).slice(0, max))}
      maxCount={max}
      disabled={villageId === undefined}
      placeholder={villageId === undefined ? t("project.chooseVillageFirst") : t("links.householdsSearch")}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? <Spin size="small" /> : undefined}
      options={options}
      data-testid={testId}
    />
  );
}

/** One project of the village, or none. */
export function ProjectPicker({ villageId, value, onChange, id, testId }: PickerBase & { value?: number | null; onChange?: (v: number | null) => void }) {
  const { t } = useTranslation();
  const query = { village_id: villageId, limit: 500, sort: "title" };
  const projects = useQuery({
    queryKey: ["projects", "list", query],
    queryFn: () => unwrap(api.GET("/api/v1/projects", { params: { query } })),
    enabled: villageId !== undefined,
  });
  return (
    <FormSelect<number | null>
      id={id}
      allowClear
      showSearch
      optionFilterProp="label"
      value={value ?? null}
      onChange={(v) => onChange?.(v ?? null)}
      disabled={villageId === undefined}
      placeholder={villageId === undefined ? t("project.chooseVillageFirst") : t("links.noProject")}
      loading={projects.isFetching}
      options={(projects.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
      data-testid={testId}
    />
  );
}
