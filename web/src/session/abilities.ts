// What a role lets a person do in a session, read from the protocol's role table.
import type { QueuedPrompt, Role } from "../../../protocol/events.ts";
import { removal, type Member } from "../../../protocol/removal.ts";
import { can } from "../../../protocol/roles.ts";

/** Whether the role may send prompts (and so gets a composer). */
export const canPrompt = (role: Role): boolean => can(role, "prompt");
/** Whether the role may stop the running turn. */
export const canStop = (role: Role): boolean => can(role, "stop");
/** Whether the role may manage share links. */
export const canShare = (role: Role): boolean => can(role, "share");
/** Whether the role may publish and close previews. */
export const canExposePorts = (role: Role): boolean => can(role, "expose_port");

/** Whether this person may cancel that queued prompt: owners any, collaborators their own. */
export function canCancel(role: Role, prompt: QueuedPrompt, myUserId: string | undefined): boolean {
  return can(role, prompt.author.userId === myUserId ? "cancel_own_prompt" : "cancel_any_prompt");
}

/** Whether the role may leave the session: everyone but its owner. */
export function canLeave(role: Role): boolean {
  const me = { person: { userId: "me" }, role };
  return removal(me, "me", me).ok;
}

/** Whether I may remove that participant (owners anyone else); my own row offers no removal. */
export function canRemove(role: Role, myUserId: string | undefined, target: Member): boolean {
  if (!myUserId || target.person.userId === myUserId) return false;
  return removal({ person: { userId: myUserId }, role }, target.person.userId, target).ok;
}
