// A download of an export (xlsx / CSV) with the session's token: the body is read as a stream so
// a long export shows what has arrived (bytes, and rows for CSV) after a moment, then saved under
// the server's file name (Content-Disposition). A refusal (e.g. 422 export_too_large) or a broken
// link is said in the user's language; the button never just stops.
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { session } from "../api/client";
import { isProblem, problemMessage } from "../api/problem";
import { countNewlines, exportUrl, formatBytes, type DownloadFormat } from "../lib/download";
import { dispositionFilename } from "../lib/download";

/** Progress appears once a download has taken this long (a quick one just saves). */
const PROGRESS_AFTER_MS = 600;

type Query = Record<string, string | number | boolean | null | undefined>;

interface Progress {
  bytes: number;
  rows: number;
}

export function DownloadButton({ path, query, format, fallbackName, testId }: { path: string; query: Query; format: DownloadFormat; fallbackName: string; testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [status, setStatus] = useState("");
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setProgress(null);
    setStatus(t("download.started"));
    const timer = setTimeout(() => setProgress((p) => p ?? { bytes: 0, rows: 0 }), PROGRESS_AFTER_MS);
    const started = Date.now();
    try {
      const response = await session.fetch(new Request(new URL(exportUrl(path, query, format), window.location.origin), { signal: controller.signal }));
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        const text = isProblem(body) ? problemMessage(body, t, response.status) : t("download.failedStatus", { status: response.status });
        setStatus(text);
        message.error(t("download.failed", { reason: text }));
        return;
      }
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      let rows = 0;
      const reader = response.body?.getReader();
      if (reader) {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          bytes += value.byteLength;
          if (format === "csv") rows += countNewlines(value);
          if (Date.now() - started >= PROGRESS_AFTER_MS) setProgress({ bytes, rows });
        }
      } else {
        const buffer = new Uint8Array(await response.arrayBuffer());
        chunks.push(buffer);
        bytes = buffer.byteLength;
      }
      const name = dispositionFilename(response.headers.get("Content-Disposition")) ?? fallbackName;
      const blob = new Blob(chunks as BlobPart[], { type: response.headers.get("Content-Type") ?? "application/octet-stream" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.style.display = "none";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const done = t("download.saved", { name, size: formatBytes(bytes) });
      setStatus(done);
      message.success(done);
    } catch (error) {
      if (controller.signal.aborted) return;
      const text = navigator.onLine === false ? t("download.offline") : t("download.network", { reason: error instanceof Error ? error.message : String(error) });
      setStatus(text);
      message.error(text);
    } finally {
      clearTimeout(timer);
      setBusy(false);
      setProgress(null);
    }
  };

  const label = format === "xlsx" ? t("download.xlsx") : t("download.csv");
  return (
    <span className="no-print download-button">
      <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid={testId ?? `download-${format}`}>
        {busy && progress
          ? format === "csv" && progress.rows > 0
            ? t("download.progressRows", { size: formatBytes(progress.bytes), rows: Math.max(progress.rows - 1, 0) })
            : t("download.progress", { size: formatBytes(progress.bytes) })
          : label}
      </Button>
      <span className="visually-hidden" role="status" aria-live="polite" data-testid={`${testId ?? `download-${format}`}-status`}>
        {status}
      </span>
    </span>
  );
}

/** The two download buttons of a list or report, side by side. */
export function DownloadButtons({ path, query, baseName }: { path: string; query: Query; baseName: string }) {
  return (
    <span className="download-buttons no-print" style={{ display: "inline-flex", gap: 8, flexWrap: "wrap" }}>
      <DownloadButton path={path} query={query} format="xlsx" fallbackName={`${baseName}.xlsx`} />
      <DownloadButton path={path} query={query} format="csv" fallbackName={`${baseName}.csv`} />
    </span>
  );
}
