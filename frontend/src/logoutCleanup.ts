// At the end of a session (logout, or a refresh the server refuses) forget what this user loaded
// and queued: both hold personal data. Registered once at module level, not in a component: the
// logout unmounts the app before the session announces it.
import { session } from "./api/client";
import { outbox } from "./api/outbox";
import { clearQueryCache } from "./queryClient";

session.onLogout((reason) => {
  clearQueryCache();
  // After an expired session the same person usually logs in again: their unsent writes wait
  // (tagged with their user id; another user's login discards them, see dropOtherUsers).
  if (reason === "logout") void outbox.clear();
});
