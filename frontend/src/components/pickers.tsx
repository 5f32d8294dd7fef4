import { useQuery } from "@tanstack/react-query";
import { Select, type SelectProps } from "antd";
import { api, unwrap } from "../api/client";

// Pickers for references: a department has dozens of offices, villages and rounds and a few
// hundred cadres, so one page of up to 500 active records is enough.

type PickerProps = Omit<SelectProps<number>, "options" | "loading">;

export function OfficeSelect(props: PickerProps) {
  const q = useQuery({
    queryKey: ["offices", "options"],
    queryFn: () => unwrap(api.GET("/api/v1/offices", { params: { query: { limit: 500, active: true } } })),
  });
  return (
    <Select<number>
      allowClear
      showSearch
      optionFilterProp="label"
      {...props}
      loading={q.isFetching}
      options={q.data?.items.map((o) => ({ value: o.id, label: o.name }))}
    />
  );
}

export function VillageSelect(props: PickerProps) {
  const q = useQuery({
    queryKey: ["villages", "options"],
    queryFn: () => unwrap(api.GET("/api/v1/villages", { params: { query: { limit: 500, active: true } } })),
  });
  return (
    <Select<number>
      allowClear
      showSearch
      optionFilterProp="label"
      {...props}
      loading={q.isFetching}
      options={q.data?.items.map((v) => ({ value: v.id, label: v.name_bo ? `${v.name} ${v.name_bo}` : v.name }))}
    />
  );
}

export function CadreSelect(props: PickerProps) {
  const q = useQuery({
    queryKey: ["cadres", "options"],
    queryFn: () => unwrap(api.GET("/api/v1/cadres", { params: { query: { limit: 500, active: true } } })),
  });
  return (
    <Select<number>
      allowClear
      showSearch
      optionFilterProp="label"
      {...props}
      loading={q.isFetching}
      options={q.data?.items.map((c) => ({ value: c.id, label: c.position ? `${c.name}（${c.position}）` : c.name }))}
    />
  );
}

export function RoundSelect(props: PickerProps) {
  const q = useQuery({
    queryKey: ["rounds", "options"],
    queryFn: () => unwrap(api.GET("/api/v1/rounds", { params: { query: { limit: 500 } } })),
  });
  return (
    <Select<number>
      allowClear
      {...props}
      loading={q.isFetching}
      options={q.data?.items.map((r) => ({ value: r.id, label: r.name ? `${r.number} · ${r.name}` : String(r.number) }))}
    />
  );
}

/** Office id → name, for list columns. */
export function useOfficeNames(): Map<number, string> {
  const q = useQuery({
    queryKey: ["offices", "names"],
    queryFn: () => unwrap(api.GET("/api/v1/offices", { params: { query: { limit: 500 } } })),
  });
  return new Map(q.data?.items.map((o) => [o.id, o.name]) ?? []);
}
