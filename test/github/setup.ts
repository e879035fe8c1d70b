// Starts the GitHub stand-in, the model stand-in and a real sandbox host for the GitHub tests,
// which run the Worker inside workerd with GitHub configured against the stand-in.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { sandboxTestsUnavailable, startTestHost } from "../../sandbox-host/test-host.ts";
import { startGitHubStandIn } from "../github-stand-in/server.ts";
import { startModelStandIn } from "../model-stand-in/server.ts";

/** What the GitHub tests' Worker is configured with. */
export interface GitHubTestWorld {
  github: {
    url: string;
    appId: string;
    clientId: string;
    clientSecret: string;
    webhookSecret: string;
    privateKey: string;
  };
  modelUrl: string;
  encryptionKey: string;
  sandboxHost: { url: string; token: string } | { unavailable: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    githubWorld: GitHubTestWorld;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const unavailable = sandboxTestsUnavailable();
  const [github, model, host] = await Promise.all([
    startGitHubStandIn({
      users: [
        { login: "demo" },
        { login: "alice", name: "Alice Liddell", email: "alice@example.com" },
        { login: "bob", name: "Bob Builder" },
        { login: "carol" },
      ],
      repos: [
        {
          owner: "demo",
          name: "stats",
          demo: true,
          collaborators: [
            { login: "alice", permission: "push" },
            { login: "bob", permission: "push" },
          ],
        },
      ],
    }),
    startModelStandIn({ seed: 13 }),
    unavailable ? Promise.resolve(null) : startTestHost(),
  ]);
  project.provide("githubWorld", {
    github: {
      url: github.url,
      appId: String(github.app.id),
      clientId: github.app.clientId,
      clientSecret: github.app.clientSecret,
      webhookSecret: github.app.webhookSecret,
      privateKey: github.app.privateKeyPkcs8,
    },
    modelUrl: model.url,
    encryptionKey: randomBytes(32).toString("base64url"),
    sandboxHost: host
      ? { url: host.host.url, token: host.config.token }
      : { unavailable: unavailable! },
  });
  return async () => {
    await Promise.all([github.stop(), model.stop(), host?.stop()]);
  };
}
