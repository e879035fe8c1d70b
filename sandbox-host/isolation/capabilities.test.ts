import { rmdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { probeCapabilities } from "./capabilities.ts";
import { Scratch } from "./test-sandbox.ts";

const GROUP = `tandem-caps-test-${process.pid}`;

describe("host capability probe", () => {
  afterAll(async () => {
    // The probe creates the (empty) parent group in whichever layout this host has.
    const parents = [
      join("/sys/fs/cgroup", GROUP),
      ...["memory", "pids", "cpu"].map((c) => join("/sys/fs/cgroup", c, GROUP)),
    ];
    for (const dir of parents) await rmdir(dir).catch(() => {});
  });

  it("reports what this host enforces and names every gap in a sentence", async () => {
    const caps = await probeCapabilities({ cgroupGroup: GROUP });
    expect(caps.network).toBe("none");
    expect(caps.root).toBe(process.getuid?.() === 0);
    expect(caps.missing.some((m) => m.startsWith("no memory limits"))).toBe(!caps.cgroups.memory);
    expect(caps.missing.some((m) => m.startsWith("no process-count limits"))).toBe(
      !caps.cgroups.pids,
    );
    expect(caps.missing.some((m) => m.startsWith("no CPU limits"))).toBe(!caps.cgroups.cpu);
    expect(caps.missing.some((m) => m.includes("apt-get install -y bubblewrap"))).toBe(
      caps.bubblewrap === null,
    );
    expect(caps.missing.some((m) => m.startsWith("no syscall filter"))).toBe(!caps.seccomp);
    if (caps.root) {
      // Debian 12 kernels and later: overlayfs with userxattr, seccomp with kill_process.
      expect(caps.overlay).toBe(true);
      expect(caps.userxattrOverlay).toBe(true);
      expect(caps.cgroups.kind).not.toBe("none");
    }
  });

  it("reports no cgroup limits when pointed at a directory that is not a cgroup hierarchy", async () => {
    const scratch = await Scratch.create("caps");
    try {
      const caps = await probeCapabilities({ cgroupRoot: scratch.base });
      expect(caps.cgroups).toEqual({ kind: "none", memory: false, pids: false, cpu: false });
      expect(caps.missing).toContain("no memory limits: no writable cgroup hierarchy");
    } finally {
      await scratch.dispose();
    }
  });
});
