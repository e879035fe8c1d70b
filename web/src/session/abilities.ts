// What a role lets a person do in a session, mirroring the room's permission table for the UI.
import type { QueuedPrompt, Role } from "../../../protocol/events.ts";

/** Whether the role may send prompts (and so gets a composer). */
export const canPrompt = (role: Role): boolean => role !== "viewer";
/** Whether the role may stop the running turn. */
export const canStop = (role: Role): boolean => role !== "viewer";
/** Whether the role may manage share links. */
export const canShare = (role: Role): boolean => role === "owner";

/** Whether this person may cancel that queued prompt: owners any, collaborators their own. */
export function canCancel(role: Role, prompt: QueuedPrompt, myUserId: string | undefined): boolean {
  if (role === "owner") return true;
  return role === "collaborator" && prompt.author.userId === myUserId;
}
