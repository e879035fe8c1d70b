// The session's pull request: push the session branch with an installation token minted for that
// push, then open or update the pull request with the prompting person's own GitHub token — never
// as the App. Without a usable user token the session offers a compare link instead. GitHub's
// webhooks then keep its state current.
import { GitHub } from "../../github/github.ts";
import { GitHubError } from "../../github/api.ts";
import { decodeOutput } from "../../agent/tools/output.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person, PullRequestState } from "../../protocol/events.ts";
import type { PullRequestEvent } from "../../protocol/stats.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { gitHttpStatus } from "../../sandbox/push-error.ts";
import type { RoomContext } from "./room-context.ts";
import type { SessionSandbox } from "./session-sandbox.ts";

/** What a session shows of its pull request. */
export interface PullRequestInfo {
  number: number;
  url: string;
  branch: string;
  state: PullRequestState;
}

/** The D1 index of pull requests, which webhooks use to find the session. */
export interface PullRequestIndex {
  save(row: {
    sessionId: string;
    repo: string;
    number: number;
    url: string;
    branch: string;
    state: PullRequestState;
    openedBy: string;
    at: number;
  }): Promise<void>;
}

export interface PullRequestDeps {
  github: GitHub | null;
  index: PullRequestIndex;
  /** Where people open Tandem, for the link back from the pull request. */
  publicOrigin: string;
}

/** The outcome of publishing: a pull request, or a compare link when none could be opened in the person's name. */
export type Published =
  | { kind: "pull_request"; pullRequest: PullRequestInfo; created: boolean }
  | { kind: "compare"; url: string; reason: string };

/** Attempts of a GitHub or push call that failed on their side. */
const ATTEMPTS = 3;

export class SessionPullRequest {
  private readonly room: RoomContext;
  private readonly sandbox: SessionSandbox;
  private readonly deps: PullRequestDeps | null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(room: RoomContext, sandbox: SessionSandbox, deps: PullRequestDeps | null) {
    this.room = room;
    this.sandbox = sandbox;
    this.deps = deps;
  }

  get configured(): boolean {
    return this.deps?.github != null;
  }

  /** Pushes the session branch and opens or updates the pull request as `person`; one at a time. */
  publish(person: Person): Promise<Result<Published>> {
    const run = this.queue.then(() => this.publishNow(person));
    this.queue = run.catch(() => {});
    return run;
  }

  /** GitHub says the pull request changed. */
  changed(change: {
    number: number;
    url: string;
    state: PullRequestState;
    action: "opened" | "closed" | "merged" | "reopened" | "synchronize" | "edited";
    by: string;
  }): void {
    const current = this.room.store.pullRequest();
    if (!current || current.number !== change.number) return;
    this.room.store.savePullRequest({
      ...current,
      state: change.state,
      updatedAt: this.room.now(),
    });
    this.room.record({ type: "pull_request.changed", actor: null, data: change });
    const event: PullRequestEvent | null =
      change.action === "merged"
        ? "merged"
        : change.action === "closed"
          ? "closed"
          : change.action === "synchronize"
            ? "revised"
            : null;
    if (event) this.report(change.number, event);
  }

  /** A review was submitted. */
  reviewed(review: {
    number: number;
    url: string;
    review: "approved" | "changes_requested" | "commented";
    by: string;
  }): void {
    const current = this.room.store.pullRequest();
    if (!current || current.number !== review.number) return;
    this.room.record({ type: "pull_request.reviewed", actor: null, data: review });
    if (review.review !== "commented") this.report(review.number, review.review);
  }

  private async publishNow(person: Person): Promise<Result<Published>> {
    const deps = this.deps;
    const gh = deps?.github;
    if (!deps || !gh)
      return fail(
        "not_found",
        "GitHub is not configured on this Tandem, so there is nowhere to open a pull request.",
      );
    const store = this.room.store;
    const meta = store.meta()!;
    const [owner, name] = meta.repo.split("/") as [string, string];
    const repository = await this.sandbox.repositoryInfo();
    if (!repository)
      return fail("unavailable", `The repository ${meta.repo} is not registered with Tandem.`);
    const ready = await this.sandbox.whenSynced(AbortSignal.timeout(120_000));
    if (!ready.ok)
      return fail("unavailable", `The session has no sandbox to publish from: ${ready.reason}`);
    const provider = this.sandbox.provider!;
    const branch = `tandem/${meta.id}`;
    const base = store.sandbox().commit;
    const ahead = await provider.exec(ready.sandboxId, {
      argv: [
        "git",
        "-c",
        "core.hooksPath=/dev/null",
        "log",
        "--format=- %s",
        base ? `${base}..HEAD` : "HEAD",
      ],
      timeoutMs: 30_000,
    });
    const commits = decodeOutput(ahead.stdout).trim();
    if (ahead.exitCode !== 0 || commits === "") {
      return fail(
        "conflict",
        "Nothing to publish yet: the session's branch has no commits of its own.",
      );
    }
    try {
      const token = await retried(() => gh.installationToken(meta.repo, { contents: "write" }));
      if (!token) {
        return this.failed(
          `The Tandem GitHub App is not installed on ${meta.repo}, so the branch cannot be pushed.`,
        );
      }
      const pushed = await retried(() =>
        provider.pushWorkspace(ready.sandboxId, {
          cloneUrl: repository.cloneUrl,
          workBranch: branch,
          branch,
          force: true,
          credential: GitHub.gitCredential(token),
        }),
      ).catch((error: unknown) => {
        const status = remoteServerError(error);
        if (status === null) throw error;
        throw new Error(
          `GitHub failed the push of ${branch} to ${meta.repo} (HTTP ${status}, after ${ATTEMPTS} attempts). ` +
            "The session's commits are kept: publish again once GitHub is back.",
        );
      });
      const userToken = await gh.userToken(person.userId);
      if (!userToken) {
        const url = `${gh.config.webBaseUrl}/${meta.repo}/compare/${repository.defaultBranch}...${branch}?expand=1`;
        const reason = `${person.login} has no usable GitHub sign-in, so the pull request cannot be opened in their name.`;
        this.room.record({
          type: "pull_request.compare",
          actor: person,
          data: { url, branch, reason },
        });
        return ok({ kind: "compare", url, reason });
      }
      const body = [
        commits,
        "",
        "---",
        `Opened from [Tandem session ${meta.id}](${deps.publicOrigin}/sessions/${meta.id}) by @${person.login}.`,
      ].join("\n");
      const current = store.pullRequest();
      let pull;
      let created = false;
      if (current && current.state === "open") {
        pull = await retried(() =>
          gh.api.updatePull(userToken, owner, name, current.number, { body }),
        );
      } else {
        pull = await retried(() =>
          gh.api.createPull(userToken, owner, name, {
            title: meta.title,
            head: branch,
            base: repository.defaultBranch,
            body,
          }),
        ).catch(async (error: unknown) => {
          // Opened before (by another attempt or by hand): adopt the open one.
          if (error instanceof GitHubError && error.status === 422) {
            const open = await gh.api.openPullFrom(userToken, owner, name, `${owner}:${branch}`);
            if (open) return open;
          }
          throw error;
        });
        created = current?.number !== pull.number;
      }
      const info: PullRequestInfo = {
        number: pull.number,
        url: pull.html_url,
        branch,
        state: pull.merged ? "merged" : pull.state,
      };
      const at = this.room.now();
      store.savePullRequest({ ...info, openedBy: person.userId, updatedAt: at });
      await deps.index.save({
        sessionId: meta.id,
        repo: meta.repo,
        ...info,
        openedBy: person.userId,
        at,
      });
      this.room.record({
        type: "pull_request.published",
        actor: person,
        data: {
          number: info.number,
          url: info.url,
          branch,
          commit: pushed.commit,
          created,
          by: person,
        },
      });
      if (created) this.report(info.number, "opened");
      return ok({ kind: "pull_request", pullRequest: info, created });
    } catch (error) {
      return this.failed(
        error instanceof GitHubError || error instanceof SandboxError || error instanceof Error
          ? error.message
          : String(error),
      );
    }
  }

  private failed(reason: string): Result<never> {
    this.room.record({ type: "pull_request.failed", actor: null, data: { reason } });
    return fail("unavailable", reason);
  }

  private report(number: number, event: PullRequestEvent): void {
    const meta = this.room.store.meta()!;
    this.room.deps.stats
      ?.report({
        type: "pull_request",
        sessionId: meta.id,
        repo: meta.repo,
        number,
        event,
        at: this.room.now(),
      })
      .catch((error: unknown) =>
        this.room.deps.log("stats.report.failed", { error: String(error) }),
      );
  }
}

/** Retries a call that failed on GitHub's or the host's side (5xx, network), not one that was refused. */
async function retried<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const transient =
        (error instanceof GitHubError && error.status >= 500) ||
        (error instanceof SandboxError &&
          (error.code === "unavailable" || error.code === "internal")) ||
        error instanceof TypeError;
      if (!transient || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)));
    }
  }
}

/** The 5xx status the remote failed a push with (the providers report it as `unavailable`), or null. */
function remoteServerError(error: unknown): number | null {
  if (!(error instanceof SandboxError) || error.code !== "unavailable") return null;
  const status = gitHttpStatus(error.message);
  return status !== null && status >= 500 ? status : null;
}
