// A route chunk that fails to arrive (weak link, or a new deployment removed the old file) is
// fetched again a few times before the error boundary shows its retry button.
import { lazy, type ComponentType } from "react";

export const CHUNK_RETRIES = 3;

/** Calls `load` until it resolves, at most `retries` extra times, waiting longer each time. */
export async function withRetry<T>(load: () => Promise<T>, retries = CHUNK_RETRIES, baseDelayMs = 500): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** attempt));
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyRetry<T extends ComponentType<any>>(load: () => Promise<{ default: T }>) {
  return lazy(() => withRetry(load));
}

/** Was this error a failed dynamic import (as opposed to a bug in the page)? */
export function isChunkError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /dynamically imported module|Importing a module script failed|error loading dynamically|Failed to fetch|ChunkLoadError/i.test(text);
}
