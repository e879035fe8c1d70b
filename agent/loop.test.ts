// The turn loop end to end: the real SDK against the model stand-in over HTTP, real tools in a real
// sandbox, and checkpoints in a store that keeps what the Session object's SQLite keeps.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewEvent, Usage } from "../protocol/events.ts";
import {
  sandboxTestsUnavailable,
  startTestHost,
  type TestHost,
} from "../sandbox-host/test-host.ts";
import { makeTestRepo } from "../sandbox/test-repo.ts";
import { startModelStandIn, type ModelStandIn } from "../test/model-stand-in/server.ts";
import type { ConversationEntry } from "./conversation.ts";
import { runTurn, type TurnDeps, type TurnPrompt } from "./loop.ts";
import { anthropicCaller } from "./model.ts";
import { Plugins } from "./plugins.ts";
import { writeGate } from "./plugins/write-gate.ts";
import { addUsage, ZERO_USAGE } from "./pricing.ts";
import { decodeOutput } from "./tools/output.ts";
import { bindSandbox } from "./tools/sandbox-binding.ts";
import type { ToolSandbox } from "./tools/tool.ts";
import type { StoredToolCall, TurnStore } from "./turn-store.ts";

const unavailable = sandboxTestsUnavailable();

/** The checkpoints kept in memory, with the semantics of the SQLite store. */
class MemoryTurnStore implements TurnStore {
  readonly entries: ConversationEntry[] = [];
  readonly calls = new Map<string, StoredToolCall & { name: string }>();
  readonly usages: { promptId: string; usage: Usage }[] = [];
  conversation() {
    return structuredClone(this.entries);
  }
  appendMessage(entry: ConversationEntry) {
    this.entries.push(structuredClone(entry));
  }
  toolCall(id: string) {
    return this.calls.get(id);
  }
  startToolCall(call: { toolUseId: string; name: string }) {
    if (this.calls.has(call.toolUseId)) return;
    this.calls.set(call.toolUseId, {
      toolUseId: call.toolUseId,
      name: call.name,
      state: "running",
      status: null,
      output: null,
      isError: null,
    });
  }
  finishToolCall(
    id: string,
    outcome: { status: StoredToolCall["status"]; output: string; isError: boolean },
  ) {
    const call = this.calls.get(id)!;
    this.calls.set(id, { ...call, state: "finished", ...outcome });
  }
  recordUsage(entry: { promptId: string; usage: Usage }) {
    this.usages.push(entry);
  }
  usage(promptId?: string) {
    return this.usages
      .filter((u) => promptId === undefined || u.promptId === promptId)
      .reduce((sum, u) => addUsage(sum, u.usage), ZERO_USAGE);
  }
}

describe.skipIf(unavailable !== null)(
  `the agent's turn${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let host: TestHost;
    let model: ModelStandIn;
    let imageId: string;
    let sandbox: ToolSandbox;
    let store: MemoryTurnStore;
    let events: NewEvent[];
    let deltas: string[];
    let scriptCount = 0;

    beforeAll(async () => {
      [host, model] = await Promise.all([startTestHost(), startModelStandIn({ seed: 7 })]);
      const repo = await makeTestRepo({
        "app.py": "def greet(name):\n    return 'hello ' + name\n",
        "README.md": "# app\n",
      });
      imageId = (
        await host.client.buildImage({
          repo: "acme/app",
          cloneUrl: repo.dir,
          commit: repo.commits[0]!,
        })
      ).id;
    }, 60_000);
    afterAll(async () => {
      await Promise.all([host?.stop(), model?.stop()]);
    });
    beforeEach(async () => {
      const created = await host.client.createSandbox({ from: { imageId } });
      sandbox = bindSandbox(host.client, created.id);
      store = new MemoryTurnStore();
      events = [];
      deltas = [];
    });

    function deps(
      overrides: Partial<TurnDeps> = {},
      settings: Partial<TurnDeps["settings"]> = {},
    ): TurnDeps {
      return {
        model: anthropicCaller({ apiKey: "test-key", baseURL: model.url }),
        store,
        plugins: new Plugins([]),
        sandbox: async () => sandbox,
        emit: (event) => events.push(event),
        live: {
          text: (_step, _index, text) => deltas.push(text),
          textDone: () => {},
          toolOutput: () => {},
        },
        now: () => Date.now(),
        settings: {
          model: "claude-sonnet-5-5",
          maxTokens: 4096,
          maxSteps: 20,
          spendLimitUsd: null,
          retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
          rehearsal: false,
          ...settings,
        },
        facts: { repo: "acme/app", branch: "tandem/ses_test" },
        ...overrides,
      };
    }

    /** A fresh script and a prompt that names it. */
    function scripted(
      responses: Parameters<ModelStandIn["setScript"]>[1]["responses"],
    ): TurnPrompt & {
      script: string;
    } {
      const script = `loop-${++scriptCount}`;
      model.setScript(script, { responses });
      return {
        script,
        messageId: `msg_${scriptCount}`,
        author: { userId: "usr_alice", login: "alice", name: "Alice", avatarUrl: null },
        text: `Say hello properly [script:${script}]`,
      };
    }

    const ofType = <T extends NewEvent["type"]>(type: T) =>
      events.filter((e): e is Extract<NewEvent, { type: T }> => e.type === type);

    const shell = async (command: string) =>
      decodeOutput((await sandbox.exec({ argv: ["bash", "-c", command] })).stdout);

    it("streams text, runs tools in the sandbox, and checkpoints every step", async () => {
      const prompt = scripted([
        {
          content: [
            { type: "text", text: "Let me read the code first." },
            { type: "tool_use", id: "toolu_read", name: "read_file", input: { path: "app.py" } },
          ],
        },
        {
          content: [
            {
              type: "tool_use",
              id: "toolu_edit",
              name: "edit_file",
              input: { path: "app.py", old_string: "'hello '", new_string: "'Hello, '" },
            },
          ],
        },
        { content: [{ type: "text", text: "Done: the greeting is capitalised." }] },
      ]);
      const end = await runTurn(deps(), prompt, {
        signal: new AbortController().signal,
        resumed: false,
      });
      expect(end).toEqual({ state: "done" });
      expect(await shell("cat app.py")).toContain("'Hello, ' + name");
      expect(deltas.join("")).toBe("Let me read the code first.Done: the greeting is capitalised.");
      expect(ofType("agent.text").map((e) => [e.data.step, e.data.text])).toEqual([
        [0, "Let me read the code first."],
        [2, "Done: the greeting is capitalised."],
      ]);
      expect(ofType("agent.tool_finished").map((e) => [e.data.name, e.data.status])).toEqual([
        ["read_file", "ok"],
        ["edit_file", "ok"],
      ]);
      expect(ofType("agent.tool_started")[0]!.data.input).toEqual({ path: "app.py" });
      expect(ofType("agent.usage")).toHaveLength(3);
      expect(ofType("agent.usage").at(-1)!.data.session.costUsd).toBeGreaterThan(0);
      // The conversation: prompt, then (assistant, results) pairs, then the final answer.
      expect(store.entries.map((e) => e.role)).toEqual([
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
        "assistant",
      ]);
      // What the model saw: the file's content came back as the read's result.
      const third = model.requests(prompt.script).at(-1)!.body as {
        messages: { content: unknown }[];
      };
      expect(JSON.stringify(third.messages[2]!.content)).toContain("return 'hello ' + name");
      expect(JSON.stringify(third.messages[0]!.content)).toContain("Alice (@alice) asks:");
    });

    it("tells the model how to fix a bad call instead of failing the turn", async () => {
      const prompt = scripted([
        {
          content: [{ type: "tool_use", id: "toolu_bad", name: "read_file", input: { path: 42 } }],
        },
        { content: [{ type: "tool_use", id: "toolu_none", name: "teleport", input: {} }] },
        { content: [{ type: "text", text: "Sorry." }] },
      ]);
      expect(
        await runTurn(deps(), prompt, { signal: new AbortController().signal, resumed: false }),
      ).toEqual({
        state: "done",
      });
      const finished = ofType("agent.tool_finished");
      expect(finished.map((e) => e.data.status)).toEqual(["error", "error"]);
      expect(finished[0]!.data.output).toMatch(/path/);
      expect(finished[1]!.data.output).toMatch(/no tool named "teleport".*read_file/);
    });

    it("retries 529s honouring retry-after, and says so", async () => {
      const prompt = scripted([
        {
          faults: [{ kind: "status", status: 529, retryAfterMs: 15, times: 2 }],
          content: [{ type: "text", text: "Made it." }],
        },
      ]);
      const end = await runTurn(deps(), prompt, {
        signal: new AbortController().signal,
        resumed: false,
      });
      expect(end).toEqual({ state: "done" });
      const retries = ofType("agent.retrying");
      expect(retries.map((e) => [e.data.attempt, e.data.delayMs, e.data.step])).toEqual([
        [1, 15, 0],
        [2, 15, 0],
      ]);
      expect(retries[0]!.data.reason).toMatch(/overloaded/);
      expect(model.requests(prompt.script)).toHaveLength(3);
    });

    it("retries a stream that breaks off or drops, then fails clearly after the last try", async () => {
      const recovered = scripted([
        {
          faults: [
            { kind: "error_event", afterBlocks: 1 },
            { kind: "drop", afterBytes: 200 },
          ],
          content: [
            { type: "text", text: "First block." },
            { type: "text", text: "Second block." },
          ],
        },
      ]);
      expect(
        await runTurn(deps(), recovered, { signal: new AbortController().signal, resumed: false }),
      ).toEqual({
        state: "done",
      });
      expect(ofType("agent.retrying")).toHaveLength(2);

      events = [];
      store = new MemoryTurnStore();
      const doomed = scripted([
        {
          faults: [{ kind: "status", status: 429, retryAfterMs: 1, times: 5 }],
          content: [{ type: "text", text: "never" }],
        },
      ]);
      const end = await runTurn(deps(), doomed, {
        signal: new AbortController().signal,
        resumed: false,
      });
      expect(end).toMatchObject({ state: "failed" });
      expect(end.state === "failed" && end.reason).toMatch(
        /after 3 attempts: rate limited \(429\)/,
      );
    });

    it("does not retry a request the server refuses", async () => {
      const prompt = scripted([
        { faults: [{ kind: "status", status: 400 }], content: [{ type: "text", text: "never" }] },
      ]);
      const end = await runTurn(deps(), prompt, {
        signal: new AbortController().signal,
        resumed: false,
      });
      expect(end.state === "failed" && end.reason).toMatch(/refused the request \(400/);
      expect(ofType("agent.retrying")).toHaveLength(0);
    });

    it("stops mid-command: the command is killed and the turn is recorded as stopped", async () => {
      const prompt = scripted([
        {
          content: [
            {
              type: "tool_use",
              id: "toolu_sleep",
              name: "run_command",
              input: {
                command: "echo started > started.txt; sleep 30; echo finished > finished.txt",
              },
            },
            {
              type: "tool_use",
              id: "toolu_after",
              name: "run_command",
              input: { command: "touch after.txt" },
            },
          ],
        },
        { content: [{ type: "text", text: "never reached" }] },
      ]);
      const controller = new AbortController();
      const turn = runTurn(
        deps({
          live: {
            text: () => {},
            textDone: () => {},
            toolOutput: () => {},
          },
          emit: (event) => {
            events.push(event);
            if (event.type === "agent.tool_started") setTimeout(() => controller.abort(), 300);
          },
        }),
        prompt,
        { signal: controller.signal, resumed: false },
      );
      const began = Date.now();
      expect(await turn).toEqual({ state: "stopped" });
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(ofType("agent.tool_finished").map((e) => [e.data.toolUseId, e.data.status])).toEqual([
        ["toolu_sleep", "stopped"],
        ["toolu_after", "stopped"],
      ]);
      expect((await shell("ls")).split("\n")).not.toContain("after.txt");
      expect(await shell("cat finished.txt 2>/dev/null || echo absent")).toBe("absent\n");
      // Both uses are answered, so the next turn's conversation is valid.
      expect(store.entries.at(-1)!.content.map((b) => b.type)).toEqual([
        "tool_result",
        "tool_result",
      ]);
      expect(model.requests(prompt.script)).toHaveLength(1);
    });

    it("resumes after a restart: a call that was running is reported interrupted, never run twice", async () => {
      const prompt = scripted([
        {
          content: [
            {
              type: "tool_use",
              id: "toolu_count",
              name: "run_command",
              input: { command: "echo once >> count.txt" },
            },
            {
              type: "tool_use",
              id: "toolu_next",
              name: "run_command",
              input: { command: "echo next > next.txt" },
            },
          ],
        },
        { content: [{ type: "text", text: "Resumed and finished." }] },
      ]);
      // What a turn cut off mid-command leaves: the assistant's tool uses, and the first call running.
      store.appendMessage({
        promptId: prompt.messageId,
        role: "user",
        content: [{ type: "text", text: prompt.text }],
      });
      store.appendMessage({
        promptId: prompt.messageId,
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: "toolu_count",
            name: "run_command",
            input: { command: "echo once >> count.txt" },
          },
          {
            type: "tool_use",
            id: "toolu_next",
            name: "run_command",
            input: { command: "echo next > next.txt" },
          },
        ],
      });
      store.startToolCall({ toolUseId: "toolu_count", name: "run_command" });
      const end = await runTurn(deps(), prompt, {
        signal: new AbortController().signal,
        resumed: true,
      });
      expect(end).toEqual({ state: "done" });
      expect(ofType("agent.turn_started")[0]!.data.resumed).toBe(true);
      expect(ofType("agent.tool_finished").map((e) => [e.data.toolUseId, e.data.status])).toEqual([
        ["toolu_count", "interrupted"],
        ["toolu_next", "ok"],
      ]);
      expect(await shell("cat count.txt 2>/dev/null || echo never-ran")).toBe("never-ran\n");
      expect(await shell("cat next.txt")).toBe("next\n");
      // The model was asked once: for the answer after the results (response 1 of the script).
      const requests = model.requests(prompt.script);
      expect(requests).toHaveLength(1);
      expect(JSON.stringify(requests[0]!.body)).toContain("interrupted");
    });

    it("holds writes until the workspace is synced while reads go ahead", async () => {
      let synced = false;
      let markSynced!: () => void;
      const syncDone = new Promise<void>((resolve) => (markSynced = resolve));
      const gate = writeGate({
        isSynced: () => synced,
        whenSynced: async () => {
          await syncDone;
          return { ok: true };
        },
      });
      const prompt = scripted([
        {
          content: [
            { type: "tool_use", id: "toolu_r", name: "read_file", input: { path: "README.md" } },
            {
              type: "tool_use",
              id: "toolu_w",
              name: "write_file",
              input: { path: "NEW.md", content: "new\n" },
            },
          ],
        },
        { content: [{ type: "text", text: "ok" }] },
      ]);
      const order: string[] = [];
      const turn = runTurn(
        deps({
          plugins: new Plugins([gate]),
          emit: (event) => {
            events.push(event);
            if (event.type === "agent.tool_finished") order.push(event.data.name);
            if (event.type === "agent.tool_started" && event.data.name === "write_file") {
              setTimeout(() => {
                order.push("synced");
                synced = true;
                markSynced();
              }, 200);
            }
          },
        }),
        prompt,
        { signal: new AbortController().signal, resumed: false },
      );
      expect(await turn).toEqual({ state: "done" });
      expect(order).toEqual(["read_file", "synced", "write_file"]);
      expect(await shell("cat NEW.md")).toBe("new\n");
      // While syncing, the model was told that writes wait.
      const first = model.requests(prompt.script)[0]!.body as { system: { text: string }[] };
      expect(first.system[0]!.text).toMatch(/still syncing/);
    });

    it("stops before a call would pass the spend limit, and says so", async () => {
      const prompt = scripted([{ content: [{ type: "text", text: "expensive" }] }]);
      const end = await runTurn(deps({}, { spendLimitUsd: 0.001 }), prompt, {
        signal: new AbortController().signal,
        resumed: false,
      });
      expect(end.state === "failed" && end.reason).toMatch(/spend limit of \$0\.00/);
      expect(ofType("agent.notice")[0]!.data.level).toBe("warning");
      expect(model.requests(prompt.script)).toHaveLength(0);
    });

    it("caps a call's output to what the spend limit still allows", async () => {
      const prompt = scripted([{ content: [{ type: "text", text: "cheap" }] }]);
      await runTurn(deps({}, { spendLimitUsd: 0.03 }), prompt, {
        signal: new AbortController().signal,
        resumed: false,
      });
      const body = model.requests(prompt.script)[0]!.body as { max_tokens: number };
      expect(body.max_tokens).toBeLessThan(4096);
      expect(body.max_tokens).toBeGreaterThan(512);
    });
  },
);
