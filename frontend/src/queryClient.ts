// The app's TanStack Query client. What was fetched is kept in localStorage so a village's page
// stays readable offline and after a reload on a weak link; the copy is bounded in size and age
// and removed at logout (it holds personal data).
import { dehydrate, hydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { ApiError } from "./api/client";

export const CACHE_KEY = "zhucun.query-cache";
/** localStorage holds ~5 MB per origin; the outbox lives in IndexedDB, so this is generous. */
export const CACHE_MAX_CHARS = 1_500_000;
export const CACHE_MAX_AGE_MS = 7 * 24 * 3600_000;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      // Kept long enough to be persisted and read offline.
      gcTime: CACHE_MAX_AGE_MS,
    },
  },
});

interface Saved {
  buster: string;
  timestamp: number;
  state: DehydratedState;
}

/** A localStorage copy of the cache that refuses (and drops) a copy over `maxChars`. */
export function boundedStore(storage: Storage, key = CACHE_KEY, maxChars = CACHE_MAX_CHARS) {
  return {
    save(saved: Saved): void {
      const text = JSON.stringify(saved);
      try {
        if (text.length > maxChars) storage.removeItem(key);
        else storage.setItem(key, text);
      } catch {
        storage.removeItem(key);
      }
    },
    load(): Saved | undefined {
      try {
        const text = storage.getItem(key);
        return text ? (JSON.parse(text) as Saved) : undefined;
      } catch {
        return undefined;
      }
    },
    remove(): void {
      storage.removeItem(key);
    },
  };
}

const store = typeof window !== "undefined" ? boundedStore(window.localStorage) : null;

function restoreAndPersist(): void {
  if (!store) return;
  const saved = store.load();
  if (saved && saved.buster === __APP_VERSION__ && Date.now() - saved.timestamp < CACHE_MAX_AGE_MS) {
    hydrate(queryClient, saved.state);
  } else if (saved) {
    store.remove();
  }
  // Successful queries only (dehydrate's default), written at most once a second.
  let timer: ReturnType<typeof setTimeout> | null = null;
  queryClient.getQueryCache().subscribe(() => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      store.save({ buster: __APP_VERSION__, timestamp: Date.now(), state: dehydrate(queryClient) });
    }, 1000);
  });
}

/** Resolves once the saved cache is back in the client. */
export const cacheRestored: Promise<void> = Promise.resolve().then(restoreAndPersist);

/**
 * At logout: forget every fetched record, in memory and on disk. The throttled save that clear()
 * itself triggers writes the now empty cache, which holds nothing. No delayed removal: it would
 * also delete what the next session saves within that delay (a quick login after the app opened
 * logged out lost its offline copy that way).
 */
export function clearQueryCache(): void {
  queryClient.clear();
  store?.remove();
}
