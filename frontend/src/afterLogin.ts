// Right after the login request: fetch /me and the first page's data at once instead of one
// after another (login → /me → layout → home → chunk → data was six round trips in a row).
// Which page comes first depends on the role, known only from /me; the landing of the last login
// on this device (`zhucun.landing`, no personal data) lets the data start together with /me.
import { api, unwrap, type Schemas } from "./api/client";
import { homeCompareRange, fetchCompare, reportKeys } from "./features/reports/api";
import { DEFAULT_VILLAGE_FILTERS, VILLAGE_PAGE_SIZE, fetchVillage, fetchVillages, villageKeys } from "./features/villages/api";
import { LANDING_KEY, lastLanding } from "./preload";
import { queryClient } from "./queryClient";

export const meQuery = { queryKey: ["me"], queryFn: () => unwrap(api.GET("/api/v1/me")), staleTime: 5 * 60_000 };

/**
 * `staff` (the administrator's villages list), `department` (the department's home page: its
 * funds over the years first) or `village:<id>` (a team or committee member's to-do, whose cards
 * fetch their own lists; the village's record is what it links to first).
 */
export function landingOf(me: Pick<Schemas["Me"], "role" | "villages">): string | null {
  const byRole = landingOfRole(me.role);
  if (byRole) return byRole;
  const first = me.villages[0];
  return first && (me.role === "team" || me.role === "village_committee") ? `village:${first.id}` : null;
}

/** The landing the role alone decides (the login answer carries the role; villages need `/me`). */
export function landingOfRole(role: Schemas["Me"]["role"]): string | null {
  if (role === "admin") return "staff";
  if (role === "department") return "department";
  return null;
}

function prefetchLanding(landing: string | null): void {
  if (landing === "staff") {
    void queryClient.prefetchQuery({
      queryKey: [...villageKeys.list(DEFAULT_VILLAGE_FILTERS), {}],
      queryFn: () => fetchVillages({ ...DEFAULT_VILLAGE_FILTERS, limit: VILLAGE_PAGE_SIZE }),
    });
  } else if (landing === "department") {
    const range = homeCompareRange();
    void queryClient.prefetchQuery({ queryKey: reportKeys.compare(range), queryFn: () => fetchCompare(range) });
  } else if (landing?.startsWith("village:")) {
    const id = Number(landing.slice("village:".length));
    if (Number.isInteger(id)) void queryClient.prefetchQuery({ queryKey: villageKeys.detail(id), queryFn: () => fetchVillage(id) });
  }
}

/**
 * `role` from the login answer decides the administrator's and the department's first page at
 * once, also on a device's first login; otherwise the last landing on this device is the guess
 * until `/me` answers.
 */
export function prefetchAfterLogin(role: Schemas["Me"]["role"]): void {
  const guess = landingOfRole(role) ?? lastLanding();
  prefetchLanding(guess);
  void queryClient.fetchQuery(meQuery).then(
    (me) => {
      const landing = landingOf(me);
      if (landing !== guess) prefetchLanding(landing);
      try {
        if (landing) window.localStorage.setItem(LANDING_KEY, landing);
      } catch {
        // no storage: no guess next time
      }
    },
    () => undefined,
  );
}
