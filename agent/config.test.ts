import { describe, expect, it } from "vitest";
import { agentOptionsFrom, DEFAULT_MODEL } from "./config.ts";

describe("agent configuration", () => {
  it("has no model server without a key or a base URL", () => {
    const options = agentOptionsFrom({});
    expect(options.server).toBeNull();
    expect(options.defaultModel).toBe(DEFAULT_MODEL);
    expect(options.rehearsal).toBe(false);
  });

  it("reads the key, base URL, model and retry settings, treating blanks as absent", () => {
    const options = agentOptionsFrom({
      ANTHROPIC_API_KEY: "sk-test",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:8791",
      TANDEM_MODEL: "claude-haiku-4-5",
      TANDEM_MODEL_REHEARSAL: "true",
      TANDEM_AGENT_RETRY_BASE_MS: "10",
      TANDEM_AGENT_MAX_STEPS: "",
    });
    expect(options.server).toEqual({ apiKey: "sk-test", baseURL: "http://127.0.0.1:8791" });
    expect(options.defaultModel).toBe("claude-haiku-4-5");
    expect(options.rehearsal).toBe(true);
    expect(options.retry.baseDelayMs).toBe(10);
    expect(options.maxSteps).toBe(100);
  });

  it("lets a compatible server run without a key", () => {
    expect(agentOptionsFrom({ ANTHROPIC_BASE_URL: "http://127.0.0.1:1" }).server).toEqual({
      apiKey: "none",
      baseURL: "http://127.0.0.1:1",
    });
  });

  it("names the key of a wrong value", () => {
    expect(() => agentOptionsFrom({ ANTHROPIC_BASE_URL: "not a url" })).toThrow(
      /ANTHROPIC_BASE_URL/,
    );
    expect(() => agentOptionsFrom({ TANDEM_AGENT_MAX_STEPS: "0" })).toThrow(
      /TANDEM_AGENT_MAX_STEPS/,
    );
  });
});
