import { once } from "node:events";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BUBBLEWRAP_INSTALL_HINT,
  bwrapArgs,
  findBubblewrap,
  launchCommand,
  writeEtcFiles,
  type SandboxLaunch,
} from "./bwrap.ts";
import type { CgroupHandle } from "./cgroups.ts";
import {
  Scratch,
  TEST_GID,
  TEST_UID,
  runSandbox,
  sandboxSkipReason,
  testLaunch,
  titled,
} from "./test-sandbox.ts";

const launch: SandboxLaunch = {
  workspace: "/srv/tandem/sbx_1/merged",
  uid: 64001,
  gid: 64001,
  env: { GIT_AUTHOR_NAME: "Ada", TERM: "dumb" },
  hostname: "sbx-1",
  controlSocketDir: "/srv/tandem/sbx_1/run",
  seccompFd: 3,
  agentPath: "/opt/tandem-host/agent.pl",
};

/** The host paths a bwrap argument list exposes, as [source, destination] pairs. */
function hostSources(args: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < args.length && args[i] !== "--"; i++) {
    if (["--bind", "--ro-bind", "--ro-bind-try", "--bind-try", "--dev-bind"].includes(args[i]!)) {
      out.push([args[i + 1]!, args[i + 2]!]);
      i += 2;
    }
  }
  return out;
}

describe("bwrap arguments", () => {
  it("isolate every namespace, forbid nested user namespaces and clear the environment", () => {
    const args = bwrapArgs(launch);
    for (const flag of [
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
      "--clearenv",
    ]) {
      expect(args).toContain(flag);
    }
    expect(args.slice(args.indexOf("--hostname"), args.indexOf("--hostname") + 2)).toEqual([
      "--hostname",
      "sbx-1",
    ]);
    expect(args).not.toContain("--share-net");
  });

  it("expose only /usr, a few /etc entries, the workspace, the control socket dir and the agent", () => {
    const sources = hostSources(bwrapArgs(launch));
    for (const [source, dest] of sources) {
      const allowed =
        source === "/usr" ||
        source.startsWith("/etc/") ||
        (source === launch.workspace && dest === "/workspace") ||
        (source === launch.controlSocketDir && dest === "/run/tandem") ||
        (source === launch.agentPath && dest === "/opt/tandem/agent.pl");
      expect(allowed, `${source} -> ${dest}`).toBe(true);
    }
    const args = bwrapArgs(launch);
    const agent = args.indexOf(launch.agentPath);
    expect(args[agent - 1]).toBe("--ro-bind");
    expect(args[args.indexOf("/usr") - 1]).toBe("--ro-bind");
  });

  it("set PATH, HOME and LANG, then the launch environment", () => {
    const args = bwrapArgs(launch);
    const env = new Map<string, string>();
    args.forEach((a, i) => a === "--setenv" && env.set(args[i + 1]!, args[i + 2]!));
    expect(env.get("HOME")).toBe("/workspace");
    expect(env.get("LANG")).toBe("C.UTF-8");
    expect(env.get("PATH")).toMatch(/\/usr\/bin/);
    expect(env.get("GIT_AUTHOR_NAME")).toBe("Ada");
    expect(() => bwrapArgs({ ...launch, env: { "A=B": "x" } })).toThrow(
      /invalid environment variable/,
    );
  });

  it("pass the seccomp fd and end by running the agent with perl", () => {
    const args = bwrapArgs(launch);
    expect(args.slice(args.indexOf("--seccomp"), args.indexOf("--seccomp") + 2)).toEqual([
      "--seccomp",
      "3",
    ]);
    expect(args.slice(args.indexOf("--"))).toEqual(["--", "/usr/bin/perl", "/opt/tandem/agent.pl"]);
    expect(bwrapArgs({ ...launch, command: ["/bin/true"] }).slice(-2)).toEqual(["--", "/bin/true"]);
    expect(bwrapArgs({ ...launch, seccompFd: undefined })).not.toContain("--seccomp");
  });

  it("bind the generated passwd, group and hosts when given an etc dir", () => {
    const args = bwrapArgs({ ...launch, etcDir: "/srv/tandem/etc" });
    expect(hostSources(args)).toEqual(
      expect.arrayContaining([
        ["/srv/tandem/etc/passwd", "/etc/passwd"],
        ["/srv/tandem/etc/group", "/etc/group"],
        ["/srv/tandem/etc/hosts", "/etc/hosts"],
      ]),
    );
  });
});

describe("the launch command", () => {
  const handle: CgroupHandle = {
    name: "sbx_1",
    procsFiles: [
      "/sys/fs/cgroup/memory/tandem/sbx_1/cgroup.procs",
      "/sys/fs/cgroup/pids/tandem/sbx_1/cgroup.procs",
    ],
    memoryPeakBytes: async () => null,
  };

  it("joins the cgroup in a shell and then execs setpriv and bwrap", () => {
    const { command, args } = launchCommand({ ...launch, cgroup: handle });
    expect(command).toBe("/bin/sh");
    expect(args[0]).toBe("-c");
    expect(args[1]).toBe(
      "echo $$ > '/sys/fs/cgroup/memory/tandem/sbx_1/cgroup.procs' || exit 125; " +
        "echo $$ > '/sys/fs/cgroup/pids/tandem/sbx_1/cgroup.procs' || exit 125; " +
        'exec "$@"',
    );
    expect(args.slice(2, 11)).toEqual([
      "sh",
      "setpriv",
      "--reuid=64001",
      "--regid=64001",
      "--clear-groups",
      "--inh-caps=-all",
      "--bounding-set=-all",
      "--",
      "bwrap",
    ]);
    expect(args.slice(11)).toEqual(bwrapArgs(launch));
  });

  it("runs setpriv directly when there is no cgroup to join", () => {
    const { command, args } = launchCommand(launch);
    expect(command).toBe("setpriv");
    expect(args.slice(0, 7)).toContain("--reuid=64001");
    expect(args).toContain("bwrap");
  });

  it("lets bwrap map a rootless host's own user to the sandbox uid, dropping every capability", () => {
    const { command, args } = launchCommand({ ...launch, rootless: true });
    expect(command).toBe("bwrap");
    expect(args).not.toContain("setpriv");
    const flag = (name: string) => args.slice(args.indexOf(name), args.indexOf(name) + 2);
    expect(flag("--uid")).toEqual(["--uid", "64001"]);
    expect(flag("--gid")).toEqual(["--gid", "64001"]);
    expect(flag("--cap-drop")).toEqual(["--cap-drop", "ALL"]);
    expect(args).toContain("--disable-userns");
    expect(bwrapArgs(launch)).not.toContain("--cap-drop");
  });

  it("mounts a rootless overlay in a user and mount namespace of the host's, then execs bwrap", () => {
    const overlay = { lower: "/srv/img/ws", upper: "/srv/sbx_1/upper", work: "/srv/sbx_1/work" };
    const rootless = { ...launch, rootless: true, overlay, cgroup: handle };
    const { command, args } = launchCommand(rootless);
    expect(command).toBe("/bin/sh");
    const unshare = args.indexOf("unshare");
    expect(args.slice(unshare, unshare + 8)).toEqual([
      "unshare",
      "--user",
      "--map-root-user",
      "--mount",
      "--",
      "/bin/sh",
      "-c",
      'mount -t overlay overlay -o "$1" "$2" || exit 125; shift 2; exec "$@"',
    ]);
    expect(args.slice(unshare + 8, unshare + 11)).toEqual([
      "sh",
      "nosuid,nodev,lowerdir=/srv/img/ws,upperdir=/srv/sbx_1/upper,workdir=/srv/sbx_1/work,userxattr",
      launch.workspace,
    ]);
    expect(args.slice(unshare + 11)).toEqual(["bwrap", ...bwrapArgs(rootless)]);
  });

  it("binds the control folders the host uses each on their own when asked", () => {
    const args = bwrapArgs({
      ...launch,
      controlMounts: { readOnly: ["inbox"], writable: ["ports", "outbox"] },
    });
    expect(hostSources(args)).toEqual(
      expect.arrayContaining([
        ["/srv/tandem/sbx_1/run", "/run/tandem"],
        ["/srv/tandem/sbx_1/run/inbox", "/run/tandem/inbox"],
        ["/srv/tandem/sbx_1/run/ports", "/run/tandem/ports"],
        ["/srv/tandem/sbx_1/run/outbox", "/run/tandem/outbox"],
      ]),
    );
    const inbox = args.indexOf("/srv/tandem/sbx_1/run/inbox");
    expect(args[inbox - 1]).toBe("--ro-bind");
    // After the folder itself, or its bind would cover them.
    expect(inbox).toBeGreaterThan(args.indexOf("/srv/tandem/sbx_1/run"));
  });

  it("tells how to install bubblewrap", () => {
    expect(BUBBLEWRAP_INSTALL_HINT).toContain("apt-get install -y bubblewrap");
  });
});

const skip = await sandboxSkipReason();

describe.skipIf(skip !== null)(titled("a running sandbox", skip), () => {
  let scratch: Scratch;
  let agent: string;
  let etcDir: string;
  let a: { upper: string; lower: string; merged: string };
  let b: { upper: string; lower: string; merged: string };
  const servers: Server[] = [];

  beforeAll(async () => {
    scratch = await Scratch.create("bwrap");
    agent = await scratch.file("agent.pl", 'print "agent says hi\\n";\n');
    etcDir = join(scratch.base, "etc");
    await mkdir(etcDir, { mode: 0o755 });
    await writeEtcFiles(etcDir, { uid: TEST_UID, gid: TEST_GID, hostname: "sandbox-test" });
    a = await scratch.workspace("a", { "image.txt": "from the image\n" });
    b = await scratch.workspace("b", { "b-secret.txt": "only for b\n" });
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) s.close();
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  const sh = (script: string, extra: Partial<SandboxLaunch> = {}) =>
    runSandbox(
      testLaunch(a.merged, agent, { etcDir, command: ["/bin/sh", "-c", script], ...extra }),
    );

  it("finds bubblewrap and its version", async () => {
    const found = await findBubblewrap();
    expect(found?.path).toMatch(/bwrap$/);
    expect(found?.version).toMatch(/^\d+\.\d+/);
  });

  it("runs the agent with perl when no command is given", async () => {
    const r = await runSandbox(testLaunch(a.merged, agent));
    expect(r).toMatchObject({ code: 0, stdout: "agent says hi\n" });
  });

  it("sees only /workspace, /usr, /tmp, /proc, /dev and the bound bits of /etc", async () => {
    const r = await sh(
      "ls -A /; echo ---; ls -A /etc; echo ---; pwd; for p in /root /work /home /srv /var /sys; do test -e $p && echo visible $p; done; true",
    );
    const [root, etc, rest] = r.stdout.split("---\n");
    const rootEntries = root!.trim().split("\n").sort();
    expect(
      rootEntries.filter((e) => !["bin", "lib", "lib64", "sbin", "lib32", "libx32"].includes(e)),
    ).toEqual(["dev", "etc", "proc", "tmp", "usr", "workspace"]);
    const allowedEtc = [
      "alternatives",
      "ssl",
      "ca-certificates",
      "ca-certificates.conf",
      "localtime",
      "nsswitch.conf",
      "perl",
      "passwd",
      "group",
      "hosts",
    ];
    for (const e of etc!.trim().split("\n")) expect(allowedEtc).toContain(e);
    expect(rest).toBe("/workspace\n");
  });

  it("runs as the unprivileged uid, named tandem, with home /workspace", async () => {
    const r = await sh("id -u; id -g; whoami; echo $HOME; grep CapEff /proc/self/status; hostname");
    expect(r.stdout).toBe(
      `${TEST_UID}\n${TEST_GID}\ntandem\n/workspace\nCapEff:\t0000000000000000\nsandbox-test\n`,
    );
  });

  it("writes files created in /workspace to the overlay's upper layer, leaving the image alone", async () => {
    const r = await sh(
      "echo new > /workspace/new.txt && echo changed >> image.txt && cat image.txt",
    );
    expect(r.stdout).toBe("from the image\nchanged\n");
    expect(await readFile(join(a.upper, "new.txt"), "utf8")).toBe("new\n");
    expect(await readFile(join(a.upper, "image.txt"), "utf8")).toBe("from the image\nchanged\n");
    expect(await readFile(join(a.lower, "image.txt"), "utf8")).toBe("from the image\n");
  });

  it("cannot read another sandbox's workspace or see its processes", async () => {
    const stop = new AbortController();
    const other = runSandbox(testLaunch(b.merged, agent, { command: ["/bin/sleep", "10"] }), {
      signal: stop.signal,
    });
    try {
      const r = await sh(
        `cat ${b.merged}/b-secret.txt 2>/dev/null && echo leaked; find / -path /proc -prune -o -path /usr -prune -o -name b-secret.txt -print; ls /proc | grep -c '^[0-9]'`,
      );
      expect(r.stdout).not.toContain("leaked");
      expect(r.stdout).not.toContain("b-secret");
      // bwrap's init, the shell, ls and grep: nothing from the host or the other sandbox.
      expect(Number(r.stdout.trim())).toBeLessThanOrEqual(5);
    } finally {
      stop.abort();
      await other;
    }
  });

  it("cannot resolve names", async () => {
    const r = await sh("getent hosts example.com; echo status=$?");
    expect(r.stdout).toMatch(/^status=[1-9]/m);
  });

  it("cannot reach a TCP port the host listens on at 127.0.0.1", async () => {
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    const script = `perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => "127.0.0.1:${port}", Timeout => 2) ? print "connected" : print "failed: $!"'`;
    const r = await sh(script);
    expect(r.stdout).toMatch(/^failed: (Connection refused|Network is unreachable)/);
    expect(connections).toBe(0);
  });

  it("reaches a unix socket the host listens on in the control socket dir", async () => {
    const dir = await scratch.dir("control");
    const server = createServer((s) => s.on("data", (d) => s.end(`pong ${d.toString().trim()}\n`)));
    servers.push(server);
    server.listen(join(dir, "control.sock"));
    await once(server, "listening");
    await chmod(join(dir, "control.sock"), 0o666);
    const script = `perl -MIO::Socket::UNIX -e '$s = IO::Socket::UNIX->new(Peer => "/run/tandem/control.sock") or die "connect: $!"; print $s "ping\\n"; print scalar <$s>'`;
    const r = await sh(script, { controlSocketDir: dir });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("pong ping\n");
  });
});
