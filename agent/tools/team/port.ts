// What the team tools need from the session: starting, reading and stopping linked sessions, and
// their mailboxes. The Session object implements it for the person whose prompt is running.
import type { Result } from "../../../protocol/errors.ts";
import type { LinkStatus, Mail } from "../../../protocol/team.ts";
import type { SessionTool } from "../tool.ts";

export interface SpawnRequest {
  prompt: string;
  title: string;
  /** Another repository (owner/name); this session's when null. */
  repo: string | null;
  role: string | null;
  name: string | null;
  /** Linked sessions whose answers are quoted into the prompt (knowledge, then action). */
  quote?: readonly string[];
}

export interface TeamPort {
  spawn(request: SpawnRequest): Promise<Result<LinkStatus>>;
  status(target: string): Promise<Result<LinkStatus>>;
  children(): Promise<LinkStatus[]>;
  cancel(target: string): Promise<Result<LinkStatus>>;
  /** Waits until the named children (all children when null) stop working, or the time is up. */
  wait(
    targets: readonly string[] | null,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Result<{ finished: LinkStatus[]; pending: LinkStatus[] }>>;
  send(to: string, text: string): Promise<Result<{ to: string }>>;
  broadcast(text: string): Promise<Result<{ delivered: string[]; failed: string[] }>>;
  /** The unread mail, oldest first; reading drains it. */
  readInbox(): Mail[];
  /** Asks several spaces the same question and compares their answers. */
  fanOut(
    question: string,
    spaces: readonly string[] | null,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Result<{ synthesis: string; answered: string[]; skipped: string[] }>>;
}

/** A team tool. */
export type TeamTool<Input> = SessionTool<Input, TeamPort>;

/** One line per linked session, as the model reads it. */
export function describeStatus(status: LinkStatus): string {
  const head = `- ${status.name} (${status.sessionId}${status.role ? `, role ${status.role}` : ""}) on ${status.repo}: ${status.state.replace("_", " ")}${status.lastTurn ? `, last turn ${status.lastTurn}` : ""} — "${status.title}"`;
  return status.summary ? `${head}\n  Summary: ${status.summary.replace(/\n/g, "\n  ")}` : head;
}
