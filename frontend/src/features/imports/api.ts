// Excel import: the template download and the upload (dry run or commit) with upload progress.
// The upload uses XMLHttpRequest for its progress events; its URL and answer types come from the
// generated schema like every other call.
import { session, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";

export type ImportKind = "households" | "cadres" | "villages";
export const IMPORT_KINDS: readonly ImportKind[] = ["households", "cadres", "villages"];
export type ImportReport = Schemas["ImportReport"];
export type RowError = Schemas["RowError"];
export type ImportRejected = Schemas["ImportRejected"];

const IMPORT_PATH = "/api/v1/imports/{kind}" satisfies keyof paths;
const TEMPLATE_PATH = "/api/v1/imports/{kind}/template" satisfies keyof paths;
type ImportQuery = NonNullable<paths[typeof IMPORT_PATH]["post"]["parameters"]["query"]>;

export function isImportKind(value: string | undefined): value is ImportKind {
  return IMPORT_KINDS.includes(value as ImportKind);
}

export function templateUrl(kind: ImportKind): string {
  return TEMPLATE_PATH.replace("{kind}", kind);
}

export function importUrl(kind: ImportKind, dryRun: boolean): string {
  const query: ImportQuery = { dry_run: dryRun };
  return `${IMPORT_PATH.replace("{kind}", kind)}?dry_run=${String(query.dry_run)}`;
}

/** The list page each kind comes from (and returns to). */
export const LIST_PATH: Record<ImportKind, string> = {
  households: "/households",
  cadres: "/cadres",
  villages: "/villages",
};

export interface UploadAnswer {
  status: number;
  body: unknown;
}

function send(url: string, file: File, token: string | null, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText) as unknown;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

/** Uploads `file` for a dry run or a commit; on a 401 the session is refreshed and the upload sent once more. */
export async function uploadImport(kind: ImportKind, file: File, dryRun: boolean, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<UploadAnswer> {
  const url = new URL(importUrl(kind, dryRun), window.location.origin).toString();
  const used = session.accessToken();
  const answer = await send(url, file, used, onProgress, signal);
  if (answer.status !== 401 || !session.isLoggedIn()) return answer;
  if (!(await session.refresh(used))) return answer;
  return send(url, file, session.accessToken(), onProgress, signal);
}

/** The report inside an answer: a 200's body, or the `import` member of a 422 `import_invalid`. */
export function reportOf(answer: UploadAnswer): ImportReport | null {
  const body = answer.body as Partial<ImportRejected> & Partial<ImportReport> | null;
  if (!body || typeof body !== "object") return null;
  if (answer.status === 200 && typeof body.rows === "number") return body as ImportReport;
  if (answer.status === 422 && body.import) return body.import;
  return null;
}
