import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";

export type Village = Schemas["Village"];

export function fetchVillage(id: number) {
  return unwrapWithEtag(api.GET("/api/v1/villages/{id}", { params: { path: { id } } }));
}

/** Active villages for pickers (a department has a dozen at a time). */
export function fetchVillageOptions() {
  return unwrap(api.GET("/api/v1/villages", { params: { query: { limit: 500, sort: "name" } } }));
}
