// Sessions working together, in the browser: a lead session's agent starts a child and mails it,
// and the team panel shows the child, its state and its inbox, and links the two sessions' pages.
import { expect, it, onTestFinished } from "vitest";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { sendPrompt } from "./support/session-page.ts";
import { call, mailIn, say, teammate, teamPanel } from "./support/team-panel.ts";
import { createSession, setScript, stopAgent, uniqueName } from "./support/stack.ts";

const browser = useBrowser();

it("shows the scout the agent started, its state and inbox, and links parent and child", async () => {
  const childScript = uniqueName("scout");
  const leadScript = uniqueName("lead");
  const note = "Check the header handling first.";
  const findings = "The parser reads the header line twice when the file has no final newline.";
  // The child answers its first prompt, then reads the mail that wakes it.
  await setScript(childScript, {
    responses: [say(findings), call("read_inbox", {}), say("Read the lead's note.")],
  });
  await setScript(leadScript, {
    responses: [
      call("spawn_session", {
        prompt: `Look around the CSV parser. [script:${childScript}]`,
        title: "Scout the parser",
        role: "explorer",
        name: "scout",
      }),
      call("send_message", { to: "scout", text: note }),
      call("wait_for_sessions", { sessions: ["scout"], timeout_seconds: 20 }),
      say("The scout has reported back."),
    ],
  });
  const title = uniqueName("Team lead");
  const sessionId = await createSession("alice", title);
  onTestFinished(() => stopAgent("alice", sessionId));

  const alice = await pageFor(browser(), "alice");
  await alice.goto(`/sessions/${sessionId}`);
  await alice.getByRole("heading", { name: title, level: 1 }).waitFor();
  // A session on its own shows no team panel.
  expect(await teamPanel(alice).count()).toBe(0);

  await sendPrompt(alice, `Split the parser work with a scout. [script:${leadScript}]`);

  // The panel appears once the child is started, and follows it until it is idle.
  const scout = teammate(alice, "scout");
  await scout.waitFor({ timeout: 30_000 });
  expect(await scout.getByText("explorer", { exact: true }).count()).toBe(1);
  expect(await scout.getByText("Scout the parser").count()).toBe(1);
  await scout.locator(".badge-member-idle").waitFor({ timeout: 30_000 });
  await scout.getByText("Last turn done").waitFor();
  await expect.poll(() => scout.locator(".team-summary").innerText()).not.toBe("");
  const lead = teamPanel(alice).locator(".team-self");
  expect(await lead.locator(".team-self-name").innerText()).toBe("lead");

  // The child's inbox, folded per child, holds the lead's message.
  await teamPanel(alice).getByText("Inbox of scout").click();
  const childInbox = teamPanel(alice).getByRole("list", { name: "Inbox of scout" });
  await mailIn(childInbox, "lead", note).waitFor();
  await alice.evaluate(() => window.scrollTo(0, 0));
  await screenshot(alice, "team-panel");
  await teamPanel(alice).screenshot({ path: "test-artifacts/screenshots/team-panel-close.png" });

  // The child's link opens its own page, which names the lead as its parent.
  await scout.getByRole("link", { name: "scout", exact: true }).click();
  await alice.getByRole("heading", { name: "Scout the parser", level: 1 }).waitFor();
  await alice.locator(".turn-text").getByText(findings).waitFor();
  expect(alice.url()).not.toContain(sessionId);
  const parent = teamPanel(alice).getByRole("link", { name: `Parent session: ${title}` });
  await parent.waitFor();
  const ownInbox = teamPanel(alice).getByRole("list", { name: "This session’s inbox" });
  await mailIn(ownInbox, "lead", note).waitFor();
  expect(await teamPanel(alice).locator(".team-self-name").innerText()).toBe("scout");
  await screenshot(alice, "team-panel-child");

  await parent.click();
  await alice.getByRole("heading", { name: title, level: 1 }).waitFor();
  expect(alice.url()).toContain(`/sessions/${sessionId}`);
});
