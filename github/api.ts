// The GitHub REST calls Tandem makes, over fetch, with the answers checked by zod. Every call names
// the credential it uses: a person's user token, the App's JWT, or an installation token.
import { z } from "zod";

/** A failed GitHub call, with its HTTP status and GitHub's message. */
export class GitHubError extends Error {
  override readonly name = "GitHubError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const UserSchema = z.object({
  id: z.number(),
  login: z.string(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  avatar_url: z.string().nullable().optional(),
});
export type GitHubUser = z.infer<typeof UserSchema>;

const EmailSchema = z.array(
  z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }),
);

const RepositorySchema = z.object({
  id: z.number(),
  full_name: z.string(),
  name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string(),
  clone_url: z.string(),
  private: z.boolean(),
  permissions: z
    .object({ admin: z.boolean(), push: z.boolean(), pull: z.boolean() })
    .partial()
    .optional(),
});
export type GitHubRepository = z.infer<typeof RepositorySchema>;

const InstallationSchema = z.object({
  id: z.number(),
  account: z.object({ login: z.string() }).nullable().optional(),
});
const InstallationTokenSchema = z.object({ token: z.string(), expires_at: z.string() });

const PullSchema = z.object({
  number: z.number(),
  html_url: z.string(),
  state: z.enum(["open", "closed"]),
  title: z.string(),
  merged: z.boolean().optional(),
  merged_at: z.string().nullable().optional(),
  head: z.object({ ref: z.string(), sha: z.string() }),
  base: z.object({ ref: z.string() }),
  user: z.object({ login: z.string() }).nullable(),
});
export type GitHubPull = z.infer<typeof PullSchema>;

/** GitHub's REST API at `baseUrl` (https://api.github.com, or an Enterprise or local address). */
export class GitHubApi {
  private readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
  }

  user(userToken: string): Promise<GitHubUser> {
    return this.call(UserSchema, "GET", "/user", userToken);
  }

  /** The person's primary verified email, or null when GitHub keeps it private from us. */
  async primaryEmail(userToken: string): Promise<string | null> {
    const emails = await this.call(EmailSchema, "GET", "/user/emails", userToken).catch(
      (error: unknown) => {
        if (error instanceof GitHubError && (error.status === 403 || error.status === 404))
          return [];
        throw error;
      },
    );
    return emails.find((e) => e.primary && e.verified)?.email ?? null;
  }

  /** The repository as the token's owner sees it, or null when they cannot see it. */
  repository(token: string, owner: string, repo: string): Promise<GitHubRepository | null> {
    return this.orNull(this.call(RepositorySchema, "GET", `/repos/${owner}/${repo}`, token));
  }

  /** The App's installation on a repository, or null when the App is not installed there. */
  repositoryInstallation(appJwt: string, owner: string, repo: string) {
    return this.orNull(
      this.call(InstallationSchema, "GET", `/repos/${owner}/${repo}/installation`, appJwt),
    );
  }

  /** A short-lived installation token, narrowed to the repositories and permissions named. */
  installationToken(
    appJwt: string,
    installationId: number,
    narrow: { repositories?: string[]; permissions?: Record<string, "read" | "write"> } = {},
  ) {
    return this.call(
      InstallationTokenSchema,
      "POST",
      `/app/installations/${installationId}/access_tokens`,
      appJwt,
      narrow,
    );
  }

  /** Repositories an installation token may reach. */
  async installationRepositories(installationToken: string): Promise<GitHubRepository[]> {
    const page = await this.call(
      z.object({ repositories: z.array(RepositorySchema) }),
      "GET",
      "/installation/repositories?per_page=100",
      installationToken,
    );
    return page.repositories;
  }

  createPull(
    userToken: string,
    owner: string,
    repo: string,
    pull: { title: string; head: string; base: string; body: string; draft?: boolean },
  ): Promise<GitHubPull> {
    return this.call(PullSchema, "POST", `/repos/${owner}/${repo}/pulls`, userToken, pull);
  }

  updatePull(
    userToken: string,
    owner: string,
    repo: string,
    number: number,
    changes: { title?: string; body?: string; state?: "open" | "closed" },
  ): Promise<GitHubPull> {
    return this.call(
      PullSchema,
      "PATCH",
      `/repos/${owner}/${repo}/pulls/${number}`,
      userToken,
      changes,
    );
  }

  pull(token: string, owner: string, repo: string, number: number): Promise<GitHubPull | null> {
    return this.orNull(
      this.call(PullSchema, "GET", `/repos/${owner}/${repo}/pulls/${number}`, token),
    );
  }

  /** The open pull request from `head` (`owner:branch`), if there is one. */
  async openPullFrom(
    token: string,
    owner: string,
    repo: string,
    head: string,
  ): Promise<GitHubPull | null> {
    const pulls = await this.call(
      z.array(PullSchema),
      "GET",
      `/repos/${owner}/${repo}/pulls?state=open&head=${encodeURIComponent(head)}`,
      token,
    );
    return pulls[0] ?? null;
  }

  private async orNull<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return null;
      throw error;
    }
  }

  private async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<z.infer<S>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${token}`,
        "user-agent": "tandem",
        "x-github-api-version": "2022-11-28",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const message = (json as { message?: unknown } | null)?.message;
      throw new GitHubError(
        response.status,
        `GitHub ${method} ${path.split("?")[0]} answered ${response.status}${typeof message === "string" ? `: ${message}` : ""}`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new GitHubError(
        502,
        `GitHub ${method} ${path.split("?")[0]} answered in an unexpected shape.`,
      );
    }
    return parsed.data;
  }
}
