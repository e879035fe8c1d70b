// Access to one session's object from a route: the session id of the path, and the object of a
// session the signed-in person takes part in (per the D1 membership; outsiders get not_found).
import { TandemError } from "../../protocol/errors.ts";
import { idPattern } from "../../protocol/ids.ts";
import type { AppContext } from "../http.ts";
import { memberRole } from "./directory.ts";

const SESSION_ID = idPattern("ses");

/** The session id of the path, validated. */
export function sessionIdOf(c: AppContext): string {
  const id = c.req.param("sessionId") ?? "";
  if (!SESSION_ID.test(id)) throw new TandemError("not_found", "Session not found.");
  return id;
}

/** The Session object of a session the signed-in person takes part in; outsiders get not_found. */
export async function participantStub(c: AppContext) {
  const sessionId = sessionIdOf(c);
  const role = await memberRole(c.var.deps.db, sessionId, c.var.user.id);
  if (!role) throw new TandemError("not_found", "Session not found.");
  return { sessionId, stub: c.var.deps.session(sessionId) };
}
