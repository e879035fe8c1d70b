import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { killLeftovers, leftoverProcesses } from "./leftover-processes.ts";

/** A shell that keeps running with `path` among its arguments, as a launcher would. */
function launcher(path: string): ChildProcess {
  return spawn("sh", ["-c", "sleep 30; true", "sh", path], { stdio: "ignore" });
}

const gone = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve()
      : child.once("exit", () => resolve()),
  );

describe("leftover processes", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
  });

  it("finds and kills the launchers that name a path below the state folders, and no other", async () => {
    const state = `/tmp/tandem-leftover-${process.pid}`;
    const ours = launcher(`${state}/sandboxes/sbx_1/merged`);
    const other = launcher(`${state}-other/sandboxes/sbx_1/merged`);
    children.push(ours, other);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await leftoverProcesses([`${state}/sandboxes`])).toEqual([ours.pid]);
    expect(await killLeftovers([`${state}/sandboxes`, `${state}/building`])).toBe(1);
    await gone(ours);
    expect(ours.signalCode).toBe("SIGKILL");
    expect(other.exitCode).toBeNull();
    expect(other.signalCode).toBeNull();
  });
});
