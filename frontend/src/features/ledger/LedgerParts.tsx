// Pieces the ledger pages share: an entry as a card (kind, amount in 元 with its direction, source
// and donor, goods, project, reversal and confirmation state), the reversal dialog (the reason is
// required; sent through the outbox) and the committee's 确认收到 button (online only).
import { CheckCircleOutlined, RollbackOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Modal, Tag, Typography } from "antd";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ApiError, NetworkError } from "../../api/client";
import { problemMessage, type Translate } from "../../api/problem";
import { RecordForm } from "../../components/RecordForm";
import { formatYuan } from "../../lib/amounts";
import { formatDate, formatDateTime } from "../../lib/datetime";
import { useOnline } from "../../lib/useOnline";
import { confirmEntry, reversalRequest, waitingTooLong, type LedgerEntry } from "./api";

const KIND_CLASS: Record<string, string> = {
  allocation: "tag-info",
  expenditure: "tag-warning",
  cash_donation: "tag-ok",
  in_kind_donation: "tag-ok",
};

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Tag className={KIND_CLASS[kind] ?? ""} data-testid="entry-kind" style={{ marginInlineEnd: 4 }}>
      {t(`ledger.kinds.${kind}`, { defaultValue: kind })}
    </Tag>
  );
}

/** `+12,345.00 元` received, `−12,345.00 元` spent; a reversal shows its negative amount as such. */
export function EntryAmount({ entry: e, large = false }: { entry: LedgerEntry; large?: boolean }) {
  const { t, i18n } = useTranslation();
  const signed = e.direction === "out" ? -e.amount_fen : e.amount_fen;
  const text = `${signed > 0 ? "+" : signed < 0 ? "−" : ""}${formatYuan(Math.abs(signed), i18n.language)}`;
  return (
    <span data-testid="entry-amount" style={{ fontWeight: 600, fontSize: large ? 20 : 16, color: signed < 0 ? "#a8071a" : "#135200", whiteSpace: "nowrap" }}>
      {t("ledger.yuanAmount", { amount: text })}
    </span>
  );
}

/** Reversed / a reversal / confirmed / waiting (flagged after 30 days). */
export function EntryState({ entry: e }: { entry: LedgerEntry }) {
  const { t, i18n } = useTranslation();
  const tags: ReactNode[] = [];
  if (e.reverses_id != null) tags.push(<Tag key="r" className="tag-error tag-wrap" data-testid="entry-reversal">{t("ledger.reversalOf", { id: e.reverses_id })}</Tag>);
  if (e.reversed_by_id != null) tags.push(<Tag key="rd" className="tag-error" data-testid="entry-reversed">{t("ledger.reversed")}</Tag>);
  if (e.confirmation)
    tags.push(
      <Tag key="c" className="tag-ok tag-wrap" data-testid="entry-confirmed">
        {t("ledger.confirmedBy", { user: e.confirmation.by_username, at: formatDateTime(e.confirmation.at, i18n.language) })}
      </Tag>,
    );
  else if (e.confirmable)
    tags.push(
      <Tag key="w" className={waitingTooLong(e) ? "tag-error" : "tag-warning"} data-testid="entry-unconfirmed">
        {waitingTooLong(e) ? t("ledger.waitingLong") : t("ledger.unconfirmed")}
      </Tag>,
    );
  return <>{tags}</>;
}

/** One entry: what, how much, from whom, for which project, and where it stands. */
export function EntryCard({ entry: e, actions, showVillage = true }: { entry: LedgerEntry; actions?: ReactNode; showVillage?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Card size="small" style={{ width: "100%" }} data-testid="ledger-entry" data-entry-id={e.id}>
      <div style={{ display: "flex", flexWrap: "wrap", justifyContent: "space-between", gap: 4 }}>
        <div>
          <Typography.Text strong>{formatDate(e.date, i18n.language)}</Typography.Text> <KindTag kind={e.kind} />
        </div>
        <EntryAmount entry={e} />
      </div>
      <div style={{ marginTop: 4 }}>
        {showVillage && <span>{e.village_name} · </span>}
        <span>{t(`ledger.sources.${e.source}`, { defaultValue: e.source })}</span>
        {e.donor_name && <span data-testid="entry-donor"> · {e.donor_name}</span>}
      </div>
      {e.item && (
        <div data-testid="entry-goods">
          {t("ledger.goods", { item: e.item, quantity: e.quantity ?? "", unit: e.unit ?? "" })}
        </div>
      )}
      {e.project_id != null && (
        <div>
          {t("ledger.project")}：<Link to={`/projects/${e.project_id}`}>{e.project_title}</Link>
        </div>
      )}
      {e.evidence && (
        <Typography.Text type="secondary" style={{ display: "block" }}>
          {t("ledger.evidence")}：{e.evidence}
        </Typography.Text>
      )}
      {e.reversal_reason && (
        <div data-testid="entry-reason">
          {t("ledger.reason")}：{e.reversal_reason}
        </div>
      )}
      <div style={{ marginTop: 4 }}>
        <EntryState entry={e} />
      </div>
      <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
        {t("ledger.recordedBy", { user: e.created_by_username, at: formatDateTime(e.created_at, i18n.language) })}
      </Typography.Text>
      {actions && <div style={{ display: "flex", flexWrap: "wrap", gap: 8, marginTop: 8 }}>{actions}</div>}
    </Card>
  );
}

/** 冲销: a dialog asking why (required); the reversal is a create sent through the outbox. */
export function ReverseButton({ entry }: { entry: LedgerEntry }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const required = { required: true, whitespace: true, message: t("ledger.reasonRequired") };
  const done = () => {
    setOpen(false);
    void queryClient.invalidateQueries({ queryKey: ["ledger"] });
    void queryClient.invalidateQueries({ queryKey: ["projects"] });
  };
  return (
    <>
      <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setOpen(true)} data-testid="entry-reverse">
        {t("ledger.reverse")}
      </Button>
      <Modal open={open} title={t("ledger.reverseTitle")} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <Typography.Paragraph>{t("ledger.reverseHint")}</Typography.Paragraph>
        <RecordForm<{ reason: string }, LedgerEntry>
          draftKey={`ledger.reversal.${entry.id}`}
          fields={["reason"]}
          initialValues={{ reason: "" }}
          resource="ledger"
          label={() => t("ledger.reversalLabel", { id: entry.id })}
          request={(values, headers) => reversalRequest(entry.id, values.reason, headers.idempotencyKey)}
          onSaved={done}
          onQueued={done}
          onCancel={() => setOpen(false)}
          testId="reversal-form"
        >
          <Form.Item name="reason" label={t("ledger.reason")} rules={[required]}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="field-reason" />
          </Form.Item>
        </RecordForm>
      </Modal>
    </>
  );
}

/** 确认收到 (the village committee, online): the entry leaves the waiting list when it is done. */
export function ConfirmButton({ entry, block = false, onConfirmed }: { entry: LedgerEntry; block?: boolean; onConfirmed?: (e: LedgerEntry) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const online = useOnline();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await confirmEntry(entry.id);
      message.success(t("ledger.confirmed"));
      onConfirmed?.(saved);
      void queryClient.invalidateQueries({ queryKey: ["ledger"] });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.problem?.code === "already_confirmed") {
        // Someone of the committee was first: it is confirmed all the same.
        message.info(t("problem.already_confirmed"));
        void queryClient.invalidateQueries({ queryKey: ["ledger"] });
      } else if (err instanceof NetworkError) {
        setError(navigator.onLine ? t("ledger.confirmNetwork") : t("ledger.confirmOffline"));
      } else {
        const apiError = err as ApiError;
        setError(problemMessage(apiError.problem, t as unknown as Translate, apiError.status) || String(err));
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ width: block ? "100%" : undefined }}>
      <Button
        type="primary"
        size={block ? "large" : "small"}
        block={block}
        icon={<CheckCircleOutlined />}
        disabled={!online || busy}
        onClick={() => void confirm()}
        data-testid="entry-confirm"
      >
        {t("ledger.confirm")}
      </Button>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} data-testid="confirm-error" />}
    </div>
  );
}
