// 阶段变更 on a project's page: only the moves this user may make now (the server lists them),
// as buttons with one comment box. A move is an online action with the project's If-Match, never
// queued: offline the buttons are off with a message. A 412 (someone changed the project) or a
// 409 `illegal_transition` reloads the project and its moves and says so in Chinese.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { problemMessage, type Translate } from "../../api/problem";
import { useOnline } from "../../lib/useOnline";
import { classifyMoveError, fetchMoves, isFinal, moveProject, orderMoves, projectKeys, type Move, type Project } from "./api";
import { StageTag } from "./ProjectParts";

const sectionTitle = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

export function ProjectMoves({ project, etag }: { project: Project; etag: string }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const online = useOnline();
  const queryClient = useQueryClient();
  const final = isFinal(project.stage);
  const moves = useQuery({
    // The version is part of the key: after any change of the project the moves are asked again.
    queryKey: [...projectKeys.moves(project.id), project.version],
    queryFn: () => fetchMoves(project.id),
    enabled: !final,
  });
  const [comment, setComment] = useState("");
  const [commentError, setCommentError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const stageName = (s: string) => t(`project.stages.${s}`, { defaultValue: s });

  const reload = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: projectKeys.detail(project.id) }),
      queryClient.invalidateQueries({ queryKey: projectKeys.moves(project.id) }),
      queryClient.invalidateQueries({ queryKey: projectKeys.events(project.id) }),
    ]);

  const send = async (move: Move) => {
    const text = comment.trim();
    if (move.comment_required && !text) {
      setCommentError(t("project.moveCommentRequired"));
      return;
    }
    if (!navigator.onLine) {
      setFailure(t("project.moveOffline"));
      return;
    }
    setBusy(move.to);
    setFailure(null);
    setCommentError(null);
    try {
      const saved = await moveProject(project.id, etag, move.to, text || null);
      queryClient.setQueryData(projectKeys.detail(project.id), saved);
      setComment("");
      message.success(t("project.moved", { stage: stageName(saved.data.stage) }));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.events(project.id) }),
        queryClient.invalidateQueries({ queryKey: projectKeys.moves(project.id) }),
        queryClient.invalidateQueries({ queryKey: ["projects", "list"] }),
      ]);
    } catch (error) {
      const failed = classifyMoveError(error);
      switch (failed.kind) {
        case "stale":
          setFailure(t("project.moveStale"));
          await reload();
          break;
        case "illegal":
          setFailure(
            failed.allowed.length > 0
              ? t("project.moveIllegal", { allowed: failed.allowed.map(stageName).join("、") })
              : t("project.moveIllegalNone"),
          );
          await reload();
          break;
        case "comment":
          setCommentError(t("project.moveCommentRequired"));
          break;
        case "offline":
          setFailure(navigator.onLine ? t("project.moveNetwork") : t("project.moveOffline"));
          break;
        default: {
          const apiError = failed.error as { problem?: unknown; status?: number; message?: string };
          setFailure(problemMessage(apiError.problem as never, t as unknown as Translate, apiError.status) || String(apiError.message ?? failed.error));
        }
      }
    } finally {
      setBusy(null);
    }
  };

  const confirmCancel = (move: Move) =>
    modal.confirm({
      title: t("project.cancelConfirmTitle"),
      content: t("project.cancelConfirm"),
      okText: t("project.cancelConfirmOk"),
      cancelText: t("project.cancelConfirmBack"),
      okButtonProps: { danger: true, ...{ "data-testid": "cancel-confirm-ok" } },
      onOk: () => send(move),
    });

  const items = orderMoves(moves.data?.items ?? []);
  const label = (m: Move) =>
    m.kind === "cancel" ? t("project.moveCancel") : t(m.kind === "return" ? "project.moveReturn" : "project.moveForward", { stage: stageName(m.to) });
  const commentId = `move-comment-${project.id}`;
  return (
    <Card size="small" id="moves" className="card-wrap" title={sectionTitle(t("project.moves"))} style={{ marginTop: 16 }} data-testid="project-moves">
      <div style={{ marginBottom: 8 }}>
        <Typography.Text>{t("project.stage")}：</Typography.Text>
        <StageTag stage={project.stage} />
      </div>
      {moves.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={moves.error.message} style={{ marginBottom: 8 }} />}
      {failure && (
        <Alert type="warning" showIcon message={t("project.moveFailed")} description={failure} style={{ marginBottom: 8 }} data-testid="move-error" />
      )}
      {final && (
        <Typography.Text type="secondary" data-testid="moves-final">
          {t("problem.project_final")}
        </Typography.Text>
      )}
      {!final && !moves.isPending && items.length === 0 && !moves.error && (
        <Typography.Text type="secondary" data-testid="moves-none">
          {t("project.movesNone")}
        </Typography.Text>
      )}
      {/* Offline says so whether or not the moves were loaded before the link went down. */}
      {!online && !final && <Alert type="info" showIcon message={t("project.moveOffline")} style={{ marginBottom: 8 }} data-testid="moves-offline" />}
      {items.length > 0 && (
        <>
          <Form layout="vertical" component="div" style={{ maxWidth: 640 }}>
            <Form.Item
              label={t("project.moveComment")}
              htmlFor={commentId}
              extra={items.some((m) => m.comment_required) ? t("project.moveCommentHint") : undefined}
              validateStatus={commentError ? "error" : undefined}
              help={commentError ?? undefined}
            >
              <Input.TextArea
                id={commentId}
                value={comment}
                onChange={(e) => {
                  setComment(e.target.value);
                  if (commentError) setCommentError(null);
                }}
                autoSize={{ minRows: 2, maxRows: 6 }}
                maxLength={2000}
                data-testid="move-comment"
              />
            </Form.Item>
          </Form>
          <Space wrap>
            {items.map((m) => (
              <Button
                key={m.to}
                type={m.kind === "forward" ? "primary" : "default"}
                danger={m.kind === "cancel"}
                disabled={!online || busy !== null}
                onClick={() => (m.kind === "cancel" ? confirmCancel(m) : void send(m))}
                data-testid={`move-${m.to}`}
                data-kind={m.kind}
              >
                {label(m)}
              </Button>
            ))}
          </Space>
        </>
      )}
    </Card>
  );
}
