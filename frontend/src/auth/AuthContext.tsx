import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { api, session, unwrap, type Schemas } from "../api/client";

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

/** `/villages/3?q=x` for the login page to come back to; only paths of this site. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}

export function loginPath(next?: string, expired = false): string {
  const params = new URLSearchParams();
  if (next && next !== "/") params.set("next", next);
  if (expired) params.set("expired", "1");
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const loggedIn = useSyncExternalStore(subscribe, () => session.isLoggedIn());
  const queryClient = useQueryClient();

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

  // Leaving the protected pages is RequireAuth's job (it sees `loggedIn` turn false); here only
  // forget what the previous user loaded.
  useEffect(() => session.onLogout(() => queryClient.clear()), [queryClient]);

  const meQuery = useQuery({
    queryKey: ["me"],
    queryFn: () => unwrap(api.GET("/api/v1/me")),
    enabled: loggedIn,
    staleTime: 5 * 60_000,
  });

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
