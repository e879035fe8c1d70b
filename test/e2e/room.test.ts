// Two people on one session against the real `wrangler dev`, over real sockets.
import { describe, expect, it } from "vitest";
import { api, Client, sharedSession } from "./client.ts";

describe("a shared session on the running platform", () => {
  it("shows one person's prompt live to the other, with its author", async () => {
    const id = await sharedSession("collaborator");
    const bob = await Client.connect("bob", id);
    await bob.subscribe(0);
    const alice = await Client.connect("alice", id);
    await alice.subscribe(0);
    alice.send({ type: "prompt", clientId: "e2e-1", text: "Rename the config loader" });
    const live = await bob.next("events", (m) => m.events.some((e) => e.type === "prompt.queued"));
    const event = live.events.find((e) => e.type === "prompt.queued");
    expect(
      event?.type === "prompt.queued" && [event.data.prompt.text, event.data.prompt.author.login],
    ).toEqual(["Rename the config loader", "alice"]);
    alice.close();
    bob.close();
  });

  it("loses and repeats nothing when a client drops mid-stream and resumes from its cursor", async () => {
    const id = await sharedSession("viewer");
    const bob = await Client.connect("bob", id);
    await bob.subscribe(0);
    // Alice streams prompts while Bob's connection dies halfway.
    const sends = Array.from({ length: 40 }, (_, i) => i);
    const streaming = (async () => {
      for (const i of sends) {
        await api("alice", `/api/sessions/${id}/prompts`, { clientId: `s${i}`, text: `step ${i}` });
        if (i % 10 === 9) {
          // Keep the queue below its limit by cancelling what we queued.
          const { body } = await api<{ session: { queue: { queued: { messageId: string }[] } } }>(
            "alice",
            `/api/sessions/${id}`,
          );
          for (const p of body.session.queue.queued)
            await api("alice", `/api/sessions/${id}/prompts/${p.messageId}`, undefined, "DELETE");
        }
      }
    })();
    await bob.next("events", (m) =>
      m.events.some((e) => e.type === "prompt.queued" && e.data.prompt.clientId === "s5"),
    );
    bob.drop();
    const before = bob.events();
    const cursor = before.at(-1)!.seq;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await Client.connect("bob", id);
    await again.subscribe(cursor);
    await streaming;
    const { body } = await api<{ lastSeq: number }>(
      "bob",
      `/api/sessions/${id}/events?after=0&limit=1`,
    );
    await again
      .next("events", (m) => m.events.some((e) => e.seq === body.lastSeq))
      .catch((error: Error) => {
        const seqs = again.events().map((e) => e.seq);
        throw new Error(
          `${error.message}\nlastSeq ${body.lastSeq}, cursor ${cursor}, received ${seqs.join(",")}`,
        );
      });
    const all = [...before, ...again.events()];
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: body.lastSeq }, (_, i) => i + 1));
    expect(all.filter((e) => e.type === "prompt.queued")).toHaveLength(40);
    again.close();
  });

  it("refuses a viewer's prompt and an outsider's socket, and answers garbage without closing", async () => {
    const id = await sharedSession("viewer");
    await expect(Client.connect("carol", id)).rejects.toThrow(/404/);
    await expect(Client.connect("bob", id, { Origin: "https://evil.example" })).rejects.toThrow(
      /403/,
    );
    const bob = await Client.connect("bob", id);
    await bob.subscribe(0);
    bob.send({ type: "prompt", clientId: "v", text: "can I?" });
    expect(await bob.next("error", (m) => m.replyTo === "v")).toMatchObject({ code: "forbidden" });
    bob.send("\u0000\u0001 not json at all");
    await bob.next("error", (m) => m.code === "malformed_message");
    bob.send({ type: "subscribe", cursor: 1.5 });
    await bob.next("error", (m) => m.code === "invalid_input");
    bob.send({ type: "ping" });
    await bob.next("pong");
    expect(bob.ws.readyState).toBe(bob.ws.OPEN);
    const closed = new Promise<number>((resolve) => bob.ws.once("close", (code) => resolve(code)));
    const started = Date.now();
    bob.ws.close(1000, "bye");
    // The room completes the close handshake instead of letting the client time out.
    expect(await closed).toBe(1000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
