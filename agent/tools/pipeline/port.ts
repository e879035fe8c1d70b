// What a role's tools need from the session: recording the handoff and the role's notes.
import type { Result } from "../../../protocol/errors.ts";
import type { HandoffInput } from "../../../orchestration/pipelines/handoff.ts";
import type { SessionTool } from "../tool.ts";

export interface RolePort {
  /** The role this turn plays. */
  readonly role: string;
  handoff(input: HandoffInput): Result<{ next: string }>;
  note(text: string): Promise<Result<unknown>>;
}

export type RoleTool<Input> = SessionTool<Input, RolePort>;
