// Rules of a team of sessions: names, states, who a name points at, and when mail wakes a session.
import type { MemberState } from "../protocol/team.ts";

/** A session's state from its prompt queue and whether it was shut down. */
export function memberState(input: { busy: boolean; shutDown: boolean }): MemberState {
  if (input.shutDown) return "shut_down";
  return input.busy ? "working" : "idle";
}

/** The name a new child goes by: the one asked for, or its role (or "child") numbered to be unique. */
export function childName(
  requested: string | null,
  role: string | null,
  taken: ReadonlySet<string>,
): { ok: true; name: string } | { ok: false; reason: string } {
  if (requested) {
    return taken.has(requested)
      ? {
          ok: false,
          reason: `A session named "${requested}" already exists here; choose another name or message it instead.`,
        }
      : { ok: true, name: requested };
  }
  const base =
    (role ?? "child")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^[^a-z]+|-+$/g, "")
      .slice(0, 30) || "child";
  for (let n = 1; ; n++) {
    const name = `${base}-${n}`;
    if (!taken.has(name)) return { ok: true, name };
  }
}

/** The sessions a session can talk to, by the names it knows them by. */
export interface Neighbourhood {
  self: { sessionId: string; name: string };
  parent: { sessionId: string; name: string } | null;
  children: readonly { sessionId: string; name: string }[];
  siblings: readonly { sessionId: string; name: string }[];
}

/** The name a session's parent goes by in its children's eyes. */
export const PARENT_NAME = "parent";

/** Who `target` names: a child, a sibling or "parent" by name, or any of them by session id. */
export function resolveMember(
  around: Neighbourhood,
  target: string,
): { ok: true; sessionId: string; name: string } | { ok: false; reason: string } {
  const known = [
    ...(around.parent ? [{ ...around.parent, name: PARENT_NAME }] : []),
    ...around.children,
    ...around.siblings,
  ];
  const found = known.find((m) => m.name === target || m.sessionId === target);
  if (found) return { ok: true, sessionId: found.sessionId, name: found.name };
  if (target === around.self.name || target === around.self.sessionId) {
    return { ok: false, reason: "That is this session itself; write to another one." };
  }
  const names = known.map((m) => m.name);
  return {
    ok: false,
    reason:
      names.length > 0
        ? `No linked session is named "${target}". The sessions you can reach are: ${names.join(", ")}.`
        : `No linked session is named "${target}": this session has no parent, children or siblings yet.`,
  };
}

/** Everyone a broadcast reaches: parent, children and siblings, each once. */
export function broadcastTargets(around: Neighbourhood): { sessionId: string; name: string }[] {
  const seen = new Set<string>([around.self.sessionId]);
  const targets: { sessionId: string; name: string }[] = [];
  const all = [
    ...(around.parent ? [{ ...around.parent, name: PARENT_NAME }] : []),
    ...around.children,
    ...around.siblings,
  ];
  for (const member of all) {
    if (seen.has(member.sessionId)) continue;
    seen.add(member.sessionId);
    targets.push(member);
  }
  return targets;
}

/** Whether a delivered mail starts a turn: only in an idle session, and not endlessly. */
export function wakeDecision(input: {
  state: MemberState;
  wakesInARow: number;
  maxWakes: number;
}): "wake" | "busy" | "shut_down" | "limit" {
  if (input.state === "shut_down") return "shut_down";
  if (input.state === "working") return "busy";
  return input.wakesInARow >= input.maxWakes ? "limit" : "wake";
}

/** The most characters of a session's last words kept as its summary. */
export const SUMMARY_CHARS = 4_000;

/** Caps a summary, keeping its start (where the answer usually is). */
export function capSummary(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= SUMMARY_CHARS ? trimmed : `${trimmed.slice(0, SUMMARY_CHARS - 1)}…`;
}
