// What a GitHub webhook delivery means to Tandem, decided from its event name and payload alone.
import { z } from "zod";

/** Something Tandem does because of a delivery. */
export type WebhookAction =
  | {
      kind: "pull_request";
      repo: string;
      number: number;
      state: "open" | "closed" | "merged";
      action: "opened" | "closed" | "merged" | "reopened" | "synchronize" | "edited";
      sender: string;
    }
  | {
      kind: "pull_request_review";
      repo: string;
      number: number;
      review: "approved" | "changes_requested" | "commented";
      sender: string;
    }
  | { kind: "default_branch_push"; repo: string; commit: string }
  | {
      kind: "installation_repositories";
      installationId: number;
      added: string[];
      removed: string[];
    }
  | { kind: "ignored"; reason: string };

const Repo = z.object({ full_name: z.string(), default_branch: z.string().optional() });
const Sender = z.object({ login: z.string() });

const PullRequestPayload = z.object({
  action: z.string(),
  number: z.number(),
  pull_request: z.object({ merged: z.boolean().nullable().optional(), state: z.string() }),
  repository: Repo,
  sender: Sender,
});
const ReviewPayload = z.object({
  action: z.string(),
  review: z.object({ state: z.string() }),
  pull_request: z.object({ number: z.number() }),
  repository: Repo,
  sender: Sender,
});
const PushPayload = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().optional(),
  repository: Repo.extend({ default_branch: z.string() }),
});
const RepoList = z
  .array(z.object({ full_name: z.string() }))
  .nullable()
  .optional();
const InstallationPayload = z.object({
  action: z.string(),
  installation: z.object({ id: z.number() }),
  repositories: RepoList,
  repositories_added: RepoList,
  repositories_removed: RepoList,
});

const PR_ACTIONS = ["opened", "closed", "reopened", "synchronize", "edited"] as const;

/** Reads a delivery; payloads of events Tandem does not act on are `ignored` with the reason. */
export function webhookAction(event: string, payload: unknown): WebhookAction {
  switch (event) {
    case "pull_request": {
      const p = PullRequestPayload.safeParse(payload);
      if (!p.success) return { kind: "ignored", reason: "a pull_request payload of another shape" };
      const action = p.data.action as (typeof PR_ACTIONS)[number];
      if (!PR_ACTIONS.includes(action))
        return { kind: "ignored", reason: `pull_request ${p.data.action}` };
      const merged = action === "closed" && p.data.pull_request.merged === true;
      return {
        kind: "pull_request",
        repo: p.data.repository.full_name,
        number: p.data.number,
        state: merged ? "merged" : p.data.pull_request.state === "closed" ? "closed" : "open",
        action: merged ? "merged" : action,
        sender: p.data.sender.login,
      };
    }
    case "pull_request_review": {
      const p = ReviewPayload.safeParse(payload);
      if (!p.success || p.data.action !== "submitted") {
        return { kind: "ignored", reason: "a review that was not submitted" };
      }
      const state = p.data.review.state.toLowerCase();
      return {
        kind: "pull_request_review",
        repo: p.data.repository.full_name,
        number: p.data.pull_request.number,
        review:
          state === "approved"
            ? "approved"
            : state === "changes_requested"
              ? "changes_requested"
              : "commented",
        sender: p.data.sender.login,
      };
    }
    case "push": {
      const p = PushPayload.safeParse(payload);
      if (!p.success) return { kind: "ignored", reason: "a push payload of another shape" };
      if (p.data.deleted || p.data.ref !== `refs/heads/${p.data.repository.default_branch}`) {
        return { kind: "ignored", reason: `a push to ${p.data.ref}, not the default branch` };
      }
      return {
        kind: "default_branch_push",
        repo: p.data.repository.full_name,
        commit: p.data.after,
      };
    }
    case "installation":
    case "installation_repositories": {
      const p = InstallationPayload.safeParse(payload);
      if (!p.success) return { kind: "ignored", reason: `an ${event} payload of another shape` };
      const names = (list: z.infer<typeof RepoList>) => (list ?? []).map((r) => r.full_name);
      const everything = names(p.data.repositories);
      const removedAll =
        event === "installation" && (p.data.action === "deleted" || p.data.action === "suspend");
      return {
        kind: "installation_repositories",
        installationId: p.data.installation.id,
        added: removedAll ? [] : [...everything, ...names(p.data.repositories_added)],
        removed: removedAll ? everything : names(p.data.repositories_removed),
      };
    }
    default:
      return { kind: "ignored", reason: `the ${event} event` };
  }
}
