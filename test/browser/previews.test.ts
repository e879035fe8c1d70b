// Previews in the browser: the agent starts a web server in the sandbox and publishes its port,
// the Previews panel shows it as it happens, and Open shows the server's page in a new tab, on the
// preview's own origin, where the page's WebSocket reaches the server too. A platform of its own, with a real sandbox host daemon.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret } from "../../crypto/digest.ts";
import { startLocalPlatform, type LocalPlatform } from "../../scripts/local-platform.ts";
import { startDaemon, type TestDaemon } from "../../sandbox-host/test-daemon.ts";
import { sandboxTestsUnavailable } from "../../sandbox-host/test-host.ts";
import { makeTestRepo } from "../../sandbox/test-repo.ts";
import { platformApi } from "../e2e/platform-api.ts";
import { startModelStandIn, type ModelStandIn } from "../model-stand-in/server.ts";
import { PREVIEW_SERVER } from "../support/preview-server.ts";
import { closeAfterTest, screenshot, useBrowser } from "./support/browser.ts";
import { sendPrompt } from "./support/session-page.ts";

const unavailable = sandboxTestsUnavailable();
const browser = useBrowser();
const PORT = 8000;

describe.skipIf(unavailable !== null)(
  `previews${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let model: ModelStandIn;
    let daemon: TestDaemon;
    let platform: LocalPlatform;
    let stateDir: string;
    let token: string;
    const hostToken = randomSecret("hst");
    const { api } = platformApi(
      () => platform.url,
      () => token,
    );

    beforeAll(async () => {
      stateDir = await mkdtemp(join(tmpdir(), "tandem-previews-"));
      [model, daemon] = await Promise.all([
        startModelStandIn({ seed: 17 }),
        startDaemon({ stateDir, token: hostToken }),
      ]);
      platform = await startLocalPlatform({
        vars: {
          ANTHROPIC_BASE_URL: model.url,
          ANTHROPIC_API_KEY: "browser-key",
          SANDBOX_HOST_URL: daemon.url,
          SANDBOX_HOST_TOKEN: hostToken,
        },
      });
      token = await platform.createUser("previewer");
    }, 240_000);
    afterAll(async () => {
      await platform?.stop();
      await Promise.all([model?.stop(), daemon?.kill("SIGTERM")]);
      if (stateDir) await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
    });

    it("shows the port the agent published as it happens, and opens its page on its own origin", async () => {
      const repo = await makeTestRepo({ "README.md": "previews\n" });
      await api("/api/repositories", { repo: "acme/site", cloneUrl: repo.dir, warmPoolSize: 0 });
      const { imageId } = await api<{ imageId: string }>("/api/repositories/acme/site/images", {
        commit: repo.commits[0],
      });
      await expect
        .poll(
          async () =>
            (await api<{ pool: { currentImageId: string | null } }>("/api/repositories/acme/site"))
              .pool.currentImageId,
          { timeout: 60_000 },
        )
        .toBe(imageId);
      model.setScript("preview-site", {
        responses: [
          {
            content: [
              {
                type: "tool_use",
                id: "toolu_w",
                name: "write_file",
                input: { path: "preview_server.py", content: PREVIEW_SERVER },
              },
            ],
          },
          {
            content: [
              {
                type: "tool_use",
                id: "toolu_r",
                name: "run_command",
                input: {
                  command: `setsid -f python3 preview_server.py ${PORT} > /tmp/server.log 2>&1; sleep 1; cat /tmp/server.log`,
                },
              },
            ],
          },
          {
            content: [
              {
                type: "tool_use",
                id: "toolu_e",
                name: "expose_port",
                input: { port: PORT, label: "demo site" },
              },
            ],
          },
          {
            content: [
              { type: "text", text: "The demo site is up: open it from the Previews panel." },
            ],
          },
        ],
      });
      const { session } = await api<{ session: { id: string } }>("/api/sessions", {
        repo: "acme/site",
        title: "A site to preview",
      });

      const context = closeAfterTest(
        await browser().newContext({
          baseURL: platform.url,
          viewport: { width: 1280, height: 860 },
        }),
        "previewer",
      );
      const signedIn = await context.request.post("/api/auth/session", { data: { token } });
      expect(signedIn.ok()).toBe(true);
      const page = await context.newPage();
      await page.goto(`/sessions/${session.id}`);
      await page.getByRole("heading", { name: "A site to preview", level: 1 }).waitFor();
      // Nothing is published yet (the panel itself may already show, once a sandbox is starting).
      const panel = page.locator(".previews-panel");
      expect(await panel.getByRole("listitem").count()).toBe(0);

      await sendPrompt(page, "Build a small site and show it to us. [script:preview-site]");
      const preview = panel.getByRole("listitem", { name: `Preview demo site, port ${PORT}` });
      await preview.waitFor({ timeout: 60_000 });
      expect(await preview.getByText("by the agent").count()).toBe(1);
      expect(await preview.locator(".preview-host").innerText()).toBe(
        `${session.id.replace("_", "-")}--${PORT}.localhost:${new URL(platform.url).port}`,
      );
      await page.getByText("The demo site is up").waitFor({ timeout: 30_000 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, "previews-panel");

      const [opened] = await Promise.all([
        context.waitForEvent("page"),
        preview.getByRole("link", { name: "Open demo site in a new tab" }).click(),
      ]);
      await opened.getByRole("heading", { name: "Hello from the sandbox" }).waitFor();
      const url = new URL(opened.url());
      expect(url.host).toBe(
        `${session.id.replace("_", "-")}--${PORT}.localhost:${new URL(platform.url).port}`,
      );
      // The sign-in link is gone from the address; the preview's origin keeps its own cookie.
      expect(url.pathname).toBe("/");
      expect(url.search).toBe("");
      expect(await opened.title()).toBe("Demo app");
      // The page's WebSocket reaches the server through the preview's origin too.
      await opened.getByText("echo: hello over the socket").waitFor();
      const cookies = await context.cookies(url.origin);
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([
        ["tandem_preview", true, "Lax"],
      ]);
      await screenshot(opened, "preview-opened");

      // A port published by hand, with nothing listening on it: its page says so and retries.
      await panel.getByText("Publish a port").click();
      await panel.getByLabel("Port", { exact: true }).fill("8001");
      await panel.getByLabel("Name (optional)", { exact: true }).fill("api");
      await panel.getByRole("button", { name: "Publish" }).click();
      const byHand = panel.getByRole("listitem", { name: "Preview api, port 8001" });
      await byHand.getByText("Published by previewer").waitFor();
      const [waiting] = await Promise.all([
        context.waitForEvent("page"),
        byHand.getByRole("link", { name: "Open api in a new tab" }).click(),
      ]);
      await waiting.getByRole("heading", { name: "Nothing answers on this port yet" }).waitFor();
      expect(await waiting.getByText("port_unreachable").count()).toBe(1);
      await screenshot(waiting, "preview-port-unreachable");
      await page.bringToFront();
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, "previews-panel-two");
    });
  },
);
