// Requests sent to an organisation rather than one repository: Tandem routes them to a space.
import type { z } from "zod";
import type { SessionView } from "../../../protocol/api.ts";
import type { RouteDecision, RouteRequestBodySchema } from "../../../protocol/routing.ts";
import { request } from "./client.ts";

/** The body of `POST /api/requests` as a client writes it (`fanOut` may be left out). */
export type RouteRequestInput = z.input<typeof RouteRequestBodySchema>;

/** Where the request went and the session opened for it, or the question the person is asked. */
export type RouteAnswer =
  | { route: Extract<RouteDecision, { kind: "space" | "fan_out" }>; session: SessionView }
  | { route: Extract<RouteDecision, { kind: "unknown" }> };

/** Sends a request to the organisation; Tandem opens a session or asks which space is meant. */
export function routeRequest(body: RouteRequestInput): Promise<RouteAnswer> {
  return request<RouteAnswer>("POST", "/api/requests", body);
}
