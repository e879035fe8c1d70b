import { spawn } from "node:child_process";
import { access, mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DAEMON_LEAF,
  detectCgroups,
  detectDelegated,
  joinScript,
  noCgroups,
  type CgroupAdapter,
  type CgroupHandle,
} from "./cgroups.ts";
import { Scratch, runSandbox, sandboxSkipReason, testLaunch, titled } from "./test-sandbox.ts";

const ROOT = "/sys/fs/cgroup";
const GROUP = `tandem-test-${process.pid}`;
const MiB = 1024 * 1024;

describe("cgroup helpers", () => {
  it("build a join script that writes the shell's pid into every procs file, quoted", () => {
    const handle: CgroupHandle = {
      name: "x",
      procsFiles: ["/a/cgroup.procs", "/b it's/cgroup.procs"],
      memoryPeakBytes: async () => null,
    };
    expect(joinScript(handle)).toBe(
      "echo $$ > '/a/cgroup.procs' || exit 125; echo $$ > '/b it'\\''s/cgroup.procs' || exit 125; ",
    );
    expect(joinScript({ ...handle, procsFiles: [] })).toBe("");
  });

  it("fall back to an adapter that enforces nothing and joins nothing", async () => {
    const none = noCgroups();
    expect(none.kind).toBe("none");
    expect(none.enforces).toEqual({ memory: false, pids: false, cpu: false });
    const handle = await none.create("sbx_1", { memoryBytes: MiB, pids: 1, cpuMillis: 1 });
    expect(handle.procsFiles).toEqual([]);
    expect(await handle.memoryPeakBytes()).toBeNull();
    expect(await none.list()).toEqual([]);
  });

  it("detect no usable hierarchy under a directory that is not a cgroup mount", async () => {
    const scratch = await Scratch.create("not-cgroup");
    try {
      const adapter = await detectCgroups(scratch.base, "tandem");
      expect(adapter.kind).toBe("none");
    } finally {
      await scratch.dispose();
    }
  });

  it("use the cgroup v2 subtree delegated to a rootless host, after moving the host into a leaf", async () => {
    const scratch = await Scratch.create("delegated");
    try {
      // What a service manager's delegation looks like: the service's cgroup, writable by it.
      const own = join(scratch.base, "user.slice", "tandem.service");
      await mkdir(own, { recursive: true });
      await writeFile(join(scratch.base, "cgroup.controllers"), "cpu memory pids\n");
      for (const file of ["cgroup.procs", "cgroup.subtree_control"])
        await writeFile(join(own, file), "");
      await writeFile(join(own, "cgroup.controllers"), "cpu memory pids\n");
      const adapter = await detectDelegated(scratch.base, "tandem-x", "/user.slice/tandem.service");
      expect(adapter?.kind).toBe("v2");
      expect(await readFile(join(own, DAEMON_LEAF, "cgroup.procs"), "utf8")).toBe(
        String(process.pid),
      );
      expect(await access(join(own, "tandem-x")).then(() => true)).toBe(true);
    } finally {
      await scratch.dispose();
    }
  });

  it("find no delegated subtree where the host's cgroup offers no controller or no v2 mount", async () => {
    const scratch = await Scratch.create("undelegated");
    try {
      expect(await detectDelegated(scratch.base, "tandem-x", "/")).toBeNull();
      await writeFile(join(scratch.base, "cgroup.controllers"), "");
      for (const file of ["cgroup.procs", "cgroup.subtree_control"])
        await writeFile(join(scratch.base, file), "");
      expect(await detectDelegated(scratch.base, "tandem-x", "/")).toBeNull();
    } finally {
      await scratch.dispose();
    }
  });

  it("refuse names that could escape the group directory", async () => {
    await expect(
      noCgroups().create("../etc", { memoryBytes: 0, pids: 0, cpuMillis: 0 }),
    ).rejects.toThrow(/invalid cgroup name/);
  });
});

const sandboxSkip = await sandboxSkipReason();
const adapter: CgroupAdapter = sandboxSkip ? noCgroups() : await detectCgroups(ROOT, GROUP);
const skip =
  sandboxSkip ??
  (adapter.kind === "none" ? "skipped: no writable cgroup hierarchy on this host" : null);

describe.skipIf(skip !== null)(titled(`cgroup limits (${adapter.kind})`, skip), () => {
  let scratch: Scratch;
  let agent: string;
  let workspace: string;
  let n = 0;
  const name = () => `sbx_${++n}`;

  beforeAll(async () => {
    scratch = await Scratch.create("cgroups");
    agent = await scratch.file("agent.pl", "1;\n");
    workspace = (await scratch.workspace("ws")).merged;
  });
  afterEach(async () => {
    for (const leftover of await adapter.list()) await adapter.remove(leftover);
  });
  afterAll(async () => {
    for (const leftover of await adapter.list()) await adapter.remove(leftover);
    const parents =
      adapter.kind === "v2"
        ? [join(ROOT, GROUP)]
        : ["memory", "pids", "cpu"].map((c) => join(ROOT, c, GROUP));
    for (const dir of parents) await rmdir(dir).catch(() => {});
    await scratch?.dispose();
  });

  const sh = (handle: CgroupHandle, script: string, timeoutMs = 10_000) =>
    runSandbox(
      testLaunch(workspace, agent, { cgroup: handle, command: ["/bin/sh", "-c", script] }),
      { timeoutMs },
    );

  it("enforces at least one controller and joins one procs file per enforced v1 controller", async () => {
    const { memory, pids, cpu } = adapter.enforces;
    expect(memory || pids || cpu).toBe(true);
    const handle = await adapter.create(name(), {
      memoryBytes: 64 * MiB,
      pids: 32,
      cpuMillis: 500,
    });
    const count = adapter.kind === "v1" ? [memory, pids, cpu].filter(Boolean).length : 1;
    expect(handle.procsFiles).toHaveLength(count);
  });

  it.skipIf(!(adapter.enforces.memory && adapter.enforces.pids && adapter.enforces.cpu))(
    "writes the limits into the controllers",
    async () => {
      const handle = await adapter.create(name(), {
        memoryBytes: 64 * MiB,
        pids: 32,
        cpuMillis: 500,
      });
      const dir = (file: string) =>
        handle.procsFiles.find((p) => p.includes(`/${file.split(".")[0]}/`)) ??
        handle.procsFiles[0]!;
      const read = (file: string) =>
        readFile(join(dir(file), "..", file), "utf8").then((s) => s.trim());
      if (adapter.kind === "v1") {
        expect(await read("memory.limit_in_bytes")).toBe(String(64 * MiB));
        expect(await read("pids.max")).toBe("32");
        expect(await read("cpu.cfs_quota_us")).toBe("50000");
        expect(await read("cpu.cfs_period_us")).toBe("100000");
      } else {
        expect(await read("memory.max")).toBe(String(64 * MiB));
        expect(await read("pids.max")).toBe("32");
        expect(await read("cpu.max")).toBe("50000 100000");
      }
    },
  );

  it.skipIf(!adapter.enforces.memory)(
    "kills a process that allocates past the memory cap while its sibling survives",
    async () => {
      const handle = await adapter.create(name(), {
        memoryBytes: 64 * MiB,
        pids: 64,
        cpuMillis: 1000,
      });
      const script = `sleep 5 & s=$!; perl -e '$x = "a" x (200*1024*1024); sleep 1'; echo big=$?; kill -0 $s && echo sibling-alive; kill $s`;
      const r = await sh(handle, script);
      expect(r.stdout).toBe("big=137\nsibling-alive\n");
      const peak = await handle.memoryPeakBytes();
      expect(peak).not.toBeNull();
      expect(peak!).toBeLessThanOrEqual(64 * MiB);
      expect(peak!).toBeGreaterThan(32 * MiB);
    },
  );

  it.skipIf(!adapter.enforces.pids)("stops a fork loop at the pids cap", async () => {
    const handle = await adapter.create(name(), {
      memoryBytes: 256 * MiB,
      pids: 16,
      cpuMillis: 1000,
    });
    const script = `perl -e 'my $n = 0; for (1..100) { my $p = fork; if (!defined $p) { print "fork failed after $n"; exit 0 } if ($p == 0) { sleep 5; exit 0 } $n++ } print "forked $n"'`;
    const r = await sh(handle, script);
    const forked = Number(/^fork failed after (\d+)$/.exec(r.stdout)?.[1]);
    // bwrap, its pid-1 init, sh and perl count too.
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(16);
  });

  it("refuses to start the command when the cgroup cannot be joined", async () => {
    const handle = await adapter.create(name(), {
      memoryBytes: 64 * MiB,
      pids: 16,
      cpuMillis: 1000,
    });
    const r = await sh(
      { ...handle, procsFiles: [join(scratch.base, "missing", "cgroup.procs")] },
      "echo ran",
    );
    expect(r.code).toBe(125);
    expect(r.stdout).toBe("");
  });

  it("lists leftover cgroups and removes them with the processes still inside", async () => {
    const left = name();
    const handle = await adapter.create(left, { memoryBytes: 64 * MiB, pids: 16, cpuMillis: 1000 });
    expect(await adapter.list()).toContain(left);
    // A process left behind as if the daemon had crashed: joined, then detached from us.
    const child = spawn("/bin/sh", ["-c", `${joinScript(handle)}exec sleep 30`], {
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await waitFor(
      async () => (await readFile(handle.procsFiles[0]!, "utf8")).trim() === String(child.pid),
    );
    await adapter.remove(left);
    expect(await exited).toBe("SIGKILL");
    expect(await adapter.list()).not.toContain(left);
    for (const file of handle.procsFiles) await expect(access(file)).rejects.toThrow();
    await adapter.remove(left); // removing twice is fine
  });

  it("refuses to create a cgroup that already exists", async () => {
    const taken = name();
    await adapter.create(taken, { memoryBytes: 64 * MiB, pids: 16, cpuMillis: 1000 });
    await expect(
      adapter.create(taken, { memoryBytes: 64 * MiB, pids: 16, cpuMillis: 1000 }),
    ).rejects.toThrow(/EEXIST/);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
