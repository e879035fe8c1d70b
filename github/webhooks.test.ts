import { describe, expect, it } from "vitest";
import { webhookAction } from "./webhooks.ts";

const repository = { full_name: "acme/widgets", default_branch: "main" };
const sender = { login: "carol" };
const pr = (action: string, fields: Record<string, unknown> = {}) => ({
  action,
  number: 7,
  pull_request: { state: "open", merged: false, ...fields },
  repository,
  sender,
});

describe("what a webhook delivery means", () => {
  it("reads pull request openings, closings and merges", () => {
    expect(webhookAction("pull_request", pr("opened"))).toEqual({
      kind: "pull_request",
      repo: "acme/widgets",
      number: 7,
      state: "open",
      action: "opened",
      sender: "carol",
    });
    expect(
      webhookAction("pull_request", pr("closed", { state: "closed", merged: true })),
    ).toMatchObject({
      state: "merged",
      action: "merged",
    });
    expect(webhookAction("pull_request", pr("closed", { state: "closed" }))).toMatchObject({
      state: "closed",
      action: "closed",
    });
    expect(webhookAction("pull_request", pr("labeled")).kind).toBe("ignored");
  });

  it("reads submitted reviews", () => {
    const review = (state: string, action = "submitted") => ({
      action,
      review: { state },
      pull_request: { number: 7 },
      repository,
      sender,
    });
    expect(webhookAction("pull_request_review", review("APPROVED"))).toMatchObject({
      kind: "pull_request_review",
      review: "approved",
    });
    expect(webhookAction("pull_request_review", review("changes_requested"))).toMatchObject({
      review: "changes_requested",
    });
    expect(webhookAction("pull_request_review", review("approved", "dismissed")).kind).toBe(
      "ignored",
    );
  });

  it("builds only on pushes to the default branch", () => {
    const push = (ref: string, deleted = false) => ({ ref, after: "abc123", deleted, repository });
    expect(webhookAction("push", push("refs/heads/main"))).toEqual({
      kind: "default_branch_push",
      repo: "acme/widgets",
      commit: "abc123",
    });
    expect(webhookAction("push", push("refs/heads/feature")).kind).toBe("ignored");
    expect(webhookAction("push", push("refs/heads/main", true)).kind).toBe("ignored");
  });

  it("keeps the installation's repositories", () => {
    expect(
      webhookAction("installation_repositories", {
        action: "added",
        installation: { id: 3 },
        repositories_added: [{ full_name: "acme/new" }],
        repositories_removed: [{ full_name: "acme/old" }],
      }),
    ).toEqual({
      kind: "installation_repositories",
      installationId: 3,
      added: ["acme/new"],
      removed: ["acme/old"],
    });
    expect(
      webhookAction("installation", {
        action: "deleted",
        installation: { id: 3 },
        repositories: [{ full_name: "acme/a" }],
      }),
    ).toEqual({
      kind: "installation_repositories",
      installationId: 3,
      added: [],
      removed: ["acme/a"],
    });
  });

  it("ignores other events and malformed payloads", () => {
    expect(webhookAction("star", {}).kind).toBe("ignored");
    expect(webhookAction("pull_request", { nonsense: true }).kind).toBe("ignored");
    expect(webhookAction("push", null).kind).toBe("ignored");
  });
});
