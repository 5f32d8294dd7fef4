// The users feature's calls, query keys and form definition.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";

export type User = Schemas["User"];
export type UserQuery = NonNullable<paths["/api/v1/users"]["get"]["parameters"]["query"]>;

export const userKeys = {
  all: ["users"] as const,
  list: (query: UserQuery) => ["users", "list", query] as const,
};

export const fetchUser = (id: number) => unwrapWithEtag(api.GET("/api/v1/users/{id}", { params: { path: { id } } }));
export const fetchUsers = (query: UserQuery) => unwrap(api.GET("/api/v1/users", { params: { query } }));
export const resetUserPassword = (id: number, body: Schemas["PasswordReset"]) =>
  unwrap(api.POST("/api/v1/users/{id}/password", { params: { path: { id } }, body }));

/** The form holds the create fields plus the patch-only `disabled` flag. */
type Values = Partial<Schemas["UserCreate"]> & Schemas["UserPatch"];

function common(values: Values) {
  return {
    display_name: (values.display_name ?? "").trim(),
    role: values.role ?? "department",
    office_id: values.office_id ?? null,
    village_id: values.village_id ?? null,
    cadre_id: values.cadre_id ?? null,
  };
}

export const userForm: RecordFormDef<User, Values> = {
  resource: "users",
  i18n: "user",
  fields: ["username", "display_name", "role", "password", "office_id", "village_id", "cadre_id", "disabled"],
  notInDraft: ["password"],
  fetchOne: fetchUser,
  toValues: (u) => ({
    username: u.username,
    display_name: u.display_name,
    role: u.role,
    office_id: u.office_id ?? null,
    village_id: u.village_id ?? null,
    cadre_id: u.cadre_id ?? null,
    disabled: u.disabled,
  }),
  empty: { role: "department" },
  create: (values) =>
    postTo("/api/v1/users", { ...common(values), username: (values.username ?? "").trim(), password: values.password ?? "" }),
  update: (id, values) => patchAt("/api/v1/users/{id}", { id }, { ...common(values), disabled: values.disabled ?? false }),
  label: (values) => values.username ?? "",
  after: () => "/users",
};
