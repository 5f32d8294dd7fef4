// 待确认 — the village committee's phone view: the entries of its village waiting for it to
// confirm receipt (oldest first: what has waited longest comes first), as cards with one big
// 确认收到 button each. Confirming is an online action; a confirmed entry leaves the list at once.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Empty, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "../../components/PageTitle";
import { useOnline } from "../../lib/useOnline";
import { fetchLedger, ledgerKeys, PENDING_QUERY, type LedgerEntry } from "./api";
import { ConfirmButton, EntryCard } from "./LedgerParts";

export default function LedgerPendingPage() {
  const { t } = useTranslation();
  const online = useOnline();
  const queryClient = useQueryClient();
  const key = ledgerKeys.list(PENDING_QUERY);
  const pending = useQuery({ queryKey: key, queryFn: () => fetchLedger(PENDING_QUERY) });
  const items = pending.data?.items ?? [];
  const remove = (confirmed: LedgerEntry) =>
    queryClient.setQueryData(key, (old: typeof pending.data) => (old ? { ...old, items: old.items.filter((e) => e.id !== confirmed.id) } : old));
  return (
    <>
      <PageTitle>{t("ledger.pendingTitle")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("ledger.pendingHint")}</Typography.Paragraph>
      {!online && <Alert type="info" showIcon message={t("ledger.confirmOffline")} style={{ marginBottom: 12 }} data-testid="pending-offline" />}
      {pending.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={pending.error.message} />}
      {pending.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={<Typography.Text type="secondary">{t("ledger.pendingNone")}</Typography.Text>} data-testid="pending-none" />
      ) : (
        <ul className="project-cards" data-testid="pending-list" style={{ maxWidth: 640 }}>
          {items.map((e) => (
            <li key={e.id}>
              <EntryCard entry={e} showVillage={false} actions={<ConfirmButton entry={e} block onConfirmed={remove} />} />
            </li>
          ))}
        </ul>
      )}
      <Typography.Paragraph style={{ marginTop: 12 }}>
        <Link to="/ledger" data-testid="pending-all">
          {t("ledger.allEntries")}
        </Link>
      </Typography.Paragraph>
    </>
  );
}
