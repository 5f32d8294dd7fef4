import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { meQuery as meQueryOptions } from "../afterLogin";
import { session, type Schemas } from "../api/client";
import { setOutboxOwner } from "../api/outbox";
import "../logoutCleanup";

export type Me = Schemas["Me"];

/** The spec sends `role` as a plain string; these are the values the server documents for it. */
export const ROLES = ["admin", "department", "team", "village_committee", "regional"] as const;
export type Role = (typeof ROLES)[number];

export function asRole(value: string | undefined): Role | undefined {
  return (ROLES as readonly string[]).includes(value ?? "") ? (value as Role) : undefined;
}

interface AuthState {
  loggedIn: boolean;
  me: Me | undefined;
  role: Role | undefined;
  meError: unknown;
}

const AuthContext = createContext<AuthState>({ loggedIn: false, me: undefined, role: undefined, meError: null });

function subscribe(listener: () => void) {
  return session.onChange(listener);
}

export { loginPath, safeNext } from "./paths";

export function AuthProvider({ children }: { children: ReactNode }) {
  const loggedIn = useSyncExternalStore(subscribe, () => session.isLoggedIn());

  useEffect(() => {
    session.start();
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || (event.key.startsWith("zhucun.") && event.key.endsWith("_token"))) {
        session.syncFromStorage();
      }
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  const meQuery = useQuery({ ...meQueryOptions, enabled: loggedIn });
  const myId = loggedIn ? meQuery.data?.id : undefined;
  useEffect(() => setOutboxOwner(myId), [myId]);

  return (
    <AuthContext.Provider
      value={{
        loggedIn,
        me: loggedIn ? meQuery.data : undefined,
        role: loggedIn ? asRole(meQuery.data?.role) : undefined,
        meError: meQuery.error,
      }}
    >
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}
