import { describe, expect, it } from "vitest";
import { FIRST_RETRY_MS, MAX_RETRY_MS, reconnectDelayMs } from "./reconnect-delay.ts";

describe("reconnectDelayMs", () => {
  it("doubles the wait after each failure", () => {
    const middle = () => 0.5;
    expect(reconnectDelayMs(1, middle)).toBe(FIRST_RETRY_MS);
    expect(reconnectDelayMs(2, middle)).toBe(FIRST_RETRY_MS * 2);
    expect(reconnectDelayMs(3, middle)).toBe(FIRST_RETRY_MS * 4);
  });

  it("never waits longer than the cap plus jitter", () => {
    expect(reconnectDelayMs(50, () => 1)).toBe(MAX_RETRY_MS * 1.2);
  });

  it("spreads retries by at most a fifth either way", () => {
    expect(reconnectDelayMs(1, () => 0)).toBe(FIRST_RETRY_MS * 0.8);
    expect(reconnectDelayMs(1, () => 1)).toBe(FIRST_RETRY_MS * 1.2);
  });
});
