// One agent turn: the model streams, tools run in the sandbox, and every step is checkpointed so a
// turn cut off by a restart resumes where it was, without running any command twice.
import type Anthropic from "@anthropic-ai/sdk";
import type { NewEvent, Person, ToolStatus } from "../protocol/events.ts";
import { SandboxError } from "../sandbox/provider.ts";
import {
  INTERRUPTED_RESULT,
  pendingToolUses,
  promptContent,
  requestMessages,
  type ConversationEntry,
} from "./conversation.ts";
import {
  classifyError,
  retryDelay,
  sleep,
  type CallParams,
  type ModelCaller,
  type RetryPolicy,
} from "./model.ts";
import type { Plugins } from "./plugins.ts";
import { affordableOutputTokens, usageOfCall } from "./pricing.ts";
import { cacheLast, cacheLastMessage, estimateTokens, toParams } from "./request-shape.ts";
import { systemPrompt } from "./system-prompt.ts";
import { capHeadTail } from "./tools/output.ts";
import { parseToolInput, toolDefinitions, TOOLS } from "./tools/index.ts";
import type { AnyTool, ToolSandbox } from "./tools/tool.ts";
import type { TurnStore } from "./turn-store.ts";

/** How the agent is set up for a session. */
export interface AgentSettings {
  model: string;
  maxTokens: number;
  /** Model calls per turn before the agent stops and says so. */
  maxSteps: number;
  spendLimitUsd: number | null;
  retry: RetryPolicy;
  /** The model server is the offline rehearsal stand-in. */
  rehearsal: boolean;
}

/** Everything a turn touches, given by the session. */
export interface TurnDeps {
  model: ModelCaller;
  store: TurnStore;
  plugins: Plugins;
  /** The session's sandbox once it exists; rejects with the reason when there will be none. */
  sandbox(signal: AbortSignal): Promise<ToolSandbox>;
  emit(event: NewEvent): void;
  /** Streams what is happening before it is final (batched by the room). */
  live: {
    text(step: number, index: number, text: string): void;
    textDone(step: number, index: number): void;
    toolOutput(toolUseId: string, text: string): void;
  };
  now(): number;
  settings: AgentSettings;
  facts: { repo: string; branch: string; about?: string[] };
  /** The tools of this turn; every sandbox tool when absent. */
  tools?: readonly AnyTool[];
  /** What session tools work through (other sessions, mail, handoffs). */
  session?: unknown;
}

/** A prompt as the turn needs it. */
export interface TurnPrompt {
  messageId: string;
  author: Person;
  text: string;
}

/** How a turn ended. */
export type TurnEnd =
  { state: "done" } | { state: "stopped" } | { state: "failed"; reason: string };

/** How a tool call ended, as stored and told to the model. */
type ToolOutcome = { status: ToolStatus; output: string; isError: boolean };

const STOPPED_BEFORE: ToolOutcome = {
  status: "stopped",
  output: "Not run: the turn was stopped before this call started.",
  isError: true,
};

/** The most output of one tool call the timeline keeps. */
const EVENT_OUTPUT_BYTES = 16 * 1024;
/** Below this many affordable output tokens the spend limit stops the agent. */
const MIN_OUTPUT_TOKENS = 512;

/** Runs (or resumes) the turn of one prompt. */
export async function runTurn(
  deps: TurnDeps,
  prompt: TurnPrompt,
  options: { signal: AbortSignal; resumed: boolean },
): Promise<TurnEnd> {
  return new Turn(deps, prompt, options.signal).run(options.resumed);
}

class Turn {
  private readonly deps: TurnDeps;
  private readonly prompt: TurnPrompt;
  private readonly signal: AbortSignal;
  private readonly tools: readonly AnyTool[];
  private step = 0;

  constructor(deps: TurnDeps, prompt: TurnPrompt, signal: AbortSignal) {
    this.deps = deps;
    this.tools = deps.tools ?? TOOLS;
    this.prompt = prompt;
    this.signal = signal;
  }

  async run(resumed: boolean): Promise<TurnEnd> {
    const { store, settings } = this.deps;
    const own = store.conversation().filter((entry) => entry.promptId === this.prompt.messageId);
    this.step = own.filter((entry) => entry.role === "assistant").length;
    if (own.length === 0) {
      this.append("user", promptContent(this.prompt.author, this.prompt.text));
    }
    this.deps.emit({
      type: "agent.turn_started",
      actor: null,
      data: {
        messageId: this.prompt.messageId,
        model: settings.model,
        rehearsal: settings.rehearsal,
        resumed: resumed && own.length > 0,
      },
    });
    try {
      // A turn resumed after its tools were asked for answers them first.
      const pending = pendingToolUses(store.conversation(), this.prompt.messageId);
      if (pending.length > 0) {
        const ended = await this.answerTools(pending);
        if (ended) return ended;
      }
      for (;;) {
        if (this.signal.aborted) return { state: "stopped" };
        if (this.step >= settings.maxSteps) {
          this.notice(
            "warning",
            `The agent stopped after ${settings.maxSteps} model calls in one turn. Send a follow-up to let it go on.`,
          );
          return { state: "done" };
        }
        const message = await this.callModel();
        if (message === "stopped") return { state: "stopped" };
        if ("failed" in message) return { state: "failed", reason: message.failed };
        const uses = message.content.filter((block) => block.type === "tool_use");
        if (message.stop_reason === "max_tokens") {
          this.notice("warning", "The model's answer was cut off at its output limit.");
        }
        if (message.stop_reason !== "tool_use" || uses.length === 0) return { state: "done" };
        const ended = await this.answerTools(uses);
        if (ended) return ended;
      }
    } catch (error) {
      if (this.signal.aborted) return { state: "stopped" };
      throw error;
    }
  }

  /** One model call, retried per policy; the assistant message is checkpointed when complete. */
  private async callModel(): Promise<Anthropic.Message | "stopped" | { failed: string }> {
    const { settings, store } = this.deps;
    const context = await this.deps.plugins.context();
    const params: CallParams = {
      model: settings.model,
      max_tokens: settings.maxTokens,
      system: [
        {
          type: "text",
          text: systemPrompt({ ...this.deps.facts, context }),
        },
      ],
      tools: cacheLast(toolDefinitions(this.tools)),
      messages: cacheLastMessage(requestMessages(store.conversation())),
    };
    if (settings.spendLimitUsd !== null) {
      const spent = store.usage().costUsd;
      const affordable = affordableOutputTokens(
        settings.model,
        spent,
        settings.spendLimitUsd,
        estimateTokens(params),
      );
      if (affordable < MIN_OUTPUT_TOKENS) {
        const reason = `The session's spend limit of $${settings.spendLimitUsd.toFixed(2)} would be exceeded by another model call ($${spent.toFixed(4)} spent so far). Raise the limit to let the agent go on.`;
        this.notice("warning", reason);
        return { failed: reason };
      }
      params.max_tokens = Math.min(settings.maxTokens, affordable);
    }
    const step = this.step;
    for (let attempt = 1; ; attempt++) {
      try {
        const message = await this.deps.model.call(
          params,
          {
            onText: (index, text) => this.deps.live.text(step, index, text),
            onBlock: (index, block) => {
              if (block.type !== "text") return;
              this.deps.live.textDone(step, index);
              this.deps.emit({
                type: "agent.text",
                actor: null,
                data: { messageId: this.prompt.messageId, step, index, text: block.text },
              });
            },
          },
          this.signal,
        );
        this.append("assistant", toParams(message.content));
        this.recordUsage(message);
        this.step++;
        return message;
      } catch (error) {
        if (this.signal.aborted) return "stopped";
        const kind = classifyError(error);
        if (!kind.retryable || attempt >= settings.retry.maxAttempts) {
          const reason =
            attempt > 1
              ? `The model call failed after ${attempt} attempts: ${kind.reason}.`
              : `The model call failed: ${kind.reason}.`;
          return { failed: reason };
        }
        const delayMs = retryDelay(settings.retry, attempt, kind);
        this.deps.emit({
          type: "agent.retrying",
          actor: null,
          data: {
            messageId: this.prompt.messageId,
            step,
            attempt,
            maxAttempts: settings.retry.maxAttempts,
            delayMs,
            reason: kind.reason,
          },
        });
        try {
          await sleep(delayMs, this.signal);
        } catch {
          return "stopped";
        }
      }
    }
  }

  /** Runs the tool uses in order and checkpoints their results; returns how the turn ended if it did. */
  private async answerTools(uses: readonly Anthropic.ToolUseBlockParam[]): Promise<TurnEnd | null> {
    const results: Anthropic.ToolResultBlockParam[] = [];
    for (const use of uses) {
      const outcome = this.signal.aborted
        ? this.finishTool(use, STOPPED_BEFORE, 0, [])
        : await this.runTool(use);
      results.push({
        type: "tool_result",
        tool_use_id: use.id,
        content: outcome.output,
        ...(outcome.isError ? { is_error: true } : {}),
      });
    }
    this.append("user", results);
    return this.signal.aborted ? { state: "stopped" } : null;
  }

  private async runTool(
    use: Anthropic.ToolUseBlockParam,
  ): Promise<{ output: string; isError: boolean }> {
    const { store } = this.deps;
    const stored = store.toolCall(use.id);
    if (stored?.state === "finished") {
      return { output: stored.output ?? "", isError: stored.isError ?? false };
    }
    if (stored?.state === "running") {
      return this.finishTool(
        use,
        { status: "interrupted", output: INTERRUPTED_RESULT, isError: true },
        0,
        [],
      );
    }
    this.deps.emit({
      type: "agent.tool_started",
      actor: null,
      data: {
        messageId: this.prompt.messageId,
        toolUseId: use.id,
        name: use.name,
        input: use.input,
      },
    });
    const tool = this.tools.find((candidate) => candidate.name === use.name);
    if (!tool) {
      const names = this.tools.map((candidate) => candidate.name).join(", ");
      return this.finishTool(
        use,
        {
          status: "error",
          output: `There is no tool named "${use.name}". The tools are: ${names}.`,
          isError: true,
        },
        0,
        [],
      );
    }
    const parsed = parseToolInput(tool, use.input);
    if (!parsed.ok) {
      return this.finishTool(
        use,
        { status: "error", output: parsed.error.message, isError: true },
        0,
        [],
      );
    }
    const admission = await this.deps.plugins.before(
      { id: use.id, name: use.name, input: parsed.value, access: tool.access },
      this.signal,
    );
    if (this.signal.aborted) {
      return this.finishTool(use, STOPPED_BEFORE, 0, []);
    }
    if ("blocked" in admission) {
      return this.finishTool(
        use,
        {
          status: "blocked",
          output: `Blocked by ${admission.by}: ${admission.blocked}`,
          isError: true,
        },
        0,
        [],
      );
    }
    const started = this.deps.now();
    store.startToolCall(
      {
        toolUseId: use.id,
        promptId: this.prompt.messageId,
        name: use.name,
        input: admission.call.input,
      },
      started,
    );
    let result: { output: string; isError: boolean };
    let status: ToolStatus;
    try {
      const progress = (text: string) => this.deps.live.toolOutput(use.id, text);
      if (tool.kind === "session") {
        result = this.deps.session
          ? await tool.run(admission.call.input, {
              session: this.deps.session,
              signal: this.signal,
              progress,
            })
          : { output: `${tool.name} is not available in this session.`, isError: true };
      } else {
        const sandbox = await this.deps.sandbox(this.signal);
        result = await tool.run(admission.call.input, { sandbox, signal: this.signal, progress });
      }
      status = this.signal.aborted ? "stopped" : result.isError ? "error" : "ok";
    } catch (error) {
      if (this.signal.aborted) {
        result = { output: "Stopped while running: the turn was stopped.", isError: true };
        status = "stopped";
      } else if (error instanceof SandboxError) {
        result = { output: `The sandbox failed (${error.code}): ${error.message}`, isError: true };
        status = "error";
      } else {
        result = {
          output: `The tool could not run: ${error instanceof Error ? error.message : String(error)}`,
          isError: true,
        };
        status = "error";
      }
    }
    const notes = await this.deps.plugins.after(admission.call, result);
    const output = notes.length > 0 ? `${result.output}\n\n${notes.join("\n")}` : result.output;
    return this.finishTool(
      use,
      { status, output, isError: result.isError },
      this.deps.now() - started,
      notes,
    );
  }

  /** Stores and reports a finished call (starting its row first when it never ran). */
  private finishTool(
    use: Anthropic.ToolUseBlockParam,
    outcome: ToolOutcome,
    durationMs: number,
    annotations: string[],
  ): { output: string; isError: boolean } {
    const { store } = this.deps;
    const at = this.deps.now();
    if (!store.toolCall(use.id)) {
      store.startToolCall(
        { toolUseId: use.id, promptId: this.prompt.messageId, name: use.name, input: use.input },
        at,
      );
    }
    store.finishToolCall(use.id, outcome, at);
    const kept = capHeadTail(outcome.output, EVENT_OUTPUT_BYTES);
    this.deps.emit({
      type: "agent.tool_finished",
      actor: null,
      data: {
        messageId: this.prompt.messageId,
        toolUseId: use.id,
        name: use.name,
        status: outcome.status,
        durationMs,
        output: kept.text,
        truncated: kept.truncated,
        annotations,
      },
    });
    return { output: outcome.output, isError: outcome.isError };
  }

  private recordUsage(message: Anthropic.Message): void {
    const { store, settings } = this.deps;
    const call = usageOfCall(settings.model, message.usage);
    store.recordUsage(
      { promptId: this.prompt.messageId, step: this.step, model: settings.model, usage: call },
      this.deps.now(),
    );
    this.deps.emit({
      type: "agent.usage",
      actor: null,
      data: {
        messageId: this.prompt.messageId,
        model: settings.model,
        step: this.step,
        call,
        turn: store.usage(this.prompt.messageId),
        session: store.usage(),
      },
    });
  }

  private append(role: "user" | "assistant", content: Anthropic.ContentBlockParam[]): void {
    const entry: ConversationEntry = { promptId: this.prompt.messageId, role, content };
    this.deps.store.appendMessage(entry, this.deps.now());
  }

  private notice(level: "info" | "warning", text: string): void {
    this.deps.emit({
      type: "agent.notice",
      actor: null,
      data: { messageId: this.prompt.messageId, level, text },
    });
  }
}
