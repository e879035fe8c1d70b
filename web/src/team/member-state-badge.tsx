// A linked session's state as a badge: working, idle or shut down.
import type { MemberState } from "../../../protocol/team.ts";

const WORDS: Record<MemberState, string> = {
  working: "working",
  idle: "idle",
  shut_down: "shut down",
};

/** The state badge; working pulses like a running prompt. */
export function MemberStateBadge({ state }: { state: MemberState }) {
  return (
    <span className={`badge badge-member badge-member-${state}`}>
      {state === "working" ? <span className="badge-dot" aria-hidden="true" /> : null}
      {WORDS[state]}
    </span>
  );
}
