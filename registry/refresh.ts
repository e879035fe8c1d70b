// The 30-minute cron: build a new image for every repository whose default branch moved, and
// delete images nothing refers to any more.
import type { SandboxProvider } from "../sandbox/provider.ts";
import { SandboxError } from "../sandbox/provider.ts";
import { requestBuild, type PoolPort } from "./builds.ts";
import type { Registry, Repository } from "./registry.ts";

/** Finds the commit a repository's default branch points at. */
export interface HeadResolver {
  head(repository: Repository): Promise<string>;
}

/** How long an unreferenced image is kept after it stops being the newest. */
export const IMAGE_GRACE_MS = 60 * 60_000;

/** What one refresh did. */
export interface RefreshReport {
  checked: number;
  started: string[];
  unchanged: number;
  failed: { repo: string; error: string }[];
  collected: string[];
}

/** Checks every repository and starts the builds that are due. */
export async function refreshImages(deps: {
  registry: Registry;
  heads: HeadResolver;
  pool: (repo: string) => PoolPort;
  provider: SandboxProvider | null;
  now: () => number;
  /** Mints a credential for one build's clone of a repository, when one is needed. */
  credential?: (repo: string) => Promise<{ username: string; password: string } | null>;
}): Promise<RefreshReport> {
  const report: RefreshReport = {
    checked: 0,
    started: [],
    unchanged: 0,
    failed: [],
    collected: [],
  };
  for (const repository of await deps.registry.repositoryList()) {
    report.checked++;
    try {
      const head = await deps.heads.head(repository);
      await deps.registry.setHead(repository.repo, head, deps.now());
      if (await deps.registry.hasImageAt(repository.repo, head)) {
        report.unchanged++;
        continue;
      }
      const reason = (await deps.registry.newestImage(repository.repo)) ? "cron" : "first";
      const started = await requestBuild(
        {
          registry: deps.registry,
          pool: deps.pool(repository.repo),
          now: deps.now,
          ...(deps.credential ? { credential: deps.credential } : {}),
        },
        { ...repository, headCommit: head },
        head,
        reason,
      );
      if (started.ok) report.started.push(started.value.imageId);
      else report.failed.push({ repo: repository.repo, error: started.error.message });
    } catch (error) {
      report.failed.push({
        repo: repository.repo,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (deps.provider)
    report.collected = await collectImages(
      deps.registry,
      deps.provider,
      deps.now() - IMAGE_GRACE_MS,
    );
  return report;
}

/** Deletes unreferenced old images on the host and marks them deleted; ones the host still uses stay. */
export async function collectImages(
  registry: Registry,
  provider: SandboxProvider,
  before: number,
): Promise<string[]> {
  const collected: string[] = [];
  for (const image of await registry.collectable(before)) {
    try {
      await provider.deleteImage(image.id);
    } catch (error) {
      if (error instanceof SandboxError && error.code === "image_in_use") continue;
      if (!(error instanceof SandboxError && error.code === "not_found")) throw error;
    }
    await registry.markDeleted(image.id);
    collected.push(image.id);
  }
  return collected;
}
