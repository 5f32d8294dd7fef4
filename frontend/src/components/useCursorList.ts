import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/**
 * Server-side cursor pagination: remembers the cursors of the pages seen so "previous" works, and
 * starts again from the first page whenever the filters (`key`) change.
 */
export function useCursorList<T>(key: readonly unknown[], fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  const keyText = JSON.stringify(key);
  const [state, setState] = useState<{ keyText: string; cursors: (string | undefined)[] }>({ keyText, cursors: [undefined] });
  const cursors = state.keyText === keyText ? state.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, { cursor }],
    queryFn: () => fetchPage(cursor),
    placeholderData: keepPreviousData,
  });
  const nextCursor = query.data?.next_cursor ?? null;
  return {
    query,
    items: query.data?.items ?? [],
    page: cursors.length,
    hasNext: nextCursor !== null && !query.isPlaceholderData,
    hasPrev: cursors.length > 1,
    next: () => {
      if (nextCursor) setState({ keyText, cursors: [...cursors, nextCursor] });
    },
    prev: () => setState({ keyText, cursors: cursors.slice(0, -1) }),
  };
}
