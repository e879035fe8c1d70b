// Four tiers: unit tests in Node beside the code, integration tests inside workerd,
// end-to-end tests that drive a real `wrangler dev` over HTTP and WebSockets, and browser tests
// that drive the web app in Chromium against the same real platform.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef0123456789";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          include: ["{worker,durable-objects,registry,protocol,crypto,agent,orchestration,github,sandbox,sandbox-host,sandbox-images,web,scripts}/**/*.test.{ts,tsx}", "test/model-stand-in/**/*.test.ts", "test/github-stand-in/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const host = inject("sandboxHost");
            const modelUrl = inject("modelUrl");
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  SESSION_SECRET: TEST_SESSION_SECRET,
                  PUBLIC_URL: "http://tandem.test",
                  TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                  TEST_SANDBOX_HOST: JSON.stringify(host),
                  ANTHROPIC_BASE_URL: modelUrl,
                  ANTHROPIC_API_KEY: "test-model-key",
                  TANDEM_AGENT_RETRY_BASE_MS: "5",
                  ...("url" in host ? { SANDBOX_HOST_URL: host.url, SANDBOX_HOST_TOKEN: host.token } : { SANDBOX_HOST_URL: "", SANDBOX_HOST_TOKEN: "" }),
                },
              },
            };
          }),
        ],
        // FUZZ_SEED reaches the fuzz tests inside workerd as import.meta.env.FUZZ_SEED.
        envPrefix: ["VITE_", "FUZZ_"],
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/fuzz/**/*.test.ts", "test/security/**/*.test.ts"],
          setupFiles: ["test/integration/apply-migrations.ts"],
          globalSetup: ["test/integration/sandbox-host-setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const world = inject("githubWorld");
            const host = world.sandboxHost;
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  SESSION_SECRET: TEST_SESSION_SECRET,
                  PUBLIC_URL: "http://tandem.test",
                  TEST_MIGRATIONS: await readD1Migrations("./migrations"),
                  TEST_GITHUB_WORLD: JSON.stringify(world),
                  GITHUB_APP_ID: world.github.appId,
                  GITHUB_APP_PRIVATE_KEY: world.github.privateKey,
                  GITHUB_CLIENT_ID: world.github.clientId,
                  GITHUB_CLIENT_SECRET: world.github.clientSecret,
                  GITHUB_WEBHOOK_SECRET: world.github.webhookSecret,
                  GITHUB_API_URL: world.github.url,
                  GITHUB_WEB_URL: world.github.url,
                  TOKEN_ENCRYPTION_KEY: world.encryptionKey,
                  ANTHROPIC_BASE_URL: world.modelUrl,
                  ANTHROPIC_API_KEY: "test-model-key",
                  TANDEM_AGENT_RETRY_BASE_MS: "5",
                  ...("url" in host ? { SANDBOX_HOST_URL: host.url, SANDBOX_HOST_TOKEN: host.token } : { SANDBOX_HOST_URL: "", SANDBOX_HOST_TOKEN: "" }),
                },
              },
            };
          }),
        ],
        test: {
          name: "github",
          include: ["test/github/**/*.test.ts"],
          setupFiles: ["test/integration/apply-migrations.ts"],
          globalSetup: ["test/github/setup.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/global-setup.ts"],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
