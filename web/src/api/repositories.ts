// Repository and image calls: the registered repositories, their images and logs, build now, prewarm.
import type { BuildLogLine, PoolStatus } from "../../../protocol/registry.ts";
import { request } from "./client.ts";

export type { BuildLogLine, PoolStatus };

/** A registered repository as GET /api/repositories lists it. */
export interface RepositoryInfo {
  repo: string;
  cloneUrl: string;
  defaultBranch: string;
  warmPoolSize: number;
  /** The default branch's head when the cron last looked, or null before it has. */
  headCommit: string | null;
  checkedAt: number | null;
  createdAt: number;
}

/** How an image build went. */
export type ImageStatus = "building" | "ready" | "failed" | "deleted";

/** One image build of a repository. */
export interface ImageInfo {
  id: string;
  repo: string;
  commit: string;
  status: ImageStatus;
  reason: "first" | "cron" | "manual" | "push";
  /** Which step failed and how, for a failed build. */
  error: string | null;
  sizeBytes: number | null;
  createdAt: number;
  finishedAt: number | null;
}

/** A repository with its newest ready image and its warm pool. */
export interface RepositoryDetail {
  repository: RepositoryInfo;
  currentImage: ImageInfo | null;
  pool: PoolStatus;
}

/** The path of a repository's routes; owner and name stay separate segments. */
export function repositoryPath(repo: string): string {
  const [owner = "", name = ""] = repo.split("/");
  return `/api/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

/** Every registered repository, by name. */
export async function listRepositories(): Promise<RepositoryInfo[]> {
  return (await request<{ repositories: RepositoryInfo[] }>("GET", "/api/repositories"))
    .repositories;
}

/** One repository, its current image and its pool. */
export function getRepository(repo: string): Promise<RepositoryDetail> {
  return request<RepositoryDetail>("GET", repositoryPath(repo));
}

/** The repository's 50 newest image builds, newest first. */
export async function listImages(repo: string): Promise<ImageInfo[]> {
  return (await request<{ images: ImageInfo[] }>("GET", `${repositoryPath(repo)}/images`)).images;
}

/** Starts a build of the branch head the cron last read. */
export function buildNow(repo: string): Promise<{ imageId: string }> {
  return request<{ imageId: string }>("POST", `${repositoryPath(repo)}/images`, {});
}

/** The stored log of one build, after the line numbered `after`. */
export async function imageLog(repo: string, imageId: string, after = 0): Promise<BuildLogLine[]> {
  const path = `${repositoryPath(repo)}/images/${encodeURIComponent(imageId)}/log?after=${after}`;
  return (await request<{ lines: BuildLogLine[] }>("GET", path)).lines;
}

/** Asks for a sandbox to be made ready, because someone is writing a prompt on the repository. */
export async function prewarm(repo: string): Promise<void> {
  await request<null>("POST", `${repositoryPath(repo)}/prewarm`);
}

/** The address of the socket that watches the repository's builds. */
export function buildSocketUrl(repo: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${repositoryPath(repo)}/builds/ws`;
}
