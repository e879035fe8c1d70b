// Asking the organisation from the sessions page: Tandem cannot tell the space, so the form asks
// once with a button per candidate space; choosing one opens the session there, and its timeline
// says where the request was routed and why.
import { expect, it, onTestFinished } from "vitest";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { api, setScript, stopAgent, uniqueName } from "./support/stack.ts";

const browser = useBrowser();

/** An organisation with an API repository and a shop deployed to staging and production. */
async function orgWithGuide(): Promise<string> {
  const org = uniqueName("acme");
  for (const name of ["api", "shop"])
    await api("alice", "POST", "/api/repositories", {
      repo: `${org}/${name}`,
      cloneUrl: `https://example.invalid/${org}/${name}.git`,
      warmPoolSize: 0,
    });
  const space = (name: string, repo: string, environment: string | null, purpose: string) => ({
    name,
    kind: environment ? "environment" : "repository",
    repo: `${org}/${repo}`,
    environment,
    purpose,
    coverage: [],
  });
  await api("alice", "PUT", `/api/orgs/${org}/routing`, {
    spaces: [
      space("api", "api", null, "The public HTTP API."),
      space("staging", "shop", "staging", "Pre-release shop."),
      space("production", "shop", "production", "The live shop."),
    ],
  });
  return org;
}

it("asks which space is meant, then opens the session in the space the person chose", async () => {
  const org = await orgWithGuide();
  const classifier = uniqueName("route");
  await setScript(classifier, {
    responses: [
      {
        // Held back long enough to see the form waiting for the route.
        pacing: { firstTokenDelayMs: 1_000 },
        content: [
          {
            type: "text",
            text: '{"route":"unknown","question":"Staging or production?","candidates":["staging","production"]}',
          },
        ],
      },
    ],
  });
  const request = `Turn the cache off [script:${classifier}]`;

  const alice = await pageFor(browser(), "alice");
  await alice.goto("/");
  await alice.getByRole("button", { name: "New session" }).waitFor();
  await alice.getByRole("button", { name: "Ask the organisation" }).click();
  const form = alice.getByRole("form", { name: "Ask the organisation" });
  await form.waitFor();

  // The tabs switch between starting on a repository and asking the organisation, by keyboard too.
  const tab = (name: string) => alice.getByRole("tab", { name, exact: true });
  await tab("Ask the organisation").press("ArrowLeft");
  await alice.getByRole("form", { name: "New session" }).waitFor();
  expect(await tab("On a repository").getAttribute("aria-selected")).toBe("true");
  await alice.keyboard.press("ArrowRight");
  await form.waitFor();
  expect(await tab("Ask the organisation").evaluate((el) => el === document.activeElement)).toBe(
    true,
  );

  await form.getByLabel("Organisation", { exact: true }).selectOption(org);
  await form.getByLabel("Request", { exact: true }).fill(request);
  await form.getByRole("button", { name: "Send", exact: true }).click();

  // While the classifier thinks, the form says so and cannot be sent twice.
  await form
    .getByRole("status")
    .filter({ hasText: "Tandem is choosing where this goes" })
    .waitFor();
  expect(await form.getByRole("button", { name: "Routing…" }).isDisabled()).toBe(true);

  // Asked once: one button per candidate space, each with what the space is for.
  const question = form.getByRole("region", { name: "Staging or production?" });
  await question.waitFor();
  const spaces = question.getByRole("list", { name: "Spaces" }).getByRole("button");
  await expect.poll(() => spaces.count()).toBe(2);
  await question.getByText("Pre-release shop.").waitFor();
  expect(await form.getByLabel("Request", { exact: true }).isDisabled()).toBe(true);
  await screenshot(alice, "route-request-question");

  await question.getByRole("button", { name: "staging", exact: true }).click();
  await alice.waitForURL(/\/sessions\/ses_/);
  const sessionId = new URL(alice.url()).pathname.split("/").pop()!;
  onTestFinished(() => stopAgent("alice", sessionId));
  await alice
    .getByText("Routed to the space staging by choice: the person chose it", { exact: false })
    .waitFor();
  await screenshot(alice, "route-request-session");

  const { session } = await api<{ session: { repo: string } }>(
    "alice",
    "GET",
    `/api/sessions/${sessionId}`,
  );
  expect(session.repo).toBe(`${org}/shop`);
});
