import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../../protocol/events.ts";
import { NO_PULL_REQUEST, pullRequestOf } from "./pull-request-state.ts";

const person = { userId: "usr_a", login: "alice", name: null, avatarUrl: null };
let seq = 0;
const event = (type: string, data: unknown) =>
  ({ seq: ++seq, at: 0, actor: null, type, data }) as SessionEvent;

describe("the pull request panel's state", () => {
  it("follows publishing, GitHub's changes and reviews", () => {
    const url = "https://github.com/acme/w/pull/4";
    const state = pullRequestOf([
      event("pull_request.failed", { reason: "GitHub was down" }),
      event("pull_request.published", {
        number: 4,
        url,
        branch: "tandem/s",
        commit: "abc",
        created: true,
        by: person,
      }),
      event("pull_request.reviewed", { number: 4, url, review: "changes_requested", by: "bob" }),
      event("pull_request.reviewed", { number: 4, url, review: "approved", by: "bob" }),
      event("pull_request.changed", {
        number: 4,
        url,
        state: "merged",
        action: "merged",
        by: "bob",
      }),
    ]);
    expect(state).toEqual({
      pullRequest: { number: 4, url, state: "merged" },
      compare: null,
      failure: null,
      approvals: 1,
      changeRequests: 1,
    });
  });

  it("offers the compare link when no pull request could be opened, and ignores other pull requests", () => {
    const state = pullRequestOf([
      event("pull_request.compare", {
        url: "https://github.com/acme/w/compare/main...tandem/s",
        branch: "tandem/s",
        reason: "no sign-in",
      }),
      event("pull_request.changed", {
        number: 9,
        url: "x",
        state: "closed",
        action: "closed",
        by: "bob",
      }),
    ]);
    expect(state.compare?.reason).toBe("no sign-in");
    expect(state.pullRequest).toBeNull();
    expect(pullRequestOf([])).toEqual(NO_PULL_REQUEST);
  });
});
