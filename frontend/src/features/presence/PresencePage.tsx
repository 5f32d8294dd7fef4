// 驻村考勤 (`/presence`): a month calendar per cadre that fits a phone — tap the first and the last
// day of a range, choose 在村 or 离村 (with the reason) and save through RecordForm and the outbox —
// the team's monthly summary (a list by name, not a ranking), the leave request and the leader's
// approval queue. The team's handover is linked from here.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Space, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { currentOwner, outbox } from "../../api/outbox";
import { problemMessage, type Problem } from "../../api/problem";
import { useAuth } from "../../auth/AuthContext";
import { DateField } from "../../components/DateField";
import { DownloadButtons } from "../../components/DownloadButton";
import { FormSelect } from "../../components/FormSelect";
import { PageTitle } from "../../components/PageTitle";
import { RecordForm } from "../../components/RecordForm";
import { today } from "../households/api";
import {
  decideRequest,
  fetchDays,
  fetchLeave,
  fetchMembers,
  fetchSummary,
  fetchTeams,
  leaveRequest,
  monthGrid,
  presenceKeys,
  REASONS,
  recordRequest,
  shiftMonth,
  tapRange,
  type Leave,
  type LeaveValues,
  type RangeValues,
} from "./api";

const WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"];

export default function PresencePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { role } = useAuth();
  const queryClient = useQueryClient();
  const canRecord = role === "team";
  const teams = useQuery({ queryKey: presenceKeys.teams, queryFn: fetchTeams });
  const sortedTeams = useMemo(
    () => [...(teams.data?.items ?? [])].sort((a, b) => b.round_number - a.round_number || a.village_name.localeCompare(b.village_name, "zh")),
    [teams.data],
  );
  const [teamId, setTeamId] = useState<number | undefined>();
  const team = teamId ?? sortedTeams[0]?.id;
  const [month, setMonth] = useState(() => today().slice(0, 7));
  const [memberId, setMemberId] = useState<number | undefined>();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const members = useQuery({ queryKey: presenceKeys.members(team ?? 0), queryFn: () => fetchMembers(team ?? 0), enabled: team !== undefined });
  const member = memberId ?? members.data?.items[0]?.id;
  const days = useQuery({ queryKey: presenceKeys.days(team ?? 0, month), queryFn: () => fetchDays(team ?? 0, month), enabled: team !== undefined });
  const summary = useQuery({ queryKey: presenceKeys.summary(team ?? 0, month), queryFn: () => fetchSummary(team ?? 0, month), enabled: team !== undefined });
  const leave = useQuery({ queryKey: presenceKeys.leave(team ?? 0), queryFn: () => fetchLeave(team ?? 0), enabled: team !== undefined });
  const refresh = () => queryClient.invalidateQueries({ queryKey: presenceKeys.all });
  const byDay = useMemo(() => {
    const map = new Map<string, { status: string; reason?: string | null }>();
    for (const d of days.data?.items ?? []) if (d.team_member_id === member) map.set(d.day, d);
    return map;
  }, [days.data, member]);
  const todayIs = today();
  const selected = (day: string) => range.from !== undefined && day >= range.from && day <= (range.to ?? range.from);
  const required = { required: true, message: t("form.required") };

  const decide = async (l: Leave, approve: boolean) => {
    const result = await outbox.submit(decideRequest(l, approve), {
      resource: "presence",
      label: `${l.cadre_name} ${l.from} – ${l.to}`,
      owner: currentOwner(),
    });
    if (result.kind === "queued") return void message.info(t("outbox.queued"));
    if (result.response.ok) {
      message.success(approve ? t("presence.approved") : t("presence.refused"));
      return void refresh();
    }
    const body = (await result.response.json().catch(() => null)) as Problem | null;
    message.error(problemMessage(body, t as never, result.response.status));
  };

  const memberOptions = (members.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.cadre_name}${m.is_leader ? `（${t("presence.leader")}）` : ""}` }));
  const pending = (leave.data?.items ?? []).filter((l) => l.status === "pending");

  return (
    <>
      <PageTitle>{t("presence.title")}</PageTitle>
      <Typography.Paragraph type="secondary">{t("presence.intro")}</Typography.Paragraph>
      {teams.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={teams.error.message} />}
      <Space direction="vertical" style={{ width: "100%" }} size="middle">
        <Space wrap>
          <label htmlFor="presence-team">{t("presence.team")}</label>
          <FormSelect<number>
            id="presence-team"
            value={team}
            onChange={(v) => {
              setTeamId(v);
              setMemberId(undefined);
              setRange({});
            }}
            options={sortedTeams.map((x) => ({ value: x.id, label: x.name ?? `${x.village_name} 第${x.round_number}批` }))}
            style={{ minWidth: 220, maxWidth: "100%" }}
            data-testid="presence-team"
          />
          {team !== undefined && (
            <Link to={`/teams/${team}/handover`} data-testid="presence-handover-link">
              {t("handover.title")}
            </Link>
          )}
        </Space>
        <Space wrap>
          <Button onClick={() => setMonth(shiftMonth(month, -1))} aria-label={t("presence.prevMonth")} data-testid="month-prev">
            ‹
          </Button>
          <strong data-testid="presence-month">{month}</strong>
          <Button onClick={() => setMonth(shiftMonth(month, 1))} aria-label={t("presence.nextMonth")} data-testid="month-next">
            ›
          </Button>
          <label htmlFor="presence-member">{t("presence.cadre")}</label>
          <FormSelect<number>
            id="presence-member"
            value={member}
            onChange={(v) => {
              setMemberId(v);
              setRange({});
            }}
            options={memberOptions}
            style={{ minWidth: 140 }}
            data-testid="presence-member"
          />
        </Space>

        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("presence.calendar")}</h2>} data-testid="presence-calendar">
          <div role="grid" aria-label={t("presence.calendar")} className="presence-grid">
            <div role="row" className="presence-row">
              {WEEKDAYS.map((w) => (
                <div role="columnheader" key={w} className="presence-head">
                  {w}
                </div>
              ))}
            </div>
            {monthGrid(month).map((week, i) => (
              <div role="row" className="presence-row" key={i}>
                {week.map((day, j) => {
                  if (!day) return <div role="gridcell" key={j} className="presence-cell empty" />;
                  const rec = byDay.get(day);
                  const future = day > todayIs;
                  const label = rec ? (rec.status === "in_village" ? t("presence.inVillageShort") : t("presence.awayShort")) : "";
                  return (
                    <div role="gridcell" key={day} className="presence-cell">
                      <button
                        type="button"
                        className={`presence-day ${rec?.status ?? "none"}${selected(day) ? " selected" : ""}`}
                        aria-pressed={selected(day)}
                        disabled={future || !canRecord}
                        onClick={() => setRange(tapRange(range, day))}
                        data-testid={`day-${day}`}
                        data-status={rec?.status ?? ""}
                      >
                        <span className="sr-only">{day.slice(0, 8)}</span>
                        <span>{Number(day.slice(8))}</span>
                        <span className="presence-mark">{label}</span>
                        {!rec && <span className="sr-only">{t("presence.unrecorded")}</span>}
                      </button>
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
          {canRecord && member !== undefined && range.from && (
            <RecordForm<RangeValues, unknown>
              key={`${member}-${range.from}-${range.to ?? ""}`}
              draftKey={`presence.${member}`}
              fields={["status", "reason", "log", "from", "to"]}
              initialValues={{ status: "in_village" }}
              request={(values, h) => ({ ...recordRequest(member, range.from ?? "", range.to ?? range.from ?? "", values), idempotencyKey: h.idempotencyKey })}
              resource="presence"
              label={() => `${range.from} – ${range.to ?? range.from}`}
              onSaved={() => {
                message.success(t("presence.saved"));
                setRange({});
                void refresh();
              }}
              onQueued={() => setRange({})}
              onCancel={() => setRange({})}
              testId="presence-form"
            >
              <p data-testid="presence-range">
                {t("presence.range")}: {range.from} – {range.to ?? range.from}
              </p>
              <Form.Item name="status" label={t("presence.statusLabel")} rules={[required]}>
                <FormSelect<string>
                  options={[
                    { value: "in_village", label: t("presence.status.in_village") },
                    { value: "away", label: t("presence.status.away") },
                  ]}
                  data-testid="field-status"
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a: RangeValues, b: RangeValues) => a.status !== b.status}>
                {({ getFieldValue }) =>
                  getFieldValue("status") === "away" && (
                    <Form.Item name="reason" label={t("presence.reason")} rules={[required]}>
                      <FormSelect<string> options={REASONS.map((r) => ({ value: r, label: t(`presence.reasons.${r}`) }))} data-testid="field-reason" />
                    </Form.Item>
                  )
                }
              </Form.Item>
              <Form.Item name="log" label={t("presence.log")}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="field-log" />
              </Form.Item>
            </RecordForm>
          )}
        </Card>

        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("presence.summary")}</h2>} data-testid="presence-summary">
          <Typography.Paragraph type="secondary">{t("presence.summaryHint", { min: summary.data?.min_days_in_village ?? 20 })}</Typography.Paragraph>
          {team !== undefined ? (
            <div style={{ marginBottom: 8 }}>
              <DownloadButtons path="/api/v1/presence/summary" query={{ month, team_id: team }} baseName={`presence-${month}`} />
            </div>
          ) : null}
          <ul className="plain-list">
            {(summary.data?.items ?? []).map((r) => (
              <li key={r.team_member_id} data-testid="summary-row">
                <strong>{r.cadre_name}</strong>{" "}
                <Tag>{t("presence.inVillageDays", { n: r.days_in_village })}</Tag>
                <span>{r.meets_minimum ? t("presence.meets") : t("presence.below", { min: summary.data?.min_days_in_village ?? 20 })}</span>{" "}
                <span>
                  {t("presence.awayDays", { n: r.days_away })} · {t("presence.leaveDays", { n: r.approved_leave_days })} ·{" "}
                  {t("presence.unaccounted", { n: r.days_unaccounted })}
                </span>
              </li>
            ))}
          </ul>
        </Card>

        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("presence.leaveTitle")}</h2>} data-testid="presence-leave">
          {pending.length === 0 && <Typography.Paragraph type="secondary">{t("presence.noPending")}</Typography.Paragraph>}
          <ul className="plain-list">
            {pending.map((l) => (
              <li key={l.id} data-testid="leave-pending">
                {l.cadre_name} {l.from} – {l.to}（{t("presence.days", { n: l.days })}，{t(`presence.reasons.${l.reason}`)}）{" "}
                <Tag>{t(`presence.approver.${l.approver}`)}</Tag>
                {(role === "team" || role === "department") && (
                  <Space>
                    <Button size="small" type="primary" onClick={() => void decide(l, true)} data-testid="leave-approve">
                      {t("presence.approve")}
                    </Button>
                    <Button size="small" onClick={() => void decide(l, false)} data-testid="leave-refuse">
                      {t("presence.refuse")}
                    </Button>
                  </Space>
                )}
              </li>
            ))}
          </ul>
          {canRecord && member !== undefined && (
            <RecordForm<LeaveValues, unknown>
              draftKey={`leave.${member}`}
              fields={["team_member_id", "from", "to", "reason", "note"]}
              initialValues={{ team_member_id: member, reason: "leave" }}
              request={(values, h) => ({ ...leaveRequest({ ...values, team_member_id: member }), idempotencyKey: h.idempotencyKey })}
              resource="presence"
              label={(v) => `${t("presence.leaveTitle")} ${v.from ?? ""}`}
              onSaved={() => {
                message.success(t("presence.leaveSaved"));
                void refresh();
              }}
              testId="leave-form"
              saveLabel={t("presence.askLeave")}
            >
              <DateField name="from" label={t("presence.from")} rules={[required]} testId="leave-from" />
              <DateField name="to" label={t("presence.to")} rules={[required]} testId="leave-to" />
              <Form.Item name="reason" label={t("presence.reason")} rules={[required]}>
                <FormSelect<string> options={REASONS.map((r) => ({ value: r, label: t(`presence.reasons.${r}`) }))} data-testid="leave-reason" />
              </Form.Item>
              <Form.Item name="note" label={t("presence.note")}>
                <Input maxLength={500} data-testid="leave-note" />
              </Form.Item>
            </RecordForm>
          )}
        </Card>
      </Space>
    </>
  );
}
