// The agent in a real session: the Session object runs scripted turns from the model stand-in,
// with tools in a real sandbox, and commits each turn's changes as the person who asked.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import type { SessionEvent } from "../../protocol/events.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { openDatabase } from "../../worker/db/database.ts";
import { users } from "../../worker/db/index.sql.ts";
import { registerWithImage, share, signUp, type TestPerson } from "./helpers.ts";
import type { ScriptInput } from "../model-stand-in/script.ts";
import { putModelScript } from "../support/model-script.ts";

const host = JSON.parse(env.TEST_SANDBOX_HOST) as
  { url: string; repoDir: string; commits: string[] } | { unavailable: string };
const available = "url" in host;

async function script(name: string, responses: ScriptInput["responses"]): Promise<string> {
  const response = await putModelScript(env.ANTHROPIC_BASE_URL, name, { responses });
  expect(response.status).toBe(200);
  return `[script:${name}]`;
}

async function eventsOf(person: TestPerson, sessionId: string): Promise<SessionEvent[]> {
  return (
    (await (await person.api(`/api/sessions/${sessionId}/events?limit=1000`)).json()) as {
      events: SessionEvent[];
    }
  ).events;
}

async function finished(person: TestPerson, sessionId: string, count: number) {
  await expect
    .poll(
      async () =>
        (await eventsOf(person, sessionId)).filter((e) => e.type === "prompt.finished").length,
      { timeout: 30_000 },
    )
    .toBe(count);
  return eventsOf(person, sessionId);
}

describe.skipIf(!available)("the agent in a session", () => {
  const demo = host as { url: string; repoDir: string; commits: string[] };

  it("reads and writes in the session's sandbox and commits as each person who asked", async () => {
    const alice = await signUp();
    const bob = await signUp();
    await openDatabase(env.DB)
      .update(users)
      .set({ email: "bob@example.com" })
      .where(eq(users.id, bob.user.id));
    await registerWithImage(alice, "acme/agent", demo.repoDir, demo.commits[0]!);

    const marker = await script("agent-two-authors", [
      {
        content: [
          { type: "text", text: "Reading the README first." },
          { type: "tool_use", id: "toolu_a1", name: "read_file", input: { path: "README.md" } },
          {
            type: "tool_use",
            id: "toolu_a2",
            name: "write_file",
            input: { path: "NOTES.md", content: "alice's note\n" },
          },
        ],
      },
      { content: [{ type: "text", text: "Wrote NOTES.md." }] },
      {
        content: [
          {
            type: "tool_use",
            id: "toolu_b1",
            name: "edit_file",
            input: { path: "NOTES.md", old_string: "alice's note", new_string: "bob's note" },
          },
        ],
      },
      { content: [{ type: "text", text: "Edited the note." }] },
    ]);
    const created = await alice.api("/api/sessions", {
      body: {
        repo: "acme/agent",
        title: "notes",
        prompt: { clientId: "a", text: `Add a notes file ${marker}` },
        spendLimitUsd: 5,
      },
    });
    const sessionId = ((await created.json()) as { session: SessionView }).session.id;
    let events = await finished(alice, sessionId, 1);
    expect(events.find((e) => e.type === "prompt.finished")?.data).toMatchObject({
      state: "done",
    });
    const tools = events.flatMap((e) =>
      e.type === "agent.tool_finished" ? [[e.data.name, e.data.status]] : [],
    );
    expect(tools).toEqual([
      ["read_file", "ok"],
      ["write_file", "ok"],
    ]);
    const readOutput = events.find(
      (e) => e.type === "agent.tool_finished" && e.data.name === "read_file",
    );
    expect(readOutput?.type === "agent.tool_finished" && readOutput.data.output).toContain("demo");
    expect(events.flatMap((e) => (e.type === "agent.text" ? [e.data.text] : []))).toEqual([
      "Reading the README first.",
      "Wrote NOTES.md.",
    ]);

    // Bob follows up; his turn's commit is his.
    await share(alice, sessionId, bob, "collaborator");
    await bob.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "b", text: "Make the note mine" },
    });
    events = await finished(alice, sessionId, 2);
    const commits = events.flatMap((e) => (e.type === "commit.created" ? [e.data] : []));
    expect(commits.map((c) => [c.author, c.files, c.branch])).toEqual([
      [
        { name: alice.user.name, email: `${alice.user.login}@users.noreply.github.com` },
        ["NOTES.md"],
        `tandem/${sessionId}`,
      ],
      [{ name: bob.user.name, email: "bob@example.com" }, ["NOTES.md"], `tandem/${sessionId}`],
    ]);
    expect(commits[0]!.message).toMatch(/^Add a notes file/);

    // The commits are in the workspace's history with those authors.
    const sandboxId = events
      .flatMap((e) => (e.type === "sandbox.status" && e.data.sandboxId ? [e.data.sandboxId] : []))
      .at(-1)!;
    const log = await sandboxProviderFrom(env)!.exec(sandboxId, {
      argv: ["git", "log", "-2", "--format=%an <%ae> | %cn"],
    });
    expect(atob(log.stdout).trim().split("\n")).toEqual([
      `${bob.user.name} <bob@example.com> | Tandem`,
      `${alice.user.name} <${alice.user.login}@users.noreply.github.com> | Tandem`,
    ]);

    // Usage adds up across the turns and is in the view.
    const { session } = (await (await alice.api(`/api/sessions/${sessionId}`)).json()) as {
      session: SessionView;
    };
    expect(session.usage.costUsd).toBeGreaterThan(0);
    expect(session.spendLimitUsd).toBe(5);
    const lastUsage = events.filter((e) => e.type === "agent.usage").at(-1);
    expect(lastUsage?.type === "agent.usage" && lastUsage.data.session.costUsd).toBeCloseTo(
      session.usage.costUsd,
      10,
    );
  });

  it("lets only the owner change the model and the spend limit", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const sessionId = (
      (await (
        await alice.api("/api/sessions", { body: { repo: "acme/settings", title: "s" } })
      ).json()) as { session: SessionView }
    ).session.id;
    await share(alice, sessionId, bob, "collaborator");
    const changed = await alice.api(`/api/sessions/${sessionId}/settings`, {
      method: "PATCH",
      body: { model: "claude-haiku-4-5", spendLimitUsd: 2.5 },
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { session: SessionView }).session).toMatchObject({
      model: "claude-haiku-4-5",
      spendLimitUsd: 2.5,
    });
    const refused = await bob.api(`/api/sessions/${sessionId}/settings`, {
      method: "PATCH",
      body: { spendLimitUsd: null },
    });
    expect(refused.status).toBe(403);
    const empty = await alice.api(`/api/sessions/${sessionId}/settings`, {
      method: "PATCH",
      body: {},
    });
    expect(empty.status).toBe(400);
    const events = await eventsOf(alice, sessionId);
    expect(events.filter((e) => e.type === "session.settings_changed").map((e) => e.data)).toEqual([
      { model: "claude-haiku-4-5", spendLimitUsd: 2.5 },
    ]);
  });

  it("fails a turn clearly when the model keeps refusing, and the queue moves on", async () => {
    const alice = await signUp();
    const marker = await script("agent-storm", [
      {
        faults: [{ kind: "status", status: 529, retryAfterMs: 1, times: 6 }],
        content: [{ type: "text", text: "never" }],
      },
    ]);
    const created = await alice.api("/api/sessions", {
      body: { repo: "acme/storm", title: "storm", prompt: { clientId: "a", text: `go ${marker}` } },
    });
    const sessionId = ((await created.json()) as { session: SessionView }).session.id;
    await alice.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "b", text: "and then this" },
    });
    const events = await finished(alice, sessionId, 2);
    const retries = events.filter((e) => e.type === "agent.retrying");
    expect(retries.length).toBe(5);
    const outcomes = events.flatMap((e) => (e.type === "prompt.finished" ? [e.data] : []));
    expect(outcomes[0]).toMatchObject({ state: "failed" });
    expect(outcomes[0]!.reason).toMatch(/after 6 attempts: the model is overloaded \(529\)/);
    expect(outcomes[1]).toMatchObject({ state: "done" });
  });
});
