// Chromium for the browser tests: launching it, signed-in contexts per person, and screenshots.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "playwright-core";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import { platformUrl, tokenOf, type Who } from "./stack.ts";

/** Chromium from the system packages; Playwright's own browser downloads are not used. */
const CHROMIUM_PATH = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
/** The longest any single page action or wait may take unless a test says otherwise. */
export const ACTION_TIMEOUT_MS = 15_000;
/** Where screenshots of the main screens go. */
export const SCREENSHOT_DIR = "test-artifacts/screenshots";

/** Starts a headless Chromium. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\``,
    );
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** Starts Chromium before the current file's tests and closes it after them; call at the top level. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium has not started");
    return browser;
  };
}

/** A fresh context (its own cookies and storage) on the platform, not signed in. */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: platformUrl(),
    viewport: { width: 1280, height: 860 },
    ...options,
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  return context;
}

/**
 * A context signed in as `who` through the same call the sign-in page makes; the session cookie
 * the platform sets lands in the context's cookie jar.
 */
export async function signedInContext(
  browser: Browser,
  who: Who,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await newContext(browser, options);
  const response = await context.request.post("/api/auth/session", {
    data: { token: tokenOf(who) },
    timeout: ACTION_TIMEOUT_MS,
  });
  if (!response.ok()) {
    await context.close();
    throw new Error(`signing ${who} in answered ${response.status()}: ${await response.text()}`);
  }
  return context;
}

/** Signs in through the sign-in page the way a person does: paste the token, press Sign in. */
export async function signInThroughPage(page: Page, who: Who): Promise<void> {
  await page.getByLabel("API token", { exact: true }).fill(tokenOf(who));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** Saves a PNG of what the page shows now (or of the whole page) as `test-artifacts/screenshots/NAME.png`. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}.png`),
    animations: "disabled",
    fullPage: options.fullPage ?? false,
  });
}

/**
 * Closes `context` when the current test ends; if the test failed, first saves a screenshot of
 * each of its pages (`failed-<label>-<n>.png`) to show what the person was looking at.
 */
export function closeAfterTest(context: BrowserContext, label: string): BrowserContext {
  onTestFinished(async ({ task }) => {
    if (task.result?.state === "fail") {
      let n = 0;
      for (const page of context.pages())
        await screenshot(page, `failed-${label}-${++n}`).catch(() => undefined);
    }
    await context.close();
  });
  return context;
}

/** How `pageFor` opens a person's page. */
export interface PageOptions {
  /** Signed in already (the default), or at the sign-in page the first address shows. */
  signedIn?: boolean;
  context?: BrowserContextOptions;
}

/** A page in a context of its own for `who`, closed when the current test ends. */
export async function pageFor(
  browser: Browser,
  who: Who,
  options: PageOptions = {},
): Promise<Page> {
  const context =
    options.signedIn === false
      ? await newContext(browser, options.context)
      : await signedInContext(browser, who, options.context);
  closeAfterTest(context, who);
  return context.newPage();
}
