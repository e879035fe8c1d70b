import { describe, expect, it } from "vitest";
import type { Person, QueuedPrompt, SessionEvent } from "../../../protocol/events.ts";
import { describeEvent } from "./describe-event.ts";

const ada: Person = { userId: "usr_ada", login: "ada", name: "Ada Lovelace", avatarUrl: null };
const bob: Person = { userId: "usr_bob", login: "bob", name: null, avatarUrl: null };
const prompt: QueuedPrompt = {
  messageId: "msg_1",
  clientId: "c1",
  author: bob,
  text: "fix the flaky test",
  state: "running",
  createdAt: 1,
};
const prompts = { msg_1: prompt };

const at = { seq: 1, at: 1 };

describe("describeEvent", () => {
  it("shows a queued prompt as a card with its latest state", () => {
    const event: SessionEvent = {
      ...at,
      actor: bob,
      type: "prompt.queued",
      data: { prompt: { ...prompt, state: "queued" } },
    };
    expect(describeEvent(event, prompts)).toEqual({ kind: "prompt", prompt });
  });

  it("names the author and the first words of the prompt the agent started", () => {
    const event: SessionEvent = {
      ...at,
      actor: null,
      type: "prompt.started",
      data: { messageId: "msg_1" },
    };
    expect(describeEvent(event, prompts)).toMatchObject({
      text: "The agent started on bob’s prompt “fix the flaky test”",
    });
  });

  it("says who joined, with which role and how", () => {
    const event: SessionEvent = {
      ...at,
      actor: ada,
      type: "participant.joined",
      data: { person: ada, role: "viewer", via: "share_link" },
    };
    expect(describeEvent(event, prompts)).toMatchObject({
      text: "Ada Lovelace joined as viewer with a share link",
      person: ada,
    });
  });

  it("says who left, and who removed whom", () => {
    const left: SessionEvent = {
      ...at,
      actor: bob,
      type: "participant.removed",
      data: { person: bob, role: "collaborator", reason: "left" },
    };
    expect(describeEvent(left, prompts)).toMatchObject({
      text: "bob left the session",
      tone: "neutral",
      person: bob,
    });
    const removed: SessionEvent = {
      ...left,
      actor: ada,
      data: { ...left.data, reason: "removed" },
    };
    expect(describeEvent(removed, prompts)).toMatchObject({
      text: "Ada Lovelace removed bob from the session",
      tone: "warn",
      person: bob,
    });
  });

  it("gives a failed turn's reason in a bad tone", () => {
    const event: SessionEvent = {
      ...at,
      actor: null,
      type: "prompt.finished",
      data: { messageId: "msg_1", state: "failed", reason: "sandbox lost" },
    };
    expect(describeEvent(event, prompts)).toMatchObject({
      tone: "bad",
      text: "The agent failed on bob’s prompt “fix the flaky test”: sandbox lost",
    });
  });

  it("says who cancelled a prompt it cannot find", () => {
    const event: SessionEvent = {
      ...at,
      actor: ada,
      type: "prompt.cancelled",
      data: { messageId: "msg_gone" },
    };
    expect(describeEvent(event, {})).toMatchObject({
      text: "Ada Lovelace cancelled a prompt",
      tone: "warn",
    });
  });

  it("places the agent's events in the turn of their prompt", () => {
    const event: SessionEvent = {
      ...at,
      actor: null,
      type: "agent.tool_started",
      data: { messageId: "msg_1", toolUseId: "tu_1", name: "read_file", input: {} },
    };
    expect(describeEvent(event, prompts)).toEqual({ kind: "turn", messageId: "msg_1" });
  });

  it("shows a notice for the whole session as a line, warnings in a warning tone", () => {
    const event: SessionEvent = {
      ...at,
      actor: null,
      type: "agent.notice",
      data: { messageId: null, level: "warning", text: "The spend limit is reached" },
    };
    expect(describeEvent(event, prompts)).toMatchObject({
      kind: "note",
      text: "The spend limit is reached",
      tone: "warn",
    });
  });

  it("says who changed the model and the spend limit", () => {
    const event: SessionEvent = {
      ...at,
      actor: ada,
      type: "session.settings_changed",
      data: { model: "claude-big", spendLimitUsd: 5 },
    };
    expect(describeEvent(event, prompts)).toMatchObject({
      text: "Ada Lovelace set the model to claude-big with a spend limit of $5.00",
    });
  });
});
