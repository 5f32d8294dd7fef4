import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { CURSOR_PARAM, useSearchState } from "./useSearchState";

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
  /** Counted on the first page only: `exact` false means "more than `count`". */
  total?: { count: number; exact: boolean } | null;
}

/**
 * Server-side cursor pagination: the cursors of the pages seen are kept in the URL so "previous"
 * and reloads work; changing a filter (through useSearchState) starts again from the first page.
 * The query key is `[...key, { cursor }]` (the first page: `[...key, {}]`).
 */
export function useCursorList<T>(key: readonly unknown[], fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  const search = useSearchState();
  const stack = (search.get(CURSOR_PARAM) ?? "").split(",").filter((c) => c.length > 0);
  const cursor = stack[stack.length - 1];
  const query = useQuery({
    queryKey: [...key, { cursor }],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
  });
  const nextCursor = query.data?.next_cursor ?? null;
  // The server counts on the first page only; later pages show the first page's count.
  const client = useQueryClient();
  const total = query.data?.total ?? client.getQueryData<Page<T>>([...key, { cursor: undefined }])?.total ?? null;
  return {
    total,
    query,
    items: query.data?.items ?? [],
    page: stack.length + 1,
    hasNext: nextCursor !== null && !query.isPlaceholderData,
    hasPrev: stack.length > 0,
    next: () => {
      if (nextCursor) search.set({ [CURSOR_PARAM]: [...stack, nextCursor].join(",") });
    },
    prev: () => search.set({ [CURSOR_PARAM]: stack.slice(0, -1).join(",") || null }),
  };
}
