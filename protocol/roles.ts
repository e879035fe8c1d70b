// What each participant role may do: one table shared by the room that enforces it and the UI that shows it.
import type { Role } from "./events.ts";

/** Things a participant may try to do. */
export type Action =
  | "read"
  | "prompt"
  | "stop"
  | "cancel_own_prompt"
  | "cancel_any_prompt"
  | "share"
  | "settings"
  | "open_preview"
  | "expose_port";

const GRANTS: Record<Role, ReadonlySet<Action>> = {
  owner: new Set([
    "read",
    "prompt",
    "stop",
    "cancel_own_prompt",
    "cancel_any_prompt",
    "share",
    "settings",
    "open_preview",
    "expose_port",
  ]),
  collaborator: new Set([
    "read",
    "prompt",
    "stop",
    "cancel_own_prompt",
    "open_preview",
    "expose_port",
  ]),
  viewer: new Set(["read", "open_preview"]),
};

/** Whether a role allows an action. */
export function can(role: Role, action: Action): boolean {
  return GRANTS[role].has(action);
}

const STRENGTH: Record<Role, number> = { owner: 3, collaborator: 2, viewer: 1 };

/** The stronger of two roles: joining by a weaker link never demotes anyone. */
export function strongerRole(a: Role, b: Role): Role {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

const ACTION_WORDS: Record<Action, string> = {
  read: "read this session",
  prompt: "send prompts",
  stop: "stop the agent",
  cancel_own_prompt: "cancel prompts",
  cancel_any_prompt: "cancel someone else's prompt",
  share: "manage share links",
  settings: "change the model or the spend limit",
  open_preview: "open previews",
  expose_port: "expose or close ports for previews",
};

/** A sentence telling a person why their role does not allow an action. */
export function forbiddenMessage(role: Role, action: Action): string {
  return `As a ${role} you cannot ${ACTION_WORDS[action]} in this session.`;
}
