// Downloads (xlsx / CSV exports): the server's file name from Content-Disposition (RFC 6266 with
// RFC 5987's `filename*=UTF-8''…` for Chinese names) and the URL of an export with a list's filters.

/** `attachment; filename="a.csv"; filename*=UTF-8''%E5%B9%B4.csv` → `年.csv`; `null` without a name. */
export function dispositionFilename(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header)?.[1]?.trim();
  if (extended) {
    const match = /^([\w-]*)'[^']*'(.*)$/.exec(extended.replace(/^"|"$/g, ""));
    if (match) {
      try {
        const name = decodeURIComponent(match[2] ?? "");
        if (name) return safeName(name);
      } catch {
        // a malformed escape: fall back to the plain name
      }
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (plain) {
    const name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : (plain[1] ?? "").trim();
    if (name) return safeName(name);
  }
  return null;
}

/** No directories in a saved file's name. */
function safeName(name: string): string {
  return name.replace(/[/\\]/g, "_");
}

export type DownloadFormat = "csv" | "xlsx";

/** The export URL: the list's filters (empty ones left out) plus `format`. */
export function exportUrl(path: string, query: Record<string, string | number | boolean | null | undefined>, format: DownloadFormat): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "" || name === "cursor" || name === "limit") continue;
    params.set(name, String(value));
  }
  params.set("format", format);
  return `${path}?${params.toString()}`;
}

/** Bytes as people read them: 950 B, 12.3 KB, 4.5 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Newlines in a chunk of CSV (rows received so far, counted as they arrive). */
export function countNewlines(chunk: Uint8Array): number {
  let n = 0;
  for (const byte of chunk) if (byte === 10) n++;
  return n;
}
