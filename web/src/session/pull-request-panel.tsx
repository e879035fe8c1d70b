// The session's pull request: open it (in my GitHub name), its state and reviews, or the compare
// link when it could not be opened for me.
import { useMemo } from "react";
import type { SessionEvent } from "../../../protocol/events.ts";
import { publishPullRequest } from "../api/pull-request.ts";
import { useAction } from "../ui/use-action.ts";
import { pullRequestOf, type PullRequestPanelState } from "./pull-request-state.ts";

const STATE_WORDS = { open: "open", closed: "closed", merged: "merged" } as const;

export function PullRequestPanel({
  sessionId,
  events,
  initial,
  canPublish,
}: {
  sessionId: string;
  events: readonly SessionEvent[];
  initial: PullRequestPanelState;
  canPublish: boolean;
}) {
  const state = useMemo(() => pullRequestOf(events, initial), [events, initial]);
  const { busy, error, run } = useAction();
  const publish = () => run(() => publishPullRequest(sessionId));
  const pr = state.pullRequest;
  return (
    <section className="pr-panel" aria-label="Pull request">
      {pr ? (
        <p className="pr-line">
          <a href={pr.url} target="_blank" rel="noreferrer" className="pr-link">
            Pull request #{pr.number}
          </a>{" "}
          <span className={`pr-state pr-state-${pr.state}`}>{STATE_WORDS[pr.state]}</span>
          {state.approvals > 0 ? (
            <span className="pr-review">
              {" "}
              · {state.approvals} approval{state.approvals > 1 ? "s" : ""}
            </span>
          ) : null}
          {state.changeRequests > 0 ? (
            <span className="pr-review"> · changes asked {state.changeRequests}×</span>
          ) : null}
        </p>
      ) : state.compare ? (
        <p className="pr-line">
          <a href={state.compare.url} target="_blank" rel="noreferrer" className="pr-link">
            Compare and open on GitHub
          </a>
          <span className="pr-note"> — {state.compare.reason}</span>
        </p>
      ) : (
        <p className="pr-line pr-note">No pull request yet.</p>
      )}
      {canPublish && pr?.state !== "merged" ? (
        <button
          type="button"
          className="button"
          onClick={() => void publish()}
          disabled={busy}
          aria-busy={busy}
        >
          {busy
            ? "Publishing…"
            : pr?.state === "open"
              ? "Update pull request"
              : "Create pull request"}
        </button>
      ) : null}
      {error || state.failure ? (
        <p className="pr-error" role="alert">
          {error ?? state.failure}
        </p>
      ) : null}
    </section>
  );
}
