import { useQuery } from "@tanstack/react-query";

/** Loads one record with its ETag for editing; disabled on "new" pages (no id). */
export function useRecord<T>(
  resource: string,
  id: number | null,
  fetch: (id: number) => Promise<{ data: T; etag: string }>,
) {
  return useQuery({ queryKey: [resource, id], queryFn: () => fetch(id!), enabled: id !== null });
}

export function useIdParam(value: string | undefined): number | null {
  return value ? Number(value) : null;
}
