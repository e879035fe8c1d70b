// The few HTTP calls the benchmarks make: create a session, share it, join it; register a
// repository, build its image and read its pool.
import type { SessionView } from "../protocol/api.ts";
import type { PoolStatus } from "../protocol/registry.ts";

async function call<T>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as T;
}

/** Creates a session owned by the token's user and returns its id. */
export async function createSession(
  baseUrl: string,
  token: string,
  title: string,
  firstPrompt?: string,
): Promise<string> {
  const created = await call<{ session: SessionView }>(baseUrl, token, "POST", "/api/sessions", {
    repo: "bench/tandem",
    title,
    ...(firstPrompt ? { prompt: { clientId: "first", text: firstPrompt } } : {}),
  });
  return created.session.id;
}

/** Makes each guest a collaborator of the owner's session through one share link. */
export async function addCollaborators(
  baseUrl: string,
  sessionId: string,
  ownerToken: string,
  guestTokens: readonly string[],
): Promise<void> {
  const link = await call<{ token: string }>(
    baseUrl,
    ownerToken,
    "POST",
    `/api/sessions/${sessionId}/share-links`,
    {
      role: "collaborator",
    },
  );
  for (const guest of guestTokens) {
    await call(baseUrl, guest, "POST", `/api/sessions/${sessionId}/join`, { token: link.token });
  }
}

/** An image as the registry lists it. */
export interface ImageRow {
  id: string;
  status: "building" | "ready" | "failed" | "deleted";
  error: string | null;
}

/** Registers a repository the sandbox host clones from `cloneUrl`, keeping `warmPoolSize` sandboxes ready. */
export async function registerRepository(
  baseUrl: string,
  token: string,
  body: { repo: string; cloneUrl: string; warmPoolSize: number },
): Promise<void> {
  await call(baseUrl, token, "POST", "/api/repositories", body);
}

/** Starts a build of `commit` in the repository's pool and returns the image's id. */
export async function requestImage(
  baseUrl: string,
  token: string,
  repo: string,
  commit: string,
): Promise<string> {
  const started = await call<{ imageId: string }>(
    baseUrl,
    token,
    "POST",
    `/api/repositories/${repo}/images`,
    { commit },
  );
  return started.imageId;
}

/** The repository's pool (current image, build, warm sandboxes) and its images. */
export async function repositoryState(
  baseUrl: string,
  token: string,
  repo: string,
): Promise<{ pool: PoolStatus; images: ImageRow[] }> {
  const { pool } = await call<{ pool: PoolStatus }>(
    baseUrl,
    token,
    "GET",
    `/api/repositories/${repo}`,
  );
  const { images } = await call<{ images: ImageRow[] }>(
    baseUrl,
    token,
    "GET",
    `/api/repositories/${repo}/images`,
  );
  return { pool, images };
}
