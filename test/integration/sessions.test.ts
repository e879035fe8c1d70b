import { describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import type { SessionEvent } from "../../protocol/events.ts";
import { createSession, holdingTurn, share, signUp } from "./helpers.ts";

describe("sessions over HTTP", () => {
  it("creates a session with a first prompt and lists it for its owner only", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const created = await alice.api("/api/sessions", {
      body: {
        repo: "acme/widgets",
        title: "Speed up the build",
        prompt: { clientId: "first", text: `Make CI faster ${await holdingTurn()}` },
      },
    });
    expect(created.status).toBe(201);
    const { session } = (await created.json()) as { session: SessionView };
    expect(session).toMatchObject({
      repo: "acme/widgets",
      title: "Speed up the build",
      role: "owner",
    });
    expect(session.id).toMatch(/^ses_/);
    // The agent takes the first prompt at once.
    expect([session.queue.running?.text, session.queue.running?.author.login]).toEqual([
      `Make CI faster ${await holdingTurn()}`,
      alice.user.login,
    ]);

    const mine = (await (await alice.api("/api/sessions")).json()) as {
      sessions: { id: string; status: string }[];
    };
    expect(mine.sessions).toEqual([
      expect.objectContaining({ id: session.id, status: "running", role: "owner" }),
    ]);
    const theirs = (await (await bob.api("/api/sessions")).json()) as { sessions: unknown[] };
    expect(theirs.sessions).toEqual([]);
  });

  it("searches my sessions by title and repository", async () => {
    const alice = await signUp();
    await createSession(alice, { repo: "acme/api", title: "Fix 100% CPU in the parser" });
    await createSession(alice, { repo: "acme/web", title: "Dark mode" });
    const search = async (q: string) =>
      (
        (await (await alice.api(`/api/sessions?q=${encodeURIComponent(q)}`)).json()) as {
          sessions: { title: string }[];
        }
      ).sessions.map((s) => s.title);
    expect(await search("parser")).toEqual(["Fix 100% CPU in the parser"]);
    expect(await search("acme/web")).toEqual(["Dark mode"]);
    expect(await search("100%")).toEqual(["Fix 100% CPU in the parser"]);
    expect(await search("_")).toEqual([]);
    expect(await search("DARK")).toEqual(["Dark mode"]);
    // Longer than D1 allows a LIKE pattern to be: still a search, not a failure.
    expect(await search(`${"%_".repeat(60)}parser`)).toEqual([]);
    expect(await search("fix 100% cpu in the parser".padStart(120, " "))).toEqual([
      "Fix 100% CPU in the parser",
    ]);
  });

  it("answers invalid input with a typed 400 that names the problem", async () => {
    const alice = await signUp();
    const bad = await alice.api("/api/sessions", { body: { repo: "not a repo", title: "x" } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.message).toContain("repo");
    const notJson = await alice.api("/api/sessions", {
      body: "{nope",
      headers: { "Content-Type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    const empty = await alice.api("/api/sessions", {
      body: { repo: "a/b", title: "t", prompt: { clientId: "x", text: "   " } },
    });
    expect(((await empty.json()) as { error: { message: string } }).error.message).toContain(
      "empty",
    );
  });

  it("refuses oversize bodies with payload_too_large", async () => {
    const alice = await signUp();
    const response = await alice.api("/api/sessions", {
      body: { repo: "a/b", title: "t", pad: "x".repeat(300 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it("hides a session from people who do not take part in it", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    for (const path of [
      `/api/sessions/${id}`,
      `/api/sessions/${id}/events`,
      `/api/sessions/${id}/share-links`,
    ]) {
      const response = await mallory.api(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(
      (await mallory.api(`/api/sessions/${id}/prompts`, { body: { clientId: "m", text: "hi" } }))
        .status,
    ).toBe(404);
    expect((await mallory.api(`/api/sessions/${id}/stop`, { body: {} })).status).toBe(404);
    expect((await mallory.api(`/api/sessions/ses_nonexistent`)).status).toBe(404);
  });

  it("queues prompts in order with their authors, once per client id", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    const hold = await holdingTurn();
    await alice.api(`/api/sessions/${id}/prompts`, { body: { clientId: "h", text: hold } });
    const first = await alice.api(`/api/sessions/${id}/prompts`, {
      body: { clientId: "a1", text: "one" },
    });
    expect(first.status).toBe(201);
    const again = await alice.api(`/api/sessions/${id}/prompts`, {
      body: { clientId: "a1", text: "one" },
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      duplicate: true,
      messageId: ((await first.json()) as { messageId: string }).messageId,
    });
    // The same client id from another author is a different prompt.
    expect(
      (await bob.api(`/api/sessions/${id}/prompts`, { body: { clientId: "a1", text: "two" } }))
        .status,
    ).toBe(201);
    const { session } = (await (await bob.api(`/api/sessions/${id}`)).json()) as {
      session: SessionView;
    };
    expect(session.queue.running?.text).toBe(hold);
    expect(session.queue.queued.map((p) => [p.text, p.author.login])).toEqual([
      ["one", alice.user.login],
      ["two", bob.user.login],
    ]);
  });

  it("pages through events after a cursor without gaps", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const hold = await holdingTurn();
    for (let i = 0; i < 5; i++)
      await alice.api(`/api/sessions/${id}/prompts`, {
        body: { clientId: `p${i}`, text: `prompt ${i} ${hold}` },
      });
    const seen: SessionEvent[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await (
        await alice.api(`/api/sessions/${id}/events?after=${cursor}&limit=2`)
      ).json()) as {
        events: SessionEvent[];
        nextCursor: number;
        lastSeq: number;
      };
      if (page.events.length === 0) break;
      seen.push(...page.events);
      cursor = page.nextCursor;
    }
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.map((e) => e.type).filter((type) => type.startsWith("prompt.queued"))).toHaveLength(
      5,
    );
    expect(seen.slice(0, 3).map((e) => e.type)).toEqual([
      "session.created",
      "participant.joined",
      "prompt.queued",
    ]);
    expect((await alice.api(`/api/sessions/${id}/events?after=-1`)).status).toBe(400);
  });

  it("lets an author cancel a queued prompt, and the owner cancel anyone's", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    const post = async (who: typeof alice, text: string) =>
      (
        (await (
          await who.api(`/api/sessions/${id}/prompts`, {
            body: { clientId: text.replace(/\W/g, ""), text },
          })
        ).json()) as { messageId: string }
      ).messageId;
    await post(alice, `hold ${await holdingTurn()}`);
    const alices = await post(alice, "alice's");
    const bobs = await post(bob, "bob's");
    expect(
      (await bob.api(`/api/sessions/${id}/prompts/${alices}`, { method: "DELETE" })).status,
    ).toBe(403);
    expect(
      (await bob.api(`/api/sessions/${id}/prompts/${bobs}`, { method: "DELETE" })).status,
    ).toBe(200);
    expect(
      (await alice.api(`/api/sessions/${id}/prompts/${alices}`, { method: "DELETE" })).status,
    ).toBe(200);
    expect(
      (await alice.api(`/api/sessions/${id}/prompts/${alices}`, { method: "DELETE" })).status,
    ).toBe(409);
    const { session } = (await (await alice.api(`/api/sessions/${id}`)).json()) as {
      session: SessionView;
    };
    expect(session.queue.queued).toEqual([]);
    // The session list follows the queue: once the running turn is stopped, nothing is left.
    expect((await alice.api(`/api/sessions/${id}/stop`, { body: {} })).status).toBe(200);
    await expect
      .poll(
        async () =>
          ((await (await bob.api("/api/sessions")).json()) as { sessions: { status: string }[] })
            .sessions[0]?.status,
      )
      .toBe("idle");
  });

  it("answers stop with nothing_running when no turn runs", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const response = await alice.api(`/api/sessions/${id}/stop`, { body: {} });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "nothing_running" } });
  });

  it("answers unknown routes with a typed 404", async () => {
    const alice = await signUp();
    const response = await alice.api("/api/nowhere");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
