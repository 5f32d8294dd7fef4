// The public board's client: the generated API types without the session (no token is ever sent,
// the board answers without a login).
import createClient from "openapi-fetch";
import type { components, paths } from "../../api/schema";

export type PublicBoard = components["schemas"]["PublicBoard"];
export type PublicDisclosure = components["schemas"]["PublicDisclosure"];

const origin = typeof window !== "undefined" ? window.location.origin : "http://localhost";
const client = createClient<paths>({ baseUrl: origin });

/** Why a page of the board could not be shown. */
export type BoardFailure = "not_found" | "rate_limited" | "network" | "error";

export async function fetchBoard(
  villageId: number,
  cursor?: string,
): Promise<{ board: PublicBoard } | { failure: BoardFailure }> {
  try {
    const { data, response } = await client.GET("/api/v1/public/villages/{id}/disclosures", {
      params: { path: { id: villageId }, query: { limit: 20, cursor } },
    });
    if (data) return { board: data };
    if (response.status === 404) return { failure: "not_found" };
    if (response.status === 429) return { failure: "rate_limited" };
    return { failure: "error" };
  } catch {
    return { failure: "network" };
  }
}
