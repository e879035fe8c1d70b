// The sandbox host run as an unprivileged user: it starts rootless, says what it cannot enforce,
// and still builds, runs, isolates, snapshots, restores, syncs and pushes, and keeps its
// sandboxes' work across a stop and a crash. The daemon is a real process started through
// setpriv; the provider contract then runs against a rootless host as that same user.
import { execFile, spawn } from "node:child_process";
import { chown, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret } from "../crypto/digest.ts";
import type { Image } from "../protocol/sandbox-host.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { makeTestRemote, makeTestRepo } from "../sandbox/test-repo.ts";
import { leftoverProcesses } from "./leftover-processes.ts";
import { logged, startDaemon, type TestDaemon } from "./test-daemon.ts";
import { rootlessTestsUnavailable } from "./test-host.ts";

const run = promisify(execFile);

/** The unprivileged host user the daemon runs as; it needs no passwd entry. */
const HOST_UID = 64_950;
/** The uid sandboxes run as inside (the default TANDEM_SANDBOX_UID). */
const SANDBOX_UID = 64_000;

const unavailable =
  process.getuid?.() !== 0
    ? "starts the daemon as another user through setpriv, which needs root"
    : rootlessTestsUnavailable(HOST_UID);

const text = (base64: string) => Buffer.from(base64, "base64").toString("utf8");
const bytes = (s: string) => new TextEncoder().encode(s);
/** Hands a folder the test made over to the host user, as its own repositories would be. */
const giveToHost = (path: string) => run("chown", ["-R", `${HOST_UID}:${HOST_UID}`, path]);

describe.skipIf(unavailable !== null)(
  `a rootless sandbox host${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    const token = randomSecret("hst");
    let base: string;
    let stateDir: string;
    let daemon: TestDaemon;
    let client: SandboxHostClient;
    let hostPort: Server;
    let image: Image;
    const cleanups: (() => Promise<void>)[] = [];

    const start = async () => {
      daemon = await startDaemon({ stateDir, token, user: { uid: HOST_UID, gid: HOST_UID } });
      client = new SandboxHostClient({ url: daemon.url, token });
    };
    const sh = async (sandboxId: string, script: string) => {
      const result = await client.exec(sandboxId, { argv: ["sh", "-c", script] });
      return { ...result, out: text(result.stdout), err: text(result.stderr) };
    };
    const sandboxFolders = () => readdir(join(stateDir, "sandboxes"));

    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), "tandem-rootless-"));
      await chown(base, HOST_UID, HOST_UID);
      stateDir = join(base, "state");
      hostPort = createServer((socket) => socket.end("you should not reach me\n"));
      await new Promise<void>((resolve) => hostPort.listen(0, "127.0.0.1", resolve));
      await start();
      const repo = await makeTestRepo({ "README.md": "rootless\n", "docs/a.md": "a\n" });
      await giveToHost(repo.dir);
      image = await client.buildImage({
        repo: "acme/rootless",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
        steps: [{ name: "setup", run: "echo built > built.txt" }],
      });
    }, 60_000);

    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
      await daemon?.kill("SIGKILL");
      hostPort?.close();
      if (base) await rm(base, { recursive: true, force: true, maxRetries: 3 });
    });

    it("starts as an unprivileged user and reports that it runs rootless and what it cannot enforce", async () => {
      const caps = await client.capabilities();
      expect(caps.root).toBe(false);
      expect(caps.missing[0]).toBe(
        `rootless: sandboxes run as this host's own user (uid ${HOST_UID}), mapped to the sandbox uid inside, not as a separate host uid`,
      );
      expect(caps.missing.some((m) => m.startsWith("no memory limits"))).toBe(!caps.limits.memory);
      expect(caps.missing.some((m) => m.startsWith("no syscall filter"))).toBe(!caps.seccomp);
      // Where the kernel mounts overlayfs in a user namespace (Linux ≥ 5.11), workspaces stay
      // copy-on-write; elsewhere the host copies images and says so.
      const listening = logged<{ workspaces: string }>(daemon, "host.listening");
      expect(listening).toMatchObject({ rootless: true, missing: caps.missing });
      expect(caps.missing.some((m) => m.startsWith("no copy-on-write workspaces"))).toBe(
        listening!.workspaces === "copy",
      );
      const status = await readFile(`/proc/${daemon.child.pid}/status`, "utf8");
      expect(status).toMatch(new RegExp(`^Uid:\\s+${HOST_UID}\\s`, "m"));
      expect((await stat(stateDir)).uid).toBe(HOST_UID);
    });

    it("runs a sandbox as the sandbox uid inside, over image files it owns, with no mount on the host", async () => {
      const sandbox = await client.createSandbox({ from: { imageId: image.id } });
      try {
        const r = await sh(
          sandbox.id,
          "id -u; stat -c %u README.md built.txt; git status --porcelain; cat built.txt",
        );
        expect(r.err).toBe("");
        expect(r.out).toBe(`${SANDBOX_UID}\n${SANDBOX_UID}\n${SANDBOX_UID}\n?? built.txt\nbuilt\n`);
        await client.writeFile(sandbox.id, "deep/note.txt", bytes("written\n"));
        const read = await client.readFile(sandbox.id, "deep/note.txt");
        expect(read.found && new TextDecoder().decode(read.data)).toBe("written\n");
        // The overlay lives in the sandbox's own mount namespace; the upper layer is a folder.
        const mounts = await readFile("/proc/self/mountinfo", "utf8");
        expect(mounts).not.toContain(stateDir);
        const upper = join(stateDir, "sandboxes", sandbox.id, "upper");
        expect(await readFile(join(upper, "deep/note.txt"), "utf8")).toBe("written\n");
        // Copy-on-write: the layer holds what changed, not the image's files.
        const { workspaces } = logged<{ workspaces: string }>(daemon, "host.listening")!;
        if (workspaces === "overlay") expect(await readdir(upper)).not.toContain("README.md");
        // On the host, the sandbox's processes are the host user's, not root's.
        const pids = await leftoverProcesses([join(stateDir, "sandboxes")]);
        expect(pids.length).toBeGreaterThan(0);
        for (const pid of pids) {
          const status = await readFile(`/proc/${pid}/status`, "utf8");
          expect(status).toMatch(new RegExp(`^Uid:\\s+${HOST_UID}\\s`, "m"));
        }
      } finally {
        await client.destroySandbox(sandbox.id);
      }
    });

    it("snapshots and restores changes, deletions and the file modes a sandbox set", async () => {
      const first = await client.createSandbox({ from: { imageId: image.id } });
      await client.writeFile(first.id, "notes.txt", bytes("turn 1\n"));
      const change = await sh(
        first.id,
        "rm README.md && rm -r docs && mkdir docs && echo new > docs/b.md && " +
          "echo secret > locked.txt && chmod 000 locked.txt && mkdir -p ro/sub && chmod 555 ro/sub ro",
      );
      expect(change.err).toBe("");
      const snapshot = await client.snapshot(first.id);
      expect(snapshot.imageId).toBe(image.id);
      // Files the host user cannot write or read by their modes are removed all the same.
      await client.destroySandbox(first.id);
      expect(await sandboxFolders()).toEqual([]);
      const second = await client.createSandbox({ from: { snapshotId: snapshot.id } });
      try {
        const tree = await sh(
          second.id,
          "ls; ls docs; cat notes.txt docs/b.md; stat -c '%a %n' locked.txt ro ro/sub",
        );
        expect(tree.out).toBe(
          "built.txt\ndocs\nlocked.txt\nnotes.txt\nro\nb.md\nturn 1\nnew\n0 locked.txt\n555 ro\n555 ro/sub\n",
        );
      } finally {
        await client.destroySandbox(second.id);
      }
      await client.deleteSnapshot(snapshot.id);
    });

    it("syncs the workspace to the remote and pushes its work branch through the host's mirror", async () => {
      const remote = await makeTestRemote({ "app.txt": "v1\n" });
      const moved = await remote.commit({ "app.txt": "v2\n" });
      await giveToHost(remote.url);
      const remoteImage = await client.buildImage({
        repo: "acme/remote",
        cloneUrl: remote.url,
        commit: remote.commits[0]!,
      });
      const sandbox = await client.createSandbox({ from: { imageId: remoteImage.id } });
      try {
        const synced = await client.syncWorkspace(sandbox.id, {
          cloneUrl: remote.url,
          branch: "main",
        });
        expect(synced).toEqual({ commit: moved, base: remote.commits[0], changed: true });
        const committed = await sh(
          sandbox.id,
          "cat app.txt && echo fix > fix.txt && git add fix.txt && " +
            "git -c user.name=Ada -c user.email=ada@example.com commit -qm Fix && git rev-parse HEAD",
        );
        const [content, head] = committed.out.trim().split("\n");
        expect(content).toBe("v2");
        const pushed = await client.pushWorkspace(sandbox.id, {
          cloneUrl: remote.url,
          branch: "tandem/rootless",
        });
        expect(pushed).toEqual({ commit: head, branch: "tandem/rootless" });
        // The remote is the host user's now; root reads it without git's ownership check.
        const { stdout } = await run("git", [
          "-c",
          "safe.directory=*",
          "-C",
          remote.url,
          "rev-parse",
          "refs/heads/tandem/rootless",
        ]);
        expect(stdout.trim()).toBe(head);
      } finally {
        await client.destroySandbox(sandbox.id);
        await client.deleteImage(remoteImage.id);
      }
    });

    it("has no network, no host files, no capabilities and no nested user namespaces", async () => {
      const sandbox = await client.createSandbox({ from: { imageId: image.id } });
      try {
        const port = (hostPort.address() as { port: number }).port;
        const r = await sh(
          sandbox.id,
          [
            "getent hosts example.com || echo dns-fails",
            `perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:${port}", Timeout => 2); print $s ? "connected\\n" : "refused\\n"'`,
            `for p in /work /root /home /srv /etc/shadow ${base}; do test -e $p && echo visible $p; done`,
            "unshare -U true 2>/dev/null || echo no-user-namespace",
            "grep -E '^Cap(Eff|Bnd)' /proc/self/status",
          ].join("; "),
        );
        expect(r.out).toBe(
          "dns-fails\nrefused\nno-user-namespace\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n",
        );
      } finally {
        await client.destroySandbox(sandbox.id);
      }
    });

    it("keeps the host's side of /run/tandem out of reach of the sandbox that owns its folder", async () => {
      const sandbox = await client.createSandbox({ from: { imageId: image.id } });
      try {
        const r = await sh(
          sandbox.id,
          [
            "touch /run/tandem/x 2>&1",
            "mv /run/tandem/inbox /run/tandem/in2 2>&1",
            // The sandbox owns the folder and may make it writable again; what the host uses
            // in it are mounts of their own all the same.
            "chmod 755 /run/tandem && echo chmodded",
            "mv /run/tandem/inbox /run/tandem/in2 2>&1",
            "rmdir /run/tandem/outbox 2>&1",
            "touch /run/tandem/inbox/sync.bundle 2>&1",
            "touch /run/tandem/outbox/push.bundle && echo outbox-writable",
            "true",
          ].join("; "),
        );
        expect(r.out).toBe(
          [
            "touch: cannot touch '/run/tandem/x': Permission denied",
            "mv: cannot move '/run/tandem/inbox' to '/run/tandem/in2': Permission denied",
            "chmodded",
            "mv: cannot move '/run/tandem/inbox' to '/run/tandem/in2': Device or resource busy",
            "rmdir: failed to remove '/run/tandem/outbox': Device or resource busy",
            "touch: cannot touch '/run/tandem/inbox/sync.bundle': Read-only file system",
            "outbox-writable",
            "",
          ].join("\n"),
        );
      } finally {
        await client.destroySandbox(sandbox.id);
      }
    });

    it("saves running sandboxes as rescues when stopped with SIGTERM, and after a crash at the next start", async () => {
      const stopped = await client.createSandbox({ from: { imageId: image.id } });
      await sh(stopped.id, "echo before the stop > unsaved.txt && rm README.md");
      await daemon.kill("SIGTERM");
      expect(daemon.child.exitCode).toBe(0);
      expect(logged(daemon, "host.stopped")).toMatchObject({ rescued: 1, unsaved: 0 });
      expect(await sandboxFolders()).toEqual([]);

      await start();
      const rescue = await client.rescued(stopped.id);
      expect(rescue).toMatchObject({ imageId: image.id });
      const back = await client.createSandbox({ from: { snapshotId: rescue!.snapshotId } });
      expect((await sh(back.id, "ls; cat unsaved.txt")).out).toBe(
        "built.txt\ndocs\nunsaved.txt\nbefore the stop\n",
      );
      await client.writeFile(back.id, "crash.txt", bytes("before the crash\n"));
      const running = client.exec(back.id, { argv: ["sleep", "30"] }).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await daemon.kill("SIGKILL");
      expect(await running).toBeInstanceOf(Error);
      expect(await sandboxFolders()).toEqual([back.id]);

      await start();
      expect(logged(daemon, "host.reconciled")).toMatchObject({ sandboxes: 1, rescued: 1 });
      expect(await sandboxFolders()).toEqual([]);
      const crashed = await client.rescued(back.id);
      const again = await client.createSandbox({ from: { snapshotId: crashed!.snapshotId } });
      expect((await sh(again.id, "cat crash.txt unsaved.txt")).out).toBe(
        "before the crash\nbefore the stop\n",
      );
      await client.destroySandbox(again.id);
      await client.destroySandbox(back.id).catch(() => {});
    }, 60_000);

    it("falls back to a full copy of the image per sandbox, and says so", async () => {
      const copyState = join(base, "copy-state");
      const copying = await startDaemon({
        stateDir: copyState,
        token,
        user: { uid: HOST_UID, gid: HOST_UID },
        env: { TANDEM_HOST_WORKSPACES: "copy" },
      });
      cleanups.push(() => copying.kill("SIGKILL"));
      const copies = new SandboxHostClient({ url: copying.url, token });
      expect(logged(copying, "host.listening")).toMatchObject({ workspaces: "copy" });
      expect((await copies.capabilities()).missing).toContain(
        "no copy-on-write workspaces: TANDEM_HOST_WORKSPACES=copy gives each sandbox a full copy of its image",
      );
      const repo = await makeTestRepo({ "a.txt": "a\n", "b.txt": "b\n" });
      await giveToHost(repo.dir);
      const copied = await copies.buildImage({
        repo: "acme/copy",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      const first = await copies.createSandbox({ from: { imageId: copied.id } });
      await copies.exec(first.id, { argv: ["sh", "-c", "rm a.txt && echo c > c.txt"] });
      const snapshot = await copies.snapshot(first.id);
      await copies.destroySandbox(first.id);
      const second = await copies.createSandbox({ from: { snapshotId: snapshot.id } });
      const tree = await copies.exec(second.id, { argv: ["sh", "-c", "ls; git status --short"] });
      expect(text(tree.stdout)).toBe("b.txt\nc.txt\n D a.txt\n?? c.txt\n");
      await copying.kill("SIGTERM");
      expect(logged(copying, "host.stopped")).toMatchObject({ rescued: 1 });
      expect(await readdir(join(copyState, "sandboxes"))).toEqual([]);
    });

    it("keeps the provider contract, run as the host user (rootless-provider.test.ts)", async () => {
      // Short: a sandbox's port sockets lie below it, and a unix socket path has 107 bytes at most.
      const home = await mkdtemp(join(tmpdir(), "trl-"));
      cleanups.push(() => rm(home, { recursive: true, force: true }));
      await chown(home, HOST_UID, HOST_UID);
      const report = join(home, "report.json");
      // vitest's default config loader writes into node_modules, which the host user cannot.
      const argv = [
        "setpriv",
        `--reuid=${HOST_UID}`,
        `--regid=${HOST_UID}`,
        "--clear-groups",
        "--",
        process.execPath,
        "node_modules/vitest/vitest.mjs",
        "run",
        "--configLoader",
        "runner",
        "--project",
        "unit",
        "--reporter=json",
        `--outputFile=${report}`,
        "sandbox-host/rootless-provider.test.ts",
      ];
      const env = { PATH: process.env.PATH, HOME: home, TMPDIR: home, LANG: "C.UTF-8" };
      const { code, output } = await new Promise<{ code: number | null; output: string }>(
        (resolve, reject) => {
          const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
          let output = "";
          const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
          child.stdout.on("data", keep);
          child.stderr.on("data", keep);
          child.on("error", reject);
          child.on("close", (exit) => resolve({ code: exit, output }));
        },
      );
      const results = JSON.parse(await readFile(report, "utf8").catch(() => "{}")) as {
        numPassedTests?: number;
        numPendingTests?: number;
        testResults?: {
          message: string;
          assertionResults: { title: string; status: string; failureMessages: string[] }[];
        }[];
      };
      const files = results.testResults ?? [];
      const failures = files.flatMap((f) => [
        ...(f.message ? [f.message] : []),
        ...f.assertionResults
          .filter((a) => a.status !== "passed")
          .map((a) => `${a.title}: ${a.status} ${a.failureMessages.join("\n")}`),
      ]);
      expect(failures).toEqual([]);
      expect(code, output).toBe(0);
      expect(results.numPendingTests).toBe(0);
      const titles = files.flatMap((f) => f.assertionResults.map((a) => a.title));
      expect(titles).toContain(
        "restores a snapshot's changes and deletions onto the same image only",
      );
      expect(results.numPassedTests).toBeGreaterThanOrEqual(10);
    }, 180_000);
  },
);
