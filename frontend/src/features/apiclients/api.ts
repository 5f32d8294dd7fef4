// API 客户端: the department's programs with client-credentials tokens. Every call here is
// online only and never goes through the outbox: the answers of create and rotate carry the
// secret, which must not be stored anywhere in the browser.
import { api, unwrap, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";

export type ApiClient = Schemas["ApiClient"];
export type ApiClientWithSecret = Schemas["ApiClientWithSecret"];
export type ApiClientQuery = NonNullable<paths["/api/v1/api-clients"]["get"]["parameters"]["query"]>;

/** The scopes a department client may hold; `stats:read` only for regional clients. */
export const DEPARTMENT_SCOPES = ["reports:read", "projects:read", "ledger:read"] as const;
export const REGIONAL_SCOPES = ["stats:read"] as const;

export const apiClientKeys = {
  all: ["api-clients"] as const,
  list: (query: ApiClientQuery) => ["api-clients", "list", query] as const,
};

export const fetchApiClients = (query: ApiClientQuery) => unwrap(api.GET("/api/v1/api-clients", { params: { query } }));

export const createApiClient = (name: string, scopes: string[], regional: boolean) =>
  unwrap(api.POST("/api/v1/api-clients", { body: { name: name.trim(), scopes, regional } }));

export const rotateApiClient = (client: ApiClient) =>
  unwrap(
    api.POST("/api/v1/api-clients/{id}/rotate", {
      params: { path: { id: client.id }, header: { "If-Match": `"${client.version}"` } },
    }),
  );

export const revokeApiClient = (client: ApiClient) =>
  unwrap(
    api.POST("/api/v1/api-clients/{id}/revoke", {
      params: { path: { id: client.id }, header: { "If-Match": `"${client.version}"` } },
    }),
  );
