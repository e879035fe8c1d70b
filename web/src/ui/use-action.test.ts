import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.ts";
import { runAction, type ActionTarget } from "./use-action.ts";

/** A component's state as the action leaves it, and whether the component is still there. */
function fakeComponent(error: string | null = null) {
  const state = { busy: false, error, mounted: true };
  const target: ActionTarget = {
    setBusy: (busy) => void (state.busy = busy),
    setError: (next) => void (state.error = next),
    isMounted: () => state.mounted,
  };
  return { state, target };
}

/** Work that finishes when the test says so. */
function pending() {
  let resolve!: () => void;
  let reject!: (failure: unknown) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { work: () => promise, resolve, reject };
}

describe("runAction", () => {
  it("is busy with the last error cleared while the work runs, and idle once it succeeds", async () => {
    const { state, target } = fakeComponent("Earlier failure");
    const call = pending();
    const done = runAction(call.work, target);
    expect(state).toMatchObject({ busy: true, error: null });
    call.resolve();
    await done;
    expect(state).toMatchObject({ busy: false, error: null });
  });

  it("keeps the failure's message as the error and stops being busy", async () => {
    const { state, target } = fakeComponent();
    await runAction(async () => {
      throw new ApiError("not_found", "That session is gone.", 404);
    }, target);
    expect(state).toMatchObject({ busy: false, error: "That session is gone." });
  });

  it("catches work that throws before its first await", async () => {
    const { state, target } = fakeComponent();
    await runAction(() => {
      throw new Error("Bad input");
    }, target);
    expect(state).toMatchObject({ busy: false, error: "Bad input" });
  });

  it("gives a readable message for a failure that is not an Error", async () => {
    const { state, target } = fakeComponent();
    await runAction(() => Promise.reject("nope"), target);
    expect(state.error).toBe("Something went wrong; try again.");
  });

  it("stays busy after success when asked to, but not after a failure", async () => {
    const kept = fakeComponent();
    await runAction(async () => {}, kept.target, { keepBusy: true });
    expect(kept.state).toMatchObject({ busy: true, error: null });

    const failed = fakeComponent();
    await runAction(() => Promise.reject(new Error("Refused")), failed.target, { keepBusy: true });
    expect(failed.state).toMatchObject({ busy: false, error: "Refused" });
  });

  it("writes nothing once the component has unmounted mid-call", async () => {
    for (const outcome of ["resolve", "reject"] as const) {
      const { state, target } = fakeComponent();
      const call = pending();
      const done = runAction(call.work, target);
      state.mounted = false;
      if (outcome === "resolve") call.resolve();
      else call.reject(new Error("Too late"));
      await done;
      expect(state).toMatchObject({ busy: true, error: null });
    }
  });
});
