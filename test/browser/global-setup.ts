// Starts the model stand-in and the real platform once for the browser tests, with three people.
import type { TestProject } from "vitest/node";
import { startLocalPlatform } from "../../scripts/local-platform.ts";
import { startModelStandIn } from "../model-stand-in/server.ts";

/** What every browser test reaches: the platform, the stand-in's control API, and people's API tokens. */
export interface BrowserStack {
  platformUrl: string;
  standInUrl: string;
  tokens: Record<"alice" | "bob" | "carol", string>;
}

declare module "vitest" {
  export interface ProvidedContext {
    browserStack: BrowserStack;
  }
}

/** Starts the stack, provides `browserStack`, and returns its teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const standIn = await startModelStandIn({ seed: 11 });
  const platform = await startLocalPlatform({
    vars: { ANTHROPIC_BASE_URL: standIn.url, ANTHROPIC_API_KEY: "browser-key" },
  }).catch(async (error: unknown) => {
    await standIn.stop();
    throw error;
  });
  try {
    project.provide("browserStack", {
      platformUrl: platform.url,
      standInUrl: standIn.url,
      tokens: {
        alice: await platform.createUser("alice"),
        bob: await platform.createUser("bob"),
        carol: await platform.createUser("carol"),
      },
    });
  } catch (error) {
    await platform.stop();
    await standIn.stop();
    throw error;
  }
  return async () => {
    await platform.stop();
    await standIn.stop();
  };
}
