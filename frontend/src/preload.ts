// Chunks the next screen will need, fetched early: while the user types the password the app
// shell and the likely first pages arrive, so pressing 登录 costs only the API round trips.
export const loadApp = () => import("./App");

let started = false;

export function preloadAfterLogin(): void {
  if (started) return;
  started = true;
  const ignore = () => undefined;
  loadApp().catch(ignore);
  import("./components/AppLayout").catch(ignore);
  import("./features/home/HomePage").catch(ignore);
  import("./features/villages/VillageListPage").catch(ignore);
  import("./features/villages/VillageDetailPage").catch(ignore);
}
