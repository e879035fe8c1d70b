// An organisation's routing guide in the browser: the spaces stored through the API show in a
// table, a person adds one, the server's objection shows beside the form, and the saved guide
// is there after a reload.
import { expect, it } from "vitest";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { api, uniqueName } from "./support/stack.ts";

const browser = useBrowser();

it("lists the guide's spaces, adds one, shows what the server refuses, and keeps it saved", async () => {
  const org = uniqueName("acme");
  for (const name of ["web", "billing"])
    await api("alice", "POST", "/api/repositories", {
      repo: `${org}/${name}`,
      cloneUrl: `https://example.invalid/${org}/${name}.git`,
      warmPoolSize: 0,
    });
  await api("alice", "PUT", `/api/orgs/${org}/routing`, {
    spaces: [
      {
        name: "web",
        kind: "repository",
        repo: `${org}/web`,
        purpose: "The customer-facing web app: pages, forms and the design system.",
        coverage: ["ui", "checkout pages"],
      },
    ],
  });

  const alice = await pageFor(browser(), "alice");
  // The repositories page links each organisation's guide.
  await alice.goto("/repositories");
  await alice
    .getByRole("navigation", { name: "Routing guides" })
    .getByRole("link", { name: org })
    .click();
  await alice.getByRole("heading", { name: `Routing guide ${org}`, level: 1 }).waitFor();
  expect(new URL(alice.url()).pathname).toBe(`/orgs/${org}/routing`);

  const table = alice.getByRole("table");
  const row = (name: string) =>
    table.getByRole("row").filter({ has: alice.getByRole("rowheader", { name, exact: true }) });
  await row("web").getByText("checkout pages").waitFor();
  await alice.getByText("edited here or through the API").waitFor();

  // An environment space without its environment: the server says so, and the row is marked.
  await alice.getByRole("button", { name: "Add space" }).click();
  const editor = alice.getByRole("group", { name: "New space" });
  await editor.getByLabel("Name", { exact: true }).fill("billing-staging");
  await editor.getByLabel("Kind", { exact: true }).selectOption("environment");
  await editor.getByLabel("Repository", { exact: true }).fill(`${org}/billing`);
  await editor
    .getByLabel("Purpose", { exact: true })
    .fill("The billing service as deployed to staging.");
  await editor.getByLabel("Covers", { exact: true }).fill("invoices, tax, staging deploys");
  await screenshot(alice, "routing-guide-editing");
  await editor.getByRole("button", { name: "Done" }).click();
  await alice.getByText("Unsaved changes").waitFor();
  await alice.getByRole("button", { name: "Save guide" }).click();
  const refusal = alice.getByRole("alert").filter({ hasText: "names its environment" });
  await refusal.waitFor();
  expect(await row("billing-staging").getAttribute("class")).toContain("space-row-invalid");
  await screenshot(alice, "routing-guide-refused");

  // Naming the environment fixes it.
  await row("billing-staging").getByRole("button", { name: "Edit billing-staging" }).click();
  await alice
    .getByRole("group", { name: "Space billing-staging" })
    .getByLabel("Environment", { exact: true })
    .fill("staging");
  await alice.getByRole("button", { name: "Save guide" }).click();
  await refusal.waitFor({ state: "hidden" });
  await alice.getByText("Unsaved changes").waitFor({ state: "detached" });
  await alice.getByText("last updated").waitFor();

  await alice.reload();
  await row("billing-staging").getByText("staging", { exact: true }).waitFor();
  await row("billing-staging").getByText("invoices").waitFor();
  await row("web").waitFor();
  await screenshot(alice, "routing-guide");

  const stored = await api<{ guide: { spaces: { name: string; environment: string | null }[] } }>(
    "alice",
    "GET",
    `/api/orgs/${org}/routing`,
  );
  expect(stored.guide.spaces.map((space) => [space.name, space.environment])).toEqual([
    ["web", null],
    ["billing-staging", "staging"],
  ]);
});
