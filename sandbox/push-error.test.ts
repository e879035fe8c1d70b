import { describe, expect, it } from "vitest";
import { gitHttpStatus, pushError } from "./push-error.ts";

describe("push errors", () => {
  it("reads the remote's status from git's words", () => {
    expect(
      gitHttpStatus("error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502"),
    ).toBe(502);
    expect(gitHttpStatus("fatal: unable to access: The requested URL returned error: 503")).toBe(
      503,
    );
    expect(gitHttpStatus("! [rejected] main -> main (fetch first)")).toBeNull();
  });

  it("calls a server error unavailable and anything else a refusal", () => {
    expect(pushError(new Error("error: RPC failed; HTTP 502")).code).toBe("unavailable");
    expect(pushError(new Error("The requested URL returned error: 403")).code).toBe(
      "invalid_input",
    );
    expect(pushError(new Error("! [remote rejected] (protected branch)")).message).toBe(
      "The push was refused: ! [remote rejected] (protected branch)",
    );
  });
});
