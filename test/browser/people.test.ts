// The people in a session, in the browser: the owner removes a collaborator from the share dialog's
// People list and the collaborator's open page says so; a collaborator leaves from the header.
import { describe, expect, it } from "vitest";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { composer } from "./support/session-page.ts";
import { createSession, createShareLink, sessionEvents, uniqueName } from "./support/stack.ts";

describe("people in a session, in the browser", () => {
  const browser = useBrowser();

  it("lets the owner remove a collaborator, whose open page then says they were removed", async () => {
    const title = uniqueName("Remove a collaborator");
    const sessionId = await createSession("alice", title);
    const link = await createShareLink("alice", sessionId, "collaborator");
    const bob = await pageFor(browser(), "bob");
    await bob.goto(link);
    await bob.getByRole("heading", { name: title, level: 1 }).waitFor();
    await composer(bob).waitFor();

    const alice = await pageFor(browser(), "alice");
    await alice.goto(`/sessions/${sessionId}`);
    await alice.getByText("bob joined as collaborator with a share link").waitFor();
    await alice.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = alice.getByRole("dialog", { name: "Share this session" });
    const people = dialog.getByRole("list", { name: "People in this session" });
    const bobRow = people.getByRole("listitem").filter({ hasText: "bob" });
    await bobRow.getByText("collaborator", { exact: true }).waitFor();
    const aliceRow = people.getByRole("listitem").filter({ hasText: "(you)" });
    await aliceRow.getByText("owner", { exact: true }).waitFor();
    // Nobody removes the owner, so her own row offers no button.
    expect(await aliceRow.getByRole("button").count()).toBe(0);
    await screenshot(alice, "share-dialog-people");

    await bobRow.getByRole("button", { name: "Remove bob from the session" }).click();
    const confirm = bobRow.getByRole("button", { name: "Remove bob", exact: true });
    await confirm.waitFor();
    await screenshot(alice, "share-dialog-remove-confirm");
    await confirm.click();
    await bobRow.waitFor({ state: "detached" });
    expect(await people.getByRole("listitem").count()).toBe(1);
    await dialog.getByRole("button", { name: "Close share dialog" }).click();
    await alice.getByText("alice removed bob from the session").waitFor();

    // Bob's page, still open, tells him and stops trying to reconnect.
    const banner = bob.getByRole("alert").filter({ hasText: "The owner removed you" });
    await banner.waitFor();
    expect(await banner.innerText()).toContain(
      "The owner removed you from this session. To come back, ask them for a new share link.",
    );
    expect(await composer(bob).count()).toBe(0);
    await screenshot(bob, "removed-from-session");
    await bob.waitForTimeout(2_000);
    expect(await bob.getByText("Offline — reconnecting…").count()).toBe(0);
    await banner.getByRole("link", { name: "Back to your sessions" }).click();
    await bob.getByRole("heading", { name: "Sessions", level: 1 }).waitFor();
    await bob.getByText("Loading sessions…").waitFor({ state: "hidden" });
    expect(await bob.getByRole("link", { name: title, exact: true }).count()).toBe(0);
  });

  it("lets a collaborator leave from the session header and takes them to their sessions", async () => {
    const title = uniqueName("Leave a session");
    const sessionId = await createSession("alice", title);
    const link = await createShareLink("alice", sessionId, "collaborator");
    const carol = await pageFor(browser(), "carol");
    await carol.goto(link);
    await carol.getByRole("heading", { name: title, level: 1 }).waitFor();
    // The owner has no Leave button; carol has.
    const alice = await pageFor(browser(), "alice");
    await alice.goto(`/sessions/${sessionId}`);
    await alice.getByRole("button", { name: "Share", exact: true }).waitFor();
    expect(await alice.getByRole("button", { name: "Leave", exact: true }).count()).toBe(0);

    await carol.getByRole("button", { name: "Leave", exact: true }).click();
    const dialog = carol.getByRole("dialog", { name: "Leave this session?" });
    await dialog.waitFor();
    await screenshot(carol, "leave-session");
    await dialog.getByRole("button", { name: "Leave session" }).click();
    await carol.getByRole("heading", { name: "Sessions", level: 1 }).waitFor();
    expect(new URL(carol.url()).pathname).toBe("/");
    await carol.getByText("Loading sessions…").waitFor({ state: "hidden" });
    expect(await carol.getByRole("link", { name: title, exact: true }).count()).toBe(0);
    await alice.getByText("carol left the session").waitFor();
    const last = (await sessionEvents("alice", sessionId)).at(-1);
    expect(last).toMatchObject({ type: "participant.removed", data: { reason: "left" } });
  });
});
