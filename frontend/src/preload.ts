// Chunks the next screen will need, fetched early: while the user types the password the app
// shell and the likely first page arrive, so pressing 登录 costs only the API round trips.
// On a 256 kbit/s link they take seconds, so they come in order of need: the shell and the page
// this device landed on last time (`zhucun.landing`, see afterLogin.ts) first, the other likely
// pages only once those are in — parallel downloads would share the link and delay them all.
export const loadApp = () => import("./App");
export const loadDashboards = () => import("./features/home/Dashboards");
const loadVillageList = () => import("./features/villages/VillageListPage");

/** Where this device's last login landed (see afterLogin.ts): no personal data. */
export const LANDING_KEY = "zhucun.landing";

let started = false;
// Set while the login request is on its way: from then on the link is the first page's.
let submitted = false;

/** The landing of the last login on this device, if storage is there to say. */
export function lastLanding(): string | null {
  try {
    return window.localStorage.getItem(LANDING_KEY);
  } catch {
    return null;
  }
}

export function preloadAfterLogin(): void {
  if (started) return;
  started = true;
  const settle = (load: () => Promise<unknown>) => load().then(
    () => undefined,
    () => undefined,
  );
  // The administrator lands on the villages; everyone else on a dashboard ("staff" is the
  // administrator's landing; with no landing yet, the villages, which most pages' tables share).
  const landing = lastLanding() ?? "staff";
  const [first, second] = landing === "staff" ? [loadVillageList, loadDashboards] : [loadDashboards, loadVillageList];
  void Promise.all([
    settle(loadApp),
    settle(() => import("./components/AppLayout")),
    settle(() => import("./features/home/HomePage")),
    settle(first),
  ])
    // Not the village record (≈ 165 KB Brotli more, with antd's Table and Descriptions): on a
    // weak link it was still arriving when a slower typist pressed 登录, and the first page's
    // chunks and data waited behind it. The service worker fetches it after the first page.
    .then(() => (submitted ? undefined : settle(second)));
}

/**
 * The login was sent (`true`) or failed (`false`). After pressing 登录 only what the first page
 * needs is fetched: the other likely pages would share the link with it (the router fetches them
 * when they are visited, the service worker once the first page has its data).
 */
export function loginSubmitted(sent: boolean): void {
  submitted = sent;
}
