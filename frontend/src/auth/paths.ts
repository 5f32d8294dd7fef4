// Where the login page sends the user afterwards (kept apart from AuthContext: the login page
// must not pull in TanStack Query).
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
