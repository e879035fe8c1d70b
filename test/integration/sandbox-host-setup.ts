// Starts the model stand-in, a real sandbox host (when this machine can run one) and a demo
// repository for the integration tests inside workerd, which reach them over loopback.
import type { TestProject } from "vitest/node";
import { makeTestRepo } from "../../sandbox/test-repo.ts";
import { sandboxTestsUnavailable, startTestHost } from "../../sandbox-host/test-host.ts";
import { startModelStandIn } from "../model-stand-in/server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The model stand-in the Session objects' agent talks to. */
    modelUrl: string;
    sandboxHost:
      { url: string; token: string; repoDir: string; commits: string[] } | { unavailable: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const model = await startModelStandIn({ seed: 11 });
  project.provide("modelUrl", model.url);
  const unavailable = sandboxTestsUnavailable();
  if (unavailable) {
    project.provide("sandboxHost", { unavailable });
    return () => model.stop();
  }
  const test = await startTestHost();
  const repo = await makeTestRepo({
    "README.md": "demo\n",
    ".tandem/image.yaml":
      "version: 1\nsetup:\n  - echo preparing the workspace\nwarmup:\n  - name: tests\n    run: echo tests pass\n",
  });
  await repo.commit({ "CHANGELOG.md": "second\n" });
  project.provide("sandboxHost", {
    url: test.host.url,
    token: test.config.token,
    repoDir: repo.dir,
    commits: repo.commits,
  });
  return async () => {
    await Promise.all([test.stop(), model.stop()]);
  };
}
