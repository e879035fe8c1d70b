// What previews allow, as pure functions of the session's state: who may open or publish one,
// whether the sandbox can serve it now, and when a preview's use counts as the sandbox's activity.
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Role } from "../../protocol/events.ts";
import { MAX_PREVIEWS } from "../../protocol/previews.ts";
import { can, forbiddenMessage } from "../../protocol/roles.ts";
import { SANDBOX_IDLE_MS } from "../../sandbox/lifecycle.ts";

/** A preview in use counts as the sandbox's activity at most this often (each write re-arms the idle check). */
export const PREVIEW_ACTIVITY_EVERY_MS = 60_000;

/** The session's sandbox as the preview rules see it. */
export interface SandboxNow {
  sandboxId: string | null;
  status: "starting" | "running" | "lost" | null;
}

/** Whether a person may open the preview of `port`: a participant (any role) of a published port. */
export function mayOpen(role: Role | null, port: number, published: boolean): Result<null> {
  if (!role) return fail("not_found", "Session not found.");
  if (!can(role, "open_preview")) return fail("forbidden", forbiddenMessage(role, "open_preview"));
  if (!published)
    return fail(
      "not_found",
      `Port ${port} is not published in this session; publish it first (the agent's expose_port, or the Previews panel).`,
    );
  return ok(null);
}

/** The sandbox that serves previews now, or why there is none. */
export function servingSandbox(sandbox: SandboxNow): Result<{ sandboxId: string }> {
  if (sandbox.status === "running" && sandbox.sandboxId)
    return ok({ sandboxId: sandbox.sandboxId });
  if (sandbox.status === "starting")
    return fail("sandbox_not_running", "The session's sandbox is starting; try again in a moment.");
  if (sandbox.status === "lost")
    return fail(
      "sandbox_not_running",
      "The session's sandbox was lost; the next prompt replaces it. Start the server again then.",
    );
  return fail(
    "sandbox_not_running",
    `The session's sandbox is not running (it sleeps after ${SANDBOX_IDLE_MS / 60_000} minutes without activity). Send a prompt to wake it, and have the server started again.`,
  );
}

/** Whether one more port may be published. */
export function mayPublish(alreadyPublished: number, isNew: boolean): Result<null> {
  if (isNew && alreadyPublished >= MAX_PREVIEWS)
    return fail(
      "limit_reached",
      `A session publishes at most ${MAX_PREVIEWS} ports at once; close one first.`,
    );
  return ok(null);
}

/** Whether using a preview now should count as the sandbox's activity (keeping it awake). */
export function countsAsActivity(lastActivityAt: number, now: number): boolean {
  return now - lastActivityAt >= PREVIEW_ACTIVITY_EVERY_MS;
}
