// Right after the login request: fetch /me and the first page's data at once instead of one
// after another (login → /me → layout → home → chunk → data was six round trips in a row).
import { api, unwrap } from "./api/client";
import { DEFAULT_VILLAGE_FILTERS, VILLAGE_PAGE_SIZE, fetchVillage, fetchVillages, villageKeys } from "./features/villages/api";
import { queryClient } from "./queryClient";

export const meQuery = { queryKey: ["me"], queryFn: () => unwrap(api.GET("/api/v1/me")), staleTime: 5 * 60_000 };

export function prefetchAfterLogin(): void {
  void queryClient.fetchQuery(meQuery).then(
    (me) => {
      // Where HomePage sends each role, and that page's first query (same keys as the pages).
      if (me.role === "admin" || me.role === "department") {
        void queryClient.prefetchQuery({
          queryKey: [...villageKeys.list(DEFAULT_VILLAGE_FILTERS), {}],
          queryFn: () => fetchVillages({ ...DEFAULT_VILLAGE_FILTERS, limit: VILLAGE_PAGE_SIZE }),
        });
      } else if (me.villages[0]) {
        const id = me.villages[0].id;
        void queryClient.prefetchQuery({ queryKey: villageKeys.detail(id), queryFn: () => fetchVillage(id) });
      }
    },
    () => undefined,
  );
}
