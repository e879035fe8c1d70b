// Sharing a session in the browser: a collaborator watches another person's prompt stream in live,
// and a viewer watches without being able to prompt.
import { describe, expect, it, onTestFinished } from "vitest";
import { pageFor, screenshot, signInThroughPage, useBrowser } from "./support/browser.ts";
import {
  composer,
  promptCard,
  promptState,
  sendPrompt,
  turn,
  turnText,
  waitForPartialText,
} from "./support/session-page.ts";
import {
  createSession,
  createShareLink,
  setScript,
  stopAgent,
  uniqueName,
} from "./support/stack.ts";

/** Long enough that, at the pacing below, the answer streams for several seconds. */
const STREAMED_ANSWER =
  "I looked at the failing test first. The parser reads the header line twice when the file " +
  "ends without a newline, so the second read returns an empty record and the count is off by " +
  "one. The fix is to stop at the end of input before asking for another line. I also added a " +
  "test with a file that has no trailing newline, and one with only a header.";

describe("a shared session in the browser", () => {
  const browser = useBrowser();

  it("streams alice's prompt and the agent's answer live to bob, who joined by her link", async () => {
    const script = uniqueName("shared-stream");
    await setScript(script, {
      responses: [
        { content: [{ type: "text", text: STREAMED_ANSWER }], pacing: { chunkDelayMs: 30 } },
      ],
    });
    const title = uniqueName("Shared parser fix");

    // Alice finds her new session in her list, opens it, and makes a collaborator link.
    const sessionId = await createSession("alice", title);
    onTestFinished(() => stopAgent("alice", sessionId));
    const alice = await pageFor(browser(), "alice");
    await alice.goto("/");
    await alice.getByRole("link", { name: title, exact: true }).click();
    await alice.getByRole("heading", { name: title, level: 1 }).waitFor();
    expect(alice.url()).toContain(`/sessions/${sessionId}`);

    await alice.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = alice.getByRole("dialog", { name: "Share this session" });
    await dialog.waitFor();
    expect(await dialog.getByRole("radio", { name: /collaborator/ }).isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Create link" }).click();
    const linkField = dialog.getByLabel("Share link URL");
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toContain(`/join/${sessionId}#`);
    await screenshot(alice, "share-dialog");
    await dialog.getByRole("button", { name: "Close share dialog" }).click();
    await dialog.waitFor({ state: "hidden" });

    // Bob opens the link signed out, signs in on the page it shows, and lands in the session.
    const bob = await pageFor(browser(), "bob", { signedIn: false });
    await bob.goto(link);
    await signInThroughPage(bob, "bob");
    await bob.getByRole("heading", { name: title, level: 1 }).waitFor();
    expect(bob.url()).toContain(`/sessions/${sessionId}`);
    await bob.getByText("bob joined as collaborator with a share link").waitFor();
    await composer(bob).waitFor();

    const prompt = `Why does the row count come out one too high? [script:${script}]`;
    await sendPrompt(alice, prompt);

    // Bob sees the prompt under alice's name, then the answer arriving piece by piece.
    const card = promptCard(bob, "alice", prompt);
    await card.waitFor();
    expect(await card.locator(".prompt-card-author").innerText()).toBe("alice");
    const partial = await waitForPartialText(bob, ".turn .turn-text", STREAMED_ANSWER, 20_000);
    expect(STREAMED_ANSWER.startsWith(partial.trim())).toBe(true);
    await screenshot(bob, "session-streaming");

    const bobTurn = turn(bob, "alice’s prompt “Why does the row count");
    await bobTurn.getByText(STREAMED_ANSWER, { exact: true }).waitFor({ timeout: 30_000 });
    await promptState(card).getByText("done").waitFor();
    expect((await turnText(bobTurn).innerText()).trim()).toBe(STREAMED_ANSWER);
    expect((await turnText(turn(alice, "alice’s prompt “Why does")).innerText()).trim()).toBe(
      STREAMED_ANSWER,
    );

    // Back in alice's list, the session is idle again.
    await alice.getByRole("link", { name: "← All sessions" }).click();
    const row = alice
      .getByRole("listitem")
      .filter({ has: alice.getByRole("link", { name: title }) });
    await row.getByText("idle", { exact: true }).waitFor();
    await screenshot(alice, "sessions-list");
  });

  it("lets a viewer who joined by a viewer link watch, but not prompt or stop", async () => {
    const script = uniqueName("viewer-watch");
    await setScript(script, {
      responses: [
        {
          content: [{ type: "text", text: "Working through it." }],
          faults: [{ kind: "hang", times: 1_000 }],
        },
      ],
    });
    const title = uniqueName("Viewer watch");
    const sessionId = await createSession("alice", title);
    onTestFinished(() => stopAgent("alice", sessionId));
    const link = await createShareLink("alice", sessionId, "viewer");

    const alice = await pageFor(browser(), "alice");
    await alice.goto(`/sessions/${sessionId}`);
    const carol = await pageFor(browser(), "carol");
    await carol.goto(link);
    await carol.getByRole("heading", { name: title, level: 1 }).waitFor();
    await carol.getByText("carol joined as viewer with a share link").waitFor();

    // A turn is running, so a Stop button would show to anyone allowed to stop it.
    const prompt = `Hold on to this one [script:${script}]`;
    await sendPrompt(alice, prompt);
    await promptState(promptCard(carol, "alice", prompt))
      .getByText("running")
      .waitFor();
    await alice.getByRole("button", { name: /^Stop the agent working on/ }).waitFor();

    await carol
      .getByText("You are watching as a viewer; only the owner and collaborators can prompt.")
      .waitFor();
    expect(await composer(carol).count()).toBe(0);
    expect(await carol.getByRole("button", { name: "Send", exact: true }).count()).toBe(0);
    expect(await carol.getByRole("button", { name: /Stop/ }).count()).toBe(0);
    expect(await carol.getByRole("button", { name: "Share", exact: true }).count()).toBe(0);
    expect(await carol.getByText("you are viewer").count()).toBe(1);
    await screenshot(carol, "viewer-view");
  });
});
