// Starts the real platform (`wrangler dev`) once for the end-to-end tests, with three people.
import type { TestProject } from "vitest/node";
import { startLocalPlatform } from "../../scripts/local-platform.ts";

declare module "vitest" {
  export interface ProvidedContext {
    platformUrl: string;
    tokens: Record<"alice" | "bob" | "carol", string>;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const platform = await startLocalPlatform();
  const tokens = {
    alice: await platform.createUser("alice"),
    bob: await platform.createUser("bob"),
    carol: await platform.createUser("carol"),
  };
  project.provide("platformUrl", platform.url);
  project.provide("tokens", tokens);
  return () => platform.stop();
}
