// Choosing a cadre for a pairing. The department (and the admin) read the department's cadres
// (GET /cadres); a team user may not (the server refuses /cadres to the team role), so it chooses
// among the cadres it can see: the members of its village's work teams and the cadres already
// paired in its village (from GET /pairings).
import { useQuery } from "@tanstack/react-query";
import type { SelectProps } from "antd";
import { useAuth } from "../../auth/AuthContext";
import { FormSelect } from "../../components/FormSelect";
import { CadreSelect } from "../../components/pickers";
import { isVillageUser } from "../../components/roles";
import { fetchMembers, fetchTeams } from "../teams/api";
import { fetchPairings } from "./api";

type Props = Omit<SelectProps<number>, "options" | "loading"> & { villageId: number; "aria-required"?: unknown };

async function villageCadres(villageId: number): Promise<{ value: number; label: string }[]> {
  const [teams, pairings] = await Promise.all([
    fetchTeams({ village_id: villageId, limit: 50, sort: "-round" }),
    fetchPairings({ village_id: villageId, limit: 500, sort: "-year" }),
  ]);
  const members = await Promise.all(teams.items.filter((t) => t.active).map((t) => fetchMembers(t.id)));
  const names = new Map<number, string>();
  for (const m of members.flatMap((list) => list.items)) if (!m.to_date) names.set(m.cadre_id, m.cadre_name);
  for (const p of pairings.items) if (!names.has(p.cadre_id)) names.set(p.cadre_id, p.cadre_name);
  return [...names].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label, "zh-CN"));
}

export function CadrePicker({ villageId, ...props }: Props) {
  const { role } = useAuth();
  const team = isVillageUser(role);
  const options = useQuery({ queryKey: ["pairings", "cadre-options", villageId], queryFn: () => villageCadres(villageId), enabled: team });
  const rest = { ...props };
  delete rest["aria-required"];
  if (!team) return <CadreSelect {...rest} />;
  return <FormSelect<number> allowClear showSearch optionFilterProp="label" {...rest} loading={options.isFetching} options={options.data} />;
}
