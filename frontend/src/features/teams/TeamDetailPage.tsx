import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Checkbox, Descriptions, Form, Modal, Spin, Table, Tag } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { requiredChoice } from "../../components/rules";
import { Link, useParams } from "react-router-dom";
import { useCanWrite } from "../../components/guards";
import { ActiveTag } from "../../components/ActiveTag";
import { DateField } from "../../components/DateField";
import { PageTitle } from "../../components/PageTitle";
import { CadreSelect } from "../../components/pickers";
import { RecordForm } from "../../components/RecordForm";
import { formatDate } from "../../lib/datetime";
import { fetchMembers, fetchTeam, memberCreate, memberUpdate, teamKeys, teamLabel, type Member, type MemberValues } from "./api";

const MEMBER_FIELDS = ["cadre_id", "is_leader", "from_date", "to_date"] as const;
const NEW_MEMBER: MemberValues = { is_leader: false };

function MemberModal({
  teamId,
  member,
  open,
  onClose,
  onReload,
}: {
  teamId: number;
  member: Member | null;
  open: boolean;
  onClose: () => void;
  onReload: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const etag = member ? `"${member.version}"` : undefined;
  return (
    <Modal open={open} title={member ? t("team.editMember") : t("team.addMember")} footer={null} onCancel={onClose} destroyOnHidden>
      <RecordForm<MemberValues, Member>
        key={etag ?? "new"}
        draftKey={member ? `team.${teamId}.member.${member.id}` : `team.${teamId}.member.new`}
        fields={MEMBER_FIELDS}
        initialValues={
          member
            ? { cadre_id: member.cadre_id, is_leader: member.is_leader, from_date: member.from_date, to_date: member.to_date ?? null }
            : NEW_MEMBER
        }
        etag={etag}
        onReload={onReload}
        onCancel={onClose}
        testId="member-form"
        onSaved={() => {
          void queryClient.invalidateQueries({ queryKey: ["teams"] });
          onClose();
        }}
        resource="teams"
        label={() => t("team.addMember")}
        request={(values, headers) =>
          member ? { ...memberUpdate(teamId, member, values), ifMatch: headers.ifMatch } : { ...memberCreate(teamId, values), idempotencyKey: headers.idempotencyKey }
        }
      >
        <Form.Item name="cadre_id" label={t("team.cadre")} rules={[requiredChoice(t("form.required"))]}>
          <CadreSelect disabled={member !== null} data-testid="field-cadre_id" />
        </Form.Item>
        <Form.Item name="is_leader" valuePropName="checked">
          <Checkbox data-testid="field-is_leader">{t("team.isLeader")}</Checkbox>
        </Form.Item>
        <DateField name="from_date" label={t("team.from_date")} rules={[{ required: true, message: t("form.required") }]} testId="field-from_date" />
        <DateField name="to_date" label={t("team.to_date")} testId="field-to_date" />
      </RecordForm>
    </Modal>
  );
}

export default function TeamDetailPage() {
  const { t, i18n } = useTranslation();
  const canEdit = useCanWrite("teams");
  const id = Number(useParams().id);
  const [editing, setEditing] = useState<{ member: Member | null } | null>(null);
  const team = useQuery({ queryKey: teamKeys.detail(id), queryFn: () => fetchTeam(id) });
  const members = useQuery({ queryKey: teamKeys.members(id), queryFn: () => fetchMembers(id) });
  if (team.isPending) return <Spin />;
  if (team.error) return <Alert type="error" showIcon message={t("common.loadFailed")} description={team.error.message} />;
  const tm = team.data.data;
  
  return (
    <>
      <PageTitle
        extra={
          canEdit && (
            <Link to={`/teams/${tm.id}/edit`}>
              <Button icon={<EditOutlined />}>{t("common.edit")}</Button>
            </Link>
          )
        }
      >
        {teamLabel(tm)}
      </PageTitle>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t("team.round")}>{tm.round_number}</Descriptions.Item>
          <Descriptions.Item label={t("team.village")}>
            <Link to={`/villages/${tm.village_id}`}>{tm.village_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("user.status")}>
            <ActiveTag active={tm.active} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        size="small"
        title={t("team.members")}
        extra={
          canEdit && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ member: null })} data-testid="member-add">
              {t("team.addMember")}
            </Button>
          )
        }
      >
        {members.error && <Alert type="error" showIcon message={t("common.loadFailed")} description={members.error.message} />}
        <Table<Member>
          rowKey="id"
          size="small"
          loading={members.isFetching}
          dataSource={members.data?.items ?? []}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="team-members"
          columns={[
            {
              title: t("team.cadre"),
              dataIndex: "cadre_name",
              render: (_: unknown, m) => (
                <span>
                  {m.cadre_name}{" "}
                  {m.cadre_name_bo && (
                    <span lang="bo" className="bo">
                      {m.cadre_name_bo}
                    </span>
                  )}
                </span>
              ),
            },
            { title: t("team.isLeader"), dataIndex: "is_leader", render: (l: boolean) => (l ? <Tag className="tag-warning">{t("team.isLeader")}</Tag> : null) },
            { title: t("team.from_date"), dataIndex: "from_date", render: (d: string) => formatDate(d, i18n.language) },
            { title: t("team.to_date"), dataIndex: "to_date", render: (d: string | null) => formatDate(d, i18n.language) },
            ...(canEdit
              ? [
                  {
                    title: t("common.actions"),
                    key: "actions",
                    render: (_: unknown, m: Member) => (
                      <Button type="link" size="small" onClick={() => setEditing({ member: m })}>
                        {t("common.edit")}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <MemberModal
        teamId={id}
        member={editing?.member ?? null}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onReload={async () => {
          const fresh = await members.refetch();
          const current = fresh.data?.items.find((m) => m.id === editing?.member?.id);
          if (current) setEditing({ member: current });
        }}
      />
    </>
  );
}
