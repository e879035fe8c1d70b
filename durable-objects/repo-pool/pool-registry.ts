// The registry as a RepoPool sees it: build results, and each repository's pool size and limits.
import type { PoolRegistry } from "./repo-pool.ts";
import { buildSettings } from "../../registry/builds.ts";
import type { Registry } from "../../registry/registry.ts";

/** Adapts the D1 registry to the pool's port. */
export function poolRegistry(registry: Registry): PoolRegistry {
  return {
    buildFinished: (imageId, result, at) => registry.buildFinished(imageId, result, at),
    async poolSettings(repo) {
      const repository = await registry.repository(repo);
      if (!repository) return null;
      const settings = buildSettings(repository);
      return {
        warmPoolSize: repository.warmPoolSize,
        limits: settings.ok ? settings.value.limits : null,
      };
    },
  };
}
