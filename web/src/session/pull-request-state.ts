// The session's pull request as the timeline tells it: published, compare link, failures,
// GitHub's changes and reviews. Pure, so a replayed timeline gives the same panel as a live one.
import type { PullRequestState, SessionEvent } from "../../../protocol/events.ts";

export interface PullRequestPanelState {
  pullRequest: { number: number; url: string; state: PullRequestState } | null;
  /** A compare link offered when no pull request could be opened in the person's name. */
  compare: { url: string; reason: string } | null;
  /** Why the last publish failed, until a later one succeeds. */
  failure: string | null;
  approvals: number;
  changeRequests: number;
}

export const NO_PULL_REQUEST: PullRequestPanelState = {
  pullRequest: null,
  compare: null,
  failure: null,
  approvals: 0,
  changeRequests: 0,
};

export function pullRequestOf(
  events: readonly SessionEvent[],
  initial: PullRequestPanelState = NO_PULL_REQUEST,
): PullRequestPanelState {
  let state = initial;
  for (const event of events) {
    switch (event.type) {
      case "pull_request.published":
        state = {
          ...state,
          pullRequest: { number: event.data.number, url: event.data.url, state: "open" },
          compare: null,
          failure: null,
        };
        break;
      case "pull_request.compare":
        state = {
          ...state,
          compare: { url: event.data.url, reason: event.data.reason },
          failure: null,
        };
        break;
      case "pull_request.failed":
        state = { ...state, failure: event.data.reason };
        break;
      case "pull_request.changed":
        if (state.pullRequest?.number === event.data.number) {
          state = { ...state, pullRequest: { ...state.pullRequest, state: event.data.state } };
        }
        break;
      case "pull_request.reviewed":
        if (event.data.review === "approved") state = { ...state, approvals: state.approvals + 1 };
        if (event.data.review === "changes_requested") {
          state = { ...state, changeRequests: state.changeRequests + 1 };
        }
        break;
      default:
        break;
    }
  }
  return state;
}
