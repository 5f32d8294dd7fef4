// Pieces of the needs pages: the status tag, a need as a card that fits 360 px, and its status
// changes — one button per move the need's status allows, each opening a dialog with the move's
// fields (a reason to decline; a resolution and an optional satisfaction note to resolve), saved
// through RecordForm and the outbox with the need's If-Match (offline it waits in 待同步). A 409
// `illegal_transition` (someone moved it first) says in Chinese which moves are left and reloads.
import { useQueryClient } from "@tanstack/react-query";
import { Button, Card, Form, Input, Modal, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { RecordForm } from "../../components/RecordForm";
import { formatDate } from "../../lib/datetime";
import { allowedOf, isOpen, MOVE_FIELDS, movesFrom, needKeys, STATUS_CLASS, transitionRequest, type MoveValues, type Need, type Target } from "./api";

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag className={STATUS_CLASS[status] ?? ""} data-testid="need-status" data-status={status}>
      {t(`need.statuses.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** One status change: the dialog asks what the move needs; the server decides again. */
function MoveDialog({ need, to, onClose }: { need: Need; to: Target; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const statusName = (s: string) => t(`need.statuses.${s}`, { defaultValue: s });
  const refresh = () => queryClient.invalidateQueries({ queryKey: needKeys.all });
  const done = () => {
    void refresh();
    onClose();
  };
  const required = (message: string) => [{ required: true, whitespace: true, message }];
  return (
    <Modal open title={t(`need.moveTitle.${to}`)} onCancel={onClose} footer={null} destroyOnHidden>
      <Typography.Paragraph style={{ overflowWrap: "anywhere" }}>{need.description}</Typography.Paragraph>
      <RecordForm<MoveValues, Need>
        draftKey={`need.move.${need.id}.${to}`}
        fields={MOVE_FIELDS}
        initialValues={{ reason: "", resolution: "", satisfaction: "" }}
        resource="needs"
        label={() => t("need.moveLabel", { status: statusName(to), description: need.description.slice(0, 30) })}
        request={(values) => transitionRequest(need, to, values)}
        onSaved={done}
        onQueued={done}
        onReload={async () => {
          await refresh();
          onClose();
        }}
        onCancel={onClose}
        onRefused={(error) => {
          if (error.status !== 409 || error.problem?.code !== "illegal_transition") return undefined;
          void refresh();
          const allowed = allowedOf(error.problem);
          return [allowed.length > 0 ? t("need.moveIllegal", { allowed: allowed.map(statusName).join("、") }) : t("need.moveIllegalNone")];
        }}
        saveLabel={t(`need.moveSave.${to}`)}
        testId="need-move-form"
      >
        {to === "declined" && (
          <Form.Item name="reason" label={t("need.reason")} rules={required(t("need.reasonRequired"))}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="field-reason" />
          </Form.Item>
        )}
        {to === "resolved" && (
          <>
            <Form.Item name="resolution" label={t("need.resolution")} rules={required(t("need.resolutionRequired"))}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="field-resolution" />
            </Form.Item>
            <Form.Item name="satisfaction" label={t("need.satisfaction")} extra={t("need.satisfactionHint")}>
              <Input maxLength={200} data-testid="field-satisfaction" />
            </Form.Item>
          </>
        )}
        {to === "in_progress" && <Typography.Paragraph>{t("need.startHint")}</Typography.Paragraph>}
      </RecordForm>
    </Modal>
  );
}

export function NeedMoves({ need }: { need: Need }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<Target | null>(null);
  const moves = movesFrom(need.status);
  if (moves.length === 0) return null;
  return (
    <>
      {moves.map((to) => (
        <Button
          key={to}
          size="small"
          type={to === "resolved" ? "primary" : "default"}
          danger={to === "declined"}
          onClick={() => setTarget(to)}
          data-testid={`need-move-${to}`}
        >
          {t(`need.move.${to}`)}
        </Button>
      ))}
      {target && <MoveDialog need={need} to={target} onClose={() => setTarget(null)} />}
    </>
  );
}

/** A need as a card: what, who, when, its status and the answer; the moves for those who may. */
export function NeedCard({ need: n, canWrite, showVillage = false }: { need: Need; canWrite: boolean; showVillage?: boolean }) {
  const { t, i18n } = useTranslation();
  const who = n.household_name ?? n.raised_by ?? "—";
  return (
    <Card size="small" style={{ width: "100%" }} data-testid="need-card" data-need-id={n.id} data-overdue={n.overdue ? "true" : "false"}>
      <div style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 4 }}>
        <Tag data-testid="need-category">{t(`need.categories.${n.category}`, { defaultValue: n.category })}</Tag>
        <StatusTag status={n.status} />
        {n.overdue && (
          <Tag className="tag-error" data-testid="need-overdue">
            {t("need.overdue")}
          </Tag>
        )}
        {showVillage && (
          <Link to={`/needs?village=${n.village_id}`} data-testid="need-village">
            {n.village_name}
          </Link>
        )}
      </div>
      <Typography.Paragraph style={{ margin: "6px 0 2px", overflowWrap: "anywhere" }} data-testid="need-description">
        {n.description}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
        {n.household_id != null ? (
          <>
            {t("need.raisedByHousehold")}：<Link to={`/households/${n.household_id}`}>{who}</Link>
          </>
        ) : (
          <>
            {t("need.raised_by")}：{who}
          </>
        )}
        {" · "}
        {t("need.raisedOnValue", { date: formatDate(n.raised_on, i18n.language) })}
        {n.due_on && ` · ${t("need.dueOnValue", { date: formatDate(n.due_on, i18n.language) })}`}
      </Typography.Text>
      {n.project_id != null && (
        <div style={{ fontSize: 13 }} data-testid="need-project">
          {t("need.project")}：<Link to={`/projects/${n.project_id}`}>{n.project_title ?? `#${n.project_id}`}</Link>
        </div>
      )}
      {n.resolution && (
        <div style={{ overflowWrap: "anywhere" }} data-testid="need-resolution">
          {t("need.resolution")}：{n.resolution}
          {n.satisfaction && `（${n.satisfaction}）`}
        </div>
      )}
      {n.decline_reason && (
        <div style={{ overflowWrap: "anywhere" }} data-testid="need-reason">
          {t("need.reason")}：{n.decline_reason}
        </div>
      )}
      {n.closed_on && (
        <Typography.Text type="secondary" style={{ display: "block", fontSize: 13 }}>
          {t("need.closedOnValue", { date: formatDate(n.closed_on, i18n.language) })}
        </Typography.Text>
      )}
      {canWrite && isOpen(n.status) && (
        <div style={{ display: "flex", flexWrap: "wrap", gap: 8, marginTop: 8 }}>
          <NeedMoves need={n} />
          <Link to={`/needs/${n.id}/edit`} aria-label={t("need.editNamed", { description: n.description.slice(0, 30) })} data-testid="need-edit" style={{ alignSelf: "center" }}>
            {t("common.edit")}
          </Link>
        </div>
      )}
    </Card>
  );
}
