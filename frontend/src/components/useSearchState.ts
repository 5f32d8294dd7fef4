import { useSearchParams } from "react-router-dom";

/** The page cursor stack of a list, in the URL (`cur=c1,c2`): a reload stays on the same page. */
export const CURSOR_PARAM = "cur";

/**
 * List filters, sort and page live in the URL so that back/forward and reloads keep them.
 * Changing a filter or the sort goes back to the first page.
 */
export function useSearchState() {
  const [params, setParams] = useSearchParams();
  const get = (name: string) => params.get(name) ?? undefined;
  const set = (changes: Record<string, string | null | undefined>) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (!(CURSOR_PARAM in changes)) next.delete(CURSOR_PARAM);
        for (const [name, value] of Object.entries(changes)) {
          if (value === null || value === undefined || value === "") next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace: true },
    );
  };
  return { get, set };
}
