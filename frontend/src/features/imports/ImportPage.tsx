// One import page for households, cadres and villages (/imports/:kind): download the template,
// choose a file, check it (dry run: counts and a table of errors by row and column), correct and
// choose again, then 确认导入 writes every row or none. Upload progress, then 校验中/写入中.
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Progress, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { session } from "../../api/client";
import { fieldMessage, isProblem, problemMessage } from "../../api/problem";
import NotFoundPage from "../../components/NotFoundPage";
import { PageTitle } from "../../components/PageTitle";
import { dispositionFilename } from "../../lib/download";
import { isImportKind, LIST_PATH, reportOf, templateUrl, uploadImport, type ImportKind, type ImportReport, type RowError } from "./api";

/** The server lists at most this many errors (routes/imports.rs MAX_ERRORS); the counts stay exact. */
const MAX_ERRORS = 1000;

type Phase = { kind: "idle" } | { kind: "uploading"; percent: number; commit: boolean } | { kind: "working"; commit: boolean };

export default function ImportPage() {
  const { kind } = useParams();
  if (!isImportKind(kind)) return <NotFoundPage />;
  return <ImportForm kind={kind} key={kind} />;
}

function ImportForm({ kind }: { kind: ImportKind }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [report, setReport] = useState<ImportReport | null>(null);
  const [committed, setCommitted] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [templateBusy, setTemplateBusy] = useState(false);
  useEffect(() => () => abort.current?.abort(), []);
  const kindName = t(`imports.kind.${kind}`);
  const busy = phase.kind !== "idle";

  const downloadTemplate = async () => {
    setTemplateBusy(true);
    try {
      const response = await session.fetch(new Request(new URL(templateUrl(kind), window.location.origin)));
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        message.error(isProblem(body) ? problemMessage(body, t, response.status) : `HTTP ${response.status}`);
        return;
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = dispositionFilename(response.headers.get("Content-Disposition")) ?? `${kind}-import-template.xlsx`;
      link.style.display = "none";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      message.error(t("imports.network"));
    } finally {
      setTemplateBusy(false);
    }
  };

  const run = async (commit: boolean) => {
    if (!file) return;
    const controller = new AbortController();
    abort.current = controller;
    setFailure(null);
    setPhase({ kind: "uploading", percent: 0, commit });
    try {
      const answer = await uploadImport(
        kind,
        file,
        !commit,
        (fraction) => {
          if (fraction >= 1) setPhase({ kind: "working", commit });
          else setPhase({ kind: "uploading", percent: Math.round(fraction * 100), commit });
        },
        controller.signal,
      );
      const got = reportOf(answer);
      if (got) {
        setReport(got);
        if (commit && answer.status === 200) {
          setCommitted(got);
          message.success(t("imports.done", { ...got }));
        }
        return;
      }
      const reason = answer.status === 413 ? t("imports.tooLarge") : isProblem(answer.body) ? problemText(answer.body) : `HTTP ${answer.status}`;
      setReport(null);
      setFailure(reason);
    } catch (error) {
      if (controller.signal.aborted) return;
      setFailure(error instanceof Error && error.message !== "network" ? error.message : t("imports.network"));
    } finally {
      setPhase({ kind: "idle" });
    }
  };

  // A refused file names what is wrong with it in its field error (not an xlsx, no rows, headings).
  const problemText = (body: Parameters<typeof problemMessage>[0]) => {
    const first = body?.errors?.[0];
    return first ? fieldMessage(first, t) : problemMessage(body, t);
  };

  const columns: ColumnsType<RowError & { key: number }> = [
    { title: t("imports.row"), dataIndex: "row", width: 64 },
    { title: t("imports.column"), dataIndex: "column", width: 120, render: (c: string | null | undefined) => c ?? t("imports.wholeRow") },
    { title: t("imports.message"), key: "message", render: (_: unknown, e) => fieldMessage(e, t) },
  ];
  const errors = (report?.errors ?? []).map((e, i) => ({ ...e, key: i }));
  const canCommit = report !== null && report.invalid === 0 && committed === null && report.created + report.updated > 0;

  return (
    <>
      <PageTitle>{t("imports.title", { kind: kindName })}</PageTitle>
      <Typography.Paragraph>{t("imports.intro")}</Typography.Paragraph>
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Card size="small" title={t("imports.step1")}>
          <Typography.Paragraph type="secondary">{t("imports.templateHint")}</Typography.Paragraph>
          <Button icon={<DownloadOutlined />} loading={templateBusy} onClick={() => void downloadTemplate()} data-testid="import-template">
            {t("imports.template")}
          </Button>
        </Card>
        <Card size="small" title={t("imports.step2")}>
          <Space direction="vertical" style={{ width: "100%" }}>
            <Space wrap>
              <Button icon={<UploadOutlined />} onClick={() => input.current?.click()} disabled={busy}>
                {t("imports.chooseFile")}
              </Button>
              <Typography.Text data-testid="import-file-name">{file?.name ?? t("imports.noFile")}</Typography.Text>
            </Space>
            <input
              ref={input}
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-label={t("imports.chooseFile")}
              className="visually-hidden"
              data-testid="import-file"
              onChange={(e) => {
                const chosen = e.currentTarget.files?.[0] ?? null;
                setFile(chosen);
                setReport(null);
                setCommitted(null);
                setFailure(null);
                // Choosing the same (corrected) file again must fire change again.
                e.currentTarget.value = "";
              }}
            />
            <Button type="primary" disabled={!file || busy} loading={phase.kind !== "idle" && !phase.commit} onClick={() => void run(false)} data-testid="import-check">
              {t("imports.check")}
            </Button>
            {phase.kind === "uploading" && <Progress percent={phase.percent} size="small" format={(p) => t("imports.uploading", { percent: p ?? 0 })} />}
            <div role="status" aria-live="polite" data-testid="import-status">
              {phase.kind === "working" && <Typography.Text>{phase.commit ? t("imports.writing") : t("imports.validating")}</Typography.Text>}
            </div>
            {failure && <Alert type="error" showIcon message={t("imports.failed", { reason: failure })} data-testid="import-failure" />}
          </Space>
        </Card>
        {report && (
          <Card size="small" title={t("imports.step3")} data-testid="import-report">
            <Space direction="vertical" style={{ width: "100%" }}>
              <Typography.Text data-testid="import-counts">{t("imports.counts", { ...report })}</Typography.Text>
              {report.invalid > 0 && (
                <>
                  <Typography.Text strong>{t("imports.errorsTitle")}</Typography.Text>
                  {report.errors.length >= MAX_ERRORS && <Typography.Text type="secondary">{t("imports.errorsTruncated", { shown: report.errors.length })}</Typography.Text>}
                  <Table<RowError & { key: number }> size="small" columns={columns} dataSource={errors} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: 360 }} data-testid="import-errors" />
                </>
              )}
              {report.invalid === 0 && committed === null && <Alert type="success" showIcon message={report.created + report.updated > 0 ? t("imports.clean") : t("imports.nothingToDo")} />}
              {canCommit && (
                <Button type="primary" loading={phase.kind !== "idle" && phase.commit} disabled={busy} onClick={() => void run(true)} data-testid="import-commit">
                  {t("imports.commit")}
                </Button>
              )}
              {committed && (
                <Alert
                  type="success"
                  showIcon
                  data-testid="import-done"
                  message={t("imports.done", { ...committed })}
                  action={<Link to={LIST_PATH[kind]}>{t("imports.backToList")}</Link>}
                />
              )}
            </Space>
          </Card>
        )}
      </Space>
    </>
  );
}

