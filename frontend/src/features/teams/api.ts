// The teams feature's calls, query keys and form definitions (teams and their members).
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import { blankToNull } from "../../lib/values";
import type { RecordFormDef } from "../../components/RecordPage";

export type Team = Schemas["Team"];
export type Member = Schemas["TeamMember"];
export type TeamQuery = NonNullable<paths["/api/v1/teams"]["get"]["parameters"]["query"]>;

export const teamKeys = {
  all: ["teams"] as const,
  list: (query: TeamQuery) => ["teams", "list", query] as const,
  detail: (id: number) => ["teams", id] as const,
  members: (id: number) => ["teams", id, "members"] as const,
};

export const fetchTeam = (id: number) => unwrapWithEtag(api.GET("/api/v1/teams/{id}", { params: { path: { id } } }));
export const fetchTeams = (query: TeamQuery) => unwrap(api.GET("/api/v1/teams", { params: { query } }));
export const fetchMembers = (id: number) =>
  unwrap(api.GET("/api/v1/teams/{id}/members", { params: { path: { id }, query: { limit: 500 } } }));

export function teamLabel(team: Pick<Team, "name" | "village_name" | "round_number">): string {
  return team.name || `${team.village_name} · ${team.round_number}`;
}

type Values = Partial<Schemas["TeamCreate"]> & Schemas["TeamPatch"];

export const teamForm: RecordFormDef<Team, Values> = {
  resource: "teams",
  i18n: "team",
  fields: ["round_id", "village_id", "name", "active"],
  fetchOne: fetchTeam,
  toValues: (t) => ({ round_id: t.round_id, village_id: t.village_id, name: t.name ?? "", active: t.active }),
  empty: {},
  create: (values) =>
    postTo("/api/v1/teams", { round_id: values.round_id ?? 0, village_id: values.village_id ?? 0, name: blankToNull(values.name?.trim()) }),
  update: (id, values) => patchAt("/api/v1/teams/{id}", { id }, { name: blankToNull(values.name?.trim()), active: values.active }),
  label: (values) => values.name ?? "",
  after: (team) => `/teams/${team.id}`,
};

export type MemberValues = Partial<Schemas["TeamMemberCreate"]>;

export function memberCreate(teamId: number, values: MemberValues) {
  return postTo(
    "/api/v1/teams/{id}/members",
    { cadre_id: values.cadre_id ?? 0, is_leader: values.is_leader ?? false, from_date: values.from_date ?? "", to_date: values.to_date ?? null },
    { id: teamId },
  );
}

export function memberUpdate(teamId: number, member: Member, values: MemberValues) {
  return patchAt(
    "/api/v1/teams/{id}/members/{member_id}",
    { id: teamId, member_id: member.id },
    { is_leader: values.is_leader ?? false, from_date: values.from_date ?? member.from_date, to_date: values.to_date ?? null },
  );
}
