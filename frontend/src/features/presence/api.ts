// 驻村考勤 and 请假: calls, query keys and the pure calendar helpers of the presence pages. Days are
// recorded as a range (one record per cadre per day; a new range replaces days recorded before),
// in the village or away with a reason; no GPS, photos or online time (the API has no such
// fields). Leave is asked for as a range and decided by the leader (short) or the department.
import { api, unwrap, type Schemas } from "../../api/client";
import { postTo } from "../../api/requests";
import type { OutboxRequest } from "../../lib/outbox";

export type PresenceDay = Schemas["PresenceDay"];
export type PresenceSummary = Schemas["PresenceSummary"];
export type Leave = Schemas["Leave"];
export type Team = Schemas["Team"];

export const REASONS = ["leave", "meeting", "training", "sick", "official"] as const;
export const STATUSES = ["in_village", "away"] as const;

export const presenceKeys = {
  all: ["presence"] as const,
  teams: ["presence", "teams"] as const,
  members: (team: number) => ["presence", "members", team] as const,
  days: (team: number, month: string) => ["presence", "days", team, month] as const,
  summary: (team: number, month: string) => ["presence", "summary", team, month] as const,
  below: (month: string) => ["presence", "below", month] as const,
  leave: (team: number) => ["presence", "leave", team] as const,
};

export const fetchTeams = () => unwrap(api.GET("/api/v1/teams", { params: { query: { limit: 500 } } }));
export const fetchMembers = (team: number) => unwrap(api.GET("/api/v1/teams/{id}/members", { params: { path: { id: team } } }));
export const fetchDays = (team: number, month: string) =>
  unwrap(api.GET("/api/v1/presence", { params: { query: { month, team_id: team } } }));
export const fetchSummary = (team: number, month: string) =>
  unwrap(api.GET("/api/v1/presence/summary", { params: { query: { month, team_id: team } } }));
export const fetchBelowMinimum = (month: string) =>
  unwrap(api.GET("/api/v1/presence/below-minimum", { params: { query: { month } } }));
export const fetchLeave = (team: number) => unwrap(api.GET("/api/v1/leave", { params: { query: { team_id: team, limit: 100 } } }));

/** `YYYY-MM` of a `YYYY-MM-DD` day. */
export const monthOf = (day: string) => day.slice(0, 7);

/** The month before or after `month` (`YYYY-MM`). */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const index = (y ?? 2019) * 12 + ((m ?? 1) - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The weeks of a month as rows of 7 cells (Monday first), `null` outside the month. */
export function monthGrid(month: string): (string | null)[][] {
  const [y, m] = month.split("-").map(Number);
  const year = y ?? 2019;
  const mon = m ?? 1;
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  const first = (new Date(Date.UTC(year, mon - 1, 1)).getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: first }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${month}-${String(d).padStart(2, "0")}`);
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** A tapped range: the first tap starts it, the second ends it (in either order), a third restarts. */
export function tapRange(range: { from?: string; to?: string }, day: string): { from?: string; to?: string } {
  if (!range.from || range.to) return { from: day, to: undefined };
  return range.from <= day ? { from: range.from, to: day } : { from: day, to: range.from };
}

export interface RangeValues {
  status: "in_village" | "away";
  reason?: string | null;
  log?: string;
}

export function recordRequest(member: number, from: string, to: string, values: RangeValues): Omit<OutboxRequest, "idempotencyKey"> {
  const away = values.status === "away";
  return postTo("/api/v1/presence", {
    team_member_id: member,
    from,
    to,
    status: values.status,
    reason: away ? (values.reason ?? null) : null,
    log: values.log?.trim().normalize("NFC") || null,
  });
}

export interface LeaveValues {
  team_member_id?: number;
  from?: string | null;
  to?: string | null;
  reason?: string;
  note?: string;
}

export function leaveRequest(values: LeaveValues): Omit<OutboxRequest, "idempotencyKey"> {
  return postTo("/api/v1/leave", {
    team_member_id: values.team_member_id ?? 0,
    from: values.from ?? "",
    to: values.to ?? "",
    reason: values.reason ?? "",
    note: values.note?.trim().normalize("NFC") || null,
  });
}

export function decideRequest(leave: Leave, approve: boolean): OutboxRequest {
  return {
    ...postTo(approve ? "/api/v1/leave/{id}/approval" : "/api/v1/leave/{id}/refusal", {}, { id: leave.id }),
    ifMatch: `"${leave.version}"`,
  };
}
